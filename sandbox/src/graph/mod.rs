//! Microsoft Graph v1.0, mounted at `/graph` (so `/graph/v1.0/me`).
//!
//! Every response carries `request-id` and `client-request-id`; errors are
//! `{error:{code,message,innerError:{date,request-id,client-request-id}}}` (concepts/errors.md).

// Helpers return the finished error `Response` as their `Err`, so handlers can `?`/`return` it.
#![allow(clippy::result_large_err)]

use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use chrono::Utc;
use serde_json::{json, Value};

use crate::identity::tokens::{self, Caller, GRAPH_AUDIENCE};
use crate::AppState;

mod apps;
pub mod audit;
pub mod batch;
mod credentials;
pub mod directory;
pub mod federated;
pub mod key_credentials;
mod me;
pub mod owners;
mod policies;
pub mod query;
pub mod roles;
pub mod service_principals;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/v1.0/me", get(me::me))
        .route(
            "/v1.0/me/transitiveMemberOf/microsoft.graph.group",
            get(me::transitive_groups),
        )
        .route(
            "/v1.0/roleManagement/directory/roleAssignments",
            get(roles::role_assignments),
        )
        .route(
            "/v1.0/roleManagement/directory/roleDefinitions",
            get(roles::role_definitions),
        )
        .route(
            "/v1.0/me/memberOf/microsoft.graph.directoryRole",
            get(me::directory_roles),
        )
        .route(
            "/v1.0/me/ownedObjects/microsoft.graph.application",
            get(apps::owned_applications),
        )
        .route("/v1.0/auditLogs/directoryAudits", get(audit::list))
        .route("/v1.0/applications", get(apps::list))
        .route("/v1.0/$batch", post(batch::batch))
        .route("/v1.0/servicePrincipals", get(service_principals::list))
        .route(
            "/v1.0/applications/{id}",
            get(apps::get_one).patch(key_credentials::patch_application),
        )
        .route("/v1.0/applications/{id}/owners", get(apps::owners))
        .route(
            "/v1.0/applications/{id}/appManagementPolicies",
            get(policies::of_application),
        )
        .route(
            "/v1.0/policies/defaultAppManagementPolicy",
            get(policies::default_policy),
        )
        .route(
            "/v1.0/policies/appManagementPolicies/{id}",
            get(policies::app_policy),
        )
        .route(
            "/v1.0/applications/{id}/addPassword",
            post(credentials::add_password),
        )
        .route(
            "/v1.0/applications/{id}/removePassword",
            post(credentials::remove_password),
        )
        .route(
            "/v1.0/applications/{id}/federatedIdentityCredentials",
            get(federated::list).post(federated::create),
        )
        .route(
            "/v1.0/applications/{id}/federatedIdentityCredentials/{fic}",
            axum::routing::delete(federated::delete),
        )
        // The alternate key form `applications(appId='…')` is one path segment.
        .route(
            "/v1.0/{key}",
            get(apps::get_one_by_key).patch(key_credentials::patch_application_by_key),
        )
        .route("/v1.0/{key}/owners", get(apps::owners_by_key))
        .route(
            "/v1.0/{key}/addPassword",
            post(credentials::add_password_by_key),
        )
        .route(
            "/v1.0/{key}/removePassword",
            post(credentials::remove_password_by_key),
        )
        .fallback(unknown_segment)
}

/// The identifiers of one Graph request, echoed in headers and in error bodies.
#[derive(Debug, Clone)]
pub struct RequestIds {
    pub request_id: String,
    pub client_request_id: String,
}

/// Gives every Graph response `request-id` and `client-request-id` (the caller's, if it sent one).
pub async fn request_ids(mut req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let client_request_id = req
        .headers()
        .get("client-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(|| request_id.clone());
    let ids = RequestIds {
        request_id,
        client_request_id,
    };
    req.extensions_mut().insert(ids.clone());
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    for (name, value) in [
        ("request-id", &ids.request_id),
        ("client-request-id", &ids.client_request_id),
    ] {
        if let Ok(v) = HeaderValue::from_str(value) {
            headers.insert(name, v);
        }
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"application/json"));
    if is_json {
        headers.insert(
            header::CONTENT_TYPE,
            HeaderValue::from_static("application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8"),
        );
        headers.insert("odata-version", HeaderValue::from_static("4.0"));
    }
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    response
}

/// A Graph error response.
pub fn error(ids: &RequestIds, status: StatusCode, code: &str, message: &str) -> Response {
    error_with_details(ids, status, code, message, None)
}

pub fn error_with_details(
    ids: &RequestIds,
    status: StatusCode,
    code: &str,
    message: &str,
    details: Option<Value>,
) -> Response {
    let mut body = json!({"error": {
        "code": code,
        "message": message,
        "innerError": {
            "date": Utc::now().format("%Y-%m-%dT%H:%M:%S").to_string(),
            "request-id": ids.request_id,
            "client-request-id": ids.client_request_id,
        }
    }});
    if let Some(details) = details {
        body["error"]["details"] = details;
    }
    (status, Json(body)).into_response()
}

pub fn bad_request(ids: &RequestIds, code: &str, message: &str) -> Response {
    error(ids, StatusCode::BAD_REQUEST, code, message)
}

pub fn denied(ids: &RequestIds) -> Response {
    error(
        ids,
        StatusCode::FORBIDDEN,
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    )
}

/// What the caller's delegated scopes allow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// `/me`: User.Read or anything broader.
    Profile,
    /// Reading applications.
    ReadApps,
    /// addPassword / removePassword.
    WriteApps,
    /// Reading app management policies (`graph::policies`).
    ReadPolicies,
    /// Listing role assignments (`graph::roles`).
    ReadRoleAssignments,
    /// Listing role definitions (`graph::roles`).
    ReadRoleDefinitions,
}

pub(crate) fn scope_allows(scp: &str, need: Need) -> bool {
    let accepted: &[&str] = match need {
        Need::Profile => &[
            "User.Read",
            "User.ReadBasic.All",
            "User.Read.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ],
        Need::ReadApps => &[
            "Application.Read.All",
            "Application.ReadWrite.All",
            "Directory.Read.All",
            "Directory.ReadWrite.All",
        ],
        Need::WriteApps => &["Application.ReadWrite.All", "Directory.ReadWrite.All"],
        Need::ReadPolicies => &policies::POLICY_READ_PERMISSIONS,
        Need::ReadRoleAssignments => &roles::ROLE_ASSIGNMENT_READ_PERMISSIONS,
        Need::ReadRoleDefinitions => &roles::ROLE_DEFINITION_READ_PERMISSIONS,
    };
    scp.split_whitespace()
        .any(|s| accepted.iter().any(|a| a.eq_ignore_ascii_case(s)))
}

/// Authenticates the bearer token for Graph and checks its delegated scopes.
pub fn authorize(
    state: &AppState,
    headers: &HeaderMap,
    ids: &RequestIds,
    need: Need,
) -> Result<Caller, Response> {
    let caller = tokens::authenticate(state, headers, GRAPH_AUDIENCE).map_err(|e| {
        let mut response = error(ids, StatusCode::UNAUTHORIZED, "InvalidAuthenticationToken", &e.to_string());
        let challenge = format!(
            "Bearer realm=\"\", authorization_uri=\"{}/{}/oauth2/v2.0/authorize\", client_id=\"00000003-0000-0000-c000-000000000000\"",
            state.options.base_url,
            crate::TENANT_ID
        );
        if let Ok(v) = HeaderValue::from_str(&challenge) {
            response.headers_mut().insert(header::WWW_AUTHENTICATE, v);
        }
        response
    })?;
    if !scope_allows(&caller.scp, need) {
        return Err(denied(ids));
    }
    Ok(caller)
}

/// `{base}/graph/v1.0`, for `@odata.context` and `@odata.nextLink`.
pub fn service_root(state: &AppState) -> String {
    format!("{}/graph/v1.0", state.options.base_url)
}

async fn unknown_segment(
    State(_state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    uri: axum::http::Uri,
) -> Response {
    let segment = uri
        .path()
        .trim_start_matches("/v1.0")
        .trim_start_matches('/');
    let segment = segment.split('/').next().unwrap_or_default();
    bad_request(
        &ids,
        "BadRequest",
        &format!("Resource not found for the segment '{segment}'."),
    )
}
