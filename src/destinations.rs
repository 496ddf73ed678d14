//! Where a bearer token may be sent: each service's token only to that service's origin.
//!
//! Every request the app sends is built from config.json's endpoints, except the URLs that
//! services hand back (`@odata.nextLink`, ARM `nextLink`, a vault's `vaultUri`). A tampered or
//! buggy answer could point those anywhere; the executor asks [`Destinations::allows`] before it
//! attaches a token, so a Graph token never leaves Graph, an ARM token never leaves ARM, and a
//! Key Vault token goes only to the cloud's vault hosts or the configured gateway. The CSP's
//! `connect-src` is the second line of the same defence.
//!
//! The same question for code: [`is_site_path`] is where the boot module may import the full
//! app from (a path on this site only; the CSP's `script-src 'self'` is again the second line).

use crate::cloud::{HostKind, WebUrl};
use crate::config::Config;
use crate::net::Resource;

/// The origins each service's token may be sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destinations {
    graph: String,
    arm: String,
    vaults: VaultHosts,
    /// The data-plane gateway's origin, when config.json names one.
    gateway: Option<String>,
}

/// `scheme://host[:port]` of a URL, lower-cased, without the scheme's default port (`:443` for
/// https, `:80` for http): a browser treats `https://h:443` and `https://h` as one origin, and
/// services write either (Key Vault's `nextLink`s carry `:443`, as the 7.5 spec's examples
/// show). `None` when [`WebUrl`] refuses it (not http(s), or an authority a browser would read
/// otherwise).
pub fn origin_of(url: &str) -> Option<String> {
    WebUrl::parse(url).map(|u| u.origin())
}

/// Which URLs are a Key Vault vault's data plane in this cloud: `https://{vault}{suffix}` on the
/// default port, `{vault}` one DNS label; and, for the sandbox only, its own origin, where it
/// serves vault `{vault}` under `/kv/{vault}/` (docs/contracts.md).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultHosts {
    /// `.vault.azure.net`, lower case.
    suffix: String,
    /// The sandbox's origin (`http://127.0.0.1:8400`); `None` for every other cloud, so a
    /// loopback vault URI (a tampered `vaultUri`, a local process) gets no token and no value.
    sandbox: Option<String>,
}

/// The parts of a secret version's URI: `https://{vault}.vault.azure.net/secrets/{name}/{version}`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SecretUri {
    /// The vault's name, lower case (DNS names are case-insensitive).
    pub vault: String,
    pub name: String,
    pub version: String,
}

impl VaultHosts {
    /// `suffix` like `.vault.azure.net`; `sandbox` the sandbox's origin, if this is the sandbox.
    pub fn new(suffix: &str, sandbox: Option<&str>) -> Self {
        VaultHosts {
            suffix: suffix.to_ascii_lowercase(),
            sandbox: sandbox.and_then(origin_of),
        }
    }

    /// The cloud's suffix; loopback vaults only when the cloud is the sandbox
    /// ([`crate::cloud::Cloud::is_sandbox`]), and then only on the origin it serves ARM from.
    pub fn from_config(config: &Config) -> Self {
        let sandbox = WebUrl::parse(config.arm_base())
            .filter(|u| config.cloud.is_sandbox() && u.is_loopback())
            .map(|u| u.origin());
        VaultHosts {
            suffix: config.cloud.key_vault_suffix.to_ascii_lowercase(),
            sandbox,
        }
    }

    /// The vault a data-plane URL addresses, lower case, with the rest of its path (from the
    /// `/` after the vault); `None` when the URL is not a vault of this cloud.
    fn split<'a>(&self, url: &'a str) -> Option<(String, &'a str)> {
        let u = WebUrl::parse(url)?;
        if self.sandbox.as_deref() == Some(u.origin().as_str()) {
            let rest = u.rest.strip_prefix("/kv/")?;
            let end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
            let vault = &rest[..end];
            return is_vault_label(vault).then(|| (vault.to_ascii_lowercase(), &rest[end..]));
        }
        let vault = u.host.strip_suffix(self.suffix.as_str())?;
        let ok = u.https
            && u.port.is_none()
            && u.kind == HostKind::Domain
            && !self.suffix.is_empty()
            && is_vault_label(vault);
        ok.then(|| (vault.to_string(), u.rest))
    }

    /// The vault a data-plane URL addresses (`kv-x`), or `None` when it is not one of this
    /// cloud's vaults.
    pub fn vault_of(&self, url: &str) -> Option<String> {
        self.split(url).map(|(vault, _)| vault)
    }

    /// True when a Key Vault token (and a secret value) may go to `url` as a vault's.
    pub fn allows(&self, url: &str) -> bool {
        self.split(url).is_some()
    }

    /// A secret version's URI, exactly `{vault URI}/secrets/{name}/{version}` with Key Vault's
    /// charsets (secret names `^[0-9a-zA-Z-]+$`, 1–127; versions letters and digits), no query,
    /// no fragment, nothing a shell or the App Service reference syntax could read as more than
    /// a URI; `None` for anything else.
    pub fn secret_uri(&self, uri: &str) -> Option<SecretUri> {
        let (vault, rest) = self.split(uri)?;
        let mut parts = rest.strip_prefix("/secrets/")?.split('/');
        let (name, version) = (parts.next()?, parts.next()?);
        let ok = parts.next().is_none()
            && (1..=127).contains(&name.len())
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
            && (1..=64).contains(&version.len())
            && version.bytes().all(|b| b.is_ascii_alphanumeric());
        ok.then(|| SecretUri {
            vault,
            name: name.to_string(),
            version: version.to_string(),
        })
    }
}

/// A vault name as a DNS label: letters, digits and dashes (Key Vault's names are 3–24 of them).
fn is_vault_label(s: &str) -> bool {
    (1..=63).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
}

impl Destinations {
    pub fn from_config(config: &Config) -> Self {
        Destinations {
            graph: origin_of(config.graph_base()).unwrap_or_default(),
            arm: origin_of(config.arm_base()).unwrap_or_default(),
            vaults: VaultHosts::from_config(config),
            gateway: config.vault.gateway.as_deref().and_then(origin_of),
        }
    }

    /// May a token for `resource` be attached to a request to `url`?
    pub fn allows(&self, resource: Resource, url: &str) -> bool {
        let Some(origin) = origin_of(url) else {
            return false;
        };
        match resource {
            Resource::Graph => !self.graph.is_empty() && origin == self.graph,
            Resource::Arm => !self.arm.is_empty() && origin == self.arm,
            Resource::KeyVault => {
                self.gateway.as_deref() == Some(origin.as_str()) || self.vaults.allows(url)
            }
        }
    }
}

/// True for a path on this site (`/app/x.js`): what the boot module may import as the full app.
/// Anything with a scheme, a host (`//host/…`), a backslash or a parent step is refused, so the
/// page never loads code from elsewhere whatever its `<meta name="secret-wizard-app">` says.
pub fn is_site_path(url: &str) -> bool {
    url.starts_with('/')
        && !url.starts_with("//")
        && !url.contains('\\')
        && !url.contains(':')
        && !url.split('/').any(|seg| seg == "..")
        && url.ends_with(".js")
}

/// The wasm that goes with a wasm-bindgen module on this site (`/app/x.js` → `/app/x_bg.wasm`,
/// wasm-bindgen's naming), for fetching it ahead of time; `None` unless `module` is a site path.
pub fn module_wasm(module: &str) -> Option<String> {
    is_site_path(module).then(|| format!("{}_bg.wasm", module.trim_end_matches(".js")))
}

#[cfg(test)]
mod tests;
