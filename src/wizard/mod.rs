//! The wizard: find an app, review its credentials, create a secret, show it exactly once.
//!
//! Layout: one folder per step, its reducer in `mod.rs` (state with private fields, its own
//! messages, an `update` returning effects as data; natively tested) and its component in
//! `view.rs`:
//! - [`choose`]: Choose app (search, My apps);
//! - [`review`]: Review credentials (the chosen app, owners, policy, who may add a secret);
//! - [`describe`]: Describe (the form, and the addPassword attempt it makes);
//! - [`creating`]: Creating (addPassword's answer lands on Show once, Recovery or the form);
//! - [`show_once`]: Show once (the only state holding the value; Copy; duplicates);
//! - [`recovery`]: Recovery (addPassword's answer was lost: what was created, remove it);
//! - [`done`]: Done (what was created, without its value).
//!
//! [`state`] is the router, [`Wizard`]: it routes messages and answers to the steps, turns
//! their effects into the wizard's, and moves between them ([`step`]: where the wizard is).
//! What no one step owns has its own small reducer beside them, which the router calls:
//! [`user`] (who is signed in; [`roles`] reads their role assignments), [`prepared`] (a run
//! opened from a hand-off link or the overview), [`leaving`] (what leaving would lose, the
//! question asked) and [`vault_step`] (the Key Vault step, `crate::vault`, tied to the steps).
//! Leaves every part may use: [`shared`] (config, calls, effects, leaving), `policy` (the app
//! management policy model), `format`. Only the browser shell imports the router; no step
//! imports it or [`msg`]. The browser shell (`hook` on `crate::runtime`, `view`, and [`page`]:
//! the mounted page) only renders the state and executes effects.

pub mod certificate;
pub mod choose;
pub mod creating;
pub mod describe;
pub mod done;
pub mod federated;
pub mod format;
pub mod leaving;
pub mod msg;
mod policy;
pub mod prepared;
pub mod recovery;
pub mod review;
mod roles;
pub mod shared;
pub mod show_once;
pub mod state;
pub mod step;
pub mod user;
pub mod vault_step;

pub use choose::{ChooseMsg, ChooseState, Listing, Tab, DEBOUNCE_MS};
pub use describe::{attempt_description, Attempt, DescribeMsg, DescribeState, LostAnswer};
pub use done::DoneState;
pub use msg::Msg;
pub use policy::{AppPolicy, PolicyView, Read};
pub use prepared::{Prepared, PreparedRun};
pub use recovery::{RecoveryMsg, RecoveryPhase, RecoveryState};
pub use review::access::{access_note, cap_message, AccessNote, Tone};
pub use review::{ReviewMsg, ReviewState};
pub use shared::{Call, Effect, Fingerprint, Leave, WizardConfig};
pub use show_once::{Duplicates, ShowOnceMsg, ShowOnceState};
pub use state::Wizard;
pub use step::{Step, STEP_LABELS};
pub use user::SignedIn;

pub use crate::domain::access::{Access, Grant, RolesSeen};
/// One definition each, in the feature runtime; named here for the modules that use them
/// through the wizard.
pub use crate::runtime::{Failure, Now, Outcome, Problem};

#[cfg(target_arch = "wasm32")]
pub mod hook;
#[cfg(target_arch = "wasm32")]
pub mod page;
#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(target_arch = "wasm32")]
pub use crate::runtime::{local_now, Sender};
#[cfg(target_arch = "wasm32")]
pub use hook::{use_wizard, Hooks};
#[cfg(target_arch = "wasm32")]
pub use page::{wizard_config, WizardPage};
#[cfg(target_arch = "wasm32")]
pub use view::{LeaveGuard, WizardFlow};

#[cfg(test)]
mod tests;
