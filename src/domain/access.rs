//! Who may add a secret to an app, as far as can be known before trying. Never a refusal on a
//! guess: only Graph's own 403 to addPassword says "you can't" ([`Access::Refused`]).
//!
//! Graph lets a user add a credential to an application when they own it, or when a role
//! assignment of theirs (or of a role-assignable group they belong to) has a definition granting
//! `microsoft.directory/applications/credentials/update`, or a wildcard covering it, at tenant
//! scope `/` or on that application (`/{object ID}`). What the app can see of that:
//! 1. the owners list (always readable with the README's permissions);
//! 2. the ID token's `wids` claim, when secret-wizard's registration sets
//!    `groupMembershipClaims` (tenant-wide built-in roles only, as template IDs; looked up in
//!    [`CREDENTIAL_ROLES`]);
//! 3. with the optional `RoleManagement.Read.Directory`, the user's role assignments with their
//!    definitions, and those of their groups (read by `graph::roles`).
//!
//! Sources: ../shared/specs/graph-docs/unifiedrolepermission.md (the action format
//! `{Namespace}/{Entity}/{PropertySet}/{Action}`; `allProperties` covers every property,
//! privileged ones included; `allTasks` covers every CRUD operation; a `condition` makes a
//! permission conditional, and custom roles can't have one), unifiedroleassignment.md
//! (`directoryScopeId`), ../shared/specs/entra-docs/access-token-claims-reference.md (`wids`:
//! tenant-wide built-in role template IDs, configured by `groupMembershipClaims`), azure-apis.md
//! §7.2, and Microsoft Entra's "Application registration permissions for custom roles" page (the
//! `applications.myOrganization` subtype covers single-tenant apps only).

use crate::model::{Owner, RoleAssignment, RoleDefinition};

/// The action addPassword needs.
pub const CREDENTIALS_UPDATE: &str = "microsoft.directory/applications/credentials/update";

/// A built-in role that lets its holders add credentials to every application.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BuiltInRole {
    pub name: &'static str,
    pub template_id: &'static str,
    /// The action of its definition that grants it.
    pub action: &'static str,
}

/// The built-in Microsoft Entra roles whose definition holds
/// `microsoft.directory/applications/credentials/update` or a wildcard covering it, from
/// Microsoft's "Microsoft Entra built-in roles" reference (MicrosoftDocs/entra-docs,
/// docs/identity/role-based-access-control/permissions-reference.md, ms.date 01/20/2026, and its
/// per-role include files dated 06/25/2025 to 01/26/2026). Every role on that page was checked;
/// the source lines, with each file's date and commit, are in
/// tests/fixtures/entra/built-in-roles-credentials.md, and a test checks this table against them.
/// Hybrid Identity Administrator is not here: it may update most application properties, but
/// not credentials.
pub const CREDENTIAL_ROLES: [BuiltInRole; 5] = [
    BuiltInRole {
        name: "Application Administrator",
        template_id: "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3",
        action: CREDENTIALS_UPDATE,
    },
    BuiltInRole {
        name: "Cloud Application Administrator",
        template_id: "158c047a-c907-4556-b7ef-446551a6b5f7",
        action: CREDENTIALS_UPDATE,
    },
    BuiltInRole {
        name: "Global Administrator",
        template_id: "62e90394-69f5-4237-9190-012177145e10",
        action: "microsoft.directory/applications/allProperties/allTasks",
    },
    BuiltInRole {
        name: "Partner Tier1 Support",
        template_id: "4ba39ca4-527c-499a-b93d-d9b492c50246",
        action: CREDENTIALS_UPDATE,
    },
    BuiltInRole {
        name: "Partner Tier2 Support",
        template_id: "e00e864a-17c5-4a4b-9c06-f5b95a8d5bd8",
        action: CREDENTIALS_UPDATE,
    },
];

/// The built-in role with this template ID, if it lets its holders add credentials.
pub fn credential_role(template_id: &str) -> Option<&'static BuiltInRole> {
    CREDENTIAL_ROLES
        .iter()
        .find(|r| r.template_id.eq_ignore_ascii_case(template_id.trim()))
}

/// Whether one `allowedResourceActions` entry covers updating the credentials of an app whose
/// `signInAudience` is `audience`. Covered: `microsoft.directory/applications/` followed by
/// `credentials` or `allProperties`, then `update` or `allTasks`; the same with the
/// `applications.myOrganization` subtype when the app is single-tenant (`AzureADMyOrg`). Not
/// covered: `read`, other property sets (`basic`, …), other entities (`servicePrincipals` is the
/// enterprise app, not the registration), other namespaces, and anything with more or fewer
/// segments. Names compare case-insensitively.
pub fn covers_credentials_update(action: &str, audience: Option<&str>) -> bool {
    let parts: Vec<&str> = action.trim().split('/').collect();
    let [namespace, entity, property_set, verb] = parts[..] else {
        return false;
    };
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let entity_ok = eq(entity, "applications")
        || (eq(entity, "applications.myOrganization") && audience == Some("AzureADMyOrg"));
    eq(namespace, "microsoft.directory")
        && entity_ok
        && (eq(property_set, "credentials") || eq(property_set, "allProperties"))
        && (eq(verb, "update") || eq(verb, "allTasks"))
}

/// Where a role applies, as far as this app is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// `/`: every application.
    Tenant,
    /// `/{this app's object ID}`.
    ThisApp,
}

/// Whether a `directoryScopeId` covers the application `app_object_id`.
pub fn scope_of(directory_scope_id: Option<&str>, app_object_id: &str) -> Option<Scope> {
    match directory_scope_id.map(str::trim)? {
        "/" => Some(Scope::Tenant),
        s => s
            .strip_prefix('/')
            .filter(|id| id.eq_ignore_ascii_case(app_object_id))
            .map(|_| Scope::ThisApp),
    }
}

/// Whether a definition grants updating the credentials (unconditionally).
pub fn definition_grants(d: &RoleDefinition, audience: Option<&str>) -> bool {
    d.role_permissions.iter().any(|p| {
        p.condition.as_deref().is_none_or(|c| c.trim().is_empty())
            && p.allowed_resource_actions
                .iter()
                .any(|a| covers_credentials_update(a, audience))
            && !p
                .excluded_resource_actions
                .iter()
                .any(|a| covers_credentials_update(a, audience))
    })
}

/// Where the role that lets the user add came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    /// The ID token's `wids`.
    SignIn,
    /// The user's own role assignment.
    Assignment,
    /// A role assignment of a group the user belongs to.
    Group,
}

/// Why the user can add a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Grant {
    Owner,
    Role {
        name: String,
        scope: Scope,
        source: Source,
    },
}

/// Delegated Graph permissions that may list role assignments
/// (../shared/specs/graph-docs/rbacapplication-list-roleassignments.md). The README asks for
/// `RoleManagement.Read.Directory` as the optional one.
pub const ROLE_READ_PERMISSIONS: [&str; 5] = [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "Directory.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.ReadWrite.All",
];

/// Whether the granted permissions (the Graph token's `scp`) may list role assignments.
pub fn may_read_roles(granted: &[String]) -> bool {
    granted.iter().any(|g| {
        ROLE_READ_PERMISSIONS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(g.trim()))
    })
}

/// What the app managed to learn of the user's role assignments.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum RoleKnowledge {
    /// Not asked: the granted permissions (or who is signed in) aren't known yet. Doesn't hold
    /// the verdict back.
    #[default]
    Unasked,
    /// Asking.
    Pending,
    /// Read: `(assignment, through a group)`. `groups_complete` is false when the user's groups,
    /// or their assignments, could not all be read.
    Read {
        assignments: Vec<(RoleAssignment, bool)>,
        groups_complete: bool,
    },
    /// No permission that lists role assignments is granted (so nothing was asked).
    NotGranted,
    /// A permission is granted, but Graph answered 403: the user holds no role that may read
    /// role assignments (Directory Readers, Global Reader, …: the list page's note).
    Refused,
    /// Another failure (network, 5xx, …).
    Failed,
}

/// How much of the user's roles the verdict could see (for the note under it). `token_roles`:
/// the sign-in carried `wids`, which were looked at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RolesSeen {
    /// Their role assignments and their groups'.
    All,
    /// Their own assignments; not (all of) their groups'.
    WithoutGroups,
    /// secret-wizard has no permission that lists role assignments.
    NotGranted { token_roles: bool },
    /// It has, but Graph refused to list them for this user.
    NoReaderRole { token_roles: bool },
    /// Not known (not asked yet, or reading them failed).
    Unknown { token_roles: bool },
}

/// The verdict shown on Review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Still finding out.
    Checking,
    /// An owner, or a role that covers this app.
    Can(Grant),
    /// Not an owner, and no role seen that would let them: Create is still offered and Graph
    /// decides. `owners` are the labels of who can help.
    ProbablyNot {
        owners: Vec<String>,
        roles: RolesSeen,
    },
    /// The owners could not be read and no role seen lets them: Graph decides.
    Unknown { roles: RolesSeen },
    /// Graph refused addPassword (403): the only "you can't".
    Refused { owners: Vec<String> },
}

impl Access {
    /// Create is offered unless still checking or Graph has refused.
    pub fn allows_create(&self) -> bool {
        !matches!(self, Access::Checking | Access::Refused { .. })
    }

    /// Known to be allowed (not a guess either way).
    pub fn is_known_allowed(&self) -> bool {
        matches!(self, Access::Can(_))
    }
}

/// Everything the verdict is decided from.
#[derive(Clone, Copy, Debug)]
pub struct Facts<'a> {
    pub app_object_id: &'a str,
    pub sign_in_audience: Option<&'a str>,
    /// The signed-in user's object ID, once `/me` has answered.
    pub me: Option<&'a str>,
    /// `/me` failed: ownership can't be checked.
    pub me_failed: bool,
    /// `None` until the owners list has arrived.
    pub owners: Option<&'a [Owner]>,
    pub owners_failed: bool,
    /// The ID token's `wids` (empty when it has none).
    pub token_roles: &'a [String],
    pub roles: &'a RoleKnowledge,
    /// Graph refused an addPassword with 403.
    pub refused: bool,
}

fn owner_labels(owners: Option<&[Owner]>) -> Vec<String> {
    owners.into_iter().flatten().map(Owner::label).collect()
}

/// The role that lets the user add credentials to this app, from the assignments read.
fn granting_assignment(assignments: &[(RoleAssignment, bool)], f: &Facts<'_>) -> Option<Grant> {
    let mut best: Option<Grant> = None;
    for (a, via_group) in assignments {
        if a.app_scope_id
            .as_deref()
            .is_some_and(|s| !s.trim().is_empty())
        {
            continue;
        }
        let Some(scope) = scope_of(a.directory_scope_id.as_deref(), f.app_object_id) else {
            continue;
        };
        // Without the expanded definition, a built-in role's definition ID is its template ID.
        let name = match &a.role_definition {
            Some(d) if definition_grants(d, f.sign_in_audience) => d
                .display_name
                .clone()
                .or_else(|| credential_role(&d.id).map(|r| r.name.to_string()))
                .unwrap_or_else(|| "a custom role".to_string()),
            Some(_) => continue,
            None => match credential_role(&a.role_definition_id) {
                Some(r) => r.name.to_string(),
                None => continue,
            },
        };
        let grant = Grant::Role {
            name,
            scope,
            source: if *via_group {
                Source::Group
            } else {
                Source::Assignment
            },
        };
        // A tenant-wide role says more than one scoped to this app.
        let better = matches!(
            (&best, scope),
            (None, _)
                | (
                    Some(Grant::Role {
                        scope: Scope::ThisApp,
                        ..
                    }),
                    Scope::Tenant
                )
        );
        if better {
            best = Some(grant);
        }
    }
    best
}

/// The verdict. In order: Graph's refusal; ownership; a role from the sign-in's `wids`; a role
/// from the assignments read; still checking; owners unreadable (unknown); otherwise "probably
/// not".
pub fn decide(f: &Facts<'_>) -> Access {
    if f.refused {
        return Access::Refused {
            owners: owner_labels(f.owners),
        };
    }
    if let (Some(me), Some(owners)) = (f.me, f.owners) {
        if owners.iter().any(|o| o.id.eq_ignore_ascii_case(me)) {
            return Access::Can(Grant::Owner);
        }
    }
    if let Some(role) = f.token_roles.iter().find_map(|w| credential_role(w)) {
        return Access::Can(Grant::Role {
            name: role.name.to_string(),
            scope: Scope::Tenant,
            source: Source::SignIn,
        });
    }
    if let RoleKnowledge::Read { assignments, .. } = f.roles {
        if let Some(grant) = granting_assignment(assignments, f) {
            return Access::Can(grant);
        }
    }
    let owners_pending = f.owners.is_none() && !f.owners_failed;
    let me_pending = f.me.is_none() && !f.me_failed;
    if owners_pending || me_pending || *f.roles == RoleKnowledge::Pending {
        return Access::Checking;
    }
    let token_roles = !f.token_roles.is_empty();
    let roles = match f.roles {
        RoleKnowledge::Read {
            groups_complete: true,
            ..
        } => RolesSeen::All,
        RoleKnowledge::Read { .. } => RolesSeen::WithoutGroups,
        RoleKnowledge::NotGranted => RolesSeen::NotGranted { token_roles },
        RoleKnowledge::Refused => RolesSeen::NoReaderRole { token_roles },
        RoleKnowledge::Unasked | RoleKnowledge::Pending | RoleKnowledge::Failed => {
            RolesSeen::Unknown { token_roles }
        }
    };
    if f.owners_failed || f.me_failed {
        return Access::Unknown { roles };
    }
    Access::ProbablyNot {
        owners: owner_labels(f.owners),
        roles,
    }
}

#[cfg(test)]
mod tests;
