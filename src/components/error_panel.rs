//! An error: what happened and the fix (`message`), and the service's code and request ID in
//! a small details line for the admin who will be asked about it.
//!
//! A plain function ([`error_panel`], or [`problem_panel`] for a [`Problem`]); the
//! [`ErrorPanel`] component wraps it for callers that still mount it as a component.

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

#[derive(Properties, PartialEq)]
pub struct ErrorPanelProps {
    pub title: AttrValue,
    pub message: AttrValue,
    #[prop_or_default]
    pub details: Option<AttrValue>,
    /// Extra content under the message (a retry button, a link).
    #[prop_or_default]
    pub children: Html,
}

/// [`error_panel`] as a component.
#[function_component(ErrorPanel)]
pub fn error_panel_component(props: &ErrorPanelProps) -> Html {
    error_panel(
        props.title.clone(),
        props.message.clone(),
        props.details.clone(),
        props.children.clone(),
    )
}
