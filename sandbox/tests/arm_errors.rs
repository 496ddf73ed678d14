//! ARM's 401/400/403/404 answers, case-insensitive resource paths, request ids and CORS.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{self, has_cors_headers, Harness, ADA, ARM_KV_API, DAN, DEV_SUB, PROD_SUB};

const SUBS_API: &str = "api-version=2022-12-01";

#[tokio::test]
async fn authentication_and_api_version_errors() {
    let h = Harness::default();
    let none = h
        .call(
            Method::GET,
            &format!("/arm/subscriptions?{SUBS_API}"),
            None,
            None,
        )
        .await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.codes().0, "AuthenticationFailed");
    assert!(none
        .header("www-authenticate")
        .unwrap()
        .starts_with("Bearer authorization_uri="));
    let graph = h
        .call(
            Method::GET,
            &format!("/arm/subscriptions?{SUBS_API}"),
            Some(&h.graph_token(DAN)),
            None,
        )
        .await;
    assert_eq!(graph.status, StatusCode::UNAUTHORIZED);
    assert_eq!(graph.codes().0, "InvalidAuthenticationTokenAudience");
    assert!(graph.message().contains("'https://graph.microsoft.com'"));
    let kv = h
        .call(
            Method::GET,
            &format!("/arm/subscriptions?{SUBS_API}"),
            Some(&h.kv_token(DAN)),
            None,
        )
        .await;
    assert_eq!(kv.status, StatusCode::UNAUTHORIZED);
    // ARM also accepts its other resource identifiers as audience.
    let legacy = h.token(DAN, "https://management.core.windows.net/");
    let ok = h
        .call(
            Method::GET,
            &format!("/arm/subscriptions?{SUBS_API}"),
            Some(&legacy),
            None,
        )
        .await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.text);

    let missing = h
        .call(
            Method::GET,
            "/arm/subscriptions",
            Some(&h.arm_token(DAN)),
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        missing.json,
        json!({"error": {"code": "MissingApiVersionParameter",
        "message": "The api-version query parameter (?api-version=) is required for all requests."}})
    );
    let bad = h
        .arm(
            DAN,
            Method::GET,
            "/subscriptions",
            "api-version=2099-01-01",
            None,
        )
        .await;
    assert_eq!(bad.codes().0, "InvalidApiVersionParameter");
    let bad_rp = h
        .arm(
            DAN,
            Method::GET,
            &format!("/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults"),
            "api-version=2099-01-01",
            None,
        )
        .await;
    assert_eq!(bad_rp.codes().0, "NoRegisteredProviderFound");
}

#[tokio::test]
async fn not_found_and_case_insensitive_paths() {
    let h = Harness::default();
    let sub = h.arm(ADA, Method::GET, "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.KeyVault/vaults", ARM_KV_API, None).await;
    assert_eq!(
        (sub.status, sub.codes().0.as_str()),
        (StatusCode::NOT_FOUND, "SubscriptionNotFound")
    );
    let rg = h.arm(ADA, Method::GET, &format!("/subscriptions/{DEV_SUB}/resourceGroups/rg-none/providers/Microsoft.KeyVault/vaults/kv-x"), ARM_KV_API, None).await;
    assert_eq!(
        (rg.status, rg.codes().0.as_str()),
        (StatusCode::NOT_FOUND, "ResourceGroupNotFound")
    );
    let vault = h.arm(ADA, Method::GET, &format!("/subscriptions/{DEV_SUB}/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-none"), ARM_KV_API, None).await;
    assert_eq!(
        (vault.status, vault.codes().0.as_str()),
        (StatusCode::NOT_FOUND, "ResourceNotFound")
    );
    // Without any right there, ARM answers 403 before it says whether the vault exists.
    let hidden = h.arm(DAN, Method::GET, &format!("/subscriptions/{PROD_SUB}/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-none"), ARM_KV_API, None).await;
    assert_eq!(hidden.status, StatusCode::FORBIDDEN);
    assert_eq!(hidden.codes().0, "AuthorizationFailed");

    let lower = format!("/SUBSCRIPTIONS/{DEV_SUB}/resourcegroups/RG-DEV/providers/microsoft.keyvault/VAULTS/KV-CONTOSO-DEV");
    let r = h.arm(DAN, Method::GET, &lower, ARM_KV_API, None).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert_eq!(r.json["name"], "kv-contoso-dev");
}

#[tokio::test]
async fn responses_carry_request_ids_and_cors() {
    let h = Harness::default();
    let req = axum::http::Request::builder()
        .uri(format!("/arm/subscriptions?{SUBS_API}"))
        .header("authorization", format!("Bearer {}", h.arm_token(DAN)))
        .header("origin", "https://app.example")
        .header(
            "x-ms-correlation-request-id",
            "11111111-2222-4333-8444-555555555555",
        )
        .body(axum::body::Body::empty())
        .unwrap();
    let r = h.send(req).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(uuid::Uuid::parse_str(r.header("x-ms-request-id").unwrap()).is_ok());
    assert_eq!(
        r.header("x-ms-correlation-request-id"),
        Some("11111111-2222-4333-8444-555555555555")
    );
    assert_eq!(
        r.header("access-control-allow-origin"),
        Some("https://app.example")
    );
    let denied = h.call(Method::GET, "/arm/subscriptions", None, None).await;
    assert!(denied.header("x-ms-request-id").is_some());

    let preflight = h
        .preflight(
            &format!("/arm{}/secrets/x?{ARM_KV_API}", harness::dev_vault_id()),
            "PUT",
        )
        .await;
    assert!(preflight.status.is_success(), "{}", preflight.status);
    assert!(has_cors_headers(&preflight));
    assert_eq!(
        preflight.header("access-control-allow-origin"),
        Some("http://127.0.0.1:8080")
    );
    assert!(preflight
        .header("access-control-allow-methods")
        .unwrap()
        .contains("PUT"));
}
