//! The Yew application: start-up (config.json, then MSAL), the context every page reads, and
//! the first screen (signed out: what the tool does and Sign in; signed in: the app list).
//!
//! No router: MSAL's redirect flow and hash routing don't mix, and the wizard (next) is a
//! state machine inside one page rather than a set of URLs.

mod apps;
mod boot;
mod boot_shell;
mod config_error;
mod context;
mod header;
mod nav;
mod panic;
mod signed_out;

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

pub use apps::{AppTable, AppsPage, LoadError};
pub use boot::{load_config, CONFIG_URL};
pub use boot_shell::start_boot;
pub use config_error::ConfigErrorPage;
pub use context::{use_app, AppContext};
pub use header::Header;
pub use nav::{Nav, Navigation, Page};
pub use panic::{show_error_page, show_fatal_page};
pub use signed_out::SignedOutPage;

use crate::auth::{AuthError, Session};
use crate::components::{ErrorPanel, Loading};
use crate::config::{Config, ConfigError};

/// Where the app mounts (index.html); the body if it is missing.
pub const ROOT_ID: &str = "app";

/// Installs the panic hook and renders the app into `#app`, replacing its loading text.
pub fn start() {
    panic::install();
    match cleared_root() {
        Some(root) => yew::Renderer::<App>::with_root(root).render(),
        None => yew::Renderer::<App>::new().render(),
    };
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
    Loading(&'static str),
    ConfigFailed(ConfigError),
    AuthFailed(AuthError),
    Ready(Rc<Config>, Rc<Session>),
}

/// config.json, then MSAL. A load that cannot end up signed in (a fresh tab: no MSAL cache, no
/// sign-in response in the URL; see [`boot::may_resume_here`]) shows the signed-out page while
/// MSAL starts, and its Sign in button waits for MSAL if clicked sooner; any other load waits
/// for MSAL first, so a signed-in visitor never sees the signed-out page flash by.
async fn boot(set: impl Fn(Boot)) {
    let config = match load_config().await {
        Ok(c) => Rc::new(c),
        Err(e) => return set(Boot::ConfigFailed(e)),
    };
    let session = Rc::new(Session::start(&config));
    let early = !boot::may_resume_here();
    if early {
        set(Boot::Ready(config.clone(), session.clone()));
    } else {
        set(Boot::Loading("Preparing sign-in…"));
    }
    match session.started().await {
        // Already drawn; `use_app_context` notices if MSAL found an account after all.
        Ok(()) if early => {}
        Ok(()) => set(Boot::Ready(config, session)),
        Err(e) => set(Boot::AuthFailed(e)),
    }
}

/// Runs [`boot`] once, on mount; the state it has reached.
#[hook]
fn use_boot() -> UseStateHandle<Boot> {
    let state = use_state(|| Boot::Loading("Loading settings…"));
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            spawn_local(boot(move |b| state.set(b)));
        });
    }
    state
}

/// The root: boots, then hands over to [`Shell`].
#[function_component(App)]
pub fn app() -> Html {
    boot_view(&use_boot(), |props| html! { <Shell ..props /> })
}

/// Start-up, its failure, or (once MSAL is ready) `ready` with the shell's props; the full app
/// and the boot module alike.
fn boot_view(state: &Boot, ready: impl FnOnce(ShellProps) -> Html) -> Html {
    match state {
        Boot::Loading(text) => html! {
            <main class="page page-narrow" id="main" aria-busy="true">
                <Loading text={*text} />
            </main>
        },
        Boot::ConfigFailed(error) => html! { <ConfigErrorPage error={error.clone()} /> },
        Boot::AuthFailed(error) => html! {
            <main class="page page-narrow" id="main">
                <ErrorPanel
                    title="Sign-in isn't available"
                    message={error.user_message()}
                    details={Some(AttrValue::from(error.details()))}
                />
            </main>
        },
        Boot::Ready(config, session) => ready(ShellProps {
            config: config.clone(),
            session: session.clone(),
        }),
    }
}

/// The demo (the sandbox's made-up ".localhost" sign-in host) gets a first-run tour.
fn is_demo(config: &Config) -> bool {
    config.cloud.authority_host_name().ends_with(".localhost")
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
        // Drawn while MSAL was still starting (see `boot`): once it has, take any account it
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
    }
}

/// Provides [`AppContext`] and shows the header and the page for the sign-in state.
#[function_component(Shell)]
pub fn shell(props: &ShellProps) -> Html {
    let ctx = use_app_context(props);
    let signed_in = ctx.account.is_some();
    let demo = is_demo(&ctx.config);
    // Lets the header's Sign out ask first while the wizard shows an uncopied secret.
    let leave_guard = use_memo((), |_| crate::wizard::LeaveGuard::default());
    html! {
        <ContextProvider<AppContext> context={ctx}>
        <ContextProvider<crate::wizard::LeaveGuard> context={(*leave_guard).clone()}>
            <a class="skip-link" href="#main">{ "Skip to content" }</a>
            <Header />
            <crate::components::Tour demo={demo} />
            <Navigation signed_in={signed_in}>
            if signed_in {
                <crate::pages::WizardPage />
            } else {
                <SignedOutPage />
            }
            </Navigation>
        </ContextProvider<crate::wizard::LeaveGuard>>
        </ContextProvider<AppContext>>
    }
}
