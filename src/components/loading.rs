//! A loading line: a spinner that is only decoration, and text that says what is loading.

use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct LoadingProps {
    pub text: AttrValue,
}

#[function_component(Loading)]
pub fn loading(props: &LoadingProps) -> Html {
    html! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            { props.text.clone() }
        </p>
    }
}
