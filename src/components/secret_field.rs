//! The secret value's one field: masked by default, Reveal/Hide (`aria-pressed`), and Copy.
//!
//! The value is only ever written into this field's text (while revealed) and into the
//! clipboard call, which runs inside the click so the browser allows it.
//!
//! No plain `String` copy of the value is ever made here. Yew's virtual DOM keeps the text it
//! renders for as long as that render is on screen (and frees it unwiped afterwards), so the
//! value is never rendered through it: the `<span>` that shows it is empty in the virtual DOM,
//! and an effect sets its DOM text straight from the [`SecretValue`]'s own bytes when Reveal is
//! pressed (`Node.textContent`, which wasm-bindgen decodes from the borrowed `&str` in
//! JavaScript; nothing is allocated in the wasm heap) and removes it on Hide, when the value
//! changes, and when the field goes (Finish, leaving the step). What the browser itself keeps
//! is out of Rust's reach: while revealed, the text node's string lives in the JavaScript heap;
//! once removed it is unreachable and left to the garbage collector, which does not wipe it.
//! `tests/web_components.rs` checks that the wasm heap holds the value exactly once (its
//! `SecretValue`) masked, revealed and hidden, and that the DOM text is gone after Hide and
//! after the field is unmounted.

use std::rc::Rc;

use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use crate::domain::SecretValue;

/// Shared read access to the value, compared by identity (never by content).
#[derive(Clone)]
pub struct SharedSecret(pub Rc<SecretValue>);

impl PartialEq for SharedSecret {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the masked field shows: a fixed run of dots, which says nothing about the value.
pub const MASK: &str = "••••••••••••••••••••••••••••••••";

#[derive(Properties, PartialEq)]
pub struct SecretFieldProps {
    pub secret: SharedSecret,
    pub label: AttrValue,
    /// The copy has been confirmed (shows and announces "Copied").
    #[prop_or_default]
    pub copied: bool,
    pub on_copied: Callback<()>,
    pub on_copy_failed: Callback<()>,
}

#[function_component(SecretField)]
pub fn secret_field(props: &SecretFieldProps) -> Html {
    let revealed = use_state_eq(|| false);
    let value_node = use_node_ref();
    {
        let value_node = value_node.clone();
        use_effect_with(
            (*revealed, props.secret.clone()),
            move |(revealed, secret)| {
                let node = value_node.get();
                if *revealed {
                    if let Some(n) = &node {
                        n.set_text_content(Some(secret.0.expose()));
                    }
                }
                // Hide, another value, or the field unmounted: the text node goes.
                move || {
                    if let Some(n) = node {
                        n.set_text_content(None);
                    }
                }
            },
        );
    }
    let toggle = {
        let revealed = revealed.clone();
        Callback::from(move |_: MouseEvent| revealed.set(!*revealed))
    };
    let copy = {
        let secret = props.secret.clone();
        let on_copied = props.on_copied.clone();
        let on_copy_failed = props.on_copy_failed.clone();
        Callback::from(move |_: MouseEvent| {
            // Called right here in the click handler: the Clipboard API needs the gesture.
            let Some(window) = web_sys::window() else {
                on_copy_failed.emit(());
                return;
            };
            let promise = window.navigator().clipboard().write_text(secret.0.expose());
            let (ok, failed) = (on_copied.clone(), on_copy_failed.clone());
            spawn_local(async move {
                match JsFuture::from(promise).await {
                    Ok(_) => ok.emit(()),
                    Err(_) => failed.emit(()),
                }
            });
        })
    };
    html! {
        <div class="secret-field">
            <span class="secret-label" id="secret-value-label">{ props.label.clone() }</span>
            <div class="secret-row">
                <code id="secret-value" class={if *revealed { "secret-value" } else { "secret-value masked" }}
                    aria-labelledby="secret-value-label" data-testid="secret-value">
                    // Empty here; its text is set from the value's bytes while revealed (above).
                    <span ref={value_node} class="secret-text"></span>
                    if !*revealed {
                        <span aria-label="hidden value">{ MASK }</span>
                    }
                </code>
                <button type="button" class="button button-secondary" aria-pressed={revealed.to_string()}
                    aria-controls="secret-value" onclick={toggle}>
                    { if *revealed { "Hide" } else { "Reveal" } }
                </button>
                <button type="button" class="button button-primary" onclick={copy}>
                    { "Copy" }
                </button>
            </div>
            <p class="copy-status" aria-live="polite" role="status">
                if props.copied {
                    <span class="copied-tick" aria-hidden="true">{ "✓ " }</span>{ "Copied" }
                }
            </p>
        </div>
    }
}
