//! Browser tests of the wizard: the Show-once field (masked by default, Reveal shows the value,
//! Finish removes it from the DOM), driven through the real reducer with canned Graph answers.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;
use std::time::Duration;

use secret_wizard::components::{SecretField, SharedSecret, MASK};
use secret_wizard::domain::SecretValue;
use secret_wizard::net::{HttpRequest, HttpResponse};
use secret_wizard::wizard::{Hooks, Leave, LeaveGuard, Sender, WizardConfig, WizardFlow};
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;
use zeroize::Zeroizing;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: &str = "Xy9~only-in-the-field.0123456789abcdefgh";
const APP: &str = "11111111-1111-4111-8111-111111111111";
const ME: &str = "d0d0d0d0-0000-4000-8000-00000000da11";

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

/// Waits (up to 2 s) for an element matching `selector` whose text contains `text`.
async fn find(root: &web_sys::Element, selector: &str, text: &str) -> web_sys::HtmlElement {
    for _ in 0..100 {
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

fn payroll(extra: Option<Value>) -> Value {
    let mut creds = vec![
        json!({ "keyId": "k-old", "displayName": "old", "hint": "abc",
        "startDateTime": "2026-01-01T00:00:00Z", "endDateTime": "2027-01-01T00:00:00Z" }),
    ];
    creds.extend(extra);
    json!({ "id": APP, "appId": "22222222-2222-4222-8222-222222222222",
            "displayName": "Payroll API", "signInAudience": "AzureADMyOrg",
            "passwordCredentials": creds, "keyCredentials": [] })
}

/// Graph as a function of the request: the signed-in owner, one app, addPassword succeeds.
fn canned(req: &HttpRequest) -> HttpResponse {
    let url = req.url.as_str();
    let body = if url.contains("/roleManagement/") || url.contains("/transitiveMemberOf/") {
        json!({ "value": [] })
    } else if url.contains("/v1.0/me?") {
        json!({ "id": ME, "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" })
    } else if url.ends_with("/owners") {
        json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": ME,
                            "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] })
    } else if url.ends_with("/addPassword") {
        let sent: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        let pc = &sent["passwordCredential"];
        json!({ "keyId": "k-new", "displayName": pc["displayName"], "hint": "Xy9",
                "startDateTime": pc["startDateTime"], "endDateTime": pc["endDateTime"],
                "secretText": SECRET })
    } else if url.contains(&format!("/applications/{APP}")) {
        payroll(None)
    } else {
        json!({ "value": [payroll(None)] })
    };
    HttpResponse::new(200, body.to_string())
}

fn config() -> WizardConfig {
    WizardConfig {
        graph_base: "https://graph.test".into(),
        tenant_id: "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d".into(),
        max_lifetime_days: 730,
        default_lifetime_days: 730,
        clipboard_clear_secs: 0,
    }
}

#[derive(Properties, PartialEq)]
struct HarnessProps {
    hooks: Hooks,
    guard: LeaveGuard,
}

#[function_component(Harness)]
fn harness(props: &HarnessProps) -> Html {
    html! {
        <ContextProvider<LeaveGuard> context={props.guard.clone()}>
            <WizardFlow config={config()} hooks={props.hooks.clone()} />
        </ContextProvider<LeaveGuard>>
    }
}

fn value_text(root: &web_sys::Element) -> String {
    root.query_selector("[data-testid=secret-value]")
        .unwrap()
        .expect("the secret field")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn show_once_is_masked_reveal_shows_and_finish_removes_the_value() {
    let root = root();
    let guard = LeaveGuard::default();
    let signed_out = Rc::new(std::cell::Cell::new(false));
    let hooks = Hooks {
        sender: Sender::new(|req: HttpRequest| async move { Ok(canned(&req)) }),
        on_sign_out: {
            let s = signed_out.clone();
            Callback::from(move |()| s.set(true))
        },
        on_navigate: Callback::noop(),
    };
    yew::Renderer::<Harness>::with_root_and_props(
        root.clone(),
        HarnessProps {
            hooks,
            guard: guard.clone(),
        },
    )
    .render();

    find(&root, "button.link-button", "Payroll API")
        .await
        .click();
    find(&root, "[data-testid=access-note]", "You own this app").await;
    find(&root, "button", "Create a new secret").await.click();
    find(&root, "button[type=submit]", "Create secret")
        .await
        .click();
    find(&root, "h2", "Your new secret").await;

    // Masked by default: the value is nowhere in the DOM.
    assert_eq!(value_text(&root), MASK);
    assert!(!root.inner_html().contains(SECRET));
    let reveal = find(&root, "button[aria-pressed]", "Reveal").await;
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    reveal.click();
    settle().await;
    assert_eq!(value_text(&root), SECRET);
    let hide = find(&root, "button[aria-pressed]", "Hide").await;
    assert_eq!(hide.get_attribute("aria-pressed").as_deref(), Some("true"));
    hide.click();
    settle().await;
    assert_eq!(value_text(&root), MASK);
    reveal.click();
    settle().await;
    assert_eq!(value_text(&root), SECRET);

    // Not copied: signing out through the shell asks first, and "Stay" keeps the value.
    assert!(guard.intercept(Leave::SignOut));
    find(&root, "[role=alertdialog]", "Leave without the secret?").await;
    find(&root, "[role=alertdialog] button", "Stay")
        .await
        .click();
    settle().await;
    assert!(root.query_selector("[role=alertdialog]").unwrap().is_none());
    assert!(!signed_out.get());
    assert_eq!(value_text(&root), SECRET);

    // Finish (uncopied) asks too; confirming removes the value from the page.
    find(&root, "button", "Finish").await.click();
    find(&root, "[role=alertdialog] button", "Leave and lose it")
        .await
        .click();
    find(&root, "h2", "Secret created").await;
    assert!(root
        .query_selector("[data-testid=secret-value]")
        .unwrap()
        .is_none());
    assert!(!root.inner_html().contains(SECRET));
    assert!(
        !guard.intercept(Leave::SignOut),
        "nothing to guard any more"
    );
}

#[derive(Properties, PartialEq)]
struct FieldProps {
    secret: SharedSecret,
}

#[function_component(FieldHarness)]
fn field_harness(props: &FieldProps) -> Html {
    html! {
        <SecretField secret={props.secret.clone()} label="Secret value"
            on_copied={Callback::noop()} on_copy_failed={Callback::noop()} />
    }
}

#[wasm_bindgen_test]
async fn the_secret_field_alone_starts_masked_and_toggles() {
    let root = root();
    let secret = SharedSecret(Rc::new(SecretValue::new(Zeroizing::new(
        SECRET.to_string(),
    ))));
    yew::Renderer::<FieldHarness>::with_root_and_props(root.clone(), FieldProps { secret })
        .render();
    settle().await;
    assert_eq!(value_text(&root), MASK);
    assert!(!root.inner_html().contains(SECRET));
    find(&root, "button", "Reveal").await.click();
    settle().await;
    assert_eq!(value_text(&root), SECRET);
    // The Copy button and an (empty) live region for "Copied" are there from the start.
    find(&root, "button", "Copy").await;
    let status = root
        .query_selector("[aria-live=polite]")
        .unwrap()
        .expect("a live region");
    assert_eq!(status.text_content().unwrap_or_default(), "");
}
