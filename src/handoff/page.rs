//! The admin's "Hand-off link" page: pre-fill app, lifetime, vault and secret name, get a link
//! to send. It renders the form's reducer (`handoff::state`) and runs its one effect, the copy.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::browser::site;
use super::state::{Effect, Field, LinkForm, Made, Msg, CUSTOM_DATE};
use crate::app::use_app;
use crate::domain::lifetime::LifetimePreset;
use crate::runtime::{use_feature, Ctx};

fn input_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlInputElement>().value()
}

fn run(effect: Effect, ctx: &Ctx<Msg>) {
    match effect {
        Effect::Copy(text) => {
            let promise = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&text);
            let done = ctx.dispatcher().reform(Msg::Copied);
            spawn_local(async move {
                done.emit(JsFuture::from(promise).await.is_ok());
            });
        }
    }
}

/// The admin's "Hand-off link" page.
#[function_component(HandoffPage)]
pub fn handoff_page() -> Html {
    let config = use_app().config;
    let handle = use_feature(move || LinkForm::new(config, site()), None, run);
    let d = handle.dispatch;
    let form = handle.state.borrow();
    let max_days = form.max_days();
    let set = |field: Field| d.reform(move |e: InputEvent| Msg::Input(field, input_value(&e)));
    let on_lifetime =
        d.reform(|e: Event| Msg::Lifetime(e.target_unchecked_into::<HtmlSelectElement>().value()));
    let on_submit = d.reform(|e: SubmitEvent| {
        e.prevent_default();
        Msg::Submit
    });
    let on_copy = d.reform(|_: MouseEvent| Msg::Copy);
    let (fields, lifetime, copied) = (&form.fields, &form.lifetime, form.copied);

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
                           value={fields.app.clone()} oninput={set(Field::App)} />
                </div>
                <div class="field">
                    <label for="ho-lifetime">{ "Lifetime" }</label>
                    <select id="ho-lifetime" onchange={on_lifetime}>
                        <option value="" selected={lifetime.is_empty()}>{ "Let the developer choose" }</option>
                        { for presets.iter().map(|p| {
                            let v = p.days().to_string();
                            html! { <option value={v.clone()} selected={*lifetime == v}>{ p.label() }</option> }
                        }) }
                        <option value={CUSTOM_DATE} selected={lifetime == CUSTOM_DATE}>{ "Until a date…" }</option>
                    </select>
                    <span class="hint">{ format!("At most {max_days} days (this site's policy).") }</span>
                </div>
                if lifetime == CUSTOM_DATE {
                    <div class="field">
                        <label for="ho-until">{ "Expires on" }</label>
                        <input id="ho-until" type="date" value={fields.until.clone()}
                               oninput={set(Field::Until)} />
                    </div>
                }
                <div class="field">
                    <label for="ho-vault">{ "Key Vault (resource ID, optional)" }</label>
                    <input id="ho-vault" type="text" autocomplete="off" spellcheck="false"
                           placeholder="/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/…"
                           value={fields.vault.clone()} oninput={set(Field::Vault)} />
                </div>
                <div class="field">
                    <label for="ho-name">{ "Secret name in Key Vault (optional)" }</label>
                    <input id="ho-name" type="text" autocomplete="off" spellcheck="false"
                           value={fields.name.clone()} oninput={set(Field::Name)} />
                </div>
                <div class="actions">
                    <button type="submit" class="button button-primary">{ "Create link" }</button>
                </div>
            </form>
            { match &form.made {
                Made::None => html! {},
                Made::Problem(text) => html! {
                    <p class="notice notice-warning" role="alert" id="ho-problem">{ text.clone() }</p>
                },
                Made::Link(text) => html! {
                    <section class="panel handoff-result" aria-labelledby="ho-result">
                        <h2 id="ho-result">{ "Send this link" }</h2>
                        <code class="handoff-link" id="ho-link">{ text.clone() }</code>
                        <div class="actions">
                            <button type="button" class="button" onclick={on_copy}>{ "Copy link" }</button>
                            <span class="hint" role="status" aria-live="polite">
                                { if copied { "Copied" } else { "" } }
                            </span>
                        </div>
                    </section>
                },
            } }
        </main>
    }
}
