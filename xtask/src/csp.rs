//! The Content-Security-Policy of one deployment: `deploy/headers.json`'s directives, with the
//! origins of the cloud that the deployment's `config.json` names appended where its
//! `cspFromConfig` says (`connect-src` gets the token endpoint, Graph and ARM; `frame-src` the
//! authorize endpoint). So `connect-src` allows exactly the configured cloud's endpoints: a
//! request to any other host (a forged `@odata.nextLink`, say) never leaves the browser.
//! `cargo xtask csp --config <file>` prints it; the demo and e2e server use it with the sandbox's
//! config, so its CSP includes `http://127.0.0.1:8400`.

use crate::headers::HeaderRules;
use crate::json::{self, Json};
use std::path::{Path, PathBuf};

/// Named clouds' sign-in, Graph and ARM bases: the same table as `src/cloud/mod.rs` (a test checks).
pub const NAMED_CLOUDS: [(&str, &str, &str, &str); 4] = [
    (
        "public",
        "https://login.microsoftonline.com",
        "https://graph.microsoft.com",
        "https://management.azure.com",
    ),
    (
        "usgov",
        "https://login.microsoftonline.us",
        "https://graph.microsoft.us",
        "https://management.usgovcloudapi.net",
    ),
    (
        "usgovdod",
        "https://login.microsoftonline.us",
        "https://dod-graph.microsoft.us",
        "https://management.usgovcloudapi.net",
    ),
    (
        "china",
        "https://login.chinacloudapi.cn",
        "https://microsoftgraph.chinacloudapi.cn",
        "https://management.chinacloudapi.cn",
    ),
];

/// The named clouds' Key Vault DNS suffixes (data-plane mode without a gateway).
const VAULT_SUFFIXES: [(&str, &str); 4] = [
    ("public", ".vault.azure.net"),
    ("usgov", ".vault.usgovcloudapi.net"),
    ("usgovdod", ".vault.usgovcloudapi.net"),
    ("china", ".vault.azure.cn"),
];

/// Origins (CSP source expressions) per kind of endpoint.
#[derive(Debug, Default, PartialEq)]
pub struct Endpoints {
    pub token: Vec<String>,
    pub sign_in: Vec<String>,
    pub graph: Vec<String>,
    pub arm: Vec<String>,
    pub key_vault: Vec<String>,
}

impl Endpoints {
    fn of(&self, kind: &str) -> Result<&[String], String> {
        Ok(match kind {
            "token" => &self.token,
            "signIn" => &self.sign_in,
            "graph" => &self.graph,
            "arm" => &self.arm,
            "keyVault" => &self.key_vault,
            other => return Err(format!("cspFromConfig: unknown endpoint kind {other:?}")),
        })
    }
}

/// `scheme://host[:port]` of an http(s) URL, lower-cased.
pub fn origin(url: &str) -> Option<String> {
    let (scheme, rest) = url.trim().split_once("://")?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "https" && scheme != "http" {
        return None;
    }
    let authority = rest.split(['/', '?', '#']).next()?;
    let ok = !authority.is_empty()
        && !authority.contains('@')
        && authority
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-.:[]".contains(c));
    ok.then(|| format!("{scheme}://{}", authority.to_ascii_lowercase()))
}

fn origin_of(value: Option<&Json>, field: &str) -> Result<Option<String>, String> {
    match value {
        None | Some(Json::Null) => Ok(None),
        Some(Json::String(s)) => origin(s)
            .map(Some)
            .ok_or_else(|| format!("config.json: {field} is not an http(s) URL")),
        Some(_) => Err(format!("config.json: {field} must be a string")),
    }
}

/// The endpoints a browser running this configuration talks to.
pub fn endpoints(config_text: &str) -> Result<Endpoints, String> {
    let config = json::parse(config_text).map_err(|e| format!("config.json: {e}"))?;
    let cloud = match config.get("cloud") {
        None | Some(Json::Null) => "public",
        Some(Json::String(s)) => s.as_str(),
        Some(_) => return Err("config.json: cloud must be a string".into()),
    };
    let mut e = Endpoints::default();
    let suffix;
    if let Some((_, login, graph, arm)) = NAMED_CLOUDS.iter().find(|c| c.0 == cloud) {
        e.token.push(login.to_string());
        e.sign_in.push(login.to_string());
        e.graph.push(graph.to_string());
        e.arm.push(arm.to_string());
        suffix = VAULT_SUFFIXES.iter().find(|v| v.0 == cloud).map(|v| v.1);
    } else if cloud == "custom" {
        let c = config
            .get("customCloud")
            .ok_or("config.json: customCloud is missing")?;
        let authority = origin_of(c.get("authority"), "customCloud.authority")?
            .ok_or("config.json: customCloud.authority is missing")?;
        match c.get("authorityMetadata") {
            None | Some(Json::Null) => {
                e.token.push(authority.clone());
                e.sign_in.push(authority);
            }
            Some(m) => {
                let field = |k: &str| format!("customCloud.authorityMetadata.{k}");
                e.token.extend(origin_of(
                    m.get("token_endpoint"),
                    &field("token_endpoint"),
                )?);
                let authorize = m.get("authorization_endpoint");
                e.sign_in
                    .extend(origin_of(authorize, &field("authorization_endpoint"))?);
            }
        }
        e.graph
            .extend(origin_of(c.get("graph"), "customCloud.graph")?);
        e.arm.extend(origin_of(c.get("arm"), "customCloud.arm")?);
        suffix = c.get("keyVaultSuffix").and_then(Json::as_str);
    } else {
        return Err(format!("config.json: cloud {cloud:?} is unknown"));
    }
    let vault = config.get("vault");
    let mode = vault.and_then(|v| v.get("mode")).and_then(Json::as_str);
    if mode == Some("dataPlane") {
        match origin_of(vault.and_then(|v| v.get("gateway")), "vault.gateway")? {
            Some(gateway) => e.key_vault.push(gateway),
            None => {
                let suffix = suffix.ok_or("config.json: no Key Vault suffix for dataPlane mode")?;
                e.key_vault.push(format!("https://*{suffix}"));
            }
        }
    }
    Ok(e)
}

/// The directives of `headers` with the endpoints appended (`None`: as written).
pub fn directives(headers: &Json, endpoints: Option<&Endpoints>) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    for item in list(headers.get("contentSecurityPolicy"))? {
        let d = item
            .as_str()
            .ok_or("contentSecurityPolicy: every directive must be a string")?;
        let d = d.trim().trim_end_matches(';').trim();
        if d.is_empty() {
            continue;
        }
        let name = d.split_whitespace().next().unwrap_or_default();
        let mut sources: Vec<String> = d.split_whitespace().skip(1).map(String::from).collect();
        if let (Some(e), Some(kinds)) = (endpoints, headers.get("cspFromConfig")) {
            for kind in list(kinds.get(name))? {
                let kind = kind.as_str().ok_or("cspFromConfig: kinds are strings")?;
                for o in e.of(kind)? {
                    if !sources.contains(o) {
                        sources.push(o.clone());
                    }
                }
            }
        }
        out.push(
            std::iter::once(name.to_string())
                .chain(sources)
                .collect::<Vec<_>>()
                .join(" "),
        );
    }
    Ok(out)
}

fn list(v: Option<&Json>) -> Result<&[Json], String> {
    match v {
        None | Some(Json::Null) => Ok(&[]),
        Some(Json::Array(items)) => Ok(items),
        Some(_) => Err("expected a list".into()),
    }
}

/// The header rules for a site: `headers_path` with the CSP composed for `config_path`.
pub fn site_rules(headers_path: &Path, config_path: Option<&Path>) -> Result<HeaderRules, String> {
    let Some(config_path) = config_path else {
        return HeaderRules::load(headers_path);
    };
    let read = |p: &Path| std::fs::read_to_string(p).map_err(|e| format!("{}: {e}", p.display()));
    let headers = json::parse(&read(headers_path)?)
        .map_err(|e| format!("{}: {e}", headers_path.display()))?;
    let endpoints =
        endpoints(&read(config_path)?).map_err(|e| format!("{}: {e}", config_path.display()))?;
    let csp = directives(&headers, Some(&endpoints))?;
    let composed = Json::Object(vec![
        (
            "contentSecurityPolicy".into(),
            Json::Array(csp.into_iter().map(Json::String).collect()),
        ),
        (
            "headers".into(),
            headers.get("headers").cloned().unwrap_or(Json::Null),
        ),
    ]);
    HeaderRules::parse(&to_text(&composed)).map_err(|e| format!("{}: {e}", headers_path.display()))
}

/// The rules the demo and e2e server applies: the config.json it serves decides the origins.
pub fn served_rules(root: &Path) -> Result<HeaderRules, String> {
    let config = [
        root.join("static/config.sandbox.json"),
        root.join("dist/config.json"),
    ]
    .into_iter()
    .find(|p| p.is_file());
    site_rules(&root.join("deploy/headers.json"), config.as_deref())
}

/// `cargo xtask csp --config <file> [--path <path>]`: prints the header for that path ("/").
pub fn command(root: &Path, config: Option<String>, path: Option<String>) -> Result<(), String> {
    let config = config
        .map(PathBuf::from)
        .ok_or("usage: cargo xtask csp --config <config.json> [--path /redirect.html]")?;
    let rules = site_rules(&root.join("deploy/headers.json"), Some(&config))?;
    let path = path.unwrap_or_else(|| "/".into());
    let csp = rules
        .for_path(&path)
        .into_iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("Content-Security-Policy"))
        .ok_or_else(|| format!("no Content-Security-Policy for {path}"))?;
    println!("{}: {}", csp.0, csp.1);
    Ok(())
}

/// JSON text of a value (for handing a composed file to `HeaderRules::parse`).
fn to_text(v: &Json) -> String {
    match v {
        Json::Null => "null".into(),
        Json::Bool(b) => b.to_string(),
        Json::Number(n) => n.to_string(),
        Json::String(s) => {
            let mut out = String::from("\"");
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
                    c => out.push(c),
                }
            }
            out.push('"');
            out
        }
        Json::Array(items) => format!(
            "[{}]",
            items.iter().map(to_text).collect::<Vec<_>>().join(",")
        ),
        Json::Object(entries) => format!(
            "{{{}}}",
            entries
                .iter()
                .map(|(k, v)| format!("{}:{}", to_text(&Json::String(k.clone())), to_text(v)))
                .collect::<Vec<_>>()
                .join(",")
        ),
    }
}

#[cfg(test)]
mod tests;
