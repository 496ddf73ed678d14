//! config.json → typed [`Config`] (schema: docs/contracts.md).
//!
//! Parsing is strict and explains itself: every problem becomes a [`ConfigError`] that names the
//! file and the field (`config.json: field "clientId" is missing`), so a site owner can fix a
//! deployment from the error page alone. Unknown settings are refused (they are almost always
//! typos); keys starting with `$` or `_` are left for comments.

use serde_json::Value;

use crate::cloud::{Cloud, CloudName};
use crate::graph::is_guid;
use crate::net::Resource;

mod error;
mod parse;
mod read;

pub use error::ConfigError;
use read::Obj;

/// The longest secret lifetime the tool will ever offer (10 years).
pub const MAX_LIFETIME_LIMIT_DAYS: u32 = 3650;
/// The longest lifetime offered when config.json does not say: Graph's own default (2 years),
/// also the Azure portal's longest secret ("Client secret lifetime is limited to two years (24
/// months) or less": Microsoft identity platform docs, "Add and manage application credentials",
/// how-to-add-credentials.md; azure-apis.md §1.7).
pub const DEFAULT_MAX_LIFETIME_DAYS: u32 = 730;
/// The lifetime preselected when config.json does not say (`policy.defaultLifetimeDays`):
/// 180 days. Microsoft recommends "an expiration value of less than 12 months" (same page; the
/// portal's Expires list leads with "Recommended: 6 months"), and "Microsoft strongly
/// recommends that all client secrets are rotated every six months" (Microsoft 365 Developer
/// blog, "Client secret expiration now limited to a maximum of two years"). Never more than the
/// maximum in force (config, then the app management policy).
pub const DEFAULT_LIFETIME_DAYS: u32 = 180;
pub const DEFAULT_CLIPBOARD_CLEAR_SECONDS: u32 = 60;
pub const DEFAULT_REDIRECT_PATH: &str = "/redirect.html";
pub const DEFAULT_SECRET_NAME_TEMPLATE: &str = "{app}-client-secret";
/// The placeholders a secret name template may use (see `domain::naming`).
pub const NAME_PLACEHOLDERS: [&str; 3] = ["{app}", "{appId}", "{date}"];

/// The whole site configuration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    pub tenant_id: String,
    pub client_id: String,
    /// Path of the MSAL redirect bridge page, starting with `/`.
    pub redirect_path: String,
    pub cloud: Cloud,
    /// The identity provider's OpenID configuration as JSON text (custom clouds only).
    pub authority_metadata: Option<String>,
    pub policy: Policy,
    pub vault: VaultSettings,
}

/// Limits the organisation sets on new secrets.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Policy {
    pub max_lifetime_days: u32,
    pub default_lifetime_days: u32,
    /// Seconds after a copy before the clipboard is cleared; 0 turns clearing off.
    pub clipboard_clear_seconds: u32,
}

/// How the secret reaches Key Vault.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VaultMode {
    /// ARM `Microsoft.KeyVault/vaults/secrets` PUT (browser-callable).
    Arm,
    /// The Key Vault data plane, normally through `gateway` (it answers no CORS itself).
    DataPlane,
}

/// A vault named by its ARM resource ID.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultRef {
    /// `/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}`.
    pub id: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub name: String,
}

impl VaultRef {
    /// Parses an ARM vault resource ID (literal segments compared case-insensitively).
    pub fn parse(id: &str) -> Option<VaultRef> {
        let parts: Vec<&str> = id.trim_end_matches('/').split('/').collect();
        let ok = parts.len() == 9
            && parts[0].is_empty()
            && parts[1].eq_ignore_ascii_case("subscriptions")
            && is_guid(parts[2])
            && parts[3].eq_ignore_ascii_case("resourceGroups")
            && !parts[4].is_empty()
            && parts[5].eq_ignore_ascii_case("providers")
            && parts[6].eq_ignore_ascii_case("Microsoft.KeyVault")
            && parts[7].eq_ignore_ascii_case("vaults")
            && is_vault_name(parts[8]);
        ok.then(|| VaultRef {
            id: parts.join("/"),
            subscription_id: parts[2].to_ascii_lowercase(),
            resource_group: parts[4].to_string(),
            name: parts[8].to_string(),
        })
    }

    /// True when both name the same vault (ARM IDs are case-insensitive).
    pub fn same_as(&self, other: &VaultRef) -> bool {
        self.id.eq_ignore_ascii_case(&other.id)
    }
}

/// Vault 3–24 characters: letters, digits, dashes; starts with a letter.
fn is_vault_name(name: &str) -> bool {
    (3..=24).contains(&name.len())
        && name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
}

/// Where secrets go by default, and which vaults are allowed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultSettings {
    pub default: Option<VaultRef>,
    /// Empty: any vault the user can write to.
    pub allowed: Vec<VaultRef>,
    pub secret_name_template: String,
    pub mode: VaultMode,
    /// Base URL of a CORS-capable gateway in front of the data plane (`dataPlane` mode only).
    pub gateway: Option<String>,
}

impl VaultSettings {
    /// True when the vault may be used under this configuration.
    pub fn allows(&self, vault: &VaultRef) -> bool {
        self.allowed.is_empty() || self.allowed.iter().any(|v| v.same_as(vault))
    }
}

/// What `new msal.PublicClientApplication(...)` needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MsalSettings {
    pub client_id: String,
    /// `https://login.microsoftonline.com/{tenant}`.
    pub authority: String,
    /// Hosts MSAL may trust without instance discovery (custom clouds).
    pub known_authorities: Vec<String>,
    /// JSON text of the OpenID configuration, so MSAL does not fetch it.
    pub authority_metadata: Option<String>,
    /// `{origin}{redirectPath}`: the redirect bridge page.
    pub redirect_uri: String,
    /// Where a redirect sign-out lands: the app itself.
    pub post_logout_redirect_uri: String,
}

impl Config {
    /// Parses config.json's text.
    pub fn parse(text: &str) -> Result<Config, ConfigError> {
        let value: Value = serde_json::from_str(text).map_err(|e| ConfigError::NotJson {
            line: e.line(),
            column: e.column(),
        })?;
        let Value::Object(map) = &value else {
            return Err(ConfigError::NotAnObject);
        };
        parse::config(&Obj::root(map))
    }

    /// MSAL's settings for a page served at `origin` (`https://wizard.contoso.com`, no slash).
    pub fn msal(&self, origin: &str) -> MsalSettings {
        let origin = origin.trim_end_matches('/');
        let known_authorities = match self.cloud.name {
            CloudName::Custom => vec![self.cloud.authority_host_name().to_string()],
            _ => Vec::new(),
        };
        MsalSettings {
            client_id: self.client_id.clone(),
            authority: format!("{}/{}", self.cloud.authority_host, self.tenant_id),
            known_authorities,
            authority_metadata: self.authority_metadata.clone(),
            redirect_uri: format!("{origin}{}", self.redirect_path),
            post_logout_redirect_uri: format!("{origin}/"),
        }
    }

    /// Base URL for Graph requests.
    pub fn graph_base(&self) -> &str {
        &self.cloud.graph
    }

    /// Base URL for ARM requests.
    pub fn arm_base(&self) -> &str {
        &self.cloud.arm
    }

    /// The MSAL scope of a service: `{resource}/.default`.
    pub fn scope(&self, resource: Resource) -> String {
        self.cloud.scope(resource)
    }

    /// The sign-in request's scopes: Graph's `.default` and nothing of another resource.
    ///
    /// Entra refuses an authorize request that puts a `.default` scope next to any scope of
    /// another resource (AADSTS70011; ../shared/docs/azure-apis.md §7.1), and a token request
    /// names one resource only (AADSTS28000). ARM's and Key Vault's tokens come afterwards from
    /// the refresh token (`acquireTokenSilent`), covered by the admin's consent; optional
    /// permissions are never asked for at sign-in: `.default` carries whatever was granted.
    pub fn sign_in_scopes(&self) -> Vec<String> {
        vec![self.scope(Resource::Graph)]
    }
}
