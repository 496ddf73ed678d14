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

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;
use yew::AppHandle;

use super::context::AppContext;
use super::header::Header;
use super::nav::SignedOutLink;
use super::signed_out::SignedOutPage;
use super::ShellProps;
use crate::components::{error_panel, loading};

/// index.html's `<meta name=…>` holding the full app's module URL.
const APP_META: &str = "secret-wizard-app";

#[wasm_bindgen(
    inline_js = "export function import_module(url) { const m = import(url); m.catch(() => {}); return m; }\n\
export function compile_wasm(url) { return WebAssembly.compileStreaming(fetch(url)).catch(() => null); }\n\
export function init_module(m, compiled) { return compiled ? m.default({ module_or_path: compiled }) : m.default(); }"
)]
extern "C" {
    /// `import(url)`. Its failure counts as handled (it may be started early, at Sign in, and
    /// only awaited at the hand-over, which reports it).
    #[wasm_bindgen(catch)]
    fn import_module(url: &str) -> Result<js_sys::Promise, JsValue>;
    /// Fetches and compiles a wasm file; resolves to the `WebAssembly.Module`, or `null` if
    /// either fails (the module's own start then fetches it, and reports the failure).
    fn compile_wasm(url: &str) -> js_sys::Promise;
    /// Starts a wasm-bindgen module, with its wasm already compiled when `compiled` is one.
    #[wasm_bindgen(catch)]
    fn init_module(module: &JsValue, compiled: &JsValue) -> Result<js_sys::Promise, JsValue>;
}

thread_local! {
    static MOUNTED: RefCell<Option<AppHandle<BootApp>>> = const { RefCell::new(None) };
}

/// Installs the panic hook and mounts the boot app (`super::mount`), keeping its handle for the
/// hand-over.
pub fn start_boot() {
    super::panic::install();
    spawn_local(async {
        let handle = super::mount::<BootApp>().await;
        MOUNTED.with(|m| *m.borrow_mut() = handle);
    });
}

/// The full app on its way: the module's `import()` and its wasm's compilation.
struct FullApp {
    module: Result<js_sys::Promise, JsValue>,
    compiled: Option<js_sys::Promise>,
}

thread_local! {
    static PREFETCHED: RefCell<Option<FullApp>> = const { RefCell::new(None) };
}

fn fetch_full_app(url: &str) -> FullApp {
    FullApp {
        module: import_module(url),
        compiled: crate::destinations::module_wasm(url).map(|wasm| compile_wasm(&wasm)),
    }
}

/// Starts loading the full app, once: its module, and its wasm fetched and compiled in the
/// background. Called when the user starts signing in, so this happens while they type their
/// password and the hand-over after sign-in has nothing left to download or compile. Never
/// before: a visitor who does not sign in costs no more than the first load.
pub fn prefetch_full_app() {
    let Some(url) = app_module_url() else {
        return;
    };
    PREFETCHED.with(|p| {
        let mut p = p.borrow_mut();
        if p.is_none() {
            *p = Some(fetch_full_app(&url));
        }
    });
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
    let app = PREFETCHED
        .with(|p| p.borrow_mut().take())
        .unwrap_or_else(|| fetch_full_app(&url));
    let module = JsFuture::from(app.module?).await?;
    let compiled = match app.compiled {
        Some(compiling) => JsFuture::from(compiling).await.unwrap_or(JsValue::NULL),
        None => JsValue::NULL,
    };
    if let Some(handle) = MOUNTED.with(|m| m.borrow_mut().take()) {
        handle.destroy();
    }
    show_opening();
    // The boot app is gone now: a failure from here on replaces the page.
    let started = match init_module(&module, &compiled) {
        Ok(promise) => JsFuture::from(promise).await.map(drop),
        Err(e) => Err(e),
    };
    if started.is_err() {
        super::show_error_page(NOT_LOADED_TITLE, NOT_LOADED);
    }
    Ok(())
}

const OPENING: &str = "Opening secret-wizard…";
const NOT_LOADED_TITLE: &str = "secret-wizard didn't load";
const NOT_LOADED: &str =
    "You are signed in, but the rest of the app could not be loaded. Reload the page to try again.";

/// The line index.html shows while loading, in place of the unmounted boot app.
fn show_opening() {
    let Some(root) = super::cleared_root() else {
        return;
    };
    let Some(doc) = root.owner_document() else {
        return;
    };
    if let (Ok(main), Ok(p)) = (doc.create_element("main"), doc.create_element("p")) {
        main.set_class_name("page page-narrow");
        let _ = main.set_attribute("aria-busy", "true");
        p.set_class_name("loading");
        let _ = p.set_attribute("role", "status");
        p.set_text_content(Some(OPENING));
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
                { error_panel(NOT_LOADED_TITLE.into(), NOT_LOADED.into(), None, Html::default()) }
            </main>
        }
    } else {
        html! {
            <main class="page page-narrow" id="main" aria-busy="true">
                { loading(OPENING.into()) }
            </main>
        }
    }
}

/// The boot root: start-up as in the full app, then the signed-out page or the hand-over.
#[function_component(BootApp)]
pub fn boot_app(props: &super::BootProps) -> Html {
    let state = super::use_boot(&props.first);
    // The Setup check lives in the full app, and must open even when signing in can't.
    if crate::setup::requested_here() {
        return html! { <HandOver /> };
    }
    super::boot_view(&state, |props| html! { <BootShell ..props /> })
}

/// The signed-out screen, exactly as the full app draws it; signed in, the hand-over.
#[function_component(BootShell)]
fn boot_shell(props: &ShellProps) -> Html {
    let ctx = super::use_app_context(props);
    if ctx.account.is_some() {
        return html! { <HandOver /> };
    }
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
