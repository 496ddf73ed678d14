//! [`WebUrl`]: an `http(s)://` URL read the way a browser reads it, or refused; the parser
//! every host check of [`crate::cloud`] reads URLs through.

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
