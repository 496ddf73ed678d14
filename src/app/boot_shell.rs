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
use crate::components::{ErrorPanel, Loading};

/// index.html's `<meta name=…>` holding the full app's module URL.
const APP_META: &str = "secret-wizard-app";

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

/// Installs the panic hook, reads config.json and starts MSAL, then mounts the boot app on
/// `#app` (as `super::start` does for the full app).
pub fn start_boot() {
    super::panic::install();
    spawn_local(async {
        let props = super::BootProps {
            first: super::first_step().await,
        };
        let Some(root) = super::cleared_root() else {
            return super::show_fatal_page();
        };
        let handle = yew::Renderer::<BootApp>::with_root_and_props(root, props).render();
        MOUNTED.with(|m| *m.borrow_mut() = Some(handle));
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
    let module = JsFuture::from(import_module(&url)?).await?;
    if let Some(handle) = MOUNTED.with(|m| m.borrow_mut().take()) {
        handle.destroy();
    }
    show_opening();
    // The boot app is gone now: a failure from here on replaces the page.
    let started = match init_module(&module) {
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
                <ErrorPanel title={NOT_LOADED_TITLE} message={NOT_LOADED} />
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
pub fn boot_app(props: &super::BootProps) -> Html {
    super::boot_view(
        &super::use_boot(&props.first),
        |props| html! { <BootShell ..props /> },
    )
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
