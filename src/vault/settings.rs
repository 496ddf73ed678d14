//! What the Key Vault step needs from config.json: where ARM is, how secrets reach the vault
//! (`vault.mode`, `vault.gateway`), which vaults may be used and how secrets are named.

use crate::config::{Config, VaultMode, VaultRef, VaultSettings};
use crate::destinations::VaultHosts;
use crate::keyvault;

/// The vault step's configuration. Built once from [`Config`] by the page that mounts the
/// wizard; `None` there means the app runs without a Key Vault step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultConfig {
    /// ARM base URL (`https://management.azure.com`, or the sandbox's `/arm`).
    pub arm_base: String,
    /// Graph base URL (for removing a credential whose value could not be stored).
    pub graph_base: String,
    pub tenant_id: String,
    pub settings: VaultSettings,
    /// Which URIs are this cloud's vaults: a stored secret's URI must be one, naming the vault
    /// and name that were written to.
    pub vault_hosts: VaultHosts,
}

impl VaultConfig {
    pub fn from_config(config: &Config) -> Self {
        Self {
            arm_base: config.arm_base().to_string(),
            graph_base: config.graph_base().to_string(),
            tenant_id: config.tenant_id.clone(),
            settings: config.vault.clone(),
            vault_hosts: VaultHosts::from_config(config),
        }
    }

    pub fn mode(&self) -> VaultMode {
        self.settings.mode
    }

    /// True when `id` names a vault this configuration allows.
    pub fn allows_id(&self, id: &str) -> bool {
        VaultRef::parse(id).is_some_and(|v| self.settings.allows(&v))
    }

    /// The vault to pre-select: a hand-off link's, else the one chosen last in this browser
    /// session, else config's default, each only if allowed.
    pub fn initial_vault(
        &self,
        handoff: Option<&str>,
        remembered: Option<&str>,
    ) -> Option<VaultRef> {
        [handoff, remembered]
            .into_iter()
            .flatten()
            .filter_map(VaultRef::parse)
            .chain(self.settings.default.clone())
            .find(|v| self.settings.allows(v))
    }

    /// The data-plane base URL for vault `vault_name`: its own URI (`None` until known), or
    /// through the configured gateway `{gateway}/{vault_name}`, so the gateway is told which
    /// vault every request is for (deploy/README.md, "The Key Vault gateway"). A name that isn't
    /// a vault name (letters, digits, dashes) gets no gateway base at all.
    pub fn data_plane_base(&self, vault_name: &str, vault_uri: Option<&str>) -> Option<String> {
        match &self.settings.gateway {
            Some(gateway) => {
                let ok = !vault_name.is_empty()
                    && vault_name
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-');
                ok.then(|| keyvault::gateway_base(gateway, vault_name))
            }
            None => vault_uri.map(str::to_string),
        }
    }
}

/// The session-storage key that remembers the last chosen vault ID (and nothing else).
pub const LAST_VAULT_KEY: &str = "secret-wizard.lastVaultId";
