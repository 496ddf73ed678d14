//! Reminders to take away: the overview's credentials as an iCalendar file (RFC 5545), one
//! event per expiry, to import into Outlook, Google Calendar or any calendar.
//!
//! - One `VEVENT` per credential with an end date (apps without credentials and credentials
//!   that never expire have nothing to remind of). The event is the moment the credential
//!   expires (`DTSTART` in UTC, no duration: RFC 5545 §3.6.1, "a VEVENT with a DTSTART of
//!   DATE-TIME and no DTEND/DURATION ends at the same time"), so each calendar shows it in
//!   its own time zone.
//! - Three display alarms, 90, 30 and 7 days before (`TRIGGER:-P90D`…, §3.8.6.3).
//! - A stable `UID` from the credential's keyId and the app's object ID: importing the file
//!   again (after renewals, or with owners now known) updates the events instead of adding
//!   copies (§3.8.4.7: UID identifies the event; `SEQUENCE` 0 and a newer `DTSTAMP`).
//! - The summary names the app and the credential; the description adds the client ID, the
//!   keyId, the hint or thumbprint and the owners when they are known.
//!
//! Metadata only, as for the CSV: no secret value exists in the overview. Text from the
//! directory is escaped and long lines folded by the `icalendar` crate (§3.3.11, §3.1), the
//! builder the README names under dependencies.

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use icalendar::{Alarm, Calendar, Component, Event, EventLike, Trigger};

use super::model::{Kind, Row};

/// The alarms, in days before the expiry.
pub const ALARM_DAYS: [i64; 3] = [90, 30, 7];

/// `PRODID` (§3.7.3): who made the file.
const PRODID: &str = "-//secret-wizard//Credential expiry reminders//EN";

/// The event's stable UID: the same credential always gets the same one.
pub fn uid(row: &Row) -> Option<String> {
    let key_id = row.key_id.as_deref()?;
    Some(format!("{key_id}.{}@secret-wizard", row.object_id))
}

/// "Client secret expires: Payroll API (CI deploy)".
pub fn summary(row: &Row) -> String {
    let what = match row.kind {
        Kind::Certificate => "Certificate",
        _ => "Client secret",
    };
    match row.description.as_deref().filter(|d| !d.is_empty()) {
        Some(d) => format!("{what} expires: {} ({d})", row.app_name),
        None => format!("{what} expires: {}", row.app_name),
    }
}

/// The event's description: what to renew, where, and who owns it.
fn description(row: &Row, owners: Option<&[String]>, site: &str) -> String {
    let mut lines = vec![
        format!("App: {}", row.app_name),
        format!("Client ID: {}", row.client_id),
    ];
    if let Some(d) = row.description.as_deref().filter(|d| !d.is_empty()) {
        lines.push(format!("Credential: {d}"));
    }
    if let Some(k) = &row.key_id {
        lines.push(format!("keyId: {k}"));
    }
    if let Some(i) = &row.identifier {
        let label = if row.kind == Kind::Certificate {
            "Thumbprint"
        } else {
            "Hint"
        };
        lines.push(format!("{label}: {i}"));
    }
    if let Some(end) = row.end {
        lines.push(format!(
            "Expires: {}",
            end.to_rfc3339_opts(SecondsFormat::Secs, true)
        ));
    }
    match owners {
        Some([]) => lines.push("Owners: none".into()),
        Some(list) => lines.push(format!("Owners: {}", list.join(", "))),
        None => {}
    }
    if !site.is_empty() {
        lines.push(format!("Renew it with secret-wizard: {site}"));
    }
    lines.join("\n")
}

/// The rows as an iCalendar file. `owners` gives an app's owners by object ID when they are
/// known (`None`: not looked up, so not mentioned); `stamp` is `DTSTAMP`; `site` the app's
/// address for the "renew it" line (empty: left out).
pub fn to_ics<'a>(
    rows: impl IntoIterator<Item = &'a Row>,
    owners: impl Fn(&str) -> Option<Vec<String>>,
    stamp: DateTime<Utc>,
    site: &str,
) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(("VERSION", "2.0"))
        .append_property(("PRODID", PRODID))
        .append_property(("CALSCALE", "GREGORIAN"))
        .name("Credential expiry reminders");
    for row in rows {
        let (Some(end), Some(uid), false) = (row.end, uid(row), row.kind == Kind::None) else {
            continue;
        };
        let owners = owners(&row.object_id);
        let summary = summary(row);
        let mut event = Event::new();
        event
            .uid(&uid)
            .sequence(0)
            .timestamp(stamp)
            .summary(&summary)
            .description(&description(row, owners.as_deref(), site))
            .starts(end);
        for days in ALARM_DAYS {
            // The alarm's UID (RFC 9074 §4) and stamp are derived too, so the same export
            // twice is the same file but for DTSTAMP.
            let mut alarm = Alarm::display(
                &format!("{summary} in {days} days"),
                Trigger::before_start(Duration::days(days)),
            );
            alarm.uid(&format!("{days}d.{uid}")).timestamp(stamp);
            event.alarm(alarm.done());
        }
        calendar.push(event.done());
    }
    fold(&calendar.done().to_string())
}

/// RFC 5545 §3.1: content lines of at most 75 octets, a longer one continued on lines that
/// start with a space, never inside a UTF-8 character. The crate folds after 75 octets and
/// then adds the space (76 on continuation lines), so its output is unfolded and folded again.
fn fold(text: &str) -> String {
    const LIMIT: usize = 75;
    let mut out = String::with_capacity(text.len() + text.len() / 32);
    for line in text.replace("\r\n ", "").split_terminator("\r\n") {
        let (mut rest, mut room) = (line, LIMIT);
        while rest.len() > room {
            let mut cut = room;
            while !rest.is_char_boundary(cut) {
                cut -= 1;
            }
            out.push_str(&rest[..cut]);
            out.push_str("\r\n ");
            rest = &rest[cut..];
            room = LIMIT - 1;
        }
        out.push_str(rest);
        out.push_str("\r\n");
    }
    out
}

/// `secret-expiry-2026-11-26.ics`, beside the CSV's name.
pub fn file_name(now: &chrono::DateTime<chrono::FixedOffset>) -> String {
    super::export::file_name(now, "ics")
}
