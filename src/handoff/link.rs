//! The hand-off link, as pure `encode` and `parse`.
//!
//! `https://<site>/?handoff=v1&app=<client id>&days=180&vault=<vault resource id>&name=<secret
//! name>`: an admin prepares it, a developer opens it, signs in and lands on the Describe step
//! for that app with the lifetime (and vault and name) pre-filled. Only `handoff` and `app` are
//! required; `days` or `until` (a `YYYY-MM-DD` end date, not both), `vault` and `name` are
//! optional. Parsing is strict: unknown, repeated, empty or malformed parameters refuse the
//! whole link with a message naming the problem. A link never carries a secret or a token:
//! there is no parameter for one, and a parameter named like one is refused as such.

use chrono::{Duration, NaiveDate};

use super::error::HandoffError;
use crate::config::VaultRef;
use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
use crate::domain::naming::validate_secret_name;
use crate::graph::is_guid;
use crate::net::encode as pct;

/// The only version there is.
pub const VERSION: &str = "v1";
/// Every parameter a hand-off link may have.
pub const PARAMS: [&str; 6] = ["handoff", "app", "days", "until", "vault", "name"];
/// The longest query accepted (a full link with a 90-character resource group is ~450).
pub const MAX_QUERY_LEN: usize = 2048;

/// The lifetime the admin chose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lifetime {
    /// Days from when the secret is created.
    Days(u32),
    /// A calendar end date.
    Until(NaiveDate),
}

/// A prepared secret creation. Contains no secret and no token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Handoff {
    /// The client ID, lower-case.
    pub app: String,
    pub lifetime: Option<Lifetime>,
    pub vault: Option<VaultRef>,
    /// The Key Vault secret name.
    pub name: Option<String>,
}

impl Handoff {
    /// The wizard's lifetime choice: a preset when `days` matches one, else a custom date
    /// counted from `today`.
    pub fn lifetime_choice(&self, today: NaiveDate) -> Option<LifetimeChoice> {
        Some(match self.lifetime? {
            Lifetime::Days(n) => LifetimePreset::ALL
                .into_iter()
                .find(|p| p.days() == n)
                .map(LifetimeChoice::Preset)
                .unwrap_or_else(|| LifetimeChoice::Custom(today + Duration::days(n.into()))),
            Lifetime::Until(date) => LifetimeChoice::Custom(date),
        })
    }
}

/// What a link is checked against.
#[derive(Clone, Copy, Debug)]
pub struct Limits<'a> {
    /// `policy.maxLifetimeDays`.
    pub max_days: u32,
    /// The user's date (for `until`).
    pub today: NaiveDate,
    /// `vault.allowed`; empty allows any vault.
    pub allowed_vaults: &'a [VaultRef],
}

/// The query string (`?handoff=v1&…`, with or without the `?`).
pub fn encode(h: &Handoff) -> String {
    let mut parts = vec![format!("handoff={VERSION}"), format!("app={}", pct(&h.app))];
    match h.lifetime {
        Some(Lifetime::Days(n)) => parts.push(format!("days={n}")),
        Some(Lifetime::Until(d)) => parts.push(format!("until={d}")),
        None => {}
    }
    if let Some(v) = &h.vault {
        parts.push(format!("vault={}", pct(&v.id)));
    }
    if let Some(n) = &h.name {
        parts.push(format!("name={}", pct(n)));
    }
    format!("?{}", parts.join("&"))
}

/// The full link: `site` (the app's address; any query or fragment is dropped) plus the query.
pub fn link(site: &str, h: &Handoff) -> String {
    let base = site.split(['?', '#']).next().unwrap_or_default();
    format!("{base}{}", encode(h))
}

/// Parses a page's query string. `Ok(None)` when it is not a hand-off link (no hand-off
/// parameter at all); an error when it tries to be one and anything is wrong.
pub fn parse(query: &str, limits: &Limits) -> Result<Option<Handoff>, HandoffError> {
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(&str, &str)> = query
        .split('&')
        .filter(|s| !s.is_empty())
        .map(|s| s.split_once('=').unwrap_or((s, "")))
        .collect();
    let mentions_handoff = pairs
        .iter()
        .any(|(k, _)| decode(k).is_some_and(|k| PARAMS.contains(&k.as_str())));
    if !mentions_handoff {
        return Ok(None);
    }
    if query.len() > MAX_QUERY_LEN {
        return Err(HandoffError::TooLong);
    }
    let mut values: [Option<String>; 6] = Default::default();
    for (raw_key, raw_value) in pairs {
        let key = decode(raw_key).ok_or(HandoffError::Malformed)?;
        let value = decode(raw_value).ok_or(HandoffError::Malformed)?;
        let Some(i) = PARAMS.iter().position(|p| *p == key) else {
            return Err(if looks_like_credential(&key) {
                HandoffError::CarriesCredential(printable(&key))
            } else {
                HandoffError::UnknownParameter(printable(&key))
            });
        };
        if values[i].is_some() {
            return Err(HandoffError::Duplicate(PARAMS[i]));
        }
        values[i] = Some(value);
    }
    let [version, app, days, until, vault, name] = values;
    match version.as_deref() {
        None => return Err(HandoffError::MissingVersion),
        Some(VERSION) => {}
        Some(other) => return Err(HandoffError::UnsupportedVersion(printable(other))),
    }
    let app = app.ok_or(HandoffError::MissingApp)?;
    if !is_guid(&app) {
        return Err(HandoffError::InvalidApp);
    }
    let lifetime = match (days, until) {
        (Some(_), Some(_)) => return Err(HandoffError::BothDaysAndUntil),
        (Some(d), None) => Some(Lifetime::Days(parse_days(&d, limits.max_days)?)),
        (None, Some(u)) => Some(Lifetime::Until(parse_until(&u, limits)?)),
        (None, None) => None,
    };
    let vault = vault.map(|v| parse_vault(&v, limits)).transpose()?;
    if let Some(n) = &name {
        validate_secret_name(n).map_err(HandoffError::InvalidName)?;
    }
    Ok(Some(Handoff {
        app: app.to_ascii_lowercase(),
        lifetime,
        vault,
        name,
    }))
}

fn parse_days(text: &str, max_days: u32) -> Result<u32, HandoffError> {
    let bad = HandoffError::InvalidDays { max_days };
    // Plain digits only: no sign, no spaces, no leading zero, no more than 4 digits.
    if text.is_empty() || text.len() > 4 || text.starts_with('0') {
        return Err(bad);
    }
    if !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad);
    }
    let n: u32 = text.parse().map_err(|_| bad.clone())?;
    if (1..=max_days).contains(&n) {
        Ok(n)
    } else {
        Err(bad)
    }
}

fn parse_until(text: &str, limits: &Limits) -> Result<NaiveDate, HandoffError> {
    let shaped = text.len() == 10
        && text
            .bytes()
            .enumerate()
            .all(|(i, b)| matches!(i, 4 | 7) == (b == b'-') && (b == b'-' || b.is_ascii_digit()));
    let date = shaped
        .then(|| crate::domain::expiry::parse_iso_date(text))
        .flatten()
        .ok_or(HandoffError::InvalidDate)?;
    let days = (date - limits.today).num_days();
    if days < 1 || days > i64::from(limits.max_days) {
        return Err(HandoffError::DateOutOfRange {
            max_days: limits.max_days,
        });
    }
    Ok(date)
}

fn parse_vault(text: &str, limits: &Limits) -> Result<VaultRef, HandoffError> {
    // No trailing slash or other slack: the link carries exactly what the admin chose.
    if text.ends_with('/') {
        return Err(HandoffError::InvalidVault);
    }
    let vault = VaultRef::parse(text).ok_or(HandoffError::InvalidVault)?;
    if !is_resource_group(&vault.resource_group) {
        return Err(HandoffError::InvalidVault);
    }
    let allowed = limits.allowed_vaults;
    if !allowed.is_empty() && !allowed.iter().any(|v| v.same_as(&vault)) {
        return Err(HandoffError::VaultNotAllowed(vault.name));
    }
    Ok(vault)
}

/// Azure resource group names: 1–90 letters, digits, `_`, `-`, `.`, `(`, `)`; not ending in `.`.
fn is_resource_group(name: &str) -> bool {
    (1..=90).contains(&name.chars().count())
        && !name.ends_with('.')
        && name
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.' | '(' | ')'))
}

fn looks_like_credential(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    [
        "secret",
        "token",
        "password",
        "pwd",
        "code",
        "assertion",
        "credential",
        "key",
    ]
    .iter()
    .any(|w| k.contains(w))
}

/// A parameter name or value for a message: at most 40 characters, control characters as `?`.
fn printable(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(40)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Percent-decoding for a query component (`+` is a space, as in forms); `None` when an
/// escape is broken or the result is not UTF-8.
fn decode(s: &str) -> Option<String> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = s.get(i + 1..i + 3)?;
                if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return None;
                }
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            b => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}
