//! The vault list: subscriptions, then each subscription's vaults, through ARM; searchable,
//! and restricted to config.json's `vault.allowed` when that is set.

use std::collections::BTreeSet;

use crate::arm::{Subscription, Vault};

use super::problem::VaultProblem;
use super::settings::VaultConfig;

/// One vault as the picker shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultOption {
    pub id: String,
    pub name: String,
    pub resource_group: String,
    pub subscription_id: String,
    pub subscription_name: String,
    pub location: String,
    /// Azure RBAC decides data access (else access policies).
    pub rbac: bool,
    /// The firewall denies networks not explicitly allowed (or public access is off).
    pub network_restricted: bool,
    /// The data-plane URL (`properties.vaultUri`).
    pub vault_uri: Option<String>,
}

impl VaultOption {
    pub fn from_vault(v: &Vault, subscription_name: &str) -> Self {
        Self {
            id: v.id.clone(),
            name: v.name.clone(),
            resource_group: v.resource_group().unwrap_or_default().to_string(),
            subscription_id: v.subscription_id().unwrap_or_default().to_string(),
            subscription_name: subscription_name.to_string(),
            location: v.location.clone().unwrap_or_default(),
            rbac: v.uses_rbac(),
            network_restricted: v.restricts_network(),
            vault_uri: v.properties.vault_uri.clone(),
        }
    }

    pub fn permission_model(&self) -> &'static str {
        if self.rbac {
            "Azure RBAC"
        } else {
            "Access policies"
        }
    }

    pub fn network(&self) -> &'static str {
        if self.network_restricted {
            "Firewall: selected networks only"
        } else {
            "All networks"
        }
    }

    /// Case-insensitive match on name, resource group, location or subscription.
    pub fn matches(&self, query: &str) -> bool {
        let q = crate::net::lowercase(query.trim());
        q.is_empty()
            || [
                &self.name,
                &self.resource_group,
                &self.location,
                &self.subscription_name,
            ]
            .iter()
            .any(|f| crate::net::lowercase(f).contains(&q))
    }
}

/// The picker's list and its loading state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Catalog {
    /// Loading was started (it runs once per wizard; Reload starts it again).
    pub started: bool,
    pub subscriptions: Vec<Subscription>,
    pub subscriptions_loading: bool,
    /// Subscriptions (by index) whose vault lists are still coming.
    pub pending: BTreeSet<u16>,
    pub vaults: Vec<VaultOption>,
    /// Listing subscriptions failed.
    pub problem: Option<VaultProblem>,
    /// Subscriptions whose vaults could not be listed, with why.
    pub partial: Vec<(String, VaultProblem)>,
    pub query: String,
}

impl Catalog {
    pub fn loading(&self) -> bool {
        self.subscriptions_loading || !self.pending.is_empty()
    }

    /// The vaults to offer: allowed by config and matching the search, by name.
    pub fn visible(&self, config: &VaultConfig) -> Vec<&VaultOption> {
        let mut out: Vec<&VaultOption> = self
            .vaults
            .iter()
            .filter(|v| config.allows_id(&v.id) && v.matches(&self.query))
            .collect();
        out.sort_by_cached_key(|a| crate::net::lowercase(&a.name));
        out
    }

    pub fn find(&self, id: &str) -> Option<&VaultOption> {
        self.vaults.iter().find(|v| v.id.eq_ignore_ascii_case(id))
    }

    pub(super) fn subscription_name(&self, id: &str) -> String {
        self.subscriptions
            .iter()
            .find(|s| s.subscription_id.eq_ignore_ascii_case(id))
            .map_or_else(|| id.to_string(), |s| s.display_name.clone())
    }
}
