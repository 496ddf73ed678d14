//! The wizard: find an app, review its credentials, create a secret, show it exactly once.
//!
//! [`state`] is the whole behaviour as one pure reducer (natively tested, effects as data);
//! the step modules split its transitions by responsibility. The browser shell (`hook`,
//! `view` and the step components) only renders the state and executes effects.

mod app;
mod create;
mod duplicates;
mod effects;
pub mod format;
mod msg;
mod policy;
mod prepared;
mod problem;
mod recovery;
mod roles;
mod search;
pub mod state;
mod vault_step;

pub use app::{access_note, cap_message, Access, AccessNote, AppContext, Grant, RolesSeen, Tone};
pub use create::{attempt_description, Attempt, DescribeState, ShowOnceState};
pub use duplicates::Duplicates;
pub use policy::{AppPolicy, PolicyView, Read};
pub use prepared::Prepared;
pub use problem::Problem;
pub use recovery::{LostAnswer, RecoveryPhase, RecoveryState};
pub use search::{Listing, SearchState, Tab, DEBOUNCE_MS};
pub use state::{
    Call, DoneState, Effect, Failure, Fingerprint, Leave, Msg, Now, Outcome, Step, Wizard,
    WizardConfig, STEP_LABELS,
};

#[cfg(target_arch = "wasm32")]
pub mod hook;
#[cfg(target_arch = "wasm32")]
pub mod steps;
#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(target_arch = "wasm32")]
pub use hook::{local_now, use_wizard, Hooks, Sender, WizardHandle};
#[cfg(target_arch = "wasm32")]
pub use view::{LeaveGuard, WizardFlow};

#[cfg(test)]
mod tests;
