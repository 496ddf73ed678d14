//! Rows of the expiry overview: one per credential (secret or certificate), plus one "none" row
//! per app that has no credentials at all, sorted by urgency.
//!
//! Urgency: by end date ascending (so everything expired comes first, oldest first), then
//! credentials without an end date, then apps without credentials. Ties go by app name, then
//! keyId, so the order is stable for tests and exports.

use std::collections::HashSet;

use chrono::{DateTime, FixedOffset, Utc};

use crate::domain::expiry::{calendar_days_until, status_of};
use crate::domain::ExpiryStatus;
use crate::graph::{Application, KeyCredential, PasswordCredential};

/// The current time in the user's time zone.
type Now = DateTime<FixedOffset>;

/// What a row describes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    Secret,
    Certificate,
    /// The app has no secrets and no certificates.
    None,
}

impl Kind {
    /// The export value and CSS key: `secret`, `certificate`, `none`.
    pub fn key(self) -> &'static str {
        match self {
            Kind::Secret => "secret",
            Kind::Certificate => "certificate",
            Kind::None => "none",
        }
    }

    /// The table text.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Secret => "Secret",
            Kind::Certificate => "Certificate",
            Kind::None => "No credentials",
        }
    }
}

/// One line of the overview. Metadata only: a secret's value never exists here.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub app_name: String,
    /// The client ID (`appId`).
    pub client_id: String,
    /// The application object ID (`id`).
    pub object_id: String,
    pub kind: Kind,
    /// The credential's display name (the "description" in the admin center).
    pub description: Option<String>,
    pub key_id: Option<String>,
    /// A secret's hint (its first characters) or a certificate's thumbprint (hex).
    pub identifier: Option<String>,
    pub start: Option<DateTime<Utc>>,
    pub end: Option<DateTime<Utc>>,
    pub status: ExpiryStatus,
    /// Calendar days from today to the end date in the user's time zone (negative once expired).
    pub days_left: Option<i64>,
    /// Whether the signed-in user owns the app; `None` until the owned apps have been looked up
    /// (only when "Only apps I own" is first used: it costs a request the overview otherwise
    /// does not need).
    pub owned_by_me: Option<bool>,
    /// Lower-cased name, client ID, description and keyId, for search.
    haystack: String,
}

impl Row {
    /// True when the lower-cased `needle` occurs in the name, client ID, description or keyId.
    pub fn matches_text(&self, needle_lower: &str) -> bool {
        needle_lower.is_empty() || self.haystack.contains(needle_lower)
    }

    #[allow(clippy::too_many_arguments)]
    fn new(
        app: &Application,
        kind: Kind,
        description: Option<String>,
        key_id: Option<String>,
        identifier: Option<String>,
        start: Option<DateTime<Utc>>,
        end: Option<DateTime<Utc>>,
        now: &Now,
    ) -> Row {
        let status = if kind == Kind::None {
            ExpiryStatus::NoExpiry
        } else {
            status_of(end, now)
        };
        let haystack = [
            app.display_name.as_str(),
            app.app_id.as_str(),
            description.as_deref().unwrap_or(""),
            key_id.as_deref().unwrap_or(""),
        ]
        .join("\u{1f}");
        let haystack = crate::net::lowercase(&haystack);
        Row {
            app_name: app.display_name.clone(),
            client_id: app.app_id.clone(),
            object_id: app.id.clone(),
            kind,
            description,
            key_id,
            identifier,
            start,
            end,
            status,
            days_left: end.map(|e| calendar_days_until(&e, now)),
            owned_by_me: None,
            haystack,
        }
    }

    fn secret(app: &Application, c: &PasswordCredential, now: &Now) -> Row {
        Row::new(
            app,
            Kind::Secret,
            c.display_name.clone(),
            Some(c.key_id.clone()),
            c.hint.clone(),
            c.start_date_time,
            c.end_date_time,
            now,
        )
    }

    fn certificate(app: &Application, c: &KeyCredential, now: &Now) -> Row {
        Row::new(
            app,
            Kind::Certificate,
            c.display_name.clone(),
            Some(c.key_id.clone()),
            c.custom_key_identifier.as_deref().map(thumbprint),
            c.start_date_time,
            c.end_date_time,
            now,
        )
    }
}

/// Every row for `apps`, sorted by urgency; "owned by me" is not known yet ([`mark_owned`]).
pub fn build_rows(apps: &[Application], now: &Now) -> Vec<Row> {
    let mut rows = Vec::with_capacity(apps.len() * 2);
    for app in apps {
        rows.extend(
            app.password_credentials
                .iter()
                .map(|c| Row::secret(app, c, now)),
        );
        rows.extend(
            app.key_credentials
                .iter()
                .map(|c| Row::certificate(app, c, now)),
        );
        if app.password_credentials.is_empty() && app.key_credentials.is_empty() {
            rows.push(Row::new(app, Kind::None, None, None, None, None, None, now));
        }
    }
    sort_by_urgency(&mut rows);
    rows
}

/// Sets "owned by me" on every row from the object IDs of the apps the user owns (compared
/// case-insensitively); the order does not change.
pub fn mark_owned(rows: &mut [Row], owned: &HashSet<String>) {
    for r in rows {
        r.owned_by_me = Some(owned.contains(&r.object_id.to_ascii_lowercase()));
    }
}

/// Expired first (end ascending), no end date after every dated row, apps without
/// credentials last; then by app name (case-insensitive) and keyId.
pub fn sort_by_urgency(rows: &mut [Row]) {
    rows.sort_by_cached_key(|r| {
        (
            r.kind == Kind::None,
            r.end.is_none(),
            r.end,
            crate::net::lowercase(&r.app_name),
            r.key_id.clone(),
        )
    });
}

/// A certificate's `customKeyIdentifier` (base64 of the thumbprint bytes) as upper-case hex,
/// the way the admin center shows it. Anything that is not base64 is shown as received.
pub fn thumbprint(custom_key_identifier: &str) -> String {
    match base64_decode(custom_key_identifier) {
        Some(bytes) if !bytes.is_empty() => bytes.iter().map(|b| format!("{b:02X}")).collect(),
        _ => custom_key_identifier.to_string(),
    }
}

/// Standard base64 with optional padding; `None` on any other character.
fn base64_decode(s: &str) -> Option<Vec<u8>> {
    let s = s.trim_end_matches('=');
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
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
    // A single leftover character (6 bits) cannot come from whole bytes.
    (bits < 6).then_some(out)
}

/// `2997` → `"2,997"`.
pub fn group_thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
