//! The data plane's responses checked against ../shared/specs/keyvault-7.5 (schemas and example
//! shapes), and the schema checker's own tests.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use support::harness::{Harness, ADA, DAN};
use support::swagger::{missing_shape, Spec};

const KV: &str = "keyvault-7.5";

fn example(name: &str) -> Value {
    Spec::example(KV, name, "200")
}

fn assert_shape(example_name: &str, actual: &Value) {
    let missing = missing_shape(&example(example_name), actual);
    assert!(
        missing.is_empty(),
        "{example_name}: {missing:?} in {actual:#}"
    );
}

#[tokio::test]
async fn every_secret_operation_answers_in_the_spec_shapes() {
    let h = Harness::default();
    let spec = Spec::load(KV);
    let body = json!({"value": "first-value", "contentType": "text/plain",
                      "tags": {"CredentialId": "x"}, "attributes": {"enabled": true, "exp": 1893456000}});

    let set = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/schema-check",
            Some(&body),
        )
        .await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.text);
    spec.assert_valid("secrets.json", "SecretBundle", &set.json);
    assert_shape("SetSecret-example.json", &set.json);
    let id = set.json["id"].as_str().unwrap();
    let version = id.rsplit('/').next().unwrap();
    assert!(id.starts_with("http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/schema-check/"));
    assert!(
        version.len() == 32
            && version
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    );
    assert_eq!(
        set.json["attributes"]["recoveryLevel"],
        "Recoverable+Purgeable"
    );
    assert_eq!(set.json["attributes"]["recoverableDays"], 90);

    let get = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            &format!("/secrets/schema-check/{version}"),
            None,
        )
        .await;
    spec.assert_valid("secrets.json", "SecretBundle", &get.json);
    assert_shape("GetSecret-example.json", &get.json);

    h.kv(
        DAN,
        Method::PUT,
        "kv-contoso-dev",
        "/secrets/schema-check",
        Some(&json!({"value": "second"})),
    )
    .await;
    let list = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets?maxresults=1",
            None,
        )
        .await;
    spec.assert_valid("secrets.json", "SecretListResult", &list.json);
    assert_shape("GetSecrets-example.json", &list.json);
    // The first page of versions is empty with a nextLink (azure-sdk-for-go #10711); every page
    // is a SecretListResult, and the first one with an item has the example's shape.
    let pages = h
        .kv_pages(
            DAN,
            "kv-contoso-dev",
            "/secrets/schema-check/versions?maxresults=1",
        )
        .await;
    assert_eq!(pages[0].json["value"], json!([]));
    for page in &pages {
        spec.assert_valid("secrets.json", "SecretListResult", &page.json);
    }
    assert_shape("GetSecretVersions-example.json", &pages[1].json);
    let last = h
        .kv_pages(DAN, "kv-contoso-dev", "/secrets/schema-check/versions")
        .await;
    assert_eq!(last.len(), 2, "an empty page, then every version");
    spec.assert_valid("secrets.json", "SecretListResult", &last[1].json);
    assert!(last[1].json["nextLink"].is_null());

    let patch = json!({"contentType": "application/x-pkcs12", "attributes": {"enabled": false}});
    let updated = h
        .kv(
            DAN,
            Method::PATCH,
            "kv-contoso-dev",
            &format!("/secrets/schema-check/{version}"),
            Some(&patch),
        )
        .await;
    assert_eq!(updated.status, StatusCode::OK, "{}", updated.text);
    spec.assert_valid("secrets.json", "SecretBundle", &updated.json);

    let deleted = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/secrets/schema-check",
            None,
        )
        .await;
    spec.assert_valid("secrets.json", "DeletedSecretBundle", &deleted.json);
    assert_shape("DeleteSecret-example.json", &deleted.json);
    let got = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/deletedsecrets/schema-check",
            None,
        )
        .await;
    spec.assert_valid("secrets.json", "DeletedSecretBundle", &got.json);
    assert_shape("GetDeletedSecret-example.json", &got.json);
    let listed = h
        .kv(DAN, Method::GET, "kv-contoso-dev", "/deletedsecrets", None)
        .await;
    spec.assert_valid("secrets.json", "DeletedSecretListResult", &listed.json);
    assert_eq!(
        listed.json["value"].as_array().unwrap().len(),
        2,
        "{}",
        listed.text
    );

    let recovered = h
        .kv(
            DAN,
            Method::POST,
            "kv-contoso-dev",
            "/deletedsecrets/schema-check/recover",
            None,
        )
        .await;
    spec.assert_valid("secrets.json", "SecretBundle", &recovered.json);
    assert_shape("RecoverDeletedSecret-example.json", &recovered.json);

    h.kv(
        DAN,
        Method::DELETE,
        "kv-contoso-dev",
        "/secrets/schema-check",
        None,
    )
    .await;
    let purged = h
        .kv(
            DAN,
            Method::DELETE,
            "kv-contoso-dev",
            "/deletedsecrets/schema-check",
            None,
        )
        .await;
    assert_eq!(purged.status, StatusCode::NO_CONTENT);
    assert!(purged.text.is_empty());
}

#[tokio::test]
async fn errors_fit_the_error_schemas() {
    let h = Harness::default();
    let spec = Spec::load(KV);
    let replies = [
        h.kv(
            ADA,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/no-such-secret",
            None,
        )
        .await,
        h.kv(
            ADA,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/legacy-reporting-secret",
            Some(&json!({"value": "v"})),
        )
        .await,
        h.kv(DAN, Method::GET, "kv-contoso-locked", "/secrets", None)
            .await,
        h.call(
            Method::GET,
            "/kv/kv-contoso-dev/secrets?api-version=7.5",
            None,
            None,
        )
        .await,
    ];
    for reply in &replies {
        assert!(reply.status.is_client_error(), "{}", reply.text);
        spec.assert_valid("secrets.json", "KeyVaultError", &reply.json);
        spec.assert_valid(
            "secrets.json",
            "Azure.Core.Foundations.ErrorResponse",
            &reply.json,
        );
    }
}
#[test]
fn the_spec_examples_fit_their_schemas() {
    let kv = Spec::load("keyvault-7.5");
    let ex = |name| Spec::example("keyvault-7.5", name, "200");
    kv.assert_valid(
        "secrets.json",
        "SecretBundle",
        &ex("SetSecret-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "SecretBundle",
        &ex("GetSecret-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "SecretBundle",
        &ex("RecoverDeletedSecret-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "SecretListResult",
        &ex("GetSecrets-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "SecretListResult",
        &ex("GetSecretVersions-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "DeletedSecretBundle",
        &ex("DeleteSecret-example.json"),
    );
    kv.assert_valid(
        "secrets.json",
        "DeletedSecretBundle",
        &ex("GetDeletedSecret-example.json"),
    );

    let arm = Spec::load("keyvault-arm-2025-05-01");
    let ex = |name, status| Spec::example("keyvault-arm-2025-05-01", name, status);
    arm.assert_valid(
        "keyvault.json",
        "VaultListResult",
        &ex("listVaultBySubscription.json", "200"),
    );
    arm.assert_valid("secrets.json", "Secret", &ex("createSecret.json", "201"));
    arm.assert_valid("secrets.json", "Secret", &ex("updateSecret.json", "200"));
}

#[test]
fn renamed_mistyped_and_missing_fields_are_caught() {
    let kv = Spec::load("keyvault-7.5");
    let good = Spec::example("keyvault-7.5", "GetSecret-example.json", "200");

    let mut renamed = good.clone();
    let attributes = renamed["attributes"].as_object_mut().unwrap();
    let created = attributes.remove("created").unwrap();
    attributes.insert("createdOn".into(), created);
    let errors = kv.check("secrets.json", "SecretBundle", &renamed);
    assert_eq!(
        errors,
        ["$.attributes.createdOn: the schema declares no such property"]
    );

    let mut mistyped = good.clone();
    mistyped["attributes"]["updated"] = Value::from("2017-05-04T22:53:30Z");
    assert_eq!(kv.check("secrets.json", "SecretBundle", &mistyped).len(), 1);

    let mut bad_enum = good.clone();
    bad_enum["attributes"]["recoveryLevel"] = Value::from("Recoverable+Sometimes");
    assert_eq!(kv.check("secrets.json", "SecretBundle", &bad_enum).len(), 1);

    let mut tags = good;
    tags["tags"] = serde_json::json!({"a": 1});
    assert_eq!(
        kv.check("secrets.json", "SecretBundle", &tags),
        ["$.tags.a: expected string, found 1"]
    );

    let arm = Spec::load("keyvault-arm-2025-05-01");
    let mut vaults = Spec::example(
        "keyvault-arm-2025-05-01",
        "listVaultBySubscription.json",
        "200",
    );
    vaults["value"][0]
        .as_object_mut()
        .unwrap()
        .remove("properties");
    vaults["value"][0]["systemData"]["createdAt"] = Value::from("yesterday");
    let errors = arm.check("keyvault.json", "VaultListResult", &vaults);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e.contains("required property 'properties'")));
}

#[test]
fn shapes_compare_by_key_paths() {
    let example = serde_json::json!({"a": {"b": 1, "c": [{"d": true}]}, "e": "x"});
    let same = serde_json::json!({"a": {"b": 2, "c": [{"d": false, "z": 1}]}, "e": "y", "f": 0});
    assert!(missing_shape(&example, &same).is_empty());
    let other = serde_json::json!({"a": {"b": "2", "c": [{}]}});
    assert_eq!(
        missing_shape(&example, &other),
        [
            "$.a.b: number in the example, string here",
            "$.a.c[].d",
            "$.e"
        ]
    );
}
