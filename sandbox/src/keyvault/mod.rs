//! The Key Vault data plane, one per vault, mounted at `/kv/{vault}` (the stand-in for
//! `https://{vault}.vault.azure.net`). Operations and shapes follow the 7.5 secrets spec
//! (../shared/specs/keyvault-7.5/secrets.json); error bodies are
//! `{"error":{"code","message","innererror":{"code"}}}` with a lower-case `innererror`.
//!
//! Every call: bearer token for `https://vault.azure.net` (401 `Unauthorized` with a
//! `WWW-Authenticate` challenge otherwise) → `api-version` (400 `BadParameter`) → the vault's
//! firewall (403 `ForbiddenByFirewall`) → RBAC data actions (403 `ForbiddenByRbac`). CORS is
//! not answered here: lib.rs adds it only when the sandbox runs with `--kv-cors`.

mod deleted;
pub mod model;
mod secrets;

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::extract::{ConnectInfo, FromRequestParts, Path, Query, Request};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::json;

use crate::arm::vaults::{StoreError, Vault, VaultState};
use crate::identity::tokens::{self, Caller, TokenError, KEY_VAULT_AUDIENCE};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/secrets", get(secrets::list))
        .route("/secrets/", get(secrets::list))
        .route(
            "/secrets/{name}",
            get(secrets::get_latest)
                .put(secrets::set)
                .delete(secrets::delete),
        )
        .route(
            "/secrets/{name}/",
            get(secrets::get_latest).patch(secrets::update_latest),
        )
        .route("/secrets/{name}/versions", get(secrets::versions))
        .route(
            "/secrets/{name}/{version}",
            get(secrets::get_version).patch(secrets::update_version),
        )
        .route("/deletedsecrets", get(deleted::list))
        .route("/deletedsecrets/", get(deleted::list))
        .route(
            "/deletedsecrets/{name}",
            get(deleted::get).delete(deleted::purge),
        )
        .route("/deletedsecrets/{name}/recover", post(deleted::recover))
        .fallback(unknown_path)
        .layer(middleware::from_fn(response_headers))
}

/// The data-plane api-versions the sandbox answers (the 7.x stable line, 2016-10-01, and the
/// newer date-named versions the current SDKs send); all share the secret model of 7.5.
pub const API_VERSIONS: &[&str] = &[
    "2016-10-01",
    "7.0",
    "7.1",
    "7.2",
    "7.3",
    "7.4",
    "7.5",
    "7.6",
    "2025-07-01",
    "2026-04-01",
];

/// A data-plane error: status, `code`, `message` and an optional `innererror.code`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KvError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    pub inner: Option<&'static str>,
    /// The `WWW-Authenticate` challenge of a 401.
    pub challenge: Option<String>,
}

impl KvError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            inner: None,
            challenge: None,
        }
    }

    pub fn with_inner(mut self, inner: &'static str) -> Self {
        self.inner = Some(inner);
        self
    }

    pub fn bad_parameter(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BadParameter", message)
    }

    pub fn invalid_name(name: &str) -> Self {
        Self::bad_parameter(format!("The request URI contains an invalid name: {name}"))
    }

    pub fn secret_not_found(name_or_id: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SecretNotFound",
            format!(
                "A secret with (name/id) {name_or_id} was not found in this key vault. If you \
                 recently deleted this secret you may be able to recover it using the correct \
                 recovery command. For help resolving this issue, please see \
                 https://go.microsoft.com/fwlink/?linkid=2125182"
            ),
        )
    }

    pub fn deleted_not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "SecretNotFound",
            "Deleted Secret not found",
        )
    }

    /// The one wording of a store failure, for `name` (and `version`, if any).
    pub fn from_store(e: StoreError, name: &str, version: Option<&str>) -> Self {
        match e {
            StoreError::SecretNotFound => Self::secret_not_found(name),
            StoreError::VersionNotFound => {
                Self::secret_not_found(&format!("{name}/{}", version.unwrap_or_default()))
            }
            StoreError::DeletedButRecoverable(stored) => Self::new(
                StatusCode::CONFLICT,
                "Conflict",
                format!(
                    "Secret {stored} is currently in a deleted but recoverable state, and its \
                     name cannot be reused; in this state, the secret can only be recovered or \
                     purged."
                ),
            )
            .with_inner("ObjectIsDeletedButRecoverable"),
            StoreError::DeletedSecretNotFound => Self::deleted_not_found(),
        }
    }
}

impl IntoResponse for KvError {
    fn into_response(self) -> Response {
        let mut error = json!({"code": self.code, "message": self.message});
        if let Some(inner) = self.inner {
            error["innererror"] = json!({"code": inner});
        }
        let mut response = (self.status, Json(json!({ "error": error }))).into_response();
        if let Some(challenge) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// An authenticated data-plane call: who, from where, which vault, which api-version.
pub struct KvCall {
    pub caller: Caller,
    pub client: IpAddr,
    pub vault: String,
    pub api_version: String,
    pub query: HashMap<String, String>,
    pub issuer: String,
    pub base_url: String,
}

impl FromRequestParts<AppState> for KvCall {
    type Rejection = KvError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, KvError> {
        let caller = tokens::authenticate(state, &parts.headers, KEY_VAULT_AUDIENCE)
            .map_err(|e| unauthorized(state, &e))?;
        let Query(query) = Query::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| KvError::bad_parameter("The request URI contains an invalid query."))?;
        let api_version = query
            .get("api-version")
            .filter(|v| !v.is_empty())
            .cloned()
            .ok_or_else(|| {
                KvError::bad_parameter(
                    "The request URI contains an invalid parameter: the api-version query \
                     parameter is required.",
                )
            })?;
        if !API_VERSIONS.contains(&api_version.as_str()) {
            return Err(KvError::bad_parameter(format!(
                "The specified version ({api_version}) is not recognized. Consider using the \
                 latest supported version ({}).",
                API_VERSIONS[API_VERSIONS.len() - 1]
            )));
        }
        let Path(path) = Path::<HashMap<String, String>>::from_request_parts(parts, state)
            .await
            .map_err(|_| KvError::bad_parameter("The request URI is invalid."))?;
        let client = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0.ip())
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        Ok(Self {
            caller,
            client,
            vault: path.get("vault").cloned().unwrap_or_default(),
            api_version,
            query,
            issuer: tokens::issuer(state),
            base_url: state.options.base_url.clone(),
        })
    }
}

/// 401 with Key Vault's challenge, pointing at the sandbox's authority.
fn unauthorized(state: &crate::Sandbox, e: &TokenError) -> KvError {
    let message = match e {
        TokenError::Missing => "AKV10000: Request is missing a Bearer or PoP token.".to_owned(),
        TokenError::WrongAudience { expected, found } => {
            format!("AKV10022: Invalid audience. Expected {expected}, found: {found}.")
        }
        other => other.to_string(),
    };
    let mut error = KvError::new(StatusCode::UNAUTHORIZED, "Unauthorized", message);
    error.challenge = Some(format!(
        "Bearer authorization=\"{}/{}\", resource=\"{KEY_VAULT_AUDIENCE}\"",
        state.options.base_url,
        crate::TENANT_ID
    ));
    error
}

impl KvCall {
    /// The vault, or 404 (a real vault name that does not exist fails at DNS instead).
    pub fn vault<'a>(&self, state: &'a VaultState) -> Result<&'a Vault, KvError> {
        state.vault(&self.vault).ok_or_else(|| self.no_vault())
    }

    pub fn vault_mut<'a>(&self, state: &'a mut VaultState) -> Result<&'a mut Vault, KvError> {
        let missing = self.no_vault();
        state.vault_mut(&self.vault).ok_or(missing)
    }

    fn no_vault(&self) -> KvError {
        KvError::new(
            StatusCode::NOT_FOUND,
            "VaultNotFound",
            format!(
                "The sandbox has no vault named '{}' (a real vault name that does not exist \
                 does not resolve in DNS).",
                self.vault
            ),
        )
    }

    /// `Caller: …` as Key Vault's 403 messages put it.
    fn caller_line(&self) -> String {
        format!(
            "appid={};oid={};iss={}",
            crate::CLIENT_ID,
            self.caller.oid,
            self.issuer
        )
    }

    /// The firewall, then RBAC: may the caller perform data action `action` on `secret` (or on
    /// the vault's secrets when `None`)?
    pub fn authorize(
        &self,
        state: &VaultState,
        action: &str,
        secret: Option<&str>,
    ) -> Result<(), KvError> {
        let vault = self.vault(state)?;
        if !vault.network_acls.admits(self.client) {
            return Err(KvError::new(
                StatusCode::FORBIDDEN,
                "Forbidden",
                format!(
                    "Client address is not authorized and caller is not a trusted service.\r\n\
                     Client address: {}\r\nCaller: {}\r\nVault: {};location={}",
                    self.client.to_canonical(),
                    self.caller_line(),
                    vault.name,
                    vault.location
                ),
            )
            .with_inner("ForbiddenByFirewall"));
        }
        let mut resource = vault.id();
        if let Some(secret) = secret {
            resource = format!("{resource}/secrets/{secret}");
        }
        if state.allows_data_action(&self.caller.oid, &resource, action) {
            return Ok(());
        }
        Err(KvError::new(
            StatusCode::FORBIDDEN,
            "Forbidden",
            format!(
                "Caller is not authorized to perform action on resource.\r\nIf role \
                 assignments, deny assignments or role definitions were changed recently, please \
                 observe propagation time.\r\nCaller: {}\r\nAction: '{action}'\r\nResource: \
                 '{}'\r\nAssignment: (not found)\r\nDenyAssignmentId: null\r\nDecisionReason: \
                 'DeniedWithNoValidRBAC' \r\nVault: {};location={}\r\n",
                self.caller_line(),
                resource.to_ascii_lowercase(),
                vault.name,
                vault.location
            ),
        )
        .with_inner("ForbiddenByRbac"))
    }

    /// `maxresults` (1–25, default 25) and the `$skiptoken` offset of a list call.
    pub fn page(&self) -> Result<(usize, usize), KvError> {
        let size = match self.query.get("maxresults") {
            None => 25,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=25).contains(n))
                .ok_or_else(|| {
                    KvError::bad_parameter(format!(
                        "The value '{raw}' of the parameter maxresults is invalid: it must be an \
                         integer between 1 and 25."
                    ))
                })?,
        };
        let offset = match self.query.get("$skiptoken") {
            None => 0,
            Some(token) => crate::arm::vaults::params::decode_skip_token(token)
                .ok_or_else(|| KvError::bad_parameter("The $skiptoken is invalid."))?,
        };
        Ok((size, offset))
    }

    /// Whether this call continues a list (it carries a `$skiptoken` from a `nextLink`).
    pub fn continued(&self) -> bool {
        self.query.contains_key("$skiptoken")
    }

    /// The `nextLink` of a page that stopped at `next` items, if there are more.
    pub fn next_link(&self, path: &str, next: usize, total: usize, size: usize) -> Option<String> {
        (next < total).then(|| {
            format!(
                "{}/kv/{}/{path}?api-version={}&$skiptoken={}&maxresults={size}",
                self.base_url,
                self.vault,
                self.api_version,
                crate::arm::vaults::params::encode_skip_token(next)
            )
        })
    }
}

/// Any path the data plane does not serve.
async fn unknown_path() -> KvError {
    KvError::new(
        StatusCode::NOT_FOUND,
        "NotFound",
        "The requested operation does not exist on this vault.",
    )
}

/// Headers every Key Vault response carries.
async fn response_headers(req: Request, next: Next) -> Response {
    let client_request_id = req.headers().get("x-ms-client-request-id").cloned();
    let mut response = next.run(req).await;
    let headers = response.headers_mut();
    let request_id = uuid::Uuid::new_v4().to_string();
    for (name, value) in [
        ("x-ms-request-id", request_id.as_str()),
        ("x-ms-keyvault-region", crate::arm::vaults::seed::LOCATION),
        ("x-ms-keyvault-service-version", "1.9.2164.1"),
        ("cache-control", "no-cache"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    if let Some(id) = client_request_id {
        headers.insert("x-ms-client-request-id", id);
    }
    response
}
