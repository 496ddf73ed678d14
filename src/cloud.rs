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

/// What an http(s) URL's host is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum HostKind {
    /// A DNS name: `kv-x.vault.azure.net`.
    Domain,
    Ipv4(std::net::Ipv4Addr),
    Ipv6(std::net::Ipv6Addr),
}

/// An `http(s)://` URL read the way a browser reads it, or refused.
///
/// This is the app's one URL parser: the host checks (config.json's endpoints, where a token may
/// be sent, which URIs are a vault's) all read URLs through it. It does not implement the WHATWG
/// URL Standard that `fetch` uses; it accepts only URLs whose authority is already in the form
/// that standard would produce (after lower-casing), so there is nothing for two parsers to
/// read differently, and refuses everything else:
///
/// - no whitespace or control character anywhere (WHATWG drops tabs and newlines *inside* a URL
///   and trims the ends: `https://evil.example\t.vault.azure.net` is fetched from
///   `evil.example.vault.azure.net`), no backslash anywhere (WHATWG reads `\` as `/` in http(s)
///   URLs, so `https://evil.example\x.vault.azure.net/` goes to `evil.example`);
/// - the authority is only `[A-Za-z0-9.-]`, `:port` and an `[IPv6]` literal: no `@` user part,
///   no `%` escapes (`%2e` is a dot to WHATWG), no non-ASCII (IDNA would map it);
/// - a domain is non-empty labels of `[a-z0-9-]`, with no trailing dot; one whose last label is
///   a number (or `0x…`) must be a dotted-quad IPv4 address written as WHATWG writes it
///   (`127.0.0.1`, not `127.1`, `0x7f.0.0.1` or `2130706433`); an IPv6 literal must be in its
///   canonical form (`[::1]`, not `[0:0::1]` or with an embedded IPv4 part);
/// - a port is 1–65535 without leading zeros; the scheme's default port (`:443`, `:80`) is the
///   same origin as none, as in a browser.
///
/// Upper-case letters in the scheme and host are read as lower case, as WHATWG does. The native
/// tests check every accepted URL of the bad-input table against the `url` crate (the WHATWG
/// parser Servo and Firefox use): same scheme, host, port and origin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebUrl<'a> {
    pub https: bool,
    /// Lower case; an IPv6 literal in brackets (`[::1]`).
    pub host: String,
    pub kind: HostKind,
    /// An explicit port other than the scheme's default.
    pub port: Option<u16>,
    /// Everything after the authority, from its first `/`, `?` or `#` (may be empty).
    pub rest: &'a str,
}

impl<'a> WebUrl<'a> {
    pub fn parse(text: &'a str) -> Option<WebUrl<'a>> {
        if text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
        {
            return None;
        }
        let (scheme, after) = text.split_once("://")?;
        let https = if scheme.eq_ignore_ascii_case("https") {
            true
        } else if scheme.eq_ignore_ascii_case("http") {
            false
        } else {
            return None;
        };
        let end = after.find(['/', '?', '#']).unwrap_or(after.len());
        let (authority, rest) = after.split_at(end);
        let allowed =
            |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']');
        if authority.is_empty() || !authority.chars().all(allowed) {
            return None;
        }
        let authority = authority.to_ascii_lowercase();
        let (host, port) = if authority.starts_with('[') {
            let close = authority.find(']')?;
            let (host, after_host) = authority.split_at(close + 1);
            match after_host {
                "" => (host, None),
                p => (host, Some(p.strip_prefix(':')?)),
            }
        } else {
            match authority.split_once(':') {
                None => (authority.as_str(), None),
                Some((host, port)) => (host, Some(port)),
            }
        };
        let kind = host_kind(host)?;
        let default_port = if https { 443 } else { 80 };
        let port = match port {
            None => None,
            Some(p) => Some(read_port(p)?).filter(|p| *p != default_port),
        };
        Some(WebUrl {
            https,
            host: host.to_string(),
            kind,
            port,
            rest,
        })
    }

    pub fn scheme(&self) -> &'static str {
        if self.https {
            "https"
        } else {
            "http"
        }
    }

    /// `scheme://host[:port]`, lower case, without the scheme's default port.
    pub fn origin(&self) -> String {
        match self.port {
            Some(port) => format!("{}://{}:{port}", self.scheme(), self.host),
            None => format!("{}://{}", self.scheme(), self.host),
        }
    }

    /// The path: `rest` up to its `?` or `#` (empty when the URL ends at the authority).
    pub fn path(&self) -> &'a str {
        let end = self.rest.find(['?', '#']).unwrap_or(self.rest.len());
        &self.rest[..end]
    }

    /// True when `rest` carries a query or a fragment.
    pub fn has_query_or_fragment(&self) -> bool {
        self.rest.contains(['?', '#'])
    }

    /// True for the names a browser treats as a secure context over plain http (the Secure
    /// Contexts spec's "potentially trustworthy" hosts): `localhost` and `*.localhost`,
    /// 127.0.0.0/8 and `[::1]`.
    pub fn is_loopback(&self) -> bool {
        match self.kind {
            HostKind::Domain => self.host == "localhost" || self.host.ends_with(".localhost"),
            HostKind::Ipv4(ip) => ip.is_loopback(),
            HostKind::Ipv6(ip) => ip.is_loopback(),
        }
    }
}

/// A port as WHATWG would keep it: 1–65535, digits only, no leading zero.
fn read_port(p: &str) -> Option<u16> {
    let digits = !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit());
    if !digits || p.starts_with('0') {
        return None;
    }
    p.parse().ok()
}

/// The kind of an already lower-cased host, or `None` when WHATWG would rewrite it.
fn host_kind(host: &str) -> Option<HostKind> {
    if let Some(inner) = host.strip_prefix('[') {
        let inner = inner.strip_suffix(']')?;
        let ip: std::net::Ipv6Addr = inner.parse().ok()?;
        // Canonical text only (WHATWG writes `::ffff:102:304` for `::ffff:1.2.3.4`).
        return (!inner.contains('.') && ip.to_string() == inner).then_some(HostKind::Ipv6(ip));
    }
    let labels: Vec<&str> = host.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    };
    if !labels.iter().all(label_ok) {
        return None;
    }
    // WHATWG's "ends in a number": such a host is parsed as IPv4 (`127.1`, `0x7f.0.0.1`).
    let last = labels.last().copied().unwrap_or_default();
    let numeric = last.bytes().all(|b| b.is_ascii_digit())
        || last
            .strip_prefix("0x")
            .is_some_and(|h| h.bytes().all(|b| b.is_ascii_hexdigit()));
    if !numeric {
        return Some(HostKind::Domain);
    }
    let ip: std::net::Ipv4Addr = host.parse().ok()?;
    (ip.to_string() == host).then_some(HostKind::Ipv4(ip))
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
    fn web_urls_are_read_as_a_browser_reads_them_or_refused() {
        let u = WebUrl::parse("HTTPS://KV-A.Vault.Azure.NET:443/secrets/a?x#y").unwrap();
        assert_eq!(
            (u.https, u.host.as_str(), u.port, u.kind),
            (true, "kv-a.vault.azure.net", None, HostKind::Domain)
        );
        assert_eq!(u.origin(), "https://kv-a.vault.azure.net");
        assert_eq!((u.path(), u.rest), ("/secrets/a", "/secrets/a?x#y"));
        let v6 = WebUrl::parse("http://[::1]:8400").unwrap();
        assert_eq!(
            (v6.origin(), v6.path()),
            ("http://[::1]:8400".to_string(), "")
        );
        assert!(v6.is_loopback());
        assert!(WebUrl::parse("http://127.0.0.2/").unwrap().is_loopback());
        assert!(WebUrl::parse("http://app.localhost/")
            .unwrap()
            .is_loopback());
        assert!(!WebUrl::parse("http://localhost.example/")
            .unwrap()
            .is_loopback());
        for refused in [
            "https://evil.example\\x.vault.azure.net/",
            "https://a@b.example/",
            "https://a%2eb.example/",
            "https://b.example./",
            "https://b.exa\tmple/",
            "https://b.example:0443/",
            "https://b.example:/",
            "https://127.1/",
            "https://0x7f.0.0.1/",
            "https://[0:0::1]/",
            "https://[::ffff:1.2.3.4]/",
            "https:b.example/",
            "ftp://b.example/",
            "https://",
        ] {
            assert_eq!(WebUrl::parse(refused), None, "{refused:?}");
        }
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
