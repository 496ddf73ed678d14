//! Request builders. Each takes the ARM base URL from config (`https://management.azure.com`
//! or `http://127.0.0.1:8400/arm`) and, where needed, a vault's full resource ID
//! (`/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/{name}`).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::secret::secret_json_body;
use crate::domain::vault_write::{VaultSecretAttributes, VaultSecretWrite};
use crate::domain::SecretValue;
use crate::net::{encode, HttpRequest, Method, Resource};
use crate::wire::is_default;

/// api-version of the subscriptions list.
pub const SUBSCRIPTIONS_API: &str = "2022-12-01";
/// api-version of Microsoft.KeyVault (vaults and vaults/secrets).
pub const KEYVAULT_API: &str = "2025-05-01";
/// api-version of Microsoft.Authorization/permissions.
pub const PERMISSIONS_API: &str = "2022-04-01";

fn url(base: &str, path: &str, api_version: &str) -> String {
    let sep = if path.contains('?') { '&' } else { '?' };
    format!(
        "{}/{}{sep}api-version={api_version}",
        base.trim_end_matches('/'),
        path.trim_start_matches('/')
    )
}

fn get(url: String) -> HttpRequest {
    HttpRequest::new(Method::Get, url, Resource::Arm)
}

fn vault_path(vault_id: &str) -> &str {
    vault_id.trim_matches('/')
}

/// `GET /subscriptions`.
pub fn list_subscriptions(base: &str) -> HttpRequest {
    get(url(base, "subscriptions", SUBSCRIPTIONS_API))
}

/// `GET /subscriptions/{id}/providers/Microsoft.KeyVault/vaults`.
pub fn list_vaults(base: &str, subscription_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "subscriptions/{}/providers/Microsoft.KeyVault/vaults",
            encode(subscription_id)
        ),
        KEYVAULT_API,
    ))
}

/// `GET {vault id}`: one vault (Vaults_Get), e.g. to see that it exists and is reachable.
pub fn get_vault(base: &str, vault_id: &str) -> HttpRequest {
    get(url(base, vault_path(vault_id), KEYVAULT_API))
}

/// The caller's effective permissions on a vault.
pub fn vault_permissions(base: &str, vault_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "{}/providers/Microsoft.Authorization/permissions",
            vault_path(vault_id)
        ),
        PERMISSIONS_API,
    ))
}

/// `GET {vault}/secrets?$top=`: names, attributes and URIs, no values.
pub fn list_secrets(base: &str, vault_id: &str, top: Option<u32>) -> HttpRequest {
    let mut path = format!("{}/secrets", vault_path(vault_id));
    if let Some(top) = top {
        path.push_str(&format!("?$top={top}"));
    }
    get(url(base, &path, KEYVAULT_API))
}

/// `GET {vault}/secrets/{name}`: metadata only (ARM never returns a value).
pub fn get_secret(base: &str, vault_id: &str, name: &str) -> HttpRequest {
    get(url(
        base,
        &format!("{}/secrets/{}", vault_path(vault_id), encode(name)),
        KEYVAULT_API,
    ))
}

/// `SecretCreateOrUpdateParameters`.
#[derive(Serialize)]
struct PutBody<'a> {
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: &'a BTreeMap<String, String>,
    properties: PutProperties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PutProperties<'a> {
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "is_default")]
    attributes: &'a VaultSecretAttributes,
}

/// `PUT {vault}/secrets/{name}` (Secrets_CreateOrUpdate): creates the secret or a new version.
/// Needs `Microsoft.KeyVault/vaults/secrets/write` (Key Vault Contributor or Contributor).
pub fn put_secret(
    base: &str,
    vault_id: &str,
    name: &str,
    secret: &SecretValue,
    write: &VaultSecretWrite,
) -> HttpRequest {
    let body = |value| PutBody {
        tags: &write.tags,
        properties: PutProperties {
            value,
            content_type: write.content_type.as_deref(),
            attributes: &write.attributes,
        },
    };
    let json = secret_json_body(&body(secret.expose()), &body(""), secret);
    HttpRequest::new(
        Method::Put,
        url(
            base,
            &format!("{}/secrets/{}", vault_path(vault_id), encode(name)),
            KEYVAULT_API,
        ),
        Resource::Arm,
    )
    .json(json)
}
