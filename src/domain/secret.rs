//! The one type that holds a client secret's value.

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

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

/// JSON text for a request body that embeds a secret, written without leaving copies behind.
///
/// `with_secret` serialises the body; `without_secret` the same body with an empty value. The
/// buffer is allocated once, large enough for the worst-case escaping of the secret, so it never
/// reallocates (which would free an unzeroised partial copy). Returns an empty string in the
/// impossible case that serialisation fails, after zeroising what was written.
pub(crate) fn secret_json_body<T: Serialize>(
    with_secret: &T,
    without_secret: &T,
    secret: &SecretValue,
) -> String {
    let rest = serde_json::to_vec(without_secret).map_or(0, |v| v.len());
    // Every byte of the value escapes to at most six bytes ("\u001f").
    let capacity = rest + secret.expose().len() * 6 + 16;
    let mut buf = Zeroizing::new(Vec::with_capacity(capacity));
    let allocated = buf.capacity();
    if serde_json::to_writer(&mut *buf, with_secret).is_err() {
        return String::new();
    }
    debug_assert_eq!(buf.capacity(), allocated, "the body buffer reallocated");
    match String::from_utf8(std::mem::take(&mut *buf)) {
        Ok(text) => text,
        Err(e) => {
            e.into_bytes().zeroize();
            String::new()
        }
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
    fn secret_json_body_escapes_without_reallocating() {
        #[derive(Serialize)]
        struct Body<'a> {
            value: &'a str,
            tag: &'a str,
        }
        // Control characters escape to six bytes each: the worst case the buffer is sized for.
        let s = SecretValue::new(Zeroizing::new("\u{1}\u{2}\"x".repeat(20)));
        let json = secret_json_body(
            &Body {
                value: s.expose(),
                tag: "t",
            },
            &Body {
                value: "",
                tag: "t",
            },
            &s,
        );
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back["value"].as_str(), Some(s.expose()));
        assert_eq!(back["tag"], "t");
    }

    #[test]
    fn char_count_counts_characters_not_bytes() {
        let s = SecretValue::new(Zeroizing::new("é~é".to_string()));
        assert_eq!(s.char_count(), 3);
    }
}
