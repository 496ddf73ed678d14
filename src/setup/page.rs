//! The Setup check page (browser part): runs the check's reducer ([`super::state`]: which check
//! runs next, what each answer means) with the runtime, and shows each line as it is decided.
//! Its effects are reads: requests sent without any window, the redirect page fetched without a
//! token, and a token's claims read quietly (`Interaction::None`). It never writes.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::checks::Status;
use super::state::{config_failed, Effect, Line, Msg, SetupCheck};
use crate::app::use_app;
use crate::auth::Session;
use crate::config::ConfigError;
use crate::http;
use crate::runtime::{failure, quiet_claims, use_feature, Ctx, Sender};

fn run(effect: Effect, ctx: &Ctx<Msg>, session: &Rc<Session>) {
    let d = ctx.dispatcher().clone();
    match effect {
        Effect::Send(out) => ctx.send(out, Msg::Response),
        Effect::FetchAnonymous { run, url } => spawn_local(async move {
            let outcome = http::get_anonymous(&url, http::DEFAULT_TIMEOUT_MS)
                .await
                .map_err(failure);
            d.emit(Msg::RedirectPage { run, outcome });
        }),
        Effect::ReadClaims { run, resource } => {
            let session = session.clone();
            spawn_local(async move {
                let claims = quiet_claims(&session, resource).await;
                let claims = claims.map(Option::unwrap_or_default);
                d.emit(Msg::Claims {
                    run,
                    resource,
                    claims,
                });
            })
        }
    }
}

fn view_line(l: &Line) -> Html {
    let (class, text, fix) = match &l.status {
        Status::Checking => ("checking", "Checking…".to_string(), None),
        Status::Ok(t) => ("ok", t.clone(), None),
        Status::Note { what, fix } => ("note", what.clone(), Some(fix.clone())),
        Status::Problem { what, fix } => ("problem", what.clone(), Some(fix.clone())),
        Status::NotChecked(why) => ("not-checked", why.clone(), None),
    };
    html! {
        <li class={classes!("setup-line", format!("setup-{class}"))} data-status={class}>
            <span class="setup-label">{ l.status.label() }</span>
            <div class="setup-body">
                <h3 class="setup-title">{ l.title.clone() }</h3>
                <p>{ text }</p>
                if let Some(fix) = fix {
                    <p class="setup-fix">{ "Fix: " }{ fix }</p>
                }
            </div>
        </li>
    }
}

fn intro() -> Html {
    html! {
        <>
            <h1>{ "Setup check" }</h1>
            <p class="lead">
                { "For whoever runs this site: each line says what works and, where something \
                   doesn't, how to fix it. Nothing is created or changed." }
            </p>
        </>
    }
}

#[function_component(SetupPage)]
pub fn setup_page() -> Html {
    let ctx = use_app();
    let who = ctx.account.as_ref().map(|a| a.label().to_string());
    let handle = {
        let (config, session, who) = (ctx.config.clone(), ctx.session.clone(), who.clone());
        use_feature(
            move || {
                let origin = web_sys::window()
                    .and_then(|w| w.location().origin().ok())
                    .unwrap_or_default();
                SetupCheck::new(config, &origin, who)
            },
            // Every request a read, and never a window.
            Some(Sender::quiet(ctx.session.clone())),
            move |e, c| run(e, c, &session),
        )
    };
    let d = handle.dispatch;
    {
        let d = d.clone();
        use_effect_with(who, move |who| d.emit(Msg::SignedIn(who.clone())));
    }
    let again = d.reform(|_: MouseEvent| Msg::Again);
    let on_sign_in = {
        let (ctx, d) = (ctx.clone(), d.clone());
        Callback::from(move |_: MouseEvent| {
            // No await before loginPopup: it must open its window inside this click.
            let signing_in = ctx.session.sign_in_popup();
            let (set_account, d) = (ctx.set_account.clone(), d.clone());
            spawn_local(async move {
                match signing_in.await {
                    Ok(account) => set_account.emit(Some(account)),
                    Err(e) => d.emit(Msg::SignInFailed(e.user_message())),
                }
            });
        })
    };
    let signed_in = ctx.account.is_some();
    let state = handle.state.borrow();
    let busy = state.busy();
    html! {
        <main class="page page-narrow setup" id="main" aria-busy={busy.to_string()}>
            { intro() }
            <p class="setup-summary" role="status">{ state.summary() }</p>
            <ul class="setup-lines">{ for state.lines().iter().map(view_line) }</ul>
            <div class="actions">
                if !signed_in {
                    <button type="button" class="button button-primary" onclick={on_sign_in}>
                        { "Sign in to check the rest" }
                    </button>
                }
                <button type="button" class="button button-secondary" onclick={again}
                    disabled={busy}>
                    { "Check again" }
                </button>
                <a class="button button-secondary" href="/">{ "Back to secret-wizard" }</a>
            </div>
            if let Some(e) = &state.sign_in_error {
                <p class="setup-fix" role="alert">{ e.clone() }</p>
            }
        </main>
    }
}

/// The Setup check when config.json itself is wrong: that line, and nothing else checked.
pub fn setup_config_failed(error: &ConfigError) -> Html {
    let (lines, summary) = config_failed(error);
    html! {
        <main class="page page-narrow setup" id="main">
            { intro() }
            <p class="setup-summary" role="status">{ summary }</p>
            <ul class="setup-lines">{ for lines.iter().map(view_line) }</ul>
        </main>
    }
}
