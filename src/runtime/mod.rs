//! The one way a feature runs: a pure reducer (messages in, effects out as data) and one thin
//! browser hook that dispatches its messages, runs its effects and turns the executor's errors
//! into [`Failure`]s. Every screen uses it: the wizard (and the vault step it routes), the
//! rotation guide, the expiry overview, the hand-off page and the Setup check.
//!
//! Pure parts (no browser types, tested natively):
//! - [`Outcome`] / [`Failure`]: what a request came back with (an HTTP answer, or none) and
//!   [`Problem`], the error panel's words for it;
//! - [`Requests`]: the request tracker. [`Requests::send`] numbers a request ([`Outgoing`]);
//!   [`Requests::accept`] takes its [`Answer`] only while it is the latest of its kind, so a
//!   stale answer is dropped;
//! - [`Tokens`]: numbers for timers (a debounce or a retry waits for its own token only);
//! - [`Feature`]: the reducer a screen implements.
//!
//! Browser shell (`wasm32` only, `runtime::hook`): [`Sender`] (the app's executor, or canned
//! answers in browser tests; `Sender::quiet` never opens a window), [`failure`] (the one
//! `NetError` → [`Failure`] mapping), [`quiet_claims`] (a token's claims, never a window),
//! [`local_now`], and [`use_feature`], which gives a component its reducer's state and
//! dispatcher; the component's own `run` function executes its effects through a [`Ctx`]
//! (`send`, `send_watching_waits`, `after`, `emit`). Nothing in the shell decides anything.
//!
//! Size: the hook's generic part is a few lines per feature; sending, timers and the
//! dispatcher's bookkeeping go through `dyn` closures, so they exist once in the wasm.

mod failure;
mod requests;

pub use failure::{acted_unknown, Failure, Outcome, Problem};
pub use requests::{Answer, Outgoing, Requests, Tokens};

/// The current time in the user's time zone (calendar days and "10:42" are counted in it).
pub type Now = chrono::DateTime<chrono::FixedOffset>;

/// A screen's behaviour as one pure reducer: no browser types, no I/O. [`use_feature`] owns it
/// in the browser; native tests drive it directly with canned answers.
pub trait Feature: 'static {
    /// User actions and service answers.
    type Msg: 'static;
    /// Work for the browser shell, as data.
    type Effect: 'static;
    /// Applies one message at `now`; returns the work to do.
    fn update(&mut self, msg: Self::Msg, now: Now) -> Vec<Self::Effect>;
    /// Called once when the screen mounts (first requests, for example).
    fn start(&mut self, _now: Now) -> Vec<Self::Effect> {
        Vec::new()
    }
}

#[cfg(target_arch = "wasm32")]
mod hook;
#[cfg(target_arch = "wasm32")]
pub use hook::{
    failure, local_now, quiet_claims, use_feature, use_session_sender, use_unload_guard, Ctx,
    Handle, PermissionsReader, SendFuture, Sender,
};

#[cfg(test)]
mod tests;
