//! The reminders file, read back with an iCalendar parser (icalendar's own, nom-based; the
//! e2e test reads the downloaded file with ical.js as well).

use icalendar::parser::{read_calendar_simple as read_calendar, unfold, Component};

use super::{app, now, secret, tenant};
use crate::overview::ics::{summary, to_ics, uid, ALARM_DAYS};
use crate::overview::model::{build_rows, Kind, Row};

fn stamp() -> chrono::DateTime<chrono::Utc> {
    now().to_utc()
}

fn rows() -> Vec<Row> {
    build_rows(&tenant().0, &now())
}

fn no_owners(_: &str) -> Option<Vec<String>> {
    None
}

fn prop<'a>(c: &'a Component<'a>, name: &str) -> Option<String> {
    c.find_prop(name).map(|p| p.val.to_string())
}

fn events<'a>(cal: &'a [Component<'a>]) -> Vec<&'a Component<'a>> {
    assert_eq!(cal.len(), 1, "one VCALENDAR");
    assert_eq!(cal[0].name, "VCALENDAR");
    cal[0]
        .components
        .iter()
        .filter(|c| c.name == "VEVENT")
        .collect()
}

/// An RFC 5545 §3.3.6 duration before the start (`-P90D`, `-PT7776000S`), in seconds.
fn before_start(trigger: &str) -> i64 {
    let d = trigger
        .strip_prefix("-P")
        .expect("a trigger before the start");
    if let Some(days) = d.strip_suffix('D') {
        days.parse::<i64>().unwrap() * 86_400
    } else {
        let s = d.strip_prefix('T').and_then(|s| s.strip_suffix('S'));
        s.expect("days or seconds").parse().unwrap()
    }
}

#[test]
fn one_event_per_credential_with_an_end_date_and_three_alarms() {
    let rows = rows();
    let text = to_ics(
        &rows,
        no_owners,
        stamp(),
        "https://secrets.contoso.example/",
    );
    let unfolded = unfold(&text);
    let cal = read_calendar(&unfolded).expect("the file parses");
    let evs = events(&cal);
    let expected: Vec<&Row> = rows
        .iter()
        .filter(|r| r.kind != Kind::None && r.end.is_some())
        .collect();
    // Payroll ×2, Onboarding, Legacy, Build Agent's certificate, Mail Relay; not "Forever"
    // (no end date) nor the app without credentials.
    assert_eq!(evs.len(), 6);
    assert_eq!(evs.len(), expected.len());
    for (ev, row) in evs.iter().zip(&expected) {
        assert_eq!(prop(ev, "UID"), uid(row), "{}", row.app_name);
        assert_eq!(prop(ev, "SUMMARY"), Some(summary(row)));
        let end = row.end.unwrap().format("%Y%m%dT%H%M%SZ").to_string();
        assert_eq!(prop(ev, "DTSTART"), Some(end));
        assert_eq!(prop(ev, "DTSTAMP"), Some("20261126T100000Z".into()));
        assert_eq!(prop(ev, "SEQUENCE"), Some("0".into()));
        let alarms: Vec<String> = ev
            .components
            .iter()
            .filter(|c| c.name == "VALARM")
            .map(|a| {
                assert_eq!(prop(a, "ACTION"), Some("DISPLAY".into()));
                assert!(
                    prop(a, "DESCRIPTION").is_some(),
                    "a display alarm has a text"
                );
                prop(a, "TRIGGER").unwrap()
            })
            .collect();
        let seconds: Vec<i64> = alarms.iter().map(|t| before_start(t)).collect();
        let want: Vec<i64> = ALARM_DAYS.iter().map(|d| d * 86_400).collect();
        assert_eq!(seconds, want, "{alarms:?}");
    }
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    assert!(text.ends_with("END:VCALENDAR\r\n"));
    // RFC 5545 §3.1: no line longer than 75 octets (the crate folds them).
    let long: Vec<&str> = text.split("\r\n").filter(|l| l.len() > 75).collect();
    assert!(long.is_empty(), "{long:?}");
}

#[test]
fn uids_are_stable_across_exports_and_distinct_per_credential() {
    let rows = rows();
    let later = stamp() + chrono::Duration::days(3);
    let a = to_ics(&rows, no_owners, stamp(), "");
    let b = to_ics(&rows, |_| Some(vec!["Dan".into()]), later, "");
    let uids = |t: &str| {
        let u = unfold(t);
        let cal = read_calendar(&u).unwrap();
        events(&cal)
            .iter()
            .map(|e| prop(e, "UID").unwrap())
            .collect::<Vec<_>>()
    };
    let (ua, ub) = (uids(&a), uids(&b));
    assert_eq!(ua, ub, "a re-export updates the same events");
    let mut unique = ua.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ua.len());
    assert!(ua.contains(&"k-pay-old.00000000-0000-4000-8000-000000000001@secret-wizard".into()));
}

#[test]
fn the_description_names_app_credential_and_owners_and_text_is_escaped() {
    let tricky = app(
        "Pay, roll; API\\x",
        9,
        vec![secret("k-x", "line one\nline two, with comma", Some(40))],
    );
    let rows = build_rows(&[tricky], &now());
    let owners = |id: &str| {
        assert_eq!(id, "00000000-0000-4000-8000-000000000009");
        Some(vec!["Dev Dan".to_string(), "Ada Admin".to_string()])
    };
    let text = to_ics(&rows, owners, stamp(), "https://secrets.contoso.example/");
    assert!(unfold(&text).contains("SUMMARY:Client secret expires: Pay\\, roll\\; API\\\\x (line one\\nline two\\, with comma)"));
    let u = unfold(&text);
    let cal = read_calendar(&u).unwrap();
    let ev = events(&cal)[0];
    let d = prop(ev, "DESCRIPTION").unwrap();
    for part in [
        "App: Pay, roll; API\\x\n",
        "Client ID: 11111111-1111-4111-8111-000000000009",
        "keyId: k-x",
        "Hint: abc",
        "Credential: line one\nline two, with comma\n",
        "Owners: Dev Dan, Ada Admin\n",
        "Renew it with secret-wizard: https://secrets.contoso.example/",
    ] {
        assert!(d.contains(part), "{part} in {d}");
    }
}

#[test]
fn certificates_say_so_and_show_the_thumbprint_and_owners_none_is_said() {
    let rows: Vec<Row> = rows()
        .into_iter()
        .filter(|r| r.kind == Kind::Certificate)
        .collect();
    let text = to_ics(&rows, |_| Some(vec![]), stamp(), "");
    let u = unfold(&text);
    let cal = read_calendar(&u).unwrap();
    let ev = events(&cal)[0];
    assert_eq!(
        prop(ev, "SUMMARY"),
        Some("Certificate expires: Build Agent (CN=build)".into())
    );
    let d = prop(ev, "DESCRIPTION").unwrap();
    assert!(d.contains("Thumbprint: "), "{d}");
    assert!(d.contains("Owners: none"), "{d}");
    assert!(!d.contains("Renew it with"), "no site, no line");
}

#[test]
fn long_lines_are_folded_at_75_octets_never_inside_a_character() {
    let name = "Überweisungs-Schnittstelle für Lohnabrechnung — Produktion 🏦 ".repeat(3);
    let rows = build_rows(&[app(&name, 8, vec![secret("k-u", "ä", Some(5))])], &now());
    let text = to_ics(&rows, no_owners, stamp(), "");
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "{} octets: {line}", line.len());
    }
    let u = unfold(&text);
    let cal = read_calendar(&u).unwrap();
    let summary = prop(events(&cal)[0], "SUMMARY").unwrap();
    assert_eq!(summary, format!("Client secret expires: {name} (ä)"));
}

#[test]
fn nothing_to_remind_of_is_an_empty_calendar_that_still_parses() {
    let rows = build_rows(&[app("Support Bot", 4, vec![])], &now());
    let text = to_ics(&rows, no_owners, stamp(), "");
    let u = unfold(&text);
    let cal = read_calendar(&u).unwrap();
    assert!(events(&cal).is_empty());
}
