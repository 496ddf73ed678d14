//! The nginx reader refuses what it cannot check; nginx and Static Web Apps send headers.json.

use super::*;

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
