//! What the browser tests (tests/web_*.rs) share: mount a component into a fresh div, let Yew
//! settle, wait for an element by its text, click and read; canned senders (a function of the
//! request, optionally logging what was sent) and the Graph answers more than one test gives.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use secret_wizard::config::{VaultMode, VaultSettings};
use secret_wizard::net::{HttpRequest, HttpResponse, Method};
use secret_wizard::runtime::Sender;
use secret_wizard::wizard::WizardConfig;
use serde_json::{json, Value};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::{AppHandle, BaseComponent};

pub const GRAPH: &str = "https://graph.test";
pub const ARM: &str = "https://arm.test";
pub const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
/// Dev Dan's object ID.
pub const DAN: &str = "d0d0d0d0-0000-4000-8000-00000000da11";

/// A fresh, empty div at the end of the document's body.
pub fn root() -> Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// Renders `C` with `props` into a fresh div; returns the div and the app (to destroy it).
pub fn mount_app<C: BaseComponent>(props: C::Properties) -> (Element, AppHandle<C>) {
    let div = root();
    let app = yew::Renderer::<C>::with_root_and_props(div.clone(), props).render();
    (div, app)
}

/// Renders `C` with `props` into a fresh div and returns the div.
pub fn mount<C: BaseComponent>(props: C::Properties) -> Element {
    mount_app::<C>(props).0
}

/// Lets timers and answers run (20 ms), then Yew render.
pub async fn settle() {
    gloo::timers::future::sleep(Duration::from_millis(20)).await;
    yew::scheduler::flush().await;
}

/// Waits (up to 2 s) for an element matching `selector` whose text contains `text`.
pub async fn find(root: &Element, selector: &str, text: &str) -> HtmlElement {
    find_checking(root, selector, text, 100, |_| {}).await
}

/// Waits (`looks` times [`settle`]) for an element matching `selector` whose text contains
/// `text`, running `check` on the root before every look (a promise that holds at every
/// intermediate render, not just at the end). Panics with the DOM when none appears.
pub async fn find_checking(
    root: &Element,
    selector: &str,
    text: &str,
    looks: u32,
    check: impl Fn(&Element),
) -> HtmlElement {
    for _ in 0..looks {
        check(root);
        let all = root.query_selector_all(selector).unwrap();
        for i in 0..all.length() {
            let el: HtmlElement = all.item(i).unwrap().unchecked_into();
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

/// Clicks the (HTML) element matching `selector`, which must be there now.
pub fn click(root: &Element, selector: &str) {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .dyn_into::<HtmlElement>()
        .unwrap()
        .click();
}

/// The input matching `selector`, which must be there now.
pub fn input(root: &Element, selector: &str) -> HtmlInputElement {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no {selector}"))
        .unchecked_into()
}

/// Whether an element matches `selector` now.
pub fn has(root: &Element, selector: &str) -> bool {
    root.query_selector(selector).unwrap().is_some()
}

/// Attribute `name` of the element matching `selector` (None: no element, or no attribute).
pub fn attr(root: &Element, selector: &str, name: &str) -> Option<String> {
    root.query_selector(selector).unwrap()?.get_attribute(name)
}

/// The text of the secret field (`[data-testid=secret-value]`), which must be there now.
pub fn secret_text(root: &Element) -> String {
    root.query_selector("[data-testid=secret-value]")
        .unwrap()
        .expect("the secret field")
        .text_content()
        .unwrap_or_default()
}

/// An answer with `body` as JSON (null: no body).
pub fn reply(status: u16, body: Value) -> HttpResponse {
    HttpResponse::new(
        status,
        if body.is_null() {
            String::new()
        } else {
            body.to_string()
        },
    )
}

/// A sender that answers every request at once with `answer(request)`.
pub fn canned(answer: impl Fn(&HttpRequest) -> HttpResponse + 'static) -> Sender {
    Sender::new(move |req: HttpRequest| {
        let res = answer(&req);
        async move { Ok(res) }
    })
}

/// The (method, URL) of every request sent.
pub type Sent = Rc<RefCell<Vec<(Method, String)>>>;

/// Like [`canned`], and logs the (method, URL) of every request before answering it.
pub fn canned_logged(answer: impl Fn(&HttpRequest) -> HttpResponse + 'static) -> (Sender, Sent) {
    let sent = Sent::default();
    let log = sent.clone();
    let sender = canned(move |req| {
        log.borrow_mut().push((req.method, req.url.clone()));
        answer(req)
    });
    (sender, sent)
}

/// The request's JSON body.
pub fn sent_json(req: &HttpRequest) -> Value {
    serde_json::from_str(req.body.as_deref().unwrap()).unwrap()
}

/// The wizard against [`GRAPH`] in [`TENANT`]: lifetimes up to 730 days, no clipboard clearing.
pub fn wizard_config() -> WizardConfig {
    WizardConfig {
        graph_base: GRAPH.into(),
        tenant_id: TENANT.into(),
        max_lifetime_days: 730,
        default_lifetime_days: 730,
        clipboard_clear_secs: 0,
    }
}

/// Key Vault through ARM, any vault, secrets named `{app}-client-secret`.
pub fn vault_settings() -> VaultSettings {
    VaultSettings {
        default: None,
        allowed: Vec::new(),
        secret_name_template: "{app}-client-secret".into(),
        mode: VaultMode::Arm,
        gateway: None,
    }
}

/// Graph's answers about Dev Dan signed in and owning the app: no directory roles, no groups,
/// `/me`, the app's owners, and addPassword issuing `secret` (with `hint`) for what was asked.
/// None: the request is not one of those.
pub fn dan_on_graph(req: &HttpRequest, hint: &str, secret: &str) -> Option<Value> {
    let url = req.url.as_str();
    Some(
        if url.contains("/roleManagement/") || url.contains("/transitiveMemberOf/") {
            json!({ "value": [] })
        } else if url.contains("/v1.0/me?") {
            json!({ "id": DAN, "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" })
        } else if url.ends_with("/owners") {
            json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": DAN,
                                "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] })
        } else if url.ends_with("/addPassword") {
            let sent = sent_json(req);
            let pc = &sent["passwordCredential"];
            json!({ "keyId": "k-new", "displayName": pc["displayName"], "hint": hint,
                    "startDateTime": pc["startDateTime"], "endDateTime": pc["endDateTime"],
                    "secretText": secret })
        } else {
            return None;
        },
    )
}
