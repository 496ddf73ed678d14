//! Step 2, Review credentials: the chosen app, its owners, the organisation's policy for it,
//! and whether the user may add a secret (decided in `domain::access`; its words in
//! [`access`]).
//!
//! [`ReviewState`] is the chosen app as the wizard knows it, from Review until the user goes
//! back to Choose: the later steps read it (its ID, credentials, owners and policy) and report
//! what they learn about the app to it ([`ReviewState::replace_app`],
//! [`ReviewState::credential_added`], [`ReviewState::credential_removed`],
//! [`ReviewState::graph_refused`]). [`ReviewState::update`] takes the step's [`ReviewMsg`],
//! [`ReviewState::answer`] a service answer; both return [`ReviewEffect`]s. The component is
//! [`view::ReviewStep`].

pub mod access;
pub mod history;
pub mod remove;

use super::policy::{AppPolicy, Read};
use super::shared::Call;
use crate::domain::access::{self as decide, Access, Facts, RoleKnowledge};
use crate::domain::expiry;
use crate::graph::policy::{
    app_management_policies, default_app_management_policy, parse_app_policies,
    parse_default_policy,
};
use crate::graph::{self, Application, GraphError, Owner, PasswordCredential, User};
use crate::net::HttpRequest;
use crate::runtime::{Now, Outcome, Problem};

#[cfg(target_arch = "wasm32")]
pub mod view;

/// The user's actions on the Review step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ReviewMsg {
    /// Read the app and its owners again.
    Reload,
    /// Go on to Describe (the wizard checks that a secret may be created).
    StartDescribe,
    /// Read who added or removed the app's credentials (`history`).
    ShowHistory,
}

/// What the tenant granted that Review's optional reads need (`wizard::user`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Grants {
    /// `Policy.Read.All` or another permission that reads app management policies.
    pub policies: bool,
    /// `AuditLog.Read.All` and `Directory.Read.All` (`graph::audit`).
    pub history: bool,
}

/// What the step asks of the wizard.
#[derive(Debug, PartialEq)]
pub enum ReviewEffect {
    Send(Call, HttpRequest),
    /// The user asked for the Describe step.
    StartDescribe,
}

/// Who is signed in, as far as the access verdict needs it.
pub struct Viewer<'a> {
    pub me: Option<&'a User>,
    /// Reading `/me` failed.
    pub me_failed: bool,
    /// The sign-in's `wids`.
    pub token_roles: &'a [String],
    pub roles: &'a RoleKnowledge,
}

/// The chosen app as the wizard knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReviewState {
    graph_base: String,
    app: Application,
    loading: bool,
    problem: Option<Problem>,
    /// `None` until the owners list has arrived.
    owners: Option<Vec<Owner>>,
    owners_problem: Option<Problem>,
    /// Graph itself refused an addPassword with 403: trust that over what we inferred.
    refused: bool,
    /// The organisation's app management policy for this app, as far as known.
    policy: AppPolicy,
    /// Removing one of its secrets from the table (`remove`).
    removal: remove::SecretRemoval,
    /// Who changed its credentials, when asked (`history`).
    history: history::History,
    /// Its federated credentials and the "where will it run?" question (`wizard::federated`).
    federated: crate::wizard::federated::listing::FederatedList,
}

impl ReviewState {
    /// The app as a list showed it; [`ReviewState::update`] with [`ReviewMsg::Reload`] reads it.
    pub fn new(graph_base: &str, app: Application) -> Self {
        Self {
            graph_base: graph_base.to_string(),
            app,
            loading: false,
            problem: None,
            owners: None,
            owners_problem: None,
            refused: false,
            policy: AppPolicy::default(),
            removal: remove::SecretRemoval::Idle,
            history: history::History::Hidden,
            federated: Default::default(),
        }
    }

    /// Its federated credentials and the "where will it run?" question.
    pub fn federated(&self) -> &crate::wizard::federated::listing::FederatedList {
        &self.federated
    }

    pub fn federated_mut(&mut self) -> &mut crate::wizard::federated::listing::FederatedList {
        &mut self.federated
    }

    /// Graph's base URL.
    pub fn graph_base(&self) -> &str {
        &self.graph_base
    }

    /// Who changed the app's credentials, as far as read.
    pub fn history(&self) -> &history::History {
        &self.history
    }

    pub fn app(&self) -> &Application {
        &self.app
    }

    /// The app or its owners are being read.
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// Why the app couldn't be read again.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// The policy for this app, as far as known (read beforehand, or Graph's refusals).
    pub fn policy(&self) -> &AppPolicy {
        &self.policy
    }

    pub fn owner_labels(&self) -> Vec<String> {
        self.owners.iter().flatten().map(Owner::label).collect()
    }

    /// The two-secret cap, known before trying: the app accepts personal accounts and
    /// already has two secrets.
    pub fn at_secret_cap(&self) -> bool {
        self.app.accepts_personal_accounts() && self.app.password_credentials.len() >= 2
    }

    /// Secrets that work now (started, not expired).
    pub fn active_secret_count(&self, now: &Now) -> usize {
        let now_utc = now.with_timezone(&chrono::Utc);
        self.app
            .password_credentials
            .iter()
            .filter(|c| c.start_date_time.is_none_or(|s| s <= now_utc))
            .filter(|c| {
                expiry::status_of(c.end_date_time, now) != crate::domain::ExpiryStatus::Expired
            })
            .count()
    }

    /// The descriptions the app's secrets have.
    pub fn taken_descriptions(&self) -> Vec<String> {
        self.app
            .password_credentials
            .iter()
            .filter_map(|c| c.display_name.clone())
            .collect()
    }

    /// The access verdict: owners, the sign-in's `wids`, role assignments and Graph's own
    /// refusal (`domain::access::decide`).
    pub fn access(&self, viewer: &Viewer) -> Access {
        decide::decide(&Facts {
            app_object_id: &self.app.id,
            sign_in_audience: self.app.sign_in_audience.as_deref(),
            me: viewer.me.map(|m| m.id.as_str()),
            me_failed: viewer.me_failed,
            owners: self.owners.as_deref(),
            owners_failed: self.owners.is_none() && self.owners_problem.is_some(),
            token_roles: viewer.token_roles,
            roles: viewer.roles,
            refused: self.refused,
        })
    }

    /// Whether Create can be offered: allowed, not at the cap, and not blocked by the
    /// organisation's policy (when that is known).
    pub fn can_create(&self, access: &Access) -> bool {
        !self.at_secret_cap()
            && access.allows_create()
            && self
                .policy
                .blocked_message(self.app.created_date_time)
                .is_none()
    }

    /// `grants`: what the granted Graph permissions let the wizard read.
    pub fn update(&mut self, msg: ReviewMsg, grants: Grants) -> Vec<ReviewEffect> {
        match msg {
            ReviewMsg::Reload => self.reload(grants.policies),
            ReviewMsg::StartDescribe => vec![ReviewEffect::StartDescribe],
            ReviewMsg::ShowHistory => {
                let request = self
                    .history
                    .show(&self.graph_base, &self.app.id, grants.history);
                request
                    .map(|r| ReviewEffect::Send(Call::History, r))
                    .into_iter()
                    .collect()
            }
        }
    }

    /// Re-reads the app and its owners (and the policy, when it may and isn't read yet).
    pub fn reload(&mut self, may_read_policies: bool) -> Vec<ReviewEffect> {
        self.loading = true;
        self.problem = None;
        let id = &self.app.id;
        let mut effects = vec![
            ReviewEffect::Send(Call::App, graph::get_application(&self.graph_base, id)),
            ReviewEffect::Send(Call::Owners, graph::owners(&self.graph_base, id)),
        ];
        effects.extend(self.read_policy(may_read_policies));
        effects
    }

    /// Reads the app's policy when the permission is granted and it isn't read yet (or its
    /// last read failed).
    pub fn read_policy(&mut self, may_read_policies: bool) -> Vec<ReviewEffect> {
        if !may_read_policies || self.policy.settled() {
            return Vec::new();
        }
        let mut effects = Vec::new();
        if matches!(self.policy.default, Read::NotAsked | Read::Failed) {
            self.policy.default = Read::Pending;
            let request = default_app_management_policy(&self.graph_base);
            effects.push(ReviewEffect::Send(Call::DefaultPolicy, request));
        }
        if matches!(self.policy.assigned, Read::NotAsked | Read::Failed) {
            self.policy.assigned = Read::Pending;
            let request = app_management_policies(&self.graph_base, &self.app.id);
            effects.push(ReviewEffect::Send(Call::AppPolicies, request));
        }
        effects
    }

    /// The answer to one of this step's calls (`App`, `Owners`, `DefaultPolicy`,
    /// `AppPolicies`).
    pub fn answer(&mut self, call: Call, outcome: Outcome) {
        match call {
            Call::App => {
                self.loading = false;
                let read = match Problem::graph(outcome, graph::parse_application) {
                    Ok(app) if app.id == self.app.id => {
                        self.app = app;
                        true
                    }
                    Ok(_) => false,
                    Err(p) => {
                        self.problem = Some(p);
                        false
                    }
                };
                self.removal_read(read);
            }
            Call::DefaultPolicy => {
                self.policy.default = match outcome.ok().map(|r| parse_default_policy(&r)) {
                    Some(Ok(p)) => Read::Got(p),
                    _ => Read::Failed,
                };
            }
            Call::History => self.history.answer(outcome),
            Call::AppPolicies => {
                self.policy.assigned = match outcome.ok().map(|r| parse_app_policies(&r)) {
                    Some(Ok(page)) => Read::Got(page.value),
                    _ => Read::Failed,
                };
            }
            _ => match Problem::graph(outcome, graph::parse_owners) {
                Ok(page) => {
                    self.owners = Some(page.value);
                    self.owners_problem = None;
                }
                Err(p) => self.owners_problem = Some(p),
            },
        }
    }

    /// A later step read the app again.
    pub fn replace_app(&mut self, app: Application) {
        self.app = app;
    }

    /// addPassword created this credential.
    pub fn credential_added(&mut self, credential: PasswordCredential) {
        self.app.password_credentials.push(credential);
    }

    /// A credential was removed from the app.
    pub fn credential_removed(&mut self, key_id: &str) {
        self.app.password_credentials.retain(|c| c.key_id != key_id);
    }

    /// Graph refused an addPassword that asked for `tried_days`: the policy's refusals are
    /// remembered for this app (Review and Describe say them), and a 403 is trusted over what
    /// was inferred. Returns the owners to name when access was denied.
    pub fn graph_refused(&mut self, e: &GraphError, tried_days: u32) -> Vec<String> {
        match e {
            GraphError::PolicyLifetime(_) => self.policy.refused(tried_days),
            GraphError::PolicyBlocksSecrets(_) => self.policy.refused_addition = true,
            GraphError::AuthorizationDenied(_) => {
                self.refused = true;
                return self.owner_labels();
            }
            _ => {}
        }
        Vec::new()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use serde_json::json;

    fn payroll() -> Application {
        serde_json::from_value(
            json!({ "id": "obj-1", "appId": "app-1", "displayName": "Payroll API",
            "signInAudience": "AzureADMyOrg", "passwordCredentials": [] }),
        )
        .unwrap()
    }

    fn ok(body: serde_json::Value) -> Outcome {
        Ok(HttpResponse::new(200, body.to_string()))
    }

    fn calls(effects: &[ReviewEffect]) -> Vec<Call> {
        effects
            .iter()
            .filter_map(|e| match e {
                ReviewEffect::Send(call, _) => Some(*call),
                ReviewEffect::StartDescribe => None,
            })
            .collect()
    }

    #[test]
    fn reload_reads_the_app_and_owners_and_the_policy_only_when_granted() {
        let mut r = ReviewState::new("https://graph.test", payroll());
        assert_eq!(
            calls(&r.update(ReviewMsg::Reload, Grants::default())),
            [Call::App, Call::Owners]
        );
        assert!(r.is_loading());
        let both = r.update(
            ReviewMsg::Reload,
            Grants {
                policies: true,
                history: false,
            },
        );
        assert_eq!(
            calls(&both),
            [
                Call::App,
                Call::Owners,
                Call::DefaultPolicy,
                Call::AppPolicies
            ]
        );
        assert!(r.read_policy(true).is_empty(), "already being read");
        // Another app's answer changes nothing but the loading state.
        let mut other = payroll();
        other.id = "obj-2".into();
        other.display_name = "Other".into();
        r.answer(Call::App, ok(serde_json::to_value(&other).unwrap()));
        assert!(!r.is_loading());
        assert_eq!(r.app().display_name, "Payroll API");
        r.answer(Call::DefaultPolicy, Err(crate::runtime::Failure::Network));
        assert!(matches!(r.policy().default, Read::Failed));
        assert_eq!(
            calls(&r.read_policy(true)),
            [Call::DefaultPolicy],
            "a failed read is retried"
        );
        assert_eq!(
            r.update(ReviewMsg::StartDescribe, Grants::default()),
            [ReviewEffect::StartDescribe]
        );
    }

    #[test]
    fn graphs_refusals_are_remembered_for_the_app() {
        let mut r = ReviewState::new("https://graph.test", payroll());
        r.answer(
            Call::Owners,
            ok(
                json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": "dan",
                "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] }),
            ),
        );
        let viewer = Viewer {
            me: None,
            me_failed: false,
            token_roles: &[],
            roles: &RoleKnowledge::NotGranted,
        };
        let lifetime = GraphError::PolicyLifetime(Box::default());
        assert!(r.graph_refused(&lifetime, 365).is_empty());
        assert_eq!(r.policy().refused_days, Some(365));
        let denied = GraphError::AuthorizationDenied(Box::default());
        assert_eq!(
            r.graph_refused(&denied, 365),
            ["Dev Dan (dan@contoso.example)"]
        );
        assert!(matches!(r.access(&viewer), Access::Refused { .. }));
        assert!(!r.can_create(&r.access(&viewer)));
        r.graph_refused(&GraphError::PolicyBlocksSecrets(Box::default()), 30);
        assert!(r.policy().refused_addition);
        // What later steps learn about the app.
        let cred: PasswordCredential =
            serde_json::from_value(json!({ "keyId": "k1", "displayName": "new" })).unwrap();
        r.credential_added(cred);
        assert_eq!(r.taken_descriptions(), ["new"]);
        r.credential_removed("k1");
        assert!(r.app().password_credentials.is_empty());
    }
}
