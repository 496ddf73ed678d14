//! The boot module (`secret-wizard-boot`, the only wasm the first page load fetches): config.json,
//! MSAL, the signed-out page and sign-in — and nothing of the wizard, the overview, rotation or
//! hand-off pages, which the linker leaves out because nothing here reaches them.
//!
//! Once someone is signed in (on this load, or already from an earlier one), the boot module
//! hands over: it loads the full app's module (its URL is in index.html's
//! `<meta name="secret-wizard-app">`, written by `cargo xtask` at build time), unmounts itself,
//! and starts it. The full app reads config.json and MSAL's session cache again and opens signed
//! in. Nothing passes between the two modules but what is in `sessionStorage` (MSAL's cache, a
//! pending hand-off link).

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;
use yew::AppHandle;

use super::context::AppContext;
use super::header::Header;
use super::nav::SignedOutLink;
use super::signed_out::SignedOutPage;
use super::{Boot, ROOT_ID};
use crate::auth::Session;
use crate::components::{ErrorPanel, Loading};
use crate::config::Config;

/// index.html's `<meta name=…>` holding the full app's module URL.
pub const APP_META: &str = "secret-wizard-app";

#[wasm_bindgen(
    inline_js = "export function import_module(url) { return import(url); }\n\
export function init_module(m) { return m.default(); }"
)]
extern "C" {
    #[wasm_bindgen(catch)]
    fn import_module(url: &str) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch)]
    fn init_module(module: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    static MOUNTED: RefCell<Option<AppHandle<BootApp>>> = const { RefCell::new(None) };
}

/// Installs the panic hook and mounts the boot app on `#app`.
pub fn start_boot() {
    super::panic::install();
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(ROOT_ID))
    else {
        return super::show_fatal_page();
    };
    while let Some(child) = root.first_child() {
        let _ = root.remove_child(&child);
    }
    let handle = yew::Renderer::<BootApp>::with_root(root).render();
    MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
}

fn app_module_url() -> Option<String> {
    let doc = web_sys::window()?.document()?;
    let meta = doc
        .query_selector(&format!("meta[name=\"{APP_META}\"]"))
        .ok()??;
    meta.get_attribute("content")
        .filter(|u| crate::destinations::is_site_path(u))
}

/// Loads the full app, unmounts the boot app, starts the full app (which takes `#app` over).
async fn hand_over() -> Result<(), JsValue> {
    let url = app_module_url().ok_or_else(|| JsValue::from_str("no app module"))?;
    let module = JsFuture::from(import_module(&url)?).await?;
    if let Some(handle) = MOUNTED.with(|m| m.borrow_mut().take()) {
        handle.destroy();
    }
    show_line(OPENING, false);
    // The boot app is gone now: a failure from here on is written to the page directly.
    let started = match init_module(&module) {
        Ok(promise) => JsFuture::from(promise).await.map(drop),
        Err(e) => Err(e),
    };
    if started.is_err() {
        show_line(NOT_LOADED, true);
    }
    Ok(())
}

const OPENING: &str = "Opening secret-wizard…";
const NOT_LOADED: &str =
    "secret-wizard didn't load: you are signed in, but the rest of the app could not be loaded. \
     Reload the page to try again.";

/// A single line in place of the app: progress (like index.html's), or a failure (an alert).
fn show_line(text: &str, failure: bool) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(root) = doc.get_element_by_id(ROOT_ID) else {
        return;
    };
    root.set_inner_html("");
    let make = |tag: &str, class: &str| {
        let el = doc.create_element(tag).ok()?;
        el.set_class_name(class);
        Some(el)
    };
    let (class, role) = if failure {
        ("notice notice-warning", "alert")
    } else {
        ("loading", "status")
    };
    if let (Some(main), Some(p)) = (make("main", "page page-narrow"), make("p", class)) {
        let _ = main.set_attribute("aria-busy", if failure { "false" } else { "true" });
        let _ = p.set_attribute("role", role);
        p.set_text_content(Some(text));
        let _ = main.append_child(&p);
        let _ = root.append_child(&main);
    }
}

/// Signed in: hand over to the full app; shows a message if its module cannot be loaded.
#[function_component(HandOver)]
fn hand_over_view() -> Html {
    let failed = use_state(|| false);
    {
        let failed = failed.clone();
        use_effect_with((), move |_| {
            spawn_local(async move {
                if hand_over().await.is_err() {
                    failed.set(true);
                }
            });
        });
    }
    if *failed {
        html! {
            <main class="page page-narrow" id="main">
                <ErrorPanel title="secret-wizard didn't load"
                    message="You are signed in, but the rest of the app could not be loaded. Reload the page to try again." />
            </main>
        }
    } else {
        html! {
            <main class="page page-narrow" id="main" aria-busy="true">
                <Loading text={OPENING} />
            </main>
        }
    }
}

/// The boot root: start-up as in the full app, then the signed-out page or the hand-over.
#[function_component(BootApp)]
pub fn boot_app() -> Html {
    let state = super::use_boot();
    match &*state {
        Boot::Ready(config, session) => html! {
            <BootShell config={config.clone()} session={session.clone()} />
        },
        other => super::boot_view(other),
    }
}

#[derive(Properties)]
struct BootShellProps {
    config: Rc<Config>,
    session: Rc<Session>,
}

impl PartialEq for BootShellProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config) && Rc::ptr_eq(&self.session, &other.session)
    }
}

/// The signed-out screen, exactly as the full app draws it; signed in, the hand-over.
#[function_component(BootShell)]
fn boot_shell(props: &BootShellProps) -> Html {
    let account = {
        let session = props.session.clone();
        use_state(move || session.account())
    };
    if account.is_some() {
        return html! { <HandOver /> };
    }
    let ctx = AppContext {
        config: props.config.clone(),
        session: props.session.clone(),
        account: None,
        set_account: {
            let account = account.clone();
            Callback::from(move |a| account.set(a))
        },
    };
    let demo = super::is_demo(&ctx.config);
    html! {
        <ContextProvider<AppContext> context={ctx}>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <Header />
            <crate::components::Tour demo={demo} />
            <SignedOutLink>
                <SignedOutPage />
            </SignedOutLink>
        </ContextProvider<AppContext>>
    }
}
