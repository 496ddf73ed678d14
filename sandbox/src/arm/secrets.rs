//! `Microsoft.KeyVault/vaults/secrets` through ARM (Secrets_CreateOrUpdate, Secrets_Get,
//! Secrets_List in ../shared/specs/keyvault-arm-2025-05-01/secrets.json). Writes land in the same
//! store the data plane reads; responses never carry the value.
//!
//! Choices where the real behaviour is unverified (see the sandbox README): the vault firewall
//! does not apply to ARM, and a soft-deleted name answers 409 `Conflict` with the data plane's
//! message.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::Utc;
use serde_json::{json, Map, Value};

use super::resources::{check_api_version, VaultPath, KEY_VAULT_API_VERSIONS};
use super::{ArmCall, ArmError};
use crate::arm::rbac::actions;
use crate::arm::vaults::params::{self, ParamError};
use crate::arm::vaults::{
    check_limits, valid_secret_name, NewVersion, Secret, SecretText, SecretVersion, StoreError,
    Vault,
};
use crate::{lock, AppState};

/// A Secret resource: id, name, type, location, tags and properties, never `value`.
pub fn secret_json(vault: &Vault, base_url: &str, secret: &Secret, v: &SecretVersion) -> Value {
    let mut attributes = Map::new();
    attributes.insert("enabled".into(), json!(v.enabled));
    if let Some(nbf) = v.nbf {
        attributes.insert("nbf".into(), json!(nbf));
    }
    if let Some(exp) = v.exp {
        attributes.insert("exp".into(), json!(exp));
    }
    attributes.insert("created".into(), json!(v.created));
    attributes.insert("updated".into(), json!(v.updated));
    let secret_uri = format!("{}secrets/{}", vault.vault_uri(base_url), secret.name);
    let mut properties = Map::new();
    properties.insert("attributes".into(), Value::Object(attributes));
    if let Some(ct) = &v.content_type {
        properties.insert("contentType".into(), json!(ct));
    }
    properties.insert(
        "secretUriWithVersion".into(),
        json!(format!("{secret_uri}/{}", v.version)),
    );
    properties.insert("secretUri".into(), json!(secret_uri));
    json!({
        "id": format!("{}/secrets/{}", vault.id(), secret.name),
        "name": secret.name,
        "type": "Microsoft.KeyVault/vaults/secrets",
        "location": vault.location,
        "tags": v.tags,
        "properties": properties,
    })
}

fn invalid_content(e: ParamError) -> ArmError {
    match e {
        ParamError::Missing(path) => ArmError::bad_request(
            "BadRequest",
            format!("The request body is missing the required property '{path}'."),
        ),
        other => ArmError::bad_request(
            "InvalidRequestContent",
            format!("The request content was invalid and could not be deserialized: {other}."),
        ),
    }
}

fn check_name(name: &str) -> Result<(), ArmError> {
    if valid_secret_name(name) {
        Ok(())
    } else {
        Err(ArmError::bad_request(
            "BadRequest",
            format!(
                "The secret name '{name}' is invalid: it must be 1 to 127 characters of letters, \
                 digits and '-'."
            ),
        ))
    }
}

/// Reads SecretCreateOrUpdateParameters: top-level `tags`, `properties.value` (required),
/// `properties.contentType`, `properties.attributes`.
fn read_body(body: &[u8]) -> Result<NewVersion, ArmError> {
    let object = params::parse_object(body, false).map_err(invalid_content)?;
    let properties = match object.get("properties") {
        None | Some(Value::Null) => {
            return Err(invalid_content(ParamError::Missing("properties".into())))
        }
        Some(Value::Object(p)) => p,
        Some(_) => {
            return Err(invalid_content(ParamError::WrongType {
                path: "properties".into(),
                expected: "an object",
            }))
        }
    };
    let p = params::read_secret_params(properties, "properties", object.get("tags"), "tags")
        .map_err(invalid_content)?;
    let value = p
        .value
        .ok_or_else(|| invalid_content(ParamError::Missing("properties.value".into())))?;
    check_limits(Some(&value), p.content_type.as_deref(), p.tags.as_ref())
        .map_err(|m| ArmError::bad_request("BadRequest", m))?;
    let attributes = p.attributes.unwrap_or_default();
    Ok(NewVersion {
        value: SecretText::new(value),
        content_type: p.content_type,
        tags: p.tags.unwrap_or_default(),
        enabled: attributes.enabled,
        nbf: attributes.nbf,
        exp: attributes.exp,
    })
}

/// `PUT {vault}/secrets/{name}`: a new version; 201 if the secret is new, 200 if it existed.
/// Needs `Microsoft.KeyVault/vaults/secrets/write` (Owner, Contributor, Key Vault Contributor).
pub fn put(
    state: &AppState,
    call: &ArmCall,
    path: &VaultPath<'_>,
    name: &str,
) -> Result<Response, ArmError> {
    check_api_version(call, KEY_VAULT_API_VERSIONS, Some("vaults/secrets"))?;
    let scope = format!("{}/secrets/{name}", path.id());
    let mut vaults = lock(&state.vaults);
    let vault_name = path
        .resolve(&vaults, call, actions::SECRETS_WRITE, &scope)?
        .name
        .clone();
    check_name(name)?;
    let new = read_body(&call.body)?;
    let vault = vaults.vault_mut(&vault_name).expect("resolved above");
    let (created, version) = match vault.set_secret(name, new, Utc::now().timestamp()) {
        Ok((created, v)) => (created, v.version.clone()),
        Err(StoreError::DeletedButRecoverable(stored)) => {
            return Err(ArmError::new(
                StatusCode::CONFLICT,
                "Conflict",
                format!(
                    "Secret {stored} is currently in a deleted but recoverable state, and its \
                     name cannot be reused; in this state, the secret can only be recovered or \
                     purged."
                ),
            ))
        }
        Err(other) => {
            return Err(ArmError::new(
                StatusCode::INTERNAL_SERVER_ERROR,
                "InternalServerError",
                format!("Unexpected store failure: {other:?}."),
            ))
        }
    };
    let vault = vaults.vault(&vault_name).expect("resolved above");
    let secret = vault.secret(name).expect("just set");
    let body = secret_json(
        vault,
        &call.base_url,
        secret,
        secret.version(&version).expect("just set"),
    );
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(body)).into_response())
}

/// `GET {vault}/secrets/{name}`: the latest version's metadata.
pub fn get(
    state: &AppState,
    call: &ArmCall,
    path: &VaultPath<'_>,
    name: &str,
) -> Result<Response, ArmError> {
    check_api_version(call, KEY_VAULT_API_VERSIONS, Some("vaults/secrets"))?;
    let scope = format!("{}/secrets/{name}", path.id());
    let vaults = lock(&state.vaults);
    let vault = path.resolve(&vaults, call, actions::SECRETS_READ, &scope)?;
    let secret = vault.secret(name).ok_or_else(|| {
        ArmError::not_found(
            "ResourceNotFound",
            format!(
                "The Resource 'Microsoft.KeyVault/vaults/{}/secrets/{name}' under resource group \
                 '{}' was not found. For more details please go to \
                 https://aka.ms/ARMResourceNotFoundFix",
                vault.name, path.resource_group
            ),
        )
    })?;
    Ok(Json(secret_json(vault, &call.base_url, secret, secret.latest())).into_response())
}

/// `GET {vault}/secrets?$top=`: live secrets by name, latest versions' metadata, `nextLink`.
pub fn list(state: &AppState, call: &ArmCall, path: &VaultPath<'_>) -> Result<Response, ArmError> {
    check_api_version(call, KEY_VAULT_API_VERSIONS, Some("vaults/secrets"))?;
    let (size, offset) = call.page(25)?;
    let scope = format!("{}/secrets", path.id());
    let vaults = lock(&state.vaults);
    let vault = path.resolve(&vaults, call, actions::SECRETS_READ, &scope)?;
    let all: Vec<&Secret> = vault.secrets.values().collect();
    let end = all.len().min(offset.saturating_add(size));
    let value: Vec<Value> = all
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|s| secret_json(vault, &call.base_url, s, s.latest()))
        .collect();
    let mut body = json!({ "value": value });
    if let Some(next) = call.next_link(end, all.len(), size) {
        body["nextLink"] = json!(next);
    }
    Ok(Json(body).into_response())
}
