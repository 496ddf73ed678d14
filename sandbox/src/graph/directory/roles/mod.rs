//! Directory roles as Entra keeps them: role definitions, role assignments (principal, definition,
//! `directoryScopeId`) and role-assignable groups. Graph serves them (`graph::roles`), and
//! addPassword/removePassword decide from them (`graph::credentials`), never from a token's `wids`.
//!
//! Sources (copies under ../shared/specs unless named otherwise):
//! - graph-docs/unifiedrolepermission.md: actions are `{Namespace}/{Entity}/{PropertySet}/{Action}`;
//!   `allProperties` is every property of the entity, privileged ones included; `allTasks` is every
//!   CRUD operation; a permission with a `condition` (such as "owner of the resource") is not
//!   unconditional, and conditions are not supported for custom roles.
//! - graph-docs/unifiedroleassignment.md: assignments link a principal (user, role-assignable group
//!   or service principal) to a definition at a `directoryScopeId`; `/` is the tenant.
//! - Microsoft Entra docs, "Application registration permissions for custom roles"
//!   (custom-available-permissions): the subtype `applications.myOrganization` covers only
//!   single-tenant apps (`signInAudience` `AzureADMyOrg`); an assignment may be scoped to one app
//!   registration (`directoryScopeId` `/{application object ID}`, "Create and assign a custom role",
//!   custom-create).
//! - entra-docs/permissions-reference.md (template IDs). The built-in definitions' actions are in
//!   [`demo`], which cites their pages.
//! - Microsoft Entra docs, "Use Microsoft Entra groups to manage role assignments": only groups
//!   created role-assignable (`isAssignableToRole`) can hold roles, and they can't contain groups,
//!   so a member's roles through groups are those of the groups they are a direct member of.

mod demo;

pub use demo::{demo, seeded_app_id, CREDENTIAL_ROTATOR_NAME, ROTATORS_GROUP_NAME};

/// The action addPassword and removePassword need (graph-docs/application-addpassword.md,
/// permissions-reference.md).
pub const CREDENTIALS_UPDATE: &str = "microsoft.directory/applications/credentials/update";

/// Built-in role template IDs (permissions-reference.md, "All roles").
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
pub const CLOUD_APPLICATION_ADMINISTRATOR: &str = "158c047a-c907-4556-b7ef-446551a6b5f7";
pub const GLOBAL_READER: &str = "f2ef992c-3afb-46b9-b7cf-a126ee74c451";
/// Every member of a tenant carries this template ID ("User") in `wids`.
pub const MEMBER_ROLE_TEMPLATE: &str = "b79fbf4d-3ef9-4689-8143-76b194e85509";

/// A role definition (unifiedroledefinition.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDefinition {
    /// For built-in roles, the template ID (rbacapplication-list-roledefinitions.md's example).
    pub id: String,
    pub template_id: String,
    pub display_name: String,
    pub description: String,
    pub is_built_in: bool,
    /// `rolePermissions[0].allowedResourceActions` (no condition).
    pub allowed_actions: Vec<String>,
}

/// A role assignment (unifiedroleassignment.md).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleAssignment {
    pub id: String,
    pub principal_id: String,
    pub role_definition_id: String,
    /// `/` (tenant) or `/{object ID}` (one application).
    pub directory_scope_id: String,
}

/// A group of the directory (only what roles need).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub is_assignable_to_role: bool,
    /// Object IDs of the member users.
    pub members: Vec<String>,
}

/// Everything about roles the demo tenant holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoleDirectory {
    pub definitions: Vec<RoleDefinition>,
    pub assignments: Vec<RoleAssignment>,
    pub groups: Vec<Group>,
}

/// Whether one `allowedResourceActions` entry covers updating the credentials of an application
/// whose `signInAudience` is `audience` (case-insensitive, as directory names are).
///
/// Covered: `microsoft.directory/applications/{credentials|allProperties}/{update|allTasks}`, and
/// the same with `applications.myOrganization` when the app is single-tenant. Not covered: other
/// entities (`servicePrincipals/credentials/update` is the enterprise app's, not the
/// registration's), `read`, `create`, or a shorter or longer action.
pub fn covers_credentials_update(granted: &str, audience: &str) -> bool {
    let parts: Vec<&str> = granted.split('/').collect();
    let [namespace, entity, property_set, action] = parts[..] else {
        return false;
    };
    let eq = |a: &str, b: &str| a.eq_ignore_ascii_case(b);
    let entity_ok = eq(entity, "applications")
        || (eq(entity, "applications.myOrganization") && audience == "AzureADMyOrg");
    eq(namespace, "microsoft.directory")
        && entity_ok
        && (eq(property_set, "credentials") || eq(property_set, "allProperties"))
        && (eq(action, "update") || eq(action, "allTasks"))
}

/// Whether a `directoryScopeId` covers the application with object ID `app_id`.
pub fn scope_covers(directory_scope_id: &str, app_id: &str) -> bool {
    directory_scope_id == "/"
        || directory_scope_id
            .strip_prefix('/')
            .is_some_and(|id| id.eq_ignore_ascii_case(app_id))
}

/// Whether one action covers reading role assignments: the include of
/// graph-docs/rbacapplication-list-roleassignments.md ("rbac-role-assignment-apis-read") says the
/// signed-in user needs `microsoft.directory/roleAssignments/standard/read`,
/// `…/allProperties/read` or `…/allProperties/allTasks` (Directory Readers, Global Reader,
/// Privileged Role Administrator, or a role holding one of these).
fn covers_role_assignment_read(granted: &str) -> bool {
    [
        "microsoft.directory/roleAssignments/standard/read",
        "microsoft.directory/roleAssignments/allProperties/read",
        "microsoft.directory/roleAssignments/allProperties/allTasks",
    ]
    .iter()
    .any(|a| a.eq_ignore_ascii_case(granted))
}

impl RoleDirectory {
    pub fn definition(&self, id: &str) -> Option<&RoleDefinition> {
        self.definitions
            .iter()
            .find(|d| d.id.eq_ignore_ascii_case(id))
    }

    /// The groups `user` is a member of (groups hold no groups here; see the module doc).
    pub fn groups_of<'a>(&'a self, user: &'a str) -> impl Iterator<Item = &'a Group> + 'a {
        self.groups
            .iter()
            .filter(move |g| g.members.iter().any(|m| m.eq_ignore_ascii_case(user)))
    }

    /// The assignments that apply to `user`: their own, and those of the role-assignable groups
    /// they belong to.
    pub fn effective_assignments<'a>(
        &'a self,
        user: &'a str,
    ) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        let groups: Vec<&str> = self
            .groups_of(user)
            .filter(|g| g.is_assignable_to_role)
            .map(|g| g.id.as_str())
            .collect();
        self.assignments.iter().filter(move |a| {
            a.principal_id.eq_ignore_ascii_case(user)
                || groups
                    .iter()
                    .any(|g| a.principal_id.eq_ignore_ascii_case(g))
        })
    }

    /// Whether `user` may update the credentials of the application `app_id` (object ID) with
    /// sign-in audience `audience` through a role (ownership is checked by the caller).
    pub fn may_update_credentials(&self, user: &str, app_id: &str, audience: &str) -> bool {
        self.effective_assignments(user).any(|a| {
            scope_covers(&a.directory_scope_id, app_id)
                && self.definition(&a.role_definition_id).is_some_and(|d| {
                    d.allowed_actions
                        .iter()
                        .any(|x| covers_credentials_update(x, audience))
                })
        })
    }

    /// Whether `user` may read role assignments (a tenant-wide role holding a read action).
    pub fn may_read_role_assignments(&self, user: &str) -> bool {
        self.effective_assignments(user).any(|a| {
            a.directory_scope_id == "/"
                && self.definition(&a.role_definition_id).is_some_and(|d| {
                    d.allowed_actions
                        .iter()
                        .any(|x| covers_role_assignment_read(x))
                })
        })
    }

    /// Whether `user` may read the directory audit log: a tenant-wide role holding
    /// `microsoft.directory/auditLogs/allProperties/read` (`crate::graph::audit`).
    pub fn may_read_audit_logs(&self, user: &str) -> bool {
        self.effective_assignments(user).any(|a| {
            a.directory_scope_id == "/"
                && self.definition(&a.role_definition_id).is_some_and(|d| {
                    d.allowed_actions
                        .iter()
                        .any(|x| x.eq_ignore_ascii_case(crate::graph::audit::AUDIT_READ_ACTION))
                })
        })
    }

    /// What `wids` would carry for `user`: the templates of tenant-wide built-in roles assigned to
    /// them (access-token-claims-reference.md: "the tenant-wide roles assigned to this user, from
    /// the section of roles present in Microsoft Entra built-in roles"), then the member template.
    /// Roles held through groups are left out: the claims reference does not say they are in it
    /// (strict; sandbox/README.md).
    pub fn wids(&self, user: &str) -> Vec<String> {
        let mut wids: Vec<String> = self
            .assignments
            .iter()
            .filter(|a| a.principal_id.eq_ignore_ascii_case(user) && a.directory_scope_id == "/")
            .filter_map(|a| self.definition(&a.role_definition_id))
            .filter(|d| d.is_built_in)
            .map(|d| d.template_id.clone())
            .collect();
        wids.push(MEMBER_ROLE_TEMPLATE.to_owned());
        wids
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::identity::personas::{ADA, DAN, GINA, RITA, RORY, SAM};

    const MY_ORG: &str = "AzureADMyOrg";

    #[test]
    fn the_matcher_takes_the_action_and_its_wildcards_only() {
        for yes in [
            CREDENTIALS_UPDATE,
            "microsoft.directory/applications/allProperties/allTasks",
            "microsoft.directory/applications/allProperties/update",
            "microsoft.directory/applications/credentials/allTasks",
            "Microsoft.Directory/Applications/Credentials/Update",
            "microsoft.directory/applications.myOrganization/credentials/update",
        ] {
            assert!(covers_credentials_update(yes, MY_ORG), "{yes}");
        }
        for no in [
            "microsoft.directory/applications/allProperties/read",
            "microsoft.directory/applications/credentials/read",
            "microsoft.directory/applications/basic/update",
            "microsoft.directory/applications/create",
            "microsoft.directory/servicePrincipals/credentials/update",
            "microsoft.directory/applications/credentials/update/extra",
            "microsoft.azure/applications/credentials/update",
            "microsoft.directory/allEntities/allProperties/allTasks",
            "",
        ] {
            assert!(!covers_credentials_update(no, MY_ORG), "{no}");
        }
        // The single-tenant subtype does not reach a multi-tenant app.
        assert!(!covers_credentials_update(
            "microsoft.directory/applications.myOrganization/credentials/update",
            "AzureADMultipleOrgs"
        ));
    }

    #[test]
    fn scopes_are_the_tenant_or_the_app() {
        let app = seeded_app_id("Inventory Service");
        assert!(scope_covers("/", &app));
        assert!(scope_covers(&format!("/{}", app.to_uppercase()), &app));
        assert!(!scope_covers(
            &format!("/{}", seeded_app_id("Payroll API")),
            &app
        ));
        assert!(!scope_covers("/administrativeUnits/x", &app));
        assert!(!scope_covers("", &app));
    }

    #[test]
    fn the_demo_roles_decide_who_may_add() {
        let r = demo();
        let inventory = seeded_app_id("Inventory Service");
        let payroll = seeded_app_id("Payroll API");
        for who in [ADA.oid, GINA.oid, RORY.oid] {
            assert!(r.may_update_credentials(who, &payroll, MY_ORG), "{who}");
        }
        assert!(r.may_update_credentials(SAM.oid, &inventory, MY_ORG));
        assert!(
            !r.may_update_credentials(SAM.oid, &payroll, MY_ORG),
            "scoped to one app"
        );
        for who in [DAN.oid, RITA.oid] {
            assert!(!r.may_update_credentials(who, &inventory, MY_ORG), "{who}");
        }
        // Rory's role comes only through the role-assignable group.
        assert!(r.assignments.iter().all(|a| a.principal_id != RORY.oid));
        assert_eq!(r.effective_assignments(RORY.oid).count(), 1);
        // The Engineering group is not role-assignable: it gives Dan nothing.
        assert_eq!(r.groups_of(DAN.oid).count(), 1);
        assert_eq!(r.effective_assignments(DAN.oid).count(), 0);
    }

    #[test]
    fn reading_assignments_and_wids() {
        let r = demo();
        assert!(r.may_read_role_assignments(GINA.oid));
        for who in [ADA.oid, DAN.oid, RITA.oid, RORY.oid, SAM.oid] {
            assert!(!r.may_read_role_assignments(who), "{who}");
        }
        assert_eq!(
            r.wids(ADA.oid),
            [APPLICATION_ADMINISTRATOR, MEMBER_ROLE_TEMPLATE]
        );
        assert_eq!(
            r.wids(GINA.oid),
            [GLOBAL_ADMINISTRATOR, MEMBER_ROLE_TEMPLATE]
        );
        for who in [RORY.oid, SAM.oid, DAN.oid] {
            assert_eq!(r.wids(who), [MEMBER_ROLE_TEMPLATE], "{who}");
        }
    }
}
