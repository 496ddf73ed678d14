//! `PATCH /applications/{id}` with `keyCredentials` (also with the `applications(appId='…')`
//! key): an app's certificates, replaced as a whole, and a hook that gives an app a certificate.
//!
//! Sources:
//! - graph-docs `application-update.md`: PATCH updates the properties sent, 204 No Content;
//!   `keyCredentials` is the collection of key credentials, so the collection sent **replaces**
//!   the one held (also ../shared/docs/azure-apis.md §7.6).
//! - graph-docs `keycredential.md`: the members (`customKeyIdentifier`, `displayName`,
//!   `endDateTime`, `key`, `keyId`, `startDateTime`, `type`, `usage`); `key` is "the
//!   certificate's raw data in byte array converted to Base64 string"; `customKeyIdentifier`
//!   "when not provided in the payload, defaults to the thumbprint of the certificate"; `key` is
//!   returned only with `$select=keyCredentials` on a single object (`apps::project`).
//! - The "Add a certificate to an app using Microsoft Graph" how-to
//!   (microsoftgraph/microsoft-graph-docs-contrib `concepts/applications-how-to-add-certificate.md`):
//!   `type` and `usage` "must be `AsymmetricX509Cert` and `Verify`"; the thumbprint in
//!   `customKeyIdentifier` is upper-case hexadecimal SHA-1 (`4809D6EA…`); "If [endDateTime is]
//!   unspecified, the system will automatically assign a date one year after the startDateTime".
//! - microsoftgraph/msgraph-sdk-java #1823: a bad `usage` answers "The value for the property
//!   \"usage\" in one of your credentials is invalid. Acceptable values are Sign, Verify."
//! - Azure/azure-powershell #6784 and #6855: an existing credential sent back altered answers
//!   "Update to existing credential with KeyId is not allowed".
//! - MicrosoftDocs/azure-docs #59275: `passwordCredentials` in a PATCH answers 400
//!   `Request_BadRequest` "New password credentials must be generated using service actions."
//! - Who may: as addPassword (`credentials::may_manage`, `Need::WriteApps`).
//!
//! Choices where the real behaviour is not documented (see sandbox/README.md): any other
//! application property in the PATCH is refused (the sandbox updates certificates only); an
//! existing credential (known `keyId`) must come back exactly as held, `key` included — without
//! its `key`, or changed, it is refused, never guessed; an unknown `keyId` is refused; a new
//! credential needs `type` `AsymmetricX509Cert` and `usage` `Verify` (`Sign` needs a private
//! key, which the sandbox doesn't take), a `key` that parses as a DER X.509 certificate, a
//! `startDateTime`, and dates within the certificate's validity; two credentials with the same
//! certificate are refused. All answer 400 `Request_BadRequest` (or the messages above).

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use base64::Engine;
use chrono::{DateTime, Duration, Months, Utc};
use serde_json::{json, Map, Value};
use sha1::{Digest, Sha1};
use x509_cert::der::Decode;

use super::apps::{alternate_key, not_found, object_id, AppRef};
use super::credentials::may_manage;
use super::{authorize, bad_request, denied, Need, RequestIds};
use crate::graph::directory::KeyCredential;
use crate::{lock, AppState};

/// keyCredential's properties (CSDL, keycredential.md).
const KEY_CREDENTIAL_PROPERTIES: &[&str] = &[
    "customKeyIdentifier",
    "displayName",
    "endDateTime",
    "key",
    "keyId",
    "startDateTime",
    "type",
    "usage",
];

const BAD: &str = "Request_BadRequest";

/// The certificate's thumbprint as the how-to writes it: SHA-1 of the DER, upper-case hex.
pub fn thumbprint(der: &[u8]) -> String {
    Sha1::digest(der)
        .iter()
        .map(|b| format!("{b:02X}"))
        .collect()
}

/// A certificate's DER read with a real X.509 parser: its validity, or why not.
fn certificate_validity(der: &[u8]) -> Result<(DateTime<Utc>, DateTime<Utc>), String> {
    let cert = x509_cert::Certificate::from_der(der).map_err(|e| e.to_string())?;
    let v = &cert.tbs_certificate.validity;
    let at = |t: x509_cert::time::Time| {
        DateTime::from_timestamp(t.to_unix_duration().as_secs() as i64, 0).unwrap_or_default()
    };
    Ok((at(v.not_before), at(v.not_after)))
}

fn text<'a>(entry: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, String> {
    match entry.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!("Invalid value {other} for property '{name}'.")),
    }
}

fn date(entry: &Map<String, Value>, name: &str) -> Result<Option<DateTime<Utc>>, String> {
    text(entry, name)?
        .map(|s| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|_| format!("Cannot convert the literal '{s}' to the expected type 'Edm.DateTimeOffset'."))
        })
        .transpose()
}

/// An existing credential sent back: every member it states equals what is held, and `key` is
/// there. Dates compare as instants.
fn unchanged(held: &KeyCredential, entry: &Map<String, Value>) -> Result<(), String> {
    const ALTERED: &str = "Update to existing credential with KeyId is not allowed";
    let held_json = held.to_graph_json(true);
    for name in KEY_CREDENTIAL_PROPERTIES {
        let sent = entry.get(*name).filter(|v| !v.is_null());
        let kept = held_json.get(*name).filter(|v| !v.is_null());
        let same = match (*name, sent, kept) {
            // Strict: a credential sent back without its certificate is refused.
            ("key", None, _) => false,
            (_, None, None) => true,
            ("startDateTime" | "endDateTime", Some(_), Some(_)) => {
                date(entry, name)? == date(held_json.as_object().unwrap(), name)?
            }
            (_, Some(a), Some(b)) => a == b,
            _ => false,
        };
        if !same {
            return Err(ALTERED.into());
        }
    }
    Ok(())
}

/// A new credential, checked; the credential to hold.
fn new_credential(entry: &Map<String, Value>) -> Result<KeyCredential, String> {
    match text(entry, "type")? {
        Some("AsymmetricX509Cert") => {}
        Some(other) => {
            return Err(format!(
                "The value '{other}' for the property 'type' isn't supported here: use AsymmetricX509Cert."
            ))
        }
        None => return Err("The property 'type' is required for a new key credential.".into()),
    }
    match text(entry, "usage")? {
        Some("Verify") => {}
        // Sign needs a private key (a PFX), which the sandbox doesn't take (strict).
        Some("Sign") => return Err("Key credentials with usage 'Sign' need a private key; this sandbox accepts 'Verify' only.".into()),
        _ => return Err("The value for the property \"usage\" in one of your credentials is invalid. Acceptable values are Sign, Verify.".into()),
    }
    let Some(key) = text(entry, "key")? else {
        return Err("The property 'key' is required for a new key credential.".into());
    };
    let der = base64::engine::general_purpose::STANDARD
        .decode(key)
        .map_err(|_| {
            format!(
                "Cannot convert the literal '{}…' to the expected type 'Edm.Binary'.",
                key.chars().take(16).collect::<String>()
            )
        })?;
    let (not_before, not_after) = certificate_validity(&der)
        .map_err(|why| format!("Key credential 'key' is not a valid X.509 certificate: {why}."))?;
    let Some(start) = date(entry, "startDateTime")? else {
        return Err("The property 'startDateTime' is required for a new key credential.".into());
    };
    // The how-to: endDateTime defaults to a year after startDateTime.
    let end = date(entry, "endDateTime")?.unwrap_or_else(|| {
        start
            .checked_add_months(Months::new(12))
            .unwrap_or(start + Duration::days(365))
    });
    if end <= start {
        return Err(
            "The key credential's endDateTime must be later than its startDateTime.".into(),
        );
    }
    if start < not_before || end > not_after {
        return Err("The key credential's startDateTime and endDateTime must be within the certificate's validity.".into());
    }
    let display_name = text(entry, "displayName")?.map(str::to_owned);
    let custom_key_identifier = text(entry, "customKeyIdentifier")?
        .map(str::to_owned)
        // keycredential.md: "When not provided in the payload, defaults to the thumbprint".
        .unwrap_or_else(|| thumbprint(&der));
    Ok(KeyCredential {
        key_id: uuid::Uuid::new_v4().to_string(),
        display_name,
        start,
        end,
        custom_key_identifier,
        key: key.to_owned(),
    })
}

/// The collection to hold after the PATCH, or why not.
fn replacement(held: &[KeyCredential], sent: &[Value]) -> Result<Vec<KeyCredential>, String> {
    let mut out: Vec<KeyCredential> = Vec::with_capacity(sent.len());
    for entry in sent {
        let Value::Object(entry) = entry else {
            return Err("Invalid value for property 'keyCredentials'.".into());
        };
        if let Some(unknown) = entry
            .keys()
            .find(|k| !KEY_CREDENTIAL_PROPERTIES.contains(&k.as_str()) && !k.starts_with("@odata."))
        {
            return Err(format!("The property '{unknown}' does not exist on type 'microsoft.graph.keyCredential'. Make sure to only use property names that are defined by the type."));
        }
        let credential = match text(entry, "keyId")? {
            Some(key_id) => {
                let Some(existing) = held.iter().find(|k| k.key_id.eq_ignore_ascii_case(key_id))
                else {
                    return Err(format!("No key credential found with keyId {key_id}."));
                };
                unchanged(existing, entry)?;
                existing.clone()
            }
            None => new_credential(entry)?,
        };
        if out
            .iter()
            .any(|k| k.key == credential.key || k.key_id == credential.key_id)
        {
            return Err("The same certificate is in keyCredentials more than once.".into());
        }
        out.push(credential);
    }
    Ok(out)
}

async fn update(
    state: AppState,
    ids: RequestIds,
    headers: HeaderMap,
    app: AppRef,
    body: Bytes,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::WriteApps) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let body = match serde_json::from_slice::<Value>(&body) {
        Ok(Value::Object(map)) => map,
        _ => return bad_request(&ids, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."),
    };
    if body.contains_key("passwordCredentials") {
        // MicrosoftDocs/azure-docs #59275.
        return bad_request(
            &ids,
            BAD,
            "New password credentials must be generated using service actions.",
        );
    }
    if let Some(other) = body.keys().find(|k| *k != "keyCredentials") {
        // Strict: the sandbox updates certificates only.
        return bad_request(
            &ids,
            BAD,
            &format!("The sandbox doesn't update the property '{other}' of an application."),
        );
    }
    let sent = match body.get("keyCredentials") {
        Some(Value::Array(items)) => items.clone(),
        // "Not nullable" (application-update.md).
        _ => {
            return bad_request(
                &ids,
                BAD,
                "Invalid value for property 'keyCredentials': not nullable.",
            )
        }
    };
    let mut graph = lock(&state.graph);
    let Some(target) = graph.applications.iter_mut().find(|a| app.is(a)) else {
        return not_found(&ids, &app);
    };
    if !may_manage(&caller, target) {
        return denied(&ids);
    }
    let replaced = match replacement(&target.key_credentials, &sent) {
        Ok(r) => r,
        Err(message) => return bad_request(&ids, BAD, &message),
    };
    let describe = |ks: &[&KeyCredential]| {
        let parts: Vec<String> = ks
            .iter()
            .map(|k| format!("\"[KeyIdentifier={},KeyType=AsymmetricX509Cert,KeyUsage=Verify,DisplayName={}]\"", k.key_id, k.display_name.as_deref().unwrap_or_default()))
            .collect();
        format!("[{}]", parts.join(","))
    };
    let removed: Vec<&KeyCredential> = target
        .key_credentials
        .iter()
        .filter(|k| !replaced.iter().any(|r| r.key_id == k.key_id))
        .collect();
    let added: Vec<&KeyCredential> = replaced
        .iter()
        .filter(|r| !target.key_credentials.iter().any(|k| k.key_id == r.key_id))
        .collect();
    let (removed, added) = (describe(&removed), describe(&added));
    let (app_id, app_name) = (target.id.clone(), target.display_name.clone());
    target.key_credentials = replaced;
    super::audit::record_credentials_change(
        &mut graph.audit,
        &caller,
        &app_id,
        &app_name,
        removed,
        added,
    );
    StatusCode::NO_CONTENT.into_response()
}

pub async fn patch_application(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match object_id(&ids, &id) {
        Ok(app) => update(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}

pub async fn patch_application_by_key(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match alternate_key(&ids, &key) {
        Ok(app) => update(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}

/// `POST /_sandbox/key-credentials` `{"app": display name, "displayName": …}`: gives the app
/// one more certificate credential, as the seed does (a test's "earlier certificate").
/// `GET /_sandbox/key-credentials`: every app's certificates with their `key` (the state hook
/// leaves `key` out, as Graph does without `$select`).
pub async fn seed_hook(State(state): State<AppState>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (Some(name), Some(label)) = (body["app"].as_str(), body["displayName"].as_str()) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": {"code": "SandboxHookRefused", "message": "expected {\"app\": display name, \"displayName\": text}"}}))).into_response();
    };
    let mut graph = lock(&state.graph);
    let Some(app) = graph
        .applications
        .iter_mut()
        .find(|a| a.display_name == name)
    else {
        return (
            StatusCode::NOT_FOUND,
            Json(json!({"error": {"code": "SandboxHookRefused", "message": "no such app"}})),
        )
            .into_response();
    };
    let now = Utc::now();
    let fake = format!("sandbox certificate {label} for {name}");
    let b64 = base64::engine::general_purpose::STANDARD;
    app.key_credentials.push(KeyCredential {
        key_id: uuid::Uuid::new_v4().to_string(),
        display_name: Some(label.to_owned()),
        start: now - Duration::days(30),
        end: now + Duration::days(335),
        custom_key_identifier: b64.encode(&Sha1::digest(fake.as_bytes())[..]),
        key: b64.encode(fake.as_bytes()),
    });
    let listed: Vec<Value> = app
        .key_credentials
        .iter()
        .map(|k| k.to_graph_json(true))
        .collect();
    Json(json!({ "value": listed })).into_response()
}

pub async fn list_hook(State(state): State<AppState>) -> Json<Value> {
    let graph = lock(&state.graph);
    let apps: Map<String, Value> = graph
        .applications
        .iter()
        .map(|a| {
            (
                a.display_name.clone(),
                Value::Array(
                    a.key_credentials
                        .iter()
                        .map(|k| k.to_graph_json(true))
                        .collect(),
                ),
            )
        })
        .collect();
    Json(Value::Object(apps))
}

#[cfg(test)]
mod tests;
