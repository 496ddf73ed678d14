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
