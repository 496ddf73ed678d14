//! The guide on screen: the secret being replaced, the four steps with their state ticked, and
//! what happened to a removal.

use yew::prelude::*;

use super::crosscheck::VaultCopy;
use super::guide::{Guide, StepState, Target, TargetSource, STEP_TITLES};
use super::removal::{describe, Removal};
use super::state::{Msg, Rotation};
use crate::components::{loading, problem_panel};
use crate::domain::expiry::expiry_phrase;
use crate::domain::rotation::active_secrets;
use crate::graph::PasswordCredential;
use crate::runtime::Now;
use crate::wizard::cap_message;

fn named(c: &PasswordCredential) -> String {
    format!("\u{201c}{}\u{201d} (keyId {})", describe(c), c.key_id)
}

pub(super) fn copy_words(c: &VaultCopy) -> String {
    let version = c
        .version
        .as_deref()
        .map(|v| format!(", version {}", v.chars().take(8).collect::<String>()))
        .unwrap_or_default();
    format!("{} / {}{version}", c.vault_name, c.secret_name)
}

fn target_words(t: &Target) -> String {
    let why = match t.source {
        TargetSource::OldCopy => "where the old secret is stored now",
        TargetSource::AppSecret => "this app's vault secret",
        TargetSource::Default => "your organisation's default vault and name",
    };
    format!(
        "Opens the create flow with {} and the vault secret {} pre-selected ({why}), so storing \
         writes a new version of it.",
        t.vault_name, t.secret_name
    )
}

fn old_picker(r: &Rotation, g: &Guide, now: &Now, d: &Callback<Msg>) -> Html {
    let app = r.app.as_ref().expect("guide needs the app");
    let active = active_secrets(&app.password_credentials, now);
    if g.old_removed || active.is_empty() {
        return html! {};
    }
    let selected = g.old.as_ref().map(|c| c.key_id.clone()).unwrap_or_default();
    let onchange = d.reform(|e: Event| {
        use wasm_bindgen::JsCast;
        let value = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
            .map(|s| s.value())
            .unwrap_or_default();
        Msg::SelectOld(value)
    });
    html! {
        <div class="field">
            <label for="rotation-old">{ "Secret to replace" }</label>
            <select id="rotation-old" onchange={onchange} disabled={r.removal.is_busy()}>
                { for active.iter().map(|c| html! {
                    <option value={c.key_id.clone()} selected={c.key_id == selected}>
                        { format!("{} \u{2014} {}", describe(c), expiry_phrase(c.end_date_time, now)) }
                    </option>
                }) }
            </select>
        </div>
    }
}

fn step_body(i: usize, r: &Rotation, g: &Guide, now: &Now, d: &Callback<Msg>) -> Html {
    let state = g.states[i];
    match (i, state) {
        (0, StepState::Done) => {
            let n = g.new.as_ref().expect("done means found");
            html! { <p>{ format!("Created {}. {}.", named(n), expiry_phrase(n.end_date_time, now)) }</p> }
        }
        (0, StepState::Blocked) => html! { <p>{ cap_message() }</p> },
        (0, _) => {
            let target = r.target(now);
            let scanning = !r.scan_done();
            let words = match (&target, scanning) {
                (_, true) => "Checking your key vaults first, to find where this app's secret is stored…".to_string(),
                (Some(t), false) => target_words(t),
                (None, false) => "No vault secret of this app was found; choose a vault and name in the create flow.".to_string(),
            };
            html! {
                <>
                    <p>{ words }</p>
                    <p class="muted">{ "The old secret keeps working meanwhile: both are active until step 4." }</p>
                    <button type="button" class="button button-primary" disabled={scanning}
                        onclick={d.reform(|_| Msg::StartCreate)}>{ "Create the new secret" }</button>
                </>
            }
        }
        (1, StepState::Done) => {
            let c = g.stored.as_ref().expect("done means stored");
            html! { <p>{ format!("Stored in {}.", copy_words(c)) }</p> }
        }
        (1, StepState::Checking) => html! { <p>{ "Checking the vaults for the new secret…" }</p> },
        (1, StepState::Current) => html! {
            <>
                <p>{ "The new secret has no copy in the vaults checked. Its value was shown only once: \
                      if you finished without storing it, create another secret (step 1)." }</p>
                <button type="button" class="button button-secondary"
                    onclick={d.reform(|_| Msg::Rescan)}>{ "Check the vaults again" }</button>
            </>
        },
        (1, _) => html! { <p class="muted">{ "After step 1." }</p> },
        (2, _) => {
            let can_tick = g.new.is_some() && !g.old_removed && !r.removal.is_busy();
            let onchange = d.reform(|e: Event| {
                use wasm_bindgen::JsCast;
                let on = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .is_some_and(|i| i.checked());
                Msg::ConsumersUpdated(on)
            });
            html! {
                <>
                    <p>{ "Give the new secret to everything that used the old one (app settings, \
                          pipelines, other services), or let them read the vault secret's new version." }</p>
                    <label class="field">
                        <input type="checkbox" checked={r.session.consumers_confirmed}
                            disabled={!can_tick} onchange={onchange} />
                        { " I've updated every consumer of the old secret" }
                    </label>
                </>
            }
        }
        (_, StepState::Done) => html! {
            <p>{ "The old secret is no longer on the app." }</p>
        },
        _ => {
            let Some(old) = &g.old else {
                return html! { <p class="muted">{ "This app has no working secret to replace." }</p> };
            };
            let key = old.key_id.clone();
            let blocked = r.guard(&key, now).err();
            html! {
                <>
                    <p>{ format!("Removes {} from the app.", named(old)) }</p>
                    if let Some(b) = blocked {
                        <p class="muted" id="remove-reason">{ b.reason() }</p>
                    }
                    <button type="button" class="button button-danger"
                        disabled={blocked.is_some() || r.removal.is_busy()}
                        aria-describedby={blocked.map(|_| "remove-reason")}
                        onclick={d.reform(move |_| Msg::AskRemove(key.clone()))}>
                        { "Remove the old secret\u{2026}" }
                    </button>
                </>
            }
        }
    }
}

fn removal_notice(r: &Rotation, d: &Callback<Msg>) -> Html {
    match &r.removal {
        Removal::Removing { .. } => loading("Removing the secret…".into()),
        Removal::Verifying { .. } => {
            loading("Reading the app again to check that it's gone…".into())
        }
        Removal::Removed { credential } => html! {
            <div class="notice notice-ok" role="status" data-testid="removal-result">
                <p>{ format!("Removed {}. We read the app again: it no longer lists it.", named(credential)) }</p>
            </div>
        },
        Removal::StillThere { credential } => html! {
            <div class="notice notice-warning" role="status" data-testid="removal-result">
                <p>{ format!("Microsoft Graph said {} was removed, but the app still lists it. Removals \
                              sometimes take a moment to show; check again in a minute. If it stays, \
                              remove it in the Entra admin center.", named(credential)) }</p>
                <button type="button" class="button button-secondary"
                    onclick={d.reform(|_| Msg::CheckAgain)}>{ "Check again" }</button>
            </div>
        },
        Removal::Failed {
            credential,
            problem,
        } => problem_panel(
            format!("{} wasn't removed", named(credential)).into(),
            problem,
            html! {},
        ),
        _ => html! {},
    }
}

/// The "Rotation guide" section.
pub fn guide_section(r: &Rotation, now: &Now, d: &Callback<Msg>) -> Html {
    let Some(g) = r.guide(now) else {
        return html! {};
    };
    html! {
        <section class="wizard-step rotation-guide" aria-labelledby="guide-title">
            <h2 id="guide-title">{ "Rotation guide" }</h2>
            { old_picker(r, &g, now, d) }
            if let Some(old) = &g.old {
                <p data-testid="replacing">{ format!("Replacing {}. {}.", named(old), expiry_phrase(old.end_date_time, now)) }</p>
            }
            <ol class="rotation-steps">
                { for (0..4).map(|i| {
                    let state = g.states[i];
                    let class = match state {
                        StepState::Done => "rotation-step rotation-step-done",
                        StepState::Current => "rotation-step rotation-step-current",
                        StepState::Pending => "rotation-step rotation-step-pending",
                        StepState::Checking => "rotation-step rotation-step-checking",
                        StepState::Blocked => "rotation-step rotation-step-blocked",
                    };
                    html! {
                        <li class={class} data-step={(i + 1).to_string()} data-state={state.key()}>
                            <h3>
                                <span class="step-mark" aria-hidden="true">
                                    { if state == StepState::Done { "\u{2713}" } else { "\u{25cb}" } }
                                </span>
                                { format!(" {} ", STEP_TITLES[i]) }
                                <span class="badge">{ state.label() }</span>
                            </h3>
                            { step_body(i, r, &g, now, d) }
                        </li>
                    }
                }) }
            </ol>
            { removal_notice(r, d) }
            if g.complete() {
                <div class="notice notice-ok" role="status">
                    <p>{ "Rotation complete: the new secret is in place and the old one is gone." }</p>
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| Msg::StartOver)}>{ "Start another rotation" }</button>
                </div>
            }
        </section>
    }
}
