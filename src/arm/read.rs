//! ARM's JSON read into this client's types: one small reader a type over [`Members`] (the one
//! `serde_json::Value` parser), rather than a derived `Deserialize` each. Each reads as the
//! type's derived `Deserialize` did (`tests/read.rs` compares them): camelCase members, unknown
//! ones ignored, a missing or `null` optional member "not stated", a required one (`id`,
//! `name`, `subscriptionId`, a vault's `properties`) an error.

use super::types::{
    ArmPage, ArmSecret, NetworkAcls, Permission, Sku, Subscription, Vault, VaultProperties,
};
use crate::wire::{from_unix, secret_attributes, Members, Mismatch, SecretAttributes};

/// One page of a list: `value` (each item read by `item`) and `nextLink`.
pub(super) fn page<T>(
    m: Members<'_>,
    item: fn(Members<'_>) -> Result<T, Mismatch>,
) -> Result<ArmPage<T>, Mismatch> {
    Ok(ArmPage {
        value: m.page_value("value", item)?,
        next_link: m.text("nextLink")?,
    })
}

pub(super) fn subscription(m: Members<'_>) -> Result<Subscription, Mismatch> {
    Ok(Subscription {
        subscription_id: m.required_text("subscriptionId")?,
        display_name: m.text("displayName")?.unwrap_or_default(),
        state: m.text("state")?,
        tenant_id: m.text("tenantId")?,
    })
}

pub(super) fn vault(m: Members<'_>) -> Result<Vault, Mismatch> {
    Ok(Vault {
        id: m.required_text("id")?,
        name: m.required_text("name")?,
        location: m.text("location")?,
        tags: m.text_map("tags")?.unwrap_or_default(),
        properties: m
            .object("properties", vault_properties)?
            .ok_or_else(|| Mismatch::new("properties", "an object"))?,
    })
}

fn vault_properties(m: Members<'_>) -> Result<VaultProperties, Mismatch> {
    Ok(VaultProperties {
        vault_uri: m.text("vaultUri")?,
        tenant_id: m.text("tenantId")?,
        enable_rbac_authorization: m.flag("enableRbacAuthorization")?,
        network_acls: m.object("networkAcls", |n| {
            Ok(NetworkAcls {
                default_action: n.text("defaultAction")?,
            })
        })?,
        public_network_access: m.text("publicNetworkAccess")?,
        sku: m.object("sku", |s| {
            Ok(Sku {
                family: s.text("family")?,
                name: s.text("name")?,
            })
        })?,
    })
}

pub(super) fn permission(m: Members<'_>) -> Result<Permission, Mismatch> {
    Ok(Permission {
        actions: m.texts("actions")?.unwrap_or_default(),
        not_actions: m.texts("notActions")?.unwrap_or_default(),
        data_actions: m.texts("dataActions")?.unwrap_or_default(),
        not_data_actions: m.texts("notDataActions")?.unwrap_or_default(),
    })
}

/// A vault secret (`Microsoft.KeyVault/vaults/secrets`): metadata and URIs. ARM never sends
/// the value ("'value' will never be returned from the service", the 2025-05-01 spec).
pub(super) fn secret(m: Members<'_>) -> Result<ArmSecret, Mismatch> {
    let p = m
        .object("properties", secret_properties)?
        .unwrap_or_default();
    let a = p.attributes.unwrap_or_default();
    Ok(ArmSecret {
        id: m.required_text("id")?,
        name: m.required_text("name")?,
        tags: m.text_map("tags")?.unwrap_or_default(),
        content_type: p.content_type,
        secret_uri: p.secret_uri,
        secret_uri_with_version: p.secret_uri_with_version,
        enabled: a.enabled,
        not_before: from_unix(a.nbf),
        expires: from_unix(a.exp),
        created: from_unix(a.created),
        updated: from_unix(a.updated),
    })
}

#[derive(Default)]
struct SecretProperties {
    content_type: Option<String>,
    secret_uri: Option<String>,
    secret_uri_with_version: Option<String>,
    attributes: Option<SecretAttributes>,
}

fn secret_properties(m: Members<'_>) -> Result<SecretProperties, Mismatch> {
    Ok(SecretProperties {
        content_type: m.text("contentType")?,
        secret_uri: m.text("secretUri")?,
        secret_uri_with_version: m.text("secretUriWithVersion")?,
        attributes: m.object("attributes", secret_attributes)?,
    })
}
