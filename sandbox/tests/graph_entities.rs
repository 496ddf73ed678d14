//! Graph: one application, owners, ownedObjects, scopes, headers, errors and CORS.

mod support;

use sandbox::identity::personas::{ADA, DAN, RITA};
use support::*;

#[tokio::test]
async fn single_application_owners_and_owned_objects() {
    let s = start().await;
    let token = s.graph_token(&DAN).await;
    let state = s.sandbox_state().await;
    let (id, app_id) = app_id_of(&state, "Payroll API");

    let (status, app) = s
        .get_json(&format!("/graph/v1.0/applications/{id}"), &token)
        .await;
    assert_eq!(status, 200);
    assert_eq!(
        app["@odata.context"],
        format!("{}/graph/v1.0/$metadata#applications/$entity", s.base)
    );
    assert_eq!(app["appId"], app_id);
    let creds = app["passwordCredentials"].as_array().unwrap();
    assert_eq!(creds.len(), 2);
    assert!(creds
        .iter()
        .all(|c| c["secretText"].is_null() && c["hint"].as_str().unwrap().len() == 3));

    for path in [
        format!("/graph/v1.0/applications(appId='{app_id}')"),
        format!("/graph/v1.0/applications(appId=%27{app_id}%27)"),
    ] {
        let (status, by_key) = s
            .get_json(&format!("{path}?$select=id,displayName"), &token)
            .await;
        assert_eq!(
            (status, by_key["id"].as_str()),
            (200, Some(id.as_str())),
            "{path}"
        );
    }
    let (status, body) = s
        .get_json("/graph/v1.0/applications/not-a-guid", &token)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_BadRequest"))
    );
    let missing = "0b0b0b0b-0000-4000-8000-000000000000";
    let (status, body) = s
        .get_json(&format!("/graph/v1.0/applications/{missing}"), &token)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("Request_ResourceNotFound"))
    );
    assert!(body["error"]["message"].as_str().unwrap().contains(missing));
    let (status, _) = s
        .get_json("/graph/v1.0/applications(appId='nope')", &token)
        .await;
    assert_eq!(status, 404);

    let (_, owners) = s
        .get_json(&format!("/graph/v1.0/applications/{id}/owners"), &token)
        .await;
    assert_eq!(owners["value"][0]["@odata.type"], "#microsoft.graph.user");
    assert_eq!(
        owners["value"][0]["userPrincipalName"],
        "dan@contoso.example"
    );

    let (_, owned) = s
        .get_json(
            "/graph/v1.0/me/ownedObjects/microsoft.graph.application?$select=id,displayName&$top=2",
            &token,
        )
        .await;
    assert_eq!(names(&owned), ["Payroll API", "Onboarding Portal"]);
    let next = owned["@odata.nextLink"].as_str().unwrap();
    let (_, rest) = s.get_json(next.trim_start_matches(&s.base), &token).await;
    assert_eq!(names(&rest).len(), 2);
    let rita = s.graph_token(&RITA).await;
    let (_, owned) = s
        .get_json(
            "/graph/v1.0/me/ownedObjects/microsoft.graph.application",
            &rita,
        )
        .await;
    assert!(owned["value"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn scopes_limit_what_a_token_may_read() {
    let s = start().await;
    let body = s
        .sign_in(&ADA, "User.Read openid profile offline_access")
        .await;
    let token = body["access_token"].as_str().unwrap();
    let (status, _) = s.get_json("/graph/v1.0/me", token).await;
    assert_eq!(status, 200);
    let (status, body) = s.get_json("/graph/v1.0/applications", token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (403, Some("Authorization_RequestDenied"))
    );
    assert_eq!(
        body["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
}

#[tokio::test]
async fn graph_headers_errors_and_cors() {
    let s = start().await;
    let token = s.graph_token(&DAN).await;
    let r = s
        .http
        .get(s.url("/graph/v1.0/me"))
        .bearer_auth(&token)
        .header("client-request-id", "7d3f0a5c-1111-4222-8333-944445555666")
        .header("origin", "https://any.example")
        .send()
        .await
        .unwrap();
    assert_eq!(
        r.headers()["client-request-id"],
        "7d3f0a5c-1111-4222-8333-944445555666"
    );
    assert!(uuid::Uuid::parse_str(r.headers()["request-id"].to_str().unwrap()).is_ok());
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://any.example"
    );
    let exposed = r.headers()["access-control-expose-headers"]
        .to_str()
        .unwrap()
        .to_owned();
    // Graph does not expose Retry-After (microsoft-graph-docs-contrib #2011, #17488).
    assert!(
        exposed.contains("request-id") && !exposed.contains("retry-after"),
        "{exposed}"
    );

    let preflight = s
        .http
        .request(
            reqwest::Method::OPTIONS,
            s.url("/graph/v1.0/applications/x/addPassword"),
        )
        .header("origin", "https://any.example")
        .header("access-control-request-method", "POST")
        .header(
            "access-control-request-headers",
            "authorization,content-type,consistencylevel,client-request-id",
        )
        .send()
        .await
        .unwrap();
    assert!(preflight.status().is_success());
    assert_eq!(
        preflight.headers()["access-control-allow-origin"],
        "https://any.example"
    );
    let allowed = preflight.headers()["access-control-allow-headers"]
        .to_str()
        .unwrap()
        .to_lowercase();
    for h in [
        "authorization",
        "content-type",
        "consistencylevel",
        "client-request-id",
    ] {
        assert!(allowed.contains(h), "{allowed}");
    }

    // Errors carry the CORS headers too, so the browser can read them.
    let r = s
        .http
        .get(s.url("/graph/v1.0/me"))
        .header("origin", "https://any.example")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 401);
    assert_eq!(
        r.headers()["access-control-allow-origin"],
        "https://any.example"
    );

    let (status, body) = s.get_json("/graph/v1.0/users", &token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );
    assert!(body["error"]["innerError"]["request-id"].is_string());
}
