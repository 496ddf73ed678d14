//! `Microsoft.KeyVault/vaults/secrets` through ARM: who may write, 201/200, bodies, the shared
//! store with the data plane, and values that never come back.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{self, Harness, ADA, ARM_KV_API, DAN, RITA};

fn secret_path(vault_id: &str, name: &str) -> String {
    format!("{vault_id}/secrets/{name}")
}

#[tokio::test]
async fn arm_put_then_data_plane_get_returns_the_same_value() {
    let h = Harness::default();
    let path = secret_path(&harness::dev_vault_id(), "Onboarding-Portal-client-secret2");
    let body = json!({
        "tags": {"CredentialId": "4e0f5f1e-0000-4000-8000-000000000001", "ProviderAddress": "x"},
        "properties": {"value": "arm-written-value-1", "contentType": "text/plain",
                       "attributes": {"enabled": true, "nbf": 1767225600, "exp": 1798761600}}
    });
    let created = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.text);
    assert!(
        !created.text.contains("arm-written-value-1"),
        "ARM never returns the value"
    );
    assert!(created.json["properties"].get("value").is_none());
    assert_eq!(created.json["id"], path);
    assert_eq!(created.json["type"], "Microsoft.KeyVault/vaults/secrets");
    assert_eq!(created.json["location"], "westeurope");
    assert_eq!(
        created.json["tags"]["CredentialId"],
        "4e0f5f1e-0000-4000-8000-000000000001"
    );
    let props = &created.json["properties"];
    assert_eq!(props["contentType"], "text/plain");
    assert_eq!(props["attributes"]["nbf"], 1767225600);
    assert_eq!(props["attributes"]["exp"], 1798761600);
    assert_eq!(
        props["secretUri"],
        "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/Onboarding-Portal-client-secret2"
    );
    let with_version = props["secretUriWithVersion"].as_str().unwrap();
    let version = with_version
        .strip_prefix(
            "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/Onboarding-Portal-client-secret2/",
        )
        .unwrap();
    assert_eq!(version.len(), 32);

    // The data plane reads the same store (Dan is also Secrets Officer on kv-contoso-dev).
    let got = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            &format!("/secrets/onboarding-portal-client-secret2/{version}"),
            None,
        )
        .await;
    assert_eq!(got.status, StatusCode::OK, "{}", got.text);
    assert_eq!(got.json["value"], "arm-written-value-1");
    assert_eq!(got.json["tags"]["ProviderAddress"], "x");
    assert_eq!(got.json["attributes"]["exp"], 1798761600);

    // A second PUT is a new version and answers 200.
    let again = h
        .arm(
            DAN,
            Method::PUT,
            &path,
            ARM_KV_API,
            Some(&json!({"properties": {"value": "arm-written-value-2"}})),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.text);
    assert_ne!(
        again.json["properties"]["secretUriWithVersion"],
        with_version
    );
    let latest = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/Onboarding-Portal-client-secret2",
            None,
        )
        .await;
    assert_eq!(latest.json["value"], "arm-written-value-2");
    let got = h.arm(DAN, Method::GET, &path, ARM_KV_API, None).await;
    assert_eq!(got.status, StatusCode::OK);
    assert!(!got.text.contains("arm-written-value"));
    assert_eq!(
        got.json["properties"]["secretUriWithVersion"],
        again.json["properties"]["secretUriWithVersion"]
    );
}

#[tokio::test]
async fn only_secrets_write_holders_may_put() {
    let h = Harness::default();
    let body = json!({"properties": {"value": "v"}});
    // Secrets User only (kv-contoso-prod) and Reader (Rita): 403 AuthorizationFailed.
    let path = secret_path(&harness::prod_vault_id(), "x");
    let dan = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(dan.status, StatusCode::FORBIDDEN);
    assert_eq!(dan.codes().0, "AuthorizationFailed");
    assert_eq!(dan.message(), format!(
        "The client 'dan@contoso.example' with object id '{}' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '{path}' or the scope is invalid. If access was recently granted, please refresh your credentials.",
        DAN.oid));
    let rita = h
        .arm(
            RITA,
            Method::PUT,
            &secret_path(&harness::dev_vault_id(), "x"),
            ARM_KV_API,
            Some(&body),
        )
        .await;
    assert_eq!(rita.status, StatusCode::FORBIDDEN);
    assert!(rita
        .message()
        .contains("'Microsoft.KeyVault/vaults/secrets/write'"));
    let read = h
        .arm(
            DAN,
            Method::GET,
            &secret_path(&harness::prod_vault_id(), "reporting-db-password"),
            ARM_KV_API,
            None,
        )
        .await;
    // Dan's Reader assignment on the prod vault lets him read metadata, never the value.
    assert_eq!(read.status, StatusCode::OK, "{}", read.text);
    assert!(read.json["properties"].get("value").is_none());
    // Rita has no role on the prod vault at all: reading its secrets' metadata is refused.
    let rita_read = h
        .arm(
            RITA,
            Method::GET,
            &secret_path(&harness::prod_vault_id(), "reporting-db-password"),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(rita_read.status, StatusCode::FORBIDDEN);
    assert!(rita_read
        .message()
        .contains("'Microsoft.KeyVault/vaults/secrets/read'"));

    // Owner (Ada, inherited from the subscription) may.
    let ada = h
        .arm(ADA, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(ada.status, StatusCode::CREATED, "{}", ada.text);
}

#[tokio::test]
async fn secrets_officer_alone_may_not_write_through_arm() {
    let h = Harness::default();
    // Drop Dan's Key Vault Contributor on kv-contoso-dev, keeping Secrets Officer.
    {
        let mut vaults = sandbox::lock(&h.sandbox.vaults);
        let before = vaults.role_assignments.len();
        vaults.role_assignments.retain(|a| {
            !(a.principal_id == DAN.oid
                && a.role.name == "Key Vault Contributor"
                && a.scope.ends_with("kv-contoso-dev"))
        });
        assert_eq!(vaults.role_assignments.len(), before - 1);
    }
    let arm = h
        .arm(
            DAN,
            Method::PUT,
            &secret_path(&harness::dev_vault_id(), "officer"),
            ARM_KV_API,
            Some(&json!({"properties": {"value": "v"}})),
        )
        .await;
    assert_eq!(arm.status, StatusCode::FORBIDDEN);
    assert_eq!(arm.codes().0, "AuthorizationFailed");
    let kv = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/officer",
            Some(&json!({"value": "v"})),
        )
        .await;
    assert_eq!(kv.status, StatusCode::OK, "{}", kv.text);
}

#[tokio::test]
async fn the_firewall_does_not_apply_to_arm_writes() {
    let h = Harness::default();
    let r = h
        .arm(
            DAN,
            Method::PUT,
            &secret_path(&harness::locked_vault_id(), "through-arm"),
            ARM_KV_API,
            Some(&json!({"properties": {"value": "v"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let state = h.vault_state().await;
    let locked = state["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-locked")
        .unwrap();
    assert!(locked["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["name"] == "through-arm"));
}

#[tokio::test]
async fn bodies_names_and_limits_are_checked() {
    let h = Harness::default();
    let put = |name: &str, body: &serde_json::Value| {
        let path = secret_path(&harness::dev_vault_id(), name);
        let h = &h;
        let body = body.clone();
        async move {
            h.arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
                .await
        }
    };
    let cases = [
        ("ok-name", json!({"properties": {}}), "BadRequest"),
        (
            "ok-name",
            json!({"value": "at-the-wrong-level"}),
            "BadRequest",
        ),
        (
            "ok-name",
            json!({"properties": {"value": 5}}),
            "InvalidRequestContent",
        ),
        (
            "ok-name",
            json!({"properties": {"value": "v"}, "tags": ["a"]}),
            "InvalidRequestContent",
        ),
        (
            "ok-name",
            json!({"properties": {"value": "v", "attributes": {"enabled": "yes"}}}),
            "InvalidRequestContent",
        ),
        (
            "ok-name",
            json!({"properties": {"value": "x".repeat(25 * 1024 + 1)}}),
            "BadRequest",
        ),
        (
            "ok-name",
            json!({"properties": {"value": "v"}, "tags": (0..16).map(|i| (format!("t{i}"), json!("v"))).collect::<serde_json::Map<_, _>>()}),
            "BadRequest",
        ),
        (
            "bad_name",
            json!({"properties": {"value": "v"}}),
            "BadRequest",
        ),
    ];
    for (name, body, code) in cases {
        let r = put(name, &body).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{body}: {}", r.text);
        assert_eq!(r.codes().0, code, "{body}: {}", r.text);
        assert!(!r.text.contains("xxxxxxxx") && !r.text.contains("at-the-wrong-level"));
    }
    let token = h.arm_token(DAN);
    let path = format!(
        "/arm{}?{ARM_KV_API}",
        secret_path(&harness::dev_vault_id(), "raw")
    );
    let syntax = h
        .call_raw(
            Method::PUT,
            &path,
            &token,
            r#"{"properties": {"value": "hunter2-secret""#,
        )
        .await;
    assert_eq!(syntax.codes().0, "InvalidRequestContent");
    assert!(!syntax.text.contains("hunter2"));
}

#[tokio::test]
async fn a_soft_deleted_name_conflicts_and_missing_secrets_are_404() {
    let h = Harness::default();
    let path = secret_path(&harness::dev_vault_id(), "Legacy-Reporting-Secret");
    let r = h
        .arm(
            DAN,
            Method::PUT,
            &path,
            ARM_KV_API,
            Some(&json!({"properties": {"value": "v"}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.codes().0, "Conflict");
    assert!(r.message().starts_with(
        "Secret legacy-reporting-secret is currently in a deleted but recoverable state"
    ));
    let get = h.arm(DAN, Method::GET, &path, ARM_KV_API, None).await;
    assert_eq!(get.status, StatusCode::NOT_FOUND);
    assert_eq!(get.codes().0, "ResourceNotFound");
    let patch = h
        .arm(DAN, Method::PATCH, &path, ARM_KV_API, Some(&json!({})))
        .await;
    assert_eq!(patch.status, StatusCode::METHOD_NOT_ALLOWED);
}

#[tokio::test]
async fn lists_show_tags_but_no_values() {
    let h = Harness::default();
    let r = h
        .arm(
            RITA,
            Method::GET,
            &format!("{}/secrets", harness::dev_vault_id()),
            ARM_KV_API,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let names: Vec<&str> = r.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "onboarding-portal-client-secret",
            "payroll-api-client-secret"
        ]
    );
    assert_eq!(r.json["value"][1]["tags"]["AppDisplayName"], "Payroll API");
    assert!(
        !r.text.contains("sandbox-"),
        "no value in a list: {}",
        r.text
    );
    assert!(r.json.get("nextLink").is_none());
}
