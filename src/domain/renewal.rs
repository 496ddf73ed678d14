//! Renewing a client secret in place, many at once (the overview's "Renew many at once"): the
//! new secret's description, which names the secret it replaces, and the tags of the vault
//! version that holds it, which name it too. Together they are the run's only memory: after a
//! reload, what Graph and the vault's tags say is enough to tell what was renewed, what is left,
//! and which new secret lost its value on the way (an orphan, to remove before trying again).

use super::description::{truncate_chars, MAX_DESCRIPTION_CHARS};
use super::tags::{credential_tags, StoredCredential, Tags, MAX_TAGS};

/// The tag on the new vault version naming the keyId of the credential it replaces.
pub const REPLACES_TAG: &str = "ReplacesCredentialId";

/// How a renewal's description starts: `Renews {old keyId} `.
const PREFIX: &str = "Renews ";

/// "Renews {old keyId} via secret-wizard on 2026-12-04 by dan@contoso.example", cut to
/// Graph's 100 characters (the keyId first, so it is never cut).
pub fn description(old_key_id: &str, upn: &str, date: chrono::NaiveDate) -> String {
    let who: String = upn.trim().chars().filter(|c| !c.is_control()).collect();
    let text = if who.is_empty() {
        format!("{PREFIX}{old_key_id} via secret-wizard on {date}")
    } else {
        format!("{PREFIX}{old_key_id} via secret-wizard on {date} by {who}")
    };
    truncate_chars(&text, MAX_DESCRIPTION_CHARS)
}

/// Whether a credential's description says it renews `old_key_id` (GUIDs compared without
/// regard to case).
pub fn renews(description: Option<&str>, old_key_id: &str) -> bool {
    let Some(rest) = description.and_then(|d| d.strip_prefix(PREFIX)) else {
        return false;
    };
    match rest.get(..old_key_id.len()) {
        Some(id) if id.eq_ignore_ascii_case(old_key_id) => rest[old_key_id.len()..]
            .chars()
            .next()
            .is_none_or(|c| c == ' '),
        _ => false,
    }
}

/// The tags of the new vault version: the wizard's tags for the new credential, the
/// [`REPLACES_TAG`], and as many of the version's other tags (anyone's: `environment`,
/// `owner`…) as Key Vault's 15 allow, so a renewal keeps what others wrote beside it. Tags the
/// wizard writes are replaced, whatever their case.
pub fn version_tags(new: &StoredCredential<'_>, replaces: &str, existing: &Tags) -> Tags {
    let mut tags = credential_tags(new);
    tags.insert(REPLACES_TAG.into(), replaces.to_string());
    let ours = |k: &str| tags.keys().any(|t| t.eq_ignore_ascii_case(k));
    let kept: Vec<(String, String)> = existing
        .iter()
        .filter(|(k, _)| !ours(k) && !k.eq_ignore_ascii_case(super::tags::THUMBPRINT_TAG))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    for (k, v) in kept {
        if tags.len() >= MAX_TAGS {
            break;
        }
        tags.insert(k, v);
    }
    tags
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    const OLD: &str = "6b2f7c1e-0a4d-4c6e-9f3a-2d1b8e7c5a90";

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
    }

    #[test]
    fn the_description_names_the_old_key_first_and_fits_graphs_limit() {
        let d = description(OLD, "dan@contoso.example", date());
        assert_eq!(
            d,
            format!("Renews {OLD} via secret-wizard on 2026-12-04 by dan@contoso.example")
        );
        let long = description(OLD, &"x".repeat(80), date());
        assert_eq!(long.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(long.starts_with(&format!("Renews {OLD} ")));
        assert!(renews(Some(&long), OLD));
        assert_eq!(
            description(OLD, " \n", date()),
            format!("Renews {OLD} via secret-wizard on 2026-12-04")
        );
    }

    #[test]
    fn renews_matches_only_that_key() {
        let d = description(OLD, "dan@contoso.example", date());
        assert!(renews(Some(&d), OLD));
        assert!(renews(Some(&d), &OLD.to_uppercase()));
        assert!(!renews(Some(&d), "6b2f7c1e"));
        assert!(!renews(Some(&d), "00000000-0a4d-4c6e-9f3a-2d1b8e7c5a90"));
        assert!(!renews(Some(&format!("Renews {OL}X", OL = OLD)), OLD));
        assert!(!renews(Some("Created by dan"), OLD));
        assert!(!renews(None, OLD));
        assert!(renews(Some(&format!("Renews {OLD}")), OLD));
    }

    #[test]
    fn version_tags_replace_ours_keep_others_and_stay_within_fifteen() {
        let new = StoredCredential {
            app_display_name: "Payroll API",
            client_id: "c",
            app_object_id: "o",
            credential_id: "new-key",
            validity_days: 180,
            created_by: "ada@contoso.example",
        };
        let mut existing = Tags::new();
        existing.insert("credentialid".into(), OLD.into());
        existing.insert("environment".into(), "prod".into());
        existing.insert("Thumbprint".into(), "AB".into());
        let tags = version_tags(&new, OLD, &existing);
        assert_eq!(
            tags.get("CredentialId").map(String::as_str),
            Some("new-key")
        );
        assert_eq!(tags.get(REPLACES_TAG).map(String::as_str), Some(OLD));
        assert_eq!(tags.get("environment").map(String::as_str), Some("prod"));
        assert!(!tags.contains_key("credentialid") && !tags.contains_key("Thumbprint"));
        for i in 0..20 {
            existing.insert(format!("t{i:02}"), "v".into());
        }
        let full = version_tags(&new, OLD, &existing);
        assert_eq!(full.len(), MAX_TAGS);
        assert_eq!(full.get(REPLACES_TAG).map(String::as_str), Some(OLD));
    }
}
