//! The demo tenant's directory roles (docs/contracts.md, sandbox/README.md "Personas"): the
//! built-in definitions it uses, its custom role, the role-assignable group that holds the custom
//! role, a group that holds none, and who is assigned what.
//!
//! Built-in definitions: entra-docs/permissions-reference.md (template IDs) and
//! MicrosoftDocs/entra-docs docs/identity/role-based-access-control/includes/{global-administrator,
//! application-administrator, cloud-application-administrator, global-reader}.md (actions). They
//! list only the application and role-management actions of those pages (the real lists are
//! longer; nothing here reads the rest).

use super::{
    Group, RoleAssignment, RoleDefinition, RoleDirectory, APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR, CREDENTIALS_UPDATE, GLOBAL_ADMINISTRATOR, GLOBAL_READER,
};
use crate::graph::directory::seed::stable_guid;
use crate::identity::personas::{ADA, DAN, GINA, RORY, SAM};

/// The custom role of the demo tenant.
pub const CREDENTIAL_ROTATOR_NAME: &str = "Application Credential Rotator";
/// The demo tenant's role-assignable group holding it.
pub const ROTATORS_GROUP_NAME: &str = "App Credential Rotators";

fn actions(list: &[&str]) -> Vec<String> {
    list.iter().map(|a| (*a).to_owned()).collect()
}

fn built_in(template_id: &str, name: &str, description: &str, list: &[&str]) -> RoleDefinition {
    RoleDefinition {
        id: template_id.to_owned(),
        template_id: template_id.to_owned(),
        display_name: name.to_owned(),
        description: description.to_owned(),
        is_built_in: true,
        allowed_actions: actions(list),
    }
}

/// The object ID of a seeded application (the Graph seed derives it from the name).
pub fn seeded_app_id(name: &str) -> String {
    stable_guid(&format!("{name}|object"))
}

fn assignment(principal: &str, definition: &str, scope: &str) -> RoleAssignment {
    RoleAssignment {
        id: stable_guid(&format!("roleAssignment|{principal}|{definition}|{scope}")),
        principal_id: principal.to_owned(),
        role_definition_id: definition.to_owned(),
        directory_scope_id: scope.to_owned(),
    }
}

impl RoleDirectory {
    /// The demo tenant (docs/contracts.md, sandbox/README.md "Personas").
    pub fn demo() -> Self {
        let rotator_id = stable_guid(&format!("roleDefinition|{CREDENTIAL_ROTATOR_NAME}"));
        let definitions = vec![
            // includes/global-administrator.md (ms.date 07/09/2025) for the application lines; the
            // role-management ones from the 05/26/2025 permissions-reference page (all roles inline).
            built_in(
                GLOBAL_ADMINISTRATOR,
                "Global Administrator",
                "Can manage all aspects of Microsoft Entra ID and Microsoft services that use Microsoft Entra identities.",
                &[
                    "microsoft.directory/applications/allProperties/allTasks",
                    "microsoft.directory/applications/synchronization/standard/read",
                    "microsoft.directory/applicationTemplates/instantiate",
                    "microsoft.directory/roleAssignments/allProperties/allTasks",
                    "microsoft.directory/roleDefinitions/allProperties/allTasks",
                    "microsoft.directory/servicePrincipals/allProperties/allTasks",
                ],
            ),
            // includes/application-administrator.md (ms.date 01/26/2026)
            built_in(
                APPLICATION_ADMINISTRATOR,
                "Application Administrator",
                "Can create and manage all aspects of app registrations and enterprise apps.",
                &[
                    "microsoft.directory/applications/applicationProxy/read",
                    "microsoft.directory/applications/applicationProxy/update",
                    "microsoft.directory/applications/appRoles/update",
                    "microsoft.directory/applications/audience/update",
                    "microsoft.directory/applications/authentication/update",
                    "microsoft.directory/applications/basic/update",
                    "microsoft.directory/applications/create",
                    "microsoft.directory/applications/credentials/update",
                    "microsoft.directory/applications/delete",
                    "microsoft.directory/applications/owners/update",
                    "microsoft.directory/applications/permissions/update",
                    "microsoft.directory/applications/policies/update",
                    "microsoft.directory/applications/tag/update",
                    // The same include: "Read all properties on audit logs".
                    "microsoft.directory/auditLogs/allProperties/read",
                ],
            ),
            // includes/cloud-application-administrator.md (ms.date 01/26/2026)
            built_in(
                CLOUD_APPLICATION_ADMINISTRATOR,
                "Cloud Application Administrator",
                "Can create and manage all aspects of app registrations and enterprise apps except App Proxy.",
                &[
                    "microsoft.directory/applications/appRoles/update",
                    "microsoft.directory/applications/audience/update",
                    "microsoft.directory/applications/authentication/update",
                    "microsoft.directory/applications/basic/update",
                    "microsoft.directory/applications/create",
                    "microsoft.directory/applications/credentials/update",
                    "microsoft.directory/applications/delete",
                    "microsoft.directory/applications/owners/update",
                    "microsoft.directory/applications/permissions/update",
                    "microsoft.directory/applications/policies/update",
                    "microsoft.directory/applications/tag/update",
                    // The same include: "Read all properties on audit logs".
                    "microsoft.directory/auditLogs/allProperties/read",
                ],
            ),
            // The 05/26/2025 permissions-reference page (Global Reader section): reads only.
            built_in(
                GLOBAL_READER,
                "Global Reader",
                "Can read everything that a Global Administrator can, but not update anything.",
                &[
                    "microsoft.directory/applications/allProperties/read",
                    "microsoft.directory/roleAssignments/allProperties/read",
                    "microsoft.directory/roleDefinitions/allProperties/read",
                ],
            ),
            RoleDefinition {
                id: rotator_id.clone(),
                // A custom role's templateId is its own ID unless one was set (unifiedroledefinition.md).
                template_id: rotator_id.clone(),
                display_name: CREDENTIAL_ROTATOR_NAME.to_owned(),
                description: "Adds and removes client secrets and certificates of app registrations.".to_owned(),
                is_built_in: false,
                allowed_actions: actions(&[
                    CREDENTIALS_UPDATE,
                    "microsoft.directory/applications/standard/read",
                ]),
            },
        ];
        let rotators = Group {
            id: stable_guid(&format!("group|{ROTATORS_GROUP_NAME}")),
            display_name: ROTATORS_GROUP_NAME.to_owned(),
            description: "Developers who rotate app credentials (role-assignable).".to_owned(),
            is_assignable_to_role: true,
            members: vec![RORY.oid.to_owned()],
        };
        let engineering = Group {
            id: stable_guid("group|Engineering"),
            display_name: "Engineering".to_owned(),
            description: "Everyone who builds things (holds no roles).".to_owned(),
            is_assignable_to_role: false,
            members: [DAN.oid, RORY.oid, SAM.oid]
                .iter()
                .map(|o| (*o).to_owned())
                .collect(),
        };
        let assignments = vec![
            assignment(ADA.oid, APPLICATION_ADMINISTRATOR, "/"),
            assignment(GINA.oid, GLOBAL_ADMINISTRATOR, "/"),
            assignment(&rotators.id, &rotator_id, "/"),
            assignment(
                SAM.oid,
                APPLICATION_ADMINISTRATOR,
                &format!("/{}", seeded_app_id("Inventory Service")),
            ),
        ];
        Self {
            definitions,
            assignments,
            groups: vec![rotators, engineering],
        }
    }
}

/// The demo tenant's roles (they never change while the sandbox runs).
pub fn demo() -> &'static RoleDirectory {
    static DEMO: std::sync::OnceLock<RoleDirectory> = std::sync::OnceLock::new();
    DEMO.get_or_init(RoleDirectory::demo)
}
