//! Step 5, Show once: the value (masked, Reveal, Copy) with everything needed beside it, and
//! the notice that it won't be shown again. Finish drops the value from state and page.
//!
//! The Key Vault panel (`vault::view::StorePanel`) adds "Store in Key Vault" as the primary
//! action. In zero-reveal mode the value field is not rendered at all unless storing failed.
//! When Describe said not to store it, "Store in Key Vault" is still offered ([`vault_offer`]):
//! it opens the vault choice inside the panel.

use yew::prelude::*;

use super::super::shared::Leave;
use super::{Duplicates, ShowOnceMsg};
use crate::components::{SecretField, SharedSecret};
use crate::domain::expiry::expiry_phrase;
use crate::graph::PasswordCredential;
use crate::runtime::Now;
use crate::vault::view::StorePanel;
use crate::vault::{VaultMsg, VaultState};

#[derive(Properties, PartialEq)]
pub struct ShowOnceProps {
    pub secret: SharedSecret,
    pub credential: PasswordCredential,
    pub client_id: AttrValue,
    pub tenant_id: AttrValue,
    pub copied: bool,
    #[prop_or_default]
    pub copy_problem: Option<AttrValue>,
    #[prop_or_default]
    pub duplicates: Duplicates,
    pub app_name: AttrValue,
    pub vault: VaultState,
    pub vault_dispatch: Callback<VaultMsg>,
    pub now: Now,
    pub dispatch: Callback<ShowOnceMsg>,
    pub leave: Callback<Leave>,
    /// The vault is chosen on this step (`ShowOnceState::choosing_vault`).
    #[prop_or_default]
    pub choosing_vault: bool,
}

#[function_component(ShowOnceStep)]
pub fn show_once_step(props: &ShowOnceProps) -> Html {
    let d = &props.dispatch;
    let c = &props.credential;
    let v = &props.vault;
    let storing = v.selected.is_some();
    // Zero-reveal: no field (not even masked) until storing has failed.
    let show_field = v.may_show_value();
    // "Store in Key Vault" leads until the value is stored; then Finish does.
    let primary = if storing && v.stored().is_none() {
        "button button-secondary"
    } else {
        "button button-primary"
    };
    html! {
        <section class="wizard-step show-once" aria-labelledby="show-once-title">
            <h2 id="show-once-title">{ "Your new secret" }</h2>
            if show_field {
                <div class="notice notice-warning" role="note">
                    <p>
                        <strong>{ "You will not see this value again." }</strong>
                        { " Copy it now into the place that needs it (a key vault, a pipeline secret). \
                           When you leave this page it is gone; if it's lost, create a new secret." }
                    </p>
                </div>
                { crate::components::why_it_matters(crate::components::Topic::ShownOnce) }
                <SecretField secret={props.secret.clone()} label="Secret value" copied={props.copied}
                    on_copied={d.reform(|_| ShowOnceMsg::Copied)}
                    on_copy_failed={d.reform(|_| ShowOnceMsg::CopyFailed)} />
            } else {
                <p class="notice" role="status" data-testid="zero-reveal-note">
                    { "The secret was created and goes straight to Key Vault; its value is not shown." }
                </p>
            }
            if let Some(problem) = &props.copy_problem {
                <p class="field-error" role="alert">{ problem.clone() }</p>
            }
            <dl class="facts">
                <dt>{ "Secret ID" }</dt>
                <dd><code class="copyable" data-testid="secret-key-id">{ c.key_id.clone() }</code></dd>
                <dt>{ "Description" }</dt>
                <dd>{ c.display_name.clone().unwrap_or_default() }</dd>
                <dt>{ "Expires" }</dt>
                <dd>{ expiry_phrase(c.end_date_time, &props.now) }</dd>
                <dt>{ "Application (client) ID" }</dt>
                <dd><code class="copyable">{ props.client_id.clone() }</code></dd>
                <dt>{ "Directory (tenant) ID" }</dt>
                <dd><code class="copyable">{ props.tenant_id.clone() }</code></dd>
            </dl>
            { duplicates_note(&props.duplicates, d) }
            if v.enabled() && !storing && !props.choosing_vault {
                { vault_offer(d) }
            }
            <StorePanel state={v.clone()} dispatch={props.vault_dispatch.clone()}
                app_name={props.app_name.clone()} choose_here={props.choosing_vault} />
            <div class="actions">
                <button type="button" class={primary} disabled={v.push.in_progress()}
                    onclick={props.leave.reform(|_| Leave::Finish)}>
                    { "Finish" }
                </button>
            </div>
        </section>
    }
}

/// Describe said not to store it; while the value is on screen it can still go to a vault.
fn vault_offer(d: &Callback<ShowOnceMsg>) -> Html {
    html! {
        <div class="notice" role="group" aria-labelledby="vault-offer-title" data-testid="vault-offer">
            <p id="vault-offer-title">
                { "You chose not to store it in Key Vault. While the value is on this page, you                    still can: the app reads it from there, and nobody has to paste it anywhere." }
            </p>
            <div class="actions">
                <button type="button" class="button button-secondary"
                    onclick={d.reform(|_| ShowOnceMsg::StoreInVault)}>{ "Store in Key Vault" }</button>
            </div>
        </div>
    }
}

fn ids(credentials: &[PasswordCredential]) -> String {
    credentials
        .iter()
        .map(|c| c.key_id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The browser resent addPassword: copies of this secret exist whose values nobody has.
fn duplicates_note(duplicates: &Duplicates, d: &Callback<ShowOnceMsg>) -> Html {
    let remove = |label: &'static str| {
        html! {
            <button type="button" class="button button-secondary"
                onclick={d.reform(|_| ShowOnceMsg::RemoveDuplicates)}>{ label }</button>
        }
    };
    match duplicates {
        Duplicates::Checking | Duplicates::None => html! {},
        Duplicates::Found(c) => html! {
            <div class="notice notice-warning" role="alert" data-testid="duplicates">
                <p>{ format!(
                    "Your browser sent the request again after the connection dropped, so the app \
                     also got {} with this description (Secret ID {}). Nobody has {} value; \
                     remove {} so {} can't linger.",
                    if c.len() == 1 { "another secret".to_string() } else { format!("{} more secrets", c.len()) },
                    ids(c),
                    if c.len() == 1 { "its" } else { "their" },
                    if c.len() == 1 { "it" } else { "them" },
                    if c.len() == 1 { "it" } else { "they" },
                ) }</p>
                { remove("Remove the duplicate") }
            </div>
        },
        Duplicates::Removing { .. } => {
            html! { { crate::components::loading(AttrValue::from("Removing the duplicate…")) } }
        }
        Duplicates::Failed { problem, .. } => html! {
            { crate::components::error_panel(AttrValue::from("The duplicate wasn't removed"), AttrValue::from(problem.message.clone()), problem.details.clone().map(AttrValue::from), html! { <>{ remove("Try again") }</> }) }
        },
        Duplicates::Removed(c) => html! {
            <p class="notice notice-ok" role="status" data-testid="duplicates">
                { format!("Removed the duplicate (Secret ID {}).", ids(c)) }
            </p>
        },
    }
}
