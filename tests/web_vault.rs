//! Browser tests of the Key Vault step inside the wizard, driven through the real reducer and
//! components with canned Graph and ARM answers: zero-reveal never puts the value in the DOM,
//! the references appear on Done, and a vault Dan may not write to blocks Create up front.
#![cfg(target_arch = "wasm32")]

mod support;

use secret_wizard::destinations::VaultHosts;
use secret_wizard::net::{HttpRequest, HttpResponse, Method};
use secret_wizard::vault::VaultConfig;
use secret_wizard::wizard::view::WizardFlowProps;
use secret_wizard::wizard::{Hooks, WizardFlow};
use serde_json::{json, Value};
use support::web::{
    canned_logged, dan_on_graph, find_checking, has, input, mount, sent_json, settle,
    vault_settings, wizard_config, Sent, ARM, GRAPH, TENANT,
};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: &str = "Vq3~kept-out-of-the-dom.0123456789abcdef";
const APP: &str = "11111111-1111-4111-8111-111111111111";
const CLIENT: &str = "22222222-2222-4222-8222-222222222222";
const SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";

fn vault_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/{name}")
}

/// Waits (up to 4 s) for `selector` containing `text`; on every look, the value must not be in
/// the DOM (zero-reveal's promise holds at every intermediate render, not just at the end).
async fn find(root: &web_sys::Element, selector: &str, text: &str) -> web_sys::HtmlElement {
    find_checking(root, selector, text, 200, |root| {
        assert!(
            !root.inner_html().contains(SECRET),
            "the value reached the DOM"
        )
    })
    .await
}

fn vault_json(name: &str) -> Value {
    json!({ "id": vault_id(name), "name": name, "location": "westeurope",
            "properties": { "tenantId": TENANT, "enableRbacAuthorization": true,
                            "vaultUri": format!("https://{name}.vault.test/"),
                            "networkAcls": { "defaultAction": "Allow" } } })
}

/// Graph and ARM as functions of the request. Dan owns Payroll API; he is Key Vault
/// Contributor on kv-contoso-dev and Reader on kv-contoso-prod.
fn answer(req: &HttpRequest) -> HttpResponse {
    let url = req.url.as_str();
    let (status, body) = if url.starts_with(ARM) {
        if url.contains("/providers/Microsoft.Authorization/permissions") {
            let actions = if url.contains("kv-contoso-prod") {
                "*/read"
            } else {
                "Microsoft.KeyVault/*"
            };
            (
                200,
                json!({ "value": [{ "actions": [actions], "notActions": [], "dataActions": [], "notDataActions": [] }] }),
            )
        } else if url.contains("/providers/Microsoft.KeyVault/vaults?") {
            (
                200,
                json!({ "value": [vault_json("kv-contoso-dev"), vault_json("kv-contoso-prod")] }),
            )
        } else if url.contains("/subscriptions?") {
            (
                200,
                json!({ "value": [{ "subscriptionId": SUB, "displayName": "Contoso Dev", "state": "Enabled" }] }),
            )
        } else if req.method == Method::Put && url.contains("/secrets/") {
            let sent = sent_json(req);
            assert_eq!(
                sent["properties"]["value"], SECRET,
                "the PUT carries the value"
            );
            (
                201,
                json!({ "id": format!("{}/secrets/payroll-api-client-secret", vault_id("kv-contoso-dev")),
                          "name": "payroll-api-client-secret", "tags": sent["tags"],
                          "properties": { "secretUriWithVersion": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/v1",
                                          "attributes": { "enabled": true } } }),
            )
        } else if url.contains("/secrets/") {
            (
                404,
                json!({ "error": { "code": "ResourceNotFound", "message": "not found" } }),
            )
        } else {
            (
                404,
                json!({ "error": { "code": "NotFound", "message": url } }),
            )
        }
    } else if let Some(body) = dan_on_graph(req, "Vq3", SECRET) {
        (200, body)
    } else {
        let app = json!({ "id": APP, "appId": CLIENT, "displayName": "Payroll API",
                          "signInAudience": "AzureADMyOrg", "passwordCredentials": [], "keyCredentials": [] });
        if url.contains(&format!("/applications/{APP}")) {
            (200, app)
        } else {
            (200, json!({ "value": [app] }))
        }
    };
    HttpResponse::new(status, body.to_string())
}

/// Mounts the wizard with the Key Vault step; returns the root and the requests log.
fn mount_wizard() -> (web_sys::Element, Sent) {
    let (sender, sent) = canned_logged(answer);
    let vault = VaultConfig {
        arm_base: ARM.into(),
        graph_base: GRAPH.into(),
        tenant_id: TENANT.into(),
        settings: vault_settings(),
        vault_hosts: VaultHosts::new(".vault.test", None),
    };
    let root = mount::<WizardFlow>(WizardFlowProps {
        config: wizard_config(),
        hooks: Hooks {
            sender,
            on_sign_out: Callback::noop(),
            on_navigate: Callback::noop(),
        },
        prepared: None,
        vault: Some(vault),
    });
    (root, sent)
}

async fn describe_with_vault(root: &web_sys::Element, vault: &str) {
    find(root, "button.link-button", "Payroll API")
        .await
        .click();
    find(root, "button", "Create a new secret").await.click();
    find(root, "legend", "Store in Key Vault").await;
    let label = find(root, "label", vault).await;
    let id = label.get_attribute("for").unwrap();
    input(root, &format!("#{id}")).click();
    find(root, "label", "Secret name in Key Vault").await;
}

#[wasm_bindgen_test]
async fn zero_reveal_stores_without_the_value_ever_in_the_dom_and_done_shows_references() {
    let (root, sent) = mount_wizard();
    describe_with_vault(&root, "kv-contoso-dev").await;
    assert_eq!(
        input(&root, "#vault-secret-name").value(),
        "payroll-api-client-secret"
    );
    find(&root, "[data-testid=preflight]", "You can store it here.").await;
    input(&root, "#zero-reveal").click();
    find(
        &root,
        "button[type=submit]",
        "Create and store in Key Vault",
    )
    .await
    .click();
    find(&root, "h2", "Secret created").await;
    assert!(!has(&root, "[data-testid=secret-value]"));
    let reference = find(
        &root,
        "[data-testid=stored-reference]",
        "@Microsoft.KeyVault",
    )
    .await;
    assert_eq!(
        reference.text_content().unwrap(),
        "@Microsoft.KeyVault(SecretUri=https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/v1)"
    );
    find(
        &root,
        "[data-testid=stored-env]",
        &format!("AZURE_CLIENT_ID={CLIENT}"),
    )
    .await;
    find(&root, "button", "Copy").await;
    let puts = sent
        .borrow()
        .iter()
        .filter(|(m, _)| *m == Method::Put)
        .count();
    assert_eq!(puts, 1, "one write");
    assert!(!root.inner_html().contains(SECRET));
}

#[wasm_bindgen_test]
async fn a_vault_dan_may_not_write_to_blocks_create_before_anything_exists() {
    let (root, sent) = mount_wizard();
    describe_with_vault(&root, "kv-contoso-prod").await;
    find(
        &root,
        "[data-testid=preflight]",
        "you need Key Vault Contributor",
    )
    .await;
    let create = find(&root, "button[type=submit]", "Create secret").await;
    assert!(create.has_attribute("disabled"));
    find(&root, "#create-blocked", "Don't store it").await;
    // "Don't store it" is an explicit choice that lets Create go ahead.
    input(&root, "#vault-none").click();
    settle().await;
    assert!(!create.has_attribute("disabled"));
    assert!(!sent
        .borrow()
        .iter()
        .any(|(_, u)| u.ends_with("/addPassword")));
}
