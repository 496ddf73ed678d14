//! What is written next to a secret's value in Key Vault (both the ARM and the data-plane
//! paths): content type, tags, and the enabled / not-before / expires attributes.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::tags::Tags;

/// Content type set on stored client secrets: tells whoever reads the vault what the value is,
/// which a generic `text/plain` would not.
pub const CLIENT_SECRET_CONTENT_TYPE: &str = "client-secret";

/// `attributes` of a secret write; times go on the wire as Unix seconds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct VaultSecretAttributes {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub enabled: Option<bool>,
    #[serde(
        rename = "nbf",
        skip_serializing_if = "Option::is_none",
        with = "unix_opt"
    )]
    pub not_before: Option<DateTime<Utc>>,
    #[serde(
        rename = "exp",
        skip_serializing_if = "Option::is_none",
        with = "unix_opt"
    )]
    pub expires: Option<DateTime<Utc>>,
}

/// Everything about a vault secret write except the value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VaultSecretWrite {
    pub content_type: Option<String>,
    pub tags: Tags,
    pub attributes: VaultSecretAttributes,
}

impl VaultSecretWrite {
    /// For a new client secret: enabled, valid from `start`, expiring with the credential (so
    /// Key Vault's near-expiry event fires 30 days ahead).
    pub fn for_client_secret(tags: Tags, start: DateTime<Utc>, end: DateTime<Utc>) -> Self {
        Self {
            content_type: Some(CLIENT_SECRET_CONTENT_TYPE.into()),
            tags,
            attributes: VaultSecretAttributes {
                enabled: Some(true),
                not_before: Some(start),
                expires: Some(end),
            },
        }
    }
}

mod unix_opt {
    use chrono::{DateTime, Utc};
    use serde::Serializer;

    pub fn serialize<S: Serializer>(t: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_i64(t.timestamp()),
            None => s.serialize_none(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn attributes_are_unix_seconds_and_omitted_when_unset() {
        let start = Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap();
        let end = Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap();
        let w = VaultSecretWrite::for_client_secret(Tags::new(), start, end);
        assert_eq!(
            serde_json::to_value(&w.attributes).unwrap(),
            serde_json::json!({"enabled": true, "nbf": 1735689600, "exp": 1767225600})
        );
        assert_eq!(
            serde_json::to_value(VaultSecretAttributes::default()).unwrap(),
            serde_json::json!({})
        );
    }
}
