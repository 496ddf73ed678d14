//! Describe's Key Vault section: the vault list (searchable, with resource group, location,
//! subscription, permission model and network rule), "don't store", the secret name (checked
//! as typed), the pre-flight result inline, and the zero-reveal choice. A vault named by a
//! hand-off link (and not vetted by config.json) is shown first with its subscription and
//! resource group, and "Use this vault" ([`link_vault_panel`]).

use yew::prelude::*;

use super::preflight::preflight_result;
use crate::components::loading;
use crate::vault::{VaultMsg, VaultOption, VaultState, WritePath};

/// The vault a hand-off link named: where it is (subscription name and ID, resource group,
/// location) and, until confirmed, why to check it and "Use this vault".
pub fn link_vault_panel(s: &VaultState, d: &Callback<VaultMsg>) -> Html {
    let Some(l) = s.link_vault() else {
        return html! {};
    };
    let class = if l.confirmed {
        "notice notice-ok"
    } else {
        "notice notice-warning"
    };
    html! {
        <div class={class} role="group" aria-labelledby="link-vault-title" data-testid="link-vault">
            <p id="link-vault-title"><strong>{ format!("The hand-off link names the vault {}", l.name) }</strong></p>
            <dl class="facts">
                <dt>{ "Subscription" }</dt><dd>{ l.subscription() }</dd>
                <dt>{ "Resource group" }</dt><dd>{ l.resource_group.clone() }</dd>
                if let Some(loc) = &l.location {
                    <dt>{ "Location" }</dt><dd>{ loc.clone() }</dd>
                }
            </dl>
            if l.confirmed {
                <p role="status">{ "You confirmed this vault." }</p>
            } else {
                <p>{ l.warning(&s.app.display_name) }</p>
                <div class="actions">
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| VaultMsg::ConfirmVault)}>{ "Use this vault" }</button>
                </div>
                <p class="hint">{ "Or choose another vault below, or not to store it." }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct VaultSectionProps {
    pub state: VaultState,
    pub dispatch: Callback<VaultMsg>,
    /// On Show once (the value is already on screen): no zero-reveal choice.
    #[prop_or_default]
    pub show_once: bool,
    /// For a certificate: its private key is never shown anyway, so no zero-reveal choice.
    #[prop_or_default]
    pub certificate: bool,
}

fn option_row(o: &VaultOption, i: usize, checked: bool, d: &Callback<VaultMsg>) -> Html {
    let id = format!("vault-{i}");
    let vault_id = o.id.clone();
    html! {
        <div class="radio">
            <input type="radio" name="vault" id={id.clone()} checked={checked}
                onchange={d.reform(move |_| VaultMsg::Select(vault_id.clone()))} />
            <label for={id}>
                { o.name.clone() }
                <span class="muted">{ format!(
                    " — {} · {} · {} · {} · {}",
                    o.resource_group, o.location, o.subscription_name, o.permission_model(), o.network()
                ) }</span>
            </label>
        </div>
    }
}

fn path_hint(path: WritePath) -> &'static str {
    match path {
        WritePath::Arm => {
            "Stored through Azure Resource Manager, which needs Key Vault Contributor (or \
             Contributor) on the vault. Only vaults you can see are listed."
        }
        WritePath::DataPlane => {
            "Stored through the Key Vault data plane, which needs Key Vault Secrets Officer on the \
             vault. Only vaults you can see are listed."
        }
    }
}

#[function_component(VaultSection)]
pub fn vault_section(props: &VaultSectionProps) -> Html {
    let s = &props.state;
    let d = &props.dispatch;
    let Some(config) = &s.config else {
        return html! {};
    };
    let visible = s.catalog.visible(config);
    let selected_id = s.selected.as_ref().map(|x| x.vault.id.clone());
    let is_selected = |o: &VaultOption| {
        selected_id
            .as_deref()
            .is_some_and(|id| id.eq_ignore_ascii_case(&o.id))
    };
    // The chosen vault stays on screen even when the search hides it or the list is loading.
    let hidden_choice = s.selected.as_ref().filter(|x| {
        !visible
            .iter()
            .any(|o| o.id.eq_ignore_ascii_case(&x.vault.id))
    });
    let on_search = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        VaultMsg::Query(input.value())
    });
    let on_name = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        VaultMsg::NameInput(input.value())
    });
    let on_zero = d.reform(|e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        VaultMsg::ZeroReveal(input.checked())
    });
    html! {
        <fieldset class="field vault-section" aria-describedby="vault-hint" data-testid="vault-section">
            <legend>{ "Store in Key Vault" }</legend>
            <p class="hint" id="vault-hint">{ path_hint(s.path) }</p>
            if let Some(n) = &s.notice {
                <p class="notice notice-ok" role="status">{ n.clone() }</p>
            }
            { link_vault_panel(s, d) }
            <div class="field">
                <label for="vault-search">{ "Search vaults" }</label>
                <input id="vault-search" type="search" value={s.catalog.query.clone()}
                    placeholder="Name, resource group, location or subscription" oninput={on_search} />
            </div>
            if s.catalog.loading() {
                { loading("Listing your subscriptions and key vaults…".into()) }
            }
            if let Some(p) = &s.catalog.problem {
                <div class="error-panel" role="alert">
                    <p class="error-message">{ format!("The vaults couldn't be listed. {}", p.message) }</p>
                    if let Some(details) = &p.details {
                        <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
                    }
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| VaultMsg::Reload)}>{ "List again" }</button>
                </div>
            }
            { for s.catalog.partial.iter().map(|(sub, p)| html! {
                <p class="notice notice-warning" role="note">
                    { format!("Vaults of {sub} couldn't be listed: {}", p.message) }
                </p>
            }) }
            <div role="radiogroup" aria-label="Vault" class="vault-list">
                <div class="radio">
                    <input type="radio" name="vault" id="vault-none" checked={s.selected.is_none()}
                        onchange={d.reform(|_| VaultMsg::DontStore)} />
                    <label for="vault-none">{ "Don't store it; I'll copy the value myself" }</label>
                </div>
                if let Some(x) = hidden_choice {
                    <div class="radio">
                        <input type="radio" name="vault" id="vault-chosen" checked=true />
                        <label for="vault-chosen">
                            { x.vault.name.clone() }
                            <span class="muted">{ format!(" — {} (chosen)", x.vault.resource_group) }</span>
                        </label>
                    </div>
                }
                { for visible.iter().enumerate().map(|(i, o)| option_row(o, i, is_selected(o), d)) }
                if !s.catalog.loading() && visible.is_empty() && s.catalog.problem.is_none() {
                    <p class="empty">{ if s.catalog.query.trim().is_empty() {
                        "No key vaults you may use were found."
                    } else {
                        "No vault matches the search."
                    } }</p>
                }
            </div>
            if s.selected.is_some() {
                <div class="field">
                    <label for="vault-secret-name">{ "Secret name in Key Vault" }</label>
                    <input id="vault-secret-name" type="text" value={s.name.text.clone()}
                        maxlength="127" spellcheck="false" autocomplete="off" oninput={on_name}
                        aria-invalid={s.name.error.is_some().to_string()}
                        aria-describedby="vault-secret-name-hint vault-secret-name-error" />
                    <p class="hint" id="vault-secret-name-hint">
                        { "Letters, digits and dashes, up to 127 characters. An existing name gets a new version." }
                    </p>
                    <p class="field-error" id="vault-secret-name-error" role="alert">
                        { s.name.error.clone().unwrap_or_default() }
                    </p>
                </div>
            }
            { preflight_result(&s.verdict(), d) }
            if s.selected.is_some() && !props.show_once && !props.certificate {
                <div class="radio">
                    <input type="checkbox" id="zero-reveal" checked={s.zero_reveal} onchange={on_zero}
                        aria-describedby="zero-reveal-hint" />
                    <label for="zero-reveal">{ "Store in Key Vault without showing it" }</label>
                    <p class="hint" id="zero-reveal-hint">
                        { "Creates the secret and stores it in one click; its value never appears on \
                           screen. Only if storing fails can you reveal or copy it, so nothing is lost." }
                    </p>
                </div>
            }
        </fieldset>
    }
}
