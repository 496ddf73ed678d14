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

use crate::graph::policy::{
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
mod tests {
    use super::*;
    use crate::graph::policy::{parse_app_policies, parse_default_policy};
    use crate::net::HttpResponse;
    use chrono::TimeZone;

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/graph/",
                $name
            ))
        };
    }

    fn at(y: i32, m: u32, d: u32) -> Option<DateTime<Utc>> {
        Some(Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap())
    }

    fn default_from(body: &str) -> TenantAppManagementPolicy {
        parse_default_policy(&HttpResponse::new(200, body)).unwrap()
    }

    fn restriction(
        kind: &str,
        max: Option<&str>,
        after: Option<&str>,
        state: Option<&str>,
    ) -> serde_json::Value {
        serde_json::json!({"restrictionType": kind, "maxLifetime": max,
            "restrictForAppsCreatedAfterDateTime": after, "state": state})
    }

    fn enabled_default(restrictions: Vec<serde_json::Value>) -> TenantAppManagementPolicy {
        default_from(
            &serde_json::json!({"id": "00000000-0000-0000-0000-000000000000", "isEnabled": true,
                "applicationRestrictions": {"passwordCredentials": restrictions}})
            .to_string(),
        )
    }

    #[test]
    fn durations_read_days_hours_minutes_and_seconds_only() {
        let d = |s| MaxLifetime::parse(s).map(|m| m.seconds);
        assert_eq!(d("P180D"), Some(180 * DAY_SECS));
        assert_eq!(
            d("P4DT12H30M5S"),
            Some(4 * DAY_SECS + 12 * 3600 + 30 * 60 + 5)
        );
        assert_eq!(d("PT12H"), Some(12 * 3600));
        assert_eq!(d("PT1.75S"), Some(1), "a fraction of a second is dropped");
        assert_eq!(d("P0D"), Some(0));
        for unreadable in [
            "",
            "P",
            "PT",
            "180D",
            "P1Y",
            "P6M",
            "P2W",
            "P1DT",
            "P1H",
            "PT1D",
            "P1.5D",
            "PT5S3M",
            "P-1D",
            "PxD",
            "P99999999999999999999D",
        ] {
            assert_eq!(d(unreadable), None, "{unreadable}");
        }
        let m = MaxLifetime::parse("P4DT12H30M5S").unwrap();
        assert_eq!(m.whole_days(), 4);
        assert_eq!(m.words(), "P4DT12H30M5S (4 days and 12 hours)");
        assert_eq!(MaxLifetime::parse("P180D").unwrap().words(), "180 days");
        assert_eq!(MaxLifetime::parse("P1D").unwrap().words(), "1 day");
        assert_eq!(MaxLifetime::parse("PT12H").unwrap().whole_days(), 0);
    }

    #[test]
    fn the_docs_examples_as_policies_in_force() {
        // The docs' tenant default is disabled: nothing applies.
        let off = default_from(fixture!("policy-tenant-default-get.json"));
        let p = secret_policy(&off, &[], at(2024, 6, 3));
        assert_eq!(
            p,
            SecretPolicy {
                source: PolicySource::TenantDefault,
                blocked: false,
                max_lifetime: None
            }
        );
        // The docs' enabled default: passwords blocked for apps created on or after 2021-01-01,
        // and at most P4DT12H30M5S for those created on or after 2017-01-01.
        let on = default_from(fixture!("policy-tenant-default-update-request.json"));
        let new_app = secret_policy(&on, &[], at(2024, 6, 3));
        assert!(new_app.blocked);
        assert_eq!(new_app.max_lifetime.unwrap().whole_days(), 4);
        let older = secret_policy(&on, &[], at(2018, 5, 1));
        assert!(!older.blocked);
        assert_eq!(older.max_lifetime.unwrap().iso, "P4DT12H30M5S");
        let oldest = secret_policy(&on, &[], at(2016, 5, 1));
        assert_eq!((oldest.blocked, oldest.max_lifetime), (false, None));
        // The docs' assigned policy is disabled (`isEnabled: false`): it replaces the default,
        // and restricts nothing.
        let list = parse_app_policies(&HttpResponse::new(
            200,
            fixture!("policy-app-policies-list.json"),
        ))
        .unwrap();
        let p = secret_policy(&on, &list.value, at(2024, 6, 3));
        assert_eq!(
            p.source,
            PolicySource::AppPolicy {
                name: Some("Custom app management policy".into())
            }
        );
        assert_eq!((p.blocked, p.max_lifetime), (false, None));
    }

    #[test]
    fn an_assigned_policy_replaces_the_default_and_does_not_inherit_it() {
        let default = enabled_default(vec![restriction(
            "passwordLifetime",
            Some("P180D"),
            Some("2024-01-01T00:00:00Z"),
            Some("enabled"),
        )]);
        let mut list = parse_app_policies(&HttpResponse::new(
            200,
            fixture!("policy-app-policies-list.json"),
        ))
        .unwrap()
        .value;
        list[0].is_enabled = Some(true);
        let p = secret_policy(&default, &list, at(2024, 6, 3));
        assert!(p.blocked, "its passwordAddition (2019-10-19) applies");
        assert_eq!(p.max_lifetime.as_ref().unwrap().iso, "P4DT12H30M5S");
        assert_eq!(
            p.blocked_message(),
            "Your organisation's policy for this app (“Custom app management policy”) doesn't \
             allow new client secrets for this app. Use a certificate or a federated credential \
             instead; an administrator of your organisation can tell you which."
        );
        // Without an assignment the default's P180D governs an app created after its date…
        let p = secret_policy(&default, &[], at(2024, 6, 3));
        assert_eq!(p.max_lifetime.as_ref().unwrap().whole_days(), 180);
        assert_eq!(p.who(), "Your organisation's policy");
        // …on the date itself too ("created on or after"), and not before it.
        let on_the_day = Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap());
        assert!(secret_policy(&default, &[], on_the_day)
            .max_lifetime
            .is_some());
        assert!(secret_policy(&default, &[], at(2023, 12, 31))
            .max_lifetime
            .is_none());
    }

    #[test]
    fn nothing_is_assumed_that_the_policy_does_not_state() {
        let created = at(2024, 6, 3);
        // A disabled restriction, a disabled or unset policy, an unknown state or kind.
        for (enabled, r) in [
            (
                true,
                restriction("passwordLifetime", Some("P30D"), None, Some("disabled")),
            ),
            (
                true,
                restriction(
                    "passwordLifetime",
                    Some("P30D"),
                    None,
                    Some("unknownFutureValue"),
                ),
            ),
            (
                true,
                restriction("symmetricKeyLifetime", Some("P30D"), None, None),
            ),
            (
                true,
                restriction("customPasswordAddition", None, None, None),
            ),
            (
                true,
                restriction("passwordLifetime", Some("P1Y"), None, None),
            ),
            (true, restriction("passwordLifetime", None, None, None)),
        ] {
            let d = if enabled {
                enabled_default(vec![r.clone()])
            } else {
                unreachable!()
            };
            let p = secret_policy(&d, &[], created);
            assert_eq!((p.blocked, p.max_lifetime), (false, None), "{r}");
        }
        let mut unset = enabled_default(vec![restriction("passwordAddition", None, None, None)]);
        assert!(
            secret_policy(&unset, &[], created).blocked,
            "no state: enabled"
        );
        unset.is_enabled = None;
        assert!(
            !secret_policy(&unset, &[], created).blocked,
            "isEnabled defaults to false"
        );
        // A dated restriction on an app whose creation date is unknown is not applied…
        let dated = enabled_default(vec![restriction(
            "passwordAddition",
            None,
            Some("2020-01-01T00:00:00Z"),
            Some("enabled"),
        )]);
        assert!(!secret_policy(&dated, &[], None).blocked);
        // …but an undated one applies to every app.
        let undated = enabled_default(vec![restriction(
            "passwordLifetime",
            Some("P90D"),
            None,
            Some("Enabled"),
        )]);
        assert_eq!(
            secret_policy(&undated, &[], None)
                .max_lifetime
                .unwrap()
                .whole_days(),
            90
        );
        // Two lifetimes: the shorter governs.
        let two = enabled_default(vec![
            restriction("passwordLifetime", Some("P90D"), None, None),
            restriction("passwordLifetime", Some("P60D"), None, None),
        ]);
        assert_eq!(
            secret_policy(&two, &[], created)
                .max_lifetime
                .unwrap()
                .whole_days(),
            60
        );
    }
}
