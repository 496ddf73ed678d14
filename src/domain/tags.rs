//! Tags written on a vault secret, so anyone (and Microsoft's rotation function, which reads
//! `CredentialId`, `ProviderAddress` and `ValidityPeriodDays`) can tell what it belongs to, and
//! reading them back ([`tagged_for`]): is an existing vault secret this app's, another app's, or
//! unknown? Storing over another app's secret replaces what that app reads, so the vault step
//! asks first.

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

/// The tag of a stored certificate credential's PEM: its thumbprint (SHA-1, upper-case hex,
/// as the app's `customKeyIdentifier`).
pub const THUMBPRINT_TAG: &str = "Thumbprint";

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

/// The tag names that say which app a vault secret belongs to: `ClientId` (what secret-wizard
/// writes), and `AppObjectId` / `ProviderAddress` (the object ID; `ProviderAddress` is the
/// contract of Microsoft's Key Vault rotation functions). `CredentialId` names a credential, not
/// an app: on its own it can't tell one app from another.
pub const CLIENT_ID_TAG: &str = "ClientId";
pub const APP_OBJECT_ID_TAGS: [&str; 2] = ["AppObjectId", "ProviderAddress"];

/// Whose secret an existing vault secret is, by its tags (as written: anyone who may write
/// the vault may write any tags, so this informs, it does not prove).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TaggedFor {
    /// No tag names an app.
    Unknown,
    /// Every app tag names this app.
    ThisApp,
    /// An app tag names another app.
    OtherApp(OtherApp),
}

/// Another app, as a vault secret's tags name it (values made printable and short).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtherApp {
    pub client_id: Option<String>,
    pub object_id: Option<String>,
    /// `AppDisplayName`: unverified, so shown with a question mark.
    pub display_name: Option<String>,
}

impl OtherApp {
    /// "the app with client ID 4b38…(Onboarding Portal?)", or by object ID when that is all
    /// the tags say.
    pub fn describe(&self) -> String {
        let who = match (&self.client_id, &self.object_id) {
            (Some(c), _) => format!("the app with client ID {c}"),
            (None, Some(o)) => format!("the app with object ID {o}"),
            (None, None) => "another app".to_string(),
        };
        match &self.display_name {
            Some(n) => format!("{who} ({n}?)"),
            None => who,
        }
    }
}

/// The value of tag `name`, compared without regard to case (Azure tag names are not
/// case-sensitive), trimmed; `None` when missing or empty.
pub fn tag<'a>(tags: &'a Tags, name: &str) -> Option<&'a str> {
    tags.iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.trim())
        .filter(|v| !v.is_empty())
}

/// A tag value fit for a sentence: at most 64 characters, control and invisible format
/// characters (bidi overrides, zero-width) as `?`.
fn printable(value: &str) -> String {
    let hidden = |c: char| {
        c.is_control()
            || matches!(
                c,
                '\u{061C}' | '\u{200B}'..='\u{200F}' | '\u{2060}' | '\u{FEFF}'
            )
            || ('\u{202A}'..='\u{202E}').contains(&c)
            || ('\u{2066}'..='\u{2069}').contains(&c)
    };
    let clean: String = value
        .chars()
        .map(|c| if hidden(c) { '?' } else { c })
        .collect();
    truncate_chars(&clean, 64)
}

/// Whose secret a vault secret with `tags` is, for the app with `client_id` and `object_id`.
/// Any app tag that names something else makes it another app's.
pub fn tagged_for(tags: &Tags, client_id: &str, object_id: &str) -> TaggedFor {
    let tagged_client = tag(tags, CLIENT_ID_TAG);
    let tagged_objects: Vec<&str> = APP_OBJECT_ID_TAGS
        .iter()
        .filter_map(|n| tag(tags, n))
        .collect();
    if tagged_client.is_none() && tagged_objects.is_empty() {
        return TaggedFor::Unknown;
    }
    let client_differs = tagged_client.is_some_and(|c| !c.eq_ignore_ascii_case(client_id.trim()));
    let other_object = tagged_objects
        .iter()
        .find(|o| !o.eq_ignore_ascii_case(object_id.trim()));
    if !client_differs && other_object.is_none() {
        return TaggedFor::ThisApp;
    }
    TaggedFor::OtherApp(OtherApp {
        client_id: tagged_client.map(printable),
        object_id: other_object
            .or(tagged_objects.first())
            .map(|o| printable(o)),
        display_name: tag(tags, "AppDisplayName").map(printable),
    })
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

    const PAYROLL_CLIENT: &str = "631a96bc-a705-4eda-9f99-fdaf9f54f6a2";
    const PAYROLL_OBJECT: &str = "03ef14b0-ca33-4840-8f4f-d6e91916010e";

    fn tags(pairs: &[(&str, &str)]) -> Tags {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn the_apps_own_tags_are_this_apps_whatever_the_case() {
        let own = credential_tags(&sample("Payroll API"));
        assert_eq!(
            tagged_for(&own, PAYROLL_CLIENT, PAYROLL_OBJECT),
            TaggedFor::ThisApp
        );
        let upper = tags(&[("clientid", &PAYROLL_CLIENT.to_uppercase())]);
        assert_eq!(
            tagged_for(&upper, PAYROLL_CLIENT, PAYROLL_OBJECT),
            TaggedFor::ThisApp
        );
        // The rotation function's contract alone (object ID as ProviderAddress).
        let rotation = tags(&[("ProviderAddress", PAYROLL_OBJECT), ("CredentialId", "k1")]);
        assert_eq!(
            tagged_for(&rotation, PAYROLL_CLIENT, PAYROLL_OBJECT),
            TaggedFor::ThisApp
        );
    }

    #[test]
    fn another_apps_client_id_or_object_id_makes_it_theirs() {
        let other = tags(&[
            ("ClientId", "4b38840a-d113-4409-8449-8af23f5dbc47"),
            ("AppDisplayName", "Onboarding Portal"),
            ("CredentialId", "f0b0b335-1d71-4883-8f98-567911bfdca6"),
        ]);
        let TaggedFor::OtherApp(o) = tagged_for(&other, PAYROLL_CLIENT, PAYROLL_OBJECT) else {
            panic!("another app's");
        };
        assert_eq!(
            o.describe(),
            "the app with client ID 4b38840a-d113-4409-8449-8af23f5dbc47 (Onboarding Portal?)"
        );
        // Only an object ID (Microsoft's rotation function), and it is not this app's.
        let rotation = tags(&[("ProviderAddress", "9e9e9e9e-0000-4000-8000-000000000001")]);
        let TaggedFor::OtherApp(o) = tagged_for(&rotation, PAYROLL_CLIENT, PAYROLL_OBJECT) else {
            panic!("another app's");
        };
        assert_eq!(
            o.describe(),
            "the app with object ID 9e9e9e9e-0000-4000-8000-000000000001"
        );
        // Tags that disagree: any other app named makes it not (only) this app's.
        let mixed = tags(&[
            ("ClientId", PAYROLL_CLIENT),
            ("AppObjectId", "9e9e9e9e-0000-4000-8000-000000000001"),
        ]);
        assert!(matches!(
            tagged_for(&mixed, PAYROLL_CLIENT, PAYROLL_OBJECT),
            TaggedFor::OtherApp(_)
        ));
    }

    #[test]
    fn without_app_tags_the_owner_is_unknown() {
        for t in [
            tags(&[]),
            tags(&[("CredentialId", "f0b0b335-1d71-4883-8f98-567911bfdca6")]),
            tags(&[("ClientId", "  "), ("environment", "prod")]),
        ] {
            assert_eq!(
                tagged_for(&t, PAYROLL_CLIENT, PAYROLL_OBJECT),
                TaggedFor::Unknown,
                "{t:?}"
            );
        }
    }

    #[test]
    fn tag_values_are_shown_short_and_without_hidden_characters() {
        let long = format!("Evil\u{202E}App\u{200B}{}", "x".repeat(100));
        let t = tags(&[("ClientId", "not\na-guid"), ("AppDisplayName", &long)]);
        let TaggedFor::OtherApp(o) = tagged_for(&t, PAYROLL_CLIENT, PAYROLL_OBJECT) else {
            panic!("another app's");
        };
        assert_eq!(o.client_id.as_deref(), Some("not?a-guid"));
        let name = o.display_name.unwrap();
        assert!(name.starts_with("Evil?App?xx"), "{name}");
        assert_eq!(name.chars().count(), 64);
        assert!(name.ends_with('…'));
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
