//! Key Vault names: the secret name made from a template, and the rules for secret and vault
//! names (letters, digits and dashes; secret names 1–127 characters and case-insensitive).

use chrono::NaiveDate;

/// Longest Key Vault secret name.
pub const MAX_SECRET_NAME: usize = 127;

/// Why a secret name was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SecretNameError {
    Empty,
    TooLong {
        chars: usize,
    },
    /// The characters that are not allowed, each listed once, in order of appearance.
    InvalidCharacters(String),
}

impl SecretNameError {
    pub fn user_message(&self) -> String {
        match self {
            SecretNameError::Empty => "Enter a name for the secret in Key Vault.".into(),
            SecretNameError::TooLong { chars } => format!(
                "Key Vault secret names can be at most {MAX_SECRET_NAME} characters (this one has {chars})."
            ),
            SecretNameError::InvalidCharacters(bad) => format!(
                "Key Vault secret names can only use letters, digits and dashes; remove {}.",
                bad.chars()
                    .map(|c| if c == ' ' { "spaces".to_string() } else { format!("\"{c}\"") })
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
}

impl std::fmt::Display for SecretNameError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for SecretNameError {}

/// Why a vault name is not a valid Key Vault name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaultNameError {
    Length,
    MustStartWithLetter,
    MustEndWithLetterOrDigit,
    InvalidCharacter,
    ConsecutiveDashes,
}

impl VaultNameError {
    pub fn user_message(&self) -> &'static str {
        match self {
            VaultNameError::Length => "Vault names are 3 to 24 characters long.",
            VaultNameError::MustStartWithLetter => "Vault names start with a letter.",
            VaultNameError::MustEndWithLetterOrDigit => "Vault names end with a letter or digit.",
            VaultNameError::InvalidCharacter => {
                "Vault names can only use letters, digits and dashes."
            }
            VaultNameError::ConsecutiveDashes => "Vault names can't contain two dashes in a row.",
        }
    }
}

fn allowed(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-'
}

/// Any run of disallowed characters or dashes becomes one dash; no dash at either end.
pub fn sanitize_secret_name(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        let c = if allowed(c) { c } else { '-' };
        if c == '-' && (out.is_empty() || out.ends_with('-')) {
            continue;
        }
        out.push(c);
    }
    let mut out: String = out.chars().take(MAX_SECRET_NAME).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The secret name from a template with `{app}` (display name), `{appId}` (client ID) and
/// `{date}` (YYYY-MM-DD), sanitised. Falls back to "client-secret" if nothing usable is left.
pub fn secret_name_from_template(
    template: &str,
    app_display_name: &str,
    app_id: &str,
    date: NaiveDate,
) -> String {
    let filled = template
        .replace("{app}", app_display_name)
        .replace("{appId}", app_id)
        .replace("{date}", &date.to_string());
    let name = sanitize_secret_name(&filled);
    if name.is_empty() {
        "client-secret".into()
    } else {
        name
    }
}

/// Checks a secret name as typed (no silent fixing).
pub fn validate_secret_name(name: &str) -> Result<(), SecretNameError> {
    if name.is_empty() {
        return Err(SecretNameError::Empty);
    }
    let mut bad = String::new();
    for c in name.chars().filter(|c| !allowed(*c)) {
        if !bad.contains(c) {
            bad.push(c);
        }
    }
    if !bad.is_empty() {
        return Err(SecretNameError::InvalidCharacters(bad));
    }
    let chars = name.chars().count();
    if chars > MAX_SECRET_NAME {
        return Err(SecretNameError::TooLong { chars });
    }
    Ok(())
}

/// Key Vault compares secret names without regard to case.
pub fn same_secret_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// Checks a vault name: 3–24 characters, letters, digits and single dashes, starting with a
/// letter and ending with a letter or digit.
pub fn validate_vault_name(name: &str) -> Result<(), VaultNameError> {
    let len = name.chars().count();
    if !(3..=24).contains(&len) {
        return Err(VaultNameError::Length);
    }
    if !name.chars().all(allowed) {
        return Err(VaultNameError::InvalidCharacter);
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return Err(VaultNameError::MustStartWithLetter);
    }
    if !name.ends_with(|c: char| c.is_ascii_alphanumeric()) {
        return Err(VaultNameError::MustEndWithLetterOrDigit);
    }
    if name.contains("--") {
        return Err(VaultNameError::ConsecutiveDashes);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
    }

    #[test]
    fn template_placeholders_are_filled_and_sanitised() {
        assert_eq!(
            secret_name_from_template("{app}-client-secret", "Payroll API", "x", d()),
            "Payroll-API-client-secret"
        );
        assert_eq!(
            secret_name_from_template(
                "{appId}-{date}",
                "x",
                "631a96bc-a705-4eda-9f99-fdaf9f54f6a2",
                d()
            ),
            "631a96bc-a705-4eda-9f99-fdaf9f54f6a2-2026-11-26"
        );
        assert_eq!(
            secret_name_from_template(
                "{app}-client-secret",
                "  Café / Onboarding -- Portal! ",
                "x",
                d()
            ),
            "Caf-Onboarding-Portal-client-secret"
        );
        assert_eq!(
            secret_name_from_template("{app}", "日本語", "x", d()),
            "client-secret"
        );
    }

    #[test]
    fn sanitising_collapses_trims_and_caps_length() {
        assert_eq!(sanitize_secret_name("--a__b  c--"), "a-b-c");
        assert_eq!(sanitize_secret_name("***"), "");
        let long = sanitize_secret_name(&format!("{}-{}", "a".repeat(126), "bbbb"));
        assert_eq!(
            long.len(),
            126,
            "the cut left a trailing dash, which is trimmed"
        );
        assert_eq!(
            sanitize_secret_name(&"z".repeat(300)).len(),
            MAX_SECRET_NAME
        );
        for raw in ["Payroll API", "x.y/z", "ä-ö", &"q".repeat(200)] {
            let s = sanitize_secret_name(raw);
            assert!(s.is_empty() || validate_secret_name(&s).is_ok(), "{s}");
        }
    }

    #[test]
    fn validation_reports_what_is_wrong() {
        assert_eq!(validate_secret_name("Payroll-API-1"), Ok(()));
        assert_eq!(validate_secret_name(""), Err(SecretNameError::Empty));
        assert_eq!(
            validate_secret_name("a b_c d"),
            Err(SecretNameError::InvalidCharacters(" _".into()))
        );
        assert_eq!(
            SecretNameError::InvalidCharacters(" _".into()).user_message(),
            "Key Vault secret names can only use letters, digits and dashes; remove spaces, \"_\"."
        );
        assert_eq!(validate_secret_name(&"a".repeat(127)), Ok(()));
        assert_eq!(
            validate_secret_name(&"a".repeat(128)),
            Err(SecretNameError::TooLong { chars: 128 })
        );
        assert!(same_secret_name("Payroll-API", "payroll-api"));
        assert!(!same_secret_name("payroll-api", "payroll-api2"));
    }

    #[test]
    fn vault_names() {
        assert_eq!(validate_vault_name("kv-contoso-prod"), Ok(()));
        assert_eq!(validate_vault_name("abc"), Ok(()));
        assert_eq!(validate_vault_name(&"a".repeat(24)), Ok(()));
        assert_eq!(validate_vault_name("ab"), Err(VaultNameError::Length));
        assert_eq!(
            validate_vault_name(&"a".repeat(25)),
            Err(VaultNameError::Length)
        );
        assert_eq!(
            validate_vault_name("1kv"),
            Err(VaultNameError::MustStartWithLetter)
        );
        assert_eq!(
            validate_vault_name("kv-"),
            Err(VaultNameError::MustEndWithLetterOrDigit)
        );
        assert_eq!(
            validate_vault_name("kv--a"),
            Err(VaultNameError::ConsecutiveDashes)
        );
        assert_eq!(
            validate_vault_name("kv_a"),
            Err(VaultNameError::InvalidCharacter)
        );
    }
}
