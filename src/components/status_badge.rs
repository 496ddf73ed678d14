//! A credential status badge: text and colour (never colour alone).

use yew::prelude::*;

use crate::domain::ExpiryStatus;

#[derive(Properties, PartialEq)]
pub struct StatusBadgeProps {
    pub status: ExpiryStatus,
}

#[function_component(StatusBadge)]
pub fn status_badge(props: &StatusBadgeProps) -> Html {
    let status = props.status;
    html! {
        <span class={classes!("badge", format!("badge-{}", status.key()))} data-status={status.key()}>
            { status.label() }
        </span>
    }
}
