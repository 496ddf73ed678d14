//! Rows, urgency order, filters, counts and the per-month picture.

use std::collections::HashSet;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};

use crate::domain::ExpiryStatus;
use crate::graph::{Application, KeyCredential, PasswordCredential};
use crate::overview::filter::{Chip, Counts, Filter};
use crate::overview::histogram::Histogram;
use crate::overview::model::{build_rows, group_thousands, mark_owned, thumbprint, Kind, Row};

mod export;
// The reader (icalendar's parser) is a native dev-dependency.
#[cfg(not(target_arch = "wasm32"))]
mod ics;
mod load;
mod owners;
mod state;

pub(super) fn now() -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0)
        .unwrap()
        .fixed_offset()
}

pub(super) fn secret(key: &str, name: &str, days: Option<i64>) -> PasswordCredential {
    PasswordCredential {
        key_id: key.into(),
        display_name: Some(name.into()),
        hint: Some("abc".into()),
        start_date_time: Some(now().to_utc() - Duration::days(10)),
        end_date_time: days.map(|d| now().to_utc() + Duration::days(d)),
    }
}

pub(super) fn app(name: &str, n: u32, secrets: Vec<PasswordCredential>) -> Application {
    Application {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        app_id: format!("11111111-1111-4111-8111-{n:012}"),
        display_name: name.into(),
        sign_in_audience: None,
        created_date_time: None,
        password_credentials: secrets,
        key_credentials: vec![],
    }
}

fn cert(key: &str, days: i64, custom: &str) -> KeyCredential {
    KeyCredential {
        key_id: key.into(),
        display_name: Some("CN=build".into()),
        custom_key_identifier: Some(custom.into()),
        kind: Some("AsymmetricX509Cert".into()),
        usage: Some("Verify".into()),
        start_date_time: None,
        end_date_time: Some(now().to_utc() + Duration::days(days)),
    }
}

/// The demo-like tenant: Payroll (critical + ok, owned), Onboarding (warning, owned), Legacy
/// (expired), Build Agent (certificate), Support Bot (nothing), Forever (no end date).
pub(super) fn tenant() -> (Vec<Application>, HashSet<String>) {
    let mut build = app("Build Agent", 5, vec![]);
    build.key_credentials = vec![cert("k-cert", 400, "AAECAwQ=")];
    let apps = vec![
        app(
            "Payroll API",
            1,
            vec![
                secret("k-pay-old", "payroll-2024", Some(20)),
                secret("k-pay-new", "payroll-2025", Some(200)),
            ],
        ),
        app(
            "Onboarding Portal",
            2,
            vec![secret("k-onb", "portal", Some(75))],
        ),
        app(
            "Legacy Reporting",
            3,
            vec![secret("k-leg", "reporting", Some(-10))],
        ),
        app("Customer Support Bot", 4, vec![]),
        build,
        app("Forever", 6, vec![secret("k-forever", "never", None)]),
        app(
            "Mail Relay",
            7,
            vec![secret("k-relay", "relay-old", Some(-400))],
        ),
    ];
    // Owned object IDs arrive lower-cased from the loader.
    let owned = [1, 2]
        .iter()
        .map(|n| format!("00000000-0000-4000-8000-{n:012}"))
        .collect();
    (apps, owned)
}

pub(super) fn rows() -> Vec<Row> {
    let (apps, owned) = tenant();
    known_rows(&apps, &owned, &now())
}

/// The rows once the owned apps have been looked up (`owned` holds their object IDs).
pub(super) fn known_rows(
    apps: &[Application],
    owned: &HashSet<String>,
    now: &DateTime<FixedOffset>,
) -> Vec<Row> {
    let mut rows = build_rows(apps, now);
    mark_owned(&mut rows, owned);
    rows
}

fn names(rows: &[Row], idx: &[usize]) -> Vec<String> {
    idx.iter()
        .map(|&i| {
            let r = &rows[i];
            format!("{}/{}", r.app_name, r.key_id.as_deref().unwrap_or("-"))
        })
        .collect()
}

#[test]
fn one_row_per_credential_and_one_for_an_app_without_any() {
    let rows = rows();
    assert_eq!(rows.len(), 8);
    let payroll: Vec<&Row> = rows
        .iter()
        .filter(|r| r.app_name == "Payroll API")
        .collect();
    assert_eq!(payroll.len(), 2);
    assert!(payroll
        .iter()
        .all(|r| r.owned_by_me == Some(true) && r.kind == Kind::Secret));
    let bot = rows
        .iter()
        .find(|r| r.app_name == "Customer Support Bot")
        .unwrap();
    assert_eq!(bot.kind, Kind::None);
    assert_eq!((bot.key_id.as_deref(), bot.end), (None, None));
    assert_eq!(bot.owned_by_me, Some(false));
    let build = rows.iter().find(|r| r.app_name == "Build Agent").unwrap();
    assert_eq!(build.kind, Kind::Certificate);
    assert_eq!(build.identifier.as_deref(), Some("0001020304"));
    let legacy = rows
        .iter()
        .find(|r| r.app_name == "Legacy Reporting")
        .unwrap();
    assert_eq!(legacy.status, ExpiryStatus::Expired);
    assert_eq!(legacy.days_left, Some(-10));
    assert_eq!(legacy.identifier.as_deref(), Some("abc"));
    assert_eq!(legacy.client_id, "11111111-1111-4111-8111-000000000003");
    assert_eq!(legacy.object_id, "00000000-0000-4000-8000-000000000003");
}

#[test]
fn urgency_order_expired_first_then_end_ascending_then_no_expiry_then_none() {
    let rows = rows();
    let all: Vec<usize> = (0..rows.len()).collect();
    assert_eq!(
        names(&rows, &all),
        [
            "Mail Relay/k-relay",
            "Legacy Reporting/k-leg",
            "Payroll API/k-pay-old",
            "Onboarding Portal/k-onb",
            "Payroll API/k-pay-new",
            "Build Agent/k-cert",
            "Forever/k-forever",
            "Customer Support Bot/-",
        ]
    );
    let statuses: Vec<ExpiryStatus> = rows.iter().map(|r| r.status).collect();
    assert!(statuses[..6].windows(2).all(|w| w[0] <= w[1]));
}

#[test]
fn ties_on_the_end_date_go_by_app_name_case_insensitively() {
    let apps = vec![
        app("zeta", 1, vec![secret("k1", "a", Some(5))]),
        app("Alpha", 2, vec![secret("k2", "a", Some(5))]),
        app("beta", 3, vec![secret("k3", "a", Some(5))]),
    ];
    let rows = known_rows(&apps, &HashSet::new(), &now());
    let order: Vec<&str> = rows.iter().map(|r| r.app_name.as_str()).collect();
    assert_eq!(order, ["Alpha", "beta", "zeta"]);
}

#[test]
fn status_chips_narrow_the_view_and_hide_apps_without_credentials() {
    let rows = rows();
    let mut f = Filter::default();
    assert!(f.all_statuses());
    assert_eq!(f.apply(&rows).len(), 8);
    f.set_chip(Chip::Ok, false);
    let v = f.apply(&rows);
    assert_eq!(
        names(&rows, &v),
        [
            "Mail Relay/k-relay",
            "Legacy Reporting/k-leg",
            "Payroll API/k-pay-old",
            "Onboarding Portal/k-onb",
        ]
    );
    for chip in [Chip::Expired, Chip::Critical, Chip::Warning] {
        f.set_chip(chip, false);
    }
    f.set_chip(Chip::Ok, true);
    // OK covers "no end date"; the app without credentials is gone once a chip is off.
    assert_eq!(
        names(&rows, &f.apply(&rows)),
        [
            "Payroll API/k-pay-new",
            "Build Agent/k-cert",
            "Forever/k-forever"
        ]
    );
    f.set_chip(Chip::Ok, false);
    assert!(f.apply(&rows).is_empty());
}

#[test]
fn owned_by_me_and_search_combine_with_the_chips() {
    let rows = rows();
    let mut f = Filter {
        owned_only: true,
        ..Filter::default()
    };
    assert_eq!(
        names(&rows, &f.apply(&rows)),
        [
            "Payroll API/k-pay-old",
            "Onboarding Portal/k-onb",
            "Payroll API/k-pay-new"
        ]
    );
    f.set_chip(Chip::Critical, false);
    f.query = "  PAYROLL ".into();
    assert_eq!(names(&rows, &f.apply(&rows)), ["Payroll API/k-pay-new"]);
}

#[test]
fn search_covers_name_client_id_description_and_key_id() {
    let rows = rows();
    let find = |q: &str| {
        let f = Filter {
            query: q.into(),
            ..Filter::default()
        };
        names(&rows, &f.apply(&rows))
    };
    assert_eq!(find("legacy"), ["Legacy Reporting/k-leg"]);
    assert_eq!(find("8111-000000000002"), ["Onboarding Portal/k-onb"]);
    assert_eq!(find("PAYROLL-2025"), ["Payroll API/k-pay-new"]);
    assert_eq!(find("k-relay"), ["Mail Relay/k-relay"]);
    assert_eq!(find("support"), ["Customer Support Bot/-"]);
    assert!(find("nothing like this").is_empty());
    // The hint is not searchable (it is a piece of a secret, not a label).
    assert!(find("abc").is_empty());
}

#[test]
fn counts_ignore_the_chips_but_follow_owner_and_search() {
    let rows = rows();
    let mut f = Filter::default();
    f.set_chip(Chip::Expired, false);
    let c = Counts::of(&rows, &f.scope(&rows));
    assert_eq!(
        c,
        Counts {
            expired: 2,
            critical: 1,
            warning: 1,
            ok: 3,
            no_expiry: 1,
            without_credentials: 1,
        }
    );
    assert_eq!(c.credentials(), 7);
    assert_eq!(c.get(Chip::Expired), 2);
    f.owned_only = true;
    let mine = Counts::of(&rows, &f.scope(&rows));
    assert_eq!(
        (mine.expired, mine.critical, mine.warning, mine.ok),
        (0, 1, 1, 1)
    );
    assert_eq!(mine.without_credentials, 0);
    f.owned_only = false;
    f.query = "relay".into();
    assert_eq!(Counts::of(&rows, &f.scope(&rows)).credentials(), 1);
}

#[test]
fn histogram_buckets_by_calendar_month_in_the_users_zone() {
    // Now: 26 Nov 2026 10:00Z. Ends: -400d, -10d (expired), +20d (16 Dec), +75d (9 Feb 2027),
    // +200d (14 Jun 2027), +400d (31 Dec 2027: later), none (not counted).
    let rows = rows();
    let all: Vec<usize> = (0..rows.len()).collect();
    let h = Histogram::of(&rows, &all, &now());
    assert_eq!(h.expired, 2);
    assert_eq!(h.months.len(), 12);
    assert_eq!(h.months[0].label(), "Nov 2026");
    assert_eq!(h.months[11].label(), "Oct 2027");
    let counts: Vec<usize> = h.months.iter().map(|m| m.count).collect();
    assert_eq!(counts, [0, 1, 0, 1, 0, 0, 0, 1, 0, 0, 0, 0]);
    assert_eq!(h.later, 1);
    assert_eq!(h.max(), 2);
    let bars = h.bars();
    assert_eq!(bars.len(), 14);
    assert_eq!(bars[0], ("Expired".to_string(), 2));
    assert_eq!(bars[13], ("After Oct 2027".to_string(), 1));
}

#[test]
fn histogram_month_edges_follow_the_offset_of_now() {
    // 30 Nov 23:30 in UTC+2 is 30 Nov 21:30Z; an end at 1 Dec 00:30 local (22:30Z on 30 Nov)
    // belongs to December there, while in UTC it is still November.
    let plus2 = FixedOffset::east_opt(2 * 3600).unwrap();
    let now_local = plus2.with_ymd_and_hms(2026, 11, 30, 23, 30, 0).unwrap();
    let end = plus2
        .with_ymd_and_hms(2026, 12, 1, 0, 30, 0)
        .unwrap()
        .to_utc();
    let mut a = app("Edge", 1, vec![secret("k", "edge", None)]);
    a.password_credentials[0].end_date_time = Some(end);
    let rows = known_rows(&[a], &HashSet::new(), &now_local);
    let h = Histogram::of(&rows, &[0], &now_local);
    assert_eq!((h.months[0].count, h.months[1].count), (0, 1));
    let now_utc = now_local.to_utc().fixed_offset();
    let h = Histogram::of(&rows, &[0], &now_utc);
    assert_eq!((h.months[0].count, h.months[1].count), (1, 0));
    // December rolls over into the next year.
    assert_eq!(h.months[1].label(), "Dec 2026");
    assert_eq!(h.months[2].label(), "Jan 2027");
}

#[test]
fn thumbprints_are_hex_and_odd_identifiers_are_kept() {
    assert_eq!(thumbprint("3q2+7w=="), "DEADBEEF");
    assert_eq!(thumbprint("3q2+7w"), "DEADBEEF");
    assert_eq!(thumbprint("not base64!"), "not base64!");
    assert_eq!(thumbprint("A"), "A");
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(group_thousands(0), "0");
    assert_eq!(group_thousands(999), "999");
    assert_eq!(group_thousands(2997), "2,997");
    assert_eq!(group_thousands(1_234_567), "1,234,567");
}
