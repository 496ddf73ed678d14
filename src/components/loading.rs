//! A loading line: a spinner that is only decoration, and text that says what is loading.
//!
//! A plain function ([`loading`]), not a component: it has no state.

use yew::prelude::*;

pub fn loading(text: AttrValue) -> Html {
    html! {
        <p class="loading" role="status" aria-live="polite">
            <span class="spinner" aria-hidden="true"></span>
            { text }
        </p>
    }
}
