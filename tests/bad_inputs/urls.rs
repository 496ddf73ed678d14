//! Where a token (and the secret value) may go, for URLs an attacker would write: the parser
//! differentials (a backslash, a user part, `%2e`, upper case, a trailing dot, tabs
//! and newlines, IPv6 and IPv4 spellings, ports). Every URL `cloud::WebUrl` accepts is checked
//! against the `url` crate's WHATWG parser, the rules a browser's `fetch` follows: same scheme,
//! host, port and origin, so no host check reads a URL differently from the browser that sends it.

use secret_wizard::cloud::WebUrl;
use secret_wizard::config::Config;
use secret_wizard::destinations::Destinations;
use secret_wizard::net::Resource;
use serde_json::{json, Value};

use super::{fixture, Catalogue};

fn config(name: &str) -> Config {
    let sandbox: Value =
        serde_json::from_str(include_str!("../../static/config.sandbox.json")).unwrap();
    let ids = json!({ "tenantId": "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d",
                      "clientId": "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c" });
    let doc = match name {
        "public" => ids,
        "sandbox" => sandbox,
        "custom" => {
            let mut doc = sandbox;
            doc["customCloud"]["authority"] = json!("https://login.contoso.example");
            doc
        }
        "gateway" => {
            let mut doc = ids;
            doc["vault"] =
                json!({ "mode": "dataPlane", "gateway": "https://gw.contoso.example/kv" });
            doc
        }
        other => panic!("unknown config {other}"),
    };
    Config::parse(&doc.to_string()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `None` when `WebUrl` refuses `text` or reads it as the WHATWG parser does; else what differs.
pub fn differs_from_whatwg(text: &str) -> Option<String> {
    let ours = WebUrl::parse(text)?;
    let theirs = match url::Url::parse(text) {
        Ok(u) => u,
        Err(e) => return Some(format!("accepted, but WHATWG refuses it ({e})")),
    };
    let same = theirs.scheme() == ours.scheme()
        && theirs.host_str() == Some(ours.host.as_str())
        && theirs.port() == ours.port
        && theirs.origin().ascii_serialization() == ours.origin()
        && theirs.username().is_empty()
        && theirs.password().is_none();
    (!same).then(|| {
        format!(
            "read as {} ({}:{:?}), WHATWG reads {} ({:?}:{:?})",
            ours.origin(),
            ours.host,
            ours.port,
            theirs.origin().ascii_serialization(),
            theirs.host_str(),
            theirs.port()
        )
    })
}

#[test]
fn where_tokens_may_go() {
    let cases: Value = serde_json::from_str(&fixture("url-cases.json")).unwrap();
    let mut cat = Catalogue::new("token destinations");
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let url = case["url"].as_str().unwrap();
        let d = Destinations::from_config(&config(case["config"].as_str().unwrap()));
        let allowed: Vec<&str> = case["allowed"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap())
            .collect();
        cat.row(name, || {
            let mut wrong = Vec::new();
            for (key, resource) in [
                ("graph", Resource::Graph),
                ("arm", Resource::Arm),
                ("keyVault", Resource::KeyVault),
            ] {
                let want = allowed.contains(&key);
                if d.allows(resource, url) != want {
                    wrong.push(format!("{key}: expected allowed={want}"));
                }
            }
            wrong.extend(differs_from_whatwg(url));
            (!wrong.is_empty()).then(|| format!("{url:?}: {}", wrong.join("; ")))
        });
    }
    cat.finish(60);
}

/// Thousands of spellings built from the pieces attackers combine: whatever `WebUrl` accepts,
/// the WHATWG parser reads alike.
#[test]
fn every_accepted_spelling_reads_the_same_to_a_browser() {
    let schemes = [
        "https://",
        "http://",
        "HTTPS://",
        "HtTp://",
        "https:",
        "https:/",
        "https:\\\\",
        "https:///",
        " https://",
    ];
    let hosts = [
        "kv-a",
        "KV-A",
        "127.0.0.1",
        "127.1",
        "0x7f.0.0.1",
        "0177.0.0.1",
        "2130706433",
        "256.0.0.1",
        "1.2.3",
        "1.2.3.4.5",
        "[::1]",
        "[0:0::1]",
        "[::FFFF:1.2.3.4]",
        "[::1",
        "localhost",
        "a.localhost",
        "evil.example",
        "xn--bcher-kva.example",
        "b\u{fc}cher",
        "a..b",
        "a.",
        ".a",
        "",
        "a-",
        "-a",
        "0x",
        "a.0x",
        "a.09",
        "a.1e",
    ];
    let joins = [
        "",
        ".",
        "\\",
        "@",
        "%2e",
        "%2E",
        "%2f",
        "\t",
        "\n",
        "\r",
        " ",
        "#",
        "?",
        "/",
        ":",
        ":443",
        ":80",
        ":0",
        ":0443",
        ":65535",
        ":65536",
        ":8400",
        "\u{3002}",
        "\u{ff0e}",
        "\u{0}",
        "@evil.example",
        ":x@",
    ];
    let suffixes = ["", ".vault.azure.net", ".VAULT.azure.NET."];
    let tails = ["", "/", "/secrets/a", "?q=1", "#f", "\\x"];
    let mut tried = 0;
    let mut failures = Vec::new();
    for scheme in schemes {
        for host in hosts {
            for join in joins {
                for suffix in suffixes {
                    for tail in tails {
                        let url = format!("{scheme}{host}{join}{suffix}{tail}");
                        tried += 1;
                        if let Some(problem) = differs_from_whatwg(&url) {
                            failures.push(format!("{url:?}: {problem}"));
                        }
                    }
                }
            }
        }
    }
    println!("{tried} spellings compared with the WHATWG parser");
    assert!(
        failures.is_empty(),
        "{} of {tried} differ:\n  {}",
        failures.len(),
        failures[..failures.len().min(40)].join("\n  ")
    );
}
