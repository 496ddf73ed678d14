//! Federated identity credentials on an application: list, create, delete with Graph's shapes,
//! the documented rules (one audience, the name rule, issuer and subject unique, at most 20) and
//! addPassword's authorisation.

mod support;

use sandbox::identity::personas::{ADA, DAN, RITA};
use serde_json::{json, Value};
use support::csdl::{assert_verbatim, Csdl};
use support::*;

const CSDL: &str = include_str!("fixtures/graph-v1.0-csdl-federated-excerpt.xml");

const GITHUB: &str = "https://token.actions.githubusercontent.com";

fn fic(name: &str, subject: &str) -> Value {
    json!({
        "name": name,
        "issuer": GITHUB,
        "subject": subject,
        "audiences": ["api://AzureADTokenExchange"],
        "description": "deploys from GitHub",
    })
}

async fn delete(s: &Running, path: &str, token: &str) -> (u16, Value) {
    let r = s
        .http
        .delete(s.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn message(body: &Value) -> &str {
    body["error"]["message"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn an_owner_creates_lists_and_deletes_one() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let id = app_of(&s.sandbox_state().await, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/federatedIdentityCredentials");

    let (status, empty) = s.get_json(&path, &dan).await;
    assert_eq!(status, 200, "{empty}");
    assert_eq!(empty["value"], json!([]));

    let (status, created) = s
        .post_json(
            &path,
            &dan,
            &fic("gh-payroll-prod", "repo:contoso/payroll:environment:prod"),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    assert!(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).is_ok());
    assert_eq!(created["name"], "gh-payroll-prod");
    assert_eq!(created["issuer"], GITHUB);
    assert_eq!(created["audiences"], json!(["api://AzureADTokenExchange"]));
    assert!(created["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with(&format!(
            "applications('{id}')/federatedIdentityCredentials/$entity"
        )));

    let (_, listed) = s.get_json(&path, &dan).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), 1);
    // Property names are the v1.0 CSDL's.
    let csdl = Csdl::parse(CSDL);
    csdl.check(&created, "federatedIdentityCredential", "created");
    csdl.check(
        &listed["value"][0],
        "federatedIdentityCredential",
        "value[0]",
    );
    assert_eq!(
        listed["value"][0]["subject"],
        "repo:contoso/payroll:environment:prod"
    );
    let state = s.sandbox_state().await;
    let held = &app_of(&state, "Payroll API")["federatedIdentityCredentials"];
    assert_eq!(held[0]["name"], "gh-payroll-prod");

    // A reader without write access may list, not delete.
    let (status, _) = delete(
        &s,
        &format!("{path}/gh-payroll-prod"),
        &s.graph_token(&RITA).await,
    )
    .await;
    assert_eq!(status, 403);
    // By name (an alternate key) or by ID.
    let (status, _) = delete(&s, &format!("{path}/gh-payroll-prod"), &dan).await;
    assert_eq!(status, 204);
    let (status, gone) = delete(
        &s,
        &format!("{path}/{}", created["id"].as_str().unwrap()),
        &dan,
    )
    .await;
    assert_eq!(status, 404, "{gone}");
    assert_eq!(error_code(&gone), "Request_ResourceNotFound");
    let (_, listed) = s.get_json(&path, &dan).await;
    assert_eq!(listed["value"], json!([]));
}

#[tokio::test]
async fn only_those_who_may_add_a_secret_may_add_one() {
    let s = start().await;
    let id = app_of(&s.sandbox_state().await, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/federatedIdentityCredentials");
    // Rita neither owns it nor holds a role over it (Ada, an Application Administrator, may).
    let (status, body) = s
        .post_json(
            &path,
            &s.graph_token(&RITA).await,
            &fic("nope", "repo:a/b:ref:refs/heads/main"),
        )
        .await;
    assert_eq!(status, 403, "{body}");
    assert_eq!(error_code(&body), "Authorization_RequestDenied");
    // A token without Application.ReadWrite.All is refused even for the owner.
    let read_only = s.graph_token_with(&DAN, "User.Read Application.Read.All");
    let (status, _) = s
        .post_json(
            &path,
            &read_only,
            &fic("nope", "repo:a/b:ref:refs/heads/main"),
        )
        .await;
    assert_eq!(status, 403);
    let state = s.sandbox_state().await;
    assert_eq!(
        app_of(&state, "Payroll API")["federatedIdentityCredentials"],
        json!([])
    );
    let (status, body) = s
        .post_json(
            &path,
            &s.graph_token(&ADA).await,
            &fic("by-ada", "repo:a/b:ref:refs/heads/main"),
        )
        .await;
    assert_eq!(status, 201, "{body}");
}

#[tokio::test]
async fn the_documented_rules_refuse_with_graphs_words() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let id = app_of(&s.sandbox_state().await, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/federatedIdentityCredentials");

    let mut two = fic("two-audiences", "repo:a/b:environment:x");
    two["audiences"] = json!(["api://AzureADTokenExchange", "other"]);
    let (status, body) = s.post_json(&path, &dan, &two).await;
    assert_eq!(
        (status, message(&body)),
        (
            400,
            "Federated identity credentials must have exactly one audience."
        )
    );

    let mut missing = fic("no-subject", "");
    missing.as_object_mut().unwrap().remove("subject");
    let (status, body) = s.post_json(&path, &dan, &missing).await;
    assert_eq!(
        (status, message(&body)),
        (
            400,
            "Federated Identity Credential from HTTP body has empty properties"
        )
    );

    for bad in ["ab", "-starts-with-dash", "has space", "dot.ted"] {
        let (status, body) = s
            .post_json(&path, &dan, &fic(bad, "repo:a/b:environment:x"))
            .await;
        assert_eq!(status, 400);
        assert_eq!(
            message(&body),
            format!("Federated Identity Credential name '{bad}' is invalid.")
        );
    }

    let mut http = fic("plain-http", "repo:a/b:environment:x");
    http["issuer"] = json!("http://token.actions.githubusercontent.com");
    let (status, _) = s.post_json(&path, &dan, &http).await;
    assert_eq!(status, 400);

    let (status, body) = s
        .post_json(&path, &dan, &fic("long", &"s".repeat(601)))
        .await;
    assert_eq!(status, 400, "{body}");
    let mut extra = fic("extra", "repo:a/b:environment:x");
    extra["id"] = json!("00000000-0000-0000-0000-000000000000");
    extra["audience"] = json!("x");
    let (status, body) = s.post_json(&path, &dan, &extra).await;
    assert_eq!(status, 400, "{body}");

    // Issuer and subject are unique on the app (Azure/azure-workload-identity #434); so is the name.
    let (status, _) = s
        .post_json(&path, &dan, &fic("first", "repo:a/b:environment:x"))
        .await;
    assert_eq!(status, 201);
    let (status, body) = s
        .post_json(&path, &dan, &fic("second", "repo:a/b:environment:x"))
        .await;
    assert_eq!(status, 400);
    assert_eq!(error_code(&body), "InvalidFederatedIdentityCredentialValue");
    assert!(message(&body)
        .starts_with("The combination of issuer and subject must be unique for the application."));
    // Matching is case-sensitive: another subject's case is another subject.
    let (status, _) = s
        .post_json(&path, &dan, &fic("third", "repo:A/B:environment:x"))
        .await;
    assert_eq!(status, 201);
    let (status, _) = s
        .post_json(&path, &dan, &fic("FIRST", "repo:a/b:environment:y"))
        .await;
    assert_eq!(status, 400, "the name is taken");
    let state = s.sandbox_state().await;
    assert_eq!(
        app_of(&state, "Payroll API")["federatedIdentityCredentials"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

#[tokio::test]
async fn twenty_is_the_most_an_app_holds() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let id = app_of(&s.sandbox_state().await, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/federatedIdentityCredentials");
    let seeded: Value = s
        .http
        .post(s.url("/_sandbox/federated"))
        .json(&json!({"app": "Payroll API", "count": 19}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(seeded["value"].as_array().unwrap().len(), 19);
    let (status, _) = s
        .post_json(&path, &dan, &fic("twentieth", "repo:a/b:environment:20"))
        .await;
    assert_eq!(status, 201);
    let (status, body) = s
        .post_json(&path, &dan, &fic("twenty-first", "repo:a/b:environment:21"))
        .await;
    assert_eq!(status, 400, "{body}");
    assert!(message(&body).contains("at most 20"));
    let (_, listed) = s.get_json(&path, &dan).await;
    assert_eq!(listed["value"].as_array().unwrap().len(), 20);
}

#[test]
fn the_csdl_excerpt_is_verbatim() {
    assert_verbatim(CSDL, 2);
}
