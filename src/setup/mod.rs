//! The Setup check page: after deploying, an operator sees what is wrong before users do. One
//! line per check, ok or the problem with its fix: config.json, the redirect bridge page's
//! headers, sign-in, each service's granted permissions (from its token's `scp`, required and
//! optional apart), Microsoft Graph listing apps, Azure Resource Manager showing subscriptions and
//! vaults, each vault config.json names. It creates nothing.
//!
//! Pure core (tested natively): [`checks`] (each line's words, from one answer) and [`state`]
//! (the page's reducer on the runtime: which check runs next, stale answers dropped, effects as
//! data). The browser shell (`page`) renders the lines and runs the effects; every request is a
//! read, and nothing opens a window.
//!
//! Reached at `/setup` (linked from the signed-out page and every sign-in failure); the boot
//! module hands `/setup` to the full app at once, signed in or not.

pub mod checks;
#[cfg(target_arch = "wasm32")]
mod page;
pub mod state;

#[cfg(target_arch = "wasm32")]
pub use page::{setup_config_failed, SetupPage};

/// Whether this page load is the Setup check (browser only).
#[cfg(target_arch = "wasm32")]
pub fn requested_here() -> bool {
    web_sys::window()
        .and_then(|w| w.location().pathname().ok())
        .is_some_and(|p| requested(&p))
}

/// The page's path.
pub const PATH: &str = "/setup";

/// Whether this load asked for the Setup check: exactly `/setup` (config.json is read relative to
/// the page, so `/setup/` would look for it in a folder that doesn't exist).
pub fn requested(pathname: &str) -> bool {
    pathname == PATH
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod path_tests {
    #[test]
    fn the_page_is_at_setup() {
        assert!(super::requested("/setup"));
        assert!(!super::requested("/setup/"));
        assert!(!super::requested("/"));
        assert!(!super::requested("/setupx"));
        assert!(!super::requested("/x/setup"));
    }
}
