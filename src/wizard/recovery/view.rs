//! Recovery: addPassword's answer was lost. Say what we found, offer to remove the orphan
//! (confirmed first), then to create a new one.

use yew::prelude::*;

use super::super::shared::Leave;
use super::{RecoveryMsg, RecoveryPhase, RecoveryState};
use crate::components::ConfirmDialog;
use crate::runtime::Now;

#[derive(Properties, PartialEq)]
pub struct RecoveryProps {
    pub state: RecoveryState,
    pub now: Now,
    pub dispatch: Callback<RecoveryMsg>,
    pub leave: Callback<Leave>,
}

#[function_component(RecoveryStep)]
pub fn recovery_step(props: &RecoveryProps) -> Html {
    let d = &props.dispatch;
    let message = props.state.message(&props.now);
    let button = |label: &'static str, class: &'static str, msg: fn() -> RecoveryMsg| {
        html! {
            <button type="button" class={classes!("button", class)} onclick={d.reform(move |_| msg())}>
                { label }
            </button>
        }
    };
    let body = match &props.state.phase {
        RecoveryPhase::Checking => {
            html! { { crate::components::loading(AttrValue::from(message)) } }
        }
        RecoveryPhase::CheckFailed(p) => html! {
            { crate::components::error_panel(AttrValue::from("We couldn't check"), AttrValue::from(format!("{message} {}", p.message)), p.details.clone().map(AttrValue::from), html! { <>{ button("Check again", "button-primary", || RecoveryMsg::CheckAgain) }</> }) }
        },
        RecoveryPhase::NotCreated => html! {
            <>
                <p class="notice" role="status">{ message }</p>
                { button("Try again", "button-primary", || RecoveryMsg::CreateAnother) }
            </>
        },
        RecoveryPhase::Found {
            credentials,
            confirming,
        } => html! {
            <>
                <div class="notice notice-warning" role="alert"><p>{ message }</p></div>
                if credentials.len() == 1 {
                    { button("Remove it", "button-danger", || RecoveryMsg::RemoveOrphan) }
                } else {
                    { button("Remove them", "button-danger", || RecoveryMsg::RemoveOrphan) }
                }
                if *confirming {
                    <ConfirmDialog
                        title={if credentials.len() == 1 { "Remove this secret?" } else { "Remove these secrets?" }}
                        message={format!(
                            "{} \"{}\" will be removed from the app. Nobody ever saw {}, so \
                             nothing can be using {}.",
                            if credentials.len() == 1 { "The secret".to_string() } else { format!("The {} secrets", credentials.len()) },
                            props.state.sent().display_name,
                            if credentials.len() == 1 { "its value" } else { "their values" },
                            if credentials.len() == 1 { "it" } else { "them" },
                        )}
                        confirm_label={if credentials.len() == 1 { "Remove secret" } else { "Remove secrets" }}
                        on_confirm={d.reform(|_| RecoveryMsg::ConfirmRemove)}
                        on_cancel={d.reform(|_| RecoveryMsg::CancelRemove)} />
                }
            </>
        },
        RecoveryPhase::Removing { .. } => {
            html! { { crate::components::loading(AttrValue::from("Removing the secret…")) } }
        }
        RecoveryPhase::RemoveFailed { problem, .. } => html! {
            { crate::components::error_panel(AttrValue::from("The secret wasn't removed"), AttrValue::from(problem.message.clone()), problem.details.clone().map(AttrValue::from), html! { <>{ button("Try again", "button-primary", || RecoveryMsg::ConfirmRemove) }</> }) }
        },
        RecoveryPhase::Removed { .. } => html! {
            <>
                <p class="notice notice-ok" role="status">{ message }</p>
                { button("Create a new one", "button-primary", || RecoveryMsg::CreateAnother) }
            </>
        },
    };
    html! {
        <section class="wizard-step" aria-labelledby="recovery-title">
            <h2 id="recovery-title">{ props.state.title() }</h2>
            { body }
            <div class="actions">
                <button type="button" class="button button-secondary"
                    onclick={props.leave.reform(|_| Leave::BackToApp)}>
                    { "Back to the app's credentials" }
                </button>
            </div>
        </section>
    }
}
