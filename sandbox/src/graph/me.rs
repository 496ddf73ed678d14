//! `GET /me`, `GET /me/memberOf/microsoft.graph.directoryRole` and
//! `GET /me/transitiveMemberOf/microsoft.graph.group`.
//!
//! Memberships answer with **limited information** when the token may not read the member's type:
//! "only the @odata.type property for the object type and the id is returned, while other
//! properties are indicated as null" (microsoft-graph-docs-contrib api-reference/includes/
//! limited-info.md, included by ../shared/specs/graph-docs/user-list-memberof.md and
//! user-list-transitivememberof.md). Directory roles need `RoleManagement.Read.Directory` or
//! `Directory.Read.All` (azure-apis.md §7.2); groups need `GroupMember.Read.All`, `Group.Read.All`
//! or `Directory.Read.All` (the higher permissions in user-list-transitivememberof.md's table).

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::{authorize, bad_request, query, service_root, Need, RequestIds};
use crate::identity::personas::{self, Persona};
use crate::identity::tokens::Caller;
use crate::AppState;

/// The user properties `/me` serves (the default set of v1.0, plus `mailNickname` and `accountEnabled`).
pub const USER_PROPERTIES: &[&str] = &[
    "businessPhones",
    "displayName",
    "givenName",
    "jobTitle",
    "mail",
    "mobilePhone",
    "officeLocation",
    "preferredLanguage",
    "surname",
    "userPrincipalName",
    "id",
    "mailNickname",
    "accountEnabled",
];

/// A user as Graph returns it by default; `typed` adds `@odata.type` (in directoryObject collections).
pub fn user_json(p: &Persona, typed: bool) -> Value {
    let mut v = json!({
        "id": p.oid,
        "businessPhones": [],
        "displayName": p.name,
        "givenName": p.given_name,
        "jobTitle": p.job_title,
        "mail": p.upn,
        "mobilePhone": null,
        "officeLocation": null,
        "preferredLanguage": "en-US",
        "surname": p.surname,
        "userPrincipalName": p.upn,
    });
    if typed {
        v["@odata.type"] = json!("#microsoft.graph.user");
    }
    v
}

pub async fn me(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = match query::parse(raw.as_deref(), &headers, USER_PROPERTIES, "user") {
        Ok(q) => q,
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    let Some(persona) = personas::by_oid(&caller.oid) else {
        return super::error(&ids, axum::http::StatusCode::NOT_FOUND, "Request_ResourceNotFound",
            &format!("Resource '{}' does not exist or one of its queried reference-property objects are not present.", caller.oid));
    };
    let mut full = match user_json(&persona, false) {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    full.insert(
        "mailNickname".into(),
        json!(persona.upn.split('@').next().unwrap_or_default()),
    );
    full.insert("accountEnabled".into(), json!(true));
    let root = service_root(&state);
    let mut body = Map::new();
    match &q.select {
        Some(names) => {
            body.insert(
                "@odata.context".into(),
                json!(format!(
                    "{root}/$metadata#users({})/$entity",
                    names.join(",")
                )),
            );
            for n in names {
                if let Some(v) = full.get(n) {
                    body.insert(n.clone(), v.clone());
                }
            }
        }
        None => {
            body.insert(
                "@odata.context".into(),
                json!(format!("{root}/$metadata#users/$entity")),
            );
            for n in USER_PROPERTIES.iter().take(11) {
                if let Some(v) = full.get(*n) {
                    body.insert((*n).to_owned(), v.clone());
                }
            }
        }
    }
    Json(Value::Object(body)).into_response()
}

/// Scopes that read directory roles in full (azure-apis.md §7.2).
const ROLE_READERS: &[&str] = &[
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

/// Scopes that read groups in full (user-list-transitivememberof.md's permissions table).
const GROUP_READERS: &[&str] = &[
    "GroupMember.Read.All",
    "Group.Read.All",
    "Group.ReadWrite.All",
    "Directory.Read.All",
    "Directory.ReadWrite.All",
];

fn may_read(caller: &Caller, scopes: &[&str]) -> bool {
    scopes.iter().any(|s| caller.has_scope(s))
}

/// "Limited information": `@odata.type` and `id`, every other property `null`.
fn limited(full: Value) -> Value {
    match full {
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| match k.as_str() {
                    "@odata.type" | "id" => (k, v),
                    _ => (k, Value::Null),
                })
                .collect(),
        ),
        other => other,
    }
}

/// `GET /me/memberOf/microsoft.graph.directoryRole`: the built-in roles assigned to the caller at
/// tenant scope (a directoryRole is an activated built-in role; its `id` is per tenant, not the
/// template ID, azure-apis.md §7.2). Roles held through groups are the group's memberships, not
/// the user's direct ones (user-list-memberof.md: "This operation isn't transitive").
pub async fn directory_roles(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let roles = crate::graph::directory::roles::demo();
    let full_info = may_read(&caller, ROLE_READERS);
    let value: Vec<Value> = roles
        .assignments
        .iter()
        .filter(|a| a.principal_id.eq_ignore_ascii_case(&caller.oid) && a.directory_scope_id == "/")
        .filter_map(|a| roles.definition(&a.role_definition_id))
        .filter(|d| d.is_built_in)
        .map(|d| {
            let role = json!({
                "@odata.type": "#microsoft.graph.directoryRole",
                "id": crate::graph::directory::seed::stable_guid(&format!("role|{}", d.template_id)),
                "deletedDateTime": null,
                "description": d.description,
                "displayName": d.display_name,
                "roleTemplateId": d.template_id,
            });
            if full_info {
                role
            } else {
                limited(role)
            }
        })
        .collect();
    Json(json!({
        "@odata.context": format!("{}/$metadata#directoryRoles", service_root(&state)),
        "value": value,
    }))
    .into_response()
}

/// The group properties `/me/transitiveMemberOf/microsoft.graph.group` serves (v1.0 CSDL names).
pub const GROUP_PROPERTIES: &[&str] = &[
    "id",
    "deletedDateTime",
    "description",
    "displayName",
    "groupTypes",
    "isAssignableToRole",
    "mail",
    "mailEnabled",
    "mailNickname",
    "securityEnabled",
];

/// Reads `$select`, `$count` and `$top` for the group cast; anything else is refused (strict).
struct GroupQuery {
    select: Option<Vec<String>>,
    count: bool,
    top: usize,
    skip: usize,
}

fn group_query(raw: Option<&str>) -> Result<GroupQuery, (&'static str, String)> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
            (
                "BadRequest",
                "The query string could not be parsed.".to_owned(),
            )
        })?;
    let mut q = GroupQuery {
        select: None,
        count: false,
        top: query::DEFAULT_PAGE,
        skip: 0,
    };
    let is = |k: &str, name: &str| k.strip_prefix('$').unwrap_or(k).eq_ignore_ascii_case(name);
    for (key, value) in &pairs {
        if is(key, "select") {
            let mut names = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let Some(known) = GROUP_PROPERTIES
                    .iter()
                    .find(|p| p.eq_ignore_ascii_case(name))
                else {
                    return Err(("BadRequest", format!(
                        "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type 'microsoft.graph.group'."
                    )));
                };
                names.push((*known).to_owned());
            }
            q.select = Some(names);
        } else if is(key, "count") {
            q.count = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(("BadRequest", format!("Invalid value '{value}' for $count query option found. The $count query option requires a Boolean value."))),
            };
        } else if is(key, "top") {
            // "The default and maximum page sizes are 100 and 999 objects" (the page).
            q.top = value
                .parse::<usize>()
                .ok()
                .filter(|n| (1..=query::MAX_PAGE).contains(n))
                .ok_or_else(|| ("Request_BadRequest", format!("Invalid page size specified: '{value}'. Must be between 1 and 999 inclusive.")))?;
        } else if is(key, "skiptoken") {
            q.skip = value
                .strip_prefix("sandbox-groups:")
                .and_then(|n| n.parse().ok())
                .ok_or(("Request_BadRequest", "Invalid skip token.".to_owned()))?;
        } else if key.starts_with('$') {
            return Err((
                "BadRequest",
                format!("Query option '{key}' is not supported by the sandbox for this resource."),
            ));
        }
    }
    Ok(q)
}

/// `GET /me/transitiveMemberOf/microsoft.graph.group`: the groups the caller belongs to, directly
/// or through nesting (none is nested here). The page's header table: "ConsistencyLevel: eventual.
/// This header and $count are required when using the $search, $filter, $orderby, or OData cast
/// query parameters", so the cast without both is refused (400 `Request_UnsupportedQuery`; the
/// real wording is unknown, sandbox/README.md). Delegated `User.Read` suffices
/// (user-list-transitivememberof.md), with limited information for groups unless the token may
/// read groups.
pub async fn transitive_groups(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let q = match group_query(raw.as_deref()) {
        Ok(q) => q,
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    if !(q.count && query::eventual(&headers)) {
        return bad_request(
            &ids,
            "Request_UnsupportedQuery",
            "An OData cast on a membership needs advanced query parameters: the 'ConsistencyLevel: eventual' header and $count=true.",
        );
    }
    let full_info = may_read(&caller, GROUP_READERS);
    let groups: Vec<&crate::graph::directory::roles::Group> =
        crate::graph::directory::roles::demo()
            .groups_of(&caller.oid)
            .collect();
    let root = service_root(&state);
    let page: Vec<Value> = groups
        .iter()
        .skip(q.skip)
        .take(q.top)
        .map(|g| {
            let full = json!({
                "@odata.type": "#microsoft.graph.group",
                "id": g.id,
                "deletedDateTime": null,
                "description": g.description,
                "displayName": g.display_name,
                "groupTypes": [],
                "isAssignableToRole": g.is_assignable_to_role,
                "mail": null,
                "mailEnabled": false,
                "mailNickname": g.display_name.to_lowercase().replace(' ', "-"),
                "securityEnabled": true,
            });
            let shown = if full_info { full } else { limited(full) };
            match &q.select {
                // A cast with $select: the chosen properties only (the page's example 4).
                Some(names) => Value::Object(
                    names
                        .iter()
                        .filter_map(|n| shown.get(n).map(|v| (n.clone(), v.clone())))
                        .collect(),
                ),
                None => shown,
            }
        })
        .collect();
    let context = match &q.select {
        Some(names) => format!("{root}/$metadata#groups({})", names.join(",")),
        None => format!("{root}/$metadata#groups"),
    };
    let mut body = json!({ "@odata.context": context });
    if q.skip == 0 {
        body["@odata.count"] = json!(groups.len());
    }
    body["value"] = Value::Array(page);
    if q.skip + q.top < groups.len() {
        let mut params: Vec<String> = Vec::new();
        if let Some(names) = &q.select {
            params.push(format!("$select={}", names.join(",")));
        }
        params.push("$count=true".into());
        params.push(format!("$top={}", q.top));
        params.push(format!("$skiptoken=sandbox-groups:{}", q.skip + q.top));
        body["@odata.nextLink"] = json!(format!(
            "{root}/me/transitiveMemberOf/microsoft.graph.group?{}",
            params.join("&")
        ));
    }
    Json(body).into_response()
}
