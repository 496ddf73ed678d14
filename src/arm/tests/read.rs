//! The readers of `read.rs` against the derived `Deserialize` they replace: every spec example
//! and every variant of it with one member (at any depth) missing, `null` or of another type
//! reads the same. A vault secret's old derived wire type is kept here as the oracle.

use std::collections::BTreeMap;
use std::fmt::Debug;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::json;

use crate::arm::schema::read_json;
use crate::arm::*;
use crate::net::HttpResponse;
use crate::wire::{from_unix, oracle, SecretAttributes};

const SPEC: &str = "keyvault-arm-2025-05-01";

fn same_as_derived<T: DeserializeOwned + PartialEq + Debug>(
    doc: &str,
    ours: fn(&HttpResponse) -> Result<T, ArmError>,
) {
    oracle::same_as_derived(
        doc,
        |text| ours(&HttpResponse::new(200, text)),
        |e| matches!(e, ArmError::Malformed { status: 200, .. }),
    );
}

fn example(file: &str, status: &str) -> String {
    read_json(SPEC, &format!("examples/{file}"))["responses"][status]["body"].to_string()
}

#[test]
fn vaults_read_as_derived() {
    same_as_derived(
        &example("listVaultBySubscription.json", "200"),
        parse_vaults,
    );
    same_as_derived(
        &example("listVaultByResourceGroup.json", "200"),
        parse_vaults,
    );
    let full = json!({
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv",
        "name": "kv", "location": "westeurope", "tags": {"team": "payroll"},
        "properties": {"vaultUri": "https://kv.vault.azure.net/", "tenantId": "t",
            "enableRbacAuthorization": true, "networkAcls": {"defaultAction": "Deny"},
            "publicNetworkAccess": "Disabled", "sku": {"family": "A", "name": "standard"}}
    });
    same_as_derived(&full.to_string(), parse_vault);
}

#[test]
fn subscriptions_and_permissions_read_as_derived() {
    same_as_derived(
        &json!({"value": [{"id": "/subscriptions/1", "subscriptionId": "1", "displayName": "Prod",
            "state": "Enabled", "tenantId": "t"}], "nextLink": "https://arm.test/next"})
        .to_string(),
        parse_subscriptions,
    );
    same_as_derived(
        &json!({"value": [{"actions": ["Microsoft.KeyVault/*"], "notActions": ["a"],
            "dataActions": ["b"], "notDataActions": []}], "nextLink": null})
        .to_string(),
        parse_permissions,
    );
}

/// How a vault secret was read before: a derived wire type made into an [`ArmSecret`].
#[derive(Deserialize)]
struct WireSecret {
    id: String,
    name: String,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    properties: Option<WireProperties>,
}

#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
struct WireProperties {
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    secret_uri: Option<String>,
    #[serde(default)]
    secret_uri_with_version: Option<String>,
    #[serde(default)]
    attributes: Option<SecretAttributes>,
}

#[derive(Debug, PartialEq)]
struct Derived(ArmSecret);

impl<'de> Deserialize<'de> for Derived {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let w = WireSecret::deserialize(d)?;
        let p = w.properties.unwrap_or_default();
        let a = p.attributes.unwrap_or_default();
        Ok(Derived(ArmSecret {
            id: w.id,
            name: w.name,
            tags: w.tags.unwrap_or_default(),
            content_type: p.content_type,
            secret_uri: p.secret_uri,
            secret_uri_with_version: p.secret_uri_with_version,
            enabled: a.enabled,
            not_before: from_unix(a.nbf),
            expires: from_unix(a.exp),
            created: from_unix(a.created),
            updated: from_unix(a.updated),
        }))
    }
}

#[test]
fn secrets_read_as_the_old_wire_type() {
    let full = json!({
        "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv/secrets/n",
        "name": "n", "tags": {"ClientId": "c"},
        "properties": {"contentType": "text/plain", "secretUri": "https://kv.vault.azure.net/secrets/n",
            "secretUriWithVersion": "https://kv.vault.azure.net/secrets/n/v1",
            "attributes": {"enabled": true, "nbf": 1700000000, "exp": 1800000000,
                "created": 1690000000, "updated": 1690000001}}
    });
    for doc in [
        full.to_string(),
        example("updateSecret.json", "200"),
        example("createSecret.json", "201"),
    ] {
        oracle::same_as_derived(
            &doc,
            |text| parse_secret(&HttpResponse::new(200, text)).map(Derived),
            |e| matches!(e, ArmError::Malformed { status: 200, .. }),
        );
    }
    let e = parse_secret(&HttpResponse::new(
        200,
        r#"{"id":"i","name":"n","properties":{"attributes":{"exp":"soon"}}}"#,
    ))
    .unwrap_err();
    assert!(
        e.details()
            .ends_with("unexpected shape: properties.attributes.exp: expected an integer"),
        "{}",
        e.details()
    );
}
