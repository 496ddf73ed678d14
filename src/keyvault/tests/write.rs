//! Set-secret requests against the Key Vault 7.5 spec and the parse of its answer.

use super::*;

#[test]
fn set_secret_request_fits_the_spec() {
    let mut tags = Tags::new();
    tags.insert("CreatedWith".into(), "secret-wizard".into());
    let write = VaultSecretWrite::for_client_secret(
        tags,
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    let secret = SecretValue::new(Zeroizing::new("s3cr3t~value\"x".to_string()));
    let req = set_secret(VAULT, "payroll-api", &secret, &write);
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.resource, Resource::KeyVault);
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api?api-version=7.5"
    );
    assert!(!format!("{req:?}").contains("s3cr3t"));
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"value": "s3cr3t~value\"x", "contentType": "client-secret",
               "tags": {"CreatedWith": "secret-wizard"},
               "attributes": {"enabled": true, "nbf": 1735689600, "exp": 1767225600}})
    );
    let errors = Spec::new(SPEC).check("secrets.json", "SecretSetParameters", &body, Mode::Request);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn minimal_set_secret_matches_the_spec_example_request() {
    let secret = SecretValue::new(Zeroizing::new("mysecretvalue".to_string()));
    let req = set_secret(
        "https://myvault.vault.azure.net/",
        "crpsecret",
        &secret,
        &VaultSecretWrite::default(),
    );
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    let ex = example("SetSecret-example.json");
    assert_eq!(body, ex["parameters"]["parameters"]);
    assert_eq!(
        req.url,
        "https://myvault.vault.azure.net/secrets/crpsecret?api-version=7.5"
    );
}

#[test]
fn parses_the_set_secret_example_without_keeping_the_value() {
    let body = example("SetSecret-example.json")["responses"]["200"]["body"].to_string();
    assert!(body.contains("mysecretvalue"));
    let s = parse_set_secret(HttpResponse::new(200, body)).unwrap();
    assert_eq!(
        s.base_uri(),
        "https://myvault.vault.azure.net/secrets/crpsecret"
    );
    assert_eq!(s.version(), Some("03bcccc7c8cf4546a0e3e21e52560441"));
    assert_eq!(s.recovery_level.as_deref(), Some("Recoverable+Purgeable"));
    assert_eq!(s.created, Some(Utc.timestamp_opt(1493938459, 0).unwrap()));
    assert!(!format!("{s:?}").contains("mysecretvalue"));
}
