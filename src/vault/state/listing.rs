//! The vault list's transitions: subscriptions, then each subscription's vaults (the
//! [`Catalog`](crate::vault::Catalog) they fill is plain data in `vault::catalog`).

use crate::arm::{self, ArmPage, Subscription, Vault};
use crate::net::{HttpRequest, HttpResponse};
use crate::runtime::Outcome;

use super::VaultState;
use crate::vault::catalog::{Catalog, VaultOption};
use crate::vault::msg::{VaultCall, VaultEffect};
use crate::vault::problem::{self, VaultProblem};

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
    pub(in crate::vault) fn load(&mut self, again: bool) -> Vec<VaultEffect> {
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

    pub(in crate::vault) fn on_subscriptions(&mut self, outcome: Outcome) -> Vec<VaultEffect> {
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

    pub(in crate::vault) fn on_vaults(&mut self, index: u16, outcome: Outcome) -> Vec<VaultEffect> {
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
    pub(in crate::vault) fn option_for(&self, v: &Vault) -> VaultOption {
        let sub = v.subscription_id().unwrap_or_default();
        VaultOption::from_vault(v, &self.catalog.subscription_name(sub))
    }
}
