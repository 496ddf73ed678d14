//! Tests of the CSP composition, and the check that deploy/nginx.conf and
//! deploy/staticwebapp.config.json send exactly what deploy/headers.json says.

use super::*;
use std::collections::BTreeMap;

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(rel: &str) -> String {
    std::fs::read_to_string(repo().join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";

fn config(cloud: &str, extra: &str) -> String {
    format!(r#"{{ "tenantId": "{TENANT}", "clientId": "{TENANT}", "cloud": "{cloud}"{extra} }}"#)
}

fn csp_of(rules: &HeaderRules, path: &str) -> String {
    header(&rules.for_path(path), "content-security-policy").expect("a CSP")
}

fn header(h: &[(String, String)], name: &str) -> Option<String> {
    h.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

/// One directive of an nginx configuration: `name args…;` or `name args… { body }`.
#[derive(Debug)]
struct Directive {
    name: String,
    args: Vec<String>,
    /// `Some` for a block.
    body: Option<Vec<Directive>>,
}

/// Reads nginx's syntax (words, "quoted" or 'quoted' strings, `;`, `{ }`, `#` comments): enough
/// for deploy/nginx.conf, and an error for anything it cannot read.
fn nginx_parse(conf: &str) -> Result<Vec<Directive>, String> {
    let mut tokens = Vec::new();
    let mut chars = conf.chars().peekable();
    while let Some(&c) = chars.peek() {
        match c {
            c if c.is_whitespace() => {
                chars.next();
            }
            '#' => while chars.next().is_some_and(|c| c != '\n') {},
            ';' | '{' | '}' => {
                tokens.push((c.to_string(), false));
                chars.next();
            }
            '"' | '\'' => {
                chars.next();
                let mut word = String::new();
                loop {
                    match chars.next() {
                        None => return Err("a quoted string is never closed".into()),
                        Some('\\') => word.extend(chars.next()),
                        Some(q) if q == c => break,
                        Some(other) => word.push(other),
                    }
                }
                tokens.push((word, true));
            }
            _ => {
                let mut word = String::new();
                while let Some(&c) = chars.peek() {
                    if c.is_whitespace() || matches!(c, ';' | '{' | '}' | '"' | '\'') {
                        break;
                    }
                    word.push(c);
                    chars.next();
                }
                tokens.push((word, false));
            }
        }
    }
    fn block(
        tokens: &mut std::iter::Peekable<std::vec::IntoIter<(String, bool)>>,
        top: bool,
    ) -> Result<Vec<Directive>, String> {
        let mut out = Vec::new();
        loop {
            let Some((name, quoted)) = tokens.next() else {
                return if top {
                    Ok(out)
                } else {
                    Err("a block is never closed".into())
                };
            };
            match (name.as_str(), quoted) {
                ("}", false) if !top => return Ok(out),
                (";" | "{" | "}", false) => return Err(format!("unexpected {name:?}")),
                _ => {}
            }
            let mut args = Vec::new();
            loop {
                match tokens.next() {
                    None => return Err(format!("{name}: never ends")),
                    Some((t, false)) if t == ";" => {
                        out.push(Directive {
                            name,
                            args,
                            body: None,
                        });
                        break;
                    }
                    Some((t, false)) if t == "{" => {
                        let body = Some(block(tokens, false)?);
                        out.push(Directive { name, args, body });
                        break;
                    }
                    Some((t, false)) if t == "}" => return Err(format!("{name}: no ';'")),
                    Some((t, _)) => args.push(t),
                }
            }
        }
    }
    block(&mut tokens.into_iter().peekable(), true)
}

/// What deploy/nginx.conf does, as far as the headers go; every directive is accounted for.
#[derive(Debug, Default)]
struct NginxSite {
    /// The HTTPS server's `location` (its arguments) → header name (lower case) → value.
    locations: BTreeMap<String, BTreeMap<String, String>>,
    /// The HTTPS server's `server_name`.
    name: Vec<String>,
    /// The plain-HTTP server: its `server_name` and its `return`.
    http_name: Vec<String>,
    http_return: Vec<String>,
}

/// Directives that do not touch response headers, per context. Anything else is an error, so a
/// header sent some other way (`expires`, `more_set_headers`, an `add_header` on the server that
/// nginx drops in every location with its own, a third server…) cannot slip past the test.
const HTTPS_SERVER: [&str; 9] = [
    "listen",
    "server_name",
    "ssl_certificate",
    "ssl_certificate_key",
    "root",
    "index",
    "server_tokens",
    "charset",
    "include",
];
const LOCATION: [&str; 1] = ["try_files"];
const HTTP_SERVER: [&str; 2] = ["listen", "server_name"];

fn nginx_site(conf: &str) -> Result<NginxSite, String> {
    let mut site = NginxSite::default();
    let (mut https, mut http) = (0, 0);
    for server in nginx_parse(conf)? {
        let body = match (server.name.as_str(), &server.body) {
            ("server", Some(body)) if server.args.is_empty() => body,
            _ => return Err(format!("top level: {} is not checked", server.name)),
        };
        let listen: Vec<&Directive> = body.iter().filter(|d| d.name == "listen").collect();
        let ports: Vec<&[String]> = listen.iter().map(|d| d.args.as_slice()).collect();
        let get = |name: &str| {
            body.iter()
                .find(|d| d.name == name)
                .map(|d| d.args.clone())
                .unwrap_or_default()
        };
        if ports == [["443".to_string(), "ssl".to_string()].as_slice()] {
            https += 1;
            site.name = get("server_name");
            for d in body {
                match (d.name.as_str(), &d.body) {
                    ("location", Some(inner)) => {
                        let key = d.args.join(" ");
                        let mut headers = BTreeMap::new();
                        for h in inner {
                            if h.body.is_some() {
                                return Err(format!(
                                    "location {key}: block {} not checked",
                                    h.name
                                ));
                            }
                            if LOCATION.contains(&h.name.as_str()) {
                                continue;
                            }
                            let [name, value, always] = h.args.as_slice() else {
                                return Err(format!("location {key}: {} {:?}", h.name, h.args));
                            };
                            if h.name != "add_header" || always != "always" {
                                return Err(format!(
                                    "location {key}: {} {name} is not `add_header {name} \"…\" always`",
                                    h.name
                                ));
                            }
                            if headers
                                .insert(name.to_ascii_lowercase(), value.clone())
                                .is_some()
                            {
                                return Err(format!("location {key}: {name} twice"));
                            }
                        }
                        if site.locations.insert(key.clone(), headers).is_some() {
                            return Err(format!("location {key} twice"));
                        }
                    }
                    (name, None) if HTTPS_SERVER.contains(&name) => {}
                    (name, _) => return Err(format!("HTTPS server: {name} is not checked")),
                }
            }
        } else if ports == [["80".to_string()].as_slice()] {
            http += 1;
            site.http_name = get("server_name");
            for d in body {
                match (d.name.as_str(), &d.body) {
                    ("return", None) => site.http_return = d.args.clone(),
                    ("server_tokens", None) if d.args == ["off"] => {}
                    (name, None) if HTTP_SERVER.contains(&name) => {}
                    (name, _) => return Err(format!("HTTP server: {name} is not checked")),
                }
            }
        } else {
            return Err(format!("a server listening on {ports:?} is not checked"));
        }
    }
    if (https, http) != (1, 1) {
        return Err(format!(
            "expected one HTTPS server (listen 443 ssl) and one on port 80, found {https} and {http}"
        ));
    }
    Ok(site)
}

mod nginx;
mod policy;
