//! Graph reads: /me, directory roles, applications with OData options and paging, owners,
//! ownedObjects, error shapes and CORS.

mod support;

use sandbox::identity::personas::{ADA, DAN, RITA};
use serde_json::Value;
use support::*;

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

    // With the default consent (User.Read), directory roles come with limited information
    // (graph_roles.rs checks that); a role read permission shows them in full.
    let ada = s.graph_token(&ADA).await;
    let (_, limited) = s
        .get_json(
            "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole",
            &ada,
        )
        .await;
    assert!(limited["value"][0]["displayName"].is_null());
    let ada = sandbox::identity::tokens::issue_access_token(
        &s.state,
        &ADA,
        sandbox::identity::tokens::GRAPH_AUDIENCE,
        "User.Read RoleManagement.Read.Directory",
    );
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
            assert_eq!(page["@odata.count"], 247); // 17 demo apps + 230
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
    assert_eq!(seen.len(), 247);

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
    assert_eq!((pages, ids.len()), (3, 247));

    // Over 999: Request_UnsupportedQuery (azure-apis.md §7.4); other bad values: the generic code.
    for (bad, code) in [
        ("$top=1000", "Request_UnsupportedQuery"),
        ("$top=99999999999999999999999", "Request_UnsupportedQuery"),
        ("$top=0", "Request_BadRequest"),
        ("$top=ten", "Request_BadRequest"),
        ("$top=-1", "Request_BadRequest"),
    ] {
        let (status, body) = s
            .get_json(&format!("/graph/v1.0/applications?{bad}"), &token)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some(code)),
            "{bad}"
        );
    }
    let (status, body) = s
        .get_json("/graph/v1.0/applications?$top=1000", &token)
        .await;
    assert_eq!(status, 400);
    assert_eq!(
        body["error"]["message"],
        "Invalid page size specified: '1000'. Must be between 1 and 999 inclusive."
    );
    let (status, _) = s
        .get_json("/graph/v1.0/applications?$top=999", &token)
        .await;
    assert_eq!(status, 200);
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
