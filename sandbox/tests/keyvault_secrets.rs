//! The data plane's secret operations against the demo seed: versions, case-insensitive names,
//! paging, update, soft delete → recover → purge.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use support::harness::{self, version_of, Harness, ADA, DAN};

#[tokio::test]
async fn set_makes_versions_and_names_ignore_case() {
    let h = Harness::default();
    let first = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/Payroll-API-next",
            Some(&json!({"value": "one", "tags": {"a": "1"}})),
        )
        .await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.text);
    assert_eq!(first.json["value"], "one");
    assert_eq!(first.json["tags"], json!({"a": "1"}));
    // Another case, same secret: a second version under the name of first creation.
    let second = h
        .kv(
            DAN,
            Method::PUT,
            "KV-CONTOSO-DEV",
            "/secrets/payroll-api-NEXT",
            Some(&json!({"value": "two"})),
        )
        .await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.text);
    assert!(second.json["id"]
        .as_str()
        .unwrap()
        .contains("/secrets/Payroll-API-next/"));
    assert!(
        second.json.get("tags").is_none(),
        "tags belong to a version: {}",
        second.text
    );

    let latest = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/PAYROLL-api-next",
            None,
        )
        .await;
    assert_eq!(latest.json["value"], "two");
    let trailing = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/payroll-api-next/",
            None,
        )
        .await;
    assert_eq!(trailing.json["value"], "two");
    let old = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            &format!(
                "/secrets/payroll-api-next/{}",
                version_of(&first.json).to_uppercase()
            ),
            None,
        )
        .await;
    assert_eq!(old.json["value"], "one", "{}", old.text);

    let versions = h
        .kv_all(DAN, "kv-contoso-dev", "/secrets/payroll-api-next/versions")
        .await;
    let ids: Vec<String> = versions.iter().map(version_of).collect();
    // Listed by version ID: the service does not specify an order.
    let mut want = [version_of(&first.json), version_of(&second.json)];
    want.sort();
    assert_eq!(ids, want);
    assert!(versions[0].get("value").is_none());

    let state = h.vault_state().await;
    let dev = state["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-dev")
        .unwrap();
    let stored = dev["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "Payroll-API-next")
        .unwrap();
    let values: Vec<&Value> = stored["versions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| &v["value"])
        .collect();
    assert_eq!(values, [&json!("one"), &json!("two")]);
}

#[tokio::test]
async fn lists_page_with_next_links_and_carry_no_values() {
    let h = Harness::default();
    for i in 0..4 {
        let r = h
            .kv(
                ADA,
                Method::PUT,
                "kv-contoso-dev",
                &format!("/secrets/page-{i}"),
                Some(&json!({"value": format!("v{i}")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK);
    }
    // The seed holds two live secrets in kv-contoso-dev; four more make six.
    let mut names = Vec::new();
    let mut next = Some("/kv/kv-contoso-dev/secrets?api-version=7.5&maxresults=4".to_owned());
    let token = h.kv_token(ADA);
    while let Some(link) = next {
        let path = link.trim_start_matches(harness::BASE).to_owned();
        let page = h.call(Method::GET, &path, Some(&token), None).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.text);
        for item in page.json["value"].as_array().unwrap() {
            assert!(
                item.get("value").is_none(),
                "a list never carries values: {item}"
            );
            names.push(
                item["id"]
                    .as_str()
                    .unwrap()
                    .rsplit('/')
                    .next()
                    .unwrap()
                    .to_owned(),
            );
        }
        next = page.json["nextLink"].as_str().map(str::to_owned);
        if let Some(n) = &next {
            assert!(
                n.starts_with(
                    "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets?api-version=7.5&$skiptoken="
                ),
                "{n}"
            );
        }
    }
    assert_eq!(
        names,
        [
            "onboarding-portal-client-secret",
            "page-0",
            "page-1",
            "page-2",
            "page-3",
            "payroll-api-client-secret"
        ]
    );
}

#[tokio::test]
async fn update_changes_metadata_not_values() {
    let h = Harness::default();
    let set = h
        .kv(
            DAN,
            Method::PUT,
            "kv-contoso-dev",
            "/secrets/to-update",
            Some(&json!({"value": "v"})),
        )
        .await;
    let v = version_of(&set.json);
    let patch = json!({"contentType": "text/plain", "tags": {"k": "v"}, "attributes": {"exp": 1893456000, "enabled": false}});
    let r = h
        .kv(
            DAN,
            Method::PATCH,
            "kv-contoso-dev",
            &format!("/secrets/to-update/{v}"),
            Some(&patch),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    assert!(r.json.get("value").is_none());
    assert_eq!(r.json["contentType"], "text/plain");
    assert_eq!(r.json["tags"]["k"], "v");
    assert_eq!(r.json["attributes"]["exp"], 1893456000);
    assert_eq!(r.json["attributes"]["enabled"], false);
    // A disabled version's value cannot be read.
    let get = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/to-update",
            None,
        )
        .await;
    assert_eq!(get.status, StatusCode::FORBIDDEN);
    assert_eq!(
        get.codes(),
        ("Forbidden".into(), Some("SecretDisabled".into()))
    );
    // The value is not something PATCH changes.
    let r = h
        .kv(
            DAN,
            Method::PATCH,
            "kv-contoso-dev",
            &format!("/secrets/to-update/{v}"),
            Some(&json!({"value": "x"})),
        )
        .await;
    assert_eq!(r.codes().0, "BadParameter");
    let r = h
        .kv(
            DAN,
            Method::PATCH,
            "kv-contoso-dev",
            "/secrets/to-update/",
            Some(&json!({"attributes": {"enabled": true}})),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let get = h
        .kv(
            DAN,
            Method::GET,
            "kv-contoso-dev",
            "/secrets/to-update",
            None,
        )
        .await;
    assert_eq!(get.json["value"], "v");
    let r = h
        .kv(
            DAN,
            Method::PATCH,
            "kv-contoso-dev",
            "/secrets/to-update/00000000000000000000000000000000",
            Some(&json!({})),
        )
        .await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert_eq!(r.codes().0, "SecretNotFound");
}
