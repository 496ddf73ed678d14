//! CORS as each real service does it: the token endpoint answers the app's origins, Graph and ARM
//! answer any origin, the Key Vault data plane answers nobody (unless `--kv-cors` stands in for a
//! same-origin gateway).

use std::time::Duration;

use axum::http::{HeaderName, HeaderValue, Method};
use tower_http::cors::{AllowHeaders, AllowOrigin, CorsLayer, ExposeHeaders};

const PREFLIGHT_MAX_AGE: Duration = Duration::from_secs(3600);

fn names(list: &[&'static str]) -> Vec<HeaderName> {
    list.iter().map(|n| HeaderName::from_static(n)).collect()
}

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
        .expose_headers(ExposeHeaders::list(names(&[
            "request-id",
            "client-request-id",
            "retry-after",
            "location",
        ])))
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
        .expose_headers(ExposeHeaders::list(names(&[
            "x-ms-request-id",
            "x-ms-correlation-request-id",
            "x-ms-client-request-id",
            "retry-after",
            "location",
            "azure-asyncoperation",
        ])))
        .max_age(PREFLIGHT_MAX_AGE)
}

/// The Key Vault data plane behind a same-origin gateway (only with `--kv-cors`).
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
