//! The vault list: subscriptions, then each subscription's vaults, through ARM; searchable,
//! and restricted to config.json's `vault.allowed` when that is set.

use std::collections::BTreeSet;

use crate::arm::{self, ArmPage, Subscription, Vault};
use crate::config::VaultRef;
use crate::net::{HttpRequest, HttpResponse};

use super::problem::{self, VaultProblem};
use super::settings::VaultConfig;
use super::state::{VaultCall, VaultEffect, VaultState};
use crate::wizard::Outcome;

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

    fn subscription_name(&self, id: &str) -> String {
        self.subscriptions
            .iter()
            .find(|s| s.subscription_id.eq_ignore_ascii_case(id))
            .map_or_else(|| id.to_string(), |s| s.display_name.clone())
    }
}

/// ARM's answer as a page, or the problem to show.
fn page<T>(
    outcome: Outcome,
    parse: fn(&HttpResponse) -> Result<ArmPage<T>, arm::ArmError>,
    what: &str,
) -> Result<ArmPage<T>, VaultProblem> {
    let res = outcome.map_err(|f| problem::from_failure(&f, "Azure Resource Manager"))?;
    parse(&res).map_err(|e| problem::from_arm(&e, what, ""))
}

impl VaultState {
    /// Lists subscriptions (once, unless `again`).
    pub(super) fn load(&mut self, again: bool) -> Vec<VaultEffect> {
        let Some(config) = &self.config else {
            return Vec::new();
        };
        if self.catalog.started && !again {
            return Vec::new();
        }
        let query = std::mem::take(&mut self.catalog.query);
        self.catalog = Catalog {
            started: true,
            subscriptions_loading: true,
            query,
            ..Catalog::default()
        };
        let request = arm::list_subscriptions(&config.arm_base);
        vec![VaultEffect::send(VaultCall::Subscriptions, request)]
    }

    pub(super) fn on_subscriptions(&mut self, outcome: Outcome) -> Vec<VaultEffect> {
        let Some(config) = self.config.clone() else {
            return Vec::new();
        };
        match page(outcome, arm::parse_subscriptions, "your subscriptions") {
            Err(p) => {
                self.catalog.subscriptions_loading = false;
                self.catalog.problem = Some(p);
                Vec::new()
            }
            Ok(page) => {
                self.catalog
                    .subscriptions
                    .extend(page.value.into_iter().filter(Subscription::is_enabled));
                if let Some(next) = page.next_link {
                    let first = arm::list_subscriptions(&config.arm_base);
                    return vec![VaultEffect::send(
                        VaultCall::Subscriptions,
                        arm::next_page(&next, &first),
                    )];
                }
                self.catalog.subscriptions_loading = false;
                let allowed = &config.settings.allowed;
                let wanted: Vec<(u16, HttpRequest)> = self
                    .catalog
                    .subscriptions
                    .iter()
                    .enumerate()
                    .filter(|(_, s)| {
                        allowed.is_empty()
                            || allowed
                                .iter()
                                .any(|a| a.subscription_id.eq_ignore_ascii_case(&s.subscription_id))
                    })
                    .filter_map(|(i, s)| {
                        let i = u16::try_from(i).ok()?;
                        Some((i, arm::list_vaults(&config.arm_base, &s.subscription_id)))
                    })
                    .collect();
                wanted
                    .into_iter()
                    .map(|(i, request)| {
                        self.catalog.pending.insert(i);
                        VaultEffect::send(VaultCall::Vaults(i), request)
                    })
                    .collect()
            }
        }
    }

    pub(super) fn on_vaults(&mut self, index: u16, outcome: Outcome) -> Vec<VaultEffect> {
        let Some(sub) = self.catalog.subscriptions.get(usize::from(index)).cloned() else {
            return Vec::new();
        };
        match page(outcome, arm::parse_vaults, &sub.display_name) {
            Err(p) => {
                self.catalog.pending.remove(&index);
                self.catalog.partial.push((sub.display_name, p));
                Vec::new()
            }
            Ok(page) => {
                for v in &page.value {
                    if self.catalog.find(&v.id).is_none() {
                        let name = self.catalog.subscription_name(&sub.subscription_id);
                        self.catalog.vaults.push(VaultOption::from_vault(v, &name));
                    }
                }
                let mut effects = self.refresh_selected_info();
                match (page.next_link, &self.config) {
                    (Some(next), Some(config)) => {
                        let first = arm::list_vaults(&config.arm_base, &sub.subscription_id);
                        effects.push(VaultEffect::send(
                            VaultCall::Vaults(index),
                            arm::next_page(&next, &first),
                        ));
                    }
                    _ => {
                        self.catalog.pending.remove(&index);
                    }
                }
                effects
            }
        }
    }

    /// A vault fetched on its own (selected before the list arrived, or not listed).
    pub(super) fn option_for(&self, v: &Vault) -> VaultOption {
        let sub = v.subscription_id().unwrap_or_default();
        VaultOption::from_vault(v, &self.catalog.subscription_name(sub))
    }
}

/// `GET {vault}` through ARM: the vault's properties (data-plane URI, permission model).
pub fn get_vault(arm_base: &str, vault: &VaultRef) -> HttpRequest {
    HttpRequest::new(
        crate::net::Method::Get,
        format!(
            "{}/{}?api-version={}",
            arm_base.trim_end_matches('/'),
            vault.id.trim_matches('/'),
            arm::KEYVAULT_API
        ),
        crate::net::Resource::Arm,
    )
}

/// Reads a `GET {vault}` answer.
pub fn parse_vault(res: &HttpResponse) -> Result<Vault, arm::ArmError> {
    if !res.is_success() {
        return Err(arm::ArmError::from_response(res));
    }
    serde_json::from_str(&res.body).map_err(|e| arm::ArmError::Malformed {
        status: res.status,
        detail: crate::graph::describe_serde(&e),
    })
}
