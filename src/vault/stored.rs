//! Where the secret was stored, and the ready-to-paste references to it: never the value.

use chrono::{DateTime, Utc};

use crate::arm::ArmSecret;
use crate::keyvault::StoredSecret;

/// Which API wrote the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePath {
    /// Azure Resource Manager `Microsoft.KeyVault/vaults/secrets` PUT.
    Arm,
    /// The Key Vault data plane (through the configured gateway or the vault URI).
    DataPlane,
}

impl WritePath {
    /// How the UI names the path.
    pub fn label(self) -> &'static str {
        match self {
            WritePath::Arm => "Azure Resource Manager",
            WritePath::DataPlane => "the Key Vault data plane",
        }
    }
}

/// A stored secret version, as the Done step shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRef {
    pub vault_name: String,
    pub secret_name: String,
    /// `https://{vault}.vault.azure.net/secrets/{name}/{version}`
    pub uri_with_version: String,
    pub path: WritePath,
    pub expires: Option<DateTime<Utc>>,
}

impl StoredRef {
    /// From the ARM PUT (or GET) answer; `None` when it names no version.
    pub fn from_arm(vault_name: &str, secret: &ArmSecret) -> Option<Self> {
        Some(Self {
            vault_name: vault_name.to_string(),
            secret_name: secret.name.clone(),
            uri_with_version: secret.secret_uri_with_version.clone()?,
            path: WritePath::Arm,
            expires: secret.expires,
        })
    }

    /// From the data plane's set-secret answer.
    pub fn from_data_plane(vault_name: &str, secret_name: &str, s: &StoredSecret) -> Option<Self> {
        s.version()?;
        Some(Self {
            vault_name: vault_name.to_string(),
            secret_name: secret_name.to_string(),
            uri_with_version: s.id.clone(),
            path: WritePath::DataPlane,
            expires: s.expires,
        })
    }

    /// The version: the last path segment of the URI.
    pub fn version(&self) -> &str {
        self.uri_with_version
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }

    /// The App Service / Functions Key Vault reference.
    pub fn app_service_reference(&self) -> String {
        format!("@Microsoft.KeyVault(SecretUri={})", self.uri_with_version)
    }

    /// Reads the value where the user is signed in to the Azure CLI.
    pub fn az_command(&self) -> String {
        format!(
            "az keyvault secret show --id {} --query value -o tsv",
            self.uri_with_version
        )
    }
}

/// `AZURE_CLIENT_ID=…` and `AZURE_TENANT_ID=…`, the identifiers a consumer configures beside
/// the secret reference.
pub fn env_lines(client_id: &str, tenant_id: &str) -> String {
    format!("AZURE_CLIENT_ID={client_id}\nAZURE_TENANT_ID={tenant_id}")
}
