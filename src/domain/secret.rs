//! The one type that holds a client secret's value.

use serde::Serialize;
use zeroize::{Zeroize, Zeroizing};

/// How many consecutive characters of the value [`SecretValue::scrub`] removes from text.
pub const SCRUB_RUN: usize = 8;
/// What [`SecretValue::scrub`] puts where part of the value was.
pub const SCRUBBED: &str = "[hidden]";

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

    /// `text` with every run of [`SCRUB_RUN`] consecutive characters of the value (all of it,
    /// when shorter) replaced by `[hidden]`: for service-supplied error text (Graph, ARM, Key
    /// Vault `message`s and details, a proxy's page) shown or kept while the value exists. A
    /// service or something in between may echo part of the request; 8 characters of a
    /// 40-character value is already more than anyone should see. Overlapping and adjacent runs
    /// merge into one `[hidden]`. Nothing is copied from the value: it is matched in place.
    pub fn scrub(&self, text: &str) -> String {
        let value = self.expose();
        if value.is_empty() || text.is_empty() {
            return text.to_string();
        }
        // Byte offsets of the value's characters, and its end.
        let bounds: Vec<usize> = value
            .char_indices()
            .map(|(i, _)| i)
            .chain([value.len()])
            .collect();
        let chars = bounds.len() - 1;
        let run = SCRUB_RUN.min(chars);
        let mut hidden = vec![false; text.len()];
        for k in 0..=chars - run {
            let needle = &value[bounds[k]..bounds[k + run]];
            let mut from = 0;
            while let Some(i) = text[from..].find(needle) {
                let at = from + i;
                hidden[at..at + needle.len()]
                    .iter_mut()
                    .for_each(|h| *h = true);
                // Overlapping matches too: go on from the next character.
                from = at + text[at..].chars().next().map_or(1, char::len_utf8);
            }
        }
        let mut out = String::with_capacity(text.len());
        let mut in_hidden = false;
        for (i, c) in text.char_indices() {
            if hidden[i] {
                if !in_hidden {
                    out.push_str(SCRUBBED);
                }
                in_hidden = true;
            } else {
                out.push(c);
                in_hidden = false;
            }
        }
        out
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

    fn value(s: &str) -> SecretValue {
        SecretValue::new(Zeroizing::new(s.to_string()))
    }

    #[test]
    fn scrub_removes_every_8_character_run_of_the_value() {
        let s = value("Zq8~s3cr3t.VALUE-never-log-me_0123456789");
        // The whole value, a run in the middle, the first and last 8 characters.
        assert_eq!(
            s.scrub("echo: Zq8~s3cr3t.VALUE-never-log-me_0123456789."),
            "echo: [hidden]."
        );
        assert_eq!(
            s.scrub("bad value 't.VALUE-ne' in body"),
            "bad value '[hidden]' in body"
        );
        assert_eq!(s.scrub("Zq8~s3cr…"), "[hidden]…");
        assert_eq!(s.scrub("…-23456789"), "…-[hidden]");
        // 7 characters are not a run; nothing else is touched.
        assert_eq!(s.scrub("Zq8~s3c and 3456789"), "Zq8~s3c and 3456789");
        assert_eq!(
            s.scrub("Secret 'payroll-api' was not set: Forbidden"),
            "Secret 'payroll-api' was not set: Forbidden"
        );
    }

    #[test]
    fn scrub_catches_the_value_split_across_the_text_and_overlapping_runs() {
        let s = value("Zq8~s3cr3t.VALUE-never-log-me_0123456789");
        // Split in two, each part longer than a run: both go; the words between stay.
        assert_eq!(
            s.scrub("first Zq8~s3cr3t.VAL then UE-never-log-me_0123456789 end"),
            "first [hidden] then [hidden] end"
        );
        // Overlapping runs (characters 0..8 and 4..12) and adjacent ones merge into one.
        assert_eq!(s.scrub("xZq8~s3cr3t.VAx"), "x[hidden]x");
        assert_eq!(s.scrub("Zq8~s3crZq8~s3cr"), "[hidden]");
        // A value that repeats itself inside: every occurrence, overlapping ones included.
        let r = value("abababababab");
        assert_eq!(r.scrub("-abababababa-"), "-[hidden]-");
    }

    #[test]
    fn scrub_leaves_short_text_and_handles_short_values_and_other_scripts() {
        let s = value("Zq8~s3cr3t.VALUE-never-log-me_0123456789");
        assert_eq!(s.scrub(""), "");
        assert_eq!(s.scrub("Zq8~"), "Zq8~");
        assert_eq!(s.scrub("é"), "é");
        // A value shorter than a run is removed where it appears whole.
        assert_eq!(value("abc12").scrub("x abc12 y abc1"), "x [hidden] y abc1");
        assert_eq!(value("").scrub("anything"), "anything");
        // Characters, not bytes: 8 characters of a value with multi-byte ones.
        let u = value("äöü€ß漢字かなカナ");
        assert_eq!(u.scrub("»ü€ß漢字かなカ«"), "»[hidden]«");
        assert_eq!(u.scrub("»ü€ß漢字かな«"), "»ü€ß漢字かな«");
    }

    #[test]
    fn char_count_counts_characters_not_bytes() {
        let s = SecretValue::new(Zeroizing::new("é~é".to_string()));
        assert_eq!(s.char_count(), 3);
    }
}
