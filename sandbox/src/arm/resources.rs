//! ARM routing and the read-only resources: subscriptions, vaults and
//! `Microsoft.Authorization/permissions`. Shapes follow
//! ../shared/specs/keyvault-arm-2025-05-01 (Vault, VaultListResult and the
//! listVaultBySubscription example); the subscription shape is ARM's standard one.

use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::{json, Value};

use super::{secrets, ArmCall, ArmError};
use crate::arm::rbac::actions;
use crate::arm::vaults::{Vault, VaultState};
use crate::{lock, AppState, TENANT_ID};

pub const SUBSCRIPTION_API_VERSIONS: &[&str] = &[
    "2016-06-01",
    "2019-06-01",
    "2019-11-01",
    "2020-01-01",
    "2021-01-01",
    "2022-12-01",
];
pub const KEY_VAULT_API_VERSIONS: &[&str] = &[
    "2019-09-01",
    "2021-10-01",
    "2022-07-01",
    "2023-02-01",
    "2023-07-01",
    "2024-11-01",
    "2025-05-01",
    "2026-02-01",
];
pub const AUTHORIZATION_API_VERSIONS: &[&str] = &["2015-07-01", "2018-01-01-preview", "2022-04-01"];

/// A vault's place in ARM as the request names it.
pub struct VaultPath<'a> {
    pub subscription: &'a str,
    pub resource_group: &'a str,
    pub vault: &'a str,
}

impl VaultPath<'_> {
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.KeyVault/vaults/{}",
            self.subscription, self.resource_group, self.vault
        )
    }

    /// The vault, after the checks ARM makes: the subscription exists, the caller may perform
    /// `action` at `scope`, the resource group and then the vault exist.
    pub fn resolve<'s>(
        &self,
        state: &'s VaultState,
        call: &ArmCall,
        action: &str,
        scope: &str,
    ) -> Result<&'s Vault, ArmError> {
        subscription_exists(state, self.subscription)?;
        if !state.allows_action(&call.caller.oid, scope, action) {
            return Err(ArmError::authorization_failed(&call.caller, action, scope));
        }
        resource_group_exists(state, self.subscription, self.resource_group)?;
        state
            .vault(self.vault)
            .filter(|v| {
                v.subscription_id.eq_ignore_ascii_case(self.subscription)
                    && v.resource_group.eq_ignore_ascii_case(self.resource_group)
            })
            .ok_or_else(|| {
                ArmError::not_found(
                    "ResourceNotFound",
                    format!(
                        "The Resource 'Microsoft.KeyVault/vaults/{}' under resource group '{}' \
                         was not found. For more details please go to \
                         https://aka.ms/ARMResourceNotFoundFix",
                        self.vault, self.resource_group
                    ),
                )
            })
    }
}

fn subscription_exists(state: &VaultState, id: &str) -> Result<(), ArmError> {
    state.subscription(id).map(|_| ()).ok_or_else(|| {
        ArmError::not_found(
            "SubscriptionNotFound",
            format!("The subscription '{id}' could not be found."),
        )
    })
}

fn resource_group_exists(state: &VaultState, sub: &str, rg: &str) -> Result<(), ArmError> {
    let found = state
        .subscription(sub)
        .is_some_and(|s| s.resource_groups.iter().any(|g| g.eq_ignore_ascii_case(rg)));
    if found {
        Ok(())
    } else {
        Err(ArmError::not_found(
            "ResourceGroupNotFound",
            format!("Resource group '{rg}' could not be found."),
        ))
    }
}

/// 400 unless `call.api_version` is one of `supported`.
pub fn check_api_version(
    call: &ArmCall,
    supported: &[&str],
    rp_type: Option<&str>,
) -> Result<(), ArmError> {
    if supported
        .iter()
        .any(|v| v.eq_ignore_ascii_case(&call.api_version))
    {
        return Ok(());
    }
    let list = supported
        .iter()
        .rev()
        .cloned()
        .collect::<Vec<_>>()
        .join(",");
    Err(match rp_type {
        None => ArmError::bad_request(
            "InvalidApiVersionParameter",
            format!(
                "The api-version '{}' is invalid. The supported versions are '{list}'.",
                call.api_version
            ),
        ),
        Some(rp_type) => ArmError::bad_request(
            "NoRegisteredProviderFound",
            format!(
                "No registered resource provider found for location '{}' and API version '{}' \
                 for type '{rp_type}'. The supported api-versions are '{list}'. The supported \
                 locations are '{}'.",
                crate::arm::vaults::seed::LOCATION,
                call.api_version,
                crate::arm::vaults::seed::LOCATION
            ),
        ),
    })
}

fn eq(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn get_only(
    call: &ArmCall,
    f: impl FnOnce() -> Result<Response, ArmError>,
) -> Result<Response, ArmError> {
    if call.method == Method::GET {
        f()
    } else {
        Err(method_not_allowed(call))
    }
}

pub fn method_not_allowed(call: &ArmCall) -> ArmError {
    ArmError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        format!("The sandbox does not serve {} here.", call.method),
    )
}

/// Picks the operation for a path.
pub fn route(state: &AppState, call: &ArmCall) -> Result<Response, ArmError> {
    let s: Vec<&str> = call.segments.iter().map(String::as_str).collect();
    let n = s.len();
    // `{scope}/providers/Microsoft.Authorization/roleAssignments/{name}` (`rbac`).
    if n >= 6
        && eq(s[n - 4], "providers")
        && eq(s[n - 3], "Microsoft.Authorization")
        && eq(s[n - 2], "roleAssignments")
    {
        return match call.method {
            Method::PUT => {
                crate::arm::rbac::put_role_assignment(state, call, &s[..n - 4], s[n - 1])
            }
            _ => Err(method_not_allowed(call)),
        };
    }
    if n >= 3
        && eq(s[n - 3], "providers")
        && eq(s[n - 2], "Microsoft.Authorization")
        && eq(s[n - 1], "permissions")
    {
        let scope = format!("/{}", s[..n - 3].join("/"));
        return get_only(call, || permissions(state, call, &scope));
    }
    let kv = |p: &str, ns: &str, t: &str| {
        eq(p, "providers") && eq(ns, "Microsoft.KeyVault") && eq(t, "vaults")
    };
    match s.as_slice() {
        [subs] if eq(subs, "subscriptions") => get_only(call, || list_subscriptions(state, call)),
        [subs, id] if eq(subs, "subscriptions") => {
            get_only(call, || get_subscription(state, call, id))
        }
        [subs, id, p, ns, t] if eq(subs, "subscriptions") && kv(p, ns, t) => {
            get_only(call, || list_vaults(state, call, id, None))
        }
        [subs, id, rgs, rg, p, ns, t]
            if eq(subs, "subscriptions") && eq(rgs, "resourceGroups") && kv(p, ns, t) =>
        {
            get_only(call, || list_vaults(state, call, id, Some(rg)))
        }
        [subs, id, rgs, rg, p, ns, t, vault, rest @ ..]
            if eq(subs, "subscriptions") && eq(rgs, "resourceGroups") && kv(p, ns, t) =>
        {
            let path = VaultPath {
                subscription: id,
                resource_group: rg,
                vault,
            };
            match rest {
                [] => get_only(call, || get_vault(state, call, &path)),
                [sec] if eq(sec, "secrets") => get_only(call, || secrets::list(state, call, &path)),
                [sec, name] if eq(sec, "secrets") => match call.method {
                    Method::GET => secrets::get(state, call, &path, name),
                    Method::PUT => secrets::put(state, call, &path, name),
                    _ => Err(method_not_allowed(call)),
                },
                _ => Err(unknown_path(call)),
            }
        }
        _ => Err(unknown_path(call)),
    }
}

fn unknown_path(call: &ArmCall) -> ArmError {
    ArmError::not_found(
        "NotFound",
        format!("The sandbox's ARM does not serve '{}'.", call.raw_path),
    )
}

fn subscription_json(s: &crate::arm::vaults::Subscription) -> Value {
    json!({
        "id": s.scope(),
        "authorizationSource": "RoleBased",
        "managedByTenants": [],
        "subscriptionId": s.id,
        "tenantId": TENANT_ID,
        "displayName": s.display_name,
        "state": "Enabled",
        "subscriptionPolicies": {
            "locationPlacementId": "Public_2014-09-01",
            "quotaId": "PayAsYouGo_2014-09-01",
            "spendingLimit": "Off"
        }
    })
}

/// `GET /subscriptions`: the subscriptions where the caller holds any role.
fn list_subscriptions(state: &AppState, call: &ArmCall) -> Result<Response, ArmError> {
    check_api_version(call, SUBSCRIPTION_API_VERSIONS, None)?;
    let vaults = lock(&state.vaults);
    let value: Vec<Value> = vaults
        .subscriptions
        .iter()
        .filter(|s| vaults.has_any_role_within(&call.caller.oid, &s.scope()))
        .map(subscription_json)
        .collect();
    let count = json!({"type": "Total", "value": value.len()});
    Ok(Json(json!({"count": count, "value": value})).into_response())
}

fn get_subscription(state: &AppState, call: &ArmCall, id: &str) -> Result<Response, ArmError> {
    check_api_version(call, SUBSCRIPTION_API_VERSIONS, None)?;
    let vaults = lock(&state.vaults);
    let sub = vaults
        .subscription(id)
        .filter(|s| vaults.has_any_role_within(&call.caller.oid, &s.scope()));
    match sub {
        Some(s) => Ok(Json(subscription_json(s)).into_response()),
        None => Err(ArmError::not_found(
            "SubscriptionNotFound",
            format!("The subscription '{id}' could not be found."),
        )),
    }
}

/// ARM's `systemData` time format: seven fractional digits, `Z`.
fn arm_time(t: chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{}.{:07}Z",
        t.format("%Y-%m-%dT%H:%M:%S"),
        t.timestamp_subsec_nanos() / 100
    )
}

/// A Vault as `Vaults_ListBySubscription` returns it.
pub fn vault_json(v: &Vault, base_url: &str) -> Value {
    json!({
        "id": v.id(),
        "name": v.name,
        "type": "Microsoft.KeyVault/vaults",
        "location": v.location,
        "tags": v.tags,
        "systemData": {
            "createdBy": v.created_by,
            "createdByType": "User",
            "createdAt": arm_time(v.created),
            "lastModifiedBy": v.created_by,
            "lastModifiedByType": "User",
            "lastModifiedAt": arm_time(v.created),
        },
        "properties": {
            "sku": {"family": "A", "name": v.sku},
            "tenantId": TENANT_ID,
            "networkAcls": {
                "bypass": v.network_acls.bypass,
                "defaultAction": v.network_acls.default_action,
                "ipRules": v.network_acls.ip_rules.iter().map(|r| json!({"value": r})).collect::<Vec<_>>(),
                "virtualNetworkRules": [],
            },
            "accessPolicies": [],
            "enabledForDeployment": false,
            "enabledForDiskEncryption": false,
            "enabledForTemplateDeployment": false,
            "enableSoftDelete": true,
            "softDeleteRetentionInDays": v.soft_delete_retention_days,
            "enableRbacAuthorization": true,
            "vaultUri": v.vault_uri(base_url),
            "provisioningState": "Succeeded",
            "publicNetworkAccess": "Enabled",
        }
    })
}

/// `GET …/providers/Microsoft.KeyVault/vaults`: the vaults the caller may read, by name.
fn list_vaults(
    state: &AppState,
    call: &ArmCall,
    sub: &str,
    rg: Option<&str>,
) -> Result<Response, ArmError> {
    check_api_version(call, KEY_VAULT_API_VERSIONS, Some("vaults"))?;
    let (size, offset) = call.page(25)?;
    let vaults = lock(&state.vaults);
    subscription_exists(&vaults, sub)?;
    let scope = match rg {
        None => format!("/subscriptions/{sub}"),
        Some(rg) => format!("/subscriptions/{sub}/resourceGroups/{rg}"),
    };
    if !vaults.has_any_role_within(&call.caller.oid, &scope) {
        return Err(ArmError::authorization_failed(
            &call.caller,
            actions::VAULTS_READ,
            &scope,
        ));
    }
    if let Some(rg) = rg {
        resource_group_exists(&vaults, sub, rg)?;
    }
    let mut visible: Vec<&Vault> = vaults
        .vaults
        .iter()
        .filter(|v| v.subscription_id.eq_ignore_ascii_case(sub))
        .filter(|v| rg.is_none_or(|rg| v.resource_group.eq_ignore_ascii_case(rg)))
        .filter(|v| vaults.allows_action(&call.caller.oid, &v.id(), actions::VAULTS_READ))
        .collect();
    visible.sort_by_key(|v| v.name.to_ascii_lowercase());
    let end = visible.len().min(offset.saturating_add(size));
    let value: Vec<Value> = visible
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|v| vault_json(v, &call.base_url))
        .collect();
    let mut body = json!({ "value": value });
    if let Some(next) = call.next_link(end, visible.len(), size) {
        body["nextLink"] = json!(next);
    }
    Ok(Json(body).into_response())
}

fn get_vault(state: &AppState, call: &ArmCall, path: &VaultPath<'_>) -> Result<Response, ArmError> {
    check_api_version(call, KEY_VAULT_API_VERSIONS, Some("vaults"))?;
    let vaults = lock(&state.vaults);
    let vault = path.resolve(&vaults, call, actions::VAULTS_READ, &path.id())?;
    Ok(Json(vault_json(vault, &call.base_url)).into_response())
}

/// `GET {scope}/providers/Microsoft.Authorization/permissions`: the caller's permissions at
/// `scope`, one entry per role assignment that applies (directly or inherited).
fn permissions(state: &AppState, call: &ArmCall, scope: &str) -> Result<Response, ArmError> {
    check_api_version(call, AUTHORIZATION_API_VERSIONS, None)?;
    let vaults = lock(&state.vaults);
    if let Some(sub) = call
        .segments
        .first()
        .filter(|s| eq(s, "subscriptions"))
        .and(call.segments.get(1))
    {
        subscription_exists(&vaults, sub)?;
    }
    let value: Vec<Value> = vaults
        .roles_at(&call.caller.oid, scope)
        .map(|a| a.role.permission_json())
        .collect();
    Ok(Json(json!({ "value": value })).into_response())
}
