//! config.json parsing, table-driven: every bad config names the file and the field, and the
//! shipped examples parse to the values docs/contracts.md gives.
#![cfg(not(target_arch = "wasm32"))]

use secret_wizard::cloud::CloudName;
use secret_wizard::config::{Config, ConfigError, VaultMode};
use secret_wizard::net::Resource;
use serde_json::{json, Value};

const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
const CLIENT: &str = "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c";
const VAULT: &str = "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-payroll";

fn minimal() -> Value {
    json!({ "tenantId": TENANT, "clientId": CLIENT })
}

fn sandbox() -> Value {
    serde_json::from_str(include_str!("../static/config.sandbox.json")).unwrap()
}

/// `base` with the JSON pointer `path` set to `value` (or removed when `value` is `None`).
fn with(mut base: Value, path: &str, value: Option<Value>) -> Value {
    let (parent, key) = path.rsplit_once('/').unwrap();
    let obj = base.pointer_mut(parent).unwrap().as_object_mut().unwrap();
    match value {
        Some(v) => obj.insert(key.to_string(), v),
        None => obj.remove(key),
    };
    base
}

fn parse(v: &Value) -> Result<Config, ConfigError> {
    Config::parse(&v.to_string())
}

#[test]
fn bad_configs_name_the_file_and_the_field() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("no clientId", with(minimal(), "/clientId", None), "config.json: field \"clientId\" is missing"),
        ("no tenantId", with(minimal(), "/tenantId", None), "config.json: field \"tenantId\" is missing"),
        ("clientId not a GUID", with(minimal(), "/clientId", Some(json!("my-app"))), "config.json: field \"clientId\" is not a GUID"),
        ("clientId a number", with(minimal(), "/clientId", Some(json!(42))), "config.json: field \"clientId\" must be a string"),
        ("clientId empty", with(minimal(), "/clientId", Some(json!("  "))), "config.json: field \"clientId\" is empty"),
        ("placeholder tenant", with(minimal(), "/tenantId", Some(json!("00000000-0000-0000-0000-000000000000"))), "config.json: field \"tenantId\" is still the all-zero placeholder GUID"),
        ("unknown cloud", with(minimal(), "/cloud", Some(json!("mars"))), "config.json: cloud \"mars\" is unknown: use public, usgov, usgovdod, china or custom"),
        ("custom without customCloud", with(minimal(), "/cloud", Some(json!("custom"))), "config.json: field \"customCloud\" is missing"),
        ("customCloud on a named cloud", with(with(sandbox(), "/cloud", Some(json!("public"))), "/tenantId", Some(json!(TENANT))), "config.json: field \"customCloud\" is only used when cloud is \"custom\" (cloud is \"public\")"),
        ("graph over plain http", with(sandbox(), "/customCloud/graph", Some(json!("http://graph.example.com"))), "config.json: customCloud.graph must be an https URL, or http only on 127.0.0.1/localhost"),
        ("arm not a URL", with(sandbox(), "/customCloud/arm", Some(json!("management"))), "config.json: customCloud.arm must be an https URL, or http only on 127.0.0.1/localhost"),
        ("http authority", with(sandbox(), "/customCloud/authority", Some(json!("http://127.0.0.1:8400"))), "config.json: customCloud.authority must be an https URL"),
        ("authority with a path", with(sandbox(), "/customCloud/authority", Some(json!("https://login.example.com/tenant"))), "config.json: field \"customCloud.authority\" must be the sign-in host only"),
        ("metadata without token endpoint", with(sandbox(), "/customCloud/authorityMetadata/token_endpoint", None), "config.json: field \"customCloud.authorityMetadata.token_endpoint\" is missing"),
        ("metadata endpoint on a remote http host", with(sandbox(), "/customCloud/authorityMetadata/jwks_uri", Some(json!("http://idp.example.com/keys"))), "config.json: customCloud.authorityMetadata.jwks_uri must be an https URL, or http only"),
        ("resource over http", with(sandbox(), "/customCloud/resources/keyVault", Some(json!("http://127.0.0.1:8400/kv"))), "config.json: customCloud.resources.keyVault must be an https URL"),
        ("bad vault suffix", with(sandbox(), "/customCloud/keyVaultSuffix", Some(json!("vault.azure.net"))), "config.json: field \"customCloud.keyVaultSuffix\" must be a DNS suffix"),
        ("typo in a setting", with(minimal(), "/clientID", Some(json!(CLIENT))), "config.json: field \"clientID\" is not a known setting"),
        ("typo in policy", with(minimal(), "/policy", Some(json!({"maxLifetimedays": 10}))), "config.json: field \"policy.maxLifetimedays\" is not a known setting"),
        ("max lifetime too long", with(minimal(), "/policy", Some(json!({"maxLifetimeDays": 3651}))), "config.json: field \"policy.maxLifetimeDays\" must be between 1 and 3650"),
        ("max lifetime zero", with(minimal(), "/policy", Some(json!({"maxLifetimeDays": 0}))), "config.json: field \"policy.maxLifetimeDays\" must be between 1 and 3650"),
        ("max lifetime fractional", with(minimal(), "/policy", Some(json!({"maxLifetimeDays": 1.5}))), "config.json: field \"policy.maxLifetimeDays\" must be a whole number"),
        ("default above max", with(minimal(), "/policy", Some(json!({"maxLifetimeDays": 180, "defaultLifetimeDays": 365}))), "config.json: field \"policy.defaultLifetimeDays\" must be between 1 and maxLifetimeDays (180)"),
        ("clipboard too long", with(minimal(), "/policy", Some(json!({"clipboardClearSeconds": 86400}))), "config.json: field \"policy.clipboardClearSeconds\" must be between 0 (never clear) and 3600"),
        ("policy not an object", with(minimal(), "/policy", Some(json!(730))), "config.json: field \"policy\" must be an object"),
        ("vault mode", with(minimal(), "/vault", Some(json!({"mode": "direct"}))), "config.json: field \"vault.mode\" must be \"arm\" or \"dataPlane\""),
        ("gateway in arm mode", with(minimal(), "/vault", Some(json!({"gateway": "https://kv-gateway.contoso.com"}))), "config.json: field \"vault.gateway\" is only used when vault.mode is \"dataPlane\""),
        ("gateway over remote http", with(minimal(), "/vault", Some(json!({"mode": "dataPlane", "gateway": "http://kv-gateway.contoso.com"}))), "config.json: vault.gateway must be an https URL, or http only on 127.0.0.1/localhost"),
        ("default vault not an ID", with(minimal(), "/vault", Some(json!({"default": "kv-payroll"}))), "config.json: field \"vault.default\" is not a Key Vault resource ID"),
        ("allowed entry not an ID", with(minimal(), "/vault", Some(json!({"allowed": [VAULT, "/subscriptions/x"]}))), "config.json: field \"vault.allowed[1]\" is not a Key Vault resource ID"),
        ("default outside allowed", with(minimal(), "/vault", Some(json!({"default": VAULT, "allowed": [VAULT.replace("kv-payroll", "kv-other")]}))), "config.json: field \"vault.default\" is not in vault.allowed"),
        ("unknown name placeholder", with(minimal(), "/vault", Some(json!({"secretNameTemplate": "{application}-secret"}))), "config.json: field \"vault.secretNameTemplate\" uses unknown placeholder {application}: use {app}, {appId} or {date}"),
        ("unclosed placeholder", with(minimal(), "/vault", Some(json!({"secretNameTemplate": "{app"}))), "config.json: field \"vault.secretNameTemplate\" has a \"{\" without a \"}\""),
        ("redirect path absolute URL", with(minimal(), "/redirectPath", Some(json!("https://evil.example/r"))), "config.json: field \"redirectPath\" must be a path on this site"),
        ("redirect path protocol-relative", with(minimal(), "/redirectPath", Some(json!("//evil.example/r"))), "config.json: field \"redirectPath\" must be a path on this site"),
        ("not an object", json!(["tenantId"]), "config.json must hold a JSON object"),
    ];
    for (name, value, want) in cases {
        let err = parse(&value).expect_err(name);
        let text = err.to_string();
        assert!(
            text.starts_with(want),
            "{name}: got {text:?}, want it to start with {want:?}"
        );
    }
}

#[test]
fn malformed_json_says_where() {
    let err = Config::parse("{ \"tenantId\": \"x\", ").unwrap_err();
    assert!(
        matches!(err, ConfigError::NotJson { line: 1, .. }),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .starts_with("config.json is not valid JSON (line 1"));
    assert_eq!(err.field(), None);
}

#[test]
fn the_user_message_follows_the_ux_wording() {
    let err = parse(&with(minimal(), "/clientId", None)).unwrap_err();
    assert_eq!(err.field(), Some("clientId"));
    assert_eq!(
        err.user_message(),
        "This site isn't configured yet: config.json is missing field \"clientId\". See the README's deployment section."
    );
    let missing = ConfigError::NotFound { status: 404 };
    assert_eq!(
        missing.user_message(),
        "This site isn't configured yet: config.json was not found. See the README's deployment section."
    );
    let cloud = parse(&with(minimal(), "/cloud", Some(json!("mars")))).unwrap_err();
    assert_eq!(cloud.field(), Some("cloud"));
    assert!(cloud.user_message().contains("cloud \"mars\" is unknown"));
}

#[test]
fn long_values_are_not_echoed_in_full() {
    let long = "x".repeat(500);
    let err = parse(&with(minimal(), "/cloud", Some(json!(long)))).unwrap_err();
    assert!(err.to_string().len() < 150, "{err}");
}

#[test]
fn the_sandbox_config_matches_the_contract() {
    let c = parse(&sandbox()).unwrap();
    assert_eq!(c.tenant_id, TENANT);
    assert_eq!(c.client_id, CLIENT);
    assert_eq!(c.cloud.name, CloudName::Custom);
    assert_eq!(c.graph_base(), "http://127.0.0.1:8400/graph");
    assert_eq!(c.arm_base(), "http://127.0.0.1:8400/arm");
    assert_eq!(
        c.scope(Resource::Graph),
        "https://graph.microsoft.com/.default"
    );
    assert_eq!(
        c.scope(Resource::Arm),
        "https://management.azure.com/.default"
    );
    assert_eq!(
        c.scope(Resource::KeyVault),
        "https://vault.azure.net/.default"
    );
    let msal = c.msal("http://127.0.0.1:8080");
    assert_eq!(
        msal.authority,
        format!("https://login.sandbox.localhost/{TENANT}")
    );
    assert_eq!(
        msal.known_authorities,
        vec!["login.sandbox.localhost".to_string()]
    );
    assert_eq!(msal.redirect_uri, "http://127.0.0.1:8080/redirect.html");
    assert_eq!(msal.post_logout_redirect_uri, "http://127.0.0.1:8080/");
    let meta: Value = serde_json::from_str(msal.authority_metadata.as_deref().unwrap()).unwrap();
    assert_eq!(
        meta["token_endpoint"],
        format!("http://127.0.0.1:8400/{TENANT}/oauth2/v2.0/token")
    );
    assert_eq!(
        meta["end_session_endpoint"],
        format!("http://127.0.0.1:8400/{TENANT}/oauth2/v2.0/logout")
    );
    assert_eq!(c.policy.max_lifetime_days, 730);
    assert_eq!(c.policy.default_lifetime_days, 180, "the built-in default");
    assert_eq!(c.vault.mode, VaultMode::Arm);
    assert_eq!(c.vault.default, None);
}

#[test]
fn a_named_cloud_needs_only_the_two_ids() {
    for (cloud, authority, graph) in [
        (
            "public",
            "https://login.microsoftonline.com",
            "https://graph.microsoft.com",
        ),
        (
            "usgov",
            "https://login.microsoftonline.us",
            "https://graph.microsoft.us",
        ),
        (
            "usgovdod",
            "https://login.microsoftonline.us",
            "https://dod-graph.microsoft.us",
        ),
        (
            "china",
            "https://login.chinacloudapi.cn",
            "https://microsoftgraph.chinacloudapi.cn",
        ),
    ] {
        let c = parse(&with(minimal(), "/cloud", Some(json!(cloud)))).unwrap();
        let msal = c.msal("https://wizard.contoso.com/");
        assert_eq!(msal.authority, format!("{authority}/{TENANT}"), "{cloud}");
        assert!(msal.known_authorities.is_empty());
        assert_eq!(msal.authority_metadata, None);
        assert_eq!(
            msal.redirect_uri,
            "https://wizard.contoso.com/redirect.html"
        );
        assert_eq!(c.graph_base(), graph);
    }
    let c = parse(&minimal()).unwrap();
    assert_eq!(c.cloud.name, CloudName::Public, "cloud defaults to public");
    assert_eq!(c.policy.max_lifetime_days, 730);
    // Short lifetimes: Microsoft recommends under 12 months (`config::DEFAULT_LIFETIME_DAYS`).
    assert_eq!(c.policy.default_lifetime_days, 180);
    assert_eq!(c.policy.clipboard_clear_seconds, 60);
    assert_eq!(c.vault.secret_name_template, "{app}-client-secret");
    // One resource's `.default` and nothing else (AADSTS70011 otherwise).
    assert_eq!(
        c.sign_in_scopes(),
        vec!["https://graph.microsoft.com/.default".to_string()]
    );
}

#[test]
fn the_preselected_lifetime_is_180_days_unless_config_says_otherwise() {
    let policy = |p: Value| parse(&with(minimal(), "/policy", Some(p))).unwrap().policy;
    let p = policy(json!({}));
    assert_eq!((p.max_lifetime_days, p.default_lifetime_days), (730, 180));
    let p = policy(json!({"maxLifetimeDays": 3650}));
    assert_eq!(
        (p.max_lifetime_days, p.default_lifetime_days),
        (3650, 180),
        "a longer maximum keeps the short default"
    );
    let p = policy(json!({"maxLifetimeDays": 90}));
    assert_eq!(p.default_lifetime_days, 90, "clipped to a lower maximum");
    let p = policy(json!({"defaultLifetimeDays": 365}));
    assert_eq!(
        (p.max_lifetime_days, p.default_lifetime_days),
        (730, 365),
        "config's own default wins"
    );
    let p = policy(json!({"maxLifetimeDays": 730, "defaultLifetimeDays": 730}));
    assert_eq!(p.default_lifetime_days, 730);
}

#[test]
fn good_optional_settings_are_read() {
    let v = with(
        with(
            with(minimal(), "/policy", Some(json!({"maxLifetimeDays": 180}))),
            "/vault",
            Some(json!({
                "default": VAULT.to_uppercase().replace("SUBSCRIPTIONS", "subscriptions"),
                "allowed": [VAULT],
                "secretNameTemplate": "{app}-{date}",
                "mode": "dataPlane",
                "gateway": "https://kv-gateway.contoso.com/"
            })),
        ),
        "/$comment",
        Some(json!("comments are allowed")),
    );
    let c = parse(&v).unwrap();
    assert_eq!(c.policy.max_lifetime_days, 180);
    assert_eq!(
        c.policy.default_lifetime_days, 180,
        "default follows a lower max"
    );
    let d = c.vault.default.as_ref().unwrap();
    assert_eq!(d.name, "KV-PAYROLL");
    assert_eq!(d.subscription_id, "11111111-2222-4333-8444-555555555555");
    assert!(c.vault.allows(d), "IDs compare case-insensitively");
    assert_eq!(c.vault.mode, VaultMode::DataPlane);
    assert_eq!(
        c.vault.gateway.as_deref(),
        Some("https://kv-gateway.contoso.com")
    );
    assert_eq!(c.vault.secret_name_template, "{app}-{date}");
    let nulls = with(minimal(), "/redirectPath", Some(Value::Null));
    assert_eq!(parse(&nulls).unwrap().redirect_path, "/redirect.html");
}

#[test]
fn the_example_config_is_valid_json_with_placeholders_to_replace() {
    let err = Config::parse(include_str!("../static/config.example.json")).unwrap_err();
    assert_eq!(err.field(), Some("tenantId"), "{err}");
}

/// MSAL takes the first path segment of the `authorityMetadata` endpoints to be the tenant
/// (msal-common `Authority.replacePath`; ../shared/docs/azure-apis.md §7.4): each endpoint must
/// start with `/{tenantId}/` after the host, and the refusal names the field and says why.
#[test]
fn custom_cloud_endpoints_must_start_with_the_tenant() {
    let fields = [
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "end_session_endpoint",
        "jwks_uri",
    ];
    let other_tenant = "11111111-2222-4333-8444-555555555555";
    let bad_urls = [
        "http://127.0.0.1:8400/oauth2/v2.0/token".to_string(),
        format!("http://127.0.0.1:8400/sandbox/{TENANT}/oauth2/v2.0/token"),
        format!("http://127.0.0.1:8400/{other_tenant}/oauth2/v2.0/token"),
        "http://127.0.0.1:8400/common/oauth2/v2.0/token".to_string(),
        "http://127.0.0.1:8400/organizations/v2.0".to_string(),
        format!("http://127.0.0.1:8400/{TENANT}x/v2.0"),
        "http://127.0.0.1:8400".to_string(),
        format!("http://127.0.0.1:8400?t=/{TENANT}/"),
    ];
    for field in fields {
        for url in &bad_urls {
            let config = with(
                sandbox(),
                &format!("/customCloud/authorityMetadata/{field}"),
                Some(json!(url)),
            );
            let err = parse(&config).expect_err(url);
            assert_eq!(
                err.field(),
                Some(format!("customCloud.authorityMetadata.{field}").as_str()),
                "{url}"
            );
            let text = err.to_string();
            assert!(
                text.starts_with(&format!(
                    "config.json: field \"customCloud.authorityMetadata.{field}\" must start with /{TENANT}/ after the host"
                )),
                "{text}"
            );
            assert!(
                text.ends_with("MSAL reads the first path segment as the tenant ID"),
                "{text}"
            );
        }
        // The tenant first, in any case, on https or loopback http: accepted.
        for good in [
            format!("https://login.contoso.example/{TENANT}/oauth2/v2.0/x"),
            format!("http://127.0.0.1:8400/{}/v2.0", TENANT.to_ascii_uppercase()),
            format!("https://login.contoso.example/{TENANT}/"),
            format!("https://login.contoso.example/{TENANT}"),
        ] {
            let config = with(
                sandbox(),
                &format!("/customCloud/authorityMetadata/{field}"),
                Some(json!(good)),
            );
            parse(&config).unwrap_or_else(|e| panic!("{field} = {good}: {e}"));
        }
    }
    // The shipped sandbox config serves identity at /{tenant}/… and passes.
    let c = parse(&sandbox()).expect("static/config.sandbox.json");
    assert!(c
        .authority_metadata
        .as_deref()
        .unwrap()
        .contains(&format!("/{TENANT}/oauth2/v2.0/token")));
    // A URL that is not acceptable at all is still refused as a URL first.
    let remote_http = with(
        sandbox(),
        "/customCloud/authorityMetadata/token_endpoint",
        Some(json!("http://idp.evil.example/token")),
    );
    assert!(matches!(
        parse(&remote_http),
        Err(ConfigError::BadUrl { .. })
    ));
}

/// Loopback vaults (`http://127.0.0.1:8400/kv/{vault}`) are the sandbox's alone: a custom cloud
/// whose sign-in host is under `.localhost` (RFC 6761's loopback-only name, which no real
/// identity provider can use), and then only on the origin it serves ARM from. Any other custom
/// cloud, whatever its endpoints, gets Key Vault tokens for `https://{vault}{keyVaultSuffix}` only,
/// so a tampered `vaultUri` can't send a token (or the value) to a process on the user's machine.
#[test]
fn loopback_vaults_only_for_the_sandbox() {
    use secret_wizard::destinations::{Destinations, VaultHosts};
    let loopback_vault = "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/a?api-version=7.5";

    let sandbox_config = parse(&sandbox()).unwrap();
    assert!(sandbox_config.cloud.is_sandbox());
    let d = Destinations::from_config(&sandbox_config);
    assert!(d.allows(Resource::KeyVault, loopback_vault));
    assert!(!d.allows(
        Resource::KeyVault,
        "http://127.0.0.1:8401/kv/kv-contoso-dev/secrets/a"
    ));
    assert_eq!(
        VaultHosts::from_config(&sandbox_config)
            .vault_of(loopback_vault)
            .as_deref(),
        Some("kv-contoso-dev")
    );

    for authority in [
        "https://login.contoso.example",
        "https://login.localhost.contoso.example",
        "https://localhost.example",
    ] {
        let config = parse(&with(
            sandbox(),
            "/customCloud/authority",
            Some(json!(authority)),
        ))
        .unwrap_or_else(|e| panic!("{authority}: {e}"));
        assert!(!config.cloud.is_sandbox(), "{authority}");
        let d = Destinations::from_config(&config);
        assert!(
            !d.allows(Resource::KeyVault, loopback_vault),
            "{authority}: a custom cloud that is not the sandbox got a loopback vault"
        );
        // Its own Graph and ARM (loopback here) and real vault hosts still work.
        assert!(d.allows(Resource::Arm, "http://127.0.0.1:8400/arm/subscriptions"));
        assert!(d.allows(
            Resource::KeyVault,
            "https://kv-contoso-dev.vault.azure.net/secrets/a"
        ));
    }

    // The sandbox sign: a `.localhost` (or `localhost`) sign-in host on a custom cloud.
    let localhost = parse(&with(
        sandbox(),
        "/customCloud/authority",
        Some(json!("https://localhost")),
    ))
    .unwrap();
    assert!(localhost.cloud.is_sandbox());
    // A named cloud never is, and never gets loopback vaults.
    let public = parse(&minimal()).unwrap();
    assert!(!public.cloud.is_sandbox());
    assert!(!Destinations::from_config(&public).allows(Resource::KeyVault, loopback_vault));
    // The sandbox whose ARM is not on loopback serves no loopback vaults either.
    let remote_arm = parse(&with(
        sandbox(),
        "/customCloud/arm",
        Some(json!("https://arm.contoso.example")),
    ))
    .unwrap();
    assert!(!Destinations::from_config(&remote_arm).allows(Resource::KeyVault, loopback_vault));
}
