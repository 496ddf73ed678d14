//! Step 6, Done: what was created (never its value) and what to do next: the workload's access to
//! the stored secret (find its identity, grant Key Vault Secrets User) and the code that reads
//! the secret. Renders [`super::DoneState`]'s parts and sends [`DoneMsg`]s; decides nothing.
//! Copying a snippet is not copying a secret: the clipboard guard only ever clears text that
//! matches the value's fingerprint, so a copied snippet is left alone.

use yew::prelude::*;

use super::super::shared::Leave;
use super::{who_can, DoneMsg, Grant, MayAssign, Progress, Workload};
use crate::arm::role_assignments::{ASSIGN_ACTION, KEY_VAULT_SECRETS_USER_NAME};
use crate::components::{error_panel, loading};
use crate::domain::expiry::expiry_phrase;
use crate::domain::snippets::{env_vars, read_secret, Language, VaultSecret};
use crate::graph::PasswordCredential;
use crate::runtime::Now;
use crate::vault::view::{CopyText, StoredReferences};
use crate::vault::StoredRef;

#[derive(Properties, PartialEq)]
pub struct DoneProps {
    pub credential: PasswordCredential,
    /// The credential is a certificate (`wizard::certificate`): its facts, and its snippets.
    #[prop_or_default]
    pub certificate: Option<super::CertificateFacts>,
    #[prop_or_default]
    pub leftover_duplicates: Vec<PasswordCredential>,
    pub app_name: AttrValue,
    pub client_id: AttrValue,
    pub tenant_id: AttrValue,
    /// Where the secret was stored in Key Vault, if it was.
    #[prop_or_default]
    pub stored: Option<StoredRef>,
    /// The workload's access (`DoneState::workload`).
    #[prop_or(Workload::NotStored)]
    pub workload: Workload,
    /// The snippets' language.
    #[prop_or(Language::DotNet)]
    pub language: Language,
    /// The vault URI for the snippets (`DoneState::vault_uri`).
    #[prop_or_default]
    pub vault_uri: Option<AttrValue>,
    #[prop_or_default]
    pub dispatch: Callback<DoneMsg>,
    pub now: Now,
    pub leave: Callback<Leave>,
}

/// 128 random bits for a role assignment's name (not a secret: it only has to be new).
fn random_bits() -> u128 {
    (0..4).fold(0u128, |acc, _| {
        (acc << 32) | (js_sys::Math::random() * f64::from(u32::MAX)) as u128
    })
}

/// A labelled block of text with a copy button.
fn copy_block(id: &str, label: &str, what: &str, text: String) -> Html {
    html! {
        <div class="field reference">
            <span class="secret-label" id={format!("{id}-label")}>{ label.to_string() }</span>
            <pre class="snippet" tabindex="0" aria-labelledby={format!("{id}-label")}><code data-testid={id.to_string()}>{ text.clone() }</code></pre>
            <CopyText text={text} what={what.to_string()} />
        </div>
    }
}

fn not_stored() -> Html {
    html! {
        <p data-testid="workload-not-stored">
            { "This secret isn't in Key Vault, so you have to get its value to your service \
               yourself. Next time, choose a vault on the Describe step (\"Store in Key Vault\"): \
               your service then reads the secret from the vault with its own identity, and this \
               page can give that identity access and the code that reads it." }
        </p>
    }
}

fn access_policies(vault: &str) -> Html {
    html! {
        <p class="notice notice-warning" role="note" data-testid="workload-access-policies">
            { format!(
                "{vault} uses access policies, not Azure RBAC, so a role can't give your service \
                 access. In the Azure portal, open {vault} → Access policies → Create, choose \
                 the Get permission under Secret permissions, and pick your service's identity. \
                 (Or switch the vault to Azure role-based access control under Access \
                 configuration; check first who relies on its access policies.)"
            ) }
        </p>
    }
}

fn preflight(g: &Grant) -> Html {
    match &g.may_assign {
        Progress::Idle => html! {},
        Progress::Working => loading(AttrValue::from("Checking whether you can grant access…")),
        Progress::Done(MayAssign::Yes) => html! {
            <p data-testid="workload-preflight">{ "You can grant it here." }</p>
        },
        Progress::Done(MayAssign::No) => html! {
            <p class="notice notice-warning" role="note" data-testid="workload-preflight">
                { format!(
                    "Your roles don't include {ASSIGN_ACTION} on \"{}\", so Azure will probably \
                     refuse. {}: pick the identity below and send them the command. You can \
                     still try.",
                    g.secret_name, who_can(&g.secret_name)
                ) }
            </p>
        },
        Progress::Failed(p) => html! {
            <p class="notice" role="note" data-testid="workload-preflight">
                { format!(
                    "Whether you may grant access couldn't be checked ({}). You can still try: \
                     Azure's answer decides.",
                    p.message
                ) }
            </p>
        },
    }
}

fn found_list(g: &Grant, d: &Callback<DoneMsg>) -> Html {
    match &g.found {
        Progress::Idle => html! {},
        Progress::Working => loading(AttrValue::from("Looking for identities…")),
        Progress::Failed(p) => error_panel(
            AttrValue::from("The identities couldn't be listed"),
            AttrValue::from(p.message.clone()),
            p.details.clone().map(AttrValue::from),
            html! {},
        ),
        Progress::Done(list) if list.is_empty() => html! {
            <p role="status" data-testid="workload-none">
                { format!(
                    "No managed identity or app starts with \"{}\". Check the name (a managed \
                     identity has its resource's name), or paste its client ID.",
                    g.query.trim()
                ) }
            </p>
        },
        Progress::Done(list) => html! {
            <fieldset class="field" data-testid="workload-found">
                <legend>{ "Which one is your service?" }</legend>
                { for list.iter().map(|sp| {
                    let id = sp.id.clone();
                    let checked = g.chosen.as_ref().is_some_and(|c| c.id == sp.id);
                    let input_id = format!("workload-{}", sp.id);
                    html! {
                        <div class="radio">
                            <input type="radio" name="workload" id={input_id.clone()} checked={checked}
                                onchange={d.reform(move |_| DoneMsg::Choose(id.clone()))} />
                            <label for={input_id}>
                                { format!("{} ({})", sp.display_name, sp.kind.label()) }
                                if let Some(app_id) = &sp.app_id {
                                    <span class="hint">{ format!(" · client ID {app_id}") }</span>
                                }
                            </label>
                        </div>
                    }
                }) }
            </fieldset>
        },
    }
}

fn assign_part(g: &Grant, d: &Callback<DoneMsg>) -> Html {
    let Some(sp) = &g.chosen else {
        return html! {};
    };
    let working = matches!(g.assign, Progress::Working);
    let command = || {
        copy_block(
            "workload-az",
            "Or have someone who can run this (Azure CLI)",
            "the role assignment command",
            g.az_command(sp),
        )
    };
    html! {
        <>
            if !matches!(g.assign, Progress::Done(_)) {
                <div class="actions">
                    <button type="button" class="button button-primary" disabled={working}
                        data-testid="workload-grant"
                        onclick={d.reform(|_| DoneMsg::Assign { bits: random_bits() })}>
                        { format!("Grant {KEY_VAULT_SECRETS_USER_NAME} to {}", sp.display_name) }
                    </button>
                </div>
            }
            { match &g.assign {
                Progress::Idle => {
                    if g.may_assign == Progress::Done(MayAssign::No) { command() } else { html! {} }
                }
                Progress::Working => loading(AttrValue::from("Granting access…")),
                Progress::Done(done) => html! {
                    <p class="notice notice-ok" role="status" data-testid="workload-granted">
                        <span aria-hidden="true">{ "✓ " }</span>
                        { if done.already {
                            format!(
                                "{} ({}) already has {KEY_VAULT_SECRETS_USER_NAME} on \"{}\": nothing to do.",
                                done.principal.display_name, done.principal.kind.label(), g.secret_name
                            )
                        } else {
                            format!(
                                "{} ({}) can now read \"{}\" ({KEY_VAULT_SECRETS_USER_NAME} on this \
                                 secret). A new role assignment can take a few minutes to apply.",
                                done.principal.display_name, done.principal.kind.label(), g.secret_name
                            )
                        } }
                    </p>
                },
                Progress::Failed(p) => html! {
                    <>
                        <div data-testid="workload-refused">
                            { error_panel(
                                AttrValue::from("Access wasn't granted"),
                                AttrValue::from(p.message.clone()),
                                p.details.clone().map(AttrValue::from),
                                html! {},
                            ) }
                        </div>
                        { command() }
                    </>
                },
            } }
        </>
    }
}

fn grant_view(g: &Grant, d: &Callback<DoneMsg>) -> Html {
    let on_input = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        DoneMsg::Query(input.value())
    });
    let on_submit = d.reform(|e: SubmitEvent| {
        e.prevent_default();
        DoneMsg::Search
    });
    html! {
        <>
            <p>
                { format!(
                    "Your service reads the secret with its own identity (a managed identity, or \
                     an app's service principal). That identity needs {KEY_VAULT_SECRETS_USER_NAME} \
                     on \"{}\": this secret only, where the same role on the vault would let it \
                     read every secret there.",
                    g.secret_name
                ) }
            </p>
            { preflight(g) }
            <form class="field" onsubmit={on_submit} role="search">
                <label for="workload-query">{ "Your service's identity: name or client ID" }</label>
                <div class="search-row">
                    <input id="workload-query" type="search" autocomplete="off" spellcheck="false"
                        value={g.query.clone()} oninput={on_input} aria-describedby="workload-query-hint" />
                    <button type="submit" class="button button-secondary">{ "Find" }</button>
                </div>
                <p class="hint" id="workload-query-hint">
                    { "Type the start of its name: a managed identity has its resource's name (the \
                       App Service, Function or user-assigned identity)." }
                </p>
            </form>
            { found_list(g, d) }
            { assign_part(g, d) }
        </>
    }
}

fn snippets(props: &DoneProps, stored: &StoredRef, vault_uri: &str) -> Html {
    let d = &props.dispatch;
    let at = VaultSecret {
        vault_uri,
        secret_name: &stored.secret_name,
    };
    let tab = |l: Language| {
        let selected = props.language == l;
        html! {
            <button type="button" role="tab" id={format!("snippet-tab-{}", l.key())} class="tab"
                aria-selected={selected.to_string()} aria-controls="snippet-panel"
                tabindex={if selected { "0" } else { "-1" }}
                onclick={d.reform(move |_| DoneMsg::Language(l))}>
                { l.label() }
            </button>
        }
    };
    let snippet = read_secret(props.language, &at);
    html! {
        <section class="snippets" aria-labelledby="snippets-title" data-testid="snippets">
            <h3 id="snippets-title">{ "Read it from your code" }</h3>
            <p>
                { "With Azure Identity's DefaultAzureCredential your service signs in as its own \
                   identity in Azure (and as you on your machine), then reads the latest version \
                   by name, so rotating the secret needs no code change." }
            </p>
            <div class="tabs" role="tablist" aria-label="Language">
                { for Language::ALL.into_iter().map(tab) }
            </div>
            <div id="snippet-panel" role="tabpanel"
                aria-labelledby={format!("snippet-tab-{}", props.language.key())}>
                // Keyed by language: another tab is another text, so "Copied" starts over.
                <div key={props.language.key()}>
                { copy_block(
                    "snippet-code",
                    &format!("{}: read \"{}\"", props.language.label(), stored.secret_name),
                    &format!("the {} code", props.language.label()),
                    snippet.code,
                ) }
                </div>
            </div>
            { copy_block(
                "snippet-env",
                "Environment variables of a service that signs in as the app with this secret",
                "the environment variables",
                env_vars(
                    &props.client_id,
                    &props.tenant_id,
                    Some((&stored.vault_name, &stored.secret_name)),
                ),
            ) }
            <p class="hint">
                { "AZURE_CLIENT_SECRET is read from the vault (the reference resolves on App Service \
                   and Functions), never pasted into a file. With these three set, \
                   DefaultAzureCredential signs in as the app before it tries a managed identity, \
                   so the code above then reads the vault as the app." }
            </p>
        </section>
    }
}

#[function_component(DoneStep)]
pub fn done_step(props: &DoneProps) -> Html {
    let c = &props.credential;
    let d = &props.dispatch;
    html! {
        <section class="wizard-step" aria-labelledby="done-title">
            if let Some(cert) = &props.certificate {
                { crate::wizard::certificate::view::certificate_done(cert, props) }
            } else {
            <h2 id="done-title">{ "Secret created" }</h2>
            }
            <p role="status" hidden={props.certificate.is_some()}>
                { format!(
                    "The secret \"{}\" (Secret ID {}) was added to {}. {}. Its value is gone from this page.",
                    c.display_name.clone().unwrap_or_default(),
                    c.key_id,
                    props.app_name,
                    expiry_phrase(c.end_date_time, &props.now)
                ) }
            </p>
            if !props.leftover_duplicates.is_empty() {
                <p class="notice notice-warning" role="note">
                    { format!(
                        "A duplicate of this secret is still on the app (Secret ID {}); nobody has \
                         its value. Remove it from the app's credentials.",
                        props.leftover_duplicates.iter().map(|c| c.key_id.as_str()).collect::<Vec<_>>().join(", ")
                    ) }
                </p>
            }
            <h3>{ "Next steps" }</h3>
            <ol>
                <li>{ "Update everything that signs in as this app to use the new secret." }</li>
                <li>{ "Check that they work, then remove the old secret from the app's credentials." }</li>
            </ol>
            if let Some(stored) = &props.stored {
                <StoredReferences stored={stored.clone()} client_id={props.client_id.clone()}
                    tenant_id={props.tenant_id.clone()} />
            } else {
                <p>{ "The app's identifiers, for configuration:" }</p>
                <pre class="snippet" tabindex="0" aria-label="The app's identifiers"><code>
                    { format!("AZURE_CLIENT_ID={}\nAZURE_TENANT_ID={}", props.client_id, props.tenant_id) }
                </code></pre>
            }
            <section class="workload" aria-labelledby="workload-title" data-testid="workload">
                <h3 id="workload-title">{ "What your service needs" }</h3>
                { match &props.workload {
                    Workload::NotStored => not_stored(),
                    Workload::AccessPolicies { vault_name } => access_policies(vault_name),
                    Workload::Rbac(g) => grant_view(g, d),
                } }
            </section>
            if let (Some(stored), Some(uri)) = (&props.stored, &props.vault_uri) {
                if props.certificate.is_some() {
                    { crate::wizard::certificate::view::certificate_snippets(props, stored, uri) }
                } else {
                    { snippets(props, stored, uri) }
                }
            }
            <div class="actions">
                <button type="button" class="button button-secondary"
                    onclick={props.leave.reform(|_| Leave::BackToSearch)}>
                    { "Choose another app" }
                </button>
                <button type="button" class="button button-primary"
                    onclick={props.leave.reform(|_| Leave::BackToApp)}>
                    { format!("Back to {}", props.app_name) }
                </button>
            </div>
        </section>
    }
}
