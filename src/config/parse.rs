//! config.json's object → [`Config`], one setting at a time.

use serde_json::{Map, Value};

use super::error::short;
use super::read::Obj;
use super::*;
use crate::cloud::{Cloud, CloudName, Resources};

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
        name: short(cloud_name),
    })?;
    let (cloud, authority_metadata) = match (Cloud::named(name), root.object("customCloud")?) {
        (Some(cloud), None) => (cloud, None),
        (Some(_), Some(_)) => {
            return Err(root.invalid(
                "customCloud",
                format!("is only used when cloud is \"custom\" (cloud is \"{cloud_name}\")"),
            ))
        }
        (None, _) => custom_cloud(&root.required_object("customCloud")?, &tenant_id)?,
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

fn custom_cloud(c: &Obj<'_>, tenant_id: &str) -> Result<(Cloud, Option<String>), ConfigError> {
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
        Some(m) => Some(authority_metadata(&m, tenant_id)?),
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
///
/// Each endpoint MSAL reads must have the tenant ID as the first segment of its path
/// (`https://login.example.com/{tenantId}/oauth2/v2.0/token`): MSAL takes the first path segment
/// of `authorization_endpoint` to be the tenant and rewrites `/{that segment}/` in every endpoint
/// it uses (msal-common's `Authority.replacePath`, over `authorization_endpoint`,
/// `token_endpoint`, `end_session_endpoint`, `issuer` and `jwks_uri`; azure-apis.md §7.4), so an
/// endpoint laid out otherwise is silently rewritten into a wrong URL.
fn authority_metadata(m: &Obj<'_>, tenant_id: &str) -> Result<String, ConfigError> {
    let mut out = Map::new();
    for key in [
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "jwks_uri",
    ] {
        let url = m.endpoint(key)?;
        tenant_first(m, key, &url, tenant_id)?;
        out.insert(key.into(), Value::String(url));
    }
    if m.get("end_session_endpoint").is_some() {
        let url = m.endpoint("end_session_endpoint")?;
        tenant_first(m, "end_session_endpoint", &url, tenant_id)?;
        out.insert("end_session_endpoint".into(), Value::String(url));
    }
    // Any other OpenID fields pass through unchanged.
    for (k, v) in m.map {
        out.entry(k.clone()).or_insert_with(|| v.clone());
    }
    Ok(Value::Object(out).to_string())
}

/// Refuses an endpoint whose path does not start with `/{tenant_id}/` (see [`authority_metadata`]).
fn tenant_first(m: &Obj<'_>, key: &str, url: &str, tenant_id: &str) -> Result<(), ConfigError> {
    // The path: after the authority, up to the query (a `/` in the query is not a path).
    let path = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.find(['/', '?', '#']).map(|i| &rest[i..]))
        .filter(|p| p.starts_with('/'))
        .map_or("", |p| p.split(['?', '#']).next().unwrap_or(""));
    // The first segment; a URL ending in it counts (endpoints are kept without a trailing slash).
    let first = path
        .strip_prefix('/')
        .map(|p| p.split_once('/').map_or(p, |(segment, _)| segment));
    if first.is_some_and(|s| s.eq_ignore_ascii_case(tenant_id)) {
        return Ok(());
    }
    Err(m.invalid(
        key,
        format!(
            "must start with /{tenant_id}/ after the host, like \"https://login.example.com/\
             {tenant_id}/…\": MSAL reads the first path segment as the tenant ID"
        ),
    ))
}

fn policy(p: Option<Obj<'_>>) -> Result<Policy, ConfigError> {
    let Some(p) = p else {
        return Ok(Policy {
            max_lifetime_days: DEFAULT_MAX_LIFETIME_DAYS,
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
        None => DEFAULT_MAX_LIFETIME_DAYS,
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
                    short(placeholder)
                ),
            ));
        }
        rest = &rest[start + len + 1..];
    }
    Ok(())
}
