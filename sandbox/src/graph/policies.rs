//! App management policies: `GET /policies/defaultAppManagementPolicy`,
//! `GET /policies/appManagementPolicies/{id}` and `GET /applications/{id}/appManagementPolicies`,
//! and the refusals addPassword gives under them ([`refusal`]). The data is
//! `directory::{TenantAppManagementPolicy, AppManagementPolicy}`, so what the endpoints show is
//! what addPassword enforces.
//!
//! Sources (../shared/specs/graph-docs unless named):
//! - tenantappmanagementpolicy-get.md, appmanagementpolicy-get.md: the requests and shapes. Reading
//!   needs delegated `Policy.Read.All`, `Policy.Read.ApplicationConfiguration` or
//!   `Policy.ReadWrite.ApplicationConfiguration` (the permission tables of the two pages and of
//!   the current tenantAppManagementPolicy Get page), and "the signed-in user must be assigned a
//!   supported Microsoft Entra role ... Global Reader is the least privileged role supported"
//!   (that page; the stored copy's include names Application Administrator, Global Administrator
//!   and Cloud Application Administrator: microsoftgraph/microsoft-graph-docs-contrib
//!   api-reference/v1.0/includes/rbac-for-apis/rbac-app-auth-method-policy-apis.md and
//!   rbac-app-auth-method-policy-api-get.md). Otherwise 403 `Authorization_RequestDenied`.
//! - The refusal of a too long secret: 400 `CredentialInvalidLifetimeAsPerAppPolicy`, naming the
//!   policy's ID only, `details` "Key credential end date is invalid." (azure-apis.md §1.7 and
//!   §7.3; the app's fixture tests/fixtures/graph/error-400-policy-lifetime.json). No maximum is
//!   stated: the real error does not state one.
//! - The refusal of any new secret (`passwordAddition`): the code `CredentialTypeNotAllowedAsPerAppPolicy`
//!   (OfficeDev/microsoft-365-agents-toolkit, packages/fx-core/src/component/driver/aad/utility/constants.ts
//!   and its aadAppClient tests, which answer addPassword with it as a 400) and the message
//!   "Credential type not allowed as per assigned policy" (quoted from `az ad app credential reset`
//!   in several public repositories' scripts and notes).
//!
//! Choices where the real behaviour is not documented (sandbox/README.md):
//! - `GET /applications/{id}/appManagementPolicies` (the `appManagementPolicies` navigation property
//!   of `application` in the v1.0 CSDL) has no docs page: the sandbox asks for an application read
//!   permission and a policy read permission (as the documented `appliesTo` list does) and the
//!   same directory role as the other policy reads.
//! - The passwordAddition refusal's status (400), the policy ID at the end of its message, and the
//!   absence of `details` are the sandbox's; only the code and the message's words were seen.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, Utc};
use serde_json::{json, Value};

use super::apps::{not_found, object_id};
use super::RequestIds;
use super::{authorize, bad_request, denied, error, error_with_details, service_root, Need};
use crate::graph::directory::roles::{
    APPLICATION_ADMINISTRATOR, CLOUD_APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR, GLOBAL_READER,
};
use crate::graph::directory::{Application, GraphState, PasswordRestrictionType};
use crate::identity::tokens::Caller;
use crate::{lock, AppState};

/// The directory roles that may read app management policies in delegated calls, held
/// tenant-wide (`Caller::has_role`: the directory's role assignments, not the token's `wids`).
const POLICY_READER_ROLES: [&str; 4] = [
    GLOBAL_READER,
    GLOBAL_ADMINISTRATOR,
    APPLICATION_ADMINISTRATOR,
    CLOUD_APPLICATION_ADMINISTRATOR,
];

/// Delegated permissions that read app management policies (the pages' permission tables).
pub const POLICY_READ_PERMISSIONS: [&str; 3] = [
    "Policy.Read.All",
    "Policy.Read.ApplicationConfiguration",
    "Policy.ReadWrite.ApplicationConfiguration",
];

/// The token (401), a policy read permission and a supported role (403).
fn authorize_policy_read(
    state: &AppState,
    headers: &HeaderMap,
    ids: &RequestIds,
) -> Result<Caller, Response> {
    let caller = authorize(state, headers, ids, Need::ReadPolicies)?;
    if !POLICY_READER_ROLES.iter().any(|r| caller.has_role(r)) {
        return Err(denied(ids));
    }
    Ok(caller)
}

/// `GET /policies/defaultAppManagementPolicy`.
pub async fn default_policy(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize_policy_read(&state, &headers, &ids) {
        return r;
    }
    let mut body = lock(&state.graph).policy.to_json();
    body["@odata.context"] = json!(format!(
        "{}/$metadata#policies/defaultAppManagementPolicy/$entity",
        service_root(&state)
    ));
    Json(body).into_response()
}

/// `GET /policies/appManagementPolicies/{id}`.
pub async fn app_policy(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    if let Err(r) = authorize_policy_read(&state, &headers, &ids) {
        return r;
    }
    if uuid::Uuid::parse_str(&id).is_err() {
        return bad_request(
            &ids,
            "Request_BadRequest",
            &format!("Invalid object identifier '{id}'."),
        );
    }
    let graph = lock(&state.graph);
    let Some(policy) = graph
        .app_policies
        .iter()
        .find(|p| p.id.eq_ignore_ascii_case(&id))
    else {
        return error(&ids, StatusCode::NOT_FOUND, "Request_ResourceNotFound", &format!(
            "Resource '{id}' does not exist or one of its queried reference-property objects are not present."
        ));
    };
    let mut body = policy.to_json();
    body["@odata.context"] = json!(format!(
        "{}/$metadata#policies/appManagementPolicies/$entity",
        service_root(&state)
    ));
    Json(body).into_response()
}

/// `GET /applications/{id}/appManagementPolicies`: the policies assigned to the application
/// (usually none). Needs an application read permission as well (see the module docs).
pub async fn of_application(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let caller = match authorize_policy_read(&state, &headers, &ids) {
        Ok(c) => c,
        Err(r) => return r,
    };
    if !super::scope_allows(&caller.scp, Need::ReadApps) {
        return denied(&ids);
    }
    let app = match object_id(&ids, &id) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let graph = lock(&state.graph);
    let Some(target) = app.find(&graph) else {
        return not_found(&ids, &app);
    };
    let value: Vec<Value> = graph
        .policies_of(target)
        .into_iter()
        .map(|p| p.to_json())
        .collect();
    Json(json!({
        "@odata.context": format!("{}/$metadata#policies/appManagementPolicies", service_root(&state)),
        "value": value,
    }))
    .into_response()
}

/// addPassword's answer under the policy in force for `app`, when it refuses: a blocked
/// `passwordAddition`, or `endDateTime - startDateTime` beyond a `passwordLifetime`'s
/// `maxLifetime`. The lifetime refusal is Graph's, with no maximum in it.
pub fn refusal(
    ids: &RequestIds,
    graph: &GraphState,
    app: &Application,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> Option<Response> {
    let policy = graph.policy_in_force(app)?;
    if policy
        .restriction(PasswordRestrictionType::PasswordAddition, app)
        .is_some()
    {
        return Some(bad_request(
            ids,
            "CredentialTypeNotAllowedAsPerAppPolicy",
            &format!(
                "Credential type not allowed as per assigned policy '{}'.",
                policy.id
            ),
        ));
    }
    let max = policy
        .restriction(PasswordRestrictionType::PasswordLifetime, app)?
        .max_lifetime
        .as_ref()?;
    (end - start > max.duration).then(|| {
        error_with_details(
            ids,
            StatusCode::BAD_REQUEST,
            "CredentialInvalidLifetimeAsPerAppPolicy",
            &format!(
                "Credential lifetime exceeds the max value allowed as per assigned policy '{}'.",
                policy.id
            ),
            Some(json!([{
                "code": "InvalidKeyEndDate",
                "message": "Key credential end date is invalid.",
                "target": "EndDate",
            }])),
        )
    })
}
