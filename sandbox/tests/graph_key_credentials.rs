//! `PATCH /applications/{id}` with `keyCredentials`: the collection replaced as a whole, each new
//! certificate parsed, each existing one kept only when sent back unchanged with its `key`, and
//! `key` read only with `$select=keyCredentials` on the one app (graph::key_credentials cites
//! the sources). The fixture is a real self-signed certificate (openssl, 100 years).

mod support;

use base64::Engine;
use sandbox::identity::personas::{DAN, RITA};
use serde_json::{json, Value};
use support::*;

const CERT: &[u8] = include_bytes!("fixtures/key-credential-test.der");
const THUMBPRINT: &str = "CE307F6CBDF0806878E9F4399B3AD3FBC5C4DF18";

fn key() -> String {
    base64::engine::general_purpose::STANDARD.encode(CERT)
}

fn new_cert() -> Value {
    json!({
        "type": "AsymmetricX509Cert",
        "usage": "Verify",
        "key": key(),
        "displayName": "CN=sandbox key credential test",
        "startDateTime": "2027-01-01T00:00:00Z",
        "endDateTime": "2027-07-01T00:00:00Z"
    })
}

async fn patch(s: &Running, id: &str, token: &str, body: &Value) -> (u16, Value) {
    let r = s
        .http
        .patch(s.url(&format!("/graph/v1.0/applications/{id}")))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let text = r.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn with_keys(s: &Running, id: &str, token: &str) -> Vec<Value> {
    let (status, body) = s
        .get_json(
            &format!("/graph/v1.0/applications/{id}?$select=keyCredentials"),
            token,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body["keyCredentials"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_certificate_is_added_by_sending_the_whole_collection_back() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let app = app_of(&s.sandbox_state().await, "Onboarding Portal");
    let id = app["id"].as_str().unwrap();
    // An earlier certificate, through the hook.
    let seeded = s
        .http
        .post(s.url("/_sandbox/key-credentials"))
        .json(&json!({"app": "Onboarding Portal", "displayName": "CN=earlier"}))
        .send()
        .await
        .unwrap();
    assert_eq!(seeded.status(), 200);
    let before = with_keys(&s, id, &dan).await;
    assert_eq!(before.len(), 1);
    assert!(before[0]["key"].is_string(), "key with $select on one app");

    let mut all = before.clone();
    all.push(new_cert());
    let (status, body) = patch(&s, id, &dan, &json!({ "keyCredentials": all })).await;
    assert_eq!(status, 204, "{body}");
    let after = with_keys(&s, id, &dan).await;
    assert_eq!(after.len(), 2);
    assert_eq!(after[0], before[0], "the earlier one unchanged");
    let added = &after[1];
    assert_eq!(added["key"], key());
    assert_eq!(added["type"], "AsymmetricX509Cert");
    assert_eq!(added["usage"], "Verify");
    assert_eq!(added["displayName"], "CN=sandbox key credential test");
    assert_eq!(added["startDateTime"], "2027-01-01T00:00:00Z");
    // customKeyIdentifier omitted: the certificate's thumbprint (keycredential.md).
    assert_eq!(added["customKeyIdentifier"], THUMBPRINT);
    assert!(uuid::Uuid::parse_str(added["keyId"].as_str().unwrap()).is_ok());

    // Without $select (or on a list) `key` is null.
    let (_, plain) = s
        .get_json(&format!("/graph/v1.0/applications/{id}"), &dan)
        .await;
    assert!(plain["keyCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .all(|k| k["key"].is_null()));

    // Removing: the collection without it.
    let (status, _) = patch(
        &s,
        id,
        &dan,
        &json!({ "keyCredentials": [after[0].clone()] }),
    )
    .await;
    assert_eq!(status, 204);
    assert_eq!(with_keys(&s, id, &dan).await, before);
}

#[tokio::test]
async fn the_patch_is_refused_rather_than_guessed() {
    let s = start().await;
    let dan = s.graph_token(&DAN).await;
    let app = app_of(&s.sandbox_state().await, "Build Agent");
    let id = app["id"].as_str().unwrap();
    // Build Agent is Ada's: Dan may read it but not change its credentials.
    let held = with_keys(&s, id, &dan).await;
    assert_eq!(held.len(), 1);
    let (status, body) = patch(&s, id, &dan, &json!({"keyCredentials": held})).await;
    assert_eq!(status, 403, "{body}");

    let onboarding = app_of(&s.sandbox_state().await, "Onboarding Portal");
    let id = onboarding["id"].as_str().unwrap();
    let refused = |body: Value| {
        let s = &s;
        let dan = dan.clone();
        async move {
            let (status, answer) = patch(s, id, &dan, &body).await;
            assert_eq!(status, 400, "{body} → {answer}");
            answer["error"]["message"].as_str().unwrap().to_owned()
        }
    };
    // Not a certificate.
    let mut junk = new_cert();
    junk["key"] = json!("c2FuZGJveA==");
    assert!(refused(json!({"keyCredentials": [junk]}))
        .await
        .contains("X.509"));
    // A usage Graph doesn't accept (msgraph-sdk-java #1823).
    let mut usage = new_cert();
    usage["usage"] = json!("Encrypt");
    assert!(refused(json!({"keyCredentials": [usage]}))
        .await
        .contains("Acceptable values are Sign, Verify"));
    // Dates outside the certificate's validity.
    let mut early = new_cert();
    early["startDateTime"] = json!("2020-01-01T00:00:00Z");
    assert!(refused(json!({"keyCredentials": [early]}))
        .await
        .contains("validity"));
    // Secrets go through addPassword (MicrosoftDocs/azure-docs #59275).
    assert!(refused(json!({"passwordCredentials": []}))
        .await
        .contains("service actions"));
    // The collection isn't nullable.
    refused(json!({"keyCredentials": null})).await;

    // An existing certificate sent back without its key, or changed, is refused; it stays.
    s.http
        .post(s.url("/_sandbox/key-credentials"))
        .json(&json!({"app": "Onboarding Portal", "displayName": "CN=earlier"}))
        .send()
        .await
        .unwrap();
    let held = with_keys(&s, id, &dan).await;
    let mut keyless = held[0].clone();
    keyless["key"] = Value::Null;
    assert!(refused(json!({"keyCredentials": [keyless, new_cert()]}))
        .await
        .contains("Update to existing credential with KeyId is not allowed"));
    let mut renamed = held[0].clone();
    renamed["displayName"] = json!("CN=renamed");
    refused(json!({"keyCredentials": [renamed]})).await;
    assert_eq!(with_keys(&s, id, &dan).await, held);

    // Someone without Application.ReadWrite.All in the token.
    let rita = s.graph_token_with(&RITA, "User.Read Application.Read.All");
    let (status, _) = patch(&s, id, &rita, &json!({"keyCredentials": held})).await;
    assert_eq!(status, 403);
}
