//! config.json → typed [`Config`] (schema: docs/contracts.md).
//!
//! Parsing is strict and explains itself: every problem becomes a [`ConfigError`] that names the
//! file and the field (`config.json: field "clientId" is missing`), so a site owner can fix a
//! deployment from the error page alone. Unknown settings are refused (they are almost always
//! typos); keys starting with `$` or `_` are left for comments.

use serde_json::{Map, Value};

use crate::cloud::{check_endpoint, check_https, Cloud, CloudName, Resources, CLOUD_NAMES};
use crate::graph::is_guid;
use crate::net::Resource;

pub use error::ConfigError;

/// The longest secret lifetime the tool will ever offer (10 years).
pub const MAX_LIFETIME_LIMIT_DAYS: u32 = 3650;
/// Graph's own default lifetime (2 years), used when config.json does not say.
pub const DEFAULT_LIFETIME_DAYS: u32 = 730;
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

    /// Scopes to consent to at sign-in besides Graph's, so one prompt covers all three.
    pub fn extra_scopes_to_consent(&self) -> Vec<String> {
        vec![self.scope(Resource::Arm), self.scope(Resource::KeyVault)]
    }
}

/// A JSON object being read, with the dotted path used in error messages.
pub(crate) struct Obj<'a> {
    map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Obj<'a> {
    fn root(map: &'a Map<String, Value>) -> Self {
        Obj {
            map,
            prefix: String::new(),
        }
    }

    fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// A value, with `null` read as absent.
    fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    fn invalid(&self, key: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            field: self.path(key),
            problem: problem.into(),
        }
    }

    /// Refuses keys other than `known` (comments: keys starting with `$` or `_`).
    fn only(&self, known: &[&str]) -> Result<(), ConfigError> {
        match self
            .map
            .keys()
            .find(|k| !known.contains(&k.as_str()) && !k.starts_with('$') && !k.starts_with('_'))
        {
            Some(k) => Err(self.invalid(k, "is not a known setting (check its spelling)")),
            None => Ok(()),
        }
    }

    fn string(&self, key: &str) -> Result<Option<&'a str>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.invalid(key, "is empty")),
            Some(Value::String(s)) => Ok(Some(s.trim())),
            Some(_) => Err(self.invalid(key, "must be a string")),
        }
    }

    fn required_string(&self, key: &str) -> Result<&'a str, ConfigError> {
        self.string(key)?.ok_or_else(|| ConfigError::Missing {
            field: self.path(key),
        })
    }

    fn number(&self, key: &str) -> Result<Option<u64>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.invalid(key, "must be a whole number")),
        }
    }

    fn object(&self, key: &str) -> Result<Option<Obj<'a>>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                prefix: self.path(key),
            })),
            Some(_) => Err(self.invalid(key, "must be an object")),
        }
    }

    fn required_object(&self, key: &str) -> Result<Obj<'a>, ConfigError> {
        self.object(key)?.ok_or_else(|| ConfigError::Missing {
            field: self.path(key),
        })
    }

    /// An endpoint URL: https, or http only on loopback.
    fn endpoint(&self, key: &str) -> Result<String, ConfigError> {
        check_endpoint(self.required_string(key)?).map_err(|_| ConfigError::BadUrl {
            field: self.path(key),
            https_only: false,
        })
    }

    /// A URL that must be https whatever its host.
    fn https(&self, key: &str) -> Result<String, ConfigError> {
        check_https(self.required_string(key)?).map_err(|_| ConfigError::BadUrl {
            field: self.path(key),
            https_only: true,
        })
    }

    fn guid(&self, key: &str) -> Result<String, ConfigError> {
        let s = self.required_string(key)?;
        if s.bytes().all(|b| b == b'0' || b == b'-') && is_guid(s) {
            Err(self.invalid(key, "is still the all-zero placeholder GUID"))
        } else if is_guid(s) {
            Ok(s.to_ascii_lowercase())
        } else {
            Err(self.invalid(key, "is not a GUID"))
        }
    }
}

mod parse {
    use super::*;

    pub(super) fn config(root: &Obj<'_>) -> Result<Config, ConfigError> {
        root.only(&[
            "tenantId",
            "clientId",
            "redirectPath",
            "cloud",
            "customCloud",
            "policy",
            "vault",
        ])?;
        let tenant_id = root.guid("tenantId")?;
        let client_id = root.guid("clientId")?;
        let redirect_path = redirect_path(root)?;
        let cloud_name = root.string("cloud")?.unwrap_or("public");
        let name = CloudName::parse(cloud_name).ok_or_else(|| ConfigError::UnknownCloud {
            name: error::short(cloud_name),
        })?;
        let (cloud, authority_metadata) = match (Cloud::named(name), root.object("customCloud")?) {
            (Some(cloud), None) => (cloud, None),
            (Some(_), Some(_)) => {
                return Err(root.invalid(
                    "customCloud",
                    format!("is only used when cloud is \"custom\" (cloud is \"{cloud_name}\")"),
                ))
            }
            (None, _) => custom_cloud(&root.required_object("customCloud")?)?,
        };
        let policy = policy(root.object("policy")?)?;
        let vault = vault(root.object("vault")?)?;
        Ok(Config {
            tenant_id,
            client_id,
            redirect_path,
            cloud,
            authority_metadata,
            policy,
            vault,
        })
    }

    fn redirect_path(root: &Obj<'_>) -> Result<String, ConfigError> {
        let Some(path) = root.string("redirectPath")? else {
            return Ok(DEFAULT_REDIRECT_PATH.into());
        };
        let ok = path.starts_with('/')
            && !path.starts_with("//")
            && !path.contains(['?', '#', '\\'])
            && !path.chars().any(|c| c.is_whitespace() || c.is_control());
        if ok {
            Ok(path.to_string())
        } else {
            Err(root.invalid(
                "redirectPath",
                "must be a path on this site starting with \"/\", like \"/redirect.html\"",
            ))
        }
    }

    fn custom_cloud(c: &Obj<'_>) -> Result<(Cloud, Option<String>), ConfigError> {
        c.only(&[
            "authority",
            "authorityMetadata",
            "graph",
            "arm",
            "keyVaultSuffix",
            "resources",
        ])?;
        let authority = c.https("authority")?;
        if authority.matches('/').count() != 2 {
            return Err(c.invalid(
                "authority",
                "must be the sign-in host only, like \"https://login.example.com\" (the tenant comes from tenantId)",
            ));
        }
        let metadata = match c.object("authorityMetadata")? {
            None => None,
            Some(m) => Some(authority_metadata(&m)?),
        };
        let suffix = c.required_string("keyVaultSuffix")?;
        let dns = suffix.len() > 1
            && suffix.starts_with('.')
            && !suffix.contains("..")
            && !suffix.ends_with('.')
            && suffix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '.');
        if !dns {
            return Err(c.invalid(
                "keyVaultSuffix",
                "must be a DNS suffix starting with a dot, like \".vault.azure.net\"",
            ));
        }
        let r = c.required_object("resources")?;
        r.only(&["graph", "arm", "keyVault"])?;
        let resources = Resources {
            graph: r.https("graph")?,
            arm: r.https("arm")?,
            key_vault: r.https("keyVault")?,
        };
        let cloud = Cloud {
            name: CloudName::Custom,
            authority_host: authority,
            graph: c.endpoint("graph")?,
            arm: c.endpoint("arm")?,
            key_vault_suffix: suffix.to_ascii_lowercase(),
            resources,
        };
        Ok((cloud, metadata))
    }

    /// The OpenID configuration MSAL would otherwise fetch; its endpoints may be loopback http.
    fn authority_metadata(m: &Obj<'_>) -> Result<String, ConfigError> {
        let mut out = Map::new();
        for key in [
            "issuer",
            "authorization_endpoint",
            "token_endpoint",
            "jwks_uri",
        ] {
            out.insert(key.into(), Value::String(m.endpoint(key)?));
        }
        if m.get("end_session_endpoint").is_some() {
            let url = m.endpoint("end_session_endpoint")?;
            out.insert("end_session_endpoint".into(), Value::String(url));
        }
        // Any other OpenID fields pass through unchanged.
        for (k, v) in m.map {
            out.entry(k.clone()).or_insert_with(|| v.clone());
        }
        Ok(Value::Object(out).to_string())
    }

    fn policy(p: Option<Obj<'_>>) -> Result<Policy, ConfigError> {
        let Some(p) = p else {
            return Ok(Policy {
                max_lifetime_days: DEFAULT_LIFETIME_DAYS,
                default_lifetime_days: DEFAULT_LIFETIME_DAYS,
                clipboard_clear_seconds: DEFAULT_CLIPBOARD_CLEAR_SECONDS,
            });
        };
        p.only(&[
            "maxLifetimeDays",
            "defaultLifetimeDays",
            "clipboardClearSeconds",
        ])?;
        let max = match p.number("maxLifetimeDays")? {
            None => DEFAULT_LIFETIME_DAYS,
            Some(d) if (1..=MAX_LIFETIME_LIMIT_DAYS as u64).contains(&d) => d as u32,
            Some(_) => {
                return Err(p.invalid(
                    "maxLifetimeDays",
                    format!("must be between 1 and {MAX_LIFETIME_LIMIT_DAYS}"),
                ))
            }
        };
        let default = match p.number("defaultLifetimeDays")? {
            None => max.min(DEFAULT_LIFETIME_DAYS),
            Some(d) if (1..=max as u64).contains(&d) => d as u32,
            Some(_) => {
                return Err(p.invalid(
                    "defaultLifetimeDays",
                    format!("must be between 1 and maxLifetimeDays ({max})"),
                ))
            }
        };
        let clear = match p.number("clipboardClearSeconds")? {
            None => DEFAULT_CLIPBOARD_CLEAR_SECONDS,
            Some(s) if s <= 3600 => s as u32,
            Some(_) => {
                return Err(p.invalid(
                    "clipboardClearSeconds",
                    "must be between 0 (never clear) and 3600",
                ))
            }
        };
        Ok(Policy {
            max_lifetime_days: max,
            default_lifetime_days: default,
            clipboard_clear_seconds: clear,
        })
    }

    fn vault_ref(parent: &Obj<'_>, key: &str, value: &Value) -> Result<VaultRef, ConfigError> {
        value
            .as_str()
            .and_then(VaultRef::parse)
            .ok_or_else(|| parent.invalid(key, "is not a Key Vault resource ID (/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/…)"))
    }

    fn vault(v: Option<Obj<'_>>) -> Result<VaultSettings, ConfigError> {
        let mut settings = VaultSettings {
            default: None,
            allowed: Vec::new(),
            secret_name_template: DEFAULT_SECRET_NAME_TEMPLATE.into(),
            mode: VaultMode::Arm,
            gateway: None,
        };
        let Some(v) = v else { return Ok(settings) };
        v.only(&[
            "default",
            "allowed",
            "secretNameTemplate",
            "mode",
            "gateway",
        ])?;
        if let Some(d) = v.get("default") {
            settings.default = Some(vault_ref(&v, "default", d)?);
        }
        match v.get("allowed") {
            None => {}
            Some(Value::Array(items)) => {
                for (i, item) in items.iter().enumerate() {
                    settings
                        .allowed
                        .push(vault_ref(&v, &format!("allowed[{i}]"), item)?);
                }
            }
            Some(_) => return Err(v.invalid("allowed", "must be a list of vault resource IDs")),
        }
        if let Some(d) = &settings.default {
            if !settings.allows(d) {
                return Err(v.invalid("default", "is not in vault.allowed"));
            }
        }
        if let Some(t) = v.string("secretNameTemplate")? {
            check_template(&v, t)?;
            settings.secret_name_template = t.to_string();
        }
        settings.mode = match v.string("mode")? {
            None | Some("arm") => VaultMode::Arm,
            Some("dataPlane") => VaultMode::DataPlane,
            Some(_) => return Err(v.invalid("mode", "must be \"arm\" or \"dataPlane\"")),
        };
        if v.get("gateway").is_some() {
            if settings.mode != VaultMode::DataPlane {
                return Err(v.invalid("gateway", "is only used when vault.mode is \"dataPlane\""));
            }
            settings.gateway = Some(v.endpoint("gateway")?);
        }
        Ok(settings)
    }

    fn check_template(v: &Obj<'_>, template: &str) -> Result<(), ConfigError> {
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            let Some(len) = rest[start..].find('}') else {
                return Err(v.invalid("secretNameTemplate", "has a \"{\" without a \"}\""));
            };
            let placeholder = &rest[start..start + len + 1];
            if !NAME_PLACEHOLDERS.contains(&placeholder) {
                return Err(v.invalid(
                    "secretNameTemplate",
                    format!(
                        "uses unknown placeholder {}: use {{app}}, {{appId}} or {{date}}",
                        error::short(placeholder)
                    ),
                ));
            }
            rest = &rest[start + len + 1..];
        }
        Ok(())
    }
}

mod error {
    use std::fmt;

    /// Quotes at most 40 characters of something the site owner wrote.
    pub(crate) fn short(s: &str) -> String {
        let mut out: String = s.chars().take(40).collect();
        if s.chars().count() > 40 {
            out.push('…');
        }
        out
    }

    /// Why the site's configuration could not be used.
    #[derive(Clone, Debug, PartialEq, Eq)]
    pub enum ConfigError {
        /// The server answered config.json with an error status (404: not deployed).
        NotFound {
            status: u16,
        },
        /// config.json could not be fetched at all.
        Unreachable,
        NotJson {
            line: usize,
            column: usize,
        },
        NotAnObject,
        Missing {
            field: String,
        },
        Invalid {
            field: String,
            problem: String,
        },
        UnknownCloud {
            name: String,
        },
        BadUrl {
            field: String,
            https_only: bool,
        },
    }

    impl ConfigError {
        /// The dotted path of the field at fault, when there is one.
        pub fn field(&self) -> Option<&str> {
            match self {
                ConfigError::Missing { field }
                | ConfigError::Invalid { field, .. }
                | ConfigError::BadUrl { field, .. } => Some(field),
                ConfigError::UnknownCloud { .. } => Some("cloud"),
                _ => None,
            }
        }

        /// The sentence the error page shows (docs/ux.md).
        pub fn user_message(&self) -> String {
            const SEE: &str = "See the README's deployment section.";
            match self {
                ConfigError::Missing { field } => format!(
                    "This site isn't configured yet: config.json is missing field \"{field}\". {SEE}"
                ),
                ConfigError::NotFound { status: 404 } => {
                    format!("This site isn't configured yet: config.json was not found. {SEE}")
                }
                ConfigError::Unreachable => "This site couldn't load its settings: config.json could not be fetched. Check your connection and reload the page.".into(),
                other => format!("This site isn't configured correctly: {other}. {SEE}"),
            }
        }
    }

    impl fmt::Display for ConfigError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                ConfigError::NotFound { status } => {
                    write!(f, "config.json could not be loaded (HTTP {status})")
                }
                ConfigError::Unreachable => write!(f, "config.json could not be fetched"),
                ConfigError::NotJson { line, column } => write!(
                    f,
                    "config.json is not valid JSON (line {line}, column {column})"
                ),
                ConfigError::NotAnObject => write!(f, "config.json must hold a JSON object"),
                ConfigError::Missing { field } => {
                    write!(f, "config.json: field \"{field}\" is missing")
                }
                ConfigError::Invalid { field, problem } => {
                    write!(f, "config.json: field \"{field}\" {problem}")
                }
                ConfigError::UnknownCloud { name } => write!(
                    f,
                    "config.json: cloud \"{name}\" is unknown: use {}",
                    super::CLOUD_NAMES
                ),
                ConfigError::BadUrl {
                    field,
                    https_only: false,
                } => write!(
                    f,
                    "config.json: {field} must be an https URL, or http only on 127.0.0.1/localhost"
                ),
                ConfigError::BadUrl {
                    field,
                    https_only: true,
                } => write!(f, "config.json: {field} must be an https URL"),
            }
        }
    }

    impl std::error::Error for ConfigError {}
}
