//! The pre-flight result inline: green (what will happen), amber (what to confirm first:
//! another app's secret under this name, "Replace it"; a hand-off link's vault), red (why not
//! and the fix, with the actions that help), or "checking".

use yew::prelude::*;

use crate::components::loading;
use crate::vault::{Remedy, VaultMsg, VaultProblem, Verdict};

/// The buttons for a problem's remedies (those that make sense where it is shown).
pub fn remedy_buttons(
    p: &VaultProblem,
    d: &Callback<VaultMsg>,
    try_again: VaultMsgFactory,
) -> Html {
    let any = p
        .remedies
        .iter()
        .any(|r| matches!(r, Remedy::UseArmPath | Remedy::TryAgain));
    if !any {
        return html! {};
    }
    html! {
        <div class="actions">
            { for p.remedies.iter().filter_map(|r| match r {
                Remedy::UseArmPath => Some(html! {
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| VaultMsg::UseArmPath)}>
                        { "Use the ARM path" }
                    </button>
                }),
                Remedy::TryAgain => Some(html! {
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(move |_| try_again())}>
                        { "Try again" }
                    </button>
                }),
                // The name field is right there: no button needed.
                Remedy::ChooseAnotherName => None,
            }) }
        </div>
    }
}

/// Which message "Try again" sends where the problem is shown.
pub type VaultMsgFactory = fn() -> VaultMsg;

/// The verdict on screen (Describe's vault section, Show once's store panel).
pub fn preflight_result(verdict: &Verdict, d: &Callback<VaultMsg>) -> Html {
    match verdict {
        Verdict::NotChosen => html! {
            <p class="hint" data-testid="preflight">
                { "Not stored in Key Vault: you'll copy the value yourself on the next step." }
            </p>
        },
        Verdict::Checking => html! {
            <div data-testid="preflight">{ loading("Checking your access to the vault and the name…".into()) }</div>
        },
        Verdict::Ready { notes } => html! {
            <div class="notice notice-ok" role="status" data-testid="preflight">
                <p><strong>{ "✓ You can store it here." }</strong></p>
                { for notes.iter().map(|n| html! { <p>{ n.clone() }</p> }) }
            </div>
        },
        Verdict::Confirm { asks, notes } => html! {
            <div class="notice notice-warning" role="alert" data-testid="preflight">
                <p><strong>{ "Confirm before it is stored here." }</strong></p>
                { for asks.iter().map(|a| html! {
                    <>
                        <p>{ a.message() }</p>
                        if let Some(label) = a.action() {
                            <div class="actions">
                                <button type="button" class="button button-secondary"
                                    onclick={d.reform(|_| VaultMsg::ConfirmReplace)}>{ label }</button>
                            </div>
                        }
                    </>
                }) }
                { for notes.iter().map(|n| html! { <p>{ n.clone() }</p> }) }
            </div>
        },
        Verdict::Blocked(p) => html! {
            <div class="error-panel" role="alert" data-testid="preflight">
                <p class="error-title"><strong>{ "✗ It can't be stored here yet." }</strong></p>
                <p class="error-message">{ p.message.clone() }</p>
                if let Some(details) = &p.details {
                    <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
                }
                { remedy_buttons(p, d, || VaultMsg::Recheck) }
            </div>
        },
    }
}
