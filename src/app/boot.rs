//! Start-up: read `./config.json` (never cached) into a [`Config`]; could this load be signed in?

use crate::config::{Config, ConfigError};
use crate::http::{get_anonymous, NetError};

/// Where the site's configuration lives, next to index.html.
pub const CONFIG_URL: &str = "./config.json";

/// Fetches and parses config.json; every failure names the file.
pub async fn load_config() -> Result<Config, ConfigError> {
    let res = get_anonymous(CONFIG_URL, 15_000)
        .await
        .map_err(|e| match e {
            NetError::Network { .. }
            | NetError::Timeout { .. }
            | NetError::Auth(_)
            | NetError::ForeignDestination { .. } => ConfigError::Unreachable,
        })?;
    if !res.is_success() {
        return Err(ConfigError::NotFound { status: res.status });
    }
    Config::parse(&res.body)
}

/// Could this load end up signed in ([`crate::auth::resume`]), from this tab's `sessionStorage`
/// and URL. When in doubt (no storage), yes: then the page waits for MSAL as it always could.
pub fn may_resume_here() -> bool {
    let Some(window) = web_sys::window() else {
        return true;
    };
    let Some(storage) = window.session_storage().ok().flatten() else {
        return true;
    };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect();
    let location = window.location();
    crate::auth::may_resume(
        keys.iter().map(String::as_str),
        &location.search().unwrap_or_default(),
        &location.hash().unwrap_or_default(),
    )
}
