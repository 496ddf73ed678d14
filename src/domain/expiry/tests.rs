use super::*;

#[test]
fn dates_and_times_are_written_like_strftime_did() {
    let d = NaiveDate::from_ymd_opt(2027, 5, 5).unwrap();
    assert_eq!(day_month_year(d), d.format("%-d %b %Y").to_string());
    assert_eq!(day_month_year(d), "5 May 2027");
    for m in 1..=12 {
        let d = NaiveDate::from_ymd_opt(2026, m, 28).unwrap();
        assert_eq!(day_month_year(d), d.format("%-d %b %Y").to_string());
    }
    let t = d.and_hms_opt(9, 5, 7).unwrap();
    assert_eq!(hour_minute(&t), "09:05");
    assert_eq!(hour_minute_second(&t), "09:05:07");
    assert_eq!(d.to_string(), "2027-05-05");
}

#[test]
fn iso_dates_parse_strictly() {
    let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
    assert_eq!(parse_iso_date("2027-05-25"), d(2027, 5, 25));
    assert_eq!(parse_iso_date("2027-5-2"), d(2027, 5, 2));
    for bad in [
        "",
        "2027",
        "2027-05",
        "2027-02-30",
        "2027-13-01",
        "2027-05-25-1",
        "2027-05-25 ",
        " 2027-05-25",
        "+2027-05-25",
        "2027-05-x5",
        "2027-005-25",
        "2027--25",
        "25/05/2027",
    ] {
        assert_eq!(parse_iso_date(bad), None, "{bad:?}");
    }
}
use crate::model::{KeyCredential, PasswordCredential};
use chrono::FixedOffset;

fn utc(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
}

#[test]
fn thresholds_are_inclusive_at_exactly_30_and_90_days() {
    let now = utc(2026, 11, 26, 10);
    let at = |d: i64, s: i64| now + Duration::days(d) + Duration::seconds(s);
    assert_eq!(status(&now, &now), ExpiryStatus::Expired);
    assert_eq!(status(&at(0, -1), &now), ExpiryStatus::Expired);
    assert_eq!(status(&at(0, 1), &now), ExpiryStatus::Critical);
    assert_eq!(status(&at(30, 0), &now), ExpiryStatus::Critical);
    assert_eq!(status(&at(30, 1), &now), ExpiryStatus::Warning);
    assert_eq!(status(&at(90, 0), &now), ExpiryStatus::Warning);
    assert_eq!(status(&at(90, 1), &now), ExpiryStatus::Ok);
    assert_eq!(status_of(None, &now), ExpiryStatus::NoExpiry);
}

#[test]
fn time_zones_compare_instants_not_wall_clocks() {
    // 2026-12-26T08:00+10:00 is 2026-12-25T22:00Z: exactly 30 days after now, so critical.
    let now = utc(2026, 11, 25, 22);
    let syd = FixedOffset::east_opt(10 * 3600).unwrap();
    let end = syd.with_ymd_and_hms(2026, 12, 26, 8, 0, 0).unwrap();
    assert_eq!(status(&end, &now), ExpiryStatus::Critical);
    let now_ny = now.with_timezone(&FixedOffset::west_opt(5 * 3600).unwrap());
    assert_eq!(
        status(&(end + Duration::seconds(1)), &now_ny),
        ExpiryStatus::Warning
    );
}

#[test]
fn worst_status_sorts_worst_first_across_secrets_and_certs() {
    let now = utc(2026, 11, 26, 10);
    let secret = |days: i64| PasswordCredential {
        key_id: format!("s{days}"),
        display_name: None,
        hint: None,
        start_date_time: None,
        end_date_time: Some(now + Duration::days(days)),
    };
    let mut app = Application {
        id: "o".into(),
        app_id: "a".into(),
        display_name: "x".into(),
        sign_in_audience: None,
        created_date_time: None,
        password_credentials: vec![],
        key_credentials: vec![],
    };
    assert_eq!(worst_status(&app, &now), ExpiryStatus::NoExpiry);
    app.password_credentials = vec![secret(400), secret(60)];
    assert_eq!(worst_status(&app, &now), ExpiryStatus::Warning);
    app.key_credentials = vec![KeyCredential {
        key_id: "c".into(),
        display_name: None,
        custom_key_identifier: None,
        kind: None,
        usage: None,
        start_date_time: None,
        end_date_time: Some(now - Duration::days(2)),
    }];
    assert_eq!(worst_status(&app, &now), ExpiryStatus::Expired);
    let mut all = [
        ExpiryStatus::NoExpiry,
        ExpiryStatus::Ok,
        ExpiryStatus::Expired,
        ExpiryStatus::Warning,
        ExpiryStatus::Critical,
    ];
    all.sort();
    assert_eq!(all[0], ExpiryStatus::Expired);
    assert_eq!(all[1], ExpiryStatus::Critical);
    assert_eq!(all[4], ExpiryStatus::NoExpiry);
}

#[test]
fn relative_words_count_calendar_days_in_the_users_zone() {
    let now = utc(2026, 11, 26, 10);
    assert_eq!(relative_words(&(now + Duration::hours(5)), &now), "today");
    assert_eq!(
        relative_words(&(now + Duration::days(20)), &now),
        "in 20 days"
    );
    assert_eq!(
        relative_words(&(now - Duration::days(20)), &now),
        "20 days ago"
    );
    assert_eq!(relative_words(&(now + Duration::days(1)), &now), "tomorrow");
    assert_eq!(
        relative_words(&(now - Duration::days(1)), &now),
        "yesterday"
    );
    // 16:00Z is already the next day in UTC+10 when now is 10:00Z (20:00 there).
    let syd = now.with_timezone(&FixedOffset::east_opt(10 * 3600).unwrap());
    assert_eq!(relative_words(&utc(2026, 11, 26, 16), &now), "today");
    assert_eq!(relative_words(&utc(2026, 11, 26, 16), &syd), "tomorrow");
}

#[test]
fn dates_and_phrases() {
    let now = utc(2026, 11, 22, 10);
    let end = utc(2026, 12, 12, 10);
    assert_eq!(format_date(&utc(2027, 5, 25, 0), &Utc), "25 May 2027");
    assert_eq!(
        format_date(&utc(2027, 5, 25, 0), &FixedOffset::west_opt(3600).unwrap()),
        "24 May 2027"
    );
    assert_eq!(
        expiry_phrase(Some(end), &now),
        "Expires in 20 days (12 Dec 2026)"
    );
    assert_eq!(
        expiry_phrase(Some(now - Duration::days(3)), &now),
        "Expired 3 days ago (19 Nov 2026)"
    );
    assert_eq!(
        expiry_phrase(Some(now - Duration::hours(1)), &now),
        "Expired today (22 Nov 2026)"
    );
    assert_eq!(expiry_phrase(None, &now), "Never expires");
}
