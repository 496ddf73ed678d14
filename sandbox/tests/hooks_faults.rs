//! Test hooks (`/_sandbox/…`, loopback only) and fault injection.

mod support;

use std::net::SocketAddr;
use std::time::Instant;

use axum::body::Body;
use axum::extract::ConnectInfo;
use http_body_util::BodyExt;
use sandbox::identity::personas::{CLIENT_ID, DAN, TENANT_ID};
use serde_json::{json, Value};
use support::*;
use tower::ServiceExt;

fn payroll_path(state: &Value) -> (String, usize) {
    let app = state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["displayName"] == "Payroll API")
        .unwrap();
    (
        format!(
            "/graph/v1.0/applications/{}/addPassword",
            app["id"].as_str().unwrap()
        ),
        app["passwordCredentials"].as_array().unwrap().len(),
    )
}

#[tokio::test]
async fn health_state_and_reset() {
    let s = start().await;
    let health = s.hook_json("health").await;
    assert_eq!(health["status"], "ok");

    let state = s.sandbox_state().await;
    assert_eq!(state["tenantId"], TENANT_ID);
    assert_eq!(state["clientId"], CLIENT_ID);
    assert!(state["applications"].as_array().unwrap().len() >= 15);
    assert!(state["vaults"].is_array() || state["vaults"].is_object());
    let (path, before) = payroll_path(&state);
    assert!(
        state["applications"][0]["passwordCredentials"][0]["secretText"]
            .as_str()
            .unwrap()
            .len()
            == 40
    );

    let dan = s.graph_token(&DAN).await;
    let (status, _) = s
        .post_json(&path, &dan, &json!({"passwordCredential": {}}))
        .await;
    assert_eq!(status, 200);
    assert_eq!(payroll_path(&s.sandbox_state().await).1, before + 1);
    assert_eq!(
        s.add_fault(&json!({"path": "/graph/**", "status": 500}))
            .await,
        201
    );

    let r = s.http.post(s.url("/_sandbox/reset")).send().await.unwrap();
    assert_eq!(r.status(), 200);
    let state = s.sandbox_state().await;
    assert_eq!(payroll_path(&state).1, before);
    assert_eq!(
        state["faults"].as_array().unwrap().len(),
        0,
        "reset clears faults"
    );
    // Tokens issued before the reset still work.
    let (status, _) = s.get_json("/graph/v1.0/me", &dan).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_429_with_retry_after_then_success() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let (path, before) = payroll_path(&s.sandbox_state().await);
    let throttled =
        json!({"error": {"code": "TooManyRequests", "message": "Please retry again later."}});
    let fault = json!({
        "method": "POST", "path": "/graph/v1.0/applications/*/addPassword", "count": 1,
        "status": 429, "body": throttled, "headers": {"Retry-After": "1"}
    });
    assert_eq!(s.add_fault(&fault).await, 201);

    let r = s
        .http
        .post(s.url(&path))
        .bearer_auth(&dan)
        .header("origin", APP_ORIGIN)
        .json(&json!({"passwordCredential": {}}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 429);
    assert_eq!(r.headers()["retry-after"], "1");
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        APP_ORIGIN,
        "faulted answers keep CORS"
    );
    assert!(r.headers().contains_key("request-id"));
    assert_eq!(r.json::<Value>().await.unwrap(), throttled);
    assert_eq!(
        payroll_path(&s.sandbox_state().await).1,
        before,
        "a 429 changes nothing"
    );

    let (status, _) = s
        .post_json(&path, &dan, &json!({"passwordCredential": {}}))
        .await;
    assert_eq!(status, 200, "count 1: the next call goes through");
}

#[tokio::test]
async fn a_dropped_response_still_creates_the_credential() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let (path, before) = payroll_path(&s.sandbox_state().await);
    let fault = json!({"method": "POST", "path": "/graph/v1.0/applications/*/addPassword", "dropAfterAction": true});
    assert_eq!(s.add_fault(&fault).await, 201);

    let fresh = reqwest::Client::new();
    let result = fresh
        .post(s.url(&path))
        .bearer_auth(&dan)
        .json(&json!({"passwordCredential": {"displayName": "lost"}}))
        .send()
        .await;
    let error = result.expect_err("the connection must close without a response");
    assert!(!error.is_status() && !error.is_timeout(), "{error:?}");

    let state = s.sandbox_state().await;
    let (_, after) = payroll_path(&state);
    assert_eq!(after, before + 1, "the action ran");
    let app = state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["displayName"] == "Payroll API")
        .unwrap();
    let lost = app["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["displayName"] == "lost")
        .unwrap();
    assert_eq!(lost["secretText"].as_str().unwrap().len(), 40);
    assert!(state["faults"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn latency_headers_globs_and_counts() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    assert_eq!(s.add_fault(&json!({"method": "GET", "path": "/graph/v1.0/me", "latencyMs": 300, "headers": {"x-sandbox-fault": "slow"}})).await, 201);
    let t = Instant::now();
    let r = s
        .http
        .get(s.url("/graph/v1.0/me"))
        .bearer_auth(&dan)
        .send()
        .await
        .unwrap();
    assert!(t.elapsed().as_millis() >= 300);
    assert_eq!(r.status(), 200, "no status: the handler answers");
    assert_eq!(r.headers()["x-sandbox-fault"], "slow");

    assert_eq!(
        s.add_fault(
            &json!({"method": "GET", "path": "/graph/**", "count": 2, "status": 503, "body": null})
        )
        .await,
        201
    );
    let listed = s.hook_json("faults").await;
    assert_eq!(listed[0]["count"], 2);
    for _ in 0..2 {
        let r = s
            .http
            .get(s.url("/graph/v1.0/applications?$top=1"))
            .bearer_auth(&dan)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 503);
        assert!(r.bytes().await.unwrap().is_empty());
    }
    let (status, _) = s.get_json("/graph/v1.0/me", &dan).await;
    assert_eq!(status, 200);

    // The identity endpoints are covered too.
    assert_eq!(s.add_fault(&json!({"method": "POST", "path": format!("/{TENANT_ID}/oauth2/v2.0/token"), "status": 503})).await, 201);
    let (code, verifier) = s.code_for(&DAN, GRAPH_SCOPE).await;
    let r = s
        .http
        .post(s.token_url())
        .header("origin", APP_ORIGIN)
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
    assert_eq!(r.status(), 503);

    assert_eq!(
        s.add_fault(&json!({"path": "/graph/**", "status": 500}))
            .await,
        201
    );
    let r = s
        .http
        .delete(s.url("/_sandbox/faults"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let (status, _) = s.get_json("/graph/v1.0/me", &dan).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn invalid_faults_are_refused() {
    let s = start().await;
    for bad in [
        json!({"path": "graph"}),
        json!({"path": "/x", "status": 42}),
        json!({"path": "/x", "count": 0}),
        json!({"path": "/x", "statusCode": 500}),
        json!({"path": "/x", "status": 500, "dropAfterAction": true}),
    ] {
        assert_eq!(s.add_fault(&bad).await, 400, "{bad}");
    }
    let listed = s.hook_json("faults").await;
    assert_eq!(listed, json!([]));
}

#[tokio::test]
async fn hooks_refuse_non_loopback_peers() {
    let s = start().await;
    let app = sandbox::router(s.state.clone());
    let call = |peer: Option<SocketAddr>| {
        let mut req = axum::http::Request::post("/_sandbox/reset")
            .body(Body::empty())
            .unwrap();
        if let Some(peer) = peer {
            req.extensions_mut().insert(ConnectInfo(peer));
        }
        app.clone().oneshot(req)
    };
    let remote = call(Some("10.1.2.3:50000".parse().unwrap())).await.unwrap();
    assert_eq!(remote.status(), 403);
    let body: Value =
        serde_json::from_slice(&remote.into_body().collect().await.unwrap().to_bytes()).unwrap();
    assert_eq!(body["error"]["code"], "SandboxHookRefused");
    assert_eq!(call(None).await.unwrap().status(), 403);
    assert_eq!(
        call(Some("[::1]:50000".parse().unwrap()))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(
        call(Some("127.0.0.1:50000".parse().unwrap()))
            .await
            .unwrap()
            .status(),
        200
    );
}
