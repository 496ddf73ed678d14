//! What an organisation's app management policy means for a new client secret on one app:
//! new secrets blocked, a longest lifetime, or nothing. Only what the policy states is used;
//! anything unreadable, unknown or undecidable (an app whose creation date is unknown, a
//! restriction type or state this app doesn't know, a duration it can't read) counts as "not
//! stated", never as a guess: Microsoft Graph still has the last word when the secret is created.
//!
//! Rules, from the docs under ../shared/specs/graph-docs and the "application authentication
//! methods API overview" (microsoftgraph/microsoft-graph-docs-contrib,
//! api-reference/v1.0/resources/applicationauthenticationmethodpolicy.md):
//! - An app management policy assigned to the app takes precedence over the tenant default, and
//!   the app then "doesn't inherit from the tenant default policy"; only one can be assigned.
//! - A policy applies only when `isEnabled` is true (the tenant default's default is `false`).
//! - A restriction applies when its `state` is `enabled` (the v1.0 CSDL; the docs' examples
//!   carry none, which counts as enabled) and the app was created on or after
//!   `restrictForAppsCreatedAfterDateTime` (`null`: every app) (passwordcredentialconfiguration.md).
//! - `passwordAddition` blocks new secrets; `passwordLifetime` caps them at `maxLifetime`, an
//!   ISO 8601 duration ("P4DT12H30M5S"). `customPasswordAddition` still "allows the application
//!   developer to request Azure AD-generated application password secrets", which is what
//!   addPassword makes, so it does not matter here.

use chrono::{DateTime, Utc};

use crate::model::{
    AppManagementConfiguration, AppManagementPolicy, PasswordCredentialConfiguration,
    TenantAppManagementPolicy,
};

const DAY_SECS: i64 = 86_400;

/// A `maxLifetime`, as Graph wrote it and in seconds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MaxLifetime {
    pub iso: String,
    pub seconds: i64,
}

impl MaxLifetime {
    /// Reads an `Edm.Duration` (OData: ISO 8601 days, hours, minutes and seconds, such as
    /// `P180D` or `P4DT12H30M5S`). Years, months and weeks have no fixed length in days and are
    /// not part of `Edm.Duration`: such a value is unreadable (`None`), not rounded.
    pub fn parse(iso: &str) -> Option<Self> {
        let rest = iso.trim().strip_prefix('P')?;
        let (date, time) = match rest.split_once('T') {
            Some((d, t)) if !t.is_empty() => (d, Some(t)),
            Some(_) => return None,
            None => (rest, None),
        };
        let mut seconds: i64 = 0;
        let mut any = false;
        let mut add = |text: &str, units: &[(char, i64)]| -> Option<()> {
            let mut number = String::new();
            let mut allowed = units.iter();
            for c in text.chars() {
                if c.is_ascii_digit() || c == '.' {
                    number.push(c);
                    continue;
                }
                // Units in order, each at most once.
                let &(_, size) = allowed.by_ref().find(|(u, _)| *u == c)?;
                let (whole, fraction) = number.split_once('.').unwrap_or((&number, ""));
                if whole.is_empty() || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Only seconds may have a fraction; it is dropped (a limit is never rounded up).
                if !fraction.is_empty() && size != 1 {
                    return None;
                }
                let n: i64 = whole.parse().ok()?;
                seconds = seconds.checked_add(n.checked_mul(size)?)?;
                any = true;
                number.clear();
            }
            number.is_empty().then_some(())
        };
        add(date, &[('D', DAY_SECS)])?;
        if let Some(time) = time {
            add(time, &[('H', 3600), ('M', 60), ('S', 1)])?;
        }
        any.then(|| MaxLifetime {
            iso: iso.trim().to_string(),
            seconds,
        })
    }

    /// Whole days within the limit (rounded down: a lifetime of that many days is allowed).
    pub fn whole_days(&self) -> u32 {
        u32::try_from(self.seconds / DAY_SECS).unwrap_or(u32::MAX)
    }

    /// The limit in words: "180 days", or the duration itself when it isn't whole days.
    pub fn words(&self) -> String {
        match (self.seconds % DAY_SECS, self.whole_days()) {
            (0, 1) => "1 day".into(),
            (0, n) => format!("{n} days"),
            _ => format!("{} ({})", self.iso, hours_words(self.seconds)),
        }
    }
}

fn hours_words(seconds: i64) -> String {
    let hours = seconds / 3600;
    if hours >= 24 {
        format!("{} days and {} hours", hours / 24, hours % 24)
    } else {
        format!("{hours} hours")
    }
}

/// Which policy governs the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicySource {
    /// The tenant default app management policy.
    TenantDefault,
    /// An app management policy assigned to this app, with its display name.
    AppPolicy { name: Option<String> },
}

/// What the policy in force says about new secrets on one app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretPolicy {
    pub source: PolicySource,
    /// `passwordAddition` applies: no new client secrets at all.
    pub blocked: bool,
    /// `passwordLifetime` applies: the longest lifetime of a new secret.
    pub max_lifetime: Option<MaxLifetime>,
}

impl SecretPolicy {
    /// "Your organisation's policy" or "Your organisation's policy for this app (“Name”)".
    pub fn who(&self) -> String {
        match &self.source {
            PolicySource::TenantDefault => "Your organisation's policy".into(),
            PolicySource::AppPolicy { name: Some(n) } if !n.trim().is_empty() => {
                format!("Your organisation's policy for this app (“{}”)", n.trim())
            }
            PolicySource::AppPolicy { .. } => "Your organisation's policy for this app".into(),
        }
    }

    /// The sentence for a policy that blocks new secrets.
    pub fn blocked_message(&self) -> String {
        format!(
            "{} doesn't allow new client secrets for this app. Use a certificate or a federated \
             credential instead; an administrator of your organisation can tell you which.",
            self.who()
        )
    }
}

/// Whether a restriction governs an app created at `created` (`None`: unknown, so not decided).
fn applies(r: &PasswordCredentialConfiguration, created: Option<DateTime<Utc>>) -> bool {
    let enabled = r
        .state
        .as_deref()
        .is_none_or(|s| s.eq_ignore_ascii_case("enabled"));
    let dated = match r.restrict_for_apps_created_after_date_time {
        None => true,
        Some(date) => created.is_some_and(|c| c >= date),
    };
    enabled && dated
}

fn is_kind(r: &PasswordCredentialConfiguration, kind: &str) -> bool {
    r.restriction_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case(kind))
}

fn rule(
    source: PolicySource,
    enabled: Option<bool>,
    restrictions: Option<&AppManagementConfiguration>,
    created: Option<DateTime<Utc>>,
) -> SecretPolicy {
    let governing: Vec<&PasswordCredentialConfiguration> = if enabled == Some(true) {
        restrictions
            .map(|r| r.password_credentials.iter())
            .into_iter()
            .flatten()
            .filter(|r| applies(r, created))
            .collect()
    } else {
        Vec::new()
    };
    SecretPolicy {
        source,
        blocked: governing.iter().any(|r| is_kind(r, "passwordAddition")),
        max_lifetime: governing
            .iter()
            .filter(|r| is_kind(r, "passwordLifetime"))
            .filter_map(|r| MaxLifetime::parse(r.max_lifetime.as_deref()?))
            .min_by_key(|m| m.seconds),
    }
}

/// The policy in force for an app created at `created`, from the tenant default and the
/// policies assigned to the app: an assigned one replaces the default.
pub fn secret_policy(
    default: &TenantAppManagementPolicy,
    assigned: &[AppManagementPolicy],
    created: Option<DateTime<Utc>>,
) -> SecretPolicy {
    match assigned.first() {
        Some(own) => assigned_policy(own, created),
        None => rule(
            PolicySource::TenantDefault,
            default.is_enabled,
            default.application_restrictions.as_ref(),
            created,
        ),
    }
}

/// The rule of a policy assigned to the app (the tenant default doesn't matter then).
pub fn assigned_policy(own: &AppManagementPolicy, created: Option<DateTime<Utc>>) -> SecretPolicy {
    rule(
        PolicySource::AppPolicy {
            name: own.display_name.clone(),
        },
        own.is_enabled,
        own.restrictions.as_ref(),
        created,
    )
}

#[cfg(test)]
mod tests;
