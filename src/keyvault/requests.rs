//! Request builders. `vault_base` is the vault's data-plane URL (`properties.vaultUri`, e.g.
//! `https://kv-x.vault.azure.net/`, or the configured gateway / sandbox URL).

use std::collections::BTreeMap;

use serde::Serialize;

use super::error::KeyVaultError;
use crate::domain::secret::secret_json_body;
use crate::domain::vault_write::{VaultSecretAttributes, VaultSecretWrite};
use crate::domain::SecretValue;
use crate::net::{encode, HttpRequest, Method, Resource};
use crate::wire::is_default;

/// Data-plane api-version (the stable spec in shared/specs).
pub const API_VERSION: &str = "7.5";

fn url(vault_base: &str, path: &str, query: &str) -> String {
    format!(
        "{}/{}?{query}api-version={API_VERSION}",
        vault_base.trim_end_matches('/'),
        path
    )
}

/// The base URL of `vault` behind a gateway: `{gateway}/{vault}`, so every request through it
/// names its vault in the path (`{gateway}/{vault}/secrets/{name}?api-version=7.5`), and the
/// gateway forwards it to `https://{vault}{suffix}/secrets/{name}?api-version=7.5` (the contract
/// in deploy/README.md). Vault names are letters, digits and dashes; anything else is encoded.
pub fn gateway_base(gateway: &str, vault: &str) -> String {
    format!("{}/{}", gateway.trim_end_matches('/'), encode(vault))
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
    #[serde(skip_serializing_if = "is_default")]
    attributes: &'a VaultSecretAttributes,
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

/// The most versions the service returns per page (`maxresults` is 1–25 in the 7.5 spec).
pub const VERSIONS_PAGE_SIZE: u32 = 25;

/// `GET /secrets/{name}/versions?maxresults=25`: the first page of a name's versions, to tell
/// whether it is taken without reading a value (`GET /secrets/{name}` would return it). Follow
/// with [`versions_page`]; [`super::VersionScan`] does both.
pub fn secret_versions(vault_base: &str, name: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        url(
            vault_base,
            &format!("secrets/{}/versions", encode(name)),
            &format!("maxresults={VERSIONS_PAGE_SIZE}&"),
        ),
        Resource::KeyVault,
    )
}

/// The page a versions `nextLink` names, sent to `vault_base` (the vault's URI or the gateway the
/// first page went to) with the link's query kept verbatim (`$skiptoken`, `api-version`,
/// `maxresults`). The link must name this secret's versions (`…/secrets/{name}/versions?…`, on
/// whatever host, `:443` included); anything else is refused as malformed, never followed.
pub fn versions_page(
    vault_base: &str,
    name: &str,
    next_link: &str,
) -> Result<HttpRequest, KeyVaultError> {
    let malformed = || KeyVaultError::Malformed {
        status: 200,
        detail: "the nextLink does not name the next page of this secret's versions".into(),
    };
    let rest = next_link
        .strip_prefix("https://")
        .or_else(|| next_link.strip_prefix("http://"))
        .ok_or_else(malformed)?;
    let path_and_query = &rest[rest.find('/').ok_or_else(malformed)?..];
    let (path, query) = path_and_query.split_once('?').ok_or_else(malformed)?;
    let tail = format!("/secrets/{name}/versions").to_ascii_lowercase();
    let ok = path.to_ascii_lowercase().ends_with(&tail)
        && !query.is_empty()
        && !query.contains('#')
        && !next_link
            .chars()
            .any(|c| c.is_whitespace() || c.is_control());
    if !ok {
        return Err(malformed());
    }
    Ok(HttpRequest::new(
        Method::Get,
        format!(
            "{}/secrets/{}/versions?{query}",
            vault_base.trim_end_matches('/'),
            encode(name)
        ),
        Resource::KeyVault,
    ))
}

/// `GET /deletedsecrets/{name}`: whether a soft-deleted secret holds the name.
pub fn get_deleted_secret(vault_base: &str, name: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        url(vault_base, &format!("deletedsecrets/{}", encode(name)), ""),
        Resource::KeyVault,
    )
}
