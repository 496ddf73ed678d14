//! Owners at scale: `$expand=owners` with a nested `$select` (at most 20 owners, no nextLink;
//! pages of at most 100 apps), `/applications/{id}/owners` paging, and JSON `$batch`.

mod support;

use sandbox::graph::directory::seed::PARTNER_INTEGRATION;
use sandbox::identity::personas::{ADA, DAN};
use sandbox::seed::Seed;
use serde_json::{json, Value};
use support::*;

const READ: &str = "User.Read Application.Read.All";

fn object_id(state: &Value, name: &str) -> String {
    state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["displayName"] == name)
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn expand_owners_is_capped_at_20_without_a_next_link_in_pages_of_100() {
    let s = start_with(|o| o.seed = Seed::Scale(250)).await;
    let ada = s.graph_token_with(&ADA, READ);
    let state = s.sandbox_state().await;
    let total = state["applications"].as_array().unwrap().len();
    let first = "/graph/v1.0/applications?$select=id,displayName&$expand=owners($select=id,displayName,userPrincipalName)&$top=999";
    let (status, page) = s.get_json(first, &ada).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(
        page["value"].as_array().unwrap().len(),
        100,
        "100 a page, whatever $top says"
    );
    let mut seen = Vec::new();
    let mut page = page;
    loop {
        for app in page["value"].as_array().unwrap() {
            seen.push(app.clone());
        }
        let Some(next) = page["@odata.nextLink"].as_str() else {
            break;
        };
        let path = next.strip_prefix(&s.base).unwrap().to_owned();
        let (status, next_page) = s.get_json(&path, &ada).await;
        assert_eq!(status, 200);
        assert!(next_page["value"].as_array().unwrap().len() <= 100);
        page = next_page;
    }
    assert_eq!(seen.len(), total, "every app once");
    let partner = seen
        .iter()
        .find(|a| a["displayName"] == PARTNER_INTEGRATION)
        .unwrap();
    let owners = partner["owners"].as_array().unwrap();
    assert_eq!(owners.len(), 20, "24 owners, 20 expanded");
    assert!(partner.get("owners@odata.nextLink").is_none());
    assert_eq!(owners[0]["displayName"], "Dev Dan");
    assert_eq!(owners[0]["@odata.type"], "#microsoft.graph.user");
    let mut keys: Vec<&String> = owners[0].as_object().unwrap().keys().collect();
    keys.sort();
    assert_eq!(
        keys,
        ["@odata.type", "displayName", "id", "userPrincipalName"]
    );
    let legacy = seen
        .iter()
        .find(|a| a["displayName"] == "Legacy Reporting")
        .unwrap();
    assert_eq!(legacy["owners"], json!([]), "no owners: an empty list");
    let with_sp = seen
        .iter()
        .find(|a| a["displayName"] == "Filler App 0011")
        .unwrap();
    assert_eq!(
        with_sp["owners"][0]["@odata.type"],
        "#microsoft.graph.servicePrincipal"
    );
    assert_eq!(with_sp["owners"][0]["displayName"], "Payroll Worker");
    assert!(with_sp["owners"][0].get("userPrincipalName").is_none());

    // Without $expand the page size is $top's again.
    let (_, plain) = s
        .get_json("/graph/v1.0/applications?$select=id&$top=999", &ada)
        .await;
    assert_eq!(plain["value"].as_array().unwrap().len(), total);
    assert!(plain["value"][0].get("owners").is_none());

    // Refused: another relationship, a nested $filter, an unknown property.
    for bad in [
        "$expand=appManagementPolicies",
        "$expand=owners($filter=id eq 'x')",
        "$expand=owners($select=shoeSize)",
    ] {
        let (status, body) = s
            .get_json(&format!("/graph/v1.0/applications?{bad}"), &ada)
            .await;
        assert_eq!(
            (status, body["error"]["code"].as_str()),
            (400, Some("BadRequest")),
            "{bad}"
        );
    }
}

#[tokio::test]
async fn owners_list_pages_and_selects() {
    let s = start().await;
    let ada = s.graph_token_with(&ADA, READ);
    let partner = object_id(&s.sandbox_state().await, PARTNER_INTEGRATION);
    let mut path = format!(
        "/graph/v1.0/applications/{partner}/owners?$select=id,displayName,userPrincipalName&$top=10"
    );
    let mut owners = Vec::new();
    loop {
        let (status, page) = s.get_json(&path, &ada).await;
        assert_eq!(status, 200, "{page}");
        owners.extend(page["value"].as_array().unwrap().iter().cloned());
        match page["@odata.nextLink"].as_str() {
            Some(next) => path = next.strip_prefix(&s.base).unwrap().to_owned(),
            None => break,
        }
    }
    assert_eq!(owners.len(), 24);
    let names: Vec<&str> = owners
        .iter()
        .map(|o| o["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(&names[..2], ["Dev Dan", "Ada Admin"]);
    assert_eq!(names[2], "Contoso Owner 01");
    assert_eq!(names[23], "Payroll Worker");
    assert_eq!(
        owners[23]["@odata.type"],
        "#microsoft.graph.servicePrincipal"
    );
    let (status, body) = s
        .get_json(
            &format!("/graph/v1.0/applications/{partner}/owners?$select=shoeSize"),
            &ada,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );
    // Unchanged: the plain list, as the wizard's Review reads it.
    let (_, all) = s
        .get_json(&format!("/graph/v1.0/applications/{partner}/owners"), &ada)
        .await;
    assert_eq!(all["value"].as_array().unwrap().len(), 24);
    assert_eq!(all["value"][0]["jobTitle"], "Software Engineer");
}

#[tokio::test]
async fn batch_runs_up_to_20_requests_each_as_if_alone() {
    let s = start().await;
    let ada = s.graph_token_with(&ADA, READ);
    let state = s.sandbox_state().await;
    let partner = object_id(&state, PARTNER_INTEGRATION);
    let payroll = object_id(&state, "Payroll API");
    let owners_of = |id: &str, rid: &str| {
        json!({"id": rid, "method": "GET",
               "url": format!("/applications/{id}/owners?$select=id,displayName&$top=999")})
    };

    let (status, body) = s
        .post_json(
            "/graph/v1.0/$batch",
            &ada,
            &json!({"requests": [owners_of(&partner, "p"), owners_of(&payroll, "1"),
                {"id": "me", "method": "GET", "url": "me?$select=displayName"}]}),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let responses = body["responses"].as_array().unwrap();
    let by_id = |id: &str| responses.iter().find(|r| r["id"] == id).unwrap().clone();
    assert_eq!(by_id("p")["status"], 200);
    assert_eq!(by_id("p")["body"]["value"].as_array().unwrap().len(), 24);
    assert_eq!(by_id("1")["body"]["value"][0]["displayName"], "Dev Dan");
    assert_eq!(by_id("me")["body"]["displayName"], "Ada Admin");
    assert!(by_id("me")["headers"]["request-id"].is_string());

    // 20 is the limit; 21 fails the whole batch.
    let twenty: Vec<Value> = (0..20)
        .map(|i| owners_of(&payroll, &i.to_string()))
        .collect();
    let (status, body) = s
        .post_json("/graph/v1.0/$batch", &ada, &json!({ "requests": twenty }))
        .await;
    assert_eq!(
        (status, body["responses"].as_array().map(Vec::len)),
        (200, Some(20))
    );
    let many: Vec<Value> = (0..21)
        .map(|i| owners_of(&payroll, &i.to_string()))
        .collect();
    let (status, body) = s
        .post_json("/graph/v1.0/$batch", &ada, &json!({ "requests": many }))
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("BadRequest"))
    );

    // Authorisation per request: with User.Read only, /me works and the owners are refused.
    let user_read = s.graph_token_with(&DAN, "User.Read");
    let (status, body) = s
        .post_json(
            "/graph/v1.0/$batch",
            &user_read,
            &json!({"requests": [owners_of(&payroll, "o"), {"id": "me", "method": "GET", "url": "/me"}]}),
        )
        .await;
    assert_eq!(status, 200);
    let status_of = |id: &str| {
        body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()["status"]
            .clone()
    };
    assert_eq!((status_of("o"), status_of("me")), (json!(403), json!(200)));
    // No token at all: the batch itself is refused.
    let (status, _) = s
        .post_json(
            "/graph/v1.0/$batch",
            "not-a-token",
            &json!({"requests": []}),
        )
        .await;
    assert_eq!(status, 401);

    // Throttling per request: a 429 armed for one app's owners hits that request only, and a
    // request that depends on it fails with 424.
    assert_eq!(
        s.add_fault(
            &json!({"method": "GET", "path": format!("/graph/v1.0/applications/{partner}/owners"),
            "status": 429, "headers": {"Retry-After": "3"}})
        )
        .await,
        201
    );
    let (status, body) = s
        .post_json(
            "/graph/v1.0/$batch",
            &ada,
            &json!({"requests": [owners_of(&partner, "p"), owners_of(&payroll, "1"),
                {"id": "after", "method": "GET", "url": "/me", "dependsOn": ["p"]}]}),
        )
        .await;
    assert_eq!(status, 200);
    let find = |id: &str| {
        body["responses"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == id)
            .unwrap()
            .clone()
    };
    assert_eq!(find("p")["status"], 429);
    assert_eq!(find("p")["headers"]["retry-after"], "3");
    assert_eq!(find("1")["status"], 200);
    assert_eq!(find("after")["status"], 424);
}
