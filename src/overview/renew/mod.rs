//! Renew many at once, zero-reveal (the Expiry overview's "Renew many at once" panel).
//!
//! Pure core (no browser types, tested natively): [`select`] finds, from the overview's rows
//! and the vault scan the Rotate page uses (`rotation::scan`), the client secrets whose copy is
//! a vault secret's latest version, and the secrets a renewal replaced; [`item`] is one renewal
//! (read the vault and the app, remove an orphan, addPassword, the vault PUT, checks after
//! lost answers); [`run`] runs many (at most four at once, pause, resume, cancel, waits after
//! busy answers, Graph's write quota); [`replaced`] removes the replaced secrets after a
//! confirmation; [`report`] is the CSV; [`state`] is the panel's reducer on the runtime.
//! The browser shell is `view`.
//!
//! Nothing is kept outside the tenant: the new secret's description (`Renews {old keyId} …`)
//! and the vault version's `ReplacesCredentialId` tag (`domain::renewal`) say what was done,
//! so after a reload the same selection resumes where the run stopped.

pub mod config;
pub mod item;
pub mod replaced;
pub mod report;
pub mod run;
pub mod select;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod view;

pub use config::RenewConfig;
pub use state::{Call, Effect, Msg, Phase, Renewal, WINDOWS};

#[cfg(test)]
mod tests;
