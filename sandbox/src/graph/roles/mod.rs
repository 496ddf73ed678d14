//! `GET /roleManagement/directory/roleAssignments` and `GET /roleManagement/directory/roleDefinitions`
//! in Graph's shape, from the directory's roles (`crate::graph::directory::roles`).
//!
//! Sources (../shared/specs/graph-docs): rbacapplication-list-roleassignments.md (delegated
//! permissions RoleManagement.Read.Directory, RoleManagement.Read.All, Directory.Read.All,
//! RoleManagement.ReadWrite.Directory, Directory.ReadWrite.All; `$filter`, `$expand`, `$select`;
//! and, through its include rbac-role-assignment-apis-read.md, that the signed-in user must also
//! hold a role that may read role assignments, such as Directory Readers, Global Reader or
//! Privileged Role Administrator), unifiedroleassignment.md (properties; `principalId`,
//! `directoryScopeId`, `roleDefinitionId` and `appScopeId` support `$filter` with `eq` and `in`;
//! `roleDefinition` supports `$expand`), rbacapplication-list-roledefinitions.md (permissions
//! RoleManagement.Read.Directory, Directory.Read.All, RoleManagement.ReadWrite.Directory,
//! Directory.ReadWrite.All; `$filter` with `eq` and `in` on `id`, `displayName`, `isBuiltIn`; the
//! response shape), unifiedroledefinition.md and unifiedrolepermission.md. The query options
//! (`$filter`, `$select`, `$expand`) and their sources are in [`query`].
//!
//! Choice where the real behaviour is not documented (sandbox/README.md): everything on one page.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

mod query;

use self::query::{matches, parse_query, select, Clause};
use super::{authorize, bad_request, denied, service_root, Need, RequestIds};
use crate::graph::directory::roles::{RoleAssignment, RoleDefinition, RoleDirectory};
use crate::AppState;

/// Delegated permissions that list role assignments (the page's table).
pub const ROLE_ASSIGNMENT_READ_PERMISSIONS: [&str; 5] = [
    "RoleManagement.Read.Directory",
    "RoleManagement.Read.All",
    "Directory.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.ReadWrite.All",
];

/// Delegated permissions that list role definitions (the page's table: no RoleManagement.Read.All).
pub const ROLE_DEFINITION_READ_PERMISSIONS: [&str; 4] = [
    "RoleManagement.Read.Directory",
    "Directory.Read.All",
    "RoleManagement.ReadWrite.Directory",
    "Directory.ReadWrite.All",
];

const ASSIGNMENT_PROPERTIES: &[&str] = &[
    "id",
    "appScopeId",
    "condition",
    "directoryScopeId",
    "principalId",
    "principalOrganizationId",
    "roleDefinitionId",
];

const DEFINITION_PROPERTIES: &[&str] = &[
    "id",
    "description",
    "displayName",
    "isBuiltIn",
    "isEnabled",
    "resourceScopes",
    "rolePermissions",
    "templateId",
    "version",
];

/// A role definition in Graph's shape (rbacapplication-list-roledefinitions.md's example).
pub fn definition_json(d: &RoleDefinition) -> Value {
    json!({
        "id": d.id,
        "description": d.description,
        "displayName": d.display_name,
        "isBuiltIn": d.is_built_in,
        "isEnabled": true,
        "resourceScopes": ["/"],
        "templateId": d.template_id,
        "version": if d.is_built_in { Value::from("1") } else { Value::Null },
        "rolePermissions": [{
            "allowedResourceActions": d.allowed_actions,
            "condition": null,
        }],
    })
}

/// A role assignment in Graph's shape (rbacapplication-list-roleassignments.md's examples; the
/// properties of unifiedroleassignment.md).
pub fn assignment_json(a: &RoleAssignment) -> Value {
    json!({
        "id": a.id,
        "principalId": a.principal_id,
        "directoryScopeId": a.directory_scope_id,
        "roleDefinitionId": a.role_definition_id,
        "appScopeId": null,
        "condition": null,
    })
}

fn assignment_property(a: &RoleAssignment, property: &str) -> String {
    match property {
        "id" => a.id.clone(),
        "principalId" => a.principal_id.clone(),
        "directoryScopeId" => a.directory_scope_id.clone(),
        "roleDefinitionId" => a.role_definition_id.clone(),
        // appScopeId is null on every directory assignment here.
        _ => String::new(),
    }
}

/// The assignments a query returns (one page).
pub fn list_assignments(roles: &RoleDirectory, filter: &Option<Clause>) -> Vec<RoleAssignment> {
    roles
        .assignments
        .iter()
        .filter(|a| matches(filter, |p| assignment_property(a, p)))
        .cloned()
        .collect()
}

pub async fn role_assignments(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::ReadRoleAssignments) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let roles = crate::graph::directory::roles::demo();
    // rbac-role-assignment-apis-read.md: delegated callers also need a role that reads them.
    if !roles.may_read_role_assignments(&caller.oid) {
        return denied(&ids);
    }
    let q = match parse_query(
        raw.as_deref(),
        &[
            "principalId",
            "directoryScopeId",
            "roleDefinitionId",
            "appScopeId",
            "id",
        ],
        ASSIGNMENT_PROPERTIES,
        true,
        "unifiedRoleAssignment",
    ) {
        Ok(q) => q,
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    let root = service_root(&state);
    let value: Vec<Value> = list_assignments(roles, &q.filter)
        .iter()
        .map(|a| {
            let mut v = select(assignment_json(a), &q.select, &[]);
            if q.expand_definition {
                v["roleDefinition"] = roles
                    .definition(&a.role_definition_id)
                    .map(definition_json)
                    .unwrap_or(Value::Null);
            }
            v
        })
        .collect();
    let context = if q.expand_definition {
        format!("{root}/$metadata#roleManagement/directory/roleAssignments(roleDefinition())")
    } else {
        format!("{root}/$metadata#roleManagement/directory/roleAssignments")
    };
    Json(json!({ "@odata.context": context, "value": value })).into_response()
}

pub async fn role_definitions(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadRoleDefinitions) {
        return r;
    }
    let q = match parse_query(
        raw.as_deref(),
        &["id", "displayName", "isBuiltIn"],
        DEFINITION_PROPERTIES,
        false,
        "unifiedRoleDefinition",
    ) {
        Ok(q) => q,
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    let value: Vec<Value> = crate::graph::directory::roles::demo()
        .definitions
        .iter()
        .filter(|d| {
            matches(&q.filter, |p| match p {
                "id" => d.id.clone(),
                "displayName" => d.display_name.clone(),
                "isBuiltIn" => d.is_built_in.to_string(),
                _ => String::new(),
            })
        })
        .map(|d| select(definition_json(d), &q.select, &[]))
        .collect();
    Json(json!({
        "@odata.context": format!("{}/$metadata#roleManagement/directory/roleDefinitions", service_root(&state)),
        "value": value,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::query::parse_clause;
    use super::*;

    #[test]
    fn filters_pick_assignments() {
        let roles = crate::graph::directory::roles::demo();
        let all = list_assignments(roles, &None);
        assert_eq!(all.len(), roles.assignments.len());
        let ada = parse_clause(
            &format!(
                "principalId eq '{}'",
                crate::identity::personas::ADA.oid.to_uppercase()
            ),
            &["principalId"],
            "x",
        )
        .unwrap();
        let mine = list_assignments(roles, &Some(ada));
        assert_eq!(mine.len(), 1);
        assert_eq!(
            mine[0].role_definition_id,
            crate::graph::directory::roles::APPLICATION_ADMINISTRATOR
        );
        let tenant = parse_clause("directoryScopeId eq '/'", &["directoryScopeId"], "x").unwrap();
        assert!(list_assignments(roles, &Some(tenant))
            .iter()
            .all(|a| a.directory_scope_id == "/"));
    }
}
