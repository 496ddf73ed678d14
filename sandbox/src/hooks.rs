//! Test hooks under `/_sandbox/`, answered only to loopback peers.
//!
//! [`renewals`]: many apps with a secret about to expire and its vault copy, in one call.

pub mod renewals;

use std::net::SocketAddr;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::StatusCode;
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Value};

use crate::faults::Fault;
use crate::graph::directory::graph_time;
use crate::{lock, AppState};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/reset", post(reset))
        .route("/state", get(state))
        .route("/consent", get(get_consent).put(put_consent))
        .route("/federated", post(crate::graph::federated::seed_hook))
        .route("/renewals", post(renewals::hook))
        .route(
            "/key-credentials",
            get(crate::graph::key_credentials::list_hook)
                .post(crate::graph::key_credentials::seed_hook),
        )
        .route(
            "/faults",
            get(list_faults).post(add_fault).delete(clear_faults),
        )
        .layer(middleware::from_fn(loopback_only))
}

/// Refuses every peer that is not on a loopback address (and requests with no known peer).
async fn loopback_only(req: Request, next: Next) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    match peer {
        Some(addr) if addr.ip().is_loopback() || addr.ip().to_canonical().is_loopback() => {
            next.run(req).await
        }
        _ => hook_error(
            StatusCode::FORBIDDEN,
            "The sandbox's test hooks answer loopback callers only.",
        ),
    }
}

fn hook_error(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": "SandboxHookRefused", "message": message}})),
    )
        .into_response()
}

async fn health() -> Json<Value> {
    Json(json!({"status": "ok"}))
}

async fn reset(State(state): State<AppState>) -> Json<Value> {
    state.reset();
    Json(json!({"status": "reset", "seed": state.options.seed.to_string()}))
}

/// Everything the sandbox holds, secret values included: for tests only.
async fn state(State(state): State<AppState>) -> Json<Value> {
    let (applications, policy, app_policies, audit) = {
        let graph = lock(&state.graph);
        let apps: Vec<Value> = graph
            .applications
            .iter()
            .map(|app| {
                let mut credentials = Vec::new();
                for p in &app.password_credentials {
                    let mut c = p.to_graph_json(true);
                    c["expired"] = json!(p.end <= chrono::Utc::now());
                    credentials.push(c);
                }
                json!({
                    "id": app.id,
                    "appId": app.app_id,
                    "displayName": app.display_name,
                    "createdDateTime": graph_time(app.created),
                    "signInAudience": app.sign_in_audience,
                    "owners": app.owners,
                    // What the overview names them by (graph::owners::owner_name).
                    "ownerNames": app.owners.iter().filter_map(|o| crate::graph::owners::owner_name(o)).collect::<Vec<_>>(),
                    "policyApplies": graph
                        .policy_in_force(app)
                        .is_some_and(|p| p.restrictions.iter().any(|r| r.applies_to(app))),
                    "passwordCredentials": credentials,
                    "keyCredentials": app.key_credentials.iter().map(|k| k.to_graph_json(false)).collect::<Vec<_>>(),
                    "federatedIdentityCredentials": app.federated.iter().map(|f| f.to_graph_json()).collect::<Vec<_>>(),
                })
            })
            .collect();
        let app_policies: Vec<Value> = graph
            .app_policies
            .iter()
            .map(|p| {
                let mut v = p.to_json();
                v["appliesTo"] = json!(p.applies_to);
                v
            })
            .collect();
        // The directory audit log, oldest first: what addPassword and removePassword really ran
        // (a browser may resend a request whose connection was cut; only this log sees both).
        let audit: Vec<Value> = graph
            .audit
            .iter()
            .map(|a| {
                json!({
                    "activityDateTime": graph_time(a.at),
                    "activityDisplayName": a.activity,
                    "initiatedBy": a.initiator_upn,
                    "targetId": a.app_id,
                    "modifiedProperties": a.modified.iter().map(|(name, old, new)| {
                        json!({"displayName": name, "oldValue": old, "newValue": new})
                    }).collect::<Vec<_>>(),
                })
            })
            .collect();
        (apps, graph.policy.to_json(), app_policies, audit)
    };
    let vaults = lock(&state.vaults).to_json();
    Json(json!({
        "tenantId": crate::TENANT_ID,
        "clientId": crate::CLIENT_ID,
        "seed": state.options.seed.to_string(),
        "baseUrl": state.options.base_url,
        "kvCors": state.options.kv_cors,
        "consent": state.consent(),
        "appManagementPolicy": policy,
        "appManagementPolicies": app_policies,
        "applications": applications,
        "directoryAudits": audit,
        "vaults": vaults,
        "faults": state.faults.list(),
    }))
}

/// What the tenant has consented to for secret-wizard (`identity::consent`).
async fn get_consent(State(state): State<AppState>) -> Json<crate::identity::consent::Consent> {
    Json(state.consent())
}

/// Changes the consent: each resource given replaces that resource's list.
async fn put_consent(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let change: crate::identity::consent::ConsentChange = match serde_json::from_slice(&body) {
        Ok(c) => c,
        Err(e) => return hook_error(StatusCode::BAD_REQUEST, &format!("invalid consent: {e}")),
    };
    match state.set_consent(change) {
        Ok(()) => Json(state.consent()).into_response(),
        Err(e) => hook_error(StatusCode::BAD_REQUEST, &format!("invalid consent: {e}")),
    }
}

async fn list_faults(State(state): State<AppState>) -> Json<Vec<Fault>> {
    Json(state.faults.list())
}

async fn add_fault(State(state): State<AppState>, body: axum::body::Bytes) -> Response {
    let fault: Fault = match serde_json::from_slice(&body) {
        Ok(f) => f,
        Err(e) => return hook_error(StatusCode::BAD_REQUEST, &format!("invalid fault: {e}")),
    };
    match state.faults.add(fault) {
        Ok(()) => (StatusCode::CREATED, Json(state.faults.list())).into_response(),
        Err(e) => hook_error(StatusCode::BAD_REQUEST, &format!("invalid fault: {e}")),
    }
}

async fn clear_faults(State(state): State<AppState>) -> StatusCode {
    state.faults.clear();
    StatusCode::NO_CONTENT
}
