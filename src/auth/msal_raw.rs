//! Raw bindings to MSAL.js 5 (`window.msal`, the UMD bundle loaded by index.html), and the
//! plain JS objects its methods take. Nothing here knows about the app; `session.rs` does.
//!
//! Every method returns its Promise without awaiting it, so a caller can start an interactive
//! flow synchronously inside a click handler (popups need the user gesture) and await later.
//! `catch` turns a synchronous throw into an `Err`.

use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::error::{AuthError, MSAL_NOT_LOADED};
use super::MSAL_SCRIPT_URL;
use crate::config::MsalSettings;

#[wasm_bindgen(js_namespace = msal)]
extern "C" {
    /// `msal.PublicClientApplication`.
    #[derive(Clone)]
    pub type PublicClientApplication;

    #[wasm_bindgen(constructor, catch)]
    pub fn new(config: &Object) -> Result<PublicClientApplication, JsValue>;

    #[wasm_bindgen(method, catch)]
    pub fn initialize(this: &PublicClientApplication) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = handleRedirectPromise)]
    pub fn handle_redirect_promise(
        this: &PublicClientApplication,
        options: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = loginPopup)]
    pub fn login_popup(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = loginRedirect)]
    pub fn login_redirect(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = acquireTokenSilent)]
    pub fn acquire_token_silent(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = acquireTokenPopup)]
    pub fn acquire_token_popup(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = logoutPopup)]
    pub fn logout_popup(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, catch, js_name = logoutRedirect)]
    pub fn logout_redirect(
        this: &PublicClientApplication,
        request: &Object,
    ) -> Result<Promise, JsValue>;

    #[wasm_bindgen(method, js_name = getAllAccounts)]
    pub fn get_all_accounts(this: &PublicClientApplication) -> Array;

    /// The active account, or `null`.
    #[wasm_bindgen(method, js_name = getActiveAccount)]
    pub fn get_active_account(this: &PublicClientApplication) -> JsValue;

    #[wasm_bindgen(method, js_name = setActiveAccount)]
    pub fn set_active_account(this: &PublicClientApplication, account: &JsValue);
}

/// True when `window.msal` exists (index.html loaded the bundle).
pub fn msal_loaded() -> bool {
    Reflect::get(&js_sys::global(), &JsValue::from_str("msal"))
        .map(|m| m.is_object())
        .unwrap_or(false)
}

thread_local! {
    /// The `<script>` load started by [`msal_ready`]: resolves on its `load` or `error`.
    static LOADING: std::cell::RefCell<Option<Promise>> = const { std::cell::RefCell::new(None) };
}

/// Loads MSAL's bundle ([`MSAL_SCRIPT_URL`]) if it has not run yet, and waits for it. index.html
/// does not load it: fetching and running its 300 KB of JavaScript waits until the app asks,
/// after the first screen is drawn (measured: the Sign in button is ready sooner, and MSAL is
/// still ready long before anyone can click). The script element is ours from the start, so its
/// `load` or `error` cannot be missed; on `error`, [`create`] reports MSAL missing.
pub async fn msal_ready() {
    if msal_loaded() {
        return;
    }
    let Some(loading) = LOADING.with(|l| {
        let mut l = l.borrow_mut();
        if l.is_none() {
            *l = insert_script();
        }
        l.clone()
    }) else {
        return;
    };
    let _ = wasm_bindgen_futures::JsFuture::from(loading).await;
}

fn insert_script() -> Option<Promise> {
    let doc = web_sys::window()?.document()?;
    let script = doc.create_element("script").ok()?;
    script.set_attribute("src", MSAL_SCRIPT_URL).ok()?;
    let done = Promise::new(&mut |resolve, _reject| {
        for event in ["load", "error"] {
            let resolve = resolve.clone();
            gloo::events::EventListener::once(&script, event, move |_| {
                let _ = resolve.call0(&JsValue::NULL);
            })
            .forget();
        }
    });
    doc.head()?.append_child(&script).ok()?;
    Some(done)
}

/// Creates the client from the app's settings (no network yet).
pub fn create(settings: &MsalSettings) -> Result<PublicClientApplication, AuthError> {
    if !msal_loaded() {
        return Err(AuthError::Other {
            code: MSAL_NOT_LOADED.into(),
        });
    }
    PublicClientApplication::new(&configuration(settings)).map_err(|e| to_auth_error(&e))
}

/// MSAL's `Configuration`: plain objects only (MSAL copies them with `Object.assign`).
pub fn configuration(s: &MsalSettings) -> Object {
    let auth = Object::new();
    set(&auth, "clientId", &s.client_id.as_str().into());
    set(&auth, "authority", &s.authority.as_str().into());
    set(&auth, "knownAuthorities", &strings(&s.known_authorities));
    if let Some(meta) = &s.authority_metadata {
        set(&auth, "authorityMetadata", &meta.as_str().into());
    }
    set(&auth, "redirectUri", &s.redirect_uri.as_str().into());
    // logoutPopup returns through the redirect bridge, like every other popup.
    set(
        &auth,
        "postLogoutRedirectUri",
        &s.redirect_uri.as_str().into(),
    );

    let cache = Object::new();
    set(&cache, "cacheLocation", &"sessionStorage".into());

    let config = Object::new();
    set(&config, "auth", &auth);
    set(&config, "cache", &cache);
    // `system.protocolMode` stays MSAL's default (AAD).
    config
}

/// A request object: `{ scopes, account?, ...extra }`.
pub fn request(scopes: &[String], account: Option<&JsValue>) -> Object {
    let req = Object::new();
    set(&req, "scopes", &strings(scopes));
    if let Some(a) = account {
        set(&req, "account", a);
    }
    req
}

/// Sets one property; `Reflect::set` only fails on frozen objects, which these never are.
pub fn set(target: &Object, key: &str, value: &JsValue) {
    let _ = Reflect::set(target, &JsValue::from_str(key), value);
}

pub fn strings(items: &[String]) -> Array {
    items.iter().map(|s| JsValue::from_str(s)).collect()
}

/// Reads a string property of a JS object.
pub fn get_string(target: &JsValue, key: &str) -> Option<String> {
    Reflect::get(target, &JsValue::from_str(key))
        .ok()
        .and_then(|v| v.as_string())
}

/// Turns whatever MSAL threw or rejected with into an [`AuthError`], by `errorCode`.
/// The message is never read: MSAL 5 puts only a link there, and other errors could carry data.
pub fn to_auth_error(err: &JsValue) -> AuthError {
    let code = get_string(err, "errorCode").unwrap_or_default();
    let class = get_string(err, "name").unwrap_or_default();
    if code.is_empty() && err.dyn_ref::<js_sys::TypeError>().is_some() {
        return AuthError::Network;
    }
    let sub_error = get_string(err, "subError").unwrap_or_default();
    AuthError::from_parts(&code, &sub_error, &class)
}
