//! The wizard page (the screen the app mounts): wires the wizard to the app's config, session
//! and sign-out.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::hook::Hooks;
use super::shared::WizardConfig;
use super::view::WizardFlow;
use crate::app::{use_app, AppContext};
use crate::config::Config;
use crate::runtime::Sender;

/// What the wizard needs from config.json.
pub fn wizard_config(config: &Config) -> WizardConfig {
    WizardConfig {
        graph_base: config.graph_base().to_string(),
        tenant_id: config.tenant_id.clone(),
        max_lifetime_days: config.policy.max_lifetime_days,
        default_lifetime_days: config.policy.default_lifetime_days,
        clipboard_clear_secs: config.policy.clipboard_clear_seconds,
    }
}

/// Signs out as the header does: MSAL's logout starts inside the click that asked for it.
fn sign_out(ctx: &AppContext) {
    let done = ctx.session.sign_out();
    ctx.set_account.emit(None);
    spawn_local(async move {
        // Ending the identity provider's session is best effort; the local one is gone.
        let _ = done.await;
    });
}

#[function_component(WizardPage)]
pub fn wizard_page() -> Html {
    let ctx = use_app();
    let nav = use_context::<crate::app::Nav>();
    let config = wizard_config(&ctx.config);
    let hooks = {
        let ctx = ctx.clone();
        let go = nav.as_ref().map(|n| n.go.clone());
        use_memo(Rc::as_ptr(&ctx.session) as usize, move |_| Hooks {
            sender: Sender::from_session(ctx.session.clone()),
            on_sign_out: {
                let ctx = ctx.clone();
                // A copied secret leaves the clipboard first (`app::clipboard`).
                Callback::from(move |()| {
                    let (ctx, clipboard) = (ctx.clone(), ctx.clipboard.clone());
                    crate::app::sign_out_after_clearing(clipboard.as_ref(), move || sign_out(&ctx))
                })
            },
            // The page bar's pages (app::nav); no URLs.
            on_navigate: go.unwrap_or_else(Callback::noop),
        })
    };
    html! {
        <main class="page" id="main">
            <h1>{ "Create a client secret" }</h1>
            <p class="lead">
                { "Find the app, check its credentials, and add a new secret. You'll see the \
                   value once, right here; copy it into the place that needs it." }
            </p>
            <WizardFlow config={config} hooks={(*hooks).clone()} prepared={nav.and_then(|n| n.prepared)} />
        </main>
    }
}
