//! Response parsers: a success body becomes a typed value, anything else an [`ArmError`].

use std::collections::BTreeMap;

use serde::Deserialize;

use super::error::ArmError;
use super::types::{ArmPage, ArmSecret, Permission, Subscription, Vault};
use crate::net::HttpResponse;
use crate::wire::{from_unix, parse_json, SecretAttributes};

/// `GET /subscriptions` (one page).
pub fn parse_subscriptions(res: &HttpResponse) -> Result<ArmPage<Subscription>, ArmError> {
    parse_json(res)
}

/// `GET …/providers/Microsoft.KeyVault/vaults` (one page).
pub fn parse_vaults(res: &HttpResponse) -> Result<ArmPage<Vault>, ArmError> {
    parse_json(res)
}

/// `GET {vault id}` (Vaults_Get).
pub fn parse_vault(res: &HttpResponse) -> Result<Vault, ArmError> {
    parse_json(res)
}

/// `GET {vault}/providers/Microsoft.Authorization/permissions` (one page).
pub fn parse_permissions(res: &HttpResponse) -> Result<ArmPage<Permission>, ArmError> {
    parse_json(res)
}

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

impl From<WireSecret> for ArmSecret {
    fn from(w: WireSecret) -> Self {
        let p = w.properties.unwrap_or_default();
        let a = p.attributes.unwrap_or_default();
        ArmSecret {
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
        }
    }
}

/// `PUT {vault}/secrets/{name}` (200 or 201) and `GET {vault}/secrets/{name}`.
pub fn parse_secret(res: &HttpResponse) -> Result<ArmSecret, ArmError> {
    parse_json::<WireSecret, _>(res).map(ArmSecret::from)
}

/// `GET {vault}/secrets` (one page).
pub fn parse_secret_list(res: &HttpResponse) -> Result<ArmPage<ArmSecret>, ArmError> {
    let page: ArmPage<WireSecret> = parse_json(res)?;
    Ok(ArmPage {
        value: page.value.into_iter().map(ArmSecret::from).collect(),
        next_link: page.next_link,
    })
}
