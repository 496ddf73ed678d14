//! The signed-out page: what the tool does, what it will ask for, and one button.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::context::use_app;
use crate::auth::AuthError;
use crate::components::{error_panel, learn_more};

#[function_component(SignedOutPage)]
pub fn signed_out_page() -> Html {
    let ctx = use_app();
    let busy = use_state(|| false);
    // Clicked before MSAL had started (a slow network): its window opens once it has.
    let preparing = use_state(|| false);
    // A redirect sign-in that failed on this load is shown once.
    let error = {
        let session = ctx.session.clone();
        use_state(move || session.take_redirect_error())
    };

    let on_sign_in = {
        let (ctx, busy, error) = (ctx.clone(), busy.clone(), error.clone());
        let preparing = preparing.clone();
        Callback::from(move |_: MouseEvent| {
            if !ctx.session.is_started() {
                preparing.set(true);
                let (session, preparing) = (ctx.session.clone(), preparing.clone());
                spawn_local(async move {
                    let _ = session.started().await;
                    preparing.set(false);
                });
            }
            // No await before loginPopup: it must open its window inside this click.
            let signing_in = ctx.session.sign_in_popup();
            // The rest of the app downloads while the user signs in.
            super::boot_shell::prefetch_full_app();
            busy.set(true);
            error.set(None);
            let (set_account, busy, error) = (ctx.set_account.clone(), busy.clone(), error.clone());
            spawn_local(async move {
                match signing_in.await {
                    Ok(account) => set_account.emit(Some(account)),
                    // The page is leaving for the sign-in page; keep the message up.
                    Err(e @ AuthError::Redirecting) => error.set(Some(e)),
                    Err(e) => {
                        busy.set(false);
                        error.set(Some(e));
                    }
                }
            });
        })
    };

    html! {
        <main class="page page-narrow" id="main">
            <h1>{ "Create a client secret and keep it in Key Vault" }</h1>
            <p class="lead">
                { "secret-wizard adds a new client secret to one of your app registrations, \
                   shows it to you once, and stores it straight in Azure Key Vault, so it never \
                   has to sit in a chat, a ticket or a file. When you sign in, it asks to read and \
                   update app registrations (Microsoft Graph) and to find vaults and write \
                   secrets on your behalf (Azure Resource Manager and Key Vault). It can only do \
                   what your own roles already allow." }
            </p>
            <div class="actions">
                <button type="button" class="button button-primary" onclick={on_sign_in}
                        disabled={*busy} aria-busy={busy.to_string()}>
                    { "Sign in" }
                </button>
                if *busy {
                    <span class="hint" role="status">
                        { if *preparing { "Preparing sign-in…" } else { "Finish signing in in the window that opened…" } }
                    </span>
                }
            </div>
            { learn_more() }
            if let Some(e) = &*error {
                { error_panel(
                    if matches!(e, AuthError::Redirecting) { "Continuing in this tab" } else { "You're not signed in" }.into(),
                    e.user_message().into(),
                    Some(e.details().into()),
                    super::setup_link(),
                ) }
            }
            { super::setup_link() }
        </main>
    }
}
