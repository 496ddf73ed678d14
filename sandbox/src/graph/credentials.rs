//! `POST /applications/{id}/addPassword` and `…/removePassword` (also with the
//! `applications(appId='…')` key), with Entra's authorization rules and tenant policy.
//!
//! The 2-secret cap of apps that admit personal accounts answers as Graph does in
//! Azure/azure-cli issue #12946: 400 `TooManyAppPasswords`, "Not allowed to add 3 passwords. You
//! can only add a maximum of 2 passwords.", with `details: [{target: "passwordCredentials", code:
//! "TooManyAppPasswords"}]` (azure-apis.md §7.4).
//!
//! Choices where the real behaviour is not documented (see sandbox/README.md):
//! - removePassword with an unknown `keyId` answers 400 `Request_BadRequest` ("No password
//!   credential found with keyId …"), the directory's generic bad-request code.
//! - An `endDateTime` not after `startDateTime` answers 400 `Request_BadRequest`.

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use super::apps::{alternate_key, not_found, object_id, AppRef};
use super::{authorize, bad_request, denied, service_root, Need, RequestIds};
use crate::graph::directory::Application;
use crate::graph::directory::PasswordCredential;
use crate::identity::tokens::Caller;
use crate::{lock, AppState};

/// Secrets an app that admits personal Microsoft accounts may hold.
pub const PERSONAL_ACCOUNT_SECRET_LIMIT: usize = 2;
/// Default lifetime when `endDateTime` is omitted: two years.
pub const DEFAULT_LIFETIME_DAYS: i64 = 730;

/// passwordCredential properties a request may carry (CSDL); read-only ones are ignored.
const PASSWORD_CREDENTIAL_PROPERTIES: &[&str] = &[
    "customKeyIdentifier",
    "displayName",
    "endDateTime",
    "hint",
    "keyId",
    "secretText",
    "startDateTime",
];

/// Who may add or remove an app's credentials: its owners, and anyone holding a role assignment
/// (their own, or a role-assignable group's) whose definition grants
/// `microsoft.directory/applications/credentials/update` or a wildcard covering it, at tenant
/// scope `/` or on this application (`/{object ID}`). Decided from the directory's roles
/// (`crate::graph::directory::roles`, which cites its sources), never from the token's `wids`.
pub(super) fn may_manage(caller: &Caller, app: &Application) -> bool {
    app.owners
        .iter()
        .any(|o| o.eq_ignore_ascii_case(&caller.oid))
        || crate::graph::directory::roles::demo().may_update_credentials(
            &caller.oid,
            &app.id,
            &app.sign_in_audience,
        )
}

fn parse_body(ids: &RequestIds, body: &Bytes) -> Result<Map<String, Value>, Response> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(bad_request(ids, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.")),
    }
}

fn date(
    ids: &RequestIds,
    v: Option<&Value>,
    name: &str,
) -> Result<Option<DateTime<Utc>>, Response> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => DateTime::parse_from_rfc3339(s)
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| bad_request(ids, "BadRequest", &format!("Cannot convert the literal '{s}' to the expected type 'Edm.DateTimeOffset'."))),
        Some(other) => Err(bad_request(ids, "BadRequest", &format!("Invalid value {other} for property '{name}'."))),
    }
}

async fn add(
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
    let body = match parse_body(&ids, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let requested = match body.get("passwordCredential") {
        None | Some(Value::Null) => Map::new(),
        Some(Value::Object(m)) => m.clone(),
        Some(_) => {
            return bad_request(
                &ids,
                "BadRequest",
                "Invalid value for parameter 'passwordCredential'.",
            )
        }
    };
    if let Some(unknown) = body.keys().find(|k| *k != "passwordCredential") {
        return bad_request(&ids, "BadRequest", &format!("The parameter '{unknown}' in the request payload is not a valid parameter for the operation 'addPassword'."));
    }
    if let Some(unknown) = requested
        .keys()
        .find(|k| !PASSWORD_CREDENTIAL_PROPERTIES.contains(&k.as_str()))
    {
        return bad_request(&ids, "BadRequest", &format!("The property '{unknown}' does not exist on type 'microsoft.graph.passwordCredential'. Make sure to only use property names that are defined by the type."));
    }
    let display_name = match requested.get("displayName") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => {
            return bad_request(
                &ids,
                "BadRequest",
                "Invalid value for property 'displayName'.",
            )
        }
    };
    let now = Utc::now();
    let start = match date(&ids, requested.get("startDateTime"), "startDateTime") {
        Ok(d) => d.unwrap_or(now),
        Err(r) => return r,
    };
    let end = match date(&ids, requested.get("endDateTime"), "endDateTime") {
        Ok(d) => d.unwrap_or(start + Duration::days(DEFAULT_LIFETIME_DAYS)),
        Err(r) => return r,
    };
    if end <= start {
        return bad_request(
            &ids,
            "Request_BadRequest",
            "The password credential's endDateTime must be later than its startDateTime.",
        );
    }

    let mut graph = lock(&state.graph);
    // The app management policy in force (policies.rs), answered after the authorization check.
    let policy_refusal = app
        .find(&graph)
        .and_then(|target| super::policies::refusal(&ids, &graph, target, start, end));
    let Some(target) = graph.applications.iter_mut().find(|a| app.is(a)) else {
        return not_found(&ids, &app);
    };
    if !may_manage(&caller, target) {
        return denied(&ids);
    }
    if let Some(refusal) = policy_refusal {
        return refusal;
    }
    if target.allows_personal_accounts()
        && target.password_credentials.len() >= PERSONAL_ACCOUNT_SECRET_LIMIT
    {
        // Graph's answer in Azure/azure-cli #12946.
        let n = target.password_credentials.len() + 1;
        return super::error_with_details(
            &ids,
            StatusCode::BAD_REQUEST,
            "TooManyAppPasswords",
            &format!(
                "Not allowed to add {n} passwords. You can only add a maximum of {PERSONAL_ACCOUNT_SECRET_LIMIT} passwords."
            ),
            Some(json!([{"target": "passwordCredentials", "code": "TooManyAppPasswords"}])),
        );
    }
    let credential = PasswordCredential::generate(display_name, start, end);
    let mut response = credential.to_graph_json(true);
    let added = super::audit::key_description(
        &credential.key_id,
        "Password",
        credential.display_name.as_deref().unwrap_or_default(),
    );
    let (app_id, app_name) = (target.id.clone(), target.display_name.clone());
    target.password_credentials.push(credential);
    super::audit::record_credentials_change(
        &mut graph.audit,
        &caller,
        &app_id,
        &app_name,
        "[]".into(),
        added,
    );
    drop(graph);
    response["@odata.context"] = json!(format!(
        "{}/$metadata#microsoft.graph.passwordCredential",
        service_root(&state)
    ));
    Json(response).into_response()
}

async fn remove(
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
    let body = match parse_body(&ids, &body) {
        Ok(b) => b,
        Err(r) => return r,
    };
    let key_id = match body.get("keyId") {
        Some(Value::String(k)) if uuid::Uuid::parse_str(k).is_ok() => k.clone(),
        Some(Value::String(k)) => {
            return bad_request(
                &ids,
                "BadRequest",
                &format!("Cannot convert the literal '{k}' to the expected type 'Edm.Guid'."),
            )
        }
        _ => {
            return bad_request(
                &ids,
                "BadRequest",
                "The parameter 'keyId' is required for the operation 'removePassword'.",
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
    let Some(i) =
        (target.password_credentials.iter()).position(|p| p.key_id.eq_ignore_ascii_case(&key_id))
    else {
        return bad_request(
            &ids,
            "Request_BadRequest",
            &format!("No password credential found with keyId '{key_id}'."),
        );
    };
    let gone = target.password_credentials.remove(i);
    let removed = super::audit::key_description(
        &gone.key_id,
        "Password",
        gone.display_name.as_deref().unwrap_or_default(),
    );
    let (app_id, app_name) = (target.id.clone(), target.display_name.clone());
    super::audit::record_credentials_change(
        &mut graph.audit,
        &caller,
        &app_id,
        &app_name,
        removed,
        "[]".into(),
    );
    StatusCode::NO_CONTENT.into_response()
}

pub async fn add_password(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match object_id(&ids, &id) {
        Ok(app) => add(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}

pub async fn add_password_by_key(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match alternate_key(&ids, &key) {
        Ok(app) => add(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}

pub async fn remove_password(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match object_id(&ids, &id) {
        Ok(app) => remove(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}

pub async fn remove_password_by_key(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(key): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    match alternate_key(&ids, &key) {
        Ok(app) => remove(state, ids, headers, app, body).await,
        Err(r) => r,
    }
}
