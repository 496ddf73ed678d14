//! The CSP origins per cloud, the served policy and how the kinds compose.

use super::*;

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
    let cloud_rs = read("src/cloud/mod.rs");
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
            "{name}: {login}, {graph}, {arm} not an entry of src/cloud/mod.rs"
        );
    }
    for (_, suffix) in VAULT_SUFFIXES {
        assert!(cloud_rs.contains(&format!("\"{suffix}\"")), "{suffix}");
    }
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
