//! Hand-off links: an admin prepares a secret creation (app, lifetime, vault, secret name) and
//! sends a link; a developer opens it, signs in, and lands on the prepared Describe step.
//!
//! Pure core (tested natively): [`link`] (`encode`, `parse` with strict validation) and
//! [`error`] (the refusal messages). The link carries no secret and no token.

pub mod error;
pub mod link;

pub use error::HandoffError;
pub use link::{encode, link, parse, Handoff, Lifetime, Limits, PARAMS, VERSION};

#[cfg(test)]
mod tests;
