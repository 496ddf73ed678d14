//! `GET /me` and `GET /me/memberOf/microsoft.graph.directoryRole`.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::{authorize, bad_request, query, service_root, Need, RequestIds};
use crate::personas::{self, Persona};
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

pub async fn directory_roles(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let value: Vec<Value> = caller
        .wids
        .iter()
        .filter_map(|template| {
            let name = personas::role_display_name(template)?;
            Some(json!({
                "@odata.type": "#microsoft.graph.directoryRole",
                "id": crate::graph_seed::stable_guid(&format!("role|{template}")),
                "deletedDateTime": null,
                "description": format!("Members of this role can manage application registrations ({name})."),
                "displayName": name,
                "roleTemplateId": template,
            }))
        })
        .collect();
    Json(json!({
        "@odata.context": format!("{}/$metadata#directoryRoles", service_root(&state)),
        "value": value,
    }))
    .into_response()
}
