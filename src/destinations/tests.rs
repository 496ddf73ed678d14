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
    let text = include_str!("../../static/config.sandbox.json");
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
