//! The browser shell of every feature: the [`Sender`] (how a request is sent), the one
//! `NetError` → [`Failure`] mapping, and [`use_feature`], the hook that owns a [`Feature`]'s
//! state, dispatches its messages and hands each effect to the component's `run` function with
//! a [`Ctx`] to execute it. Nothing here decides anything.
//!
//! Generic code is kept to the few lines that must know the feature's types; the future of a
//! send, a timer and the bookkeeping of answers go through `dyn` closures and exist once.

use std::cell::{Cell, RefCell};
use std::future::Future;
use std::pin::Pin;
use std::rc::{Rc, Weak};

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;
use zeroize::Zeroizing;

use super::{Answer, Failure, Feature, Now, Outcome, Outgoing};
use crate::auth::claims::TokenClaims;
use crate::auth::{AuthError, Interaction, TokenOptions};
use crate::http::NetError;
use crate::net::HttpRequest;

/// A request on its way.
pub type SendFuture = Pin<Box<dyn Future<Output = Outcome>>>;

/// Reads the Graph permissions the tenant granted (`None` when they can't be read).
pub type PermissionsReader = Rc<dyn Fn() -> Pin<Box<dyn Future<Output = Option<Vec<String>>>>>>;

/// How a feature sends a request: the real executor (`http::send_with` with the session) in
/// the app, canned answers in browser tests. It also hears about the executor's waits before a
/// retry, in seconds, and may read the granted Graph permissions.
#[derive(Clone)]
pub struct Sender {
    send: Rc<dyn Fn(HttpRequest, Callback<u64>) -> SendFuture>,
    permissions: Option<PermissionsReader>,
}

impl Sender {
    pub fn new<F, Fut>(f: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + 'static,
        Fut: Future<Output = Outcome> + 'static,
    {
        Self::from_dyn(Rc::new(move |req, _| Box::pin(f(req))))
    }

    /// Like [`Sender::new`], for senders that report their waits before retries.
    pub fn with_waits<F, Fut>(f: F) -> Self
    where
        F: Fn(HttpRequest, Callback<u64>) -> Fut + 'static,
        Fut: Future<Output = Outcome> + 'static,
    {
        Self::from_dyn(Rc::new(move |req, waits| Box::pin(f(req, waits))))
    }

    fn from_dyn(send: Rc<dyn Fn(HttpRequest, Callback<u64>) -> SendFuture>) -> Self {
        Sender {
            send,
            permissions: None,
        }
    }

    /// Adds the reader of the granted Graph permissions.
    pub fn with_permissions<F, Fut>(mut self, f: F) -> Self
    where
        F: Fn() -> Fut + 'static,
        Fut: Future<Output = Option<Vec<String>>> + 'static,
    {
        self.permissions = Some(Rc::new(move || Box::pin(f())));
        self
    }

    /// Sends `request`; `waits` hears each wait before a retry.
    pub fn send(&self, request: HttpRequest, waits: Callback<u64>) -> SendFuture {
        (self.send)(request, waits)
    }

    /// The reader of the granted Graph permissions, when this sender has one.
    pub fn permissions(&self) -> Option<PermissionsReader> {
        self.permissions.clone()
    }

    /// Sends through the app's executor: retries as `retry` allows (a POST such as
    /// addPassword is never resent after a lost answer; the vault PUT never, see
    /// `vault::executor_policy`), tokens from the session.
    pub fn from_session(session: Rc<crate::auth::Session>) -> Self {
        Self::session_with(session, Interaction::default())
    }

    /// Like [`Sender::from_session`], but a token that needs the person fails instead of
    /// asking: never a window (the Setup check, where a missing grant is a line, not a prompt).
    pub fn quiet(session: Rc<crate::auth::Session>) -> Self {
        Self::session_with(session, Interaction::None)
    }

    fn session_with(session: Rc<crate::auth::Session>, interaction: Interaction) -> Self {
        use crate::http::{send_with, SendOptions};
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
                opts.retry = crate::vault::executor_policy(&req);
                opts.interaction = interaction;
                let on_wait = move |n: crate::http::RetryNotice| waits.emit(n.wait_secs);
                send_with(&session, &req, opts, on_wait)
                    .await
                    .map_err(failure)
            }
        })
        .with_permissions(granted)
    }
}

impl PartialEq for Sender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.send, &other.send)
    }
}

/// The one mapping of the executor's errors to what a feature sees.
pub fn failure(e: NetError) -> Failure {
    match e {
        NetError::Auth(a) => Failure::Auth(a.user_message()),
        // Refused before sending: nothing happened at the service.
        e @ NetError::ForeignDestination { .. } => Failure::Auth(e.user_message()),
        NetError::Network { .. } | NetError::Timeout { .. } => Failure::Network,
    }
}

/// The Graph token's `scp`: what the tenant granted (a `.default` token carries exactly that;
/// ../shared/docs/azure-apis.md §7.1). Quietly: never a window, and nothing on failure.
async fn granted_graph_permissions(session: &crate::auth::Session) -> Option<Vec<String>> {
    let claims = quiet_claims(session, crate::net::Resource::Graph)
        .await
        .ok()??;
    Some(claims.scopes().into_iter().map(str::to_owned).collect())
}

/// The claims of `resource`'s token, asked for without ever opening a window
/// (`Interaction::None`); `Ok(None)` when the token can't be read. The token itself is wiped.
pub async fn quiet_claims(
    session: &crate::auth::Session,
    resource: crate::net::Resource,
) -> Result<Option<TokenClaims>, AuthError> {
    let quiet = TokenOptions {
        force_refresh: false,
        interaction: Interaction::None,
    };
    let token = Zeroizing::new(session.token_with(resource, quiet).await?);
    Ok(crate::auth::claims::read_claims(&token))
}

/// The app's executor with the signed-in session, made once per session.
#[hook]
pub fn use_session_sender() -> Sender {
    let session = crate::app::use_app().session;
    let sender = use_memo(Rc::as_ptr(&session) as usize, move |_| {
        Sender::from_session(session)
    });
    (*sender).clone()
}

/// The current time in the browser's time zone.
pub fn local_now() -> Now {
    let minutes_east = -(js_sys::Date::new_0().get_timezone_offset() as i32);
    let tz = chrono::FixedOffset::east_opt(minutes_east * 60)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).expect("UTC"));
    chrono::Utc::now().with_timezone(&tz)
}

/// What a component's `run` function executes its feature's effects with.
pub struct Ctx<M> {
    dispatch: Callback<M>,
    sender: Option<Sender>,
}

impl<M: 'static> Ctx<M> {
    /// Feeds a message back to the reducer.
    pub fn emit(&self, msg: M) {
        self.dispatch.emit(msg);
    }

    /// The feature's dispatcher (for callbacks that answer later).
    pub fn dispatcher(&self) -> &Callback<M> {
        &self.dispatch
    }

    /// Sends `out`; its answer comes back as `reply(answer)`.
    pub fn send<C: 'static>(&self, out: Outgoing<C>, reply: fn(Answer<C>) -> M) {
        let Outgoing { call, seq, request } = out;
        let d = self.dispatch.clone();
        self.spawn(
            request,
            Callback::noop(),
            Box::new(move |outcome| d.emit(reply(Answer { call, seq, outcome }))),
        );
    }

    /// Like [`Ctx::send`]; each wait before a retry comes back as `waiting(call, seq, secs)`.
    pub fn send_watching_waits<C: Copy + 'static>(
        &self,
        out: Outgoing<C>,
        reply: fn(Answer<C>) -> M,
        waiting: fn(C, u64, u64) -> M,
    ) {
        let Outgoing { call, seq, request } = out;
        let d = self.dispatch.clone();
        let waits = self.dispatch.reform(move |secs| waiting(call, seq, secs));
        self.spawn(
            request,
            waits,
            Box::new(move |outcome| d.emit(reply(Answer { call, seq, outcome }))),
        );
    }

    fn spawn(&self, request: HttpRequest, waits: Callback<u64>, done: Box<dyn FnOnce(Outcome)>) {
        spawn_send(self.sender.as_ref(), request, waits, done);
    }

    /// Sends `msg` after `millis` milliseconds.
    pub fn after(&self, millis: u32, msg: M) {
        let d = self.dispatch.clone();
        after(millis, Box::new(move || d.emit(msg)));
    }

    /// The sender's reader of the granted Graph permissions, if it has one.
    pub fn permissions(&self) -> Option<PermissionsReader> {
        self.sender.as_ref().and_then(Sender::permissions)
    }
}

fn spawn_send(
    sender: Option<&Sender>,
    request: HttpRequest,
    waits: Callback<u64>,
    done: Box<dyn FnOnce(Outcome)>,
) {
    let Some(sender) = sender else {
        // A feature mounted without a sender sends nothing (a programming error).
        debug_assert!(false, "use_feature without a Sender was asked to send");
        return;
    };
    let fut = sender.send(request, waits);
    spawn_local(async move { done(fut.await) });
}

fn after(millis: u32, then: Box<dyn FnOnce()>) {
    gloo::timers::callback::Timeout::new(millis, then).forget();
}

/// A feature's state and its dispatcher. The component re-renders after every message.
pub struct Handle<F: Feature> {
    pub state: Rc<RefCell<F>>,
    pub dispatch: Callback<F::Msg>,
}

impl<F: Feature> Clone for Handle<F> {
    fn clone(&self) -> Self {
        Self {
            state: self.state.clone(),
            dispatch: self.dispatch.clone(),
        }
    }
}

type Run<F> = Rc<dyn Fn(<F as Feature>::Effect, &Ctx<<F as Feature>::Msg>)>;

/// The shell's latest `run` function and sender (props change; the dispatcher stays one).
struct Shell<F: Feature> {
    run: Run<F>,
    sender: Option<Sender>,
}

/// Owns a feature: `init` makes its state on the first render, [`Feature::start`] runs once
/// mounted, and every message goes through [`Feature::update`], after which the component
/// re-renders and `run` executes each effect. `run` and `sender` are the latest render's.
/// After unmount, late answers and timers are dropped.
#[hook]
pub fn use_feature<F, I, R>(init: I, sender: Option<Sender>, run: R) -> Handle<F>
where
    F: Feature,
    I: FnOnce() -> F,
    R: Fn(F::Effect, &Ctx<F::Msg>) + 'static,
{
    let state = use_mut_ref(init);
    let rerender = use_force_update();
    let shell: Rc<RefCell<Option<Shell<F>>>> = use_mut_ref(|| None);
    *shell.borrow_mut() = Some(Shell {
        run: Rc::new(run),
        sender,
    });
    let alive = use_mut_ref(|| Cell::new(true));

    let dispatch = {
        let (state, shell, alive) = (state.clone(), shell.clone(), alive.clone());
        let rerender = rerender.clone();
        use_memo((), move |_| {
            let slot: Rc<RefCell<Option<Callback<F::Msg>>>> = Rc::new(RefCell::new(None));
            let weak: Weak<RefCell<Option<Callback<F::Msg>>>> = Rc::downgrade(&slot);
            let cb = Callback::from(move |msg: F::Msg| {
                if !alive.borrow().get() {
                    return;
                }
                let effects = state.borrow_mut().update(msg, local_now());
                rerender.force_update();
                let Some(me) = weak.upgrade().and_then(|d| d.borrow().clone()) else {
                    return;
                };
                run_all(&shell, me, effects);
            });
            *slot.borrow_mut() = Some(cb.clone());
            (cb, slot)
        })
    };
    let dispatch_cb = dispatch.0.clone();

    {
        let (state, shell, d) = (state.clone(), shell.clone(), dispatch_cb.clone());
        use_effect_with((), move |_| {
            let effects = state.borrow_mut().start(local_now());
            rerender.force_update();
            run_all(&shell, d, effects);
            move || alive.borrow().set(false)
        });
    }

    Handle {
        state,
        dispatch: dispatch_cb,
    }
}

fn run_all<F: Feature>(
    shell: &Rc<RefCell<Option<Shell<F>>>>,
    dispatch: Callback<F::Msg>,
    effects: Vec<F::Effect>,
) {
    if effects.is_empty() {
        return;
    }
    let Some((run, sender)) = shell
        .borrow()
        .as_ref()
        .map(|s| (s.run.clone(), s.sender.clone()))
    else {
        return;
    };
    let ctx = Ctx { dispatch, sender };
    for effect in effects {
        run(effect, &ctx);
    }
}

/// While `armed`, the browser asks before the page is closed, reloaded or left by a typed URL
/// (`beforeunload`): a value would be lost, or a run of requests cut short.
#[hook]
pub fn use_unload_guard(armed: bool) {
    use gloo::events::{EventListener, EventListenerOptions};
    use wasm_bindgen::JsCast;
    use_effect_with(armed, move |armed| {
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
}
