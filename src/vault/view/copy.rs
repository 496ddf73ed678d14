//! A copy button for text that is not secret (references, commands, identifiers), with
//! "Copied" feedback. The clipboard call runs inside the click, as browsers require.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CopyTextProps {
    pub text: AttrValue,
    /// What is copied, for the button's accessible name ("Copy the Key Vault reference").
    pub what: AttrValue,
}

#[function_component(CopyText)]
pub fn copy_text(props: &CopyTextProps) -> Html {
    let status = use_state_eq(|| None::<bool>);
    let onclick = {
        let text = props.text.clone();
        let status = status.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(window) = web_sys::window() else {
                status.set(Some(false));
                return;
            };
            let promise = window.navigator().clipboard().write_text(&text);
            let status = status.clone();
            spawn_local(async move {
                status.set(Some(JsFuture::from(promise).await.is_ok()));
            });
        })
    };
    html! {
        <span class="copy-text">
            <button type="button" class="button button-secondary" onclick={onclick}
                aria-label={format!("Copy {}", props.what)}>
                { "Copy" }
            </button>
            <span class="copy-status" role="status" aria-live="polite">
                { match *status {
                    Some(true) => html! { <><span class="copied-tick" aria-hidden="true">{ "✓ " }</span>{ "Copied" }</> },
                    Some(false) => html! { { "Copying didn't work: select the text and press Ctrl+C." } },
                    None => html! {},
                } }
            </span>
        </span>
    }
}
