//! CORS as each real service does it: the token endpoint answers the app's origins, Graph and ARM
//! answer any origin, the Key Vault data plane answers nobody (unless `--kv-cors` stands in for a
//! same-origin gateway).
//!
//! `Retry-After` is not exposed by Graph or ARM, so a browser never reads it: Graph's answers do
//! not list it in `Access-Control-Expose-Headers` (microsoft-graph-docs-contrib issues #2011 and
//! #17488), and for ARM the list is not documented, so the sandbox is strict and leaves it out
//! too (sandbox/README.md, "Where the real behaviour is unknown"). A fault may still expose it
//! for one answer (`exposeHeaders`, see faults.rs), to test an app that honours a readable one;
//! [`fault_exposures`] adds those names after the CORS layer has written its list.

use std::time::Duration;

use axum::extract::Request;
use axum::http::{header, HeaderName, HeaderValue, Method};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer, ExposeHeaders};

use crate::faults::ExtraExposed;

const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

fn names(list: &[&'static str]) -> Vec<HeaderName> {
    list.iter().map(|n| HeaderName::from_static(n)).collect()
}

/// The names Graph lists in `Access-Control-Expose-Headers`. Not `Retry-After`
/// (microsoft-graph-docs-contrib #2011, #17488).
pub const GRAPH_EXPOSED: &[&str] = &["request-id", "client-request-id", "location"];

/// The names ARM's answers expose here. Undocumented: `Retry-After` is left out (strict).
pub const ARM_EXPOSED: &[&str] = &[
    "x-ms-request-id",
    "x-ms-correlation-request-id",
    "x-ms-client-request-id",
    "location",
    "azure-asyncoperation",
];

/// Microsoft Graph: any origin is echoed back.
pub fn graph() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers(AllowHeaders::list(names(&[
            "authorization",
            "content-type",
            "consistencylevel",
            "client-request-id",
            "return-client-request-id",
            "prefer",
        ])))
        .expose_headers(ExposeHeaders::list(names(GRAPH_EXPOSED)))
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Azure Resource Manager: any origin is echoed back.
pub fn arm() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers(AllowHeaders::list(names(&[
            "authorization",
            "content-type",
            "x-ms-client-request-id",
            "x-ms-return-client-request-id",
        ])))
        .expose_headers(ExposeHeaders::list(names(ARM_EXPOSED)))
        .max_age(PREFLIGHT_MAX_AGE)
}

/// The Key Vault data plane behind a same-origin gateway (only with `--kv-cors`). A same-origin
/// answer hides no header from the page, so `Retry-After` stays readable here.
pub fn key_vault() -> CorsLayer {
    CorsLayer::new()
        .allow_origin(AllowOrigin::mirror_request())
        .allow_methods([
            Method::GET,
            Method::POST,
            Method::PATCH,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers(AllowHeaders::list(names(&[
            "authorization",
            "content-type",
            "x-ms-client-request-id",
            "x-ms-return-client-request-id",
        ])))
        .expose_headers(ExposeHeaders::list(names(&[
            "www-authenticate",
            "x-ms-request-id",
            "x-ms-client-request-id",
            "retry-after",
        ])))
        .max_age(PREFLIGHT_MAX_AGE)
}

/// The token endpoint: only the app's own origins (MSAL calls it with `fetch`).
pub fn token_endpoint(app_origins: &[String]) -> CorsLayer {
    let origins: Vec<HeaderValue> = app_origins
        .iter()
        .filter_map(|o| HeaderValue::from_str(o).ok())
        .collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::POST])
        .allow_headers(AllowHeaders::mirror_request())
        .expose_headers(ExposeHeaders::list(names(&[
            "client-request-id",
            "x-ms-request-id",
            "retry-after",
        ])))
        .max_age(PREFLIGHT_MAX_AGE)
}

/// Wrapped around a service's CORS layer: a fault's `exposeHeaders` are appended to the
/// `Access-Control-Expose-Headers` of a CORS answer (one that carries
/// `Access-Control-Allow-Origin`); other answers are left as they are.
pub async fn fault_exposures(req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    let Some(ExtraExposed(extra)) = response.extensions_mut().remove::<ExtraExposed>() else {
        return response;
    };
    let headers = response.headers_mut();
    if !headers.contains_key(header::ACCESS_CONTROL_ALLOW_ORIGIN) || extra.is_empty() {
        return response;
    }
    let mut list: Vec<String> = headers
        .get_all(header::ACCESS_CONTROL_EXPOSE_HEADERS)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect();
    for name in extra {
        let name = name.to_ascii_lowercase();
        if !list.contains(&name) {
            list.push(name);
        }
    }
    if let Ok(value) = HeaderValue::from_str(&list.join(",")) {
        headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, value);
    }
    response
}
