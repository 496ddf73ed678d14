//! An application's federated identity credentials: `GET` and `POST
//! /applications/{id}/federatedIdentityCredentials`, `DELETE …/federatedIdentityCredentials/{id or
//! name}`, with Graph's shapes, its documented rules and errors, and the same authorisation as
//! addPassword (`credentials::may_manage`: the app's owners, or a role granting
//! `microsoft.directory/applications/credentials/update`).
//!
//! Sources (../shared/specs/):
//! - graph-docs/federatedidentitycredential.md: the properties; `audiences` "can only accept a
//!   single value and has a limit of 600 characters"; `issuer` and `subject` 600 characters each,
//!   "The combination of the values of issuer and subject must be unique within the app";
//!   `description` 600 characters; `name` "has a limit of 120 characters and must be URL friendly.
//!   The string is immutable after it's created. Alternate key."
//! - graph-docs/application-post-federatedidentitycredentials.md: "Maximum of 20 objects can be
//!   added to an application"; `201 Created` with the object (its `@odata.context`, `id`,
//!   `description: null` when none was given).
//! - graph-docs/application-list-federatedidentitycredentials.md: the list, `{"value": [...]}`.
//! - graph-docs/federatedidentitycredential-delete.md: by ID or by name, `204 No Content`.
//! - entra-docs/workload-identity-federation-considerations.md, "Errors" (applies to applications
//!   and user-assigned managed identities): 400 "Federated identity credentials must have exactly
//!   one audience."; 400 "Federated Identity Credential from HTTP body has empty properties" ("All
//!   federated identity credential properties are mandatory"); 400 "Federated Identity Credential
//!   name '{ficName}' is invalid." ("Alphanumeric, dash, underscore, no more than 3-120 symbols.
//!   First symbol is alphanumeric.").
//! - Azure/azure-workload-identity issue #434: Graph's answer to a duplicate issuer and subject on
//!   an application, 400 `InvalidFederatedIdentityCredentialValue`, "The combination of issuer and
//!   subject must be unique for the application. Issuer … and Subject: … already exist. paramName:
//!   FederatedIdentityCredential.Subject, paramValue: …, objectType:
//!   Microsoft.Online.DirectoryServices.Application".
//!
//! Choices where the real behaviour is not documented (strict; listed in sandbox/README.md): the
//! codes of the considerations page's errors (`Request_BadRequest` here), the 21st credential's
//! answer, a second credential with a name already in use, a value over 600 characters, and an
//! issuer that is not an `https` URL (all refused with 400 `Request_BadRequest`); an unknown
//! credential to delete answers 404 `Request_ResourceNotFound`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::apps::{not_found, object_id};
use super::credentials::may_manage;
use super::{authorize, bad_request, denied, error, service_root, Need, RequestIds};
use crate::{lock, AppState};

/// Federated identity credentials one application may hold (application-post-…md).
pub const LIMIT: usize = 20;
/// The longest `issuer`, `subject`, audience and `description` (federatedidentitycredential.md).
pub const MAX_VALUE: usize = 600;
/// The longest `name`.
pub const MAX_NAME: usize = 120;
/// The properties a request may carry (the resource's JSON representation; `id` is read-only).
const PROPERTIES: &[&str] = &["name", "issuer", "subject", "audiences", "description"];

/// One federated identity credential, as the directory holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedCredential {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub subject: String,
    pub audiences: Vec<String>,
    pub description: Option<String>,
}

impl FederatedCredential {
    /// Graph's shape (federatedidentitycredential.md's JSON representation).
    pub fn to_graph_json(&self) -> Value {
        json!({
            "id": self.id,
            "name": self.name,
            "issuer": self.issuer,
            "subject": self.subject,
            "description": self.description,
            "audiences": self.audiences,
        })
    }
}

/// The considerations page's name rule: 3 to 120 of letters, digits, `-` and `_`, starting with a
/// letter or digit (stricter than "URL friendly", and within its 120).
pub fn name_is_valid(name: &str) -> bool {
    let mut bytes = name.bytes();
    (3..=MAX_NAME).contains(&name.len())
        && bytes.next().is_some_and(|b| b.is_ascii_alphanumeric())
        && bytes.all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// Why a new credential is refused, before the app's own credentials are compared.
fn check_new(ids: &RequestIds, body: &Map<String, Value>) -> Result<FederatedCredential, Response> {
    if let Some(unknown) = body.keys().find(|k| !PROPERTIES.contains(&k.as_str())) {
        return Err(bad_request(ids, "BadRequest", &format!("The property '{unknown}' does not exist on type 'microsoft.graph.federatedIdentityCredential'. Make sure to only use property names that are defined by the type.")));
    }
    let text = |key: &str| -> Result<Option<String>, Response> {
        match body.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(bad_request(
                ids,
                "BadRequest",
                &format!("Invalid value for property '{key}'."),
            )),
        }
    };
    let (name, issuer, subject) = (text("name")?, text("issuer")?, text("subject")?);
    let description = text("description")?;
    let audiences = match body.get("audiences") {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|a| a.as_str().map(str::to_owned))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                bad_request(ids, "BadRequest", "Invalid value for property 'audiences'.")
            })?,
        Some(_) => {
            return Err(bad_request(
                ids,
                "BadRequest",
                "Invalid value for property 'audiences'.",
            ))
        }
    };
    let empty = |v: &Option<String>| v.as_deref().is_none_or(|s| s.trim().is_empty());
    if empty(&name) || empty(&issuer) || empty(&subject) || audiences.is_empty() {
        // Considerations page: "All federated identity credential properties are mandatory."
        return Err(bad_request(
            ids,
            "Request_BadRequest",
            "Federated Identity Credential from HTTP body has empty properties",
        ));
    }
    if audiences.len() != 1 || audiences[0].trim().is_empty() {
        return Err(bad_request(
            ids,
            "Request_BadRequest",
            "Federated identity credentials must have exactly one audience.",
        ));
    }
    let (name, issuer, subject) = (
        name.unwrap_or_default(),
        issuer.unwrap_or_default(),
        subject.unwrap_or_default(),
    );
    if !name_is_valid(&name) {
        return Err(bad_request(
            ids,
            "Request_BadRequest",
            &format!("Federated Identity Credential name '{name}' is invalid."),
        ));
    }
    let long = [
        ("issuer", &issuer),
        ("subject", &subject),
        ("audiences", &audiences[0]),
    ]
    .into_iter()
    .chain(description.as_ref().map(|d| ("description", d)))
    .find(|(_, v)| v.chars().count() > MAX_VALUE);
    if let Some((key, _)) = long {
        // Undocumented answer (strict): the limit is documented, the refusal's words are not.
        return Err(bad_request(
            ids,
            "Request_BadRequest",
            &format!("The value of '{key}' is longer than {MAX_VALUE} characters."),
        ));
    }
    if !is_https_url(&issuer) {
        // Undocumented (strict): the issuer is "The URL of the external identity provider".
        return Err(bad_request(
            ids,
            "Request_BadRequest",
            &format!("The issuer '{issuer}' is not an https URL."),
        ));
    }
    Ok(FederatedCredential {
        id: uuid::Uuid::new_v4().to_string(),
        name,
        issuer,
        subject,
        audiences,
        description,
    })
}

/// `https://` followed by a host (no spaces anywhere).
fn is_https_url(s: &str) -> bool {
    let rest = s.strip_prefix("https://").unwrap_or_default();
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    !host.is_empty() && !s.chars().any(char::is_whitespace)
}

fn parse_body(ids: &RequestIds, body: &Bytes) -> Result<Map<String, Value>, Response> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request(ids, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")),
    }
}

fn context(state: &AppState, app_id: &str, entity: bool) -> String {
    format!(
        "{}/$metadata#applications('{app_id}')/federatedIdentityCredentials{}",
        service_root(state),
        if entity { "/$entity" } else { "" }
    )
}

/// `GET /applications/{id}/federatedIdentityCredentials`: anyone who may read applications.
pub async fn list(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let app = match object_id(&ids, &id) {
        Ok(a) => a,
        Err(r) => return r,
    };
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadApps) {
        return r;
    }
    let graph = lock(&state.graph);
    let Some(target) = app.find(&graph) else {
        return not_found(&ids, &app);
    };
    let value: Vec<Value> = target
        .federated
        .iter()
        .map(FederatedCredential::to_graph_json)
        .collect();
    Json(json!({ "@odata.context": context(&state, &target.id, false), "value": value }))
        .into_response()
}

/// `POST /applications/{id}/federatedIdentityCredentials`.
pub async fn create(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let app = match object_id(&ids, &id) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let caller = match authorize(&state, &headers, &ids, Need::WriteApps) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let body = match parse_body(&ids, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let mut graph = lock(&state.graph);
    let Some(target) = graph.applications.iter_mut().find(|a| app.is(a)) else {
        return not_found(&ids, &app);
    };
    if !may_manage(&caller, target) {
        return denied(&ids);
    }
    let new = match check_new(&ids, &body) {
        Ok(n) => n,
        Err(r) => return r,
    };
    if let Some(same) = target
        .federated
        .iter()
        .find(|f| f.issuer == new.issuer && f.subject == new.subject)
    {
        // Azure/azure-workload-identity #434: Graph's words for a duplicate on an application.
        return bad_request(&ids, "InvalidFederatedIdentityCredentialValue", &format!(
            "The combination of issuer and subject must be unique for the application. Issuer {} and Subject: {} already exist. paramName: FederatedIdentityCredential.Subject, paramValue: {}, objectType: Microsoft.Online.DirectoryServices.Application",
            same.issuer, same.subject, same.subject
        ));
    }
    if target
        .federated
        .iter()
        .any(|f| f.name.eq_ignore_ascii_case(&new.name))
    {
        // Undocumented answer (strict): the name is an alternate key, so unique on the app.
        return bad_request(
            &ids,
            "Request_BadRequest",
            &format!(
                "A federated identity credential named '{}' already exists on this application.",
                new.name
            ),
        );
    }
    if target.federated.len() >= LIMIT {
        // Undocumented answer (strict): the limit of 20 is documented, its refusal is not.
        return bad_request(
            &ids,
            "Request_BadRequest",
            &format!("An application can have at most {LIMIT} federated identity credentials."),
        );
    }
    let mut response = new.to_graph_json();
    response["@odata.context"] = json!(context(&state, &target.id, true));
    target.federated.push(new);
    (StatusCode::CREATED, Json(response)).into_response()
}

/// `DELETE /applications/{id}/federatedIdentityCredentials/{id or name}`.
pub async fn delete(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path((id, which)): Path<(String, String)>,
    headers: HeaderMap,
) -> Response {
    let app = match object_id(&ids, &id) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let caller = match authorize(&state, &headers, &ids, Need::WriteApps) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let mut graph = lock(&state.graph);
    let Some(target) = graph.applications.iter_mut().find(|a| app.is(a)) else {
        return not_found(&ids, &app);
    };
    if !may_manage(&caller, target) {
        return denied(&ids);
    }
    let Some(i) = target
        .federated
        .iter()
        .position(|f| f.id.eq_ignore_ascii_case(&which) || f.name.eq_ignore_ascii_case(&which))
    else {
        return error(&ids, StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!(
            "Resource '{which}' does not exist or one of its queried reference-property objects are not present."
        ));
    };
    target.federated.remove(i);
    StatusCode::NO_CONTENT.into_response()
}

/// `POST /_sandbox/federated` (test hook): gives the app named `app` (display name) `count` more
/// GitHub Actions credentials, `seeded-{n}` with subject `repo:contoso/seeded:environment:env-{n}`
/// numbered on from those it has, so a test can reach the limit without a browser. No limit is
/// applied here.
pub async fn seed_hook(State(state): State<AppState>, body: Bytes) -> Response {
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (Some(name), Some(count)) = (body["app"].as_str(), body["count"].as_u64()) else {
        return (StatusCode::BAD_REQUEST, Json(json!({"error": {"code": "SandboxHookRefused", "message": "expected {\"app\": display name, \"count\": n}"}}))).into_response();
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
    let first = app.federated.len() + 1;
    for i in first..first + count as usize {
        app.federated.push(FederatedCredential {
            id: uuid::Uuid::new_v4().to_string(),
            name: format!("seeded-{i}"),
            issuer: "https://token.actions.githubusercontent.com".into(),
            subject: format!("repo:contoso/seeded:environment:env-{i}"),
            audiences: vec!["api://AzureADTokenExchange".into()],
            description: None,
        });
    }
    let listed: Vec<Value> = app
        .federated
        .iter()
        .map(FederatedCredential::to_graph_json)
        .collect();
    Json(json!({ "value": listed })).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_follow_the_considerations_page() {
        for ok in ["abc", "gh-payroll_prod", "9lives", &"a".repeat(120)] {
            assert!(name_is_valid(ok), "{ok}");
        }
        for bad in [
            "ab",
            "-abc",
            "_abc",
            "has space",
            "dot.ted",
            "sl/ash",
            &"a".repeat(121),
            "ünï",
        ] {
            assert!(!name_is_valid(bad), "{bad}");
        }
    }

    #[test]
    fn issuers_must_be_https_urls() {
        assert!(is_https_url("https://token.actions.githubusercontent.com"));
        assert!(is_https_url("https://gitlab.example.com/"));
        assert!(!is_https_url("http://token.actions.githubusercontent.com"));
        assert!(!is_https_url("https://"));
        assert!(!is_https_url("https://a b"));
        assert!(!is_https_url("token.actions.githubusercontent.com"));
    }
}
