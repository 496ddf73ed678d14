//! A credential status badge: text and colour (never colour alone).
//!
//! A plain function ([`status_badge`]), not a component: it has no state.

use yew::prelude::*;

use crate::domain::ExpiryStatus;

pub fn status_badge(status: ExpiryStatus) -> Html {
    // "badge badge-{key}", spelled out: no string is built at run time.
    let class = match status {
        ExpiryStatus::Expired => "badge badge-expired",
        ExpiryStatus::Critical => "badge badge-critical",
        ExpiryStatus::Warning => "badge badge-warning",
        ExpiryStatus::Ok => "badge badge-ok",
        ExpiryStatus::NoExpiry => "badge badge-no-expiry",
    };
    html! {
        <span class={class} data-status={status.key()}>
            { status.label() }
        </span>
    }
}
