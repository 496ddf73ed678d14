//! `/deletedsecrets…` of the data plane: list, get, recover, purge.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::Value;

use super::model;
use super::{KvCall, KvError};
use crate::arm::rbac::data_actions;
use crate::arm::vaults::valid_secret_name;
use crate::lock;
use crate::AppState;

fn checked_name(name: &str) -> Result<&str, KvError> {
    if valid_secret_name(name) {
        Ok(name)
    } else {
        Err(KvError::invalid_name(name))
    }
}

/// `GET /deletedsecrets` (requires what listing secrets requires).
pub async fn list(State(state): State<AppState>, call: KvCall) -> Result<Json<Value>, KvError> {
    let (size, offset) = call.page()?;
    let vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::READ_METADATA, None)?;
    let vault = call.vault(&vaults)?;
    let all: Vec<_> = vault.deleted.values().collect();
    let end = all.len().min(offset.saturating_add(size));
    let items = all
        .get(offset..end)
        .unwrap_or_default()
        .iter()
        .map(|d| model::deleted_item(vault, &call.base_url, d))
        .collect();
    let next = call.next_link("deletedsecrets", end, all.len(), size);
    Ok(Json(model::page(items, next)))
}

/// `GET /deletedsecrets/{name}`.
pub async fn get(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> Result<Json<Value>, KvError> {
    let name = checked_name(&name)?;
    let vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::READ_METADATA, Some(name))?;
    let vault = call.vault(&vaults)?;
    let deleted = vault
        .deleted_secret(name)
        .ok_or_else(KvError::deleted_not_found)?;
    Ok(Json(model::deleted_bundle(vault, &call.base_url, deleted)))
}

/// `POST /deletedsecrets/{name}/recover`: the secret comes back with all its versions.
pub async fn recover(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> Result<Json<Value>, KvError> {
    let name = checked_name(&name)?;
    let mut vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::RECOVER, Some(name))?;
    call.vault_mut(&mut vaults)?
        .recover_secret(name)
        .map_err(|e| KvError::from_store(e, name, None))?;
    let vault = call.vault(&vaults)?;
    let secret = vault.secret(name).expect("just recovered");
    Ok(Json(model::bundle(
        vault,
        &call.base_url,
        secret,
        secret.latest(),
        false,
    )))
}

/// `DELETE /deletedsecrets/{name}`: purge, 204 with no body.
pub async fn purge(
    State(state): State<AppState>,
    Path((_, name)): Path<(String, String)>,
    call: KvCall,
) -> Result<Response, KvError> {
    let name = checked_name(&name)?;
    let mut vaults = lock(&state.vaults);
    call.authorize(&vaults, data_actions::PURGE, Some(name))?;
    call.vault_mut(&mut vaults)?
        .purge_secret(name)
        .map_err(|e| KvError::from_store(e, name, None))?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
