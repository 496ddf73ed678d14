//! The data plane's soft delete → recover → purge, the seeded soft-deleted name, and what a
//! Key Vault Secrets User may do; reset restores the seed.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{Harness, ADA, DAN, RITA};

#[tokio::test]
async fn soft_delete_then_recover_then_purge() {
    let h = Harness::default();
    h.kv(
        DAN,
        Method::PUT,
        "kv-contoso-dev",
        "/secrets/Short-Lived",
        Some(&json!({"value": "a"})),
    )
    .await;
    h.kv(
        DAN,
        Method::PUT,
        "kv-contoso-dev",
        "/secrets/short-lived",
        Some(&json!({"value": "b"})),
    )
    .await;

    let deleted = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/secrets/SHORT-LIVED",
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::OK, "{}", deleted.text);
    assert_eq!(
        deleted.json["recoveryId"],
        "http://127.0.0.1:8400/kv/kv-contoso-dev/deletedsecrets/Short-Lived"
    );
    let (deleted_at, purge_at) = (
        deleted.json["deletedDate"].as_i64().unwrap(),
        deleted.json["scheduledPurgeDate"].as_i64().unwrap(),
    );
    assert_eq!(purge_at - deleted_at, 90 * 86_400);
    assert!(deleted.json.get("value").is_none());

    let gone = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/short-lived",
            None,
        )
        .await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    assert_eq!(gone.codes().0, "SecretNotFound");
    assert!(gone
        .message()
        .starts_with("A secret with (name/id) short-lived was not found in this key vault."));
    let conflict = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/short-lived",
            Some(&json!({"value": "c"})),
        )
        .await;
    assert_eq!(conflict.status, StatusCode::CONFLICT);
    assert_eq!(
        conflict.codes(),
        (
            "Conflict".into(),
            Some("ObjectIsDeletedButRecoverable".into())
        )
    );

    let recovered = h
        .kv(
            DAN,
            Method::POST,
            "kv-contoso-dev",
            "/deletedsecrets/short-lived/recover",
            None,
        )
        .await;
    assert_eq!(recovered.status, StatusCode::OK, "{}", recovered.text);
    assert!(recovered.json.get("value").is_none());
    let back = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/short-lived",
            None,
        )
        .await;
    assert_eq!(back.json["value"], "b");
    let versions = h
        .kv_all(DAN, "kv-contoso-dev", "/secrets/short-lived/versions")
        .await;
    assert_eq!(versions.len(), 2);

    h.kv(
        DAN,
        Method::DELETE,
        "kv-contoso-dev",
        "/secrets/short-lived",
        None,
    )
    .await;
    let purged = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/deletedsecrets/short-lived",
            None,
        )
        .await;
    assert_eq!(purged.status, StatusCode::NO_CONTENT);
    let again = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/deletedsecrets/short-lived",
            None,
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);
    assert_eq!(again.codes().0, "SecretNotFound");
    let recover_gone = h
        .kv(
            DAN,
            Method::POST,
            "kv-contoso-dev",
            "/deletedsecrets/short-lived/recover",
            None,
        )
        .await;
    assert_eq!(recover_gone.status, StatusCode::NOT_FOUND);
    // After the purge the name is free again.
    let fresh = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/short-lived",
            Some(&json!({"value": "d"})),
        )
        .await;
    assert_eq!(fresh.status, StatusCode::OK);
    assert!(fresh.json["id"]
        .as_str()
        .unwrap()
        .contains("/secrets/short-lived/"));
}

#[tokio::test]
async fn the_seeded_soft_deleted_secret_blocks_its_name() {
    let h = Harness::default();
    let listed = h
        .kv(DAN, Method::GET, "kv-contoso-dev", "/deletedsecrets", None)
        .await;
    let ids: Vec<&str> = listed.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        ["http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/legacy-reporting-secret"]
    );
    let r = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/Legacy-Reporting-Secret",
            Some(&json!({"value": "x"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert_eq!(r.message(), "Secret legacy-reporting-secret is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.");
}

#[tokio::test]
async fn secrets_user_reads_but_cannot_write_and_reset_restores_the_seed() {
    let h = Harness::default();
    let list = h
        .kv(DAN, Method::GET, "kv-contoso-prod", "/secrets", None)
        .await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.text);
    let get = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-prod",
            "/secrets/reporting-db-password",
            None,
        )
        .await;
    assert_eq!(get.status, StatusCode::OK, "{}", get.text);
    assert!(get.json["value"].as_str().unwrap().starts_with("sandbox-"));
    let set = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-prod",
            "/secrets/new-one",
            Some(&json!({"value": "x"})),
        )
        .await;
    assert_eq!(set.status, StatusCode::FORBIDDEN);
    let del = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-prod",
            "/secrets/reporting-db-password",
            None,
        )
        .await;
    assert_eq!(del.status, StatusCode::FORBIDDEN);
    let rita = h
        .kv(RITA, Method::GET, "kv-contoso-dev", "/secrets", None)
        .await;
    assert_eq!(rita.status, StatusCode::FORBIDDEN);

    h.kv(
        ADA,
        Method::PUT,
        "kv-contoso-prod",
        "/secrets/new-one",
        Some(&json!({"value": "x"})),
    )
    .await;
    let reset = h.call(Method::POST, "/_sandbox/reset", None, None).await;
    assert_eq!(reset.status, StatusCode::OK);
    let after = h
        .kv(
            ADA,
            Method::GET,
            "kv-contoso-prod",
            "/secrets/new-one",
            None,
        )
        .await;
    assert_eq!(after.status, StatusCode::NOT_FOUND);
}
