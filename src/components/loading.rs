//! A loading line: a spinner that is only decoration, and text that says what is loading.
//!
//! A plain function ([`loading`]); the [`Loading`] component wraps it for callers that still
//! mount it as a component.

use yew::prelude::*;

pub fn loading(text: AttrValue) -> Html {
    html! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            { text }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    pub text: AttrValue,
}

/// [`loading`] as a component.
#[function_component(Loading)]
pub fn loading_component(props: &LoadingProps) -> Html {
    loading(props.text.clone())
}
