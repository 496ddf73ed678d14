//! Listing a secret's versions as strictly as the service allows: no promised order (the 7.5
//! spec's GetSecretVersions names none, ../shared/specs/keyvault-7.5/secrets.json) and a first
//! page that is empty but carries a `nextLink` (Azure/azure-sdk-for-go issue #10711).

mod support;

use axum::http::{Method, StatusCode};
use serde_json::json;
use support::harness::{version_of, Harness, BASE, DAN};

const VAULT: &str = "kv-contoso-dev";

async fn put_versions(h: &Harness, name: &str, n: usize) -> Vec<String> {
    let mut made = Vec::new();
    for i in 0..n {
        let r = h
            .kv(
                DAN,
                Method::PUT,
                VAULT,
                &format!("/secrets/{name}"),
                Some(&json!({"value": format!("v{i}")})),
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.text);
        made.push(version_of(&r.json));
    }
    made
}

#[tokio::test]
async fn the_first_page_of_versions_is_empty_and_carries_a_next_link() {
    let h = Harness::default();
    let made = put_versions(&h, "paging-check", 5).await;
    let pages = h
        .kv_pages(DAN, VAULT, "/secrets/paging-check/versions?maxresults=2")
        .await;
    assert_eq!(pages[0].status, StatusCode::OK);
    assert_eq!(pages[0].json["value"], json!([]), "{}", pages[0].text);
    let next = pages[0].json["nextLink"].as_str().unwrap();
    assert!(
        next.starts_with(&format!("{BASE}/kv/{VAULT}/secrets/paging-check/versions?")),
        "{next}"
    );
    assert!(next.contains("$skiptoken="), "{next}");
    // Then 2 + 2 + 1, the last with nextLink null.
    let sizes: Vec<usize> = pages
        .iter()
        .map(|p| p.json["value"].as_array().unwrap().len())
        .collect();
    assert_eq!(sizes, [0, 2, 2, 1]);
    assert!(pages.last().unwrap().json["nextLink"].is_null());
    let mut listed: Vec<String> = pages
        .iter()
        .flat_map(|p| p.json["value"].as_array().unwrap().clone())
        .map(|v| version_of(&v))
        .collect();
    let mut made_sorted = made.clone();
    made_sorted.sort();
    assert_eq!(listed, made_sorted, "every version once, by version ID");
    listed.dedup();
    assert_eq!(listed.len(), 5);

    // A client that stops at the first page sees no versions at all.
    let first_only = h
        .kv(
            DAN,
            Method::GET,
            VAULT,
            "/secrets/paging-check/versions",
            None,
        )
        .await;
    assert_eq!(first_only.json["value"], json!([]));
    assert!(first_only.json["nextLink"].is_string());

    // A name without versions: one empty page, nothing to follow.
    let none = h
        .kv(DAN, Method::GET, VAULT, "/secrets/never-was/versions", None)
        .await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json, json!({"value": [], "nextLink": null}));
}

#[tokio::test]
async fn versions_are_listed_by_version_id_not_by_age() {
    let h = Harness::default();
    // Enough versions that, with random IDs, creation order and ID order all but surely differ;
    // the rule checked is the ID order either way.
    let made = put_versions(&h, "order-check", 8).await;
    let listed: Vec<String> = h
        .kv_all(DAN, VAULT, "/secrets/order-check/versions?maxresults=3")
        .await
        .iter()
        .map(version_of)
        .collect();
    let mut by_id = made.clone();
    by_id.sort();
    assert_eq!(listed, by_id);
    // The newest (the last one made) is found by `attributes.created`, not by position: the
    // store's own record says which it is.
    let state = h.vault_state().await;
    let secret = state["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == VAULT)
        .unwrap()["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == "order-check")
        .unwrap()
        .clone();
    let newest = secret["versions"].as_array().unwrap().last().unwrap()["version"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(&newest, made.last().unwrap());
}
