//! The Yew application: start-up (config.json, then MSAL), the context every page reads, and
//! the first screen (signed out: what the tool does and Sign in; signed in: the app list).
//!
//! No router: MSAL's redirect flow and hash routing don't mix, and the wizard (next) is a
//! state machine inside one page rather than a set of URLs.

mod boot;
mod boot_shell;
mod clipboard;
mod config_error;
mod context;
mod header;
mod interaction;
mod nav;
mod panic;
mod signed_out;

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

pub use boot::{load_config, CONFIG_URL, PREFETCH_GLOBAL};
pub use boot_shell::start_boot;
pub use clipboard::{sign_out_after_clearing, Clipboard};
pub use config_error::config_error_page;
pub use context::{use_app, AppContext};
pub use header::{header, Header};
pub use nav::{Nav, Navigation, Page};
pub use panic::{show_error_page, show_fatal_page};
pub use signed_out::SignedOutPage;

use crate::auth::{AuthError, Session};
use crate::components::{error_panel, loading};
use crate::config::{Config, ConfigError};

/// Where the app mounts (index.html); the body if it is missing.
pub const ROOT_ID: &str = "app";

/// Installs the panic hook and [`mount`]s the full app.
pub fn start() {
    panic::install();
    spawn_local(async {
        mount::<App>().await;
    });
}

/// Reads config.json and starts MSAL ([`first_step`]), then mounts the root `C` on `#app`,
/// replacing index.html's loading line (without `#app`: the fatal page). The full app and the
/// boot module alike.
async fn mount<C>() -> Option<yew::AppHandle<C>>
where
    C: BaseComponent<Properties = BootProps>,
{
    let props = BootProps {
        first: first_step().await,
    };
    let Some(root) = cleared_root() else {
        show_fatal_page();
        return None;
    };
    Some(yew::Renderer::<C>::with_root_and_props(root, props).render())
}

/// `#app`, emptied of index.html's loading text (or of the boot module's last line).
fn cleared_root() -> Option<web_sys::Element> {
    let root = web_sys::window()?.document()?.get_element_by_id(ROOT_ID)?;
    while let Some(child) = root.first_child() {
        let _ = root.remove_child(&child);
    }
    Some(root)
}

/// Start-up, step by step.
#[derive(Clone)]
enum Boot {
    ConfigFailed(ConfigError),
    /// MSAL is starting and this load may end up signed in: wait for it.
    Starting(Rc<Config>, Rc<Session>),
    AuthFailed(AuthError),
    /// The shell can be drawn (MSAL may still be starting; see [`first_step`]).
    Ready(Rc<Config>, Rc<Session>),
}

/// What the root is mounted with: how far start-up got before anything was drawn.
#[derive(Properties, Clone)]
pub struct BootProps {
    first: Boot,
}

impl PartialEq for BootProps {
    /// Mounted once with it; never compared in earnest.
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

/// config.json, then MSAL's start, before the first render (index.html's loading line shows
/// meanwhile: one render fewer, and no frame drawn while config.json is on its way). A load that
/// cannot end up signed in (a fresh tab: no MSAL cache, no sign-in response in the URL; see
/// [`crate::auth::may_resume_here`]) is `Ready` at once: the signed-out page shows while MSAL starts,
/// and its Sign in button waits for MSAL if clicked sooner. Any other load is `Starting` and
/// waits for MSAL, so a signed-in visitor never sees the signed-out page flash by.
async fn first_step() -> Boot {
    let config = match load_config().await {
        Ok(c) => Rc::new(c),
        Err(e) => return Boot::ConfigFailed(e),
    };
    let session = Rc::new(Session::start(&config));
    if crate::auth::may_resume_here() {
        Boot::Starting(config, session)
    } else {
        Boot::Ready(config, session)
    }
}

/// Start-up from `first` on: once MSAL has started, `Starting` becomes `Ready`, and either
/// becomes `AuthFailed` if it could not. (`use_app_context` notices if MSAL found an account
/// for a page drawn before it had started.)
#[hook]
fn use_boot(first: &Boot) -> UseStateHandle<Boot> {
    let state = use_state(|| first.clone());
    {
        let (state, first) = (state.clone(), first.clone());
        use_effect_with((), move |_| {
            let (Boot::Starting(config, session) | Boot::Ready(config, session)) = first else {
                return;
            };
            spawn_local(async move {
                match session.started().await {
                    Ok(()) if matches!(*state, Boot::Starting(..)) => {
                        state.set(Boot::Ready(config, session))
                    }
                    Ok(()) => {}
                    Err(e) => state.set(Boot::AuthFailed(e)),
                }
            });
        });
    }
    state
}

/// The root: boots, then hands over to [`Shell`].
#[function_component(App)]
pub fn app(props: &BootProps) -> Html {
    let state = use_boot(&props.first);
    if let (Boot::ConfigFailed(error), true) = (&*state, crate::setup::requested_here()) {
        return crate::setup::setup_config_failed(error);
    }
    boot_view(&state, |props| html! { <Shell ..props /> })
}

/// The way to the Setup check, under every sign-in failure and on the signed-out page.
pub fn setup_link() -> Html {
    html! {
        <p class="hint setup-link">
            <a href={crate::setup::PATH}>{ "Setup check" }</a>
            { " — for whoever runs this site: what is configured and granted, and what isn't." }
        </p>
    }
}

/// Start-up, its failure, or (once MSAL is ready) `ready` with the shell's props; the full app
/// and the boot module alike.
fn boot_view(state: &Boot, ready: impl FnOnce(ShellProps) -> Html) -> Html {
    match state {
        Boot::Starting(..) => html! {
            <main class="page page-narrow" id="main" aria-busy="true">
                { loading("Preparing sign-in…".into()) }
            </main>
        },
        Boot::ConfigFailed(error) => config_error_page(error),
        Boot::AuthFailed(error) => html! {
            <main class="page page-narrow" id="main">
                { error_panel(
                    "Sign-in isn't available".into(),
                    error.user_message().into(),
                    Some(error.details().into()),
                    setup_link(),
                ) }
            </main>
        },
        Boot::Ready(config, session) => ready(ShellProps {
            config: config.clone(),
            session: session.clone(),
        }),
    }
}

/// The demo (the sandbox: a custom cloud signing in at a ".localhost" host) gets a first-run tour.
fn is_demo(config: &Config) -> bool {
    config.cloud.is_sandbox()
}

#[derive(Properties)]
pub struct ShellProps {
    pub config: Rc<Config>,
    pub session: Rc<Session>,
}

impl PartialEq for ShellProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config) && Rc::ptr_eq(&self.session, &other.session)
    }
}

/// The context every page reads, with who is signed in kept as state (pages report sign-in and
/// sign-out through `set_account`).
#[hook]
fn use_app_context(props: &ShellProps) -> AppContext {
    let account = {
        let session = props.session.clone();
        use_state(move || session.account())
    };
    {
        // Drawn while MSAL was still starting (see `first_step`): once it has, take any account it
        // found (which a fresh tab should not have; this keeps the page right if it does).
        let (session, account) = (props.session.clone(), account.clone());
        use_effect_with(Rc::as_ptr(&props.session) as usize, move |_| {
            spawn_local(async move {
                if session.started().await.is_ok() && account.is_none() {
                    if let Some(found) = session.account() {
                        account.set(Some(found));
                    }
                }
            });
        });
    }
    AppContext {
        config: props.config.clone(),
        session: props.session.clone(),
        account: (*account).clone(),
        set_account: Callback::from(move |a| account.set(a)),
        clipboard: None,
    }
}

/// Provides [`AppContext`] and shows the header and the page for the sign-in state.
#[function_component(Shell)]
pub fn shell(props: &ShellProps) -> Html {
    let mut ctx = use_app_context(props);
    let signed_in = ctx.account.is_some();
    let demo = is_demo(&ctx.config);
    // Lets the header's Sign out ask first while the wizard shows an uncopied secret.
    let leave_guard = use_memo((), |_| crate::wizard::LeaveGuard::default());
    // Above the pages: clears a copied secret after navigation and sign-out too.
    let (clipboard, clipboard_notice) =
        clipboard::use_clipboard(ctx.config.policy.clipboard_clear_seconds);
    ctx.clipboard = Some(clipboard.clone());
    if crate::setup::requested_here() {
        let top = header(&ctx, None);
        return html! {
            <ContextProvider<AppContext> context={ctx}>
                <a class="skip-link" href="#main">{ "Skip to content" }</a>
                { top }
                if signed_in {
                    <interaction::InteractionPrompt />
                }
                <crate::setup::SetupPage />
            </ContextProvider<AppContext>>
        };
    }
    let top = header(&ctx, Some((*leave_guard).clone()));
    html! {
        <ContextProvider<AppContext> context={ctx}>
        <ContextProvider<crate::wizard::LeaveGuard> context={(*leave_guard).clone()}>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            { top }
            { clipboard::notice_view(&clipboard, clipboard_notice) }
            <crate::components::Tour demo={demo} />
            if signed_in {
                <interaction::InteractionPrompt />
            }
            <Navigation signed_in={signed_in}>
            if signed_in {
                <crate::wizard::WizardPage />
            } else {
                <SignedOutPage />
            }
            </Navigation>
        </ContextProvider<crate::wizard::LeaveGuard>>
        </ContextProvider<AppContext>>
    }
}
