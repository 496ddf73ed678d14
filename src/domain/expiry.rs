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
mod tests;
