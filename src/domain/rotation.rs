//! Rotating with overlap: which secrets still work, whether removing one is risky, and the
//! order of steps (add the new secret, store it, update consumers, then remove the old one).

use chrono::{DateTime, TimeZone, Utc};

use crate::graph::{Application, NewPassword, PasswordCredential};

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

/// The review screen's note when a rotation without overlap would cause an outage.
pub fn overlap_note<Tz: TimeZone>(app: &Application, now: &DateTime<Tz>) -> Option<&'static str> {
    (active_secrets(&app.password_credentials, now).len() == 1)
        .then_some("This app has only one working secret. Rotate with overlap: add the new one before removing the old.")
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

/// One step of a rotation, in order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RotationStep {
    /// Remove an expired secret (first, to make room under the two-secret cap; last, as cleanup).
    RemoveExpired {
        key_id: String,
        name: String,
    },
    AddSecret,
    StoreInVault,
    UpdateConsumers,
    /// Remove the secret being replaced, once consumers use the new one.
    RemoveOld {
        key_id: String,
        name: String,
    },
}

/// Why the plan can't start with adding a secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RotationBlock {
    /// At the two-secret cap with no expired secret to remove: a working one must go first.
    SecretCapReached,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationPlan {
    pub steps: Vec<RotationStep>,
    pub blocked: Option<RotationBlock>,
}

fn name_of(c: &PasswordCredential) -> String {
    c.display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .or_else(|| c.hint.as_ref().map(|h| format!("{h}…")))
        .unwrap_or_else(|| c.key_id.clone())
}

/// The rotation plan for an app. `replacing` is the secret the new one replaces; by default
/// the working secret that expires first.
pub fn plan<Tz: TimeZone>(
    app: &Application,
    now: &DateTime<Tz>,
    replacing: Option<&str>,
) -> RotationPlan {
    let creds = &app.password_credentials;
    let mut expired: Vec<&PasswordCredential> = creds
        .iter()
        .filter(|c| {
            c.end_date_time
                .is_some_and(|e| e <= now.with_timezone(&Utc))
        })
        .collect();
    expired.sort_by_key(|c| c.end_date_time);
    let remove_expired = |c: &PasswordCredential| RotationStep::RemoveExpired {
        key_id: c.key_id.clone(),
        name: name_of(c),
    };

    let mut steps = Vec::new();
    let mut blocked = None;
    let mut cleanup_from = 0;
    if app.accepts_personal_accounts() && creds.len() >= PERSONAL_ACCOUNT_SECRET_CAP {
        let must_free = creds.len() + 1 - PERSONAL_ACCOUNT_SECRET_CAP;
        cleanup_from = must_free.min(expired.len());
        steps.extend(expired[..cleanup_from].iter().map(|c| remove_expired(c)));
        if must_free > expired.len() {
            blocked = Some(RotationBlock::SecretCapReached);
        }
    }
    steps.extend([
        RotationStep::AddSecret,
        RotationStep::StoreInVault,
        RotationStep::UpdateConsumers,
    ]);
    let active = active_secrets(creds, now);
    let old = match replacing {
        Some(k) => active.iter().find(|c| c.key_id.eq_ignore_ascii_case(k)),
        None => active
            .iter()
            .min_by_key(|c| c.end_date_time.unwrap_or(DateTime::<Utc>::MAX_UTC)),
    };
    if let Some(c) = old {
        steps.push(RotationStep::RemoveOld {
            key_id: c.key_id.clone(),
            name: name_of(c),
        });
    }
    steps.extend(expired[cleanup_from..].iter().map(|c| remove_expired(c)));
    RotationPlan { steps, blocked }
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
#[path = "rotation_tests.rs"]
mod tests;
