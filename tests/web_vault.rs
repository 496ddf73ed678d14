//! Browser tests of the Key Vault step inside the wizard, driven through the real reducer and
//! components with canned Graph and ARM answers: zero-reveal never puts the value in the DOM,
//! the references appear on Done, and a vault Dan may not write to blocks Create up front.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use secret_wizard::config::{VaultMode, VaultSettings};
use secret_wizard::net::{HttpRequest, HttpResponse, Method};
use secret_wizard::vault::VaultConfig;
use secret_wizard::wizard::{Hooks, Sender, WizardConfig, WizardFlow};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: &str = "Vq3~kept-out-of-the-dom.0123456789abcdef";
const APP: &str = "11111111-1111-4111-8111-111111111111";
const CLIENT: &str = "22222222-2222-4222-8222-222222222222";
const ME: &str = "d0d0d0d0-0000-4000-8000-00000000da11";
const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
const SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
const ARM: &str = "https://arm.test";

fn vault_id(name: &str) -> String {
    format!("/subscriptions/{SUB}/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/{name}")
}

fn root() -> web_sys::Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(20)).await;
    yew::scheduler::flush().await;
}

/// Waits (up to 4 s) for `selector` containing `text`; on every look, the value must not be in
/// the DOM (zero-reveal's promise holds at every intermediate render, not just at the end).
async fn find(root: &web_sys::Element, selector: &str, text: &str) -> web_sys::HtmlElement {
    for _ in 0..200 {
        assert!(
            !root.inner_html().contains(SECRET),
            "the value reached the DOM"
        );
        let all = root.query_selector_all(selector).unwrap();
        for i in 0..all.length() {
            let el: web_sys::HtmlElement = all.item(i).unwrap().unchecked_into();
            if el.text_content().unwrap_or_default().contains(text) {
                return el;
            }
        }
        settle().await;
    }
    panic!(
        "no {selector} containing {text:?} in: {}",
        root.inner_html()
    );
}

fn input(root: &web_sys::Element, selector: &str) -> web_sys::HtmlInputElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

fn vault_json(name: &str) -> Value {
    json!({ "id": vault_id(name), "name": name, "location": "westeurope",
            "properties": { "tenantId": TENANT, "enableRbacAuthorization": true,
                            "vaultUri": format!("https://{name}.vault.test/"),
                            "networkAcls": { "defaultAction": "Allow" } } })
}

/// Graph and ARM as functions of the request. Dan owns Payroll API; he is Key Vault
/// Contributor on kv-contoso-dev and Reader on kv-contoso-prod.
fn canned(req: &HttpRequest) -> HttpResponse {
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
            let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
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
    } else if url.contains("/roleManagement/") || url.contains("/transitiveMemberOf/") {
        (200, json!({ "value": [] }))
    } else if url.contains("/v1.0/me?") {
        (
            200,
            json!({ "id": ME, "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }),
        )
    } else if url.ends_with("/owners") {
        (
            200,
            json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": ME,
                                  "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] }),
        )
    } else if url.ends_with("/addPassword") {
        let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        let pc = &sent["passwordCredential"];
        (
            200,
            json!({ "keyId": "k-new", "displayName": pc["displayName"], "hint": "Vq3",
                      "startDateTime": pc["startDateTime"], "endDateTime": pc["endDateTime"],
                      "secretText": SECRET }),
        )
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

#[derive(Properties, PartialEq)]
struct HarnessProps {
    hooks: Hooks,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    let config = WizardConfig {
        graph_base: "https://graph.test".into(),
        tenant_id: TENANT.into(),
        max_lifetime_days: 730,
        default_lifetime_days: 730,
        clipboard_clear_secs: 0,
    };
    let vault = VaultConfig {
        arm_base: ARM.into(),
        graph_base: "https://graph.test".into(),
        tenant_id: TENANT.into(),
        settings: VaultSettings {
            default: None,
            allowed: Vec::new(),
            secret_name_template: "{app}-client-secret".into(),
            mode: VaultMode::Arm,
            gateway: None,
        },
        vault_hosts: secret_wizard::destinations::VaultHosts::new(".vault.test", None),
    };
    html! { <WizardFlow config={config} hooks={props.hooks.clone()} vault={Some(vault)} /> }
}

/// The (method, URL) of every request sent.
type Sent = Rc<RefCell<Vec<(Method, String)>>>;

/// Mounts the wizard; returns the root and the requests log.
fn mount() -> (web_sys::Element, Sent) {
    let root = root();
    let sent = Rc::new(RefCell::new(Vec::new()));
    let log = sent.clone();
    let hooks = Hooks {
        sender: Sender::new(move |req: HttpRequest| {
            log.borrow_mut().push((req.method, req.url.clone()));
            async move { Ok(canned(&req)) }
        }),
        on_sign_out: Callback::noop(),
        on_navigate: Callback::noop(),
    };
    yew::Renderer::<Harness>::with_root_and_props(root.clone(), HarnessProps { hooks }).render();
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
    let (root, sent) = mount();
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
    assert!(root
        .query_selector("[data-testid=secret-value]")
        .unwrap()
        .is_none());
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
    let (root, sent) = mount();
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
