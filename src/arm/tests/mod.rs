use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::schema::{read_json, Mode, Spec};
use super::*;
use crate::domain::tags::Tags;
use crate::domain::vault_write::VaultSecretWrite;
use crate::domain::SecretValue;
use crate::net::{HttpResponse, Method, Resource};

const BASE: &str = "http://127.0.0.1:8400/arm/";
const SPEC: &str = "keyvault-arm-2025-05-01";
const VAULT_ID: &str = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/sample-group/providers/Microsoft.KeyVault/vaults/sample-vault";

fn example_body(file: &str, status: &str) -> String {
    read_json(SPEC, &format!("examples/{file}"))["responses"][status]["body"].to_string()
}

fn secret(v: &str) -> SecretValue {
    SecretValue::new(Zeroizing::new(v.to_string()))
}

#[test]
fn list_urls_carry_their_api_versions() {
    let s = list_subscriptions(BASE);
    assert_eq!(s.method, Method::Get);
    assert_eq!(s.resource, Resource::Arm);
    assert_eq!(
        s.url,
        "http://127.0.0.1:8400/arm/subscriptions?api-version=2022-12-01"
    );
    assert_eq!(
        list_vaults("https://management.azure.com", "00000000-0000-0000-0000-000000000000").url,
        "https://management.azure.com/subscriptions/00000000-0000-0000-0000-000000000000/providers/Microsoft.KeyVault/vaults?api-version=2025-05-01"
    );
    assert_eq!(
        get_vault(BASE, VAULT_ID).url,
        format!("http://127.0.0.1:8400/arm{VAULT_ID}?api-version=2025-05-01")
    );
    assert_eq!(
        vault_permissions(BASE, VAULT_ID).url,
        format!("http://127.0.0.1:8400/arm{VAULT_ID}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01")
    );
    assert_eq!(
        list_secrets(BASE, VAULT_ID, Some(25)).url,
        format!("http://127.0.0.1:8400/arm{VAULT_ID}/secrets?$top=25&api-version=2025-05-01")
    );
    assert_eq!(
        get_secret(BASE, VAULT_ID, "payroll-api").url,
        format!("http://127.0.0.1:8400/arm{VAULT_ID}/secrets/payroll-api?api-version=2025-05-01")
    );
    let next = next_page("https://management.azure.com/x?$skiptoken=a", &s);
    assert_eq!(next.url, "https://management.azure.com/x?$skiptoken=a");
    assert_eq!(next.resource, Resource::Arm);
}

#[test]
fn put_secret_body_fits_the_spec_schema() {
    let mut tags = Tags::new();
    tags.insert("CredentialId".into(), "f0b0b335".into());
    let write = VaultSecretWrite::for_client_secret(
        tags,
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    let s = secret("[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8");
    let req = put_secret(BASE, VAULT_ID, "payroll-api", &s, &write);
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.resource, Resource::Arm);
    assert_eq!(
        req.url,
        format!("http://127.0.0.1:8400/arm{VAULT_ID}/secrets/payroll-api?api-version=2025-05-01")
    );
    assert!(!format!("{req:?}").contains("WRXAJ"));
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({
            "tags": {"CredentialId": "f0b0b335"},
            "properties": {
                "value": "[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8",
                "contentType": "client-secret",
                "attributes": {"enabled": true, "nbf": 1735689600, "exp": 1767225600}
            }
        })
    );
    let mut spec = Spec::new(SPEC);
    let errors = spec.check(
        "secrets.json",
        "SecretCreateOrUpdateParameters",
        &body,
        Mode::Request,
    );
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn minimal_put_matches_the_spec_example_request() {
    let req = put_secret(
        BASE,
        VAULT_ID,
        "secret-name",
        &secret("secret-value"),
        &VaultSecretWrite::default(),
    );
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    let example = read_json(SPEC, "examples/createSecret.json");
    assert_eq!(body, example["parameters"]["parameters"]);
    let mut spec = Spec::new(SPEC);
    assert!(spec
        .check(
            "secrets.json",
            "SecretCreateOrUpdateParameters",
            &body,
            Mode::Request
        )
        .is_empty());
}

#[test]
fn parses_the_create_and_update_examples() {
    for (file, status, http) in [
        ("createSecret.json", "200", 200),
        ("createSecret.json", "201", 201),
        ("updateSecret.json", "200", 200),
    ] {
        let body = example_body(file, status);
        let mut spec = Spec::new(SPEC);
        let v: Value = serde_json::from_str(&body).unwrap();
        assert!(spec
            .check("secrets.json", "Secret", &v, Mode::Response)
            .is_empty());
        let s = parse_secret(&HttpResponse::new(http, body)).unwrap();
        assert_eq!(s.name, "secret-name");
        assert_eq!(
            s.secret_uri.as_deref(),
            Some("https://sample-vault.vault.azure.net/secrets/secret-name")
        );
        assert_eq!(s.enabled, Some(true));
        assert!(s.created.is_some());
        assert_eq!(s.version().map(str::len), Some(32));
    }
    let created = parse_secret(&HttpResponse::new(
        201,
        example_body("createSecret.json", "201"),
    ))
    .unwrap();
    assert_eq!(created.version(), Some("baf6de32c4774c7c81345f6476cf90a4"));
    assert_eq!(
        created.created,
        Some(Utc.timestamp_opt(1514938738, 0).unwrap())
    );
}

#[test]
fn parses_one_vault_and_refuses_an_error_body() {
    // A Vaults_Get answer is one element of the list's `value`.
    let list: Value =
        serde_json::from_str(&example_body("listVaultByResourceGroup.json", "200")).unwrap();
    let one = list["value"][0].to_string();
    let v = parse_vault(&HttpResponse::new(200, one)).unwrap();
    assert_eq!(v.name, "sample-vault");
    let missing = json!({"error": {"code": "ResourceNotFound", "message": "The Resource 'Microsoft.KeyVault/vaults/kv-gone' under resource group 'rg' was not found."}});
    assert!(parse_vault(&HttpResponse::new(404, missing.to_string())).is_err());
}

#[test]
fn parses_the_vault_list_examples() {
    for file in [
        "listVaultBySubscription.json",
        "listVaultByResourceGroup.json",
    ] {
        let page = parse_vaults(&HttpResponse::new(200, example_body(file, "200"))).unwrap();
        let v = &page.value[0];
        assert_eq!(v.name, "sample-vault");
        assert_eq!(v.resource_group(), Some("sample-group"));
        assert_eq!(
            v.subscription_id(),
            Some("00000000-0000-0000-0000-000000000000")
        );
        assert_eq!(
            v.properties.vault_uri.as_deref(),
            Some("https://sample-vault.vault.azure.net/")
        );
        assert_eq!(
            v.properties.sku.as_ref().unwrap().name.as_deref(),
            Some("premium")
        );
        assert!(!v.uses_rbac());
        assert!(!v.restricts_network());
        assert!(page.next_link.unwrap().contains("$skiptoken="));
    }
}

#[test]
fn vault_flags_for_rbac_and_firewall() {
    let body = json!({"value": [{
        "id": "/subscriptions/s/resourceGroups/rg-1/providers/Microsoft.KeyVault/vaults/kv-a",
        "name": "kv-a", "location": "westeurope", "tags": null,
        "properties": {"vaultUri": "http://127.0.0.1:8400/kv/kv-a/", "enableRbacAuthorization": true,
                       "networkAcls": {"defaultAction": "Deny", "bypass": "AzureServices"},
                       "tenantId": "t"}
    }]});
    let page = parse_vaults(&HttpResponse::new(200, body.to_string())).unwrap();
    let v = &page.value[0];
    assert!(v.uses_rbac() && v.restricts_network());
    assert!(v.tags.is_empty());
    assert_eq!(page.next_link, None);
}

#[test]
fn parses_subscriptions_and_permissions() {
    let subs = parse_subscriptions(&HttpResponse::new(
        200,
        json!({"value": [
            {"id": "/subscriptions/1", "subscriptionId": "1", "displayName": "Prod", "state": "Enabled", "tenantId": "t"},
            {"id": "/subscriptions/2", "subscriptionId": "2", "displayName": "Old", "state": "Disabled", "tenantId": "t"}
        ], "count": {"type": "Total", "value": 2}})
        .to_string(),
    ))
    .unwrap();
    assert_eq!(subs.value[0].display_name, "Prod");
    assert!(subs.value[0].is_enabled() && !subs.value[1].is_enabled());
    let perms = parse_permissions(&HttpResponse::new(
        200,
        json!({"value": [{"actions": ["Microsoft.KeyVault/*"], "notActions": [], "dataActions": [], "notDataActions": []}], "nextLink": null}).to_string(),
    ))
    .unwrap();
    assert!(can(&perms.value, SECRETS_WRITE, false));
    assert!(!can(&perms.value, SECRETS_SET_DATA, true));
}

#[test]
fn secret_list_never_has_values() {
    let body = json!({"value": [json!(read_json(SPEC, "examples/updateSecret.json")["responses"]["200"]["body"])]});
    let page = parse_secret_list(&HttpResponse::new(200, body.to_string())).unwrap();
    assert_eq!(page.value.len(), 1);
    assert_eq!(
        page.value[0].version(),
        Some("b8c802f549764f2d97885d152f92ee9d")
    );
}

mod errors;
mod read;
