//! Step 2, Review credentials: the app's secrets and certificates with their status, and
//! whether the user can add a secret here (and if probably not, who can; Create stays offered
//! unless Graph has refused).

use yew::prelude::*;

use super::super::format::{date, thumbprint_hex};
use super::super::shared::Leave;
use super::access::{cap_message, Tone};
use super::{ReviewMsg, ReviewState};
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
            if app.password_credentials.is_empty() {
                <p class="empty">{ "This app has no client secrets." }</p>
            } else {
                { secrets_table(&app.password_credentials, &props.now) }
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
            if props.ctx.loading {
                { crate::components::loading(AttrValue::from("Refreshing credentials…")) }
            }
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

fn secrets_table(secrets: &[PasswordCredential], now: &Now) -> Html {
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
