//! Identity: authorize errors, silent sign-in and logout, token-endpoint CORS, and the token
//! checks every service applies (shown at Graph).

mod support;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sandbox::identity::keys::SigningKeys;
use sandbox::identity::personas::{ADA, DAN, TENANT_ID};
use sandbox::identity::tokens::{self, GRAPH_AUDIENCE};
use serde_json::Value;
use support::*;

#[tokio::test]
async fn authorize_refuses_bad_requests_like_entra() {
    let s = start().await;
    let p = pkce();
    let base = s.authorize_params(&p.challenge, GRAPH_SCOPE);
    let with = |key: &str, value: Option<&str>| -> Vec<(String, String)> {
        let mut params: Vec<(String, String)> =
            base.iter().filter(|(k, _)| k != key).cloned().collect();
        if let Some(v) = value {
            params.push((key.into(), v.into()));
        }
        params
    };
    let get = |params: Vec<(String, String)>| s.http.get(s.authorize_url()).query(&params).send();

    // Not safe to redirect: an error page, no Location.
    let r = get(with(
        "client_id",
        Some("11111111-2222-3333-4444-555555555555"),
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(r.text().await.unwrap().contains("AADSTS700016"));
    let r = get(with(
        "redirect_uri",
        Some("https://evil.example/redirect.html"),
    ))
    .await
    .unwrap();
    assert_eq!(r.status(), 400);
    assert!(r.headers().get("location").is_none());
    assert!(r.text().await.unwrap().contains("AADSTS50011"));

    // Redirected back with error and error_description.
    let cases = [
        (with("code_challenge", None), "invalid_request"),
        (
            with("code_challenge_method", Some("plain")),
            "invalid_request",
        ),
        (
            with("response_type", Some("token")),
            "unsupported_response_type",
        ),
        (
            with("scope", Some("https://example.com/.default")),
            "invalid_scope",
        ),
        (with("scope", None), "invalid_request"),
        (with("prompt", Some("none")), "login_required"),
    ];
    for (params, expected) in cases {
        let r = get(params).await.unwrap();
        assert_eq!(r.status(), 302);
        let location = r.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with(&format!("{REDIRECT_URI}#")),
            "{location}"
        );
        let reply = location_params(location);
        assert_eq!(reply["error"], expected, "{location}");
        assert!(
            reply["error_description"].starts_with("AADSTS"),
            "{location}"
        );
        assert_eq!(reply["state"], "opaque-state");
    }

    // Cancel on the sign-in page.
    let mut form = base.clone();
    form.push(("cancel".into(), "1".into()));
    let r = s
        .http
        .post(s.authorize_url())
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(
        location_params(r.headers()["location"].to_str().unwrap())["error"],
        "access_denied"
    );

    // response_mode=query puts the code in the query.
    let r = s.pick(&with("response_mode", Some("query")), &ADA).await;
    let location = r.headers()["location"].to_str().unwrap();
    assert!(
        location.starts_with(&format!("{REDIRECT_URI}?code=")),
        "{location}"
    );
}

#[tokio::test]
async fn silent_sign_in_uses_the_session_and_logout_ends_it() {
    let s = start().await;
    let p = pkce();
    let params = s.authorize_params(&p.challenge, GRAPH_SCOPE);
    let r = s.pick(&params, &ADA).await;
    let cookie = r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .split(';')
        .next()
        .unwrap()
        .to_owned();

    let mut silent = params.clone();
    silent.push(("prompt".into(), "none".into()));
    let r = s
        .http
        .get(s.authorize_url())
        .query(&silent)
        .header("cookie", &cookie)
        .send()
        .await
        .unwrap();
    let reply = location_params(r.headers()["location"].to_str().unwrap());
    let (status, body) = s.redeem(&reply["code"], &p.verifier, GRAPH_SCOPE).await;
    assert_eq!(status, 200);
    assert_eq!(
        claims(body["access_token"].as_str().unwrap())["oid"],
        ADA.oid
    );

    let logout = format!("/{TENANT_ID}/oauth2/v2.0/logout");
    let r = s
        .http
        .get(s.url(&logout))
        .query(&[("post_logout_redirect_uri", REDIRECT_URI)])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 302);
    assert_eq!(r.headers()["location"], REDIRECT_URI);
    assert!(r.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .contains("Max-Age=0"));
    let r = s
        .http
        .get(s.url(&logout))
        .query(&[("post_logout_redirect_uri", "https://evil.example/")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    assert!(r.text().await.unwrap().contains("You have signed out"));
}

#[tokio::test]
async fn token_endpoint_answers_cors_for_the_app_origin_only() {
    let s = start().await;
    let preflight = |origin: &'static str| {
        s.http
            .request(reqwest::Method::OPTIONS, s.token_url())
            .header("origin", origin)
            .header("access-control-request-method", "POST")
            .header("access-control-request-headers", "content-type")
            .send()
    };
    let ok = preflight(APP_ORIGIN).await.unwrap();
    assert_eq!(ok.headers()["access-control-allow-origin"], APP_ORIGIN);
    let other = preflight("https://evil.example").await.unwrap();
    assert!(other.headers().get("access-control-allow-origin").is_none());
}

async fn graph_refusal(s: &Running, token: &str) -> (u16, Value, String) {
    let r = s
        .http
        .get(s.url("/graph/v1.0/me"))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let request_id = r.headers()["request-id"].to_str().unwrap().to_owned();
    (status, r.json().await.unwrap(), request_id)
}

#[tokio::test]
async fn graph_refuses_wrong_audience_bad_signature_and_expired_tokens() {
    let s = start().await;
    let signed_in = s.sign_in(&DAN, GRAPH_SCOPE).await;
    let arm = s
        .token_for(&signed_in, "https://management.azure.com/.default")
        .await;

    let now = chrono::Utc::now().timestamp();
    let claims_now = tokens::access_claims(&s.state, &DAN, GRAPH_AUDIENCE, "User.Read", now, 3600);
    let other_key = SigningKeys::generate().sign_jwt_with_kid(&claims_now, s.state.keys.kid());
    let good = s.state.keys.sign_jwt(&claims_now);
    let mut tampered_claims = claims_now.clone();
    tampered_claims["oid"] = ADA.oid.into();
    let mut parts: Vec<String> = good.split('.').map(str::to_owned).collect();
    parts[1] = URL_SAFE_NO_PAD.encode(tampered_claims.to_string());
    let tampered = parts.join(".");
    let expired = s.state.keys.sign_jwt(&tokens::access_claims(
        &s.state,
        &DAN,
        GRAPH_AUDIENCE,
        "User.Read",
        now - 7200,
        3600,
    ));

    let cases = [
        (arm.as_str(), "Invalid audience"),
        (other_key.as_str(), "Invalid signature"),
        (tampered.as_str(), "Invalid signature"),
        (expired.as_str(), "expired"),
        ("not-a-jwt", "malformed"),
    ];
    for (token, message) in cases {
        let (status, body, request_id) = graph_refusal(&s, token).await;
        assert_eq!(status, 401, "{message}");
        assert_eq!(body["error"]["code"], "InvalidAuthenticationToken");
        assert!(
            body["error"]["message"].as_str().unwrap().contains(message),
            "{body}"
        );
        assert_eq!(body["error"]["innerError"]["request-id"], request_id);
        assert!(body["error"]["innerError"]["date"].is_string());
    }
    let (status, _, _) = graph_refusal(&s, &good).await;
    assert_eq!(status, 200);
    let r = s.http.get(s.url("/graph/v1.0/me")).send().await.unwrap();
    assert_eq!(r.status(), 401);
    assert!(r.headers().contains_key("www-authenticate"));
}
