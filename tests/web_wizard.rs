//! Browser tests of the wizard: the Show-once field (masked by default, Reveal shows the value,
//! Finish removes it from the DOM), driven through the real reducer with canned Graph answers.
#![cfg(target_arch = "wasm32")]

mod support;

use std::rc::Rc;

use secret_wizard::components::{SecretField, SecretFieldProps, SharedSecret, MASK};
use secret_wizard::domain::SecretValue;
use secret_wizard::net::{HttpRequest, HttpResponse};
use secret_wizard::wizard::{Hooks, Leave, LeaveGuard, WizardFlow};
use serde_json::{json, Value};
use support::web::{
    canned, dan_on_graph, find, has, mount, reply, secret_text, settle, wizard_config,
};
use wasm_bindgen_test::*;
use yew::prelude::*;
use zeroize::Zeroizing;

wasm_bindgen_test_configure!(run_in_browser);

const SECRET: &str = "Xy9~only-in-the-field.0123456789abcdefgh";
const APP: &str = "11111111-1111-4111-8111-111111111111";

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
fn answer(req: &HttpRequest) -> HttpResponse {
    let url = req.url.as_str();
    let body = if let Some(body) = dan_on_graph(req, "Xy9", SECRET) {
        body
    } else if url.contains(&format!("/applications/{APP}")) {
        payroll(None)
    } else {
        json!({ "value": [payroll(None)] })
    };
    reply(200, body)
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
            <WizardFlow config={wizard_config()} hooks={props.hooks.clone()} />
        </ContextProvider<LeaveGuard>>
    }
}

#[wasm_bindgen_test]
async fn show_once_is_masked_reveal_shows_and_finish_removes_the_value() {
    let guard = LeaveGuard::default();
    let signed_out = Rc::new(std::cell::Cell::new(false));
    let hooks = Hooks {
        sender: canned(answer),
        on_sign_out: {
            let s = signed_out.clone();
            Callback::from(move |()| s.set(true))
        },
        on_navigate: Callback::noop(),
    };
    let root = mount::<Harness>(HarnessProps {
        hooks,
        guard: guard.clone(),
    });

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
    assert_eq!(secret_text(&root), MASK);
    assert!(!root.inner_html().contains(SECRET));
    let reveal = find(&root, "button[aria-pressed]", "Reveal").await;
    assert_eq!(
        reveal.get_attribute("aria-pressed").as_deref(),
        Some("false")
    );
    reveal.click();
    settle().await;
    assert_eq!(secret_text(&root), SECRET);
    let hide = find(&root, "button[aria-pressed]", "Hide").await;
    assert_eq!(hide.get_attribute("aria-pressed").as_deref(), Some("true"));
    hide.click();
    settle().await;
    assert_eq!(secret_text(&root), MASK);
    reveal.click();
    settle().await;
    assert_eq!(secret_text(&root), SECRET);

    // Not copied: signing out through the shell asks first, and "Stay" keeps the value.
    assert!(guard.intercept(Leave::SignOut));
    find(&root, "[role=alertdialog]", "Leave without the secret?").await;
    find(&root, "[role=alertdialog] button", "Stay")
        .await
        .click();
    settle().await;
    assert!(!has(&root, "[role=alertdialog]"));
    assert!(!signed_out.get());
    assert_eq!(secret_text(&root), SECRET);

    // Finish (uncopied) asks too; confirming removes the value from the page.
    find(&root, "button", "Finish").await.click();
    find(&root, "[role=alertdialog] button", "Leave and lose it")
        .await
        .click();
    find(&root, "h2", "Secret created").await;
    assert!(!has(&root, "[data-testid=secret-value]"));
    assert!(!root.inner_html().contains(SECRET));
    assert!(
        !guard.intercept(Leave::SignOut),
        "nothing to guard any more"
    );
}

#[wasm_bindgen_test]
async fn the_secret_field_alone_starts_masked_and_toggles() {
    let secret = SharedSecret(Rc::new(SecretValue::new(Zeroizing::new(
        SECRET.to_string(),
    ))));
    let root = mount::<SecretField>(SecretFieldProps {
        secret,
        label: "Secret value".into(),
        copied: false,
        on_copied: Callback::noop(),
        on_copy_failed: Callback::noop(),
    });
    settle().await;
    assert_eq!(secret_text(&root), MASK);
    assert!(!root.inner_html().contains(SECRET));
    find(&root, "button", "Reveal").await.click();
    settle().await;
    assert_eq!(secret_text(&root), SECRET);
    // The Copy button and an (empty) live region for "Copied" are there from the start.
    find(&root, "button", "Copy").await;
    let status = root
        .query_selector("[aria-live=polite]")
        .unwrap()
        .expect("a live region");
    assert_eq!(status.text_content().unwrap_or_default(), "");
}
