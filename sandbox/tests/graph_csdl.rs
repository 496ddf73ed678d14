//! The sandbox's Graph property names are those of the official v1.0 CSDL (a verbatim excerpt is
//! kept in tests/fixtures so this runs on a clean checkout).

mod support;

use sandbox::identity::personas::{ADA, DAN};
use serde_json::json;
use support::csdl::{self, Csdl};
use support::*;

const EXCERPT: &str = include_str!("fixtures/graph-v1.0-csdl-excerpt.xml");

#[tokio::test]
async fn graph_responses_use_csdl_property_names() {
    let csdl = Csdl::parse(EXCERPT);
    let s = start().await;
    let ada = s.graph_token(&ADA).await;
    let dan = s.graph_token(&DAN).await;

    let (_, apps) = s.get_json("/graph/v1.0/applications", &ada).await;
    let apps = apps["value"].as_array().unwrap().clone();
    assert!(apps.len() >= 15);
    for app in &apps {
        csdl.check(app, "application", "applications[]");
    }
    let build_agent = apps
        .iter()
        .find(|a| a["displayName"] == "Build Agent")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, one) = s
        .get_json(
            &format!("/graph/v1.0/applications/{build_agent}?$select=id,keyCredentials"),
            &ada,
        )
        .await;
    assert!(one["keyCredentials"][0]["key"].is_string());
    csdl.check(&one, "application", "application");

    let payroll = apps
        .iter()
        .find(|a| a["displayName"] == "Payroll API")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, created) = s
        .post_json(
            &format!("/graph/v1.0/applications/{payroll}/addPassword"),
            &dan,
            &json!({"passwordCredential": {}}),
        )
        .await;
    assert_eq!(status, 200);
    csdl.check(&created, "passwordCredential", "addPassword");

    let (_, me) = s.get_json("/graph/v1.0/me", &dan).await;
    csdl.check(&me, "user", "me");
    let (_, owners) = s
        .get_json(&format!("/graph/v1.0/applications/{payroll}/owners"), &dan)
        .await;
    for o in owners["value"].as_array().unwrap() {
        csdl.check(o, "user", "owners[]");
    }
    let (_, roles) = s
        .get_json(
            "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole",
            &ada,
        )
        .await;
    assert!(!roles["value"].as_array().unwrap().is_empty());
    for r in roles["value"].as_array().unwrap() {
        csdl.check(r, "directoryRole", "memberOf[]");
    }
}

#[test]
fn the_checker_catches_a_wrong_name() {
    let csdl = Csdl::parse(EXCERPT);
    let wrong = json!({"displayName": "x", "passwordCredentials": [{"keyID": "typo"}]});
    let result = std::panic::catch_unwind(|| csdl.check(&wrong, "application", "app"));
    assert!(result.is_err());
}

/// When the full CSDL is next to the repository (../shared), the excerpt must still match it.
#[test]
fn excerpt_is_verbatim() {
    csdl::assert_verbatim(EXCERPT, 15);
}
