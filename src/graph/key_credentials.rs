//! Certificates on an app registration (`keyCredentials`), sans-IO: read the whole collection
//! with each certificate's `key`, and write it back whole with one more, or one fewer.
//!
//! Graph has no "add one certificate" call a user can make for an app without a certificate
//! (`addKey` needs a proof signed by an existing certificate's private key:
//! ../shared/docs/azure-apis.md §7.6), so a certificate goes in with `PATCH /applications/{id}`,
//! which **replaces the whole `keyCredentials` collection** (graph-docs `application-update.md`).
//! A credential missing from that PATCH is deleted, and one sent back changed is changed: an app
//! whose certificate vanished stops signing in. So:
//!
//! - [`get_key_credentials`] reads `$select=keyCredentials` on the one app, the only read that
//!   returns each `key` (graph-docs `keycredential.md`: "Returned only on `$select` for a single
//!   object … otherwise, it is always `null`"); [`parse_key_credentials`] keeps every member of
//!   the keyCredential resource as the text Graph sent (dates too: never re-formatted), and
//!   refuses a collection with a `key` missing rather than send it back without one;
//! - [`KeyCredentials::with_new_key`] is that collection, each entry as read, plus the new certificate;
//!   [`KeyCredentials::without`] is it without the one made here, known by its thumbprint or its
//!   `key` (removing what a failed store left behind);
//! - [`patch_key_credentials`] builds the PATCH; [`parse_patch`] reads its 204.
//!
//! Refusals are [`GraphError`]s; [`refusal_message`] says them for a certificate, with the
//! remedy.

use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};

use super::error::GraphError;
use super::requests::{get, graph_timestamp, url};
use crate::domain::certificate::{KEY_TYPE, KEY_USAGE};
use crate::net::{encode, HttpRequest, HttpResponse, Method, Resource};
use crate::wire::{expect_success, parse_with, Members, Mismatch};

/// One key credential exactly as Graph returned it: every member of the keyCredential resource
/// (graph-docs `keycredential.md`) as its JSON text, so sending it back changes nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExistingKey {
    pub key_id: String,
    /// The certificate, base64 DER. Required: without it the credential can't be sent back.
    pub key: String,
    pub kind: Option<String>,
    pub usage: Option<String>,
    pub display_name: Option<String>,
    pub custom_key_identifier: Option<String>,
    /// As Graph wrote it (not re-formatted).
    pub start_date_time: Option<String>,
    pub end_date_time: Option<String>,
}

impl ExistingKey {
    /// The JSON object sent back: the members Graph sent, unchanged; those it left out or set
    /// to `null` stay out.
    fn to_json(&self) -> Value {
        let mut m = Map::new();
        let mut put = |k: &str, v: &Option<String>| {
            if let Some(v) = v {
                m.insert(k.into(), Value::String(v.clone()));
            }
        };
        put("keyId", &Some(self.key_id.clone()));
        put("key", &Some(self.key.clone()));
        put("type", &self.kind);
        put("usage", &self.usage);
        put("displayName", &self.display_name);
        put("customKeyIdentifier", &self.custom_key_identifier);
        put("startDateTime", &self.start_date_time);
        put("endDateTime", &self.end_date_time);
        Value::Object(m)
    }
}

/// An app's certificates as read with `$select=keyCredentials`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyCredentials(pub Vec<ExistingKey>);

/// The certificate to add.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewKey {
    /// Base64 of the certificate's DER.
    pub key: String,
    /// `CN=…`: the how-to assigns "the certificate subject name to the displayName property".
    pub display_name: String,
    /// Hex thumbprint: `customKeyIdentifier` is "the certificate thumbprint" (the "Add a
    /// certificate to an app using Microsoft Graph" how-to; graph-docs `keycredential.md`).
    pub thumbprint: String,
    /// The certificate's own validity.
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

fn existing_key(m: Members<'_>) -> Result<ExistingKey, Mismatch> {
    Ok(ExistingKey {
        key_id: m.required_text("keyId")?,
        key: m.required_text("key")?,
        kind: m.text("type")?,
        usage: m.text("usage")?,
        display_name: m.text("displayName")?,
        custom_key_identifier: m.text("customKeyIdentifier")?,
        start_date_time: m.text("startDateTime")?,
        end_date_time: m.text("endDateTime")?,
    })
}

fn key_credentials(m: Members<'_>) -> Result<KeyCredentials, Mismatch> {
    // "Not nullable" (graph-docs application-update.md): a missing collection is an answer we
    // can't build on, not an empty one.
    m.list("keyCredentials", existing_key)?
        .map(KeyCredentials)
        .ok_or_else(|| Mismatch::new("keyCredentials", "a list"))
}

/// `GET /applications/{id}?$select=keyCredentials`: the one read that returns each `key`.
pub fn get_key_credentials(base: &str, object_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!("/applications/{}?$select=keyCredentials", encode(object_id)),
    ))
}

/// The answer of [`get_key_credentials`].
pub fn parse_key_credentials(res: &HttpResponse) -> Result<KeyCredentials, GraphError> {
    parse_with(res, key_credentials)
}

impl KeyCredentials {
    /// Every credential as read, then the new one (`type` `AsymmetricX509Cert`, `usage`
    /// `Verify`, graph-docs `keycredential.md`).
    pub fn with_new_key(&self, new: &NewKey) -> Vec<Value> {
        let mut all: Vec<Value> = self.0.iter().map(ExistingKey::to_json).collect();
        all.push(json!({
            "type": KEY_TYPE,
            "usage": KEY_USAGE,
            "key": new.key,
            "displayName": new.display_name,
            "customKeyIdentifier": new.thumbprint,
            "startDateTime": graph_timestamp(new.start),
            "endDateTime": graph_timestamp(new.end),
        }));
        all
    }

    /// Every credential as read except the certificate made here ([`ExistingKey::is`]);
    /// `None` when the app doesn't have it (nothing to remove).
    pub fn without(&self, thumbprint: &str, key: &str) -> Option<Vec<Value>> {
        self.find(thumbprint, key)?;
        Some(
            self.0
                .iter()
                .filter(|k| !k.is(thumbprint, key))
                .map(ExistingKey::to_json)
                .collect(),
        )
    }

    /// The certificate made here ([`ExistingKey::is`]).
    pub fn find(&self, thumbprint: &str, key: &str) -> Option<&ExistingKey> {
        self.0.iter().find(|k| k.is(thumbprint, key))
    }
}

impl ExistingKey {
    /// This credential is the certificate with this thumbprint (its `customKeyIdentifier`, as
    /// sent) or these DER bytes (`key`, base64): either identifies it, whatever form Graph gives
    /// the identifier back in.
    pub fn is(&self, thumbprint: &str, key: &str) -> bool {
        self.key == key
            || self
                .custom_key_identifier
                .as_deref()
                .is_some_and(|c| c.eq_ignore_ascii_case(thumbprint))
    }
}

/// `PATCH /applications/{id}` with the whole `keyCredentials` collection.
pub fn patch_key_credentials(base: &str, object_id: &str, all: Vec<Value>) -> HttpRequest {
    HttpRequest::new(
        Method::Patch,
        url(base, &format!("/applications/{}", encode(object_id))),
        Resource::Graph,
    )
    .json(json!({ "keyCredentials": all }).to_string())
}

/// The PATCH's answer: 204 No Content.
pub fn parse_patch(res: &HttpResponse) -> Result<(), GraphError> {
    expect_success(res)
}

/// A refusal of the certificate's read or PATCH in words, with what to do.
pub fn refusal_message(e: &GraphError) -> String {
    match e {
        GraphError::AuthorizationDenied(_) => "You can't add certificates to this app. Its owners \
             or an Application Administrator can; ask one of them, or ask to be added as an owner."
            .into(),
        GraphError::PolicyLifetime(_) => "Your organisation's policy doesn't allow certificates \
             for this app to last that long. Choose a shorter lifetime."
            .into(),
        GraphError::PolicyBlocksSecrets(_) => "Your organisation's policy doesn't allow new \
             certificates for this app. An administrator of your organisation can tell you which \
             credentials it allows."
            .into(),
        GraphError::BadRequest(info) => format!(
            "Microsoft Graph refused the certificate, so nothing was changed: {} If it happens \
             again, share the details below with your admin.",
            info.message.trim()
        ),
        GraphError::Malformed { .. } => "Microsoft Graph didn't return this app's certificates \
             in full, so a new one can't be added without risking the others. Nothing was \
             changed; try again."
            .into(),
        other => other.user_message(),
    }
}

#[cfg(test)]
mod tests;
