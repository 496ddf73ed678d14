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
//! response shape), unifiedroledefinition.md and unifiedrolepermission.md. The Graph docs'
//! "Use the $filter query parameter" page: an `in` clause holds at most 15 values.
//!
//! Choices where the real behaviour is not documented (sandbox/README.md): one `$filter` clause
//! (no `and`/`or`), `$expand` of `roleDefinition` only, other query options (`$top`, `$orderby`,
//! `$count`, `$search`) refused with 400, everything on one page.

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Value};

use super::query::{invalid_filter, literal, QueryError};
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

/// Values an `in` clause may hold (filter-query-parameter page).
pub const MAX_IN_VALUES: usize = 15;

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

/// One `$filter` clause: a property and the values it may equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub property: String,
    pub values: Vec<String>,
}

/// The parsed query of a role-management list.
#[derive(Debug, Default)]
struct RoleQuery {
    filter: Option<Clause>,
    expand_definition: bool,
    select: Option<Vec<String>>,
}

fn option_is(key: &str, name: &str) -> bool {
    key.strip_prefix('$')
        .unwrap_or(key)
        .eq_ignore_ascii_case(name)
}

/// `property eq 'v'`, or `property in ('a','b',…)` (at most [`MAX_IN_VALUES`]), on one of
/// `filterable` (case-insensitive; the canonical name is kept). Anything else is refused.
pub fn parse_clause(filter: &str, filterable: &[&str], entity: &str) -> Result<Clause, QueryError> {
    let f = filter.trim();
    let mut words = f.splitn(3, ' ');
    let (Some(property), Some(op), Some(rest)) = (words.next(), words.next(), words.next()) else {
        return Err(invalid_filter(filter));
    };
    let Some(canonical) = filterable.iter().find(|p| p.eq_ignore_ascii_case(property)) else {
        return Err(("Request_UnsupportedQuery", format!(
            "Unsupported or invalid query filter clause specified for property '{property}' of resource '{entity}'."
        )));
    };
    let boolean = ["true", "false"]
        .into_iter()
        .find(|b| rest.trim().eq_ignore_ascii_case(b));
    let (values, tail) = if let (true, Some(b)) = (op.eq_ignore_ascii_case("eq"), boolean) {
        // `isBuiltIn eq false`: an OData Boolean literal, unquoted.
        (vec![b.to_owned()], "")
    } else if op.eq_ignore_ascii_case("eq") {
        let (v, tail) = literal(rest).ok_or_else(|| invalid_filter(filter))?;
        (vec![v], tail)
    } else if op.eq_ignore_ascii_case("in") {
        let mut rest = rest
            .trim_start()
            .strip_prefix('(')
            .ok_or_else(|| invalid_filter(filter))?;
        let mut values = Vec::new();
        loop {
            let (v, tail) = literal(rest).ok_or_else(|| invalid_filter(filter))?;
            values.push(v);
            let tail = tail.trim_start();
            if let Some(after) = tail.strip_prefix(',') {
                rest = after;
            } else if let Some(after) = tail.strip_prefix(')') {
                rest = after;
                break;
            } else {
                return Err(invalid_filter(filter));
            }
        }
        if values.len() > MAX_IN_VALUES {
            return Err(("Request_UnsupportedQuery", format!(
                "Unsupported query: an 'in' clause holds at most {MAX_IN_VALUES} values, this one has {}.",
                values.len()
            )));
        }
        (values, rest)
    } else {
        return Err((
            "Request_UnsupportedQuery",
            format!(
            "Unsupported query: operator '{op}' is not supported on '{canonical}' (eq and in are)."
        ),
        ));
    };
    if !tail.trim().is_empty() {
        return Err((
            "Request_UnsupportedQuery",
            format!("Unsupported query: the sandbox serves one filter clause, not '{filter}'."),
        ));
    }
    Ok(Clause {
        property: (*canonical).to_owned(),
        values,
    })
}

fn parse_query(
    raw: Option<&str>,
    filterable: &[&str],
    selectable: &[&str],
    expandable: bool,
    entity: &str,
) -> Result<RoleQuery, QueryError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
            (
                "BadRequest",
                "The query string could not be parsed.".to_owned(),
            )
        })?;
    let mut q = RoleQuery::default();
    for (key, value) in &pairs {
        if option_is(key, "filter") {
            q.filter = Some(parse_clause(value, filterable, entity)?);
        } else if option_is(key, "select") {
            let mut names = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let Some(known) = selectable.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
                    return Err(("BadRequest", format!(
                        "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type 'microsoft.graph.{entity}'."
                    )));
                };
                names.push((*known).to_owned());
            }
            q.select = Some(names);
        } else if option_is(key, "expand") {
            let all_definition = value
                .split(',')
                .map(str::trim)
                .all(|e| e.eq_ignore_ascii_case("roleDefinition"));
            if !expandable || !all_definition {
                return Err((
                    "BadRequest",
                    format!("The sandbox expands only 'roleDefinition' on role assignments, not '{value}'."),
                ));
            }
            q.expand_definition = true;
        } else if key.starts_with('$') {
            return Err((
                "BadRequest",
                format!("Query option '{key}' is not supported by the sandbox for this resource."),
            ));
        }
    }
    Ok(q)
}

fn matches(clause: &Option<Clause>, value_of: impl Fn(&str) -> String) -> bool {
    clause.as_ref().is_none_or(|c| {
        let actual = value_of(&c.property);
        c.values.iter().any(|v| v.eq_ignore_ascii_case(&actual))
    })
}

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

fn select(value: Value, names: &Option<Vec<String>>, keep: &[&str]) -> Value {
    match (names, value) {
        (Some(names), Value::Object(map)) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| names.iter().any(|n| n == k) || keep.contains(&k.as_str()))
                .collect(),
        ),
        (_, v) => v,
    }
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
    use super::*;

    const P: &[&str] = &["principalId", "directoryScopeId"];

    #[test]
    fn clauses_parse_eq_and_in() {
        assert_eq!(
            parse_clause("principalId eq 'abc'", P, "x").unwrap(),
            Clause {
                property: "principalId".into(),
                values: vec!["abc".into()]
            }
        );
        let c = parse_clause("PrincipalID in ('a', 'b','c')", P, "x").unwrap();
        assert_eq!((c.property.as_str(), c.values.len()), ("principalId", 3));
        assert_eq!(
            parse_clause("directoryScopeId eq '/'", P, "x")
                .unwrap()
                .values,
            ["/"]
        );
        assert_eq!(
            parse_clause("principalId eq 'O''Brien'", P, "x")
                .unwrap()
                .values,
            ["O'Brien"]
        );
        assert_eq!(
            parse_clause("isBuiltIn eq False", &["isBuiltIn"], "x")
                .unwrap()
                .values,
            ["false"]
        );
    }

    #[test]
    fn clauses_refuse_what_graph_does_not_document_here() {
        let code = |f: &str| parse_clause(f, P, "x").unwrap_err().0;
        assert_eq!(code("displayName eq 'x'"), "Request_UnsupportedQuery");
        assert_eq!(code("principalId ne 'x'"), "Request_UnsupportedQuery");
        assert_eq!(
            code("principalId eq 'a' and directoryScopeId eq '/'"),
            "Request_UnsupportedQuery"
        );
        assert_eq!(code("principalId in ('a'"), "BadRequest");
        assert_eq!(code("principalId eq"), "BadRequest");
        let sixteen: Vec<String> = (0..16).map(|i| format!("'{i}'")).collect();
        assert_eq!(
            code(&format!("principalId in ({})", sixteen.join(","))),
            "Request_UnsupportedQuery"
        );
        let fifteen: Vec<String> = (0..15).map(|i| format!("'{i}'")).collect();
        assert!(parse_clause(&format!("principalId in ({})", fifteen.join(",")), P, "x").is_ok());
    }

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
        let tenant = parse_clause("directoryScopeId eq '/'", P, "x").unwrap();
        assert!(list_assignments(roles, &Some(tenant))
            .iter()
            .all(|a| a.directory_scope_id == "/"));
    }
}
