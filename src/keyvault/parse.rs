//! Response parsers. Responses that carry a value (set secret echoes it) are taken by value
//! and dropped here, so their zeroising body is wiped; no parsed type has a value field.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::KeyVaultError;
use crate::net::HttpResponse;
use crate::wire::{from_unix, parse_json, SecretAttributes};

/// A stored secret version's identity and attributes (never its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSecret {
    /// `https://{vault}/secrets/{name}/{version}`
    pub id: String,
    pub content_type: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub enabled: Option<bool>,
    pub not_before: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub recovery_level: Option<String>,
}

impl StoredSecret {
    /// The URI without the version: `https://{vault}/secrets/{name}`.
    pub fn base_uri(&self) -> &str {
        match self.id.find("/secrets/") {
            Some(i) => {
                let rest = &self.id[i + "/secrets/".len()..];
                match rest.find('/') {
                    Some(j) => &self.id[..i + "/secrets/".len() + j],
                    None => &self.id,
                }
            }
            None => &self.id,
        }
    }

    /// The version: the segment after the name, when the ID has one.
    pub fn version(&self) -> Option<&str> {
        let rest = &self.id[self.base_uri().len()..];
        rest.strip_prefix('/').filter(|v| !v.is_empty())
    }
}

/// A soft-deleted secret that still holds its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletedSecret {
    pub recovery_id: Option<String>,
    pub deleted: Option<DateTime<Utc>>,
    pub scheduled_purge: Option<DateTime<Utc>>,
    pub secret: StoredSecret,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireBundle {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    attributes: Option<SecretAttributes>,
    #[serde(default)]
    recovery_id: Option<String>,
    #[serde(default)]
    deleted_date: Option<i64>,
    #[serde(default)]
    scheduled_purge_date: Option<i64>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireList {
    #[serde(default)]
    value: Option<Vec<WireBundle>>,
    #[serde(default)]
    next_link: Option<String>,
}

/// One page of `GET /secrets/{name}/versions`, in the service's (unspecified) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionsPage {
    pub versions: Vec<StoredSecret>,
    /// The next page; it may exist after an empty page.
    pub next_link: Option<String>,
}

impl From<WireBundle> for StoredSecret {
    fn from(w: WireBundle) -> Self {
        let a = w.attributes.unwrap_or_default();
        StoredSecret {
            id: w.id.unwrap_or_default(),
            content_type: w.content_type,
            tags: w.tags.unwrap_or_default(),
            enabled: a.enabled,
            not_before: from_unix(a.nbf),
            expires: from_unix(a.exp),
            created: from_unix(a.created),
            updated: from_unix(a.updated),
            recovery_level: a.recovery_level,
        }
    }
}

/// `PUT /secrets/{name}`. The response echoes the value; it is not kept.
pub fn parse_set_secret(res: HttpResponse) -> Result<StoredSecret, KeyVaultError> {
    let bundle: WireBundle = parse_json(&res)?;
    let stored = StoredSecret::from(bundle);
    if stored.id.is_empty() {
        return Err(KeyVaultError::Malformed {
            status: res.status,
            detail: "the response has no secret id".into(),
        });
    }
    Ok(stored)
}

/// A page of `GET /secrets/{name}/versions`, or `None` for 404 `SecretNotFound` (no versions).
/// Which version is newest is [`super::VersionScan`]'s business: the order is unspecified.
pub fn parse_versions_page(res: &HttpResponse) -> Result<Option<VersionsPage>, KeyVaultError> {
    match parse_json::<WireList, _>(res) {
        Ok(list) => Ok(Some(VersionsPage {
            versions: list
                .value
                .unwrap_or_default()
                .into_iter()
                .map(StoredSecret::from)
                .collect(),
            next_link: list.next_link.filter(|l| !l.is_empty()),
        })),
        Err(KeyVaultError::SecretNotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET /deletedsecrets/{name}`: the deleted secret, or `None` when there is none (404).
pub fn parse_deleted_secret(res: HttpResponse) -> Result<Option<DeletedSecret>, KeyVaultError> {
    match parse_json::<WireBundle, _>(&res) {
        Ok(mut w) => Ok(Some(DeletedSecret {
            recovery_id: w.recovery_id.take(),
            deleted: from_unix(w.deleted_date),
            scheduled_purge: from_unix(w.scheduled_purge_date),
            secret: StoredSecret::from(w),
        })),
        Err(KeyVaultError::SecretNotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
