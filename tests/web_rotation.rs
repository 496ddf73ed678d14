//! Browser tests of the rotation page, driven through the real reducer with canned Graph and
//! ARM answers: the cross-check table (copy, no copy, orphan, a vault not checked), and the
//! removal of the last working secret behind two ticked confirmations, checked by a re-read.
#![cfg(target_arch = "wasm32")]

mod support;

use std::cell::RefCell;
use std::rc::Rc;

use chrono::Utc;
use secret_wizard::net::{HttpRequest, HttpResponse, Method};
use secret_wizard::rotation::{RotationConfig, RotationFlow, RotationFlowProps, SESSION_KEY};
use serde_json::{json, Value};
use support::web::{
    attr, canned, find, has, mount, reply, sent_json, settle, vault_settings, ARM, GRAPH,
};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const APP: &str = "03ef14b0-ca33-4840-8f4f-d6e91916010e";
const CLIENT: &str = "631a96bc-a705-4eda-9f99-fdaf9f54f6a2";
const OLD: &str = "aaaaaaaa-0000-4000-8000-000000000001";
const NEW: &str = "aaaaaaaa-0000-4000-8000-000000000003";
const GONE: &str = "aaaaaaaa-0000-4000-8000-0000000000ff";
const SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";

fn vault_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/{name}")
}

fn cred(key: &str, name: &str, start_days: i64, end_days: i64) -> Value {
    let now = Utc::now();
    json!({ "keyId": key, "displayName": name, "hint": "abc",
            "startDateTime": now + chrono::Duration::days(start_days),
            "endDateTime": now + chrono::Duration::days(end_days) })
}

fn app(creds: &[Value]) -> Value {
    json!({ "id": APP, "appId": CLIENT, "displayName": "Payroll API", "signInAudience": "AzureADMyOrg",
            "passwordCredentials": creds, "keyCredentials": [] })
}

fn vault_secret(name: &str, key: &str) -> Value {
    json!({ "id": format!("{}/secrets/{name}", vault_id("kv-dev")), "name": name,
            "tags": { "CredentialId": key, "ProviderAddress": APP },
            "properties": { "secretUriWithVersion": format!("https://kv-dev.vault.azure.net/secrets/{name}/0123abcd"),
                            "attributes": { "enabled": true, "updated": 1_780_000_000 } } })
}

/// Graph and ARM as a function of the request. `creds` is the app's current secrets;
/// removePassword takes one out and is recorded in `removed`.
fn answer(
    req: &HttpRequest,
    creds: &RefCell<Vec<Value>>,
    removed: &RefCell<Vec<String>>,
) -> HttpResponse {
    let url = req.url.as_str();
    let (status, body) = if url.ends_with("/removePassword") {
        assert_eq!(req.method, Method::Post);
        let key = sent_json(req)["keyId"].as_str().unwrap().to_string();
        creds.borrow_mut().retain(|c| c["keyId"] != key.as_str());
        removed.borrow_mut().push(key);
        (204, Value::Null)
    } else if url.starts_with(&format!("{GRAPH}/v1.0/applications/{APP}?")) {
        (200, app(&creds.borrow()))
    } else if url.starts_with(&format!("{ARM}/subscriptions?")) {
        (
            200,
            json!({ "value": [{ "subscriptionId": SUB, "displayName": "Contoso Dev", "state": "Enabled" }] }),
        )
    } else if url.contains("/providers/Microsoft.KeyVault/vaults?") {
        let vault = |n: &str| json!({ "id": vault_id(n), "name": n, "properties": {} });
        (200, json!({ "value": [vault("kv-dev"), vault("kv-prod")] }))
    } else if url.contains("/vaults/kv-dev/secrets?") {
        (
            200,
            json!({ "value": [vault_secret("payroll-api-client-secret", NEW), vault_secret("onboarding", GONE)] }),
        )
    } else if url.contains("/vaults/kv-prod/secrets?") {
        (
            403,
            json!({ "error": { "code": "AuthorizationFailed", "message": format!(
            "The client 'dan' with object id 'd0' does not have authorization to perform action \
             'Microsoft.KeyVault/vaults/secrets/read' over scope '{}' or the scope is invalid.", vault_id("kv-prod")) } }),
        )
    } else {
        panic!("unexpected request {url}");
    };
    reply(status, body)
}

fn mount_rotation(
    creds: Vec<Value>,
    session: Option<Value>,
) -> (web_sys::Element, Rc<RefCell<Vec<String>>>) {
    let storage = gloo::utils::window().session_storage().unwrap().unwrap();
    match session {
        Some(s) => storage.set_item(SESSION_KEY, &s.to_string()).unwrap(),
        None => storage.remove_item(SESSION_KEY).unwrap(),
    }
    let creds = Rc::new(RefCell::new(creds));
    let removed = Rc::new(RefCell::new(Vec::new()));
    let sender = {
        let (creds, removed) = (creds.clone(), removed.clone());
        canned(move |req| answer(req, &creds, &removed))
    };
    let config = RotationConfig {
        graph_base: GRAPH.into(),
        arm_base: ARM.into(),
        vault: vault_settings(),
    };
    let root = mount::<RotationFlow>(RotationFlowProps {
        config,
        app_object_id: APP.into(),
        sender,
        on_prepare: Callback::noop(),
    });
    (root, removed)
}

#[wasm_bindgen_test]
async fn the_cross_check_shows_copies_orphans_and_vaults_not_checked() {
    let (root, _) = mount_rotation(
        vec![
            cred(OLD, "payroll-2024", -300, 20),
            cred(NEW, "payroll-2026", -1, 300),
        ],
        None,
    );
    find(
        &root,
        "[data-testid=scan-progress]",
        "Checked 2 of 2 vaults you can see.",
    )
    .await;
    assert_eq!(
        attr(&root, &format!("tr[data-key-id='{NEW}']"), "data-copy").as_deref(),
        Some("found")
    );
    find(
        &root,
        &format!("tr[data-key-id='{NEW}']"),
        "kv-dev / payroll-api-client-secret, version 0123abcd",
    )
    .await;
    assert_eq!(
        attr(&root, &format!("tr[data-key-id='{OLD}']"), "data-copy").as_deref(),
        Some("none")
    );
    find(
        &root,
        "tr[data-finding=gone]",
        "Points at a credential that no longer exists",
    )
    .await;
    find(
        &root,
        "li[data-vault=kv-prod]",
        "you can't list secrets in kv-prod",
    )
    .await;
    // Nothing started: step 1 is the one to do, and removal waits for step 3.
    assert_eq!(
        attr(&root, "li[data-step='1']", "data-state").as_deref(),
        Some("current")
    );
    let remove = find(&root, "button", "Remove the old secret").await;
    assert!(remove.has_attribute("disabled"));
    find(&root, "#remove-reason", "step 3").await;
}

#[wasm_bindgen_test]
async fn removing_the_last_working_secret_needs_two_ticked_confirmations_and_a_re_read() {
    let session = json!({ "appObjectId": APP, "oldKeyId": OLD, "consumersConfirmed": true });
    let (root, removed) = mount_rotation(vec![cred(OLD, "payroll-2024", -300, 20)], Some(session));
    find(&root, "button", "Remove the old secret").await.click();
    find(&root, "[role=alertdialog]", &format!("(keyId {OLD})")).await;
    let first = find(&root, "[role=alertdialog] button", "Continue").await;
    assert!(first.has_attribute("disabled"), "not before the tick");
    find(&root, "[role=alertdialog] input[type=checkbox]", "")
        .await
        .click();
    settle().await;
    find(&root, "[role=alertdialog] button", "Continue")
        .await
        .click();
    find(
        &root,
        "[role=alertdialog]",
        "This app will have no valid secret",
    )
    .await;
    let last = find(&root, "[role=alertdialog] button", "Remove the last secret").await;
    assert!(
        last.has_attribute("disabled"),
        "the second confirmation needs its own tick"
    );
    assert!(
        removed.borrow().is_empty(),
        "nothing removed before both confirmations"
    );
    find(&root, "[role=alertdialog] input[type=checkbox]", "")
        .await
        .click();
    settle().await;
    find(&root, "[role=alertdialog] button", "Remove the last secret")
        .await
        .click();
    find(
        &root,
        "[data-testid=removal-result]",
        "it no longer lists it",
    )
    .await;
    assert_eq!(*removed.borrow(), [OLD.to_string()]);
    assert!(!has(&root, "[role=alertdialog]"));
    assert_eq!(
        attr(&root, "li[data-step='4']", "data-state").as_deref(),
        Some("done")
    );
}
