//! The query options of the role-management lists: `$filter` (one clause, `eq` or `in`),
//! `$select`, and `$expand=roleDefinition` on assignments.
//!
//! Sources (../shared/specs/graph-docs): unifiedroleassignment.md (`principalId`,
//! `directoryScopeId`, `roleDefinitionId` and `appScopeId` support `$filter` with `eq` and `in`;
//! `roleDefinition` supports `$expand`), rbacapplication-list-roledefinitions.md (`$filter` with
//! `eq` and `in` on `id`, `displayName`, `isBuiltIn`). The Graph docs' "Use the $filter query
//! parameter" page: an `in` clause holds at most 15 values.
//!
//! Choices where the real behaviour is not documented (sandbox/README.md): one `$filter` clause
//! (no `and`/`or`), `$expand` of `roleDefinition` only, other query options (`$top`, `$orderby`,
//! `$count`, `$search`) refused with 400.

use serde_json::Value;

use crate::graph::query::{invalid_filter, literal, QueryError};

/// Values an `in` clause may hold (filter-query-parameter page).
pub const MAX_IN_VALUES: usize = 15;

/// One `$filter` clause: a property and the values it may equal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Clause {
    pub property: String,
    pub values: Vec<String>,
}

/// The parsed query of a role-management list.
#[derive(Debug, Default)]
pub struct RoleQuery {
    pub filter: Option<Clause>,
    pub expand_definition: bool,
    pub select: Option<Vec<String>>,
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

pub fn parse_query(
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

pub fn matches(clause: &Option<Clause>, value_of: impl Fn(&str) -> String) -> bool {
    clause.as_ref().is_none_or(|c| {
        let actual = value_of(&c.property);
        c.values.iter().any(|v| v.eq_ignore_ascii_case(&actual))
    })
}

pub fn select(value: Value, names: &Option<Vec<String>>, keep: &[&str]) -> Value {
    match (names, value) {
        (Some(names), Value::Object(map)) => Value::Object(
            map.into_iter()
                .filter(|(k, _)| names.iter().any(|n| n == k) || keep.contains(&k.as_str()))
                .collect(),
        ),
        (_, v) => v,
    }
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
}
