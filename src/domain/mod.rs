//! Pure rules, no I/O and no browser types.
//!
//! [`secret::SecretValue`] is the single owner of a client secret's value (redacted `Debug`,
//! zeroised on drop, never `Clone`).

pub mod secret;

pub use secret::SecretValue;
