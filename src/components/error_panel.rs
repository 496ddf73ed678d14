//! An error: what happened and the fix (`message`), and the service's code and request ID in
//! a small details line for the admin who will be asked about it.
//!
//! A plain function ([`error_panel`], or [`problem_panel`] for a [`Problem`]), not a component:
//! it has no state, and a component type costs the wasm its own lifecycle code.

use yew::prelude::*;

use crate::runtime::Problem;

/// An `role="alert"` box: announced when it appears, visible until the state changes.
/// `children` is extra content under the message (a retry button, a link).
pub fn error_panel(
    title: AttrValue,
    message: AttrValue,
    details: Option<AttrValue>,
    children: Html,
) -> Html {
    html! {
        <div class="error-panel" role="alert">
            <h2 class="error-title">{ title }</h2>
            <p class="error-message">{ message }</p>
            if let Some(details) = details {
                <p class="error-details">{ "Details: " }<code>{ details }</code></p>
            }
            { children }
        </div>
    }
}

/// [`error_panel`] with a [`Problem`]'s message and details.
pub fn problem_panel(title: AttrValue, p: &Problem, children: Html) -> Html {
    error_panel(
        title,
        p.message.clone().into(),
        p.details.clone().map(AttrValue::from),
        children,
    )
}
