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

use crate::cloud::{host_of, is_loopback_host};
use crate::config::Config;
use crate::net::Resource;

/// The origins each service's token may be sent to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Destinations {
    graph: String,
    arm: String,
    /// `.vault.azure.net`: a vault's host must end with it (and use https).
    key_vault_suffix: String,
    /// The data-plane gateway's origin, when config.json names one.
    gateway: Option<String>,
    /// A custom cloud (the sandbox) may serve vaults from loopback origins.
    loopback_vaults: bool,
}

/// `scheme://host[:port]` of a URL, lower-cased, without the scheme's default port (`:443` for
/// https, `:80` for http): a browser treats `https://h:443` and `https://h` as one origin, and
/// services write either (Key Vault's `nextLink`s carry `:443`, as the 7.5 spec's examples
/// show). `None` when it isn't an http(s) URL.
pub fn origin_of(url: &str) -> Option<String> {
    let (scheme, rest) = url.split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    host_of(url)?;
    let authority = rest.split(['/', '?', '#']).next()?.to_ascii_lowercase();
    let default_port = if scheme == "https" { "443" } else { "80" };
    let authority = match authority.rsplit_once(':') {
        Some((host, port)) if port == default_port && !host.is_empty() => host.to_string(),
        _ => authority,
    };
    Some(format!("{scheme}://{authority}"))
}

impl Destinations {
    pub fn from_config(config: &Config) -> Self {
        Destinations {
            graph: origin_of(config.graph_base()).unwrap_or_default(),
            arm: origin_of(config.arm_base()).unwrap_or_default(),
            key_vault_suffix: config.cloud.key_vault_suffix.to_ascii_lowercase(),
            gateway: config.vault.gateway.as_deref().and_then(origin_of),
            loopback_vaults: config.cloud.name.as_str() == "custom",
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
                if self.gateway.as_deref() == Some(origin.as_str()) {
                    return true;
                }
                let host = host_of(url).unwrap_or_default().to_ascii_lowercase();
                // https on the default port only: the origin is exactly `https://{host}`.
                let vault_host = origin == format!("https://{host}")
                    && !self.key_vault_suffix.is_empty()
                    && host.ends_with(&self.key_vault_suffix)
                    && host.len() > self.key_vault_suffix.len();
                vault_host || (self.loopback_vaults && is_loopback_host(&host))
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
mod tests {
    use super::*;

    #[test]
    fn the_wasm_of_a_module_sits_beside_it() {
        assert_eq!(
            module_wasm("/app/secret-wizard-8c7b7d14c04a49d7.js").as_deref(),
            Some("/app/secret-wizard-8c7b7d14c04a49d7_bg.wasm")
        );
        assert_eq!(module_wasm("https://cdn.example/app/x.js"), None);
        assert_eq!(module_wasm("/app/../x.js"), None);
        assert_eq!(module_wasm(""), None);
    }

    fn public() -> Destinations {
        let config = Config::parse(
            r#"{"tenantId":"8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d","clientId":"5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c","cloud":"public"}"#,
        )
        .expect("valid config");
        Destinations::from_config(&config)
    }

    #[test]
    fn graph_and_arm_tokens_stay_on_their_origin() {
        let d = public();
        assert!(d.allows(
            Resource::Graph,
            "https://graph.microsoft.com/v1.0/applications?$skiptoken=x"
        ));
        assert!(!d.allows(
            Resource::Graph,
            "https://graph.microsoft.com.evil.example/v1.0/x"
        ));
        assert!(!d.allows(
            Resource::Graph,
            "https://evil.example/?https://graph.microsoft.com"
        ));
        assert!(!d.allows(Resource::Graph, "http://graph.microsoft.com/v1.0/me"));
        assert!(!d.allows(
            Resource::Graph,
            "https://management.azure.com/subscriptions"
        ));
        assert!(d.allows(
            Resource::Arm,
            "https://management.azure.com/subscriptions?api-version=1"
        ));
        assert!(!d.allows(Resource::Arm, "https://graph.microsoft.com/v1.0/me"));
        assert!(!d.allows(Resource::Arm, "https://user@management.azure.com/x"));
    }

    #[test]
    fn key_vault_tokens_go_to_vault_hosts_only() {
        let d = public();
        assert!(d.allows(
            Resource::KeyVault,
            "https://kv-dev.vault.azure.net/secrets/a?api-version=7.5"
        ));
        assert!(!d.allows(
            Resource::KeyVault,
            "https://vault.azure.net.evil.example/secrets/a"
        ));
        assert!(!d.allows(Resource::KeyVault, "https://.vault.azure.net/secrets/a"));
        assert!(!d.allows(
            Resource::KeyVault,
            "http://kv-dev.vault.azure.net/secrets/a"
        ));
        assert!(!d.allows(
            Resource::KeyVault,
            "http://127.0.0.1:8400/kv/kv-dev/secrets/a"
        ));
        assert!(!d.allows(Resource::KeyVault, "javascript:alert(1)"));
    }

    #[test]
    fn an_explicit_default_port_is_the_same_origin_and_other_ports_are_not() {
        let d = public();
        // The Key Vault 7.5 spec's GetSecretVersions example nextLink.
        let spec_next_link = "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/\
            versions?api-version=7.2&$skiptoken=eyJOZXh0TWFya2VyIjoiMiExNDQhTURBd01EWXlJWE5sWTNKbG\
            RDOU1TVk5VVTBWRFVrVlVWa1ZTVTBsUFRsTlVSVk5VTHpGRU5EazJNa0l4UlVRM09EUkVRa1k0T1RsR016TXpN\
            a1UwTnpZNFFqY3dJVEF3TURBeU9DRTVPVGs1TFRFeUxUTXhWREl6T2pVNU9qVTVMams1T1RrNU9UbGFJUS0tIi\
            wiVGFyZ2V0TG9jYXRpb24iOjB9&maxresults=1";
        assert!(d.allows(Resource::KeyVault, spec_next_link));
        assert_eq!(
            origin_of(spec_next_link).as_deref(),
            Some("https://myvault.vault.azure.net")
        );
        assert!(d.allows(
            Resource::Graph,
            "https://graph.microsoft.com:443/v1.0/applications?$skiptoken=x"
        ));
        assert!(d.allows(
            Resource::Arm,
            "https://MANAGEMENT.azure.com:443/subscriptions?api-version=1"
        ));
        for refused in [
            (
                Resource::KeyVault,
                "https://myvault.vault.azure.net:8443/secrets/a",
            ),
            (
                Resource::KeyVault,
                "https://myvault.vault.azure.net:80/secrets/a",
            ),
            (
                Resource::KeyVault,
                "https://myvault.vault.azure.net:/secrets/a",
            ),
            (
                Resource::KeyVault,
                "https://myvault.vault.azure.net:443.evil.example/secrets/a",
            ),
            (Resource::KeyVault, "https://evil.example:443/secrets/a"),
            (
                Resource::KeyVault,
                "http://myvault.vault.azure.net:443/secrets/a",
            ),
            (Resource::Graph, "https://graph.microsoft.com:8443/v1.0/me"),
            (Resource::Graph, "https://graph.microsoft.com:80/v1.0/me"),
            (Resource::Graph, "http://graph.microsoft.com:443/v1.0/me"),
            (Resource::Graph, "https://evil.example:443/v1.0/me"),
            (
                Resource::Arm,
                "https://management.azure.com:444/subscriptions",
            ),
        ] {
            assert!(!d.allows(refused.0, refused.1), "{refused:?}");
        }
        assert_eq!(
            origin_of("http://127.0.0.1:80/x").as_deref(),
            Some("http://127.0.0.1")
        );
        assert_eq!(
            origin_of("http://127.0.0.1:8400/x").as_deref(),
            Some("http://127.0.0.1:8400")
        );
        assert_eq!(
            origin_of("https://[::1]:443/x").as_deref(),
            Some("https://[::1]")
        );
    }

    #[test]
    fn the_sandbox_cloud_allows_its_loopback_vaults() {
        let text = include_str!("../static/config.sandbox.json");
        let d = Destinations::from_config(&Config::parse(text).expect("sandbox config"));
        assert!(d.allows(Resource::Graph, "http://127.0.0.1:8400/graph/v1.0/me"));
        assert!(d.allows(
            Resource::KeyVault,
            "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/a"
        ));
        assert!(!d.allows(Resource::KeyVault, "https://evil.example/secrets/a"));
        assert!(!d.allows(Resource::Graph, "http://127.0.0.1:9999/graph/v1.0/me"));
    }

    #[test]
    fn only_site_paths_may_be_imported_as_the_full_app() {
        assert!(is_site_path("/app/secret-wizard-0123456789abcdef.js"));
        for bad in [
            "",
            "app/x.js",
            "//evil.example/x.js",
            "https://evil.example/x.js",
            "/\\evil.example/x.js",
            "/app/../../x.js",
            "javascript:alert(1)",
            "/app/x.wasm",
            "/app/x.js?v=http://a",
        ] {
            assert!(!is_site_path(bad), "{bad:?}");
        }
    }
}
