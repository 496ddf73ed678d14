//! Start-up: read `./config.json` (never cached) into a [`Config`].

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
