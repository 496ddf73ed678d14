//! Azure RBAC role assignments through ARM, sans-IO: the `PUT` that gives a workload's identity
//! read access to one stored secret, and its answer.
//!
//! The request is "Role Assignments - Create" as Microsoft's "Assign Azure roles using the REST
//! API" (role-based-access-control/role-assignments-rest) gives it:
//! `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{roleAssignmentId}?api-version=2022-04-01`
//! with `{"properties": {"roleDefinitionId", "principalId", "principalType"}}`, where the
//! assignment's name is a new GUID the caller makes ([`assignment_name`]), the role definition ID
//! is `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role GUID}`, and the
//! caller needs `Microsoft.Authorization/roleAssignments/write` at the scope ([`ASSIGN_ACTION`];
//! Owner, User Access Administrator, Role Based Access Control Administrator: [`WHO_CAN_ASSIGN`]).
//! `principalType` is sent so that ARM need not look a brand-new identity up in the directory
//! ("2018-09-01-preview or later to assign an Azure role to a new service principal", ibid.).
//!
//! The scope is the secret itself ([`secret_scope`]): Key Vault's RBAC guide
//! (key-vault/general/rbac-guide, "Secret scope role assignment") assigns Key Vault Secrets User
//! ([`KEY_VAULT_SECRETS_USER`], 4633458b-17de-408a-b874-0445c86b69e6, built-in roles reference) on
//! `…/vaults/{vault}/secrets/{secret}`, so the workload reads this secret and no other.
//! Failures are [`ArmError`]s: 403 `AuthorizationFailed` (the missing write), 409
//! `RoleAssignmentExists` ("The role assignment already exists.", as Azure/azure-cli issue #8568
//! and pull request #8599 quote it), 400 `PrincipalNotFound`.

use serde_json::json;

use super::error::ArmError;
use crate::net::{encode, HttpRequest, HttpResponse, Method, Resource};
use crate::wire::{parse_with, Members, Mismatch};

/// api-version of `Microsoft.Authorization/roleAssignments`.
pub const ROLE_ASSIGNMENTS_API: &str = "2022-04-01";
/// The action a role assignment needs at its scope.
pub const ASSIGN_ACTION: &str = "Microsoft.Authorization/roleAssignments/write";
/// The built-in roles that grant [`ASSIGN_ACTION`] (Azure built-in roles reference), as a user
/// reads them.
pub const WHO_CAN_ASSIGN: &str =
    "Owner, User Access Administrator or Role Based Access Control Administrator";
/// Key Vault Secrets User: "Read secret contents" (`…/secrets/getSecret/action`,
/// `…/secrets/readMetadata/action`), the same GUID in every tenant.
pub const KEY_VAULT_SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";
/// Its name, as the portal shows it.
pub const KEY_VAULT_SECRETS_USER_NAME: &str = "Key Vault Secrets User";

/// What a principal is, in ARM's words (`principalType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PrincipalType {
    User,
    Group,
    /// A service principal: an app's, or a managed identity's.
    ServicePrincipal,
}

impl PrincipalType {
    pub fn as_str(self) -> &'static str {
        match self {
            PrincipalType::User => "User",
            PrincipalType::Group => "Group",
            PrincipalType::ServicePrincipal => "ServicePrincipal",
        }
    }
}

/// `{vault id}/secrets/{name}`: one secret's scope.
pub fn secret_scope(vault_id: &str, secret_name: &str) -> String {
    format!(
        "/{}/secrets/{}",
        vault_id.trim_matches('/'),
        encode(secret_name)
    )
}

/// `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}`, the form the
/// REST page sends (a built-in role's GUID is the same in every subscription).
pub fn role_definition_id(subscription_id: &str, role: &str) -> String {
    format!(
        "/subscriptions/{subscription_id}/providers/Microsoft.Authorization/roleDefinitions/{role}"
    )
}

/// A role assignment's name: a GUID (version 4, RFC 9562 §5.4) from 128 random bits.
pub fn assignment_name(bits: u128) -> String {
    let b = (bits & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{b:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// The assignment to create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRoleAssignment {
    /// Where it applies (an ARM resource ID; see [`secret_scope`]).
    pub scope: String,
    /// Its name: a new GUID ([`assignment_name`]).
    pub name: String,
    /// The role definition's full ID ([`role_definition_id`]).
    pub role_definition_id: String,
    /// The identity's object ID (the service principal's `id`, not its `appId`).
    pub principal_id: String,
    pub principal_type: PrincipalType,
}

/// `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}` (Role Assignments -
/// Create).
pub fn put_role_assignment(base: &str, new: &NewRoleAssignment) -> HttpRequest {
    let body = json!({
        "properties": {
            "roleDefinitionId": new.role_definition_id,
            "principalId": new.principal_id,
            "principalType": new.principal_type.as_str(),
        }
    });
    HttpRequest::new(
        Method::Put,
        format!(
            "{}/{}/providers/Microsoft.Authorization/roleAssignments/{}?api-version={ROLE_ASSIGNMENTS_API}",
            base.trim_end_matches('/'),
            new.scope.trim_matches('/'),
            encode(&new.name)
        ),
        Resource::Arm,
    )
    .json(body.to_string())
}

/// A role assignment as ARM answers (201 Created, or 200).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleAssignment {
    pub id: String,
    pub name: String,
    pub scope: Option<String>,
    pub role_definition_id: String,
    pub principal_id: String,
    pub principal_type: Option<String>,
}

fn role_assignment(m: Members<'_>) -> Result<RoleAssignment, Mismatch> {
    let p = m
        .object("properties", |p| {
            Ok((
                p.text("scope")?,
                p.required_text("roleDefinitionId")?,
                p.required_text("principalId")?,
                p.text("principalType")?,
            ))
        })?
        .ok_or_else(|| Mismatch::new("properties", "an object"))?;
    Ok(RoleAssignment {
        id: m.required_text("id")?,
        name: m.required_text("name")?,
        scope: p.0,
        role_definition_id: p.1,
        principal_id: p.2,
        principal_type: p.3,
    })
}

/// The answer to [`put_role_assignment`].
pub fn parse_role_assignment(res: &HttpResponse) -> Result<RoleAssignment, ArmError> {
    parse_with(res, role_assignment)
}

/// The role assignment that was asked for is what ARM says it made: same role (by GUID, the
/// last segment), same principal, and the scope asked for (when ARM states one).
pub fn is_what_was_asked(made: &RoleAssignment, asked: &NewRoleAssignment) -> bool {
    let role = |id: &str| {
        id.rsplit('/')
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase()
    };
    role(&made.role_definition_id) == role(&asked.role_definition_id)
        && made.principal_id.eq_ignore_ascii_case(&asked.principal_id)
        && made.scope.as_deref().is_none_or(|s| {
            s.trim_end_matches('/')
                .eq_ignore_ascii_case(asked.scope.trim_end_matches('/'))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    const VAULT: &str =
        "/subscriptions/c0de0001/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";

    fn new() -> NewRoleAssignment {
        NewRoleAssignment {
            scope: secret_scope(VAULT, "payroll-api-client-secret"),
            name: assignment_name(0x0123_4567_89ab_cdef_0123_4567_89ab_cdef),
            role_definition_id: role_definition_id("c0de0001", KEY_VAULT_SECRETS_USER),
            principal_id: "5b0c3b3e-1111-4222-8333-444455556666".into(),
            principal_type: PrincipalType::ServicePrincipal,
        }
    }

    #[test]
    fn the_put_is_role_assignments_create_at_the_secret_scope() {
        let req = put_role_assignment("https://management.azure.com/", &new());
        assert_eq!(req.method, Method::Put);
        assert_eq!(req.resource, Resource::Arm);
        assert_eq!(
            req.url,
            "https://management.azure.com/subscriptions/c0de0001/resourceGroups/rg-dev/providers/\
             Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/payroll-api-client-secret/providers/\
             Microsoft.Authorization/roleAssignments/01234567-89ab-4def-8123-456789abcdef?api-version=2022-04-01"
        );
        let body: serde_json::Value =
            serde_json::from_str(req.body.as_deref().expect("a body")).unwrap();
        assert_eq!(
            body,
            json!({"properties": {
                "roleDefinitionId": "/subscriptions/c0de0001/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6",
                "principalId": "5b0c3b3e-1111-4222-8333-444455556666",
                "principalType": "ServicePrincipal"
            }})
        );
    }

    #[test]
    fn assignment_names_are_version_4_guids() {
        for bits in [0u128, u128::MAX, 0x0123_4567_89ab_cdef_0123_4567_89ab_cdef] {
            let name = assignment_name(bits);
            assert!(crate::graph::is_guid(&name), "{name}");
            assert_eq!(&name[14..15], "4", "{name}");
            assert!("89ab".contains(&name[19..20]), "{name}");
        }
        assert_ne!(assignment_name(1), assignment_name(2));
    }

    #[test]
    fn the_answer_is_read_and_checked_against_the_request() {
        let asked = new();
        let body = json!({
            "id": format!("{}/providers/Microsoft.Authorization/roleAssignments/{}", asked.scope, asked.name),
            "name": asked.name,
            "type": "Microsoft.Authorization/roleAssignments",
            "properties": {
                "roleDefinitionId": asked.role_definition_id,
                "principalId": asked.principal_id,
                "principalType": "ServicePrincipal",
                "scope": asked.scope,
                "createdOn": "2026-12-04T12:00:00.0000000Z"
            }
        });
        let made = parse_role_assignment(&HttpResponse::new(201, body.to_string())).unwrap();
        assert!(is_what_was_asked(&made, &asked));
        let other = RoleAssignment {
            principal_id: "someone-else".into(),
            ..made.clone()
        };
        assert!(!is_what_was_asked(&other, &asked));
        let wider = RoleAssignment {
            scope: Some(VAULT.into()),
            ..made.clone()
        };
        assert!(!is_what_was_asked(&wider, &asked));
        let reader = RoleAssignment {
            role_definition_id: "/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7".into(),
            ..made
        };
        assert!(!is_what_was_asked(&reader, &asked));
    }

    #[test]
    fn refusals_are_arm_errors() {
        let denied = HttpResponse::new(
            403,
            json!({"error": {"code": "AuthorizationFailed", "message":
                "The client 'dan@contoso.example' with object id 'd' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '/x' or the scope is invalid."}})
                .to_string(),
        );
        match parse_role_assignment(&denied) {
            Err(ArmError::AuthorizationFailed { action, .. }) => {
                assert_eq!(action.as_deref(), Some(ASSIGN_ACTION))
            }
            other => panic!("{other:?}"),
        }
        let exists = HttpResponse::new(
            409,
            json!({"error": {"code": "RoleAssignmentExists", "message": "The role assignment already exists."}})
                .to_string(),
        );
        let e = parse_role_assignment(&exists).unwrap_err();
        assert_eq!(
            e.info().map(|i| i.code.as_str()),
            Some("RoleAssignmentExists")
        );
        assert!(parse_role_assignment(&HttpResponse::new(201, "{\"id\":\"x\"}")).is_err());
    }

    #[test]
    fn the_secret_scope_encodes_the_name() {
        assert_eq!(
            secret_scope(&format!("{VAULT}/"), "a-b"),
            format!("{VAULT}/secrets/a-b")
        );
    }
}
