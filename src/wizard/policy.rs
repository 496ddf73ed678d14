//! The organisation's app management policy for the chosen app, as far as the wizard knows it.
//!
//! Two sources, and no third: the policy itself, read before offering lifetimes when the
//! optional `Policy.Read.All` (or an ApplicationConfiguration policy permission) is granted
//! (`GET /policies/defaultAppManagementPolicy` and the app's `appManagementPolicies`); and
//! Graph's refusals of addPassword, which say *that* the policy refuses, not its maximum. A read
//! that fails (403 without the permission or a role, or anything else) leaves the policy
//! unknown, silently: the wizard then offers what the site allows and Graph decides.
//!
//! The model only (a leaf): the Review step reads it (`wizard::review`), Describe copies it.

use chrono::{DateTime, Utc};

use crate::domain::lifetime::Limit;
use crate::domain::policy::{self, SecretPolicy};
use crate::graph::policy::{AppManagementPolicy, TenantAppManagementPolicy};

/// One read of the policy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Read<T> {
    /// Not asked for (the permission isn't granted, or not known yet).
    #[default]
    NotAsked,
    Pending,
    Got(T),
    /// Refused or failed: nothing is known from it.
    Failed,
}

/// What the wizard knows of the policy for one app.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppPolicy {
    pub default: Read<TenantAppManagementPolicy>,
    pub assigned: Read<Vec<AppManagementPolicy>>,
    /// The shortest lifetime (days) Graph refused with `CredentialInvalidLifetimeAsPerAppPolicy`:
    /// the policy allows less than this.
    pub refused_days: Option<u32>,
    /// Graph refused a new secret with `CredentialTypeNotAllowedAsPerAppPolicy`.
    pub refused_addition: bool,
}

/// The policy as the steps show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PolicyView {
    /// Not read (not granted, or the read failed): nothing is stated.
    Unknown,
    /// Being read.
    Reading,
    /// Read: what the policy in force says for this app.
    Known(SecretPolicy),
}

impl AppPolicy {
    /// What the reads say for an app created at `created`. An assigned policy is enough on its
    /// own (it replaces the default); otherwise both answers are needed.
    pub fn view(&self, created: Option<DateTime<Utc>>) -> PolicyView {
        match (&self.assigned, &self.default) {
            (Read::Got(list), _) if !list.is_empty() => {
                PolicyView::Known(policy::assigned_policy(&list[0], created))
            }
            (Read::Got(_), Read::Got(d)) => {
                PolicyView::Known(policy::secret_policy(d, &[], created))
            }
            (Read::Pending, _) | (Read::Got(_), Read::Pending) => PolicyView::Reading,
            _ => PolicyView::Unknown,
        }
    }

    /// The policy, when read.
    pub fn known(&self, created: Option<DateTime<Utc>>) -> Option<SecretPolicy> {
        match self.view(created) {
            PolicyView::Known(p) => Some(p),
            _ => None,
        }
    }

    /// Why no secret can be added, when the policy says so (read beforehand or refused).
    pub fn blocked_message(&self, created: Option<DateTime<Utc>>) -> Option<String> {
        match self.known(created) {
            Some(p) if p.blocked => Some(p.blocked_message()),
            _ => self.refused_addition.then(|| {
                crate::graph::GraphError::PolicyBlocksSecrets(Box::default()).user_message()
            }),
        }
    }

    /// The longest lifetime to offer: the site's `max_days`, the policy's when read, and
    /// shorter than a refused one.
    pub fn limit(&self, site_days: u32, created: Option<DateTime<Utc>>) -> Limit {
        let policy_days = self
            .known(created)
            .and_then(|p| p.max_lifetime)
            .map(|m| m.whole_days());
        Limit::of(site_days, policy_days, self.refused_days)
    }

    /// Who the policy is, in words ("Your organisation's policy").
    pub fn who(&self, created: Option<DateTime<Utc>>) -> String {
        self.known(created)
            .map_or_else(|| "Your organisation's policy".to_string(), |p| p.who())
    }

    /// Graph refused `days`: remember the shortest refusal.
    pub(super) fn refused(&mut self, days: u32) {
        self.refused_days = Some(self.refused_days.map_or(days, |d| d.min(days)));
    }

    /// Both reads have answered.
    pub(super) fn settled(&self) -> bool {
        matches!(self.default, Read::Got(_)) && matches!(self.assigned, Read::Got(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_p180d() -> TenantAppManagementPolicy {
        serde_json::from_value(serde_json::json!({
            "id": "00000000-0000-0000-0000-000000000000", "isEnabled": true,
            "applicationRestrictions": {"passwordCredentials": [{"restrictionType": "passwordLifetime",
                "state": "enabled", "maxLifetime": "P180D",
                "restrictForAppsCreatedAfterDateTime": "2024-01-01T00:00:00Z"}]}}))
        .unwrap()
    }

    fn created() -> Option<DateTime<Utc>> {
        "2024-06-03T09:30:00Z".parse().ok()
    }

    #[test]
    fn the_view_needs_both_answers_unless_an_assigned_policy_decides() {
        let mut p = AppPolicy::default();
        assert_eq!(p.view(created()), PolicyView::Unknown);
        p.default = Read::Pending;
        p.assigned = Read::Pending;
        assert_eq!(p.view(created()), PolicyView::Reading);
        p.default = Read::Got(default_p180d());
        assert_eq!(p.view(created()), PolicyView::Reading);
        p.assigned = Read::Got(Vec::new());
        let known = p.known(created()).unwrap();
        assert_eq!(known.max_lifetime.unwrap().whole_days(), 180);
        assert_eq!(p.limit(730, created()).max_days, 180);
        assert_eq!(
            p.limit(90, created()).max_days,
            90,
            "the site's cap still applies"
        );
        // Failed default: nothing is known, even with an empty assigned list.
        p.default = Read::Failed;
        assert_eq!(p.view(created()), PolicyView::Unknown);
        assert_eq!(p.limit(730, created()).max_days, 730);
        // A refusal of 1 year, nothing read: less than that.
        p.refused(365);
        p.refused(400);
        assert_eq!(p.refused_days, Some(365));
        assert_eq!(p.limit(730, created()).max_days, 364);
        assert_eq!(p.blocked_message(created()), None);
        p.refused_addition = true;
        assert!(p
            .blocked_message(created())
            .unwrap()
            .contains("doesn't allow new client secrets"));
    }
}
