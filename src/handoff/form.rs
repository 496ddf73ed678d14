//! The admin's "Hand-off link" page: pre-fill app, lifetime, vault and secret name, get a link
//! to send. The link is checked with the same parser the developer's browser will use.

use chrono::Local;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::browser::site;
use super::link::{link, parse};
use super::pending::{limits, FormFields};
use crate::app::use_app;
use crate::domain::lifetime::LifetimePreset;

const CUSTOM_DATE: &str = "date";

#[derive(Clone, PartialEq)]
enum Outcome {
    None,
    Link(String),
    Problem(String),
}

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

#[function_component(HandoffForm)]
pub fn handoff_form() -> Html {
    let ctx = use_app();
    let max_days = ctx.config.policy.max_lifetime_days;
    let fields = use_state(|| FormFields {
        vault: ctx
            .config
            .vault
            .default
            .as_ref()
            .map(|v| v.id.clone())
            .unwrap_or_default(),
        ..FormFields::default()
    });
    let lifetime = use_state(String::new);
    let outcome = use_state(|| Outcome::None);
    let copied = use_state(|| false);

    let set = |apply: fn(&mut FormFields, String)| {
        let (fields, outcome) = (fields.clone(), outcome.clone());
        Callback::from(move |e: InputEvent| {
            let mut f = (*fields).clone();
            apply(&mut f, input_value(&e));
            fields.set(f);
            outcome.set(Outcome::None);
        })
    };
    let on_lifetime = {
        let (fields, lifetime, outcome) = (fields.clone(), lifetime.clone(), outcome.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut f = (*fields).clone();
            if v == CUSTOM_DATE {
                f.days.clear();
            } else {
                f.days = v.clone();
                f.until.clear();
            }
            fields.set(f);
            lifetime.set(v);
            outcome.set(Outcome::None);
        })
    };
    let on_submit = {
        let (fields, outcome, copied, ctx) =
            (fields.clone(), outcome.clone(), copied.clone(), ctx.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            copied.set(false);
            let today = Local::now().date_naive();
            let query = fields.query();
            outcome.set(match parse(&query, &limits(&ctx.config, today)) {
                Ok(Some(h)) => Outcome::Link(link(&site(), &h)),
                Ok(None) => Outcome::Problem("Enter the app's client ID.".into()),
                Err(e) => Outcome::Problem(format!("The link can't be made: {}.", e.reason())),
            });
        })
    };
    let on_copy = {
        let (outcome, copied) = (outcome.clone(), copied.clone());
        Callback::from(move |_: MouseEvent| {
            let Outcome::Link(text) = &*outcome else {
                return;
            };
            let promise = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(text);
            let copied = copied.clone();
            spawn_local(async move {
                copied.set(JsFuture::from(promise).await.is_ok());
            });
        })
    };

    let presets = LifetimePreset::within(max_days);
    html! {
        <main class="page" id="main">
            <h1>{ "Hand-off link" }</h1>
            <p class="lead">
                { "Prepare a new client secret for a developer: choose the app, how long the secret \
                   lives, and where it goes. They open the link, sign in, and land on the prepared \
                   step; they still create the secret themselves. The link holds no secret and no token." }
            </p>
            <form class="panel handoff-form" onsubmit={on_submit} novalidate=true>
                <div class="field">
                    <label for="ho-app">{ "App (client ID)" }</label>
                    <input id="ho-app" type="text" required=true autocomplete="off" spellcheck="false"
                           placeholder="00000000-0000-0000-0000-000000000000"
                           value={fields.app.clone()} oninput={set(|f, v| f.app = v)} />
                </div>
                <div class="field">
                    <label for="ho-lifetime">{ "Lifetime" }</label>
                    <select id="ho-lifetime" onchange={on_lifetime}>
                        <option value="" selected={lifetime.is_empty()}>{ "Let the developer choose" }</option>
                        { for presets.iter().map(|p| {
                            let v = p.days().to_string();
                            html! { <option value={v.clone()} selected={*lifetime == v}>{ p.label() }</option> }
                        }) }
                        <option value={CUSTOM_DATE} selected={*lifetime == CUSTOM_DATE}>{ "Until a date…" }</option>
                    </select>
                    <span class="hint">{ format!("At most {max_days} days (this site's policy).") }</span>
                </div>
                if *lifetime == CUSTOM_DATE {
                    <div class="field">
                        <label for="ho-until">{ "Expires on" }</label>
                        <input id="ho-until" type="date" value={fields.until.clone()}
                               oninput={set(|f, v| f.until = v)} />
                    </div>
                }
                <div class="field">
                    <label for="ho-vault">{ "Key Vault (resource ID, optional)" }</label>
                    <input id="ho-vault" type="text" autocomplete="off" spellcheck="false"
                           placeholder="/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/…"
                           value={fields.vault.clone()} oninput={set(|f, v| f.vault = v)} />
                </div>
                <div class="field">
                    <label for="ho-name">{ "Secret name in Key Vault (optional)" }</label>
                    <input id="ho-name" type="text" autocomplete="off" spellcheck="false"
                           value={fields.name.clone()} oninput={set(|f, v| f.name = v)} />
                </div>
                <div class="actions">
                    <button type="submit" class="button button-primary">{ "Create link" }</button>
                </div>
            </form>
            { match &*outcome {
                Outcome::None => html! {},
                Outcome::Problem(text) => html! {
                    <p class="notice notice-warning" role="alert" id="ho-problem">{ text.clone() }</p>
                },
                Outcome::Link(text) => html! {
                    <section class="panel handoff-result" aria-labelledby="ho-result">
                        <h2 id="ho-result">{ "Send this link" }</h2>
                        <code class="handoff-link" id="ho-link">{ text.clone() }</code>
                        <div class="actions">
                            <button type="button" class="button" onclick={on_copy}>{ "Copy link" }</button>
                            <span class="hint" role="status" aria-live="polite">
                                { if *copied { "Copied" } else { "" } }
                            </span>
                        </div>
                    </section>
                },
            } }
        </main>
    }
}
