//! The top bar: the tool's name, and who is signed in with a Sign out button.
//!
//! A plain function of the app's context ([`header`]), which the full app's shell calls with the
//! context it provides; the boot module mounts it as the [`Header`] component.

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::context::{use_app, AppContext};
use crate::wizard::LeaveGuard;

/// [`header`] with the context and the leave guard (if any) read from above.
#[function_component(Header)]
pub fn header_component() -> Html {
    let ctx = use_app();
    let leave_guard = use_context::<LeaveGuard>();
    header(&ctx, leave_guard)
}

/// The bar for `ctx`; `leave_guard` lets Sign out ask first while the wizard shows an uncopied
/// secret.
pub fn header(ctx: &AppContext, leave_guard: Option<LeaveGuard>) -> Html {
    let on_sign_out = {
        let ctx = ctx.clone();
        Callback::from(move |_: MouseEvent| {
            // The wizard asks first when signing out would lose a secret's value.
            if leave_guard
                .as_ref()
                .is_some_and(|g| g.intercept(crate::wizard::Leave::SignOut))
            {
                return;
            }
            // A copied secret leaves the clipboard first: once the sign-out window has focus,
            // this page can neither read nor write the clipboard.
            let ctx = ctx.clone();
            let clipboard = ctx.clipboard.clone();
            super::clipboard::sign_out_after_clearing(clipboard.as_ref(), move || {
                // logoutPopup starts here, from the click (the popup needs the gesture; the
                // clipboard check before it takes milliseconds). MSAL clears its cache first;
                // the page shows the signed-out state at once.
                let done = ctx.session.sign_out();
                ctx.set_account.emit(None);
                spawn_local(async move {
                    // Ending the identity provider's session is best effort: the local session
                    // is gone either way, so there is nothing more to tell the user.
                    let _ = done.await;
                });
            });
        })
    };
    html! {
        <header class="topbar">
            <div class="topbar-inner">
                <span class="brand">
                    <span class="brand-mark" aria-hidden="true"></span>
                    { "secret-wizard" }
                </span>
                if let Some(account) = &ctx.account {
                    <div class="user">
                        <span class="user-text">
                            <span class="user-name">{ account.label().to_string() }</span>
                            <span class="user-upn">{ account.username.clone() }</span>
                        </span>
                        <button type="button" class="button button-secondary" onclick={on_sign_out}>
                            { "Sign out" }
                        </button>
                    </div>
                }
            </div>
        </header>
    }
}
