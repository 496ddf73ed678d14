//! Azure Resource Manager, mounted at `/arm` (the stand-in for `https://management.azure.com`).
//!
//! Serves `GET /subscriptions`, the Key Vault resource provider's vault list and get,
//! `Microsoft.KeyVault/vaults/secrets` (PUT, GET, list), `Microsoft.Authorization/permissions`
//! at any scope and `Microsoft.Authorization/roleAssignments` PUT (`rbac`). ARM matches resource
//! paths case-insensitively, so requests are routed here by segment rather than by axum routes.
//!
//! Every call: bearer token for `https://management.azure.com` (401 in ARM's shape otherwise) →
//! `api-version` (400 `MissingApiVersionParameter`) → the operation, which checks the caller's
//! role assignments (403 `AuthorizationFailed`). Errors are `{"error":{"code","message"}}`;
//! every response carries `x-ms-request-id` and `x-ms-correlation-request-id`.

pub mod rbac;
mod resources;
mod secrets;
pub mod vaults;

use axum::body::Bytes;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::any;
use axum::{Json, Router};
use serde_json::json;

use crate::identity::tokens::{self, Caller, TokenError, ARM_AUDIENCE};
use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", any(dispatch))
        .route("/{*path}", any(dispatch))
        .layer(middleware::from_fn(request_ids))
}

/// An ARM error: status, `code` and `message`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArmError {
    pub status: StatusCode,
    pub code: &'static str,
    pub message: String,
    challenge: Option<String>,
}

impl ArmError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            challenge: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    /// 403 in the words ARM uses for a missing action.
    pub fn authorization_failed(caller: &Caller, action: &str, scope: &str) -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "AuthorizationFailed",
            format!(
                "The client '{}' with object id '{}' does not have authorization to perform \
                 action '{action}' over scope '{scope}' or the scope is invalid. If access was \
                 recently granted, please refresh your credentials.",
                caller.upn, caller.oid
            ),
        )
    }

    pub fn not_found(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, code, message)
    }
}

impl IntoResponse for ArmError {
    fn into_response(self) -> Response {
        let body = json!({"error": {"code": self.code, "message": self.message}});
        let mut response = (self.status, Json(body)).into_response();
        if let Some(challenge) = self.challenge.and_then(|c| HeaderValue::from_str(&c).ok()) {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, challenge);
        }
        response
    }
}

/// One ARM call, authenticated, with its path split into percent-decoded segments.
pub struct ArmCall {
    pub caller: Caller,
    pub method: Method,
    pub segments: Vec<String>,
    pub query: Vec<(String, String)>,
    pub api_version: String,
    /// The request path as sent (below `/arm`), for `nextLink`s.
    pub raw_path: String,
    pub base_url: String,
    pub body: Bytes,
}

impl ArmCall {
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// `$top` (1–1000, default `default`) and the `$skiptoken` offset.
    pub fn page(&self, default: usize) -> Result<(usize, usize), ArmError> {
        let size = match self.query("$top") {
            None => default,
            Some(raw) => raw
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    ArmError::bad_request(
                        "InvalidParameter",
                        format!("The value '{raw}' of the query parameter '$top' is invalid."),
                    )
                })?,
        };
        let offset = match self.query("$skiptoken") {
            None => 0,
            Some(t) => crate::arm::vaults::params::decode_skip_token(t).ok_or_else(|| {
                ArmError::bad_request("InvalidSkipToken", "The $skiptoken is invalid.")
            })?,
        };
        Ok((size, offset))
    }

    /// The `nextLink` of a page that stopped at `next` of `total`.
    pub fn next_link(&self, next: usize, total: usize, size: usize) -> Option<String> {
        (next < total).then(|| {
            format!(
                "{}/arm{}?api-version={}&$top={size}&$skiptoken={}",
                self.base_url,
                self.raw_path,
                self.api_version,
                crate::arm::vaults::params::encode_skip_token(next)
            )
        })
    }
}

async fn dispatch(
    State(state): State<AppState>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match handle(&state, method, &uri, &headers, body) {
        Ok(response) => response,
        Err(e) => e.into_response(),
    }
}

fn handle(
    state: &AppState,
    method: Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Result<Response, ArmError> {
    let caller = authenticate(state, headers)?;
    let query: Vec<(String, String)> = query_pairs(uri.query().unwrap_or_default());
    let api_version = query
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case("api-version"))
        .map(|(_, v)| v.clone())
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ArmError::bad_request(
                "MissingApiVersionParameter",
                "The api-version query parameter (?api-version=) is required for all requests.",
            )
        })?;
    let segments = uri
        .path()
        .split('/')
        .filter(|s| !s.is_empty())
        .map(|s| {
            percent_encoding::percent_decode_str(s)
                .decode_utf8_lossy()
                .into_owned()
        })
        .collect();
    let call = ArmCall {
        caller,
        method,
        segments,
        query,
        api_version,
        raw_path: uri.path().to_owned(),
        base_url: state.options.base_url.clone(),
        body,
    };
    resources::route(state, &call)
}

/// `a=b&c=d` with `+` and percent-decoding, as form-urlencoded queries are read.
fn query_pairs(query: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// ARM accepts tokens for any of its resource identifiers.
const ARM_AUDIENCES: [&str; 4] = [
    "https://management.core.windows.net/",
    "https://management.core.windows.net",
    "https://management.azure.com/",
    "https://management.azure.com",
];

fn authenticate(state: &AppState, headers: &HeaderMap) -> Result<Caller, ArmError> {
    let result = match tokens::authenticate(state, headers, ARM_AUDIENCE) {
        Err(TokenError::WrongAudience { found, .. }) if ARM_AUDIENCES.contains(&found.as_str()) => {
            tokens::authenticate(state, headers, &found)
        }
        other => other,
    };
    result.map_err(|e| {
        let (code, message) = match &e {
            TokenError::Missing => (
                "AuthenticationFailed",
                "Authentication failed. The 'Authorization' header is missing.".to_owned(),
            ),
            TokenError::WrongAudience { found, .. } => (
                "InvalidAuthenticationTokenAudience",
                format!(
                    "The access token has been obtained for wrong audience or resource '{found}'. \
                     It should exactly match with one of the allowed audiences '{}'.",
                    ARM_AUDIENCES.join("','")
                ),
            ),
            TokenError::Expired => (
                "ExpiredAuthenticationToken",
                "The access token has expired. Get a new access token and try again.".to_owned(),
            ),
            _ => (
                "InvalidAuthenticationToken",
                "The access token is invalid.".to_owned(),
            ),
        };
        let mut error = ArmError::new(StatusCode::UNAUTHORIZED, code, message);
        error.challenge = Some(format!(
            "Bearer authorization_uri=\"{}/{}\", error=\"invalid_token\", error_description=\"{}\"",
            state.options.base_url,
            crate::TENANT_ID,
            e
        ));
        error
    })
}

/// `x-ms-request-id`, `x-ms-correlation-request-id` (the client's, if it sent one) and
/// `x-ms-routing-request-id` on every response.
async fn request_ids(req: Request, next: Next) -> Response {
    let request_id = uuid::Uuid::new_v4().to_string();
    let correlation = req
        .headers()
        .get("x-ms-correlation-request-id")
        .cloned()
        .unwrap_or_else(|| HeaderValue::from_str(&request_id).expect("a GUID is a header value"));
    let client_request_id = req.headers().get("x-ms-client-request-id").cloned();
    let mut response = next.run(req).await;
    let routing = format!(
        "WESTEUROPE:{}:{request_id}",
        chrono::Utc::now().format("%Y%m%dT%H%M%SZ")
    );
    let headers = response.headers_mut();
    for (name, value) in [
        ("x-ms-request-id", request_id.as_str()),
        ("x-ms-routing-request-id", routing.as_str()),
        ("cache-control", "no-cache"),
    ] {
        if let Ok(value) = HeaderValue::from_str(value) {
            headers.insert(name, value);
        }
    }
    headers.insert("x-ms-correlation-request-id", correlation);
    if let Some(id) = client_request_id {
        headers.insert("x-ms-client-request-id", id);
    }
    response
}
