//! Graph writes: addPassword and removePassword with Entra's roles, the tenant lifetime policy and
//! the 2-secret cap for apps that admit personal accounts.

mod support;

use chrono::Utc;
use sandbox::identity::personas::{ADA, DAN, RITA};
use serde_json::{json, Value};
use support::*;

#[tokio::test]
async fn owner_adds_a_password_and_sees_it_only_once() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let payroll = app_of(&s.sandbox_state().await, "Payroll API");
    let id = payroll["id"].as_str().unwrap();
    let end = iso_in_days(90);

    let (status, created) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &dan,
            &json!({"passwordCredential": {"displayName": "rotation 2026-11", "endDateTime": end}}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let secret = created["secretText"].as_str().unwrap().to_owned();
    assert_eq!(secret.len(), 40);
    assert!(secret
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"~._-".contains(&b)));
    assert_eq!(created["hint"], secret[..3]);
    assert!(uuid::Uuid::parse_str(created["keyId"].as_str().unwrap()).is_ok());
    assert_eq!(created["displayName"], "rotation 2026-11");
    assert_eq!(created["endDateTime"], end);
    assert!(created["customKeyIdentifier"].is_null());
    let key_id = created["keyId"].as_str().unwrap().to_owned();

    // Never returned again by Graph...
    let (_, after) = s
        .get_json(&format!("/graph/v1.0/applications/{id}"), &dan)
        .await;
    let listed: Vec<&Value> = after["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["keyId"] == key_id)
        .collect();
    assert_eq!(listed.len(), 1);
    assert!(listed[0]["secretText"].is_null());
    assert!(!after.to_string().contains(&secret));
    // ...but the test hook shows what was issued.
    let state = s.sandbox_state().await;
    let stored = app_of(&state, "Payroll API");
    let stored = stored["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["keyId"] == key_id)
        .unwrap()
        .clone();
    assert_eq!(stored["secretText"], secret);

    // Default end: start + 2 years.
    let app_id = payroll["appId"].as_str().unwrap();
    let (status, created) = s
        .post_json(
            &format!("/graph/v1.0/applications(appId='{app_id}')/addPassword"),
            &dan,
            &json!({}),
        )
        .await;
    assert_eq!(status, 200);
    let start =
        chrono::DateTime::parse_from_rfc3339(created["startDateTime"].as_str().unwrap()).unwrap();
    let end =
        chrono::DateTime::parse_from_rfc3339(created["endDateTime"].as_str().unwrap()).unwrap();
    assert_eq!((end - start).num_days(), 730);
    assert!((Utc::now() - start.with_timezone(&Utc)).num_seconds().abs() < 60);
}

#[tokio::test]
async fn only_owners_and_application_administrators_may_manage_secrets() {
    let s = start().await;
    let state = s.sandbox_state().await;
    let payroll = app_of(&state, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let build_agent = app_of(&state, "Build Agent")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let body = json!({"passwordCredential": {"endDateTime": iso_in_days(30)}});
    let add = |id: &str| format!("/graph/v1.0/applications/{id}/addPassword");

    let rita = s.graph_token(&RITA).await;
    let (status, denied) = s.post_json(&add(&payroll), &rita, &body).await;
    assert_eq!(status, 403);
    assert_eq!(denied["error"]["code"], "Authorization_RequestDenied");
    assert_eq!(
        denied["error"]["message"],
        "Insufficient privileges to complete the operation."
    );
    assert!(denied["error"]["innerError"]["request-id"].is_string());

    let dan = s.graph_token(&DAN).await;
    let (status, _) = s.post_json(&add(&build_agent), &dan, &body).await;
    assert_eq!(status, 403, "Dan does not own Build Agent");

    let ada = s.graph_token(&ADA).await;
    let (status, _) = s.post_json(&add(&payroll), &ada, &body).await;
    assert_eq!(status, 200, "Application Administrator may add to any app");

    let (status, body) = s
        .post_json(&add("0b0b0b0b-0000-4000-8000-000000000000"), &ada, &body)
        .await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (404, Some("Request_ResourceNotFound"))
    );

    // Unchanged for Rita's attempt: only Ada's credential was added.
    let after = app_of(&s.sandbox_state().await, "Payroll API");
    assert_eq!(after["passwordCredentials"].as_array().unwrap().len(), 3);
}

#[tokio::test]
async fn tenant_policy_caps_lifetime_for_new_apps() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let restricted = app_of(&s.sandbox_state().await, "Policy Restricted Service")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{restricted}/addPassword");

    for body in [
        json!({"passwordCredential": {"endDateTime": iso_in_days(200)}}),
        json!({}),
    ] {
        let (status, refused) = s.post_json(&path, &dan, &body).await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(
            refused["error"]["code"],
            "CredentialInvalidLifetimeAsPerAppPolicy"
        );
        assert!(refused["error"]["message"].as_str().unwrap().starts_with(
            "Credential lifetime exceeds the max value allowed as per assigned policy"
        ));
        assert_eq!(refused["error"]["details"][0]["code"], "InvalidKeyEndDate");
        assert_eq!(refused["error"]["details"][0]["target"], "EndDate");
    }
    let (status, _) = s
        .post_json(
            &path,
            &dan,
            &json!({"passwordCredential": {"endDateTime": iso_in_days(179)}}),
        )
        .await;
    assert_eq!(status, 200);

    // Apps created before the policy date are exempt.
    let payroll = app_of(&s.sandbox_state().await, "Payroll API")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, _) = s
        .post_json(
            &format!("/graph/v1.0/applications/{payroll}/addPassword"),
            &dan,
            &json!({"passwordCredential": {"endDateTime": iso_in_days(700)}}),
        )
        .await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn personal_account_apps_hold_two_secrets_and_remove_password_frees_one() {
    let s = start().await;
    let ada = s.graph_token(&ADA).await;
    let mobile = app_of(&s.sandbox_state().await, "Consumer Mobile App");
    let id = mobile["id"].as_str().unwrap();
    let body = json!({"passwordCredential": {"endDateTime": iso_in_days(60)}});

    let (status, refused) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &ada,
            &body,
        )
        .await;
    // As Graph answered in Azure/azure-cli #12946.
    assert_eq!(status, 400);
    assert_eq!(refused["error"]["code"], "TooManyAppPasswords");
    assert_eq!(
        refused["error"]["message"],
        "Not allowed to add 3 passwords. You can only add a maximum of 2 passwords."
    );
    assert_eq!(
        refused["error"]["details"],
        json!([{"target": "passwordCredentials", "code": "TooManyAppPasswords"}])
    );
    assert!(refused["error"]["innerError"]["request-id"].is_string());

    let old = mobile["passwordCredentials"][0]["keyId"].as_str().unwrap();
    let remove = format!("/graph/v1.0/applications/{id}/removePassword");
    let rita = s.graph_token(&RITA).await;
    let (status, _) = s.post_json(&remove, &rita, &json!({"keyId": old})).await;
    assert_eq!(status, 403);
    let r = s
        .http
        .post(s.url(&remove))
        .bearer_auth(&ada)
        .json(&json!({"keyId": old}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    assert!(r.bytes().await.unwrap().is_empty());
    let (status, _) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &ada,
            &body,
        )
        .await;
    assert_eq!(status, 200);

    let (status, body) = s.post_json(&remove, &ada, &json!({"keyId": old})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str()),
        (400, Some("Request_BadRequest"))
    );
    let (status, _) = s
        .post_json(&remove, &ada, &json!({"keyId": "not-a-guid"}))
        .await;
    assert_eq!(status, 400);
    let (status, _) = s.post_json(&remove, &ada, &json!({})).await;
    assert_eq!(status, 400);
    let after = app_of(&s.sandbox_state().await, "Consumer Mobile App");
    assert!(after["passwordCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .all(|c| c["keyId"] != old));
}

#[tokio::test]
async fn add_password_validates_its_body() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let id = app_of(&s.sandbox_state().await, "Onboarding Portal")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/addPassword");
    let cases = [
        json!({"passwordCredential": {"endDateTime": "next tuesday"}}),
        json!({"passwordCredential": {"expires": iso_in_days(10)}}),
        json!({"passwordCredential": {"startDateTime": iso_in_days(10), "endDateTime": iso_in_days(5)}}),
        json!({"password": {}}),
        json!([1, 2]),
    ];
    for body in cases {
        let (status, refused) = s.post_json(&path, &dan, &body).await;
        assert_eq!(status, 400, "{body} -> {refused}");
        assert!(
            refused["error"]["code"]
                .as_str()
                .unwrap()
                .contains("BadRequest"),
            "{refused}"
        );
    }
    let before = app_of(&s.sandbox_state().await, "Onboarding Portal");
    assert_eq!(before["passwordCredentials"].as_array().unwrap().len(), 1);
}
