//! Signing in with MSAL.js 5 and getting access tokens.
//!
//! Two layers: [`msal_raw`] binds the UMD bundle's `msal.PublicClientApplication` as is, and
//! [`Session`] (in `session.rs`) is what the app uses: `initialize` (awaits `initialize()` and
//! `handleRedirectPromise()` on every load), `account`, `sign_in_popup` (started synchronously
//! in the click handler, redirect when the popup is blocked), `token` (silent, then interactive)
//! and `sign_out`. [`AuthError`] and [`Account`] are plain data and compile natively, so their
//! mapping and wording are tested without a browser.

mod account;
mod error;

#[cfg(target_arch = "wasm32")]
pub mod msal_raw;
#[cfg(target_arch = "wasm32")]
mod session;

pub use account::{Account, AccountInfo, IdTokenClaims};
pub use error::{service_name, AuthError, MSAL_NOT_LOADED};
#[cfg(target_arch = "wasm32")]
pub use session::{Interaction, Session, TokenOptions};
