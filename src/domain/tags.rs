//! Tags written on a vault secret, so anyone (and Microsoft's rotation function, which reads
//! `CredentialId`, `ProviderAddress` and `ValidityPeriodDays`) can tell what it belongs to.

use std::collections::BTreeMap;

use super::description::truncate_chars;

/// Key Vault's limits: at most 15 tags, names and values up to 256 characters.
pub const MAX_TAGS: usize = 15;
pub const MAX_TAG_CHARS: usize = 256;

/// What the tags describe.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredCredential<'a> {
    pub app_display_name: &'a str,
    pub client_id: &'a str,
    pub app_object_id: &'a str,
    /// The new secret's `keyId`.
    pub credential_id: &'a str,
    pub validity_days: u32,
    /// The signed-in user's UPN.
    pub created_by: &'a str,
}

/// Tag names and values, sorted by name.
pub type Tags = BTreeMap<String, String>;

/// Why a set of tags would be refused by Key Vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TagError {
    TooMany { count: usize },
    NameTooLong(String),
    ValueTooLong(String),
}

/// The tags for a stored client secret. Values longer than 256 characters are cut with "…".
pub fn credential_tags(c: &StoredCredential<'_>) -> Tags {
    let entries = [
        ("AppDisplayName", c.app_display_name.to_string()),
        ("ClientId", c.client_id.to_string()),
        ("AppObjectId", c.app_object_id.to_string()),
        ("CredentialId", c.credential_id.to_string()),
        ("ProviderAddress", c.app_object_id.to_string()),
        ("ValidityPeriodDays", c.validity_days.to_string()),
        ("CreatedBy", c.created_by.to_string()),
        ("CreatedWith", "secret-wizard".to_string()),
    ];
    entries
        .into_iter()
        .map(|(k, v)| (k.to_string(), truncate_chars(&v, MAX_TAG_CHARS)))
        .collect()
}

/// Checks count and lengths (for tags merged with ones a vault already had).
pub fn check_tags(tags: &Tags) -> Result<(), TagError> {
    if tags.len() > MAX_TAGS {
        return Err(TagError::TooMany { count: tags.len() });
    }
    for (k, v) in tags {
        if k.chars().count() > MAX_TAG_CHARS {
            return Err(TagError::NameTooLong(k.clone()));
        }
        if v.chars().count() > MAX_TAG_CHARS {
            return Err(TagError::ValueTooLong(k.clone()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> StoredCredential<'_> {
        StoredCredential {
            app_display_name: name,
            client_id: "631a96bc-a705-4eda-9f99-fdaf9f54f6a2",
            app_object_id: "03ef14b0-ca33-4840-8f4f-d6e91916010e",
            credential_id: "f0b0b335-1d71-4883-8f98-567911bfdca6",
            validity_days: 730,
            created_by: "dan@contoso.example",
        }
    }

    #[test]
    fn tags_carry_the_rotation_contract() {
        let t = credential_tags(&sample("Payroll API"));
        assert_eq!(t.len(), 8);
        assert_eq!(t["AppDisplayName"], "Payroll API");
        assert_eq!(t["ClientId"], "631a96bc-a705-4eda-9f99-fdaf9f54f6a2");
        assert_eq!(t["CredentialId"], "f0b0b335-1d71-4883-8f98-567911bfdca6");
        assert_eq!(t["ProviderAddress"], "03ef14b0-ca33-4840-8f4f-d6e91916010e");
        assert_eq!(t["AppObjectId"], t["ProviderAddress"]);
        assert_eq!(t["ValidityPeriodDays"], "730");
        assert_eq!(t["CreatedBy"], "dan@contoso.example");
        assert_eq!(t["CreatedWith"], "secret-wizard");
        assert_eq!(check_tags(&t), Ok(()));
    }

    #[test]
    fn long_display_names_are_cut_with_an_ellipsis() {
        let long = "Ä".repeat(300);
        let t = credential_tags(&sample(&long));
        let v = &t["AppDisplayName"];
        assert_eq!(v.chars().count(), 256);
        assert!(v.ends_with("Ä…"));
        assert_eq!(check_tags(&t), Ok(()));
    }

    #[test]
    fn limits_are_enforced() {
        let mut t = credential_tags(&sample("x"));
        for i in 0..7 {
            t.insert(format!("extra{i}"), "v".into());
        }
        assert_eq!(check_tags(&t), Ok(()));
        t.insert("one-too-many".into(), "v".into());
        assert_eq!(check_tags(&t), Err(TagError::TooMany { count: 16 }));
        let mut t = credential_tags(&sample("x"));
        t.insert("k".repeat(257), "v".into());
        assert!(matches!(check_tags(&t), Err(TagError::NameTooLong(_))));
        let mut t = credential_tags(&sample("x"));
        t.insert("Note".into(), "v".repeat(257));
        assert_eq!(check_tags(&t), Err(TagError::ValueTooLong("Note".into())));
    }
}
