//! Response parsers. Responses that carry a value (set secret echoes it) are taken by value
//! and dropped here, so their zeroising body is wiped; no parsed type has a value field.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Deserialize;

use super::error::KeyVaultError;
use crate::net::HttpResponse;
use crate::wire::{
    from_unix, parse_json, parse_with, secret_attributes, Members, Mismatch, SecretAttributes,
};

/// A stored secret version's identity and attributes (never its value).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredSecret {
    /// `https://{vault}/secrets/{name}/{version}`
    pub id: String,
    pub content_type: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub enabled: Option<bool>,
    pub not_before: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    pub created: Option<DateTime<Utc>>,
    pub updated: Option<DateTime<Utc>>,
    pub recovery_level: Option<String>,
}

impl StoredSecret {
    /// The URI without the version: `https://{vault}/secrets/{name}`.
    pub fn base_uri(&self) -> &str {
        match self.id.find("/secrets/") {
            Some(i) => {
                let rest = &self.id[i + "/secrets/".len()..];
                match rest.find('/') {
                    Some(j) => &self.id[..i + "/secrets/".len() + j],
                    None => &self.id,
                }
            }
            None => &self.id,
        }
    }

    /// The version: the segment after the name, when the ID has one.
    pub fn version(&self) -> Option<&str> {
        let rest = &self.id[self.base_uri().len()..];
        rest.strip_prefix('/').filter(|v| !v.is_empty())
    }
}

/// A soft-deleted secret that still holds its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeletedSecret {
    pub recovery_id: Option<String>,
    pub deleted: Option<DateTime<Utc>>,
    pub scheduled_purge: Option<DateTime<Utc>>,
    pub secret: StoredSecret,
}

/// SetSecret's answer, which echoes the value: read by a derived `Deserialize`, which skips
/// `value` without copying it (a parsed `serde_json::Value` would hold a plain copy until
/// dropped, and none at all is wiped if the body is cut short).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetSecretAnswer {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    content_type: Option<String>,
    #[serde(default)]
    tags: Option<BTreeMap<String, String>>,
    #[serde(default)]
    attributes: Option<SecretAttributes>,
}

/// One page of `GET /secrets/{name}/versions`, in the service's (unspecified) order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionsPage {
    pub versions: Vec<StoredSecret>,
    /// The next page; it may exist after an empty page.
    pub next_link: Option<String>,
}

impl StoredSecret {
    fn new(
        id: Option<String>,
        content_type: Option<String>,
        tags: Option<BTreeMap<String, String>>,
        attributes: Option<SecretAttributes>,
    ) -> Self {
        let a = attributes.unwrap_or_default();
        StoredSecret {
            id: id.unwrap_or_default(),
            content_type,
            tags: tags.unwrap_or_default(),
            enabled: a.enabled,
            not_before: from_unix(a.nbf),
            expires: from_unix(a.exp),
            created: from_unix(a.created),
            updated: from_unix(a.updated),
            recovery_level: a.recovery_level,
        }
    }
}

/// A secret bundle or list item without a value (`id`, `contentType`, `tags`, `attributes`).
fn stored(m: Members<'_>) -> Result<StoredSecret, Mismatch> {
    Ok(StoredSecret::new(
        m.text("id")?,
        m.text("contentType")?,
        m.text_map("tags")?,
        m.object("attributes", secret_attributes)?,
    ))
}

fn versions(m: Members<'_>) -> Result<VersionsPage, Mismatch> {
    Ok(VersionsPage {
        versions: m.list("value", stored)?.unwrap_or_default(),
        next_link: m.text("nextLink")?.filter(|l| !l.is_empty()),
    })
}

fn deleted(m: Members<'_>) -> Result<DeletedSecret, Mismatch> {
    Ok(DeletedSecret {
        recovery_id: m.text("recoveryId")?,
        deleted: from_unix(m.integer("deletedDate")?),
        scheduled_purge: from_unix(m.integer("scheduledPurgeDate")?),
        secret: stored(m)?,
    })
}

/// `PUT /secrets/{name}`. The response echoes the value; it is not kept.
pub fn parse_set_secret(res: HttpResponse) -> Result<StoredSecret, KeyVaultError> {
    let a: SetSecretAnswer = parse_json(&res)?;
    let stored = StoredSecret::new(a.id, a.content_type, a.tags, a.attributes);
    if stored.id.is_empty() {
        return Err(KeyVaultError::Malformed {
            status: res.status,
            detail: "the response has no secret id".into(),
        });
    }
    Ok(stored)
}

/// A page of `GET /secrets/{name}/versions`, or `None` for 404 `SecretNotFound` (no versions).
/// Which version is newest is [`super::VersionScan`]'s business: the order is unspecified.
pub fn parse_versions_page(res: &HttpResponse) -> Result<Option<VersionsPage>, KeyVaultError> {
    match parse_with(res, versions) {
        Ok(page) => Ok(Some(page)),
        Err(KeyVaultError::SecretNotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// `GET /deletedsecrets/{name}`: the deleted secret, or `None` when there is none (404).
pub fn parse_deleted_secret(res: HttpResponse) -> Result<Option<DeletedSecret>, KeyVaultError> {
    match parse_with(&res, deleted) {
        Ok(d) => Ok(Some(d)),
        Err(KeyVaultError::SecretNotFound(_)) => Ok(None),
        Err(e) => Err(e),
    }
}
