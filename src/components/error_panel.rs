//! An error: what happened and the fix (`message`), and the service's code and request ID in
//! a small details line for the admin who will be asked about it.

use yew::prelude::*;

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

/// An `role="alert"` box: announced when it appears, visible until the state changes.
#[function_component(ErrorPanel)]
pub fn error_panel(props: &ErrorPanelProps) -> Html {
    html! {
        <div class="error-panel" role="alert">
            <h2 class="error-title">{ props.title.clone() }</h2>
            <p class="error-message">{ props.message.clone() }</p>
            if let Some(details) = &props.details {
                <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
            }
            { props.children.clone() }
        </div>
    }
}
