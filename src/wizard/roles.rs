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

use super::shared::Call;
use crate::domain::access::{may_read_roles, RoleKnowledge};
use crate::graph::{self, GraphError, RoleAssignment};
use crate::net::HttpRequest;
use crate::runtime::Outcome;

/// The next request of the lookup, if any.
pub type Next = Option<(Call, HttpRequest)>;

/// The lookup's state.
#[derive(Debug, Default)]
pub struct RoleLookup {
    /// What the verdict reads.
    knowledge: RoleKnowledge,
    found: Vec<(RoleAssignment, bool)>,
    groups: Vec<String>,
    chunks: Vec<Vec<String>>,
    /// The request whose next page would follow (headers are re-sent).
    last: Option<HttpRequest>,
}

impl RoleLookup {
    /// What the access verdict reads.
    pub fn knowledge(&self) -> &RoleKnowledge {
        &self.knowledge
    }

    /// Starts the lookup (once) when who is signed in (`me`: their object ID) and what was
    /// granted are both known.
    pub fn start(
        &mut self,
        graph_base: &str,
        me: Option<&str>,
        granted: Option<&[String]>,
    ) -> Next {
        if self.knowledge != RoleKnowledge::Unasked {
            return None;
        }
        let (Some(me), Some(granted)) = (me, granted) else {
            return None;
        };
        if !may_read_roles(granted) {
            self.knowledge = RoleKnowledge::NotGranted;
            return None;
        }
        let request = graph::role_assignments_of(graph_base, &[me.to_string()]);
        self.knowledge = RoleKnowledge::Pending;
        self.ask(Call::Roles, request)
    }

    fn ask(&mut self, call: Call, request: HttpRequest) -> Next {
        self.last = Some(request.clone());
        Some((call, request))
    }

    fn follow(&mut self, call: Call, next_link: &str) -> Next {
        match self.last.clone() {
            Some(last) => self.ask(call, graph::next_page(next_link, &last)),
            None => self.finish(false),
        }
    }

    fn finish(&mut self, groups_complete: bool) -> Next {
        self.knowledge = RoleKnowledge::Read {
            assignments: std::mem::take(&mut self.found),
            groups_complete,
        };
        self.last = None;
        None
    }

    fn next_group_chunk(&mut self, graph_base: &str) -> Next {
        if self.chunks.is_empty() {
            return self.finish(true);
        }
        let chunk = self.chunks.remove(0);
        let request = graph::role_assignments_of(graph_base, &chunk);
        self.ask(Call::GroupRoles, request)
    }

    /// Answers of `Call::Roles`, `Call::Groups` and `Call::GroupRoles`.
    pub fn answer(&mut self, graph_base: &str, call: Call, outcome: Outcome) -> Next {
        if self.knowledge != RoleKnowledge::Pending {
            return None;
        }
        let response = outcome.ok();
        match call {
            Call::Groups => match response.as_ref().map(graph::parse_object_ids) {
                Some(Ok(page)) => {
                    self.groups.extend(page.value.into_iter().map(|g| g.id));
                    if let Some(next) = page.next_link {
                        return self.follow(Call::Groups, &next);
                    }
                    self.chunks = graph::principal_chunks(&self.groups);
                    self.next_group_chunk(graph_base)
                }
                _ => self.finish(false),
            },
            _ => {
                let via_group = call == Call::GroupRoles;
                match response.as_ref().map(graph::parse_role_assignments) {
                    Some(Ok(page)) => {
                        self.found
                            .extend(page.value.into_iter().map(|a| (a, via_group)));
                        if let Some(next) = page.next_link {
                            return self.follow(call, &next);
                        }
                        if via_group {
                            self.next_group_chunk(graph_base)
                        } else {
                            let request = graph::my_group_ids(graph_base);
                            self.ask(Call::Groups, request)
                        }
                    }
                    _ if via_group => self.finish(false),
                    Some(Err(GraphError::AuthorizationDenied(_))) => {
                        self.knowledge = RoleKnowledge::Refused;
                        None
                    }
                    _ => {
                        self.knowledge = RoleKnowledge::Failed;
                        None
                    }
                }
            }
        }
    }
}
