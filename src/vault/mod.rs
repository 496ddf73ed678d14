//! The Key Vault step: choose a vault, check before the secret exists, store it
//! through ARM (or a data-plane gateway), show the references, and explain every failure.
//!
//! Pure core, natively tested: [`VaultState`] takes [`VaultMsg`]s and returns
//! [`VaultEffect`]s as data; the wizard forwards both (answers are `crate::runtime::Outcome`s).
//! [`catalog`] holds the vault list, [`preflight`] decides whether storing will work before
//! anything is created, [`push`] holds the rules of sending the secret (at most one version per
//! click), [`problem`] is the one place that turns ARM, Key Vault and network failures into
//! words with the fix, and [`stored`] builds the references shown on Done. The transitions that
//! change the state live with it (`state/`: `listing`, `checking`, `storing`), so the rule
//! modules never import the state: no module here imports another that imports it back.
//!
//! The value's path: `ShowOnceState::secret` → [`StoreContext::secret`] (a borrow for one
//! update) → `arm::put_secret` / `keyvault::set_secret` (zeroising body) → the executor. The
//! vault state itself never holds it.

pub mod catalog;
mod msg;
pub mod preflight;
pub mod problem;
pub mod push;
pub mod settings;
mod state;
pub mod stored;
mod write;

pub use catalog::{Catalog, VaultOption};
pub use preflight::{Ask, Check, NameStatus, Permissions, ReplaceConsent, Verdict};
pub use problem::{Remedy, VaultProblem};
pub use push::{executor_policy, Push, PushTarget, StoreContext, CONTENT_TYPE, MAX_SENDS};
pub use settings::{VaultConfig, LAST_VAULT_KEY};
pub use state::{
    ForApp, LinkVault, NameField, Origin, PreparedVault, Selected, VaultCall, VaultEffect,
    VaultMsg, VaultState, NAME_DEBOUNCE_MS,
};
pub use stored::{env_lines, StoredRef, WritePath};

#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(test)]
mod tests;
