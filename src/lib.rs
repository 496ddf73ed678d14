//! secret-wizard: create an Entra ID client secret and store it in Azure Key Vault, safely.
//!
//! Pure core (no browser types, tested natively): `net`, `wire`, `model`, `domain`, `graph`,
//! `arm`, `keyvault`, `config`, `cloud`, `retry`, `auth::{AuthError, Account}`, `wizard::state`
//! and its steps. Thin shell (browser only): `http`, `auth::Session` and its MSAL bindings,
//! `app`, `components`, and each screen's mounted component in `<feature>/page.rs`.

pub mod arm;
pub mod auth;
pub mod cloud;
pub mod config;
pub mod destinations;
pub mod domain;
pub mod graph;
pub mod handoff;
pub mod keyvault;
pub mod model;
pub mod net;
pub mod overview;
pub mod retry;
pub mod rotation;
pub mod runtime;
pub mod setup;
pub mod vault;
pub mod wire;
pub mod wizard;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod http;
/// WebCrypto for the certificate credential (`wizard::certificate`).
#[cfg(target_arch = "wasm32")]
pub mod webcrypto;

/// Installs the panic hook and mounts the app on `#app` (see `app::start`).
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    app::start();
}

/// The first page load's small module: sign-in, then hand-over to the full app (see
/// `app::start_boot`).
pub fn start_boot() {
    #[cfg(target_arch = "wasm32")]
    app::start_boot();
}
