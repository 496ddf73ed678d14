//! The prompt a token request waits on when Microsoft needs the person again (consent for a
//! service, or a new sign-in): the app says what will be asked and why ([`crate::auth::prompt`]),
//! and the Microsoft window opens only from the person's click on Continue.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::context::use_app;
use crate::auth::prompt::interaction_prompt;
use crate::auth::PendingInteraction;
use crate::components::ConfirmDialog;

/// While the Microsoft window is open.
const WAITING: &str = "Finish in the Microsoft window that opened. If you closed it, or it says \
    an administrator must approve, select Stop waiting.";

#[function_component(InteractionPrompt)]
pub fn interaction_prompt_view() -> Html {
    let ctx = use_app();
    let pending = {
        let session = ctx.session.clone();
        use_state(move || session.pending_interaction())
    };
    {
        // The session tells this component when a request starts or stops waiting.
        let (session, pending) = (ctx.session.clone(), pending.clone());
        use_effect_with(Rc::as_ptr(&ctx.session) as usize, move |_| {
            let setter = pending.setter();
            session.on_interaction(Some(Rc::new(move |p: Option<PendingInteraction>| {
                setter.set(p)
            })));
            move || session.on_interaction(None)
        });
    }
    // The Microsoft window is open (Continue was clicked for this prompt).
    let in_window = use_state(|| false);
    {
        let in_window = in_window.clone();
        use_effect_with(pending.is_some(), move |_| in_window.set(false));
    }
    let Some((resource, error)) = (*pending).clone() else {
        return html! {};
    };
    let words = interaction_prompt(resource, &error);
    let on_cancel = {
        let session = ctx.session.clone();
        Callback::from(move |()| session.decline_interaction())
    };
    if *in_window {
        let stop = on_cancel.reform(|_: MouseEvent| ());
        return html! {
            <div class="dialog-backdrop">
                <div class="dialog" role="alertdialog" aria-modal="true"
                    aria-labelledby="interaction-title" aria-describedby="interaction-message">
                    <h2 id="interaction-title">{ words.title }</h2>
                    <p id="interaction-message" role="status">{ WAITING }</p>
                    <div class="actions">
                        <button type="button" class="button button-secondary" onclick={stop}>
                            { "Stop waiting" }
                        </button>
                    </div>
                </div>
            </div>
        };
    }
    let on_confirm = {
        let (session, in_window) = (ctx.session.clone(), in_window.clone());
        // No await before the popup: it must open inside this click.
        Callback::from(move |()| {
            let answered = session.continue_interaction();
            in_window.set(true);
            spawn_local(async move { drop(answered.await) });
        })
    };
    html! {
        <ConfirmDialog title={words.title} message={words.message}
            confirm_label={words.action} cancel_label="Not now" danger={false}
            on_confirm={on_confirm} on_cancel={on_cancel} />
    }
}
