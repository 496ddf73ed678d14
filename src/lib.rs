//! secret-wizard: create an Entra ID client secret and store it in Azure Key Vault, safely.
//!
//! Pure core (no browser types, tested natively): `net`, `domain`, `graph`, `arm`, `keyvault`,
//! `config`, `cloud`, `retry`, `wizard::state`. Thin shell (browser only): `http`, `auth`,
//! `app`, `pages`, `components`.

pub mod arm;
pub mod cloud;
pub mod config;
pub mod domain;
pub mod graph;
pub mod keyvault;
pub mod net;
pub mod retry;
pub mod wizard;

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod auth;
#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod http;

/// Mounts the app on `<body>`.
pub fn start() {
    #[cfg(target_arch = "wasm32")]
    yew::Renderer::<app::App>::new().render();
}
