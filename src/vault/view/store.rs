//! Show once's Key Vault panel: where the value goes, "Store in Key Vault" as the primary
//! action, progress ("retrying in N s…"), and a failure with its fix. The value stays on the
//! Show-once step until it is stored or deliberately given up (Remove the credential).
//!
//! With `choose_here` (Describe said not to store it, then the user asked to on Show once),
//! the panel holds Describe's vault choice (`VaultSection`, without zero-reveal) until a push
//! starts.

use yew::prelude::*;

use super::picker::{link_vault_panel, VaultSection};
use super::preflight::{preflight_result, remedy_buttons};
use crate::components::{loading, ConfirmDialog};
use crate::vault::{problem, Push, VaultMsg, VaultState, Verdict};

#[derive(Properties, PartialEq)]
pub struct StorePanelProps {
    pub state: VaultState,
    pub dispatch: Callback<VaultMsg>,
    /// The app's name, for the removal question.
    pub app_name: AttrValue,
    /// Choose the vault and name here (Show once), not on Describe.
    #[prop_or_default]
    pub choose_here: bool,
    /// The value is a certificate's PEM (`wizard::certificate`): never shown, never copied;
    /// giving up removes the new certificate.
    #[prop_or_default]
    pub certificate: bool,
}

#[function_component(StorePanel)]
pub fn store_panel(props: &StorePanelProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let choose = |d: &Callback<VaultMsg>| {
        html! { <VaultSection state={s.clone()} dispatch={d.clone()} show_once=true /> }
    };
    let Some(selected) = &s.selected else {
        if !props.choose_here {
            return html! {};
        }
        return html! {
            <section class="store-panel" aria-labelledby="store-title" data-testid="store-panel">
                <h3 id="store-title">{ "Key Vault" }</h3>
                { choose(d) }
            </section>
        };
    };
    // While a push runs or once it is done, what it was sent with; before it and after a
    // failure (another name may be typed, another path chosen), what the next Store would use.
    let frozen = s
        .target
        .as_ref()
        .filter(|_| !matches!(s.push, Push::Idle | Push::Failed { .. }));
    let name = frozen.map_or_else(|| s.name.text.clone(), |t| t.name.clone());
    let target = format!(
        "Stores \"{name}\" in {} through {}.",
        selected.vault.name,
        frozen.map_or(s.path, |t| t.path).label()
    );
    let on_name = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        VaultMsg::NameInput(input.value())
    });
    let verdict = s.verdict();
    let ready = matches!(verdict, Verdict::Ready { .. });
    let store_button = |label: &'static str| {
        html! {
            <button type="button" class="button button-primary" disabled={!ready}
                onclick={d.reform(|_| VaultMsg::Store)}>{ label }</button>
        }
    };
    let body = match &s.push {
        // The choice (with its pre-flight) stays open until a push starts.
        Push::Idle if props.choose_here => html! {
            <>
                { choose(d) }
                <div class="actions">{ store_button("Store in Key Vault") }</div>
            </>
        },
        Push::Idle => html! {
            <>
                // Create waits for it, so this shows only if something changed since.
                if s.awaiting_vault_confirmation() {
                    { link_vault_panel(s, d) }
                }
                { preflight_result(&verdict, d) }
                <div class="actions">{ store_button("Store in Key Vault") }</div>
            </>
        },
        Push::Sending { .. } => loading(
            format!(
                "Storing in {}… Please keep this tab open.",
                selected.vault.name
            )
            .into(),
        ),
        Push::Waiting { secs, service, .. } => html! {
            <div role="status">{ loading(problem::retrying(service, *secs).into()) }</div>
        },
        Push::Checking { .. } => loading(
            format!(
                "Checking whether the secret arrived in {}…",
                selected.vault.name
            )
            .into(),
        ),
        Push::Failed { problem, .. } => html! {
            <div class="error-panel" role="alert" data-testid="store-problem">
                <h3 class="error-title">{ if props.certificate { "The certificate's private key wasn't stored" } else { "The secret wasn't stored" } }</h3>
                <p class="error-message">{ problem.message.clone() }</p>
                if let Some(details) = &problem.details {
                    <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
                }
                if props.certificate {
                    <p>{ "The private key is still in this page's memory (never shown): store it \
                          again, or remove the new certificate from the app." }</p>
                } else {
                <p>{ "Its value is still here, so nothing is lost: store it again, or copy it." }</p>
                }
                if problem.name_deleted {
                    <div class="field">
                        <label for="store-secret-name">{ "Another secret name" }</label>
                        <input id="store-secret-name" type="text" value={s.name.text.clone()}
                            maxlength="127" spellcheck="false" autocomplete="off" oninput={on_name}
                            aria-invalid={s.name.error.is_some().to_string()} />
                        <p class="field-error" role="alert">{ s.name.error.clone().unwrap_or_default() }</p>
                    </div>
                    if !ready {
                        { preflight_result(&verdict, d) }
                    } else {
                        <div class="actions">{ store_button("Store under this name") }</div>
                    }
                } else {
                    { remedy_buttons(problem, d, || VaultMsg::Store) }
                }
                if props.certificate {
                    <div class="actions">
                        <button type="button" class="button button-danger"
                            onclick={d.reform(|_| VaultMsg::RemoveCredential)}>
                            { "Remove the new certificate from the app" }
                        </button>
                    </div>
                } else if s.zero_reveal {
                    <div class="actions">
                        <button type="button" class="button button-danger"
                            onclick={d.reform(|_| VaultMsg::RemoveCredential)}>
                            { "Remove the new secret from the app" }
                        </button>
                    </div>
                }
            </div>
        },
        Push::Stored(stored) => html! {
            <p class="notice notice-ok" role="status">
                { format!(
                    "Stored in {} as \"{}\" (version {}). Finish to see the references to use.",
                    stored.vault_name, stored.secret_name, stored.version()
                ) }
            </p>
        },
    };
    html! {
        <section class="store-panel" aria-labelledby="store-title" data-testid="store-panel">
            <h3 id="store-title">{ "Key Vault" }</h3>
            <p>{ target }</p>
            { body }
            if let Some(p) = &s.remove_problem {
                <p class="field-error" role="alert">{ format!("The secret wasn't removed. {}", p.message) }</p>
            }
            if s.confirm_remove && props.certificate {
                <ConfirmDialog title="Remove the new certificate?"
                    message={format!(
                        "The new certificate will be removed from {}, and its private key is \
                         discarded for good. Nothing uses it yet, because it was never stored.",
                        props.app_name)}
                    confirm_label="Remove it" cancel_label="Keep it"
                    on_confirm={d.reform(|_| VaultMsg::ConfirmRemove)}
                    on_cancel={d.reform(|_| VaultMsg::CancelRemove)} />
            } else if s.confirm_remove {
                <ConfirmDialog title="Remove the new secret?"
                    message={format!(
                        "The new secret will be removed from {}, and its value is discarded for good. \
                         Nothing uses it yet, because it was never stored.", props.app_name)}
                    confirm_label="Remove it" cancel_label="Keep it"
                    on_confirm={d.reform(|_| VaultMsg::ConfirmRemove)}
                    on_cancel={d.reform(|_| VaultMsg::CancelRemove)} />
            }
        </section>
    }
}
