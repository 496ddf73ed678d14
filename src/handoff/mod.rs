//! Hand-off links: an admin prepares a secret creation (app, lifetime, vault, secret name) and
//! sends a link; a developer opens it, signs in, and lands on the prepared Describe step.
//!
//! Pure core (tested natively): [`link`] (`encode`, `parse` with strict validation),
//! [`error`] (the refusal messages) and [`pending`] (the site's limits, the wizard's
//! `Prepared`), and [`state`] (the admin's form as a reducer on the runtime). Browser glue:
//! `browser` (query, `sessionStorage`) and `page` (the admin's "Hand-off link" page). The link
//! carries no secret and no token.

pub mod error;
pub mod link;
pub mod pending;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub mod browser;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub use page::HandoffPage;

pub use error::HandoffError;
pub use link::{encode, link, parse, Handoff, Lifetime, Limits, PARAMS, VERSION};

#[cfg(test)]
mod tests;
