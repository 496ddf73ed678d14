//! ARM responses checked against ../shared/specs/keyvault-arm-2025-05-01 (schemas and example
//! shapes).

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{self, Harness, ADA, ARM_KV_API, DAN, DEV_SUB, RITA};
use support::swagger::{missing_shape, Spec};

const ARM: &str = "keyvault-arm-2025-05-01";

#[tokio::test]
async fn vault_lists_fit_vault_list_result_and_the_example() {
    let h = Harness::default();
    let spec = Spec::load(ARM);
    let r = h
        .arm(
            ADA,
            Method::GET,
            &format!("/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults?$top=1"),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    spec.assert_valid("keyvault.json", "VaultListResult", &r.json);
    let example = Spec::example(ARM, "listVaultBySubscription.json", "200");
    let mut missing = missing_shape(&example, &r.json);
    // Read-only and access-policy details the example shows for a premium, policy-based vault.
    missing.retain(|p| !p.ends_with(".hsmPoolResourceId"));
    assert!(missing.is_empty(), "{missing:?}");
    assert!(r.json["nextLink"].is_string());

    let by_rg = h.arm(DAN, Method::GET, &format!("/subscriptions/{DEV_SUB}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults"), ARM_KV_API, None).await;
    spec.assert_valid("keyvault.json", "VaultListResult", &by_rg.json);
    let one = h
        .arm(DAN, Method::GET, &harness::dev_vault_id(), ARM_KV_API, None)
        .await;
    assert_eq!(one.status, StatusCode::OK, "{}", one.text);
    spec.assert_valid("keyvault.json", "Vault", &one.json);
}

#[tokio::test]
async fn secrets_fit_secret_and_the_create_example() {
    let h = Harness::default();
    let spec = Spec::load(ARM);
    let path = format!("{}/secrets/arm-schema-check", harness::dev_vault_id());
    let body = json!({"tags": {"CredentialId": "x"}, "properties": {"value": "v", "contentType": "text/plain", "attributes": {"exp": 1893456000}}});
    let created = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    spec.assert_valid("secrets.json", "Secret", &created.json);
    let missing = missing_shape(
        &Spec::example(ARM, "createSecret.json", "201"),
        &created.json,
    );
    assert!(missing.is_empty(), "{missing:?}");

    let updated = h
        .arm(
            DAN,
            Method::PUT,
            &path,
            ARM_KV_API,
            Some(&json!({"properties": {"value": "w"}})),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    spec.assert_valid("secrets.json", "Secret", &updated.json);
    let missing = missing_shape(
        &Spec::example(ARM, "createSecret.json", "200"),
        &updated.json,
    );
    assert!(missing.is_empty(), "{missing:?}");

    let got = h.arm(RITA, Method::GET, &path, ARM_KV_API, None).await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    spec.assert_valid("secrets.json", "Secret", &got.json);
    let list = h
        .arm(
            RITA,
            Method::GET,
            &format!("{}/secrets?$top=2", harness::dev_vault_id()),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    spec.assert_valid("secrets.json", "SecretListResult", &list.json);
    assert!(list.json["nextLink"].is_string());
}

#[tokio::test]
async fn errors_fit_cloud_error() {
    let h = Harness::default();
    let spec = Spec::load(ARM);
    let vault = harness::prod_vault_id();
    let replies = [
        h.arm(DAN, Method::PUT, &format!("{vault}/secrets/x"), ARM_KV_API, Some(&json!({"properties": {"value": "v"}}))).await,
        h.call(Method::GET, "/arm/subscriptions", Some(&h.arm_token(DAN)), None).await,
        h.call(Method::GET, "/arm/subscriptions?api-version=2022-12-01", None, None).await,
        h.arm(ADA, Method::GET, "/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.KeyVault/vaults", ARM_KV_API, None).await,
    ];
    for reply in &replies {
        assert!(reply.status.is_client_error(), "{}", reply.text);
        spec.assert_valid("common.json", "CloudError", &reply.json);
        assert!(
            reply.json["error"]["code"].is_string() && reply.json["error"]["message"].is_string()
        );
    }
}
