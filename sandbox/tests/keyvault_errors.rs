//! Every refusal of the data plane: 401 with its challenge, 400 (api-version, name, limits,
//! body), 403 ForbiddenByRbac and ForbiddenByFirewall, 404, 409, and its CORS behaviour.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{self, Harness, ADA, DAN, RITA};

#[tokio::test]
async fn tokens_for_other_audiences_or_none_get_401_with_a_challenge() {
    let h = Harness::default();
    let path = "/kv/kv-contoso-dev/secrets?api-version=7.5";
    let challenge = format!(
        "Bearer authorization=\"http://127.0.0.1:8400/{}\", resource=\"https://vault.azure.net\"",
        sandbox::TENANT_ID
    );

    let none = h.call(Method::GET, path, None, None).await;
    assert_eq!(none.status, StatusCode::UNAUTHORIZED);
    assert_eq!(none.codes(), ("Unauthorized".into(), None));
    assert_eq!(
        none.message(),
        "AKV10000: Request is missing a Bearer or PoP token."
    );
    assert_eq!(none.header("www-authenticate"), Some(challenge.as_str()));

    let graph = h
        .call(Method::GET, path, Some(&h.graph_token(DAN)), None)
        .await;
    assert_eq!(graph.status, StatusCode::UNAUTHORIZED);
    assert_eq!(graph.message(), "AKV10022: Invalid audience. Expected https://vault.azure.net, found: https://graph.microsoft.com.");
    assert_eq!(graph.header("www-authenticate"), Some(challenge.as_str()));

    let arm = h
        .call(
            Method::PUT,
            "/kv/kv-contoso-dev/secrets/x?api-version=7.5",
            Some(&h.arm_token(DAN)),
            Some(&json!({"value": "v"})),
        )
        .await;
    assert_eq!(arm.status, StatusCode::UNAUTHORIZED);

    let mut tampered = h.kv_token(DAN);
    tampered.push('x');
    let bad = h.call(Method::GET, path, Some(&tampered), None).await;
    assert_eq!(bad.status, StatusCode::UNAUTHORIZED);
    assert_eq!(bad.codes().0, "Unauthorized");
}

#[tokio::test]
async fn api_version_is_required() {
    let h = Harness::default();
    let r = h
        .call(
            Method::GET,
            "/kv/kv-contoso-dev/secrets",
            Some(&h.kv_token(DAN)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.codes(), ("BadParameter".into(), None));
    assert!(r.message().contains("api-version"));
    assert!(r.json["error"].get("innererror").is_none());
    let unknown = h
        .call(
            Method::GET,
            "/kv/kv-contoso-dev/secrets?api-version=1999-01-01",
            Some(&h.kv_token(DAN)),
            None,
        )
        .await;
    assert_eq!(unknown.status, StatusCode::BAD_REQUEST);
    assert!(unknown.message().contains("(1999-01-01) is not recognized"));
    for known in ["7.4", "7.6", "2025-07-01"] {
        let path = format!("/kv/kv-contoso-dev/secrets?api-version={known}");
        let ok = h
            .call(Method::GET, &path, Some(&h.kv_token(DAN)), None)
            .await;
        assert_eq!(ok.status, StatusCode::OK, "{known}: {}", ok.text);
    }
}

#[tokio::test]
async fn names_limits_and_bodies_are_checked() {
    let h = Harness::default();
    let put = |name: &str, body: serde_json::Value| {
        let h = &h;
        let name = name.to_owned();
        async move {
            h.kv(
                ADA,
                Method::PUT,
                "kv-contoso-dev",
                &format!("/secrets/{name}"),
                Some(&body),
            )
            .await
        }
    };
    let bad_name = put("under_score", json!({"value": "v"})).await;
    assert_eq!(bad_name.status, StatusCode::BAD_REQUEST);
    assert_eq!(bad_name.codes().0, "BadParameter");
    assert_eq!(
        bad_name.message(),
        "The request URI contains an invalid name: under_score"
    );
    assert_eq!(
        put(&"a".repeat(128), json!({"value": "v"})).await.status,
        StatusCode::BAD_REQUEST
    );
    assert_eq!(
        put(&"a".repeat(127), json!({"value": "v"})).await.status,
        StatusCode::OK
    );
    assert_eq!(
        put("with%20space", json!({"value": "v"})).await.status,
        StatusCode::BAD_REQUEST
    );
    let get_bad = h
        .kv(
            ADA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/bad.name",
            None,
        )
        .await;
    assert_eq!(get_bad.codes().0, "BadParameter");

    let tags: serde_json::Map<String, serde_json::Value> =
        (0..16).map(|i| (format!("t{i}"), json!("v"))).collect();
    let too_many = put("tags", json!({"value": "v", "tags": tags})).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_many.codes().0, "BadParameter");
    let fifteen: serde_json::Map<String, serde_json::Value> =
        (0..15).map(|i| (format!("t{i}"), json!("v"))).collect();
    assert_eq!(
        put("tags", json!({"value": "v", "tags": fifteen}))
            .await
            .status,
        StatusCode::OK
    );
    let long_tag = put(
        "tags",
        json!({"value": "v", "tags": {"k": "v".repeat(257)}}),
    )
    .await;
    assert_eq!(long_tag.status, StatusCode::BAD_REQUEST);

    let big = "x".repeat(25 * 1024 + 1);
    let too_large = put("big", json!({"value": big})).await;
    assert_eq!(too_large.status, StatusCode::BAD_REQUEST);
    assert_eq!(too_large.codes().0, "BadParameter");
    assert!(
        !too_large.text.contains("xxxxxxxx"),
        "the value never appears in an error"
    );
    assert_eq!(
        put("big", json!({"value": "x".repeat(25 * 1024)}))
            .await
            .status,
        StatusCode::OK
    );
    let content_type = put("ct", json!({"value": "v", "contentType": "c".repeat(256)})).await;
    assert_eq!(content_type.status, StatusCode::BAD_REQUEST);

    let missing = put("no-value", json!({"contentType": "text/plain"})).await;
    assert_eq!(missing.status, StatusCode::BAD_REQUEST);
    assert!(missing.message().contains("'value'"), "{}", missing.text);
    let wrong_type = put(
        "typed",
        json!({"value": "v", "attributes": {"exp": "tomorrow"}}),
    )
    .await;
    assert_eq!(wrong_type.status, StatusCode::BAD_REQUEST);
    assert!(wrong_type.message().contains("attributes.exp"));
    let token = h.kv_token(ADA);
    let syntax = h
        .call_raw(
            Method::PUT,
            "/kv/kv-contoso-dev/secrets/raw?api-version=7.5",
            &token,
            r#"{"value": "hunter2-secret"#,
        )
        .await;
    assert_eq!(syntax.status, StatusCode::BAD_REQUEST);
    assert!(!syntax.text.contains("hunter2"));

    let page = h
        .kv(
            ADA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets?maxresults=26",
            None,
        )
        .await;
    assert_eq!(page.codes().0, "BadParameter");
    let page = h
        .kv(
            ADA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets?maxresults=0",
            None,
        )
        .await;
    assert_eq!(page.codes().0, "BadParameter");
    let token = h
        .kv(
            ADA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets?$skiptoken=garbage",
            None,
        )
        .await;
    assert_eq!(token.codes().0, "BadParameter");
}

#[tokio::test]
async fn rbac_refuses_with_the_missing_data_action() {
    let h = Harness::default();
    // Dan holds only Key Vault Secrets User on kv-contoso-prod.
    let r = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-prod",
            "/secrets/new-secret",
            Some(&json!({"value": "v"})),
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert_eq!(
        r.codes(),
        ("Forbidden".into(), Some("ForbiddenByRbac".into()))
    );
    let m = r.message();
    assert!(m.starts_with("Caller is not authorized to perform action on resource.\r\nIf role assignments, deny assignments or role definitions were changed recently, please observe propagation time.\r\n"), "{m}");
    assert!(m.contains(&format!("oid={}", DAN.oid)));
    assert!(
        m.contains("Action: 'Microsoft.KeyVault/vaults/secrets/setSecret/action'"),
        "{m}"
    );
    assert!(
        m.contains(&format!(
            "Resource: '{}/secrets/new-secret'",
            harness::prod_vault_id().to_ascii_lowercase()
        )),
        "{m}"
    );
    assert!(m.contains("Vault: kv-contoso-prod;location=westeurope"));

    // Rita (Reader) has no data actions at all; Owner alone gives none either.
    let rita = h
        .kv(
            RITA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/payroll-api-client-secret",
            None,
        )
        .await;
    assert_eq!(rita.codes().1.as_deref(), Some("ForbiddenByRbac"));
    assert!(rita
        .message()
        .contains("Action: 'Microsoft.KeyVault/vaults/secrets/getSecret/action'"));
    let purge = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-prod",
            "/deletedsecrets/anything",
            None,
        )
        .await;
    assert!(
        purge.message().contains("secrets/purge/action"),
        "{}",
        purge.text
    );
}

#[tokio::test]
async fn the_firewall_refuses_before_rbac() {
    let h = Harness::default();
    // Dan is Secrets Officer on kv-contoso-locked, whose firewall denies 127.0.0.1.
    for (method, rest) in [
        (Method::GET, "/secrets"),
        (Method::GET, "/secrets/break-glass-secret"),
        (Method::PUT, "/secrets/x"),
    ] {
        let r = h
            .kv(
                DAN,
                method,
                "kv-contoso-locked",
                rest,
                Some(&json!({"value": "v"})),
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN, "{rest}");
        assert_eq!(
            r.codes(),
            ("Forbidden".into(), Some("ForbiddenByFirewall".into()))
        );
        assert!(r.message().starts_with("Client address is not authorized and caller is not a trusted service.\r\nClient address: 127.0.0.1\r\n"), "{}", r.message());
        assert!(r
            .message()
            .contains("Vault: kv-contoso-locked;location=westeurope"));
    }
    let rita = h
        .kv(RITA, Method::GET, "kv-contoso-locked", "/secrets", None)
        .await;
    assert_eq!(rita.codes().1.as_deref(), Some("ForbiddenByFirewall"));
}

#[tokio::test]
async fn unknown_things_are_404() {
    let h = Harness::default();
    let missing = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/never-was",
            None,
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(missing.codes(), ("SecretNotFound".into(), None));
    let version = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/payroll-api-client-secret/0123456789abcdef0123456789abcdef",
            None,
        )
        .await;
    assert_eq!(version.status, StatusCode::NOT_FOUND);
    assert!(version
        .message()
        .contains("payroll-api-client-secret/0123456789abcdef0123456789abcdef"));
    let deleted = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/deletedsecrets/never-was",
            None,
        )
        .await;
    assert_eq!(deleted.status, StatusCode::NOT_FOUND);
    assert_eq!(deleted.codes().0, "SecretNotFound");
    let delete = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/secrets/never-was",
            None,
        )
        .await;
    assert_eq!(delete.status, StatusCode::NOT_FOUND);
    let vault = h.kv(ADA, Method::GET, "kv-nowhere", "/secrets", None).await;
    assert_eq!(vault.status, StatusCode::NOT_FOUND);
    let versions = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/never-was/versions",
            None,
        )
        .await;
    assert_eq!(versions.status, StatusCode::OK);
    assert_eq!(versions.json["value"], json!([]));
}
