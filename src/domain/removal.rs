//! Removing any client secret on the Review step ("this secret leaked: remove it now"): what
//! removing it does to the app's sign-ins with a secret, so the confirmation can warn before the
//! last working one goes ([`removal_impact`]).
//!
//! "Working" is [`rotation::is_active`](super::rotation::is_active): started (or no start) and
//! not ended. A secret that hasn't started yet doesn't count as working, but it is named as the
//! one that will take over ([`RemovalImpact::LastWorking`]'s `next`). Nothing here blocks a
//! removal: the user decides, and only Microsoft Graph's own refusal says "you can't".

use chrono::{DateTime, TimeZone, Utc};

use super::rotation::{active_secrets, is_active};
use crate::model::PasswordCredential;

/// What removing one secret does to the app's sign-ins with a client secret.
#[derive(Clone, Debug, PartialEq)]
pub enum RemovalImpact {
    /// The app has no secret with that keyId (any more).
    NotFound,
    /// Expired or not started yet: nothing signs in with it now.
    NotWorking,
    /// This many other working secrets remain.
    OthersWork(usize),
    /// The app's last working secret: once it goes, nothing can sign in with a client secret
    /// until another one works. `next`: the earliest not-yet-started, unexpired secret, which
    /// will work from its start.
    LastWorking { next: Option<PasswordCredential> },
}

impl RemovalImpact {
    /// Removing it leaves the app with no working secret.
    pub fn is_last_working(&self) -> bool {
        matches!(self, RemovalImpact::LastWorking { .. })
    }
}

/// The impact of removing the secret `key_id` (compared without regard to case) now.
pub fn removal_impact<Tz: TimeZone>(
    creds: &[PasswordCredential],
    key_id: &str,
    now: &DateTime<Tz>,
) -> RemovalImpact {
    let Some(target) = creds.iter().find(|c| c.key_id.eq_ignore_ascii_case(key_id)) else {
        return RemovalImpact::NotFound;
    };
    if !is_active(target, now) {
        return RemovalImpact::NotWorking;
    }
    match active_secrets(creds, now).len() - 1 {
        0 => RemovalImpact::LastWorking {
            next: next_to_start(creds, now).cloned(),
        },
        n => RemovalImpact::OthersWork(n),
    }
}

/// The app's only working secret, when exactly one works.
pub fn last_working<'a, Tz: TimeZone>(
    creds: &'a [PasswordCredential],
    now: &DateTime<Tz>,
) -> Option<&'a PasswordCredential> {
    match active_secrets(creds, now)[..] {
        [only] => Some(only),
        _ => None,
    }
}

/// The secret that starts soonest among those not started yet (and not ending before they start).
fn next_to_start<'a, Tz: TimeZone>(
    creds: &'a [PasswordCredential],
    now: &DateTime<Tz>,
) -> Option<&'a PasswordCredential> {
    let now = now.with_timezone(&Utc);
    let starts = |c: &PasswordCredential| -> Option<DateTime<Utc>> {
        let start = c.start_date_time.filter(|s| *s > now)?;
        c.end_date_time.is_none_or(|e| e > start).then_some(start)
    };
    creds
        .iter()
        .filter_map(|c| starts(c).map(|s| (s, c)))
        .min_by_key(|(s, _)| *s)
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, FixedOffset};

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
    }

    /// A secret that started `start_days` from now and ends `end_days` from now.
    fn secret(key: &str, start_days: i64, end_days: i64) -> PasswordCredential {
        PasswordCredential {
            key_id: key.into(),
            display_name: Some(format!("secret {key}")),
            hint: None,
            start_date_time: Some(now() + Duration::days(start_days)),
            end_date_time: Some(now() + Duration::days(end_days)),
        }
    }

    #[test]
    fn the_only_unexpired_started_secret_is_the_last_working_one() {
        // Onboarding Portal: one working secret.
        let one = vec![secret("portal", -290, 75)];
        assert_eq!(
            removal_impact(&one, "PORTAL", &now()),
            RemovalImpact::LastWorking { next: None },
            "keyIds compare without case"
        );
        assert_eq!(
            last_working(&one, &now()).map(|c| c.key_id.as_str()),
            Some("portal")
        );
        // An expired secret beside it changes nothing; removing the expired one is harmless.
        let with_expired = vec![secret("old", -800, -10), secret("portal", -290, 75)];
        assert!(removal_impact(&with_expired, "portal", &now()).is_last_working());
        assert_eq!(
            removal_impact(&with_expired, "old", &now()),
            RemovalImpact::NotWorking
        );
        assert_eq!(
            removal_impact(&with_expired, "gone", &now()),
            RemovalImpact::NotFound
        );
    }

    #[test]
    fn another_working_secret_means_no_warning() {
        // Payroll API: both secrets work (one ends in 20 days).
        let two = vec![
            secret("payroll-2024", -345, 20),
            secret("payroll-2025", -165, 200),
        ];
        let impact = removal_impact(&two, "payroll-2024", &now());
        assert_eq!(impact, RemovalImpact::OthersWork(1));
        assert!(!impact.is_last_working());
        assert_eq!(last_working(&two, &now()), None, "two work");
        // A secret without an end never expires: it works.
        let mut open = secret("open", -1, 0);
        open.end_date_time = None;
        let with_open = vec![secret("a", -10, 10), open];
        assert_eq!(
            removal_impact(&with_open, "a", &now()),
            RemovalImpact::OthersWork(1)
        );
    }

    #[test]
    fn a_secret_not_started_yet_doesnt_work_yet_but_is_named_as_the_next() {
        let later = secret("next", 10, 190);
        let never = secret("ends-first", 5, 4);
        let soonest_but_expired = secret("expired", -20, -1);
        let creds = vec![
            secret("now", -100, 30),
            secret("after", 40, 300),
            later.clone(),
            never,
            soonest_but_expired,
        ];
        assert_eq!(
            removal_impact(&creds, "now", &now()),
            RemovalImpact::LastWorking { next: Some(later) }
        );
        assert_eq!(
            removal_impact(&creds, "next", &now()),
            RemovalImpact::NotWorking,
            "not working yet"
        );
        // Ops Dashboard: its only secret isn't valid yet, so none works now.
        let ops = vec![secret("ops-next", 10, 190)];
        assert_eq!(last_working(&ops, &now()), None);
    }

    #[test]
    fn working_is_judged_at_the_instant_whatever_the_time_zone() {
        let mut ends = secret("ends", -100, 0);
        ends.end_date_time = Some(now() + Duration::minutes(30));
        let creds = vec![ends, secret("other", -1, 100)];
        let tokyo = now().with_timezone(&FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(
            removal_impact(&creds, "other", &tokyo),
            RemovalImpact::OthersWork(1)
        );
        let later = tokyo + Duration::hours(1);
        assert!(removal_impact(&creds, "other", &later).is_last_working());
    }
}
