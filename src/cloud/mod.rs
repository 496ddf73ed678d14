//! The endpoint table per cloud (docs: azure-apis.md §5), and the URL checks config uses.
//!
//! A [`Cloud`] is everything that differs between Azure clouds: where users sign in, the Graph and
//! ARM bases the app calls, the Key Vault DNS suffix, and the token resource of each service
//! (scopes are `{resource}/.default`). The sandbox is just another cloud (`custom`).
//!
//! The app's one URL parser, [`WebUrl`], lives in `web_url`.

use crate::net::Resource;

#[cfg(test)]
mod tests;
mod web_url;

pub use web_url::{HostKind, WebUrl};

/// The names `config.json` accepts for `cloud`.
pub const CLOUD_NAMES: &str = "public, usgov, usgovdod, china or custom";

/// Which cloud the tenant lives in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CloudName {
    Public,
    UsGov,
    UsGovDod,
    China,
    Custom,
}

impl CloudName {
    pub fn parse(name: &str) -> Option<Self> {
        match name {
            "public" => Some(CloudName::Public),
            "usgov" => Some(CloudName::UsGov),
            "usgovdod" => Some(CloudName::UsGovDod),
            "china" => Some(CloudName::China),
            "custom" => Some(CloudName::Custom),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CloudName::Public => "public",
            CloudName::UsGov => "usgov",
            CloudName::UsGovDod => "usgovdod",
            CloudName::China => "china",
            CloudName::Custom => "custom",
        }
    }
}

/// The token resource (audience) of each service.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Resources {
    pub graph: String,
    pub arm: String,
    pub key_vault: String,
}

/// One cloud's endpoints. URLs carry no trailing slash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cloud {
    pub name: CloudName,
    /// `https://login.microsoftonline.com`; the authority is this plus `/{tenant}`.
    pub authority_host: String,
    /// Base URL for Graph requests (`/v1.0/...` is appended).
    pub graph: String,
    /// Base URL for ARM requests (`/subscriptions/...` is appended).
    pub arm: String,
    /// `.vault.azure.net`: a vault's data-plane host is `{name}{suffix}`.
    pub key_vault_suffix: String,
    pub resources: Resources,
}

impl Cloud {
    /// The built-in table for a named cloud; `None` for `custom`.
    pub fn named(name: CloudName) -> Option<Cloud> {
        let (login, graph, arm, kv_suffix, kv_resource) = match name {
            CloudName::Public => (
                "https://login.microsoftonline.com",
                "https://graph.microsoft.com",
                "https://management.azure.com",
                ".vault.azure.net",
                "https://vault.azure.net",
            ),
            CloudName::UsGov => (
                "https://login.microsoftonline.us",
                "https://graph.microsoft.us",
                "https://management.usgovcloudapi.net",
                ".vault.usgovcloudapi.net",
                "https://vault.usgovcloudapi.net",
            ),
            CloudName::UsGovDod => (
                "https://login.microsoftonline.us",
                "https://dod-graph.microsoft.us",
                "https://management.usgovcloudapi.net",
                ".vault.usgovcloudapi.net",
                "https://vault.usgovcloudapi.net",
            ),
            CloudName::China => (
                "https://login.chinacloudapi.cn",
                "https://microsoftgraph.chinacloudapi.cn",
                "https://management.chinacloudapi.cn",
                ".vault.azure.cn",
                "https://vault.azure.cn",
            ),
            CloudName::Custom => return None,
        };
        Some(Cloud {
            name,
            authority_host: login.into(),
            graph: graph.into(),
            arm: arm.into(),
            key_vault_suffix: kv_suffix.into(),
            resources: Resources {
                // The token audience of Graph and ARM is the public base URL of the service.
                graph: graph.into(),
                arm: arm.into(),
                key_vault: kv_resource.into(),
            },
        })
    }

    /// The token resource for a service.
    pub fn resource(&self, resource: Resource) -> &str {
        match resource {
            Resource::Graph => &self.resources.graph,
            Resource::Arm => &self.resources.arm,
            Resource::KeyVault => &self.resources.key_vault,
        }
    }

    /// The MSAL scope for a service: `{resource}/.default`.
    pub fn scope(&self, resource: Resource) -> String {
        format!("{}/.default", self.resource(resource).trim_end_matches('/'))
    }

    /// The authority host name (`login.microsoftonline.com`), for `knownAuthorities`.
    pub fn authority_host_name(&self) -> String {
        host_of(&self.authority_host).unwrap_or_default()
    }

    /// True for the sandbox: a custom cloud whose sign-in host is `localhost` or under
    /// `.localhost`. That name is reserved for loopback (RFC 6761 §6.3; browsers never resolve
    /// it elsewhere), so no real identity provider can live there, and only a local stand-in
    /// can be configured this way (`static/config.sandbox.json`: `login.sandbox.localhost`).
    /// `app::is_demo` asks this too.
    pub fn is_sandbox(&self) -> bool {
        let host = self.authority_host_name();
        self.name == CloudName::Custom && (host == "localhost" || host.ends_with(".localhost"))
    }
}

/// Why a URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not `scheme://host...` at all, or it has spaces, a user part, a fragment, or an authority
    /// that is not already in the one form every URL parser reads alike (see [`WebUrl`]).
    NotAUrl,
    /// `http://` on a host other than 127.0.0.1 / localhost / [::1].
    InsecureHttp,
    /// Another scheme (`ftp:`, `javascript:` …).
    BadScheme,
}

/// The host of an `http(s)://host[:port][/path]` URL, lower case, without the port (an IPv6
/// literal keeps its brackets); `None` when [`WebUrl`] refuses the URL.
pub fn host_of(url: &str) -> Option<String> {
    WebUrl::parse(url).map(|u| u.host)
}

/// Checks a service endpoint: `https://…`, or `http://` only on loopback (the sandbox).
/// Returns the URL without a trailing slash.
pub fn check_endpoint(url: &str) -> Result<String, UrlProblem> {
    let url = url.trim();
    if url.contains('#') {
        return Err(UrlProblem::NotAUrl);
    }
    let Some((scheme, _)) = url.split_once("://") else {
        return Err(UrlProblem::NotAUrl);
    };
    if !scheme.eq_ignore_ascii_case("https") && !scheme.eq_ignore_ascii_case("http") {
        return Err(UrlProblem::BadScheme);
    }
    let parsed = WebUrl::parse(url).ok_or(UrlProblem::NotAUrl)?;
    if !parsed.https && !parsed.is_loopback() {
        return Err(UrlProblem::InsecureHttp);
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Checks a URL that must be https whatever its host (authorities, token resources).
pub fn check_https(url: &str) -> Result<String, UrlProblem> {
    let checked = check_endpoint(url)?;
    match WebUrl::parse(&checked) {
        Some(u) if u.https => Ok(checked),
        _ => Err(UrlProblem::InsecureHttp),
    }
}
