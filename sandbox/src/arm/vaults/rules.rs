//! Key Vault's rules that both services apply: secret names, size limits, version identifiers
//! and the vault firewall (`networkAcls`).

use std::collections::BTreeMap;

/// Key Vault's limits (../shared/docs/azure-apis.md §2.3, from `about-secrets.md` and
/// `about-keys-secrets-certificates.md`). The docs say "25k bytes"; the sandbox reads that as
/// 25 × 1024 bytes.
pub const MAX_VALUE_BYTES: usize = 25 * 1024;
pub const MAX_CONTENT_TYPE_CHARS: usize = 255;
pub const MAX_TAGS: usize = 15;
pub const MAX_TAG_CHARS: usize = 256;
pub const MAX_SECRET_NAME_CHARS: usize = 127;

/// `networkAcls` of a vault (the firewall of the data plane).
#[derive(Debug, Clone)]
pub struct NetworkAcls {
    /// `AzureServices` or `None`.
    pub bypass: String,
    /// `Allow` or `Deny`.
    pub default_action: String,
    /// IPv4 addresses or CIDR ranges the firewall lets through when the default is `Deny`.
    pub ip_rules: Vec<String>,
}

impl NetworkAcls {
    pub fn open() -> Self {
        Self {
            bypass: "AzureServices".into(),
            default_action: "Allow".into(),
            ip_rules: Vec::new(),
        }
    }

    /// Whether a data-plane call from `client` gets through.
    pub fn admits(&self, client: std::net::IpAddr) -> bool {
        !self.default_action.eq_ignore_ascii_case("Deny")
            || self
                .ip_rules
                .iter()
                .any(|rule| ip_rule_matches(rule, client))
    }
}

fn ip_rule_matches(rule: &str, client: std::net::IpAddr) -> bool {
    let std::net::IpAddr::V4(client) = client.to_canonical() else {
        return false;
    };
    let (addr, bits) = rule.split_once('/').unwrap_or((rule, "32"));
    match (addr.parse::<std::net::Ipv4Addr>(), bits.parse::<u32>()) {
        (Ok(addr), Ok(bits)) if bits <= 32 => {
            let mask = u32::MAX.checked_shl(32 - bits).unwrap_or(0);
            u32::from(addr) & mask == u32::from(client) & mask
        }
        _ => false,
    }
}

/// Whether `name` is a valid secret name: 1–127 characters of `[0-9a-zA-Z-]`.
pub fn valid_secret_name(name: &str) -> bool {
    (1..=MAX_SECRET_NAME_CHARS).contains(&name.len())
        && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

/// Checks Key Vault's size limits; the error is a message for the caller (never the value).
pub fn check_limits(
    value: Option<&str>,
    content_type: Option<&str>,
    tags: Option<&BTreeMap<String, String>>,
) -> Result<(), String> {
    if let Some(value) = value {
        if value.len() > MAX_VALUE_BYTES {
            return Err(format!(
                "The secret value is {} bytes long; the maximum is {MAX_VALUE_BYTES} bytes.",
                value.len()
            ));
        }
    }
    if content_type.is_some_and(|c| c.chars().count() > MAX_CONTENT_TYPE_CHARS) {
        return Err(format!(
            "The content type is longer than {MAX_CONTENT_TYPE_CHARS} characters."
        ));
    }
    if let Some(tags) = tags {
        if tags.len() > MAX_TAGS {
            return Err(format!(
                "The number of tags ({}) exceeds the maximum of {MAX_TAGS}.",
                tags.len()
            ));
        }
        for (name, value) in tags {
            if name.chars().count() > MAX_TAG_CHARS {
                return Err(format!(
                    "A tag name is longer than {MAX_TAG_CHARS} characters."
                ));
            }
            if value.chars().count() > MAX_TAG_CHARS {
                return Err(format!(
                    "The value of tag '{name}' is longer than {MAX_TAG_CHARS} characters."
                ));
            }
        }
    }
    Ok(())
}

/// A new 32-hex-digit version identifier.
pub fn new_version_id() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_limits() {
        assert!(valid_secret_name("Payroll-API-client-secret"));
        assert!(valid_secret_name(&"a".repeat(127)));
        assert!(!valid_secret_name(&"a".repeat(128)));
        assert!(!valid_secret_name(""));
        assert!(!valid_secret_name("under_score"));
        assert!(check_limits(Some(&"x".repeat(MAX_VALUE_BYTES)), None, None).is_ok());
        assert!(check_limits(Some(&"x".repeat(MAX_VALUE_BYTES + 1)), None, None).is_err());
        let tags: BTreeMap<_, _> = (0..16).map(|i| (format!("t{i}"), "v".into())).collect();
        assert!(check_limits(None, None, Some(&tags)).is_err());
    }

    #[test]
    fn firewall_rules() {
        let mut acls = NetworkAcls::open();
        let local: std::net::IpAddr = "127.0.0.1".parse().unwrap();
        assert!(acls.admits(local));
        acls.default_action = "Deny".into();
        assert!(!acls.admits(local));
        acls.ip_rules = vec!["127.0.0.0/8".into()];
        assert!(acls.admits(local));
        acls.ip_rules = vec!["10.0.0.1".into()];
        assert!(!acls.admits(local));
    }
}
