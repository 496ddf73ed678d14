//! Step 2, Review credentials: the app's secrets and certificates with their status, and
//! whether the user can add a secret here (and if probably not, who can; Create stays offered
//! unless Graph has refused). Any secret can be removed from its row ([`removal_view`]: the
//! confirmation, then where the removal stands).

use yew::prelude::*;

use super::super::format::{date, date_time, thumbprint_hex};
use super::super::shared::Leave;
use super::access::{cap_message, Tone};
use super::history::{not_granted_words, refusal_words, what, History};
use super::remove::{self, RemoveSecretMsg, SecretRemoval};
use super::{ReviewMsg, ReviewState};
use crate::components::ConfirmDialog;
use crate::domain::access::Access;
use crate::domain::expiry::{expiry_phrase, status_of};
use crate::graph::{KeyCredential, PasswordCredential};
use crate::runtime::Now;

#[derive(Properties, PartialEq)]
pub struct ReviewProps {
    pub ctx: ReviewState,
    pub access: Access,
    pub can_create: bool,
    pub now: Now,
    pub dispatch: Callback<ReviewMsg>,
    pub leave: Callback<Leave>,
    /// Removing a secret from the table (`review::remove`).
    #[prop_or_default]
    pub remove: Callback<RemoveSecretMsg>,
    /// Federated credentials and "where will it run?" (`wizard::federated`).
    #[prop_or_default]
    pub federated: Callback<crate::wizard::federated::FederatedMsg>,
}

#[function_component(ReviewStep)]
pub fn review_step(props: &ReviewProps) -> Html {
    let d = &props.dispatch;
    let app = &props.ctx.app;
    let active = props.ctx.active_secret_count(&props.now);
    let rotate = app.id.clone();
    html! {
        <section class="wizard-step" aria-labelledby="review-title">
            <h2 id="review-title">{ app.display_name.clone() }</h2>
            <dl class="facts">
                <dt>{ "Application (client) ID" }</dt><dd><code class="copyable">{ app.app_id.clone() }</code></dd>
                <dt>{ "Object ID" }</dt><dd><code class="copyable">{ app.id.clone() }</code></dd>
            </dl>
            if let Some(p) = &props.ctx.problem {
                { crate::components::error_panel(AttrValue::from("The app couldn't be read again"), AttrValue::from(p.message.clone()), p.details.clone().map(AttrValue::from), html! { <><button type="button" class="button button-secondary"
                        onclick={d.reform(|_| ReviewMsg::Reload)}>{ "Try again" }</button></> }) }
            }
            { access_note(&props.access) }
            if let Some(why) = props.ctx.policy.blocked_message(app.created_date_time) {
                <div class="notice notice-warning" role="note" data-testid="policy-note">
                    <p>{ why }</p>
                </div>
            }
            if props.ctx.at_secret_cap() {
                <div class="notice notice-warning" role="note" data-testid="cap-note">
                    <p>{ cap_message() }</p>
                </div>
            }
            if active == 1 {
                <div class="notice" role="note">
                    <p>{ "This app has only one working secret. Rotate with overlap: add the new one \
                          before removing the old, and update its consumers in between." }</p>
                </div>
            }
            <h3>{ "Client secrets" }</h3>
            { removal_view(&props.ctx, &props.now, &props.remove) }
            if app.password_credentials.is_empty() {
                <p class="empty">{ "This app has no client secrets." }</p>
            } else {
                { secrets_table(&app.password_credentials, &props.now, &props.remove, props.ctx.removal().is_busy()) }
            }
            <h3>{ "Certificates" }</h3>
            // Lists don't carry certificates (Graph throttles listing them): until the app itself
            // has been read, an empty list means "not read yet", not "none".
            if app.key_credentials.is_empty() && props.ctx.loading {
                <p class="empty">{ "Reading certificates…" }</p>
            } else if app.key_credentials.is_empty() && props.ctx.problem.is_none() {
                <p class="empty">{ "This app has no certificates." }</p>
            } else if !app.key_credentials.is_empty() {
                { certificates_table(&app.key_credentials, &props.now) }
            }
            { crate::wizard::federated::view::review_section(props.ctx.federated(), &app.display_name,
                props.access.allows_create(), &props.federated) }
            if props.ctx.loading {
                { crate::components::loading(AttrValue::from("Refreshing credentials…")) }
            }
            { history_view(&props.ctx, d, &props.now) }
            { crate::components::why_it_matters(crate::components::Topic::Rotation) }
            <p class="hint" id="rotate-hint">
                { "Rotate\u{2026} opens a step-by-step rotation with overlap and shows which of these \
                   secrets have a copy in Key Vault." }
            </p>
            <div class="actions">
                <button type="button" class="button button-secondary"
                    onclick={props.leave.reform(|_| Leave::BackToSearch)}>
                    { "Back to search" }
                </button>
                <button type="button" class="button button-secondary"
                    aria-describedby="rotate-hint"
                    onclick={props.leave.reform(move |_| Leave::Navigate(crate::rotation::route(&rotate)))}>
                    { "Rotate\u{2026}" }
                </button>
                <button type="button" class="button button-primary" disabled={!props.can_create}
                    aria-describedby="access-note" onclick={d.reform(|_| ReviewMsg::StartDescribe)}>
                    { "Create a new secret" }
                </button>
            </div>
            { crate::components::learn_more() }
        </section>
    }
}

/// Who added or removed the app's credentials, from the audit log, once asked
/// (`review::history`).
fn history_view(ctx: &ReviewState, d: &Callback<ReviewMsg>, now: &Now) -> Html {
    let show = d.reform(|_| ReviewMsg::ShowHistory);
    let app = ctx.app();
    let body = match ctx.history() {
        History::Hidden => html! {
            <button type="button" class="button button-secondary" onclick={show}>
                { "Show who changed its credentials" }
            </button>
        },
        History::NotGranted => html! {
            <div class="notice" role="note" data-testid="history-note"><p>{ not_granted_words() }</p></div>
        },
        History::Loading => crate::components::loading(AttrValue::from("Reading the audit log…")),
        History::Refused(r) => html! {
            <div class="notice notice-warning" role="note" data-testid="history-note"><p>{ refusal_words(r) }</p></div>
        },
        History::Failed(p) => crate::components::problem_panel(
            "The audit log couldn't be read".into(),
            p,
            html! {
                <button type="button" class="button button-secondary" onclick={show}>{ "Try again" }</button>
            },
        ),
        History::Got(entries) if entries.is_empty() => html! {
            <p class="empty">{ "The audit log has no changes to this app's credentials. (Microsoft Entra keeps \
                               audit entries for a limited time, depending on your licence.)" }</p>
        },
        History::Got(entries) => html! {
            <table class="credentials" data-testid="history-table">
                <thead><tr><th scope="col">{ "When" }</th><th scope="col">{ "Who" }</th><th scope="col">{ "What" }</th></tr></thead>
                <tbody>
                    { for entries.iter().map(|e| html! {
                        <tr>
                            <td>{ e.when.map_or_else(|| "—".to_string(), |t| date_time(t, now)) }</td>
                            <td>{ e.who.label().to_string() }</td>
                            <td>{ what(e, &app.password_credentials, &app.key_credentials) }
                                if e.result.as_deref().is_some_and(|r| r != "success") {
                                    { format!(" ({})", e.result.as_deref().unwrap_or_default()) }
                                }
                            </td>
                        </tr>
                    }) }
                </tbody>
            </table>
        },
    };
    html! {
        <section class="history" aria-labelledby="history-title">
            <h3 id="history-title">{ "History" }</h3>
            { body }
        </section>
    }
}

/// Whether the user can add a secret here, in the core's words (`wizard::access_note`): a known
/// yes, "probably not" (Create still offered), unknown, or Graph's refusal; and one quiet line
/// on what the app couldn't see.
fn access_note(access: &Access) -> Html {
    let note = super::access::access_note(access);
    let class = match note.tone {
        Tone::Checking => {
            return html! { <div id="access-note">{ crate::components::loading(AttrValue::from(AttrValue::from(note.text))) }</div> }
        }
        Tone::Ok => "notice notice-ok",
        Tone::Neutral => "notice",
        Tone::Warning => "notice notice-warning",
    };
    html! {
        <div id="access-note" class={class} role="note" data-testid="access-note">
            <p>{ note.text }</p>
            if let Some(aside) = note.aside {
                <p class="hint" data-testid="access-aside">{ aside }</p>
            }
        </div>
    }
}

fn status_cell(end: Option<chrono::DateTime<chrono::Utc>>, now: &Now) -> Html {
    html! {
        <td>
            { crate::components::status_badge(status_of(end, now)) }
            <span class="relative">{ expiry_phrase(end, now) }</span>
        </td>
    }
}

/// The removal's question (warning for the last working secret) and where it stands.
fn removal_view(ctx: &ReviewState, now: &Now, remove: &Callback<RemoveSecretMsg>) -> Html {
    let app = ctx.app.display_name.as_str();
    let done = |class: &'static str, text: String| {
        html! { <p class={class} role="status" data-testid="removal">{ text }</p> }
    };
    match ctx.removal() {
        SecretRemoval::Idle => html! {},
        SecretRemoval::Confirm { credential, impact, ticked } => {
            let last = impact.is_last_working();
            html! {
                <ConfirmDialog title="Remove this secret?"
                    message={remove::confirm_text(credential, impact, app, now)}
                    confirm_label="Remove secret" cancel_label="Keep it"
                    tick_label={last.then_some(AttrValue::Static(remove::LAST_WORKING_TICK))}
                    ticked={*ticked} on_tick={remove.reform(RemoveSecretMsg::Tick)}
                    on_confirm={remove.reform(|_| RemoveSecretMsg::Confirm)}
                    on_cancel={remove.reform(|_| RemoveSecretMsg::Cancel)} />
            }
        }
        SecretRemoval::Removing { .. } => {
            crate::components::loading(AttrValue::from("Removing the secret…"))
        }
        SecretRemoval::Checking { .. } => {
            crate::components::loading(AttrValue::from("Checking that the secret is gone…"))
        }
        SecretRemoval::Removed { credential } => done(
            "notice notice-ok",
            format!(
                "Removed \u{201c}{}\u{201d} (Secret ID {}) from {app}: nothing can sign in with it any more.",
                remove::describe(credential),
                credential.key_id
            ),
        ),
        SecretRemoval::StillThere { credential } => done(
            "notice notice-warning",
            format!(
                "Microsoft Graph said \u{201c}{}\u{201d} was removed, but the app still lists it. \
                 Changes can take a moment to show everywhere: reload the app in a minute to check.",
                remove::describe(credential)
            ),
        ),
        SecretRemoval::Failed { credential, problem } => {
            let key = credential.key_id.clone();
            crate::components::error_panel(
                AttrValue::from("The secret wasn't removed"),
                AttrValue::from(problem.message.clone()),
                problem.details.clone().map(AttrValue::from),
                html! { <button type="button" class="button button-secondary"
                    onclick={remove.reform(move |_| RemoveSecretMsg::Ask(key.clone()))}>{ "Try again" }</button> },
            )
        }
    }
}

fn secrets_table(
    secrets: &[PasswordCredential],
    now: &Now,
    remove: &Callback<RemoveSecretMsg>,
    busy: bool,
) -> Html {
    html! {
        <table class="table credentials secrets">
            <thead>
                <tr>
                    <th scope="col">{ "Description" }</th>
                    <th scope="col">{ "Secret ID" }</th>
                    <th scope="col">{ "Hint" }</th>
                    <th scope="col">{ "Starts" }</th>
                    <th scope="col">{ "Expires" }</th>
                    <th scope="col">{ "Status" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr>
            </thead>
            <tbody>
                { for secrets.iter().map(|c| html! {
                    <tr data-key-id={c.key_id.clone()}>
                        <td>{ c.display_name.clone().unwrap_or_else(|| "(no description)".into()) }</td>
                        <td><code>{ c.key_id.clone() }</code></td>
                        <td><code>{ c.hint.clone().map(|h| format!("{h}…")).unwrap_or_default() }</code></td>
                        <td>{ date(c.start_date_time, now) }</td>
                        <td>{ date(c.end_date_time, now) }</td>
                        { status_cell(c.end_date_time, now) }
                        <td>
                            <button type="button" class="button button-secondary" disabled={busy}
                                aria-label={format!("Remove secret {}", remove::describe(c))}
                                onclick={let key = c.key_id.clone(); remove.reform(move |_| RemoveSecretMsg::Ask(key.clone()))}>
                                { "Remove" }
                            </button>
                        </td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

fn certificates_table(certs: &[KeyCredential], now: &Now) -> Html {
    html! {
        <table class="table credentials certificates">
            <thead>
                <tr>
                    <th scope="col">{ "Name" }</th>
                    <th scope="col">{ "Thumbprint" }</th>
                    <th scope="col">{ "Starts" }</th>
                    <th scope="col">{ "Expires" }</th>
                    <th scope="col">{ "Status" }</th>
                </tr>
            </thead>
            <tbody>
                { for certs.iter().map(|c| {
                    let thumb = c.custom_key_identifier.as_deref()
                        .and_then(thumbprint_hex)
                        .unwrap_or_else(|| c.key_id.clone());
                    html! {
                        <tr>
                            <td>{ c.display_name.clone().unwrap_or_default() }</td>
                            <td><code class="thumbprint">{ thumb }</code></td>
                            <td>{ date(c.start_date_time, now) }</td>
                            <td>{ date(c.end_date_time, now) }</td>
                            { status_cell(c.end_date_time, now) }
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}
