//! `PUT {scope}/providers/Microsoft.Authorization/roleAssignments/{name}` ("Role Assignments -
//! Create"). Sources: Microsoft's "Assign Azure roles using the REST API"
//! (role-based-access-control/role-assignments-rest): the URL, the body `{"properties":
//! {"roleDefinitionId", "principalId", "principalType"}}`, the caller needs
//! `Microsoft.Authorization/roleAssignments/write` at the scope, and the 201 answer's shape (`id`,
//! `type`, `name`, `properties.{roleDefinitionId, principalId, principalType, scope, createdOn,
//! updatedOn, createdBy, updatedBy, condition, conditionVersion, description,
//! delegatedManagedIdentityResourceId}`). Key Vault's RBAC guide (key-vault/general/rbac-guide)
//! assigns data roles at a vault's or one secret's scope. The errors, as public threads quote them:
//! `InvalidRoleAssignmentId` "… The role assignment ID must be a GUID." (Azure/bicep #8737,
//! Azure/azure-rest-api-specs #1684); `InvalidPrincipalId` "… Principal ID must be a GUID."
//! (Azure/azure-powershell #16627); `PrincipalNotFound` "Principal {id} does not exist in the
//! directory {tenant}. Check that you have the correct principal ID. …"
//! (Azure/HubAndSpokeResearchEnclave #50, Azure-Samples/azure-search-openai-demo #9);
//! 409 `RoleAssignmentExists` "The role assignment already exists." for the same principal, role
//! and scope under another name (Azure/azure-cli #8568 and pull request #8599);
//! `RoleAssignmentUpdateNotPermitted` "Tenant ID, application ID, principal ID, and scope are not
//! allowed to be updated." when the name is taken by different properties (Azure-Samples/
//! graphrag-accelerator #168, Azure/Azure-Landing-Zones #833); `RoleDefinitionDoesNotExist` for an
//! unknown role (JulianHayward/AzAPICall pull request #23 names the code; the message is the
//! sandbox's). Unknown, so strict (sandbox/README.md): the check order, the same name and the same
//! properties again (refused as `RoleAssignmentExists`, not taken as an idempotent success), a scope
//! that does not exist (404), a `roleDefinitionId` naming another subscription (refused), and
//! `principalType` not matched against the principal.
//!

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{by_id, ROLE_ASSIGNMENTS_WRITE};
use crate::arm::resources::{check_api_version, AUTHORIZATION_API_VERSIONS};
use crate::arm::vaults::{RoleAssignment, VaultState};
use crate::arm::{ArmCall, ArmError};
use crate::{lock, AppState, TENANT_ID};

const PRINCIPAL_TYPES: [&str; 5] = [
    "User",
    "Group",
    "ServicePrincipal",
    "ForeignGroup",
    "Device",
];

fn is_guid(s: &str) -> bool {
    uuid::Uuid::parse_str(s).is_ok() && s.len() == 36
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

/// The subscription of `scope`, after checking that everything `scope` names exists: a
/// subscription, resource group, vault or one of its secrets.
fn resolve_scope<'a>(state: &VaultState, scope: &'a [&'a str]) -> Result<&'a str, ArmError> {
    let not_found = || {
        ArmError::not_found(
            "NotFound",
            format!("The sandbox serves role assignments at a subscription, resource group, vault or secret, not '/{}'.", scope.join("/")),
        )
    };
    let [subs, sub, rest @ ..] = scope else {
        return Err(not_found());
    };
    if !eq(subs, "subscriptions") {
        return Err(not_found());
    }
    if state.subscription(sub).is_none() {
        return Err(ArmError::not_found(
            "SubscriptionNotFound",
            format!("The subscription '{sub}' could not be found."),
        ));
    }
    let (rg, rest) = match rest {
        [] => return Ok(sub),
        [rgs, rg, rest @ ..] if eq(rgs, "resourceGroups") => (*rg, rest),
        _ => return Err(not_found()),
    };
    let has_rg = state
        .subscription(sub)
        .is_some_and(|s| s.resource_groups.iter().any(|g| eq(g, rg)));
    if !has_rg {
        return Err(ArmError::not_found(
            "ResourceGroupNotFound",
            format!("Resource group '{rg}' could not be found."),
        ));
    }
    let (vault, rest) = match rest {
        [] => return Ok(sub),
        [p, ns, t, v, rest @ ..]
            if eq(p, "providers") && eq(ns, "Microsoft.KeyVault") && eq(t, "vaults") =>
        {
            (*v, rest)
        }
        _ => return Err(not_found()),
    };
    let vault = state
        .vault(vault)
        .filter(|v| eq(&v.subscription_id, sub) && eq(&v.resource_group, rg))
        .ok_or_else(|| {
            ArmError::not_found(
                "ResourceNotFound",
                format!("The Resource 'Microsoft.KeyVault/vaults/{vault}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix"),
            )
        })?;
    match rest {
        [] => Ok(sub),
        [secrets, name] if eq(secrets, "secrets") => match vault.secret(name) {
            Some(_) => Ok(sub),
            None => Err(ArmError::not_found(
                "ResourceNotFound",
                format!("The Resource 'Microsoft.KeyVault/vaults/{}/secrets/{name}' under resource group '{rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix", vault.name),
            )),
        },
        _ => Err(not_found()),
    }
}

/// The role of `/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{id}`
/// (or the tenant-level `/providers/…` form).
fn role_of(id: &str, sub: &str) -> Option<super::RoleDefinition> {
    let rest = id.strip_prefix('/')?;
    let rest = match rest.split_once('/') {
        Some((subs, after)) if eq(subs, "subscriptions") => {
            let (s, after) = after.split_once('/')?;
            if !eq(s, sub) {
                return None;
            }
            after
        }
        _ => rest,
    };
    let parts: Vec<&str> = rest.split('/').collect();
    match parts.as_slice() {
        [p, ns, t, guid]
            if eq(p, "providers")
                && eq(ns, "Microsoft.Authorization")
                && eq(t, "roleDefinitions") =>
        {
            by_id(guid)
        }
        _ => None,
    }
}

fn arm_now() -> String {
    let t = chrono::Utc::now();
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

pub fn put(
    state: &AppState,
    call: &ArmCall,
    scope: &[&str],
    name: &str,
) -> Result<Response, ArmError> {
    check_api_version(call, AUTHORIZATION_API_VERSIONS, None)?;
    if !is_guid(name) {
        return Err(ArmError::bad_request(
            "InvalidRoleAssignmentId",
            format!("The role assignment ID '{name}' is not valid. The role assignment ID must be a GUID."),
        ));
    }
    let body: Value = serde_json::from_slice(&call.body).map_err(|e| {
        ArmError::bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {e}."),
        )
    })?;
    let text = |key: &str| body["properties"][key].as_str().map(str::to_owned);
    let (Some(role_id), Some(principal)) = (text("roleDefinitionId"), text("principalId")) else {
        return Err(ArmError::bad_request(
            "InvalidRequestContent",
            "The request content was invalid and could not be deserialized: properties.roleDefinitionId and properties.principalId are required.",
        ));
    };
    let principal_type = text("principalType");
    if let Some(t) = &principal_type {
        if !PRINCIPAL_TYPES.iter().any(|p| p == t) {
            return Err(ArmError::bad_request(
                "InvalidRequestContent",
                format!("The request content was invalid and could not be deserialized: '{t}' is not a valid principalType."),
            ));
        }
    }
    let scope_id = format!("/{}", scope.join("/"));
    let mut vaults = lock(&state.vaults);
    let sub = resolve_scope_sub(&vaults, scope)?;
    if !vaults.allows_action(&call.caller.oid, &scope_id, ROLE_ASSIGNMENTS_WRITE) {
        return Err(ArmError::authorization_failed(
            &call.caller,
            ROLE_ASSIGNMENTS_WRITE,
            &format!("{scope_id}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        ));
    }
    let role = role_of(&role_id, &sub).ok_or_else(|| {
        ArmError::bad_request(
            "RoleDefinitionDoesNotExist",
            format!("The specified role definition with ID '{role_id}' does not exist."),
        )
    })?;
    if !is_guid(&principal) {
        return Err(ArmError::bad_request(
            "InvalidPrincipalId",
            format!("The Principal ID '{principal}' is not valid. Principal ID must be a GUID."),
        ));
    }
    if !crate::graph::service_principals::exists(&principal) {
        return Err(ArmError::bad_request(
            "PrincipalNotFound",
            format!("Principal {} does not exist in the directory {TENANT_ID}. Check that you have the correct principal ID. If you are creating this principal and then immediately assigning a role, this error might be related to a replication delay. In this case, set the role assignment principalType property to a value, such as ServicePrincipal, User, or Group.  See https://aka.ms/docs-principaltype", principal.replace('-', "")),
        ));
    }
    let same = |a: &RoleAssignment| {
        eq(&a.principal_id, &principal) && eq(a.role.id, role.id) && eq(&a.scope, &scope_id)
    };
    if let Some(existing) = vaults.role_assignments.iter().find(|a| eq(&a.id, name)) {
        if !same(existing) {
            return Err(ArmError::bad_request(
                "RoleAssignmentUpdateNotPermitted",
                "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.",
            ));
        }
    }
    if vaults.role_assignments.iter().any(same) {
        return Err(ArmError::new(
            StatusCode::CONFLICT,
            "RoleAssignmentExists",
            "The role assignment already exists.",
        ));
    }
    vaults.role_assignments.push(RoleAssignment {
        id: name.to_owned(),
        principal_id: principal.clone(),
        role,
        scope: scope_id.clone(),
    });
    let now = arm_now();
    let body = json!({
        "properties": {
            "roleDefinitionId": format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{}", role.id),
            "principalId": principal,
            "principalType": principal_type.unwrap_or_else(|| {
                let sp = crate::graph::service_principals::find(&principal).is_some();
                if sp { "ServicePrincipal" } else { "User" }.to_owned()
            }),
            "scope": scope_id,
            "condition": null,
            "conditionVersion": null,
            "createdOn": now,
            "updatedOn": now,
            "createdBy": null,
            "updatedBy": call.caller.oid,
            "delegatedManagedIdentityResourceId": null,
            "description": null,
        },
        "id": format!("{scope_id}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        "type": "Microsoft.Authorization/roleAssignments",
        "name": name,
    });
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

fn resolve_scope_sub(state: &VaultState, scope: &[&str]) -> Result<String, ArmError> {
    resolve_scope(state, scope).map(str::to_owned)
}
