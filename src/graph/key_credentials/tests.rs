use chrono::TimeZone;
use serde_json::json;

use super::*;

/// An app with two certificates as `GET …?$select=keyCredentials` returns them (the shape of
/// graph-docs application-get.md and keycredential.md), one with members the other lacks, and
/// dates written with fractions Graph keeps.
fn read_body() -> Value {
    json!({
        "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#applications(keyCredentials)/$entity",
        "keyCredentials": [
            {
                "customKeyIdentifier": "4809D6EA89A7C43F69FFAC84656F8CBCB571B1F9",
                "displayName": "CN=20221220",
                "endDateTime": "2023-12-20T15:47:20Z",
                "key": "MIIDADCCAeigAwIBAgIQHfy9G83A5Y5MrBXtWXhCKz==",
                "keyId": "f2fa7c3b-52a6-4d7a-a6a1-3a3a0cbd1d4c",
                "startDateTime": "2022-12-20T15:27:20.1234567Z",
                "type": "AsymmetricX509Cert",
                "usage": "Verify"
            },
            {
                "customKeyIdentifier": null,
                "displayName": null,
                "endDateTime": "2030-01-01T00:00:00Z",
                "key": "MIIBkTCB+wIJAK==",
                "keyId": "0b3b1c2e-1111-2222-3333-444455556666",
                "startDateTime": "2025-01-01T00:00:00Z",
                "type": "AsymmetricX509Cert",
                "usage": "Encrypt"
            }
        ]
    })
}

fn read() -> KeyCredentials {
    parse_key_credentials(&HttpResponse::new(200, read_body().to_string())).unwrap()
}

fn new_key() -> NewKey {
    NewKey {
        key: "MIIC+zCCAeOgAwIBAgIQQ==".into(),
        display_name: "CN=Onboarding Portal".into(),
        thumbprint: "0123456789ABCDEF0123456789ABCDEF01234567".into(),
        start: Utc.with_ymd_and_hms(2026, 12, 4, 12, 0, 0).unwrap(),
        end: Utc.with_ymd_and_hms(2027, 6, 2, 12, 0, 0).unwrap(),
    }
}

/// The members of an object that are not `null`.
fn stated(v: &Value) -> Map<String, Value> {
    v.as_object()
        .unwrap()
        .iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

#[test]
fn the_read_selects_key_credentials_of_the_one_app() {
    let r = get_key_credentials("https://graph.test/", "obj 1");
    assert_eq!(r.method, Method::Get);
    assert_eq!(
        r.url,
        "https://graph.test/v1.0/applications/obj%201?$select=keyCredentials"
    );
    assert_eq!(r.resource, Resource::Graph);
}

#[test]
fn the_patch_keeps_every_existing_credential_exactly_and_adds_the_new_one() {
    let all = read().with_new_key(&new_key());
    let req = patch_key_credentials("https://graph.test", "obj-1", all);
    assert_eq!(req.method, Method::Patch);
    assert_eq!(req.url, "https://graph.test/v1.0/applications/obj-1");
    let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1, "only keyCredentials");
    let sent = body["keyCredentials"].as_array().unwrap();
    assert_eq!(sent.len(), 3);
    // Every credential that was there goes back with every stated member as it was read:
    // same keyId, key, type, usage, name, identifier and the dates' very text.
    let before = read_body();
    for (was, now) in before["keyCredentials"]
        .as_array()
        .unwrap()
        .iter()
        .zip(sent)
    {
        assert_eq!(stated(was), stated(now));
    }
    assert_eq!(
        sent[0]["startDateTime"], "2022-12-20T15:27:20.1234567Z",
        "not re-formatted"
    );
    assert_eq!(
        sent[2],
        json!({
            "type": "AsymmetricX509Cert",
            "usage": "Verify",
            "key": "MIIC+zCCAeOgAwIBAgIQQ==",
            "displayName": "CN=Onboarding Portal",
            "customKeyIdentifier": "0123456789ABCDEF0123456789ABCDEF01234567",
            "startDateTime": "2026-12-04T12:00:00Z",
            "endDateTime": "2027-06-02T12:00:00Z"
        })
    );
    // An app without certificates gets just the new one.
    assert_eq!(KeyCredentials::default().with_new_key(&new_key()).len(), 1);
}

#[test]
fn removing_the_new_certificate_keeps_the_others_exactly() {
    let mut after = read();
    let all = after.with_new_key(&new_key());
    // What Graph returns after the PATCH: the new one with its keyId.
    let mut added = all[2].clone();
    added["keyId"] = json!("9e9e9e9e-0000-0000-0000-000000000001");
    after
        .0
        .push(existing_key(Members::of(&added).unwrap()).unwrap());
    assert!(after
        .find("0123456789abcdef0123456789abcdef01234567", "")
        .is_some());
    // Known by its key too, whatever form the identifier comes back in.
    assert!(after.find("", "MIIC+zCCAeOgAwIBAgIQQ==").is_some());
    assert!(after.find("00", "MA==").is_none());
    let back = after
        .without(
            "0123456789ABCDEF0123456789ABCDEF01234567",
            "MIIC+zCCAeOgAwIBAgIQQ==",
        )
        .unwrap();
    let before = read_body();
    let was = before["keyCredentials"].as_array().unwrap();
    assert_eq!(back.len(), 2);
    for (was, now) in was.iter().zip(&back) {
        assert_eq!(stated(was), stated(now));
    }
    assert_eq!(read().without("00", "MA=="), None, "nothing to remove");
}

#[test]
fn a_credential_without_its_key_is_never_sent_back() {
    // What a read without `$select=keyCredentials` returns: `key` null. Sending that back would
    // lose the certificate, so the read is refused.
    let mut body = read_body();
    body["keyCredentials"][1]["key"] = Value::Null;
    let err = parse_key_credentials(&HttpResponse::new(200, body.to_string())).unwrap_err();
    assert!(matches!(err, GraphError::Malformed { .. }), "{err:?}");
    assert!(
        format!("{err:?}").contains("keyCredentials[1].key"),
        "{err:?}"
    );
    assert!(refusal_message(&err).contains("Nothing was changed"));
    // Nor is an answer without the collection.
    let err = parse_key_credentials(&HttpResponse::new(200, "{}")).unwrap_err();
    assert!(matches!(err, GraphError::Malformed { .. }));
    // An empty collection is an app without certificates.
    let none = parse_key_credentials(&HttpResponse::new(200, r#"{"keyCredentials":[]}"#));
    assert_eq!(none.unwrap(), KeyCredentials::default());
}

#[test]
fn refusals_say_what_to_do() {
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
    );
    let e = parse_patch(&denied).unwrap_err();
    assert!(refusal_message(&e).contains("can't add certificates"));
    assert!(refusal_message(&e).contains("Application Administrator"));
    let bad = HttpResponse::new(
        400,
        r#"{"error":{"code":"Request_BadRequest","message":"Key credential end date is invalid."}}"#,
    );
    let e = parse_patch(&bad).unwrap_err();
    assert!(refusal_message(&e).contains("Key credential end date is invalid."));
    assert!(parse_patch(&HttpResponse::new(204, "")).is_ok());
}
