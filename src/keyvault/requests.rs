//! Request builders. `vault_base` is the vault's data-plane URL (`properties.vaultUri`, e.g.
//! `https://kv-x.vault.azure.net/`, or the configured gateway / sandbox URL).

use std::collections::BTreeMap;

use serde::Serialize;

use crate::domain::secret::secret_json_body;
use crate::domain::vault_write::{VaultSecretAttributes, VaultSecretWrite};
use crate::domain::SecretValue;
use crate::net::{encode, HttpRequest, Method, Resource};

/// Data-plane api-version (the stable spec in shared/specs).
pub const API_VERSION: &str = "7.5";

fn url(vault_base: &str, path: &str, query: &str) -> String {
    format!(
        "{}/{}?{query}api-version={API_VERSION}",
        vault_base.trim_end_matches('/'),
        path
    )
}

/// `SecretSetParameters`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SetBody<'a> {
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    content_type: Option<&'a str>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    tags: &'a BTreeMap<String, String>,
    #[serde(skip_serializing_if = "is_empty_attributes")]
    attributes: &'a VaultSecretAttributes,
}

fn is_empty_attributes(a: &&VaultSecretAttributes) -> bool {
    **a == VaultSecretAttributes::default()
}

/// `PUT /secrets/{name}`: creates the secret, or a new version of it. Needs the data action
/// `…/secrets/setSecret/action` (Key Vault Secrets Officer) or the `set` access policy.
pub fn set_secret(
    vault_base: &str,
    name: &str,
    secret: &SecretValue,
    write: &VaultSecretWrite,
) -> HttpRequest {
    let body = |value| SetBody {
        value,
        content_type: write.content_type.as_deref(),
        tags: &write.tags,
        attributes: &write.attributes,
    };
    let json = secret_json_body(&body(secret.expose()), &body(""), secret);
    HttpRequest::new(
        Method::Put,
        url(vault_base, &format!("secrets/{}", encode(name)), ""),
        Resource::KeyVault,
    )
    .json(json)
}

/// `GET /secrets/{name}/versions?maxresults=1`: whether a name is taken, without reading a
/// value (`GET /secrets/{name}` would return it).
pub fn secret_versions(vault_base: &str, name: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        url(
            vault_base,
            &format!("secrets/{}/versions", encode(name)),
            "maxresults=1&",
        ),
        Resource::KeyVault,
    )
}

/// `GET /deletedsecrets/{name}`: whether a soft-deleted secret holds the name.
pub fn get_deleted_secret(vault_base: &str, name: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        url(vault_base, &format!("deletedsecrets/{}", encode(name)), ""),
        Resource::KeyVault,
    )
}
