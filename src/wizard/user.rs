//! Who is signed in, as far as the wizard knows it: the user (`/me`, or why it couldn't be
//! read), the sign-in's directory roles (`wids`), the Graph permissions the tenant granted, and
//! the user's role assignments (read by `wizard::roles` once the first two are known). The
//! Review step's "who may add a secret" reads these as a [`Viewer`]; the Describe step's default
//! description names the user ([`SignedIn::upn`]).
//!
//! Its own small reducer: the router (`wizard::state`) hands it the answers of `Call::Me`,
//! `Call::Roles`, `Call::Groups` and `Call::GroupRoles` and sends the requests it asks for.

use super::review::Viewer;
use super::roles::{Next, RoleLookup};
use super::shared::Call;
use crate::domain::access::RoleKnowledge;
use crate::graph::User;
use crate::runtime::{Outcome, Problem};

/// The signed-in user's facts.
#[derive(Debug, Default)]
pub struct SignedIn {
    me: Option<User>,
    me_problem: Option<Problem>,
    /// The directory role template IDs of the sign-in's ID token (`wids`), empty when it has
    /// none (`Msg::TokenRoles`).
    token_roles: Vec<String>,
    /// The user's role assignments, as far as read (`wizard::roles`).
    roles: RoleLookup,
    /// The Graph permissions the tenant granted, once known (`Msg::GraphPermissions`).
    graph_permissions: Option<Vec<String>>,
}

impl SignedIn {
    /// The signed-in user, once `/me` answered.
    pub fn me(&self) -> Option<&User> {
        self.me.as_ref()
    }

    /// Why `/me` couldn't be read.
    pub fn me_problem(&self) -> Option<&Problem> {
        self.me_problem.as_ref()
    }

    /// The sign-in's `wids`.
    pub fn token_roles(&self) -> &[String] {
        &self.token_roles
    }

    /// The user's role assignments, as far as read.
    pub fn roles(&self) -> &RoleKnowledge {
        self.roles.knowledge()
    }

    /// The user's UPN (or mail), for the default description; "" while unknown.
    pub fn upn(&self) -> String {
        self.me
            .as_ref()
            .and_then(|m| m.user_principal_name.clone().or_else(|| m.mail.clone()))
            .unwrap_or_default()
    }

    /// Whether the granted Graph permissions let the wizard read the policy.
    pub fn may_read_policies(&self) -> bool {
        self.graph_permissions
            .as_deref()
            .is_some_and(crate::graph::policy::may_read_policies)
    }

    /// Whether the granted Graph permissions let Review read the audit log (`graph::audit`).
    pub fn may_read_history(&self) -> bool {
        self.graph_permissions
            .as_deref()
            .is_some_and(crate::graph::audit::may_read_history)
    }

    /// What the access verdict reads about the user.
    pub fn viewer(&self) -> Viewer<'_> {
        Viewer {
            me: self.me.as_ref(),
            me_failed: self.me.is_none() && self.me_problem.is_some(),
            token_roles: &self.token_roles,
            roles: self.roles.knowledge(),
        }
    }

    /// The sign-in's `wids` (`Msg::TokenRoles`).
    pub fn set_token_roles(&mut self, wids: Vec<String>) {
        self.token_roles = wids;
    }

    /// The granted Graph permissions (`Msg::GraphPermissions`).
    pub fn set_granted(&mut self, granted: Vec<String>) {
        self.graph_permissions = Some(granted);
    }

    /// `/me`'s answer.
    pub fn answer_me(&mut self, outcome: Outcome) {
        match Problem::graph(outcome, crate::graph::parse_me) {
            Ok(me) => {
                self.me = Some(me);
                self.me_problem = None;
            }
            Err(p) => self.me_problem = Some(p),
        }
    }

    /// An answer of the role lookup (`Call::Roles`, `Call::Groups`, `Call::GroupRoles`).
    pub fn answer_roles(&mut self, graph_base: &str, call: Call, outcome: Outcome) -> Next {
        self.roles.answer(graph_base, call, outcome)
    }

    /// The role lookup's first request, once (when who is signed in and what was granted are
    /// both known).
    pub fn next(&mut self, graph_base: &str) -> Next {
        let me = self.me.as_ref().map(|m| m.id.as_str());
        self.roles
            .start(graph_base, me, self.graph_permissions.as_deref())
    }

    /// For nobody: only the sign-in's `wids` stay (the shell's account keeps them and reports
    /// them again only when they change).
    pub fn signed_out(&mut self) -> Self {
        Self {
            token_roles: std::mem::take(&mut self.token_roles),
            ..Self::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use crate::runtime::Failure;
    use serde_json::json;

    const GRAPH: &str = "https://graph.test";

    fn me_answer(body: serde_json::Value) -> Outcome {
        Ok(HttpResponse::new(200, body.to_string()))
    }

    #[test]
    fn me_names_the_user_by_upn_else_mail_and_a_failure_is_kept_as_a_problem() {
        let mut u = SignedIn::default();
        assert_eq!(u.upn(), "");
        u.answer_me(Err(Failure::Network));
        assert!(u.me().is_none() && u.me_problem().is_some());
        assert!(u.viewer().me_failed);
        u.answer_me(me_answer(
            json!({ "id": "oid-1", "mail": "dan@contoso.example" }),
        ));
        assert_eq!(u.upn(), "dan@contoso.example");
        assert!(u.me_problem().is_none() && !u.viewer().me_failed);
        u.answer_me(me_answer(
            json!({ "id": "oid-1", "mail": "dan@contoso.example",
            "userPrincipalName": "dan@contoso.onmicrosoft.example" }),
        ));
        assert_eq!(u.upn(), "dan@contoso.onmicrosoft.example");
    }

    #[test]
    fn roles_are_asked_for_once_when_the_user_and_a_role_permission_are_known() {
        let mut u = SignedIn::default();
        u.set_granted(vec!["RoleManagement.Read.Directory".into()]);
        assert!(u.next(GRAPH).is_none(), "who is signed in is unknown");
        u.answer_me(me_answer(json!({ "id": "oid-1" })));
        let (call, request) = u.next(GRAPH).expect("the user's own assignments");
        assert_eq!(call, Call::Roles);
        assert!(request.url.contains("oid-1"), "{}", request.url);
        assert!(u.next(GRAPH).is_none(), "once");
        assert_eq!(u.roles(), &RoleKnowledge::Pending);

        let mut plain = SignedIn::default();
        plain.answer_me(me_answer(json!({ "id": "oid-1" })));
        plain.set_granted(vec!["User.Read".into()]);
        assert!(plain.next(GRAPH).is_none());
        assert_eq!(plain.roles(), &RoleKnowledge::NotGranted);
        assert!(!plain.may_read_policies());
        plain.set_granted(vec!["Policy.Read.All".into()]);
        assert!(plain.may_read_policies());
    }

    #[test]
    fn signing_out_forgets_all_but_the_sign_ins_wids() {
        let mut u = SignedIn::default();
        u.set_token_roles(vec!["wid-1".into()]);
        u.set_granted(vec!["Policy.Read.All".into()]);
        u.answer_me(me_answer(
            json!({ "id": "oid-1", "mail": "dan@contoso.example" }),
        ));
        let u = u.signed_out();
        assert!(u.me().is_none() && !u.may_read_policies() && u.upn().is_empty());
        assert_eq!(u.token_roles(), ["wid-1"]);
        assert_eq!(u.roles(), &RoleKnowledge::Unasked);
    }
}
