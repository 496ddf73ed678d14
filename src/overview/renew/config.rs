//! What the "Renew many at once" panel needs from config.json and the session.

use crate::config::VaultRef;

/// What the panel needs from config.json and the session.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenewConfig {
    pub graph_base: String,
    pub arm_base: String,
    /// `vault.allowed` (only those are scanned when set).
    pub allowed: Vec<VaultRef>,
    pub upn: String,
    /// The lifetimes offered (days, shortest first) and the one preselected.
    pub lifetimes: Vec<u32>,
    pub default_lifetime: u32,
    /// `vault.mode` is the data plane: writes through ARM are not what the site allows.
    pub data_plane_only: bool,
}

impl RenewConfig {
    /// From config.json, for the signed-in user `upn`: the lifetime presets the site allows
    /// (and its default lifetime, preselected).
    pub fn from_config(config: &crate::config::Config, upn: &str) -> Self {
        use crate::domain::lifetime::LifetimePreset;
        let policy = config.policy;
        let mut lifetimes: Vec<u32> = LifetimePreset::within(policy.max_lifetime_days)
            .into_iter()
            .map(LifetimePreset::days)
            .collect();
        let default_lifetime = policy
            .default_lifetime_days
            .min(policy.max_lifetime_days)
            .max(1);
        if !lifetimes.contains(&default_lifetime) {
            lifetimes.push(default_lifetime);
            lifetimes.sort_unstable();
        }
        Self {
            graph_base: config.graph_base().to_string(),
            arm_base: config.arm_base().to_string(),
            allowed: config.vault.allowed.clone(),
            upn: upn.to_string(),
            lifetimes,
            default_lifetime,
            data_plane_only: config.vault.mode == crate::config::VaultMode::DataPlane,
        }
    }
}
