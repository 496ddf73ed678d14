//! `/secrets…` of the data plane: set, get, list, versions, update, delete (soft).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use chrono::Utc;
use serde_json::Value;

use super::model;
use super::{KvCall, KvError};
use crate::arm::rbac::data_actions;
use crate::arm::vaults::params::{self, ParamError, SecretParams};
use crate::arm::vaults::{check_limits, valid_secret_name, NewVersion, SecretText, StoreError};
use crate::lock;
use crate::AppState;

type KvResult = Result<Json<Value>, KvError>;

fn checked_name(name: &str) -> Result<&str, KvError> {
    if valid_secret_name(name) {
        Ok(name)
    } else {
        Err(KvError::invalid_name(name))
    }
}

fn param_error(e: ParamError) -> KvError {
    KvError::bad_parameter(format!("The request body is invalid: {e}."))
}

/// Reads a SecretSetParameters (`value` required) or SecretUpdateParameters body.
fn read_body(body: &[u8], value_required: bool) -> Result<SecretParams, KvError> {
    let object = params::parse_object(body, !value_required).map_err(param_error)?;
    let p =
        params::read_secret_params(&object, "", object.get("tags"), "tags").map_err(param_error)?;
    if value_required && p.value.is_none() {
        return Err(param_error(ParamError::Missing("value".into())));
    }
    check_limits(
        p.value.as_deref(),
        p.content_type.as_deref(),
        p.tags.as_ref(),
    )
    .map_err(KvError::bad_parameter)?;
    Ok(p)
}

/// `PUT /secrets/{name}`: a new version (the secret is created if new).
pub async fn set(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
    body: Bytes,
) -> KvResult {
    let name = checked_name(&name)?;
    let mut vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::SET, Some(name))?;
    let p = read_body(&body, true)?;
    let attributes = p.attributes.unwrap_or_default();
    let new = NewVersion {
        value: SecretText::new(p.value.unwrap_or_default()),
        content_type: p.content_type,
        tags: p.tags.unwrap_or_default(),
        enabled: attributes.enabled,
        nbf: attributes.nbf,
        exp: attributes.exp,
    };
    let vault = call.vault_mut(&mut vaults)?;
    let version = vault
        .set_secret(name, new, Utc::now().timestamp())
        .map_err(|e| KvError::from_store(e, name, None))?
        .1
        .version
        .clone();
    let vault = call.vault(&vaults)?;
    let secret = vault.secret(name).expect("just set");
    let v = secret.version(&version).expect("just set");
    Ok(Json(model::bundle(vault, &call.base_url, secret, v, true)))
}

fn get_one(state: &AppState, call: &KvCall, name: &str, version: Option<&str>) -> KvResult {
    let name = checked_name(name)?;
    let vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::GET, Some(name))?;
    let vault = call.vault(&vaults)?;
    let secret = vault
        .secret(name)
        .ok_or_else(|| KvError::from_store(StoreError::SecretNotFound, name, None))?;
    let v = match version {
        None => secret.latest(),
        Some(version) => secret
            .version(version)
            .ok_or_else(|| KvError::from_store(StoreError::VersionNotFound, name, Some(version)))?,
    };
    if !v.enabled {
        return Err(KvError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            "Operation get is not allowed on a disabled secret.",
        )
        .with_inner("SecretDisabled"));
    }
    Ok(Json(model::bundle(vault, &call.base_url, secret, v, true)))
}

/// `GET /secrets/{name}` (and `/secrets/{name}/`): the latest version, with its value.
pub async fn get_latest(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> KvResult {
    get_one(&state, &call, &name, None)
}

/// `GET /secrets/{name}/{version}`.
pub async fn get_version(
    State(state): State<AppState>,
    Path((_, name, version)): Path<(String, String, String)>,
    call: KvCall,
) -> KvResult {
    get_one(&state, &call, &name, Some(&version))
}

/// `GET /secrets`: one item per live secret (latest version's metadata, no values).
pub async fn list(State(state): State<AppState>, call: KvCall) -> KvResult {
    let (size, offset) = call.page()?;
    let vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::READ_METADATA, None)?;
    let vault = call.vault(&vaults)?;
    let all: Vec<_> = vault.secrets.values().collect();
    let end = all.len().min(offset.saturating_add(size));
    let items = all
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|s| model::item(vault, &call.base_url, s))
        .collect();
    let next = call.next_link("secrets", end, all.len(), size);
    Ok(Json(model::page(items, next)))
}

/// `GET /secrets/{name}/versions`: every version's metadata, no values.
///
/// Strict where the service leaves room:
/// - The order of versions is not specified (the 7.5 spec's GetSecretVersions says nothing about
///   it, ../shared/specs/keyvault-7.5/secrets.json), so they are listed by version ID, which
///   is random: the newest is rarely first or last, and a client must compare
///   `attributes.created` over every page.
/// - A page may be empty and still carry a `nextLink` (Azure/azure-sdk-for-go issue #10711), so
///   the first page of a secret that has versions is always empty, with the `nextLink` to the
///   versions: a client that stops at an empty page sees none.
pub async fn versions(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> KvResult {
    let name = checked_name(&name)?;
    let (size, offset) = call.page()?;
    let vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::READ_METADATA, Some(name))?;
    let vault = call.vault(&vaults)?;
    // A name with no live secret lists no versions (the service answers an empty page too).
    let mut all: Vec<_> = vault
        .secret(name)
        .map(|s| s.versions.iter().map(move |v| (s, v)).collect())
        .unwrap_or_default();
    all.sort_by(|(_, a), (_, b)| a.version.cmp(&b.version));
    let path = format!("secrets/{name}/versions");
    if !call.continued() && !all.is_empty() {
        // The empty first page (azure-sdk-for-go #10711); its nextLink starts at the first item.
        let next = call.next_link(&path, 0, all.len(), size);
        return Ok(Json(model::page(Vec::new(), next)));
    }
    let end = all.len().min(offset.saturating_add(size));
    let items = all
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|(s, v)| model::version_item(vault, &call.base_url, s, v))
        .collect();
    let next = call.next_link(&path, end, all.len(), size);
    Ok(Json(model::page(items, next)))
}

fn update(
    state: &AppState,
    call: &KvCall,
    name: &str,
    version: Option<&str>,
    body: &[u8],
) -> KvResult {
    let name = checked_name(name)?;
    let mut vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::UPDATE, Some(name))?;
    let p = read_body(body, false)?;
    if p.value.is_some() {
        return Err(KvError::bad_parameter(
            "The value of a secret version cannot be updated; set a new version instead.",
        ));
    }
    let vault = call.vault_mut(&mut vaults)?;
    let secret = vault
        .secret_mut(name)
        .ok_or_else(|| KvError::from_store(StoreError::SecretNotFound, name, None))?;
    let v = match version {
        None => secret.versions.last_mut().expect("a secret has a version"),
        Some(version) => secret
            .version_mut(version)
            .ok_or_else(|| KvError::from_store(StoreError::VersionNotFound, name, Some(version)))?,
    };
    if let Some(a) = p.attributes {
        v.enabled = a.enabled.unwrap_or(v.enabled);
        v.nbf = a.nbf.or(v.nbf);
        v.exp = a.exp.or(v.exp);
    }
    if let Some(ct) = p.content_type {
        v.content_type = Some(ct);
    }
    if let Some(tags) = p.tags {
        v.tags = tags;
    }
    v.updated = Utc::now().timestamp();
    let version = v.version.clone();
    let vault = call.vault(&vaults)?;
    let secret = vault.secret(name).expect("just updated");
    let v = secret.version(&version).expect("just updated");
    Ok(Json(model::bundle(vault, &call.base_url, secret, v, false)))
}

/// `PATCH /secrets/{name}/{version}`: attributes, tags and contentType; never the value.
pub async fn update_version(
    State(state): State<AppState>,
    Path((_, name, version)): Path<(String, String, String)>,
    call: KvCall,
    body: Bytes,
) -> KvResult {
    update(&state, &call, &name, Some(&version), &body)
}

/// `PATCH /secrets/{name}/` (an empty version: the latest one).
pub async fn update_latest(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
    body: Bytes,
) -> KvResult {
    update(&state, &call, &name, None, &body)
}

/// `DELETE /secrets/{name}`: soft delete of every version.
pub async fn delete(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> KvResult {
    let name = checked_name(&name)?;
    let mut vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::DELETE, Some(name))?;
    let vault = call.vault_mut(&mut vaults)?;
    vault
        .delete_secret(name, Utc::now().timestamp())
        .map_err(|e| KvError::from_store(e, name, None))?;
    let vault = call.vault(&vaults)?;
    let deleted = vault.deleted_secret(name).expect("just deleted");
    Ok(Json(model::deleted_bundle(vault, &call.base_url, deleted)))
}
