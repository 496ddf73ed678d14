//! The endpoint table per cloud (docs: azure-apis.md §5), and the URL checks config uses.
//!
//! A [`Cloud`] is everything that differs between Azure clouds: where users sign in, the Graph and
//! ARM bases the app calls, the Key Vault DNS suffix, and the token resource of each service
//! (scopes are `{resource}/.default`). The sandbox is just another cloud (`custom`).

use crate::net::Resource;

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
    pub fn authority_host_name(&self) -> &str {
        host_of(&self.authority_host).unwrap_or_default()
    }
}

/// Why a URL was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UrlProblem {
    /// Not `scheme://host...` at all, or it has spaces, a user part or a fragment.
    NotAUrl,
    /// `http://` on a host other than 127.0.0.1 / localhost / [::1].
    InsecureHttp,
    /// Another scheme (`ftp:`, `javascript:` …).
    BadScheme,
}

/// The host of an `http(s)://host[:port][/path]` URL, without the port.
pub fn host_of(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))?;
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    if authority.is_empty() || authority.contains('@') {
        return None;
    }
    let host = if authority.starts_with('[') {
        // [::1]:8400 → [::1]
        authority.split_inclusive(']').next().unwrap_or_default()
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    (!host.is_empty()).then_some(host)
}

/// True for the loopback names a browser treats as a secure context over plain http.
pub fn is_loopback_host(host: &str) -> bool {
    let host = host.to_ascii_lowercase();
    host == "127.0.0.1" || host == "localhost" || host == "[::1]" || host.ends_with(".localhost")
}

/// Checks a service endpoint: `https://…`, or `http://` only on loopback (the sandbox).
/// Returns the URL without a trailing slash.
pub fn check_endpoint(url: &str) -> Result<String, UrlProblem> {
    let url = url.trim();
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.contains('#') {
        return Err(UrlProblem::NotAUrl);
    }
    let Some((scheme, _)) = url.split_once("://") else {
        return Err(UrlProblem::NotAUrl);
    };
    if scheme != "https" && scheme != "http" {
        return Err(UrlProblem::BadScheme);
    }
    let host = host_of(url).ok_or(UrlProblem::NotAUrl)?;
    match scheme {
        "https" => {}
        "http" if is_loopback_host(host) => {}
        "http" => return Err(UrlProblem::InsecureHttp),
        _ => return Err(UrlProblem::BadScheme),
    }
    Ok(url.trim_end_matches('/').to_string())
}

/// Checks a URL that must be https whatever its host (authorities, token resources).
pub fn check_https(url: &str) -> Result<String, UrlProblem> {
    let checked = check_endpoint(url)?;
    if checked.starts_with("https://") {
        Ok(checked)
    } else {
        Err(UrlProblem::InsecureHttp)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_named_cloud_has_https_endpoints_and_a_default_scope() {
        for name in [
            CloudName::Public,
            CloudName::UsGov,
            CloudName::UsGovDod,
            CloudName::China,
        ] {
            let c = Cloud::named(name).unwrap();
            for url in [&c.authority_host, &c.graph, &c.arm, &c.resources.key_vault] {
                assert_eq!(check_https(url).as_ref(), Ok(url), "{name:?} {url}");
            }
            assert!(c.key_vault_suffix.starts_with(".vault."));
            assert!(c.scope(Resource::Graph).ends_with("/.default"));
        }
        assert_eq!(Cloud::named(CloudName::Custom), None);
    }

    #[test]
    fn table_matches_the_documented_values() {
        let dod = Cloud::named(CloudName::UsGovDod).unwrap();
        assert_eq!(dod.graph, "https://dod-graph.microsoft.us");
        assert_eq!(dod.arm, "https://management.usgovcloudapi.net");
        let china = Cloud::named(CloudName::China).unwrap();
        assert_eq!(china.authority_host_name(), "login.chinacloudapi.cn");
        assert_eq!(
            china.scope(Resource::KeyVault),
            "https://vault.azure.cn/.default"
        );
        let public = Cloud::named(CloudName::Public).unwrap();
        assert_eq!(
            public.scope(Resource::Arm),
            "https://management.azure.com/.default"
        );
    }

    #[test]
    fn names_round_trip() {
        for n in ["public", "usgov", "usgovdod", "china", "custom"] {
            assert_eq!(CloudName::parse(n).unwrap().as_str(), n);
        }
        assert_eq!(CloudName::parse("Public"), None);
        assert_eq!(CloudName::parse("mars"), None);
    }

    #[test]
    fn endpoint_check_allows_https_and_loopback_http_only() {
        let cases: &[(&str, Result<&str, UrlProblem>)] = &[
            (
                "https://graph.microsoft.com/",
                Ok("https://graph.microsoft.com"),
            ),
            (
                "http://127.0.0.1:8400/graph",
                Ok("http://127.0.0.1:8400/graph"),
            ),
            (
                "http://localhost:8400/arm/",
                Ok("http://localhost:8400/arm"),
            ),
            ("http://[::1]:8400/arm", Ok("http://[::1]:8400/arm")),
            ("http://graph.example.com", Err(UrlProblem::InsecureHttp)),
            (
                "http://127.0.0.1.evil.example/x",
                Err(UrlProblem::InsecureHttp),
            ),
            ("ftp://graph.example.com", Err(UrlProblem::BadScheme)),
            ("javascript:alert(1)", Err(UrlProblem::NotAUrl)),
            ("graph.microsoft.com", Err(UrlProblem::NotAUrl)),
            ("https://", Err(UrlProblem::NotAUrl)),
            ("https://user@host.example", Err(UrlProblem::NotAUrl)),
            ("https://a b.example", Err(UrlProblem::NotAUrl)),
            ("https://x.example/#frag", Err(UrlProblem::NotAUrl)),
        ];
        for (url, want) in cases {
            assert_eq!(
                check_endpoint(url).as_deref().map_err(|e| *e),
                *want,
                "{url}"
            );
        }
        assert_eq!(
            check_https("http://127.0.0.1:8400"),
            Err(UrlProblem::InsecureHttp)
        );
    }
}
