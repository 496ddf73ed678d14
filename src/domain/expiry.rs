//! Expiry status of credentials, and the words and dates used to show it.
//!
//! Thresholds are exact durations from `now`: expired when `end <= now`, critical when the end
//! is at most 30 days away, warning at most 90 days. Dates and "today"/"in N days" are counted
//! in the calendar of `now`'s time zone, so pass `now` in the user's offset.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Timelike, Utc};

use crate::model::Application;

/// Days from now at or under which a credential is critical.
pub const CRITICAL_DAYS: i64 = 30;
/// Days from now at or under which a credential needs attention.
pub const WARNING_DAYS: i64 = 90;

/// How urgent a credential is. Ordered worst first, so `min()` gives the worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExpiryStatus {
    Expired,
    /// Expires within 30 days.
    Critical,
    /// Expires within 90 days.
    Warning,
    Ok,
    /// No end date (or nothing to expire).
    NoExpiry,
}

impl ExpiryStatus {
    /// The badge text (status badges always carry text, never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            ExpiryStatus::Expired => "Expired",
            ExpiryStatus::Critical => "Expires within 30 days",
            ExpiryStatus::Warning => "Expires within 90 days",
            ExpiryStatus::Ok => "OK",
            ExpiryStatus::NoExpiry => "No expiry",
        }
    }

    /// A stable lower-case key for CSS classes and tests: `expired`, `critical`, …
    pub fn key(self) -> &'static str {
        match self {
            ExpiryStatus::Expired => "expired",
            ExpiryStatus::Critical => "critical",
            ExpiryStatus::Warning => "warning",
            ExpiryStatus::Ok => "ok",
            ExpiryStatus::NoExpiry => "no-expiry",
        }
    }
}

/// The status of a credential ending at `end`, seen at `now` (any time zones).
pub fn status<A: TimeZone, B: TimeZone>(end: &DateTime<A>, now: &DateTime<B>) -> ExpiryStatus {
    let left = end.with_timezone(&Utc) - now.with_timezone(&Utc);
    if left <= Duration::zero() {
        ExpiryStatus::Expired
    } else if left <= Duration::days(CRITICAL_DAYS) {
        ExpiryStatus::Critical
    } else if left <= Duration::days(WARNING_DAYS) {
        ExpiryStatus::Warning
    } else {
        ExpiryStatus::Ok
    }
}

/// Like [`status`], for an optional end date (`None` → [`ExpiryStatus::NoExpiry`]).
pub fn status_of<B: TimeZone>(end: Option<DateTime<Utc>>, now: &DateTime<B>) -> ExpiryStatus {
    end.map_or(ExpiryStatus::NoExpiry, |e| status(&e, now))
}

/// The worst status across an app's secrets and certificates; `NoExpiry` when it has none.
pub fn worst_status<B: TimeZone>(app: &Application, now: &DateTime<B>) -> ExpiryStatus {
    let secrets = app.password_credentials.iter().map(|c| c.end_date_time);
    let certs = app.key_credentials.iter().map(|c| c.end_date_time);
    secrets
        .chain(certs)
        .map(|end| status_of(end, now))
        .min()
        .unwrap_or(ExpiryStatus::NoExpiry)
}

/// Calendar days from `now`'s date to `t`'s date, both in `now`'s time zone.
pub fn calendar_days_until<B: TimeZone>(t: &DateTime<Utc>, now: &DateTime<B>) -> i64 {
    let tz = now.timezone();
    (t.with_timezone(&tz).date_naive() - now.date_naive()).num_days()
}

/// "today", "tomorrow", "yesterday", "in 20 days", "20 days ago".
pub fn relative_words<B: TimeZone>(t: &DateTime<Utc>, now: &DateTime<B>) -> String {
    match calendar_days_until(t, now) {
        0 => "today".into(),
        1 => "tomorrow".into(),
        -1 => "yesterday".into(),
        n if n > 0 => format!("in {n} days"),
        n => format!("{} days ago", -n),
    }
}

/// "25 May 2027", in `tz`'s calendar.
pub fn format_date<Z: TimeZone>(t: &DateTime<Utc>, tz: &Z) -> String
where
    Z::Offset: std::fmt::Display,
{
    day_month_year(t.with_timezone(tz).date_naive())
}

// Dates are written by hand rather than with chrono's `format`/`parse_from_str`: the strftime
// machinery they pull in costs the browser bundle about 12 KB gzip (measured).
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "25 May 2027" (chrono's `%-d %b %Y`).
pub fn day_month_year(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "09:05" (`%H:%M`).
pub fn hour_minute<T: Timelike>(t: &T) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// "09:05:07" (`%H:%M:%S`).
pub fn hour_minute_second<T: Timelike>(t: &T) -> String {
    format!("{:02}:{:02}:{:02}", t.hour(), t.minute(), t.second())
}

/// A calendar date written `2027-05-25` (what `<input type="date">` gives and `NaiveDate`'s
/// `Display` writes): a year of 1 to 6 digits, a month and a day of 1 or 2 digits each.
pub fn parse_iso_date(text: &str) -> Option<NaiveDate> {
    let mut parts = text.split('-');
    let mut number = |max_len: usize| -> Option<u32> {
        let p = parts.next()?;
        let ok = (1..=max_len).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit());
        ok.then(|| p.parse().ok()).flatten()
    };
    let (y, m, d) = (number(6)?, number(2)?, number(2)?);
    if parts.next().is_some() {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(y).ok()?, m, d)
}

/// "Expires in 20 days (12 Dec 2026)", "Expired 3 days ago (…)", "Expires today (…)",
/// or "Never expires".
pub fn expiry_phrase<B: TimeZone>(end: Option<DateTime<Utc>>, now: &DateTime<B>) -> String
where
    B::Offset: std::fmt::Display,
{
    let Some(end) = end else {
        return "Never expires".into();
    };
    let date = format_date(&end, &now.timezone());
    let words = relative_words(&end, now);
    if end <= now.with_timezone(&Utc) {
        if words == "today" {
            format!("Expired today ({date})")
        } else {
            format!("Expired {words} ({date})")
        }
    } else {
        format!("Expires {words} ({date})")
    }
}

#[cfg(test)]
mod tests {
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
}
