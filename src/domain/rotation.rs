//! Rotating with overlap: which secrets still work, whether removing one is risky, and which
//! secret a lost addPassword created.

use chrono::{DateTime, TimeZone, Utc};

use crate::model::{NewPassword, PasswordCredential};

/// Apps that accept personal Microsoft accounts may hold at most this many secrets.
pub const PERSONAL_ACCOUNT_SECRET_CAP: usize = 2;

/// A secret works now: it has started (or has no start) and has not ended.
pub fn is_active<Tz: TimeZone>(c: &PasswordCredential, now: &DateTime<Tz>) -> bool {
    let now = now.with_timezone(&Utc);
    c.start_date_time.is_none_or(|s| s <= now) && c.end_date_time.is_none_or(|e| e > now)
}

/// The secrets that work now.
pub fn active_secrets<'a, Tz: TimeZone>(
    creds: &'a [PasswordCredential],
    now: &DateTime<Tz>,
) -> Vec<&'a PasswordCredential> {
    creds.iter().filter(|c| is_active(c, now)).collect()
}

/// How risky removing a secret is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalRisk {
    /// No secret with that keyId.
    NotFound,
    /// Already expired or not yet started: nothing working depends on it.
    Inactive,
    /// Enough working secrets remain.
    Safe,
    /// Only one working secret would remain and consumers are not confirmed as updated.
    ConsumersNotConfirmed,
    /// No working secret would remain: ask a second time before removing.
    LastActive,
}

impl RemovalRisk {
    /// Whether the UI must ask again before calling removePassword.
    pub fn needs_second_confirmation(self) -> bool {
        matches!(
            self,
            RemovalRisk::LastActive | RemovalRisk::ConsumersNotConfirmed
        )
    }

    pub fn warning(self) -> Option<&'static str> {
        match self {
            RemovalRisk::LastActive => Some(
                "This is the app's last working secret. Anything that signs in with it will stop \
                 working at once.",
            ),
            RemovalRisk::ConsumersNotConfirmed => Some(
                "Only one working secret will remain. Make sure every service using this one has \
                 been updated first.",
            ),
            _ => None,
        }
    }
}

/// The risk of removing `key_id` now.
pub fn removal_risk<Tz: TimeZone>(
    creds: &[PasswordCredential],
    key_id: &str,
    now: &DateTime<Tz>,
    consumers_confirmed: bool,
) -> RemovalRisk {
    let Some(target) = creds.iter().find(|c| c.key_id.eq_ignore_ascii_case(key_id)) else {
        return RemovalRisk::NotFound;
    };
    if !is_active(target, now) {
        return RemovalRisk::Inactive;
    }
    let remaining = active_secrets(creds, now).len() - 1;
    match remaining {
        0 => RemovalRisk::LastActive,
        1 if !consumers_confirmed => RemovalRisk::ConsumersNotConfirmed,
        _ => RemovalRisk::Safe,
    }
}

/// After an addPassword whose response was lost: the credential it created, if the app (read
/// again) has one with the same description, start and end as were sent. Its value is lost;
/// offer to remove it.
pub fn find_created<'a>(
    creds: &'a [PasswordCredential],
    sent: &NewPassword,
) -> Option<&'a PasswordCredential> {
    let near = |t: Option<DateTime<Utc>>, want: DateTime<Utc>| {
        t.is_some_and(|t| (t - want).num_milliseconds().abs() < 1000)
    };
    creds.iter().find(|c| {
        c.display_name.as_deref() == Some(sent.display_name.as_str())
            && near(c.start_date_time, sent.start)
            && near(c.end_date_time, sent.end)
    })
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, FixedOffset, TimeZone, Utc};

    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
    }

    fn secret(key: &str, end_days: i64) -> PasswordCredential {
        PasswordCredential {
            key_id: key.into(),
            display_name: Some(format!("secret {key}")),
            hint: None,
            start_date_time: Some(now() - Duration::days(400)),
            end_date_time: Some(now() + Duration::days(end_days)),
        }
    }

    #[test]
    fn active_means_started_and_not_ended() {
        let mut future = secret("f", 100);
        future.start_date_time = Some(now() + Duration::hours(1));
        let mut open = secret("o", 0);
        open.start_date_time = None;
        open.end_date_time = None;
        let ends_now = secret("n", 0);
        let creds = vec![secret("a", 10), secret("x", -1), future, open, ends_now];
        let keys: Vec<&str> = active_secrets(&creds, &now())
            .iter()
            .map(|c| c.key_id.as_str())
            .collect();
        assert_eq!(keys, ["a", "o"]);
        let tokyo = now().with_timezone(&FixedOffset::east_opt(9 * 3600).unwrap());
        assert_eq!(active_secrets(&creds, &tokyo).len(), 2);
    }

    #[test]
    fn removal_risk_levels() {
        let one = vec![secret("a", 10), secret("old", -5)];
        assert_eq!(
            removal_risk(&one, "a", &now(), true),
            RemovalRisk::LastActive
        );
        assert!(RemovalRisk::LastActive.needs_second_confirmation());
        assert_eq!(
            removal_risk(&one, "old", &now(), false),
            RemovalRisk::Inactive
        );
        assert_eq!(
            removal_risk(&one, "nope", &now(), true),
            RemovalRisk::NotFound
        );

        let two = vec![secret("a", 10), secret("B", 700)];
        assert_eq!(
            removal_risk(&two, "a", &now(), false),
            RemovalRisk::ConsumersNotConfirmed
        );
        assert_eq!(removal_risk(&two, "b", &now(), true), RemovalRisk::Safe);
        assert!(!RemovalRisk::Safe.needs_second_confirmation());

        let three = vec![secret("a", 10), secret("b", 700), secret("c", 300)];
        assert_eq!(removal_risk(&three, "a", &now(), false), RemovalRisk::Safe);
    }

    #[test]
    fn finds_the_secret_a_lost_add_password_created() {
        let sent = NewPassword {
            display_name: "Created by dan@contoso.example on 2026-11-26 via secret-wizard".into(),
            start: now(),
            end: now() + Duration::days(730),
        };
        let mut made = secret("new", 730);
        made.display_name = Some(sent.display_name.clone());
        made.start_date_time = Some(now() + Duration::milliseconds(400));
        let mut other = made.clone();
        other.key_id = "older".into();
        other.start_date_time = Some(now() - Duration::days(1));
        let creds = vec![other, made];
        assert_eq!(
            find_created(&creds, &sent).map(|c| c.key_id.as_str()),
            Some("new")
        );
        assert_eq!(find_created(&creds[..1], &sent), None);
    }
}
