//! The thin shell around the reducer: runs [`Effect`]s (fetch, timers, sign-out; the clipboard
//! effects go to the shell's clipboard guard, `app::clipboard`, which outlives the wizard)
//! and feeds their results back as [`Msg`]s. Arms `beforeunload` while leaving would lose a
//! value. Nothing here decides anything.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use zeroize::Zeroizing;

use super::state::{Effect, Msg, Now, Outcome, Wizard, WizardConfig};
use crate::net::HttpRequest;

/// How the wizard sends a request: the real executor (`http::send` with the session) in the
/// app, canned answers in browser tests.
/// It also hears about the executor's waits before a retry, in seconds.
#[derive(Clone)]
pub struct Sender(
    Rc<dyn Fn(HttpRequest, Callback<u64>) -> SendFuture>,
    Option<PermissionsReader>,
);

/// A request on its way.
pub type SendFuture = Pin<Box<dyn Future<Output = Outcome>>>;

/// Reads the Graph permissions the tenant granted (`None` when they can't be read).
pub type PermissionsReader = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Option<Vec<String>>>>>>;

impl Sender {
    pub fn new<F, Fut>(f: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + 'static,
        Fut: Future<Output = Outcome> + 'static,
    {
        Sender(Rc::new(move |req, _| Box::pin(f(req))), None)
    }

    /// Like [`Sender::new`], for senders that report their waits before retries.
    pub fn with_waits<F, Fut>(f: F) -> Self
    where
        F: Fn(HttpRequest, Callback<u64>) -> Fut + 'static,
        Fut: Future<Output = Outcome> + 'static,
    {
        Sender(Rc::new(move |req, waits| Box::pin(f(req, waits))), None)
    }

    /// Adds the reader of the granted Graph permissions (`Effect::ReadGraphPermissions`).
    pub fn with_permissions<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Option<Vec<String>>> + 'static,
    {
        self.1 = Some(Rc::new(move || Box::pin(f())));
        self
    }

    /// Sends through the app's executor: retries as `retry` allows (addPassword is a POST, so
    /// a lost answer is never resent), tokens from the session.
    pub fn from_session(session: Rc<crate::auth::Session>) -> Self {
        use super::state::Failure;
        use crate::http::{send_with, NetError, SendOptions};
        let granted = {
            let session = session.clone();
            move || {
                let session = session.clone();
                async move { granted_graph_permissions(&session).await }
            }
        };
        Sender::with_waits(move |req: HttpRequest, waits: Callback<u64>| {
            let session = session.clone();
            async move {
                let mut opts = SendOptions::for_request(&req);
                // The vault PUT is never resent by the executor (see `vault::executor_policy`).
                opts.retry = crate::vault::executor_policy(&req);
                let on_wait = move |n: crate::http::RetryNotice| waits.emit(n.wait_secs);
                send_with(&session, &req, opts, on_wait)
                    .await
                    .map_err(|e| match e {
                        NetError::Auth(a) => Failure::Auth(a.user_message()),
                        // Refused before sending: nothing happened at the service.
                        e @ NetError::ForeignDestination { .. } => Failure::Auth(e.user_message()),
                        NetError::Network { .. } | NetError::Timeout { .. } => Failure::Network,
                    })
            }
        })
        .with_permissions(granted)
    }
}

/// The Graph token's `scp`: what the tenant granted (a `.default` token carries exactly that;
/// ../shared/docs/azure-apis.md §7.1). Quietly: never a window, and nothing on failure.
async fn granted_graph_permissions(session: &crate::auth::Session) -> Option<Vec<String>> {
    use crate::auth::{Interaction, TokenOptions};
    let quiet = TokenOptions {
        force_refresh: false,
        interaction: Interaction::None,
    };
    let token = Zeroizing::new(
        session
            .token_with(crate::net::Resource::Graph, quiet)
            .await
            .ok()?,
    );
    let claims = crate::auth::claims::read_claims(&token)?;
    Some(claims.scopes().into_iter().map(str::to_owned).collect())
}

impl PartialEq for Sender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// What the shell does for the wizard.
#[derive(Clone, PartialEq)]
pub struct Hooks {
    pub sender: Sender,
    /// Sign out (called inside the click that confirmed it, so MSAL's popup may open).
    pub on_sign_out: Callback<()>,
    /// Go to another page of the app.
    pub on_navigate: Callback<String>,
}

/// The current time in the browser's time zone.
pub fn local_now() -> Now {
    let minutes_east = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let tz = chrono::FixedOffset::east_opt(minutes_east * 60)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC"));
    chrono::Utc::now().with_timezone(&tz)
}

/// The wizard's state and its dispatcher. Re-renders the component after every message.
#[derive(Clone)]
pub struct WizardHandle {
    pub state: Rc<RefCell<Wizard>>,
    pub dispatch: Callback<Msg>,
}

fn random_salt() -> u64 {
    let hi = (js_sys::Math::random() * u32::MAX as f64) as u64;
    let lo = (js_sys::Math::random() * u32::MAX as f64) as u64;
    (hi << 32) | lo
}

/// The vault ID chosen last in this browser session (the only thing kept in sessionStorage).
fn remembered_vault() -> Option<String> {
    use gloo::storage::{SessionStorage, Storage};
    SessionStorage::raw()
        .get_item(crate::vault::LAST_VAULT_KEY)
        .ok()
        .flatten()
}

/// `vault`: the Key Vault step's settings, or `None` to run without it.
#[hook]
pub fn use_wizard(
    config: WizardConfig,
    hooks: Hooks,
    vault: Option<crate::vault::VaultConfig>,
) -> WizardHandle {
    let state = use_mut_ref(move || {
        let mut w = Wizard::new(config, random_salt());
        let remembered = vault.as_ref().and_then(|_| remembered_vault());
        w.vault = crate::vault::VaultState::new(vault, remembered);
        w
    });
    let rerender = use_force_update();
    // The dispatcher reads the latest hooks through a cell, so it can stay one Callback.
    let hooks_cell = use_mut_ref(|| hooks.clone());
    *hooks_cell.borrow_mut() = hooks;
    // The shell's clipboard guard, when there is one (the app has; browser tests may not).
    let clipboard = use_context::<crate::app::AppContext>().and_then(|a| a.clipboard);
    let clipboard_cell = use_mut_ref(|| clipboard.clone());
    *clipboard_cell.borrow_mut() = clipboard;

    let dispatch = {
        let state = state.clone();
        let hooks_cell = hooks_cell.clone();
        let clipboard_cell = clipboard_cell.clone();
        use_memo((), move |_| {
            let dispatch: Rc<RefCell<Option<Callback<Msg>>>> = Rc::new(RefCell::new(None));
            let weak = Rc::downgrade(&dispatch);
            let cb = Callback::from(move |msg: Msg| {
                let effects = state.borrow_mut().update(msg, local_now());
                rerender.force_update();
                let Some(me) = weak.upgrade().and_then(|d| d.borrow().clone()) else {
                    return;
                };
                let hooks = hooks_cell.borrow().clone();
                let clipboard = clipboard_cell.borrow().clone();
                for effect in effects {
                    run(effect, &me, &hooks, clipboard.as_ref());
                }
            });
            *dispatch.borrow_mut() = Some(cb.clone());
            (cb, dispatch)
        })
    };
    let dispatch_cb = dispatch.0.clone();

    // Start once: who is signed in, roles, the first page of apps.
    {
        let d = dispatch_cb.clone();
        use_effect_with((), move |_| d.emit(Msg::Start));
    }

    // beforeunload while leaving would lose the value (reload, close tab, typed URL).
    let guard = state.borrow().needs_leave_guard();
    use_effect_with(guard, move |armed| {
        let listener = armed.then(|| {
            let window = gloo::utils::window();
            EventListener::new_with_options(
                &window,
                "beforeunload",
                EventListenerOptions::enable_prevent_default(),
                |event| {
                    event.prevent_default();
                    if let Some(e) = event.dyn_ref::<web_sys::BeforeUnloadEvent>() {
                        // Browsers show their own words; any non-empty value arms the dialog.
                        e.set_return_value("unsaved");
                    }
                },
            )
        });
        move || drop(listener)
    });

    WizardHandle {
        state: state.clone(),
        dispatch: dispatch_cb,
    }
}

/// Executes one effect; results come back through `dispatch`.
fn run(
    effect: Effect,
    dispatch: &Callback<Msg>,
    hooks: &Hooks,
    clipboard: Option<&crate::app::Clipboard>,
) {
    match effect {
        Effect::Send { call, seq, request } => {
            let send = hooks.sender.0.clone();
            let dispatch = dispatch.clone();
            let waits = dispatch.reform(move |secs| Msg::Retrying { call, seq, secs });
            spawn_local(async move {
                let outcome = send(request, waits).await;
                dispatch.emit(Msg::Response { call, seq, outcome });
            });
        }
        Effect::Debounce { token, millis } => {
            let dispatch = dispatch.clone();
            gloo::timers::callback::Timeout::new(millis, move || {
                dispatch.emit(Msg::SearchDue(token))
            })
            .forget();
        }
        // The clipboard guard lives above the pages (`app::clipboard`): it outlives the wizard.
        Effect::ClipboardHolds(fingerprint) => {
            if let Some(c) = clipboard {
                c.copied(fingerprint);
            }
        }
        Effect::ClearClipboard => {
            if let Some(c) = clipboard {
                c.finished();
            }
        }
        Effect::VaultTimer { token, millis } => {
            let dispatch = dispatch.clone();
            let millis = u32::try_from(millis).unwrap_or(u32::MAX);
            gloo::timers::callback::Timeout::new(millis, move || {
                dispatch.emit(Msg::Vault(crate::vault::VaultMsg::TimerDue(token)))
            })
            .forget();
        }
        Effect::RememberVault(id) => {
            use gloo::storage::{SessionStorage, Storage};
            // Best effort: a browser refusing storage only loses the pre-selection.
            let _ = SessionStorage::raw().set_item(crate::vault::LAST_VAULT_KEY, &id);
        }
        Effect::ReadGraphPermissions => {
            if let Some(read) = hooks.sender.1.clone() {
                let dispatch = dispatch.clone();
                spawn_local(async move {
                    if let Some(granted) = read().await {
                        dispatch.emit(Msg::GraphPermissions(granted));
                    }
                });
            }
        }
        Effect::SignOut => hooks.on_sign_out.emit(()),
        Effect::Navigate(route) => hooks.on_navigate.emit(route),
    }
}
