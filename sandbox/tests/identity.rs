//! The identity endpoints: discovery, authorize, token (code + PKCE, refresh), logout, CORS, and
//! the token checks every service applies; `wids` in tokens only with `--wids`.

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sandbox::graph::directory::roles::{
    APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, MEMBER_ROLE_TEMPLATE,
};
use sandbox::identity::personas::{ADA, CLIENT_ID, DAN, GINA, RORY, SAM, TENANT_ID};
use sandbox::identity::tokens::{ARM_AUDIENCE, GRAPH_AUDIENCE};
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn discovery_documents_point_at_the_sandbox() {
    let s = start().await;
    let config: Value = s
        .http
        .get(s.url(&format!(
            "/{TENANT_ID}/v2.0/.well-known/openid-configuration"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(config["issuer"], format!("{}/{TENANT_ID}/v2.0", s.base));
    assert_eq!(config["token_endpoint"], s.token_url());
    assert_eq!(config["authorization_endpoint"], s.authorize_url());
    let jwks: Value = s
        .http
        .get(config["jwks_uri"].as_str().unwrap())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(jwks["keys"][0]["kid"], s.state.keys.kid());
    assert_eq!(jwks["keys"][0]["kty"], "RSA");

    let unknown = s
        .http
        .get(s.url("/not-a-tenant/v2.0/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 400);
    let body: Value = unknown.json().await.unwrap();
    assert_eq!(body["error_codes"][0], 90002);
}

#[tokio::test]
async fn sign_in_page_lists_the_personas() {
    let page = start().await.sign_in_page().await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains("Sign in to the secret-wizard sandbox"));
    for name in [
        "Ada Admin",
        "Dev Dan",
        "Rita Reader",
        "ada@contoso.example",
        "Application Administrator",
    ] {
        assert!(html.contains(name), "{name} missing");
    }
    // The form carries the request back, escaped.
    assert!(html.contains("name=\"code_challenge\""));
}

#[tokio::test]
async fn the_sign_in_page_lists_the_new_personas() {
    let page = start().await.sign_in_page().await.text().await.unwrap();
    for who in [GINA, RORY, SAM] {
        assert!(
            page.contains(who.name) && page.contains(who.upn),
            "{}",
            who.name
        );
    }
}

#[tokio::test]
async fn code_with_pkce_yields_tokens_entra_style() {
    let s = start().await;
    let body = s.sign_in(&DAN, GRAPH_SCOPE).await;
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(body["ext_expires_in"], 3600);
    let scope = body["scope"].as_str().unwrap();
    assert!(
        scope.contains("https://graph.microsoft.com/Application.ReadWrite.All"),
        "{scope}"
    );
    assert!(
        scope.contains("https://graph.microsoft.com/.default"),
        "{scope}"
    );
    assert!(body["refresh_token"].as_str().is_some_and(|t| t.len() > 40));

    let access = claims(body["access_token"].as_str().unwrap());
    assert_eq!(access["aud"], GRAPH_AUDIENCE);
    assert_eq!(access["iss"], format!("{}/{TENANT_ID}/v2.0", s.base));
    assert_eq!(
        (access["oid"].as_str(), access["tid"].as_str()),
        (Some(DAN.oid), Some(TENANT_ID))
    );
    assert_eq!(access["name"], "Dev Dan");
    assert_eq!(access["preferred_username"], "dan@contoso.example");
    assert_eq!(access["scp"], "Application.ReadWrite.All User.Read");
    assert_eq!(access["ver"], "2.0");
    // No `wids` unless the registration asks (groupMembershipClaims; graph_roles.rs, `--wids`).
    assert!(access.get("wids").is_none() && access["sub"].is_string());
    assert_eq!(
        access["exp"].as_i64().unwrap() - access["iat"].as_i64().unwrap(),
        3600
    );
    let header: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(
                body["access_token"]
                    .as_str()
                    .unwrap()
                    .split('.')
                    .next()
                    .unwrap(),
            )
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (header["alg"].as_str(), header["kid"].as_str()),
        (Some("RS256"), Some(s.state.keys.kid()))
    );

    let id = claims(body["id_token"].as_str().unwrap());
    assert_eq!(id["aud"], CLIENT_ID);
    assert_eq!(id["nonce"], "n-0S6_WzA2Mj");
    let info: Value = serde_json::from_slice(
        &URL_SAFE_NO_PAD
            .decode(body["client_info"].as_str().unwrap())
            .unwrap(),
    )
    .unwrap();
    assert_eq!(
        (info["uid"].as_str(), info["utid"].as_str()),
        (Some(DAN.oid), Some(TENANT_ID))
    );

    let (status, me) = s
        .get_json("/graph/v1.0/me", body["access_token"].as_str().unwrap())
        .await;
    assert_eq!((status, me["displayName"].as_str()), (200, Some("Dev Dan")));
}

#[tokio::test]
async fn wrong_verifier_reused_code_and_wrong_client_are_refused() {
    let s = start().await;
    let (code, verifier) = s.code_for(&DAN, GRAPH_SCOPE).await;

    let (status, body) = s
        .redeem(
            &code,
            "a-verifier-that-does-not-match-the-challenge-at-all",
            GRAPH_SCOPE,
        )
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
    assert_eq!(body["error_codes"][0], 501481);
    assert!(
        body["trace_id"].is_string()
            && body["correlation_id"].is_string()
            && body["timestamp"].is_string()
    );

    let (status, _) = s.redeem(&code, &verifier, GRAPH_SCOPE).await;
    assert_eq!(status, 200);
    let (status, body) = s.redeem(&code, &verifier, GRAPH_SCOPE).await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (400, Some(54005))
    );

    let (code, verifier) = s.code_for(&DAN, GRAPH_SCOPE).await;
    let (status, body) = s
        .token_request(&[
            ("client_id", "11111111-2222-3333-4444-555555555555"),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", REDIRECT_URI),
            ("scope", GRAPH_SCOPE),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    assert_eq!(body["error_codes"][0], 700016);

    let (status, body) = s
        .token_request(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", "http://127.0.0.1:8080/other.html"),
            ("scope", GRAPH_SCOPE),
        ])
        .await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (400, Some(500112))
    );

    let (status, body) = s
        .token_request(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", "made-up"),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn token_endpoint_needs_a_cross_origin_request() {
    let s = start().await;
    let (code, verifier) = s.code_for(&DAN, GRAPH_SCOPE).await;
    let r = s
        .http
        .post(s.token_url())
        .form(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("code_verifier", &verifier),
            ("redirect_uri", REDIRECT_URI),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["error_codes"][0], 9002327);
}

#[tokio::test]
async fn refresh_tokens_switch_resources_one_at_a_time() {
    let s = start().await;
    let signed_in = s.sign_in(&DAN, GRAPH_SCOPE).await;
    let arm = s
        .token_for(
            &signed_in,
            "https://management.azure.com/user_impersonation",
        )
        .await;
    assert_eq!(claims(&arm)["aud"], ARM_AUDIENCE);
    assert_eq!(claims(&arm)["scp"], "user_impersonation");
    let vault = s
        .token_for(
            &signed_in,
            "https://vault.azure.net/.default openid profile offline_access",
        )
        .await;
    assert_eq!(claims(&vault)["aud"], "https://vault.azure.net");

    let rt = signed_in["refresh_token"].as_str().unwrap();
    let (status, body) = s
        .token_request(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            (
                "scope",
                "https://graph.microsoft.com/.default https://vault.azure.net/.default",
            ),
        ])
        .await;
    assert_eq!(
        (status, body["error_codes"][0].as_u64()),
        (400, Some(28000))
    );
    let (status, body) = s
        .token_request(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", "forged"),
            ("scope", "User.Read"),
        ])
        .await;
    assert_eq!(
        (status, body["error"].as_str()),
        (400, Some("invalid_grant"))
    );
}

#[tokio::test]
async fn tokens_carry_wids_only_when_asked() {
    let s = start().await;
    let body = s.sign_in(&ADA, GRAPH_SCOPE).await;
    for t in ["access_token", "id_token"] {
        let c = claims(body[t].as_str().unwrap());
        assert!(c.get("wids").is_none(), "{t} without --wids: {c}");
    }

    let s = start_with(|o| o.wids = true).await;
    let body = s.sign_in(&ADA, GRAPH_SCOPE).await;
    for t in ["access_token", "id_token"] {
        let c = claims(body[t].as_str().unwrap());
        assert_eq!(
            c["wids"],
            json!([APPLICATION_ADMINISTRATOR, MEMBER_ROLE_TEMPLATE]),
            "{t}"
        );
    }
    let body = s.sign_in(&GINA, GRAPH_SCOPE).await;
    assert_eq!(
        claims(body["id_token"].as_str().unwrap())["wids"][0],
        GLOBAL_ADMINISTRATOR
    );
    // A custom role through a group, and an app-scoped role, are not tenant-wide built-in roles.
    for who in [RORY, SAM] {
        let body = s.sign_in(&who, GRAPH_SCOPE).await;
        assert_eq!(
            claims(body["access_token"].as_str().unwrap())["wids"],
            json!([MEMBER_ROLE_TEMPLATE]),
            "{}",
            who.name
        );
    }
}
