//! ARM resources as the app needs them. Unknown fields are ignored.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::null_as_default;

/// One page of an ARM list. Follow `next_link` with [`super::next_page`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ArmPage<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(default)]
    pub next_link: Option<String>,
}

/// A subscription the user can see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    pub subscription_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub display_name: String,
    /// `Enabled`, `Disabled`, `Warned`, `PastDue`, `Deleted`.
    #[serde(default)]
    pub state: Option<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
}

impl Subscription {
    pub fn is_enabled(&self) -> bool {
        self.state.as_deref().is_none_or(|s| s == "Enabled")
    }
}

/// A key vault (`Microsoft.KeyVault/vaults`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Vault {
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub tags: BTreeMap<String, String>,
    pub properties: VaultProperties,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct VaultProperties {
    /// The data-plane base URL, e.g. `https://kv-x.vault.azure.net/`.
    #[serde(default)]
    pub vault_uri: Option<String>,
    #[serde(default)]
    pub tenant_id: Option<String>,
    /// `true`: Azure RBAC decides data access; `false`/absent: access policies.
    #[serde(default)]
    pub enable_rbac_authorization: Option<bool>,
    #[serde(default)]
    pub network_acls: Option<NetworkAcls>,
    /// `Enabled` or `Disabled`.
    #[serde(default)]
    pub public_network_access: Option<String>,
    #[serde(default)]
    pub sku: Option<Sku>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NetworkAcls {
    /// `Allow` or `Deny`.
    #[serde(default)]
    pub default_action: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sku {
    #[serde(default)]
    pub family: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
}

/// The parts of an ARM resource ID.
fn id_segment<'a>(id: &'a str, key: &str) -> Option<&'a str> {
    let mut parts = id.split('/').filter(|p| !p.is_empty());
    while let Some(p) = parts.next() {
        if p.eq_ignore_ascii_case(key) {
            return parts.next();
        }
    }
    None
}

impl Vault {
    pub fn resource_group(&self) -> Option<&str> {
        id_segment(&self.id, "resourceGroups")
    }

    pub fn subscription_id(&self) -> Option<&str> {
        id_segment(&self.id, "subscriptions")
    }

    /// Whether data access is decided by Azure RBAC (rather than access policies).
    pub fn uses_rbac(&self) -> bool {
        self.properties.enable_rbac_authorization == Some(true)
    }

    /// Whether the firewall blocks networks not explicitly allowed (or public access is off).
    pub fn restricts_network(&self) -> bool {
        let p = &self.properties;
        p.public_network_access
            .as_deref()
            .is_some_and(|a| a.eq_ignore_ascii_case("Disabled"))
            || p.network_acls
                .as_ref()
                .and_then(|n| n.default_action.as_deref())
                .is_some_and(|a| a.eq_ignore_ascii_case("Deny"))
    }
}

/// One permission entry from `Microsoft.Authorization/permissions` (one per role assignment).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Permission {
    #[serde(default, deserialize_with = "null_as_default")]
    pub actions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub not_actions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub data_actions: Vec<String>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub not_data_actions: Vec<String>,
}

/// A vault secret as ARM returns it: metadata and URIs, never the value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ArmSecret {
    pub id: String,
    pub name: String,
    pub tags: BTreeMap<String, String>,
    pub content_type: Option<String>,
    /// `https://{vault}.vault.azure.net/secrets/{name}`
    pub secret_uri: Option<String>,
    /// `…/secrets/{name}/{version}`
    pub secret_uri_with_version: Option<String>,
    pub enabled: Option<bool>,
    pub not_before: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
}

impl ArmSecret {
    /// The version: the last path segment of `secret_uri_with_version`.
    pub fn version(&self) -> Option<&str> {
        self.secret_uri_with_version
            .as_deref()
            .and_then(|u| u.trim_end_matches('/').rsplit('/').next())
    }
}
