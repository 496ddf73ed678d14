//! Entra ID v2-shaped identity endpoints under `/{tenant}/`: openid-configuration, JWKS,
//! authorize (a persona picker), token (authorization code + PKCE, refresh token) and logout.

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use chrono::{DateTime, Utc};
use serde_json::json;

use crate::identity::personas::TENANT_ID;
use crate::AppState;

mod authorize;
pub mod consent;
pub mod keys;
mod pages;
pub mod personas;
pub mod scopes;
mod token_endpoint;
pub mod tokens;

/// How long an authorization code may be redeemed (Entra: about 10 minutes).
pub const CODE_LIFETIME_SECS: i64 = 600;
/// SPA refresh tokens live 24 hours and cannot be extended.
pub const SPA_REFRESH_TOKEN_LIFETIME_SECS: i64 = 24 * 3600;
/// The cookie that stands for a signed-in browser session (used by `prompt=none`).
pub const SESSION_COOKIE: &str = "sandbox_session";

/// An issued authorization code.
#[derive(Debug, Clone)]
pub struct AuthCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub code_challenge: String,
    pub oid: String,
    pub scope: String,
    pub nonce: Option<String>,
    pub expires: DateTime<Utc>,
    pub redeemed: bool,
}

/// An issued refresh token.
#[derive(Debug, Clone)]
pub struct RefreshGrant {
    pub oid: String,
    pub client_id: String,
    pub expires: DateTime<Utc>,
}

/// Authorization codes and refresh tokens in flight.
#[derive(Default)]
pub struct IdentityState {
    pub codes: HashMap<String, AuthCode>,
    pub refresh_tokens: HashMap<String, RefreshGrant>,
}

impl IdentityState {
    /// Forgets what can no longer be used (redeemed codes are kept until expiry, to answer
    /// "already redeemed").
    pub fn purge(&mut self, now: DateTime<Utc>) {
        self.codes.retain(|_, c| c.expires > now);
        self.refresh_tokens.retain(|_, r| r.expires > now);
    }
}

pub fn router(state: &AppState) -> Router<AppState> {
    let token = Router::new()
        .route(
            "/{tenant}/oauth2/v2.0/token",
            axum::routing::post(token_endpoint::token),
        )
        .layer(crate::cors::token_endpoint(&state.options.app_origins));
    Router::new()
        .route(
            "/{tenant}/v2.0/.well-known/openid-configuration",
            get(openid_configuration),
        )
        .route("/{tenant}/discovery/v2.0/keys", get(jwks))
        .route(
            "/{tenant}/oauth2/v2.0/authorize",
            get(authorize::get).post(authorize::post),
        )
        .route("/{tenant}/oauth2/v2.0/logout", get(authorize::logout))
        .merge(token)
}

/// Whether a path's tenant segment names the sandbox tenant (by ID or a multi-tenant alias).
pub fn known_tenant(tenant: &str) -> bool {
    tenant.eq_ignore_ascii_case(TENANT_ID)
        || ["organizations", "common", crate::identity::personas::DOMAIN]
            .iter()
            .any(|t| t.eq_ignore_ascii_case(tenant))
}

pub fn tenant_not_found(tenant: &str) -> String {
    format!(
        "AADSTS90002: Tenant '{tenant}' not found. Check to make sure you have the correct tenant ID and are \
         signing into the correct cloud."
    )
}

/// Entra's JSON error body for the token endpoint (and discovery on an unknown tenant).
pub fn oauth_error(status: StatusCode, error: &str, description: &str) -> Response {
    oauth_error_with(status, error, description, None)
}

/// [`oauth_error`] with a `suberror` field (Entra adds one, e.g. `consent_required`).
pub fn oauth_error_with(
    status: StatusCode,
    error: &str,
    description: &str,
    suberror: Option<&str>,
) -> Response {
    let trace_id = uuid::Uuid::new_v4().to_string();
    let correlation_id = uuid::Uuid::new_v4().to_string();
    let now = Utc::now();
    let code = description
        .strip_prefix("AADSTS")
        .and_then(|rest| rest.split(':').next())
        .and_then(|n| n.parse::<u64>().ok());
    let mut body = json!({
        "error": error,
        "error_description": format!(
            "{description}\r\nTrace ID: {trace_id}\r\nCorrelation ID: {correlation_id}\r\nTimestamp: {}",
            now.format("%Y-%m-%d %H:%M:%SZ")
        ),
        "error_codes": code.map(|c| vec![c]).unwrap_or_default(),
        "timestamp": now.format("%Y-%m-%d %H:%M:%SZ").to_string(),
        "trace_id": trace_id,
        "correlation_id": correlation_id,
    });
    if let Some(suberror) = suberror {
        body["suberror"] = json!(suberror);
    }
    (status, [(header::CACHE_CONTROL, "no-store")], Json(body)).into_response()
}

async fn openid_configuration(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
) -> Response {
    if !known_tenant(&tenant) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_tenant",
            &tenant_not_found(&tenant),
        );
    }
    let base = format!("{}/{}", state.options.base_url, TENANT_ID);
    Json(json!({
        "token_endpoint": format!("{base}/oauth2/v2.0/token"),
        "token_endpoint_auth_methods_supported": ["client_secret_post", "private_key_jwt", "client_secret_basic"],
        "jwks_uri": format!("{base}/discovery/v2.0/keys"),
        "response_modes_supported": ["query", "fragment", "form_post"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "response_types_supported": ["code", "id_token", "code id_token", "id_token token"],
        "scopes_supported": ["openid", "profile", "email", "offline_access"],
        "issuer": tokens::issuer(&state),
        "request_uri_parameter_supported": false,
        "authorization_endpoint": format!("{base}/oauth2/v2.0/authorize"),
        "end_session_endpoint": format!("{base}/oauth2/v2.0/logout"),
        "http_logout_supported": true,
        "frontchannel_logout_supported": true,
        "claims_supported": [
            "sub", "iss", "aud", "exp", "iat", "auth_time", "acr", "nonce", "preferred_username", "name",
            "tid", "ver", "at_hash", "c_hash", "email", "oid"
        ],
        "code_challenge_methods_supported": ["S256"],
        "tenant_region_scope": "EU",
        "cloud_instance_name": "sandbox.localhost",
        "cloud_graph_host_name": "graph.windows.net",
        "msgraph_host": "graph.microsoft.com",
    }))
    .into_response()
}

async fn jwks(State(state): State<AppState>, Path(tenant): Path<String>) -> Response {
    if !known_tenant(&tenant) {
        return oauth_error(
            StatusCode::BAD_REQUEST,
            "invalid_tenant",
            &tenant_not_found(&tenant),
        );
    }
    Json(state.keys.jwks(&tokens::issuer(&state))).into_response()
}

/// A random opaque token (codes, refresh tokens).
pub fn random_token(bytes: usize) -> String {
    use base64::Engine;
    use rand::RngCore;
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// PKCE S256: `BASE64URL(SHA256(verifier))`.
pub fn s256(verifier: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// `client_info`: base64url `{"uid":oid,"utid":tid}`.
pub fn client_info(oid: &str) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(json!({"uid": oid, "utid": TENANT_ID}).to_string())
}
