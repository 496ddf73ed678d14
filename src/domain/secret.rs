//! The one type that holds a client secret's value.

use zeroize::Zeroizing;

/// A client secret value (Graph `secretText`). Zeroised when dropped.
///
/// Deliberately not `Clone`, `Display`, `Serialize` or comparable: there is one owner, and the
/// only way to read the value is [`SecretValue::expose`], at the point where it is written into
/// a vault request or the clipboard. If UI state must be cloned, share it as `Rc<SecretValue>`.
pub struct SecretValue(Zeroizing<String>);

impl SecretValue {
    /// Takes ownership of an already-zeroising string; the value is not copied.
    pub fn new(value: Zeroizing<String>) -> Self {
        Self(value)
    }

    /// The value itself. Use it only to build a vault request or to copy to the clipboard.
    pub fn expose(&self) -> &str {
        self.0.as_str()
    }

    /// Number of characters, safe to show ("40 characters").
    pub fn char_count(&self) -> usize {
        self.0.chars().count()
    }
}

impl std::fmt::Debug for SecretValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretValue(<redacted, {} chars>)", self.char_count())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_redacts_the_value_and_reports_its_length() {
        let s = SecretValue::new(Zeroizing::new("hunter2-hunter2".to_string()));
        let dbg = format!("{s:?}");
        assert_eq!(dbg, "SecretValue(<redacted, 15 chars>)");
        assert!(!dbg.contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-hunter2");
    }

    #[test]
    fn char_count_counts_characters_not_bytes() {
        let s = SecretValue::new(Zeroizing::new("é~é".to_string()));
        assert_eq!(s.char_count(), 3);
    }
}
