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

#[test]
fn origins_keep_scheme_host_and_port_only() {
    assert_eq!(
        origin("https://Graph.Microsoft.com/v1.0/me?x=1").as_deref(),
        Some("https://graph.microsoft.com")
    );
    assert_eq!(
        origin("http://127.0.0.1:8400/graph").as_deref(),
        Some("http://127.0.0.1:8400")
    );
    for bad in [
        "javascript:alert(1)",
        "data:text/html,x",
        "https://user:pw@evil.example/",
        "https://",
        "graph.microsoft.com",
        "https://a b/",
        "https://x'; script-src *",
    ] {
        assert_eq!(origin(bad), None, "{bad}");
    }
}

#[test]
fn named_clouds_use_their_own_hosts() {
    let e = endpoints(&config("usgovdod", "")).unwrap();
    assert_eq!(e.token, ["https://login.microsoftonline.us"]);
    assert_eq!(e.sign_in, ["https://login.microsoftonline.us"]);
    assert_eq!(e.graph, ["https://dod-graph.microsoft.us"]);
    assert_eq!(e.arm, ["https://management.usgovcloudapi.net"]);
    assert!(
        e.key_vault.is_empty(),
        "ARM mode never calls the data plane"
    );
    let public = endpoints(r#"{ "tenantId": "x" }"#).unwrap();
    assert_eq!(
        public.graph,
        ["https://graph.microsoft.com"],
        "public is the default"
    );
    let dp = endpoints(&config("china", r#", "vault": { "mode": "dataPlane" }"#)).unwrap();
    assert_eq!(dp.key_vault, ["https://*.vault.azure.cn"]);
    let gw =
        r#", "vault": { "mode": "dataPlane", "gateway": "https://kv-gw.contoso.example/api" }"#;
    let gw = endpoints(&config("public", gw)).unwrap();
    assert_eq!(gw.key_vault, ["https://kv-gw.contoso.example"]);
}

#[test]
fn custom_clouds_use_the_metadata_endpoints_or_the_authority() {
    let e = endpoints(&read("static/config.sandbox.json")).unwrap();
    let sandbox = vec!["http://127.0.0.1:8400".to_string()];
    assert_eq!(
        (&e.token, &e.sign_in, &e.graph, &e.arm),
        (&sandbox, &sandbox, &sandbox, &sandbox)
    );
    let no_metadata = r#", "customCloud": { "authority": "https://login.example.org",
        "graph": "https://graph.example.org", "arm": "https://arm.example.org",
        "keyVaultSuffix": ".kv.example.org" }"#;
    let e = endpoints(&config("custom", no_metadata)).unwrap();
    assert_eq!(e.token, ["https://login.example.org"]);
    assert_eq!(e.sign_in, ["https://login.example.org"]);
    for (bad, why) in [
        (config("mars", ""), "unknown"),
        (config("custom", ""), "customCloud is missing"),
        (
            config(
                "custom",
                &no_metadata.replace("https://graph.example.org", "javascript:x"),
            ),
            "customCloud.graph",
        ),
        ("{ broken".to_string(), "config.json"),
    ] {
        let e = endpoints(&bad).unwrap_err();
        assert!(e.contains(why), "{bad}: {e}");
    }
}

#[test]
fn the_named_cloud_table_matches_the_apps() {
    let cloud_rs = read("src/cloud.rs");
    for (name, login, graph, arm) in NAMED_CLOUDS {
        // One entry of `Cloud::named`: the three quoted bases in a row.
        let entry = [login, graph, arm].map(|u| format!("\"{u}\","));
        let found = cloud_rs.match_indices(&entry[0]).any(|(at, _)| {
            let rest = cloud_rs[at + entry[0].len()..].trim_start();
            rest.starts_with(&entry[1])
                && rest[entry[1].len()..].trim_start().starts_with(&entry[2])
        });
        assert!(
            found,
            "{name}: {login}, {graph}, {arm} not an entry of src/cloud.rs"
        );
    }
    for (_, suffix) in VAULT_SUFFIXES {
        assert!(cloud_rs.contains(&format!("\"{suffix}\"")), "{suffix}");
    }
}

fn csp_of(rules: &HeaderRules, path: &str) -> String {
    header(&rules.for_path(path), "content-security-policy").expect("a CSP")
}

fn header(h: &[(String, String)], name: &str) -> Option<String> {
    h.iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.clone())
}

#[test]
fn the_served_policy_is_strict_and_names_the_sandbox() {
    let rules = served_rules(&repo()).unwrap();
    let csp = csp_of(&rules, "/");
    let d: Vec<&str> = csp.split("; ").collect();
    for want in [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "connect-src 'self' http://127.0.0.1:8400",
        "frame-src 'self' http://127.0.0.1:8400",
        "frame-ancestors 'none'",
        "base-uri 'none'",
        "form-action 'none'",
    ] {
        assert!(d.contains(&want), "{want} missing from {csp}");
    }
    assert!(
        !csp.contains("unsafe-inline") && !csp.contains("'unsafe-eval'"),
        "{csp}"
    );
    assert!(!csp.contains('*'), "{csp}");
    let app = rules.for_path("/wizard/new");
    assert_eq!(
        header(&app, "Cross-Origin-Opener-Policy").as_deref(),
        Some("same-origin")
    );
    assert_eq!(
        header(&app, "Referrer-Policy").as_deref(),
        Some("no-referrer")
    );
    assert_eq!(header(&app, "Cache-Control"), None);
    let bridge = rules.for_path("/redirect.html");
    assert_eq!(header(&bridge, "Cross-Origin-Opener-Policy"), None);
    assert_eq!(
        header(&bridge, "Cache-Control").as_deref(),
        Some("no-store")
    );
    let bridge_csp = csp_of(&rules, "/redirect.html");
    assert!(
        bridge_csp.contains("frame-ancestors 'self'"),
        "{bridge_csp}"
    );
    assert!(!bridge_csp.contains("unsafe"), "{bridge_csp}");
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

#[test]
fn the_nginx_reader_refuses_what_it_does_not_check() {
    let https = |inner: &str| {
        format!(
            "server {{ listen 80; server_name a; return 301 https://$host$request_uri; }}\n\
             server {{ listen 443 ssl; server_name a; {inner} }}"
        )
    };
    let ok = nginx_site(&https(
        "location / { try_files $uri /index.html; add_header X-A \"1; 'b'\" always; } # c\n",
    ))
    .unwrap();
    assert_eq!(ok.locations["/"]["x-a"], "1; 'b'");
    assert_eq!(ok.http_return, ["301", "https://$host$request_uri"]);
    for (bad, why) in [
        (
            https(r#"add_header X-A "1" always;"#),
            "HTTPS server: add_header",
        ),
        (https(r#"location / { add_header X-A "1"; }"#), "add_header"),
        (https(r#"location / { expires 1d; }"#), "expires"),
        (
            https(r#"location / { add_header X-A "1" always; add_header x-a "2" always; }"#),
            "twice",
        ),
        (
            https(r#"location / { if ($a) { add_header X-A "1" always; } }"#),
            "block if",
        ),
        (https("location / {"), "never closed"),
        (https(r#"add_header X-A "1 always;"#), "never closed"),
        (https("") + "\nserver { listen 8080; }", "8080"),
        (https("") + "\nserver { listen 80; }", "found 1 and 2"),
        (
            https("").replace("return 301", "add_header X-A 1 always; return 301"),
            "HTTP server: add_header",
        ),
        (https("") + "\nupstream u { }", "top level: upstream"),
    ] {
        let e = nginx_site(&bad).unwrap_err();
        assert!(e.contains(why), "{bad}\n→ {e}");
    }
}

fn expected(rules: &HeaderRules, path: &str) -> BTreeMap<String, String> {
    rules
        .for_path(path)
        .into_iter()
        .map(|(n, v)| (n.to_ascii_lowercase(), v))
        .collect()
}

#[test]
fn nginx_and_static_web_apps_send_the_same_headers_as_headers_json() {
    let rules = site_rules(
        &repo().join("deploy/headers.json"),
        Some(&repo().join("static/config.example.json")),
    )
    .unwrap();
    assert!(csp_of(&rules, "/").contains("connect-src 'self' https://login.microsoftonline.com"));

    let site = nginx_site(&read("deploy/nginx.conf")).unwrap_or_else(|e| panic!("nginx: {e}"));
    let nginx = &site.locations;
    let pairs = [
        ("/", "/wizard/new"),
        (r"~ \.[A-Za-z0-9]+$", "/app.js"),
        ("= /redirect.html", "/redirect.html"),
    ];
    for (location, path) in pairs {
        let got = nginx
            .get(location)
            .unwrap_or_else(|| panic!("nginx: no location {location}"));
        assert_eq!(got, &expected(&rules, path), "nginx location {location}");
    }
    assert_eq!(
        nginx.len(),
        pairs.len(),
        "nginx: a location this test does not check"
    );
    assert!(read("deploy/nginx.conf").contains("try_files $uri $uri/ /index.html;"));
    // Port 80 answers every request with a redirect to the same URL on HTTPS, for the same names.
    assert_eq!(site.http_return, ["301", "https://$host$request_uri"]);
    assert_eq!(
        site.http_name, site.name,
        "the redirect serves the HTTPS server's names"
    );
    // HSTS on every path, in all three files (the comparisons above hold them to headers.json).
    for path in ["/", "/wizard/new", "/app.js", "/redirect.html"] {
        assert_eq!(
            expected(&rules, path)
                .get("strict-transport-security")
                .map(String::as_str),
            Some("max-age=63072000; includeSubDomains"),
            "headers.json: HSTS for {path}"
        );
    }

    let swa = json::parse(&read("deploy/staticwebapp.config.json")).unwrap();
    let strings = |v: Option<&Json>| -> BTreeMap<String, String> {
        match v {
            Some(Json::Object(e)) => e
                .iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), v.as_str().unwrap().to_string()))
                .collect(),
            other => panic!("expected an object of strings, got {other:?}"),
        }
    };
    let global = strings(swa.get("globalHeaders"));
    assert_eq!(global, expected(&rules, "/"), "staticwebapp globalHeaders");
    let Some(Json::Array(routes)) = swa.get("routes") else {
        panic!("routes")
    };
    let route = routes
        .iter()
        .find(|r| r.get("route").and_then(Json::as_str) == Some("/redirect.html"))
        .expect("a /redirect.html route");
    let mut merged = global.clone();
    for (name, value) in strings(route.get("headers")) {
        // Static Web Apps: a route header replaces the global one; "" removes it.
        if value.is_empty() {
            merged.remove(&name);
        } else {
            merged.insert(name, value);
        }
    }
    assert_eq!(
        merged,
        expected(&rules, "/redirect.html"),
        "staticwebapp /redirect.html"
    );
    let fallback = swa.get("navigationFallback").expect("navigationFallback");
    assert_eq!(
        fallback.get("rewrite").and_then(Json::as_str),
        Some("/index.html")
    );
    let excluded = format!("{:?}", fallback.get("exclude"));
    for ext in ["js", "wasm", "css", "json", "/redirect.html"] {
        assert!(
            excluded.contains(ext),
            "navigationFallback must exclude {ext}"
        );
    }
}

#[test]
fn composition_appends_only_the_listed_kinds_once() {
    let headers = json::parse(
        r#"{ "contentSecurityPolicy": ["connect-src 'self' https://graph.microsoft.com;", "img-src 'self'", " "],
             "cspFromConfig": { "connect-src": ["graph", "arm"] } }"#,
    )
    .unwrap();
    let e = endpoints(&config("public", "")).unwrap();
    assert_eq!(
        directives(&headers, Some(&e)).unwrap(),
        [
            "connect-src 'self' https://graph.microsoft.com https://management.azure.com",
            "img-src 'self'"
        ]
    );
    assert_eq!(
        directives(&headers, None).unwrap(),
        [
            "connect-src 'self' https://graph.microsoft.com",
            "img-src 'self'"
        ]
    );
    let bad =
        json::parse(r#"{ "contentSecurityPolicy": ["a b"], "cspFromConfig": { "a": ["ftp"] } }"#);
    assert!(directives(&bad.unwrap(), Some(&e))
        .unwrap_err()
        .contains("ftp"));
    let text = to_text(&json::parse(r#"{"a":["x\"y\\z",null,true,1.5]}"#).unwrap());
    assert_eq!(
        json::parse(&text).unwrap(),
        json::parse(r#"{"a":["x\"y\\z",null,true,1.5]}"#).unwrap()
    );
}
