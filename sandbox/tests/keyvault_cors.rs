//! The data plane answers no CORS (a browser sees an opaque failure), unless the sandbox runs
//! with `--kv-cors`, standing in for a same-origin gateway.

mod support;

use axum::http::StatusCode;
use support::harness::{has_cors_headers, Harness, DAN};

#[tokio::test]
async fn no_cors_without_the_flag() {
    let h = Harness::default();
    let preflight = h
        .preflight("/kv/kv-contoso-dev/secrets/x?api-version=7.5", "PUT")
        .await;
    assert!(!has_cors_headers(&preflight), "{:?}", preflight.headers);
    assert_eq!(preflight.status, StatusCode::METHOD_NOT_ALLOWED);
    let req = axum::http::Request::builder()
        .uri("/kv/kv-contoso-dev/secrets?api-version=7.5")
        .header("origin", "http://127.0.0.1:8080")
        .header("authorization", format!("Bearer {}", h.kv_token(DAN)))
        .body(axum::body::Body::empty())
        .unwrap();
    let get = h.send(req).await;
    assert_eq!(get.status, StatusCode::OK);
    assert!(!has_cors_headers(&get), "{:?}", get.headers);
}

#[tokio::test]
async fn cors_with_the_gateway_flag() {
    let h = Harness::with_kv_cors();
    let preflight = h
        .preflight("/kv/kv-contoso-dev/secrets/x?api-version=7.5", "PUT")
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PUT"));
    let allowed = preflight
        .header("access-control-allow-headers")
        .unwrap()
        .to_ascii_lowercase();
    assert!(
        allowed.contains("authorization") && allowed.contains("content-type"),
        "{allowed}"
    );
}
