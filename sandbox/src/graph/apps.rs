//! Reading applications: `GET /applications`, `/applications/{id}`, `/applications(appId='…')`,
//! `/applications/{id}/owners` and `/me/ownedObjects/microsoft.graph.application`.
//!
//! `$expand=owners(...)` on a list puts each app's owners inline, at most
//! [`query::EXPAND_MAX_ITEMS`] of them and no nextLink for the rest, in pages of at most
//! [`query::EXPAND_MAX_PAGE`] apps (sources beside the constants). `/owners` pages like any
//! directory list (`$select`, `$top` up to 999, `@odata.nextLink`).

use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::query::{self, Query};
use super::{
    authorize, bad_request, error, owners as directory_owners, service_root, Need, RequestIds,
};
use crate::graph::directory::{Application, GraphState};
use crate::{lock, AppState};

/// The application properties the sandbox serves (all are in the v1.0 CSDL).
pub const APPLICATION_PROPERTIES: &[&str] = &[
    "id",
    "deletedDateTime",
    "addIns",
    "api",
    "appId",
    "applicationTemplateId",
    "appRoles",
    "certification",
    "createdDateTime",
    "defaultRedirectUri",
    "description",
    "disabledByMicrosoftStatus",
    "displayName",
    "groupMembershipClaims",
    "identifierUris",
    "info",
    "isDeviceOnlyAuthSupported",
    "isFallbackPublicClient",
    "keyCredentials",
    "notes",
    "optionalClaims",
    "parentalControlSettings",
    "passwordCredentials",
    "publicClient",
    "publisherDomain",
    "requiredResourceAccess",
    "samlMetadataUrl",
    "serviceManagementReference",
    "signInAudience",
    "spa",
    "tags",
    "tokenEncryptionKeyId",
    "verifiedPublisher",
    "web",
];

/// How a request names an application.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AppRef {
    ObjectId(String),
    AppId(String),
}

impl AppRef {
    pub fn find<'a>(&self, graph: &'a GraphState) -> Option<&'a Application> {
        graph.applications.iter().find(|a| self.is(a))
    }

    pub fn is(&self, app: &Application) -> bool {
        match self {
            AppRef::ObjectId(id) => app.id.eq_ignore_ascii_case(id),
            AppRef::AppId(app_id) => app.app_id.eq_ignore_ascii_case(app_id),
        }
    }

    pub fn describe(&self) -> &str {
        match self {
            AppRef::ObjectId(id) | AppRef::AppId(id) => id,
        }
    }
}

/// `/applications/{id}`: the ID must be a GUID.
pub fn object_id(ids: &RequestIds, id: &str) -> Result<AppRef, Response> {
    if uuid::Uuid::parse_str(id).is_ok() {
        Ok(AppRef::ObjectId(id.to_owned()))
    } else {
        Err(bad_request(
            ids,
            "Request_BadRequest",
            &format!("Invalid object identifier '{id}'."),
        ))
    }
}

/// `applications(appId='…')`, the alternate key segment.
pub fn alternate_key(ids: &RequestIds, key: &str) -> Result<AppRef, Response> {
    let app_id = key
        .strip_prefix("applications(appId=")
        .and_then(|rest| rest.strip_suffix(')'))
        .and_then(|quoted| quoted.strip_prefix('\'')?.strip_suffix('\''));
    match app_id {
        Some(app_id) if !app_id.is_empty() => Ok(AppRef::AppId(app_id.replace("''", "'"))),
        _ => Err(bad_request(
            ids,
            "BadRequest",
            &format!("Resource not found for the segment '{key}'."),
        )),
    }
}

pub fn not_found(ids: &RequestIds, app: &AppRef) -> Response {
    error(ids, StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!(
        "Resource '{}' does not exist or one of its queried reference-property objects are not present.",
        app.describe()
    ))
}

/// An application as Graph returns it, narrowed to `$select` when given. Certificate `key` bytes
/// are returned only when `keyCredentials` is selected (application-get.md, application-list.md).
pub fn project(app: &Application, select: Option<&[String]>) -> Map<String, Value> {
    let with_key = select.is_some_and(|s| s.iter().any(|p| p == "keyCredentials"));
    let full = app.to_graph_json(with_key);
    match select {
        None => full,
        Some(names) => names
            .iter()
            .filter_map(|n| full.get(n).map(|v| (n.clone(), v.clone())))
            .collect(),
    }
}

/// One application of a list: projected to `$select`, with its first owners when
/// `$expand=owners` asked for them (at most [`query::EXPAND_MAX_ITEMS`], no nextLink).
fn list_item(app: &Application, q: &Query) -> Map<String, Value> {
    let mut item = project(app, q.select.as_deref());
    if let Some(expand) = &q.expand {
        let owners: Vec<Value> = directory_owners::known(&app.owners)
            .take(query::EXPAND_MAX_ITEMS)
            .filter_map(|oid| directory_owners::project_owner(oid, expand.select.as_deref()))
            .collect();
        item.insert("owners".into(), Value::Array(owners));
    }
    item
}

fn context(state: &AppState, set: &str, select: Option<&[String]>, entity: bool) -> String {
    let select = select
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    let suffix = if entity { "/$entity" } else { "" };
    format!("{}/$metadata#{set}{select}{suffix}", service_root(state))
}

/// One page of a collection, with `@odata.count` (first page only) and `@odata.nextLink`. Only
/// the page's items are turned into JSON (`project`), so a page costs its size, not the
/// collection's.
fn page<T>(
    state: &AppState,
    path: &str,
    q: &Query,
    context: String,
    items: &[T],
    project: impl Fn(&T) -> Value,
) -> Value {
    let total = items.len();
    let size = q.page_size();
    let start = q.skip.min(total);
    let end = (start + size).min(total);
    let mut body = Map::new();
    body.insert("@odata.context".into(), json!(context));
    if q.count && !q.continued {
        body.insert("@odata.count".into(), json!(total));
    }
    if end < total {
        body.insert(
            "@odata.nextLink".into(),
            json!(format!(
                "{}{path}?{}",
                state.options.base_url,
                q.next_query(end)
            )),
        );
    }
    body.insert(
        "value".into(),
        Value::Array(items[start..end].iter().map(project).collect()),
    );
    Value::Object(body)
}

fn matching<'a>(apps: impl Iterator<Item = &'a Application>, q: &Query) -> Vec<&'a Application> {
    apps.filter(|a| q.filter.as_ref().is_none_or(|f| f.matches(a)))
        .filter(|a| q.search.as_ref().is_none_or(|s| s.matches(a)))
        .collect()
}

fn parse_app_query(
    ids: &RequestIds,
    raw: Option<&str>,
    headers: &HeaderMap,
) -> Result<Query, Response> {
    query::parse(raw, headers, APPLICATION_PROPERTIES, "application")
        .map_err(|(code, message)| bad_request(ids, code, &message))
}

pub async fn list(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadApps) {
        return r;
    }
    let q = match parse_app_query(&ids, raw.as_deref(), &headers) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let ctx = context(&state, "applications", q.select.as_deref(), false);
    let body = {
        let graph = lock(&state.graph);
        let items = matching(graph.applications.iter(), &q);
        page(&state, "/graph/v1.0/applications", &q, ctx, &items, |a| {
            Value::Object(list_item(a, &q))
        })
    };
    Json(body).into_response()
}

pub async fn owned_applications(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = match parse_app_query(&ids, raw.as_deref(), &headers) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let ctx = context(&state, "applications", q.select.as_deref(), false);
    let path = "/graph/v1.0/me/ownedObjects/microsoft.graph.application";
    let body = {
        let graph = lock(&state.graph);
        let owned = graph
            .applications
            .iter()
            .filter(|a| a.owners.contains(&caller.oid));
        let items = matching(owned, &q);
        page(&state, path, &q, ctx, &items, |a| {
            let mut item = Map::new();
            item.insert("@odata.type".into(), json!("#microsoft.graph.application"));
            item.extend(list_item(a, &q));
            Value::Object(item)
        })
    };
    Json(body).into_response()
}

async fn get_app(
    state: AppState,
    ids: RequestIds,
    headers: HeaderMap,
    raw: Option<String>,
    app: AppRef,
) -> Response {
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadApps) {
        return r;
    }
    let q = match parse_app_query(&ids, raw.as_deref(), &headers) {
        Ok(q) => q,
        Err(r) => return r,
    };
    let graph = lock(&state.graph);
    let Some(found) = app.find(&graph) else {
        return not_found(&ids, &app);
    };
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(context(&state, "applications", q.select.as_deref(), true)),
    );
    body.extend(project(found, q.select.as_deref()));
    Json(Value::Object(body)).into_response()
}

pub async fn get_one(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    match object_id(&ids, &id) {
        Ok(app) => get_app(state, ids, headers, raw, app).await,
        Err(r) => r,
    }
}

pub async fn get_one_by_key(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    match alternate_key(&ids, &key) {
        Ok(app) => get_app(state, ids, headers, raw, app).await,
        Err(r) => r,
    }
}

async fn list_owners(
    state: AppState,
    ids: RequestIds,
    headers: HeaderMap,
    raw: Option<String>,
    app: AppRef,
) -> Response {
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadApps) {
        return r;
    }
    // `$select`, `$top` and `$skiptoken` as on any directory list; the sandbox filters and
    // searches no owners (strict: sandbox/README.md).
    let q = match query::parse(
        raw.as_deref(),
        &headers,
        directory_owners::OWNER_PROPERTIES,
        "directoryObject",
    ) {
        Ok(q) if q.filter.is_none() && q.search.is_none() => q,
        Ok(_) => {
            return bad_request(
                &ids,
                "Request_UnsupportedQuery",
                "The sandbox does not filter or search an application's owners.",
            )
        }
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    let owners: Vec<String> = {
        let graph = lock(&state.graph);
        match app.find(&graph) {
            Some(found) => found.owners.clone(),
            None => return not_found(&ids, &app),
        }
    };
    let value: Vec<Value> = directory_owners::known(&owners)
        .filter_map(|oid| directory_owners::project_owner(oid, q.select.as_deref()))
        .collect();
    let path = match &app {
        AppRef::ObjectId(id) => format!("/graph/v1.0/applications/{id}/owners"),
        AppRef::AppId(app_id) => format!(
            "/graph/v1.0/applications(appId='{}')/owners",
            app_id.replace('\'', "''")
        ),
    };
    let ctx = format!("{}/$metadata#directoryObjects", service_root(&state));
    Json(page(&state, &path, &q, ctx, &value, Value::clone)).into_response()
}

pub async fn owners(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    match object_id(&ids, &id) {
        Ok(app) => list_owners(state, ids, headers, raw, app).await,
        Err(r) => r,
    }
}

pub async fn owners_by_key(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(key): Path<String>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    match alternate_key(&ids, &key) {
        Ok(app) => list_owners(state, ids, headers, raw, app).await,
        Err(r) => r,
    }
}
