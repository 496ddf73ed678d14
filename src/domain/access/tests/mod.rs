use super::*;
use crate::model::RolePermission;

const APP: &str = "11111111-1111-4111-8111-111111111111";
const ME: &str = "d0d0d0d0-0000-4000-8000-00000000da11";
const MY_ORG: Option<&str> = Some("AzureADMyOrg");

fn owner(id: &str) -> Owner {
    Owner {
        id: id.into(),
        odata_type: Some("#microsoft.graph.user".into()),
        display_name: Some("Dev Dan".into()),
        user_principal_name: Some("dan@contoso.example".into()),
        mail: None,
    }
}

fn definition(name: &str, actions: &[&str], condition: Option<&str>) -> RoleDefinition {
    RoleDefinition {
        id: format!("def-{name}"),
        display_name: Some(name.into()),
        template_id: None,
        is_built_in: Some(false),
        is_enabled: Some(true),
        role_permissions: vec![RolePermission {
            allowed_resource_actions: actions.iter().map(|a| a.to_string()).collect(),
            condition: condition.map(str::to_string),
            excluded_resource_actions: Vec::new(),
        }],
    }
}

fn assignment(scope: &str, d: Option<RoleDefinition>, definition_id: &str) -> RoleAssignment {
    RoleAssignment {
        id: "a".into(),
        principal_id: "p".into(),
        role_definition_id: definition_id.into(),
        directory_scope_id: Some(scope.into()),
        app_scope_id: None,
        role_definition: d,
    }
}

struct World {
    owners: Option<Vec<Owner>>,
    owners_failed: bool,
    me: Option<&'static str>,
    wids: Vec<String>,
    roles: RoleKnowledge,
    refused: bool,
}

impl World {
    fn new() -> Self {
        World {
            owners: Some(vec![owner("someone-else")]),
            owners_failed: false,
            me: Some(ME),
            wids: Vec::new(),
            roles: RoleKnowledge::NotGranted,
            refused: false,
        }
    }

    fn decide(&self) -> Access {
        decide(&Facts {
            app_object_id: APP,
            sign_in_audience: MY_ORG,
            me: self.me,
            me_failed: false,
            owners: self.owners.as_deref(),
            owners_failed: self.owners_failed,
            token_roles: &self.wids,
            roles: &self.roles,
            refused: self.refused,
        })
    }

    fn read(mut self, assignments: Vec<(RoleAssignment, bool)>) -> Self {
        self.roles = RoleKnowledge::Read {
            assignments,
            groups_complete: true,
        };
        self
    }
}

mod matcher;
mod verdict;
mod who_can;
