//! The new secret's description (Graph `displayName`): a useful default, and its checks.

use chrono::{DateTime, TimeZone};

/// Longest description accepted (characters).
pub const MAX_DESCRIPTION_CHARS: usize = 100;

/// Why a description was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DescriptionError {
    Empty,
    TooLong { chars: usize },
    ControlCharacter,
}

impl DescriptionError {
    pub fn user_message(&self) -> String {
        match self {
            DescriptionError::Empty => {
                "Enter a description, so others can tell this secret apart later.".into()
            }
            DescriptionError::TooLong { chars } => format!(
                "Keep the description to {MAX_DESCRIPTION_CHARS} characters or fewer \
                 (it has {chars})."
            ),
            DescriptionError::ControlCharacter => {
                "The description can't contain line breaks, tabs, or invisible or \
                 text-direction control characters."
                    .into()
            }
        }
    }
}

impl std::fmt::Display for DescriptionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for DescriptionError {}

/// "Created by dan@contoso.example on 2026-11-26 via secret-wizard", cut to the limit.
/// The date is `now`'s calendar date in its own time zone.
pub fn default_description<Tz: TimeZone>(created_by: &str, now: &DateTime<Tz>) -> String {
    let who: String = created_by
        .trim()
        .chars()
        .filter(|c| !is_hidden_control(*c))
        .collect();
    let date = now.date_naive();
    let full = if who.is_empty() {
        format!("Created on {date} via secret-wizard")
    } else {
        format!("Created by {who} on {date} via secret-wizard")
    };
    truncate_chars(&full, MAX_DESCRIPTION_CHARS)
}

/// The description to send: trimmed, required, at most 100 characters, no control characters.
pub fn validate_description(input: &str) -> Result<String, DescriptionError> {
    let text = input.trim();
    if text.is_empty() {
        return Err(DescriptionError::Empty);
    }
    if text.chars().any(is_hidden_control) {
        return Err(DescriptionError::ControlCharacter);
    }
    let chars = text.chars().count();
    if chars > MAX_DESCRIPTION_CHARS {
        return Err(DescriptionError::TooLong { chars });
    }
    Ok(text.to_string())
}

/// At most `max` characters; a cut string ends with "…" (which counts as one).
/// Control characters, and the invisible format characters that can make a description read
/// differently from what it is (bidi overrides and isolates, zero-width space, BOM). The zero-width
/// joiner and non-joiner stay allowed: emoji sequences and several scripts need them.
fn is_hidden_control(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{061C}' | '\u{200B}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
        )
        || ('\u{202A}'..='\u{202E}').contains(&c)
        || ('\u{2066}'..='\u{2069}').contains(&c)
}

pub(crate) fn truncate_chars(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let mut out: String = s.chars().take(max.saturating_sub(1)).collect();
    out.push('…');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{FixedOffset, Utc};

    #[test]
    fn default_names_the_creator_and_local_date() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap();
        assert_eq!(
            default_description("dan@contoso.example", &now),
            "Created by dan@contoso.example on 2026-11-26 via secret-wizard"
        );
        let syd = now.with_timezone(&FixedOffset::east_opt(10 * 3600).unwrap());
        assert_eq!(
            default_description("dan@contoso.example", &syd),
            "Created by dan@contoso.example on 2026-11-27 via secret-wizard"
        );
        assert_eq!(
            default_description("  ", &now),
            "Created on 2026-11-26 via secret-wizard"
        );
    }

    #[test]
    fn default_is_always_valid_even_for_long_names() {
        let now = Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap();
        let long = format!("{}@contoso.example", "a".repeat(150));
        let d = default_description(&long, &now);
        assert_eq!(d.chars().count(), MAX_DESCRIPTION_CHARS);
        assert!(d.ends_with('…'));
        assert_eq!(validate_description(&d), Ok(d.clone()));
        let with_newline = default_description("evil\nname", &now);
        assert!(validate_description(&with_newline).is_ok());
    }

    #[test]
    fn validation_rules() {
        assert_eq!(validate_description("  ok  "), Ok("ok".into()));
        assert_eq!(validate_description(" \t "), Err(DescriptionError::Empty));
        assert_eq!(
            validate_description("a\u{7}b"),
            Err(DescriptionError::ControlCharacter)
        );
        assert_eq!(
            validate_description("line\nbreak"),
            Err(DescriptionError::ControlCharacter)
        );
        assert_eq!(
            validate_description("invoice \u{202E}gnp.exe"),
            Err(DescriptionError::ControlCharacter)
        );
        assert_eq!(
            validate_description("pay\u{200B}roll"),
            Err(DescriptionError::ControlCharacter)
        );
        assert!(validate_description("\u{1F469}\u{200D}\u{1F4BB} dev").is_ok());
        assert!(validate_description(&default_description(
            "\u{202E}evil",
            &Utc.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap()
        ))
        .is_ok());
        assert_eq!(validate_description(&"é".repeat(100)).unwrap().len(), 200);
        assert_eq!(
            validate_description(&"é".repeat(101)),
            Err(DescriptionError::TooLong { chars: 101 })
        );
    }
}
