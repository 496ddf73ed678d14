//! Signing in with MSAL.js 5 and getting access tokens.
//!
//! Two layers: [`msal_raw`] binds the UMD bundle's `msal.PublicClientApplication` as is, and
//! [`Session`] (in `session.rs`) is what the app uses: `start` (MSAL's `initialize()` and
//! `handleRedirectPromise()`, on every load, in the background), `started` (await it),
//! `account`, `sign_in_popup` (started synchronously
//! in the click handler, redirect when the popup is blocked), `token` (silent, then interactive)
//! and `sign_out`. [`resume`] decides, before MSAL has started, whether a load could end up
//! signed in at all. [`AuthError`] and [`Account`] are plain data and compile natively, so their
//! mapping and wording are tested without a browser.

mod account;
pub mod claims;
mod error;
pub mod prompt;
pub mod resume;

#[cfg(target_arch = "wasm32")]
pub mod msal_raw;
#[cfg(target_arch = "wasm32")]
mod session;

pub use account::{Account, AccountInfo, IdTokenClaims};
pub use error::{service_name, AuthError, MSAL_NOT_LOADED};
pub use resume::may_resume;

/// MSAL.js's bundle on this site (Trunk copies it from node_modules; `msal_raw::msal_ready` loads
/// it when sign-in is first needed, after the first screen; xtask's budget counts it in the
/// first load).
pub const MSAL_SCRIPT_URL: &str = "/msal-browser.min.js";

#[cfg(target_arch = "wasm32")]
pub use session::{
    may_resume_here, Interaction, InteractionListener, PendingInteraction, Session, TokenOptions,
};

#[cfg(test)]
mod tests {
    const INDEX_HTML: &str = include_str!("../../index.html");

    #[test]
    fn index_html_ships_msal_but_leaves_loading_it_to_the_app() {
        let file = super::MSAL_SCRIPT_URL.trim_start_matches('/');
        // Trunk copies the bundle to the site's root, where the app looks for it.
        let copy = format!(
            r#"<link data-trunk rel="copy-file" href="node_modules/@azure/msal-browser/lib/{file}">"#
        );
        assert!(INDEX_HTML.contains(&copy), "index.html must have {copy}");
        // A <script> (or a preload) would fetch and run MSAL before the first screen.
        assert!(!INDEX_HTML.contains(&format!(r#"src="{}""#, super::MSAL_SCRIPT_URL)));
        assert!(!INDEX_HTML.contains(&format!(r#"href="{}""#, super::MSAL_SCRIPT_URL)));
    }
}
