//! Reading the signed-in user's role assignments, for "who may add a secret"
//! (`domain::access` decides from them).
//!
//! Only when the granted Graph permissions (the token's `scp`, `Msg::GraphPermissions`) include
//! one that lists role assignments (`RoleManagement.Read.Directory`, …); otherwise nothing is
//! asked and the verdict rests on the owners and the sign-in's `wids`. Then, in turn: the
//! user's own assignments (`principalId eq`), the groups they belong to
//! (`/me/transitiveMemberOf/microsoft.graph.group`), and the assignments of those groups in
//! chunks of 15 (`principalId in (…)`), each followed through its `@odata.nextLink`. A 403 on the
//! first call means Graph won't list them for this user (the list page: the user needs a role
//! such as Directory Readers); a failure on the groups keeps what was read and says groups
//! weren't all seen.

use super::state::{Call, Effect, Outcome, Wizard};
use crate::domain::access::{may_read_roles, RoleKnowledge};
use crate::graph::{self, GraphError, RoleAssignment};
use crate::net::HttpRequest;

/// The lookup's state.
#[derive(Debug, Default)]
pub struct RoleLookup {
    /// What the verdict reads.
    pub knowledge: RoleKnowledge,
    found: Vec<(RoleAssignment, bool)>,
    groups: Vec<String>,
    chunks: Vec<Vec<String>>,
    /// The request whose next page would follow (headers are re-sent).
    last: Option<HttpRequest>,
}

impl Wizard {
    /// Starts the lookup once who is signed in and what was granted are both known.
    pub(super) fn start_role_lookup(&mut self) -> Vec<Effect> {
        if self.roles.knowledge != RoleKnowledge::Unasked {
            return Vec::new();
        }
        let (Some(me), Some(granted)) = (self.me.as_ref(), self.graph_permissions.as_ref()) else {
            return Vec::new();
        };
        if !may_read_roles(granted) {
            self.roles.knowledge = RoleKnowledge::NotGranted;
            return Vec::new();
        }
        let request =
            graph::role_assignments_of(&self.config.graph_base, std::slice::from_ref(&me.id));
        self.roles.knowledge = RoleKnowledge::Pending;
        self.ask(Call::Roles, request)
    }

    fn ask(&mut self, call: Call, request: HttpRequest) -> Vec<Effect> {
        self.roles.last = Some(request.clone());
        vec![self.send(call, request)]
    }

    fn follow(&mut self, call: Call, next_link: &str) -> Vec<Effect> {
        match self.roles.last.clone() {
            Some(last) => self.ask(call, graph::next_page(next_link, &last)),
            None => self.finish(false),
        }
    }

    fn finish(&mut self, groups_complete: bool) -> Vec<Effect> {
        self.roles.knowledge = RoleKnowledge::Read {
            assignments: std::mem::take(&mut self.roles.found),
            groups_complete,
        };
        self.roles.last = None;
        Vec::new()
    }

    fn next_group_chunk(&mut self) -> Vec<Effect> {
        if self.roles.chunks.is_empty() {
            return self.finish(true);
        }
        let chunk = self.roles.chunks.remove(0);
        let request = graph::role_assignments_of(&self.config.graph_base, &chunk);
        self.ask(Call::GroupRoles, request)
    }

    /// Answers of `Call::Roles`, `Call::Groups` and `Call::GroupRoles`.
    pub(super) fn on_roles(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        if self.roles.knowledge != RoleKnowledge::Pending {
            return Vec::new();
        }
        let response = outcome.ok();
        match call {
            Call::Groups => match response.as_ref().map(graph::parse_object_ids) {
                Some(Ok(page)) => {
                    self.roles
                        .groups
                        .extend(page.value.into_iter().map(|g| g.id));
                    if let Some(next) = page.next_link {
                        return self.follow(Call::Groups, &next);
                    }
                    self.roles.chunks = graph::principal_chunks(&self.roles.groups);
                    self.next_group_chunk()
                }
                _ => self.finish(false),
            },
            _ => {
                let via_group = call == Call::GroupRoles;
                match response.as_ref().map(graph::parse_role_assignments) {
                    Some(Ok(page)) => {
                        self.roles
                            .found
                            .extend(page.value.into_iter().map(|a| (a, via_group)));
                        if let Some(next) = page.next_link {
                            return self.follow(call, &next);
                        }
                        if via_group {
                            self.next_group_chunk()
                        } else {
                            let request = graph::my_group_ids(&self.config.graph_base);
                            self.ask(Call::Groups, request)
                        }
                    }
                    _ if via_group => self.finish(false),
                    Some(Err(GraphError::AuthorizationDenied(_))) => {
                        self.roles.knowledge = RoleKnowledge::Refused;
                        Vec::new()
                    }
                    _ => {
                        self.roles.knowledge = RoleKnowledge::Failed;
                        Vec::new()
                    }
                }
            }
        }
    }
}
