//! Small pure helpers for what the wizard shows: thumbprints, dates, times.

use chrono::{DateTime, TimeZone, Utc};

use crate::domain::expiry;
use crate::runtime::Now;

/// A certificate thumbprint as hex ("A1B2…"), from Graph's base64 `customKeyIdentifier`.
/// `None` when it isn't base64.
pub fn thumbprint_hex(b64: &str) -> Option<String> {
    let bytes = decode_base64(b64)?;
    if bytes.is_empty() {
        return None;
    }
    Some(bytes.iter().map(|b| format!("{b:02X}")).collect())
}

/// Standard base64 with optional padding; `None` on anything else.
fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let text = text.trim().trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    (bits < 6).then_some(out)
}

/// "25 May 2027" in the user's zone, or "—".
pub fn date(t: Option<DateTime<Utc>>, now: &Now) -> String {
    t.map_or_else(|| "—".into(), |t| expiry::format_date(&t, &now.timezone()))
}

/// "25 May 2027, 10:42" in the user's zone.
pub fn date_time(t: DateTime<Utc>, now: &Now) -> String {
    let t = t.with_timezone(&now.timezone());
    format!(
        "{}, {}",
        expiry::day_month_year(t.date_naive()),
        expiry::hour_minute(&t)
    )
}

/// The end date a lifetime preset gives, for its radio button ("expires 25 May 2027").
pub fn expires_on<Tz: TimeZone>(end: DateTime<Utc>, now: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    format!("expires {}", expiry::format_date(&end, &now.timezone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;

    #[test]
    fn thumbprints_decode_from_base64_to_hex() {
        // The 20 bytes 0x00..0x13.
        assert_eq!(
            thumbprint_hex("AAECAwQFBgcICQoLDA0ODxAREhM=").as_deref(),
            Some("000102030405060708090A0B0C0D0E0F10111213")
        );
        assert_eq!(thumbprint_hex("/+8=").as_deref(), Some("FFEF"));
        assert_eq!(thumbprint_hex("not base64!"), None);
        assert_eq!(thumbprint_hex(""), None);
        assert_eq!(thumbprint_hex("A"), None, "a lone sextet is not a byte");
    }

    #[test]
    fn dates_are_shown_in_the_users_zone() {
        let tz = FixedOffset::west_opt(5 * 3600).unwrap();
        let now = tz.with_ymd_and_hms(2026, 11, 26, 20, 0, 0).unwrap();
        let t = Utc.with_ymd_and_hms(2027, 5, 25, 2, 30, 0).unwrap();
        assert_eq!(date(Some(t), &now), "24 May 2027");
        assert_eq!(date(None, &now), "—");
        assert_eq!(date_time(t, &now), "24 May 2027, 21:30");
        assert_eq!(expires_on(t, &now), "expires 24 May 2027");
    }
}
