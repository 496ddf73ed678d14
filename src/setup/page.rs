//! The Setup check page (browser part): runs the checks one after another and shows each line
//! as it is decided ([`super::checks`] decides; this only asks). Reads, never writes.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::checks::{self, Status};
use crate::app::{use_app, AppContext};
use crate::auth::claims::read_claims;
use crate::auth::{service_name, AuthError, Interaction, TokenOptions};
use crate::config::ConfigError;
use crate::http::{self, SendOptions};
use crate::net::{HttpRequest, HttpResponse};

/// A line: what was checked, and how it came out.
#[derive(Clone, Debug, PartialEq)]
struct Line {
    title: String,
    status: Status,
}

fn line(title: impl Into<String>, status: Status) -> Line {
    Line {
        title: title.into(),
        status,
    }
}

const NEEDS_SIGN_IN: &str = "Needs someone signed in.";

/// Every line the configuration calls for, before anything has run.
fn initial(ctx: &AppContext) -> Vec<Line> {
    let checking = || Status::Checking;
    let mut lines = vec![
        line("config.json", checking()),
        line("Redirect page", checking()),
        line("Sign-in", checking()),
    ];
    for r in checks::resources(&ctx.config) {
        lines.push(line(
            format!("Permissions: {}", service_name(r)),
            checking(),
        ));
    }
    lines.push(line("Microsoft Graph", checking()));
    lines.push(line("Azure Resource Manager", checking()));
    for v in configured_vaults(ctx) {
        lines.push(line(format!("Key vault {}", v.name), checking()));
    }
    lines
}

fn configured_vaults(ctx: &AppContext) -> Vec<crate::config::VaultRef> {
    let mut vaults: Vec<crate::config::VaultRef> = Vec::new();
    let vault = &ctx.config.vault;
    for v in vault.default.iter().chain(vault.allowed.iter()) {
        if !vaults.iter().any(|seen| seen.same_as(v)) {
            vaults.push(v.clone());
        }
    }
    vaults
}

/// The lines as they are decided, and who redraws the page.
#[derive(Clone)]
struct Board {
    lines: Rc<RefCell<Vec<Line>>>,
    show: UseStateSetter<Vec<Line>>,
}

impl Board {
    fn set(&self, index: usize, status: Status) {
        let snapshot = {
            let mut lines = self.lines.borrow_mut();
            if let Some(l) = lines.get_mut(index) {
                l.status = status;
            }
            lines.clone()
        };
        self.show.set(snapshot);
    }
}

/// Sends one read without ever opening a window (a missing grant is a line, not a prompt).
async fn read(ctx: &AppContext, req: &HttpRequest) -> Result<HttpResponse, String> {
    let mut opts = SendOptions::for_request(req);
    opts.interaction = Interaction::None;
    http::send_with(&ctx.session, req, opts, |_| {})
        .await
        .map_err(|e| e.user_message())
}

async fn run(ctx: AppContext, board: Board) {
    let mut i = 0;
    board.set(i, checks::config_line(Ok(&ctx.config)));
    i += 1;

    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    let path = ctx.config.redirect_path.clone();
    let redirect = http::get_anonymous(&format!("{origin}{path}"), http::DEFAULT_TIMEOUT_MS)
        .await
        .map_err(|e| e.user_message());
    board.set(
        i,
        checks::redirect_line(&path, redirect.as_ref().map_err(Clone::clone)),
    );
    i += 1;

    let who = ctx.account.as_ref().map(|a| a.label().to_string());
    board.set(i, checks::sign_in_line(who.as_deref()));
    i += 1;
    if who.is_none() {
        let count = board.lines.borrow().len();
        for j in i..count {
            board.set(j, Status::NotChecked(NEEDS_SIGN_IN.into()));
        }
        return;
    }

    for resource in checks::resources(&ctx.config) {
        let quiet = TokenOptions {
            force_refresh: false,
            interaction: Interaction::None,
        };
        let token = ctx.session.token_with(resource, quiet).await;
        let status = match &token {
            Ok(t) => checks::permissions_line(resource, Ok(&read_claims(t).unwrap_or_default())),
            Err(e) => checks::permissions_line(resource, Err(e)),
        };
        board.set(i, status);
        i += 1;
    }

    let graph = read(
        &ctx,
        &crate::graph::list_applications(ctx.config.graph_base(), &crate::graph::AppQuery::All),
    )
    .await
    .and_then(|res| {
        crate::graph::parse_application_page(&res)
            .map(|page| page.value.len())
            .map_err(|e| e.user_message())
    });
    board.set(i, checks::graph_line(graph));
    i += 1;

    board.set(i, checks::arm_line(subscriptions_and_vaults(&ctx).await));
    i += 1;

    for vault in configured_vaults(&ctx) {
        board.set(
            i,
            checks::vault_line(&vault.name, vault_writable(&ctx, &vault.id).await),
        );
        i += 1;
    }
}

/// Whether a vault exists and is reachable (Vaults_Get), then whether the person's roles there
/// allow the ARM secret write.
async fn vault_writable(ctx: &AppContext, id: &str) -> Result<bool, String> {
    let base = ctx.config.arm_base();
    let res = read(ctx, &crate::arm::get_vault(base, id)).await?;
    crate::arm::parse_vault(&res).map_err(|e| e.user_message())?;
    let res = read(ctx, &crate::arm::vault_permissions(base, id)).await?;
    crate::arm::parse_permissions(&res)
        .map(|page| crate::arm::can(&page.value, crate::arm::SECRETS_WRITE, false))
        .map_err(|e| e.user_message())
}

/// Subscriptions (first page) and the vaults in each enabled one (first page each).
async fn subscriptions_and_vaults(ctx: &AppContext) -> Result<(usize, usize), String> {
    let base = ctx.config.arm_base();
    let res = read(ctx, &crate::arm::list_subscriptions(base)).await?;
    let subs = crate::arm::parse_subscriptions(&res).map_err(|e| e.user_message())?;
    let mut vaults = 0;
    for sub in subs.value.iter().filter(|s| s.is_enabled()) {
        let res = read(ctx, &crate::arm::list_vaults(base, &sub.subscription_id)).await?;
        vaults += crate::arm::parse_vaults(&res)
            .map_err(|e| e.user_message())?
            .value
            .len();
    }
    Ok((subs.value.len(), vaults))
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
    let shown = use_state(|| initial(&ctx));
    let runs = use_state(|| 0u32);
    let signed_in = ctx.account.is_some();
    {
        let (ctx, shown) = (ctx.clone(), shown.clone());
        use_effect_with((signed_in, *runs), move |_| {
            let lines = initial(&ctx);
            shown.set(lines.clone());
            let board = Board {
                lines: Rc::new(RefCell::new(lines)),
                show: shown.setter(),
            };
            spawn_local(run(ctx, board));
        });
    }
    let busy = shown.iter().any(|l| l.status == Status::Checking);
    let again = {
        let runs = runs.clone();
        Callback::from(move |_: MouseEvent| runs.set(*runs + 1))
    };
    let sign_in_error = use_state(|| None::<AuthError>);
    let on_sign_in = {
        let (ctx, sign_in_error) = (ctx.clone(), sign_in_error.clone());
        Callback::from(move |_: MouseEvent| {
            // No await before loginPopup: it must open its window inside this click.
            let signing_in = ctx.session.sign_in_popup();
            let (set_account, sign_in_error) = (ctx.set_account.clone(), sign_in_error.clone());
            spawn_local(async move {
                match signing_in.await {
                    Ok(account) => set_account.emit(Some(account)),
                    Err(e) => sign_in_error.set(Some(e)),
                }
            });
        })
    };
    let problems = shown.iter().filter(|l| l.status.is_problem()).count();
    html! {
        <main class="page page-narrow setup" id="main" aria-busy={busy.to_string()}>
            { intro() }
            <p class="setup-summary" role="status">
                { if busy {
                    "Checking…".to_string()
                } else if problems == 0 {
                    "No problems found.".to_string()
                } else {
                    format!("{problems} problem(s) found.")
                } }
            </p>
            <ul class="setup-lines">{ for shown.iter().map(view_line) }</ul>
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
            if let Some(e) = &*sign_in_error {
                <p class="setup-fix" role="alert">{ e.user_message() }</p>
            }
        </main>
    }
}

/// The Setup check when config.json itself is wrong: that line, and nothing else checked.
pub fn setup_config_failed(error: &ConfigError) -> Html {
    let why = "Needs a valid config.json.";
    let lines = [
        line("config.json", checks::config_line(Err(error))),
        line("Redirect page", Status::NotChecked(why.into())),
        line("Sign-in", Status::NotChecked(why.into())),
    ];
    html! {
        <main class="page page-narrow setup" id="main">
            { intro() }
            <p class="setup-summary" role="status">{ "1 problem(s) found." }</p>
            <ul class="setup-lines">{ for lines.iter().map(view_line) }</ul>
        </main>
    }
}
