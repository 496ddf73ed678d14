//! Graph reads: /me, directory roles, applications with OData options and paging, owners,
//! ownedObjects, error shapes and CORS.

mod support;

use sandbox::personas::{ADA, DAN, RITA};
use serde_json::Value;
use support::*;

fn names(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["displayName"].as_str().unwrap().to_owned())
        .collect()
}

fn app_id_of(state: &Value, name: &str) -> (String, String) {
    let app = state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["displayName"] == name)
        .unwrap();
    (
        app["id"].as_str().unwrap().to_owned(),
        app["appId"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn me_and_roles() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let (status, me) = s.get_json("/graph/v1.0/me", &dan).await;
    assert_eq!(status, 200);
    assert_eq!(me["id"], DAN.oid);
    assert_eq!(me["userPrincipalName"], "dan@contoso.example");
    assert_eq!(
        me["@odata.context"],
        format!("{}/graph/v1.0/$metadata#users/$entity", s.base)
    );

    let (_, me) = s
        .get_json("/graph/v1.0/me?$select=displayName,mail", &dan)
        .await;
    let keys: Vec<&String> = me
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| !k.starts_with('@'))
        .collect();
    assert_eq!(keys, ["displayName", "mail"]);
    let (status, body) = s.get_json("/graph/v1.0/me?$select=shoeSize", &dan).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );

    let ada = s.graph_token(&ADA).await;
    let (_, roles) = s
        .get_json(
            "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole",
            &ada,
        )
        .await;
    assert_eq!(
        roles["value"][0]["displayName"],
        "Application Administrator"
    );
    assert_eq!(
        roles["value"][0]["roleTemplateId"],
        "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3"
    );
    let (_, roles) = s
        .get_json(
            "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole",
            &dan,
        )
        .await;
    assert_eq!(roles["value"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn applications_list_pages_and_counts() {
    let s = start_with(|o| o.seed = sandbox::seed::Seed::Scale(230)).await;
    let token = s.graph_token(&RITA).await;
    let (status, first) = s.get_json("/graph/v1.0/applications", &token).await;
    assert_eq!(status, 200);
    assert_eq!(
        first["@odata.context"],
        format!("{}/graph/v1.0/$metadata#applications", s.base)
    );
    assert_eq!(
        first["value"].as_array().unwrap().len(),
        100,
        "default page size"
    );
    assert!(
        first.get("@odata.count").is_none(),
        "$count needs ConsistencyLevel"
    );

    // Follow nextLink verbatim with $top and $count.
    let mut url = s.url("/graph/v1.0/applications?$select=id,displayName&$top=999&$count=true");
    let mut seen = Vec::new();
    let mut pages = 0;
    loop {
        let r = s
            .http
            .get(&url)
            .bearer_auth(&token)
            .header("ConsistencyLevel", "eventual")
            .send()
            .await
            .unwrap();
        let page: Value = r.json().await.unwrap();
        if pages == 0 {
            assert_eq!(page["@odata.count"], 246);
        } else {
            assert!(page.get("@odata.count").is_none());
        }
        seen.extend(
            page["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match page["@odata.nextLink"].as_str() {
            Some(next) => {
                assert!(
                    next.starts_with(&s.url("/graph/v1.0/applications?")),
                    "{next}"
                );
                assert!(next.contains("$skiptoken="), "{next}");
                url = next.to_owned();
            }
            None => break,
        }
    }
    assert_eq!(pages, 1);
    assert_eq!(seen.len(), 246);

    let mut url = s.url("/graph/v1.0/applications?$top=100");
    let mut ids = std::collections::HashSet::new();
    let mut pages = 0;
    while pages < 10 {
        let (_, page) = s.get_json(url.trim_start_matches(&s.base), &token).await;
        ids.extend(
            page["value"]
                .as_array()
                .unwrap()
                .iter()
                .map(|a| a["id"].as_str().unwrap().to_owned()),
        );
        pages += 1;
        match page["@odata.nextLink"].as_str() {
            Some(next) => url = next.to_owned(),
            None => break,
        }
    }
    assert_eq!((pages, ids.len()), (3, 246));

    for bad in ["$top=1000", "$top=0", "$top=ten"] {
        let (status, body) = s
            .get_json(&format!("/graph/v1.0/applications?{bad}"), &token)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("Request_BadRequest")),
            "{bad}"
        );
    }
    let (status, _) = s
        .get_json("/graph/v1.0/applications?$skiptoken=garbage", &token)
        .await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn filters_search_and_select() {
    let s = start().await;
    let token = s.graph_token(&DAN).await;
    let state = s.sandbox_state().await;
    let (_, payroll_app_id) = app_id_of(&state, "Payroll API");

    let (_, page) = s
        .get_json(
            "/graph/v1.0/applications?$filter=startsWith(displayName,'pay')",
            &token,
        )
        .await;
    assert_eq!(names(&page), ["Payroll API"]);
    let (_, page) = s
        .get_json(
            &format!("/graph/v1.0/applications?$filter=appId eq '{payroll_app_id}'"),
            &token,
        )
        .await;
    assert_eq!(names(&page), ["Payroll API"]);
    let (_, page) = s
        .get_json(
            "/graph/v1.0/applications?$filter=displayName eq 'Mail Relay'",
            &token,
        )
        .await;
    assert_eq!(names(&page), ["Mail Relay"]);
    let (status, body) = s
        .get_json(
            "/graph/v1.0/applications?$filter=signInAudience eq 'AzureADMyOrg'",
            &token,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_UnsupportedQuery"))
    );

    let search = "/graph/v1.0/applications?$search=\"displayName:widget\"";
    let (status, body) = s.get_json(search, &token).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_UnsupportedQuery"))
    );
    let r = s
        .http
        .get(s.url(search))
        .bearer_auth(&token)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    let page: Value = r.json().await.unwrap();
    assert_eq!(names(&page), ["<img src=x onerror=alert(1)> Widget"]);

    let (_, page) = s
        .get_json("/graph/v1.0/applications?$select=id,displayName", &token)
        .await;
    assert_eq!(
        page["@odata.context"],
        format!(
            "{}/graph/v1.0/$metadata#applications(id,displayName)",
            s.base
        )
    );
    for item in page["value"].as_array().unwrap() {
        assert_eq!(item.as_object().unwrap().len(), 2, "{item}");
    }
    // Certificate bytes only when keyCredentials is selected.
    let (_, page) = s
        .get_json(
            "/graph/v1.0/applications?$filter=displayName eq 'Build Agent'",
            &token,
        )
        .await;
    assert!(page["value"][0]["keyCredentials"][0]["key"].is_null());
    assert!(page["value"][0]["passwordCredentials"]
        .as_array()
        .unwrap()
        .is_empty());
    let (_, page) =
        s.get_json("/graph/v1.0/applications?$filter=displayName eq 'Build Agent'&$select=id,keyCredentials", &token).await;
    assert!(page["value"][0]["keyCredentials"][0]["key"].is_string());
    let (status, body) = s
        .get_json("/graph/v1.0/applications?$select=bogus", &token)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );
}

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
    assert!(
        exposed.contains("request-id") && exposed.contains("retry-after"),
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
