//! `POST /_sandbox/renewals` (a test hook, `hooks/renewals.rs`): many apps whose one secret is
//! about to expire, each with its vault copy tagged as secret-wizard tags it; what Ada Admin then
//! sees through Graph and ARM, and may write.

mod support;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use sandbox::identity::tokens::{issue_access_token, GRAPH_AUDIENCE};
use serde_json::{json, Value};
use support::harness::{self, Harness, Reply, ADA, ARM_KV_API, BASE};

async fn renewals(h: &Harness, body: Value) -> Reply {
    h.call(Method::POST, "/_sandbox/renewals", None, Some(&body))
        .await
}

async fn state(h: &Harness) -> Value {
    h.call(Method::GET, "/_sandbox/state", None, None)
        .await
        .json
}

fn dev_vault(state: &Value) -> &Value {
    state["vaults"]["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-dev")
        .unwrap()
}

fn iso_days_from_now(iso: &str) -> i64 {
    let t = chrono::DateTime::parse_from_rfc3339(iso).unwrap();
    (t.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours() / 24
}

#[tokio::test]
async fn seeds_apps_credentials_and_tagged_vault_copies() {
    let h = Harness::default();
    let before = state(&h).await["applications"].as_array().unwrap().len();
    let reply = renewals(&h, json!({"count": 200})).await;
    assert_eq!(reply.status, StatusCode::CREATED, "{}", reply.text);
    let listed = reply.json["apps"].as_array().unwrap();
    assert_eq!(listed.len(), 200);
    assert_eq!(listed[0]["displayName"], "Renewal test 001");
    assert_eq!(listed[0]["vaultSecret"], "renewal-test-001");
    assert_eq!(listed[199]["displayName"], "Renewal test 200");

    let s = state(&h).await;
    let apps = s["applications"].as_array().unwrap();
    assert_eq!(apps.len(), before + 200);
    let secrets: BTreeMap<String, Value> = dev_vault(&s)["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| (x["name"].as_str().unwrap().to_owned(), x.clone()))
        .collect();
    for item in listed {
        let app = apps
            .iter()
            .find(|a| a["id"] == item["id"])
            .expect("the listed app exists");
        assert_eq!(app["appId"], item["appId"]);
        assert_eq!(app["displayName"], item["displayName"]);
        assert_eq!(app["owners"], json!([harness::DAN.oid]));
        let creds = app["passwordCredentials"].as_array().unwrap();
        assert_eq!(creds.len(), 1, "one credential");
        let c = &creds[0];
        assert_eq!(c["keyId"], item["keyId"]);
        assert_eq!(
            iso_days_from_now(c["startDateTime"].as_str().unwrap()),
            -345
        );
        let end = c["endDateTime"].as_str().unwrap();
        assert_eq!(
            iso_days_from_now(end),
            19,
            "ends in 20 days (less a moment)"
        );
        assert!(c["displayName"]
            .as_str()
            .unwrap()
            .starts_with("Created by dan@contoso.example on "));

        let secret = &secrets[item["vaultSecret"].as_str().unwrap()];
        let versions = secret["versions"].as_array().unwrap();
        assert_eq!(versions.len(), 1, "one version");
        let v = &versions[0];
        assert_eq!(
            v["value"], c["secretText"],
            "the vault holds the credential's value"
        );
        let tags = &v["tags"];
        assert_eq!(tags["CredentialId"], item["keyId"]);
        assert_eq!(tags["ClientId"], item["appId"]);
        assert_eq!(tags["AppObjectId"], item["id"]);
        assert_eq!(tags["ProviderAddress"], item["id"]);
        assert_eq!(tags["AppDisplayName"], item["displayName"]);
        assert_eq!(tags["ValidityPeriodDays"], "365");
        assert_eq!(tags["CreatedWith"], "secret-wizard");
        let end = chrono::DateTime::parse_from_rfc3339(end)
            .unwrap()
            .timestamp();
        assert_eq!(v["attributes"]["exp"], end);
    }
    let ids: BTreeSet<_> = listed.iter().map(|a| a["id"].to_string()).collect();
    let keys: BTreeSet<_> = listed.iter().map(|a| a["keyId"].to_string()).collect();
    assert_eq!((ids.len(), keys.len()), (200, 200), "distinct IDs");

    // Deterministic: after a reset the same call gives the same IDs.
    h.call(Method::POST, "/_sandbox/reset", None, None).await;
    let again = renewals(&h, json!({"count": 200})).await;
    assert_eq!(again.json["apps"][17]["id"], listed[17]["id"]);
    assert_eq!(again.json["apps"][17]["keyId"], listed[17]["keyId"]);
}

#[tokio::test]
async fn a_second_call_with_the_same_names_is_refused_and_creates_nothing() {
    let h = Harness::default();
    assert_eq!(
        renewals(&h, json!({"count": 3})).await.status,
        StatusCode::CREATED
    );
    let before = state(&h).await;
    let again = renewals(&h, json!({"count": 5})).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.text);
    assert_eq!(again.json["error"]["code"], "SandboxHookRefused");
    let after = state(&h).await;
    assert_eq!(after["applications"], before["applications"]);
    assert_eq!(
        dev_vault(&after)["secrets"].as_array().unwrap().len(),
        dev_vault(&before)["secrets"].as_array().unwrap().len()
    );
    // Another prefix, vault and lifetime are fine.
    let other = renewals(
        &h,
        json!({"count": 2, "prefix": "Bench B", "vault": "kv-contoso-prod", "expiresInDays": -3}),
    )
    .await;
    assert_eq!(other.status, StatusCode::CREATED, "{}", other.text);
    assert_eq!(other.json["apps"][1]["vaultSecret"], "bench-b-002");

    for (body, status) in [
        (
            json!({"count": 1, "vault": "kv-nowhere"}),
            StatusCode::NOT_FOUND,
        ),
        (json!({"count": 0}), StatusCode::BAD_REQUEST),
        (
            json!({"count": 1, "colour": "red"}),
            StatusCode::BAD_REQUEST,
        ),
        (json!({"prefix": "x"}), StatusCode::BAD_REQUEST),
    ] {
        let r = renewals(&h, body.clone()).await;
        assert_eq!(r.status, status, "{body}: {}", r.text);
    }
}

#[tokio::test]
async fn ada_sees_every_hook_app_and_secret_and_may_write_the_vault_through_arm() {
    let h = Harness::default();
    let listed = renewals(&h, json!({"count": 200})).await.json["apps"]
        .as_array()
        .unwrap()
        .clone();

    // Graph: Ada (Application Administrator) lists them all, with their credential.
    let graph = issue_access_token(
        &h.sandbox,
        &ADA,
        GRAPH_AUDIENCE,
        "Application.ReadWrite.All",
    );
    let page = h
        .call(
            Method::GET,
            "/graph/v1.0/applications?$select=id,displayName,passwordCredentials&$top=999",
            Some(&graph),
            None,
        )
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.text);
    let seen: BTreeMap<String, usize> = page.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["id"].as_str().unwrap().to_owned(),
                a["passwordCredentials"].as_array().unwrap().len(),
            )
        })
        .collect();
    for a in &listed {
        assert_eq!(seen.get(a["id"].as_str().unwrap()), Some(&1), "{a}");
    }

    // ARM: the vault's secrets, 25 a page, all within the app's 20-page scan.
    let list = format!("{}/secrets", harness::dev_vault_id());
    let mut pages = vec![h.arm(ADA, Method::GET, &list, ARM_KV_API, None).await];
    while let Some(next) = pages.last().unwrap().json["nextLink"].as_str() {
        let path = next.strip_prefix(BASE).unwrap().to_owned();
        assert!(pages.len() < 50, "runaway paging");
        let token = h.arm_token(ADA);
        pages.push(h.call(Method::GET, &path, Some(&token), None).await);
    }
    assert!(pages.iter().all(|p| p.status == StatusCode::OK));
    assert!(pages.len() <= 20, "{} pages", pages.len());
    let names: BTreeSet<String> = pages
        .iter()
        .flat_map(|p| p.json["value"].as_array().unwrap().clone())
        .map(|s| s["name"].as_str().unwrap().to_owned())
        .collect();
    for a in &listed {
        assert!(names.contains(a["vaultSecret"].as_str().unwrap()), "{a}");
    }

    // Ada may write a new version through ARM (Owner on Contoso Dev).
    let secret = format!("{list}/renewal-test-042");
    let body = json!({"tags": {"CredentialId": "new"}, "properties": {"value": "renewed-42"}});
    let put = h
        .arm(ADA, Method::PUT, &secret, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.text);
    let s = state(&h).await;
    let versions = dev_vault(&s)["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["name"] == "renewal-test-042")
        .unwrap()["versions"]
        .clone();
    assert_eq!(versions.as_array().unwrap().len(), 2);
    assert_eq!(versions[1]["tags"]["CredentialId"], "new");

    // The state hook shows the audit log: one entry per addPassword and removePassword run.
    let app = &listed[7]["id"].as_str().unwrap().to_owned();
    let add = h
        .call(
            Method::POST,
            &format!("/graph/v1.0/applications/{app}/addPassword"),
            Some(&graph),
            Some(&json!({"passwordCredential": {"displayName": "Renews x"}})),
        )
        .await;
    assert_eq!(add.status, StatusCode::OK, "{}", add.text);
    let key = add.json["keyId"].as_str().unwrap();
    let remove = h
        .call(
            Method::POST,
            &format!("/graph/v1.0/applications/{app}/removePassword"),
            Some(&graph),
            Some(&json!({ "keyId": key })),
        )
        .await;
    assert_eq!(remove.status, StatusCode::NO_CONTENT, "{}", remove.text);
    let s = state(&h).await;
    let entries: Vec<&Value> = s["directoryAudits"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["targetId"] == app.as_str())
        .collect();
    assert_eq!(entries.len(), 2, "{entries:?}");
    let (first, second) = (
        &entries[0]["modifiedProperties"][0],
        &entries[1]["modifiedProperties"][0],
    );
    assert_eq!(first["oldValue"], "[]");
    assert!(first["newValue"].as_str().unwrap().contains(key));
    assert!(second["oldValue"].as_str().unwrap().contains(key));
    assert_eq!(second["newValue"], "[]");
    assert_eq!(entries[0]["initiatedBy"], "ada@contoso.example");
}
