//! Role assignments, sans-IO: who holds which directory role, and at which scope.
//!
//! Only with the optional delegated permission `RoleManagement.Read.Directory` (and, per the page's
//! note, a role that may read role assignments, such as Directory Readers or Global Reader) does
//! Graph answer; otherwise 403, which the wizard takes as "not readable" and falls back to owners
//! and the ID token's `wids` (`domain::access`).
//!
//! Sources (../shared/specs/graph-docs): rbacapplication-list-roleassignments.md
//! (`GET /roleManagement/directory/roleAssignments` with `$filter` and `$expand`),
//! unifiedroleassignment.md (`principalId` supports `$filter` with `eq` and `in`;
//! `roleDefinition` supports `$expand`), unifiedroledefinition.md, unifiedrolepermission.md; and
//! user-list-transitivememberof.md (`/me/transitiveMemberOf/microsoft.graph.group` needs only
//! `User.Read` and returns at least each group's `id`; a cast needs `ConsistencyLevel: eventual`
//! and `$count=true`; at most 999 a page). An `in` clause holds at most 15 values (the Graph
//! docs' "Use the $filter query parameter" page), so principals go in chunks of
//! [`PRINCIPALS_PER_REQUEST`].

use super::error::GraphError;
use super::read;
use super::requests::{get, url};
use super::types::Page;
use crate::model::RoleAssignment;
use crate::net::{encode, HttpRequest, HttpResponse};
use crate::wire::parse_with;

/// Principals one role-assignment request may name (`principalId in (…)`).
pub const PRINCIPALS_PER_REQUEST: usize = 15;

/// A directory object read for its `id` only (a group the user belongs to).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectId {
    pub id: String,
}

/// The role assignments of `principals` (a user and/or groups), with their definitions:
/// `principalId eq '…'` for one, `principalId in ('…',…)` for up to [`PRINCIPALS_PER_REQUEST`].
pub fn role_assignments_of(base: &str, principals: &[String]) -> HttpRequest {
    let quoted: Vec<String> = principals
        .iter()
        .map(|p| format!("'{}'", p.replace('\'', "''")))
        .collect();
    let filter = match quoted.as_slice() {
        [one] => format!("principalId eq {one}"),
        many => format!("principalId in ({})", many.join(",")),
    };
    get(url(
        base,
        &format!(
            "/roleManagement/directory/roleAssignments?$filter={}&$expand=roleDefinition",
            encode(&filter)
        ),
    ))
}

/// The IDs of the groups the signed-in user belongs to, directly or not (advanced query: the
/// cast needs `ConsistencyLevel: eventual` and `$count=true`). Follow `@odata.nextLink` with
/// [`super::next_page`], which re-sends the header.
pub fn my_group_ids(base: &str) -> HttpRequest {
    get(url(
        base,
        "/me/transitiveMemberOf/microsoft.graph.group?$select=id&$count=true&$top=999",
    ))
    .header("ConsistencyLevel", "eventual")
}

/// `principals` in request-sized chunks.
pub fn principal_chunks(principals: &[String]) -> Vec<Vec<String>> {
    principals
        .chunks(PRINCIPALS_PER_REQUEST)
        .map(<[String]>::to_vec)
        .collect()
}

/// One page of `roleAssignments`.
pub fn parse_role_assignments(res: &HttpResponse) -> Result<Page<RoleAssignment>, GraphError> {
    parse_with(res, |m| read::page(m, read::role_assignment))
}

/// One page of the user's groups (IDs).
pub fn parse_object_ids(res: &HttpResponse) -> Result<Page<ObjectId>, GraphError> {
    parse_with(res, |m| read::page(m, read::object_id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{Method, Resource};

    const BASE: &str = "http://127.0.0.1:8400/graph/";

    fn fixture(name: &str) -> String {
        std::fs::read_to_string(format!(
            "{}/tests/fixtures/graph/{name}",
            env!("CARGO_MANIFEST_DIR")
        ))
        .unwrap()
    }

    #[test]
    fn one_principal_is_eq_and_several_are_in() {
        let one = role_assignments_of(BASE, &["d0d0".into()]);
        assert_eq!(one.method, Method::Get);
        assert_eq!(one.resource, Resource::Graph);
        assert_eq!(
            one.url,
            "http://127.0.0.1:8400/graph/v1.0/roleManagement/directory/roleAssignments\
             ?$filter=principalId%20eq%20%27d0d0%27&$expand=roleDefinition"
        );
        let many = role_assignments_of(BASE, &["a".into(), "b'c".into()]);
        assert!(
            many.url
                .contains("$filter=principalId%20in%20%28%27a%27%2C%27b%27%27c%27%29&"),
            "{}",
            many.url
        );
        assert!(one.headers.is_empty(), "no advanced query needed");
    }

    #[test]
    fn groups_are_an_advanced_query_and_chunks_hold_fifteen() {
        let g = my_group_ids(BASE);
        assert_eq!(
            g.url,
            "http://127.0.0.1:8400/graph/v1.0/me/transitiveMemberOf/microsoft.graph.group\
             ?$select=id&$count=true&$top=999"
        );
        assert_eq!(
            g.headers,
            [("ConsistencyLevel".to_string(), "eventual".to_string())]
        );
        let ids: Vec<String> = (0..31).map(|i| i.to_string()).collect();
        let chunks = principal_chunks(&ids);
        assert_eq!(chunks.iter().map(Vec::len).collect::<Vec<_>>(), [15, 15, 1]);
        assert!(principal_chunks(&[]).is_empty());
        // Next pages keep the header.
        let next = crate::graph::next_page("https://graph.test/next", &g);
        assert_eq!(next.headers, g.headers);
    }

    #[test]
    fn parses_the_docs_example_and_an_expanded_definition() {
        // rbacapplication-list-roleassignments.md, example 2 (verbatim).
        let page = parse_role_assignments(&HttpResponse::new(
            200,
            fixture("role-assignments-response.json"),
        ))
        .unwrap();
        assert_eq!(page.value.len(), 2);
        assert_eq!(
            page.value[0].principal_id,
            "f1847572-48aa-47aa-96a3-2ec61904f41f"
        );
        assert_eq!(page.value[0].directory_scope_id.as_deref(), Some("/"));
        assert_eq!(
            page.value[1].role_definition_id,
            "f2ef992c-3afb-46b9-b7cf-a126ee74c451"
        );
        assert!(page.value[0].role_definition.is_none());

        let expanded = r#"{"value":[{"id":"x","principalId":"p","directoryScopeId":"/abc",
            "roleDefinitionId":"r","appScopeId":null,"condition":null,
            "roleDefinition":{"id":"r","displayName":"Application Credential Rotator",
              "isBuiltIn":false,"templateId":"r","rolePermissions":[{"allowedResourceActions":
              ["microsoft.directory/applications/credentials/update"],"condition":null}]}}]}"#;
        let page = parse_role_assignments(&HttpResponse::new(200, expanded)).unwrap();
        let d = page.value[0].role_definition.as_ref().unwrap();
        assert_eq!(
            d.display_name.as_deref(),
            Some("Application Credential Rotator")
        );
        assert_eq!(d.role_permissions[0].allowed_resource_actions.len(), 1);
        assert_eq!(d.role_permissions[0].condition, None);
    }

    #[test]
    fn a_403_is_authorization_denied_and_limited_groups_still_have_ids() {
        let denied = HttpResponse::new(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
        );
        assert!(matches!(
            parse_role_assignments(&denied),
            Err(GraphError::AuthorizationDenied(_))
        ));
        // Limited information: @odata.type and id, everything else null.
        let groups = r##"{"value":[{"@odata.type":"#microsoft.graph.group","id":"g1","displayName":null}],
            "@odata.nextLink":"https://graph.test/next"}"##;
        let page = parse_object_ids(&HttpResponse::new(200, groups)).unwrap();
        assert_eq!(page.value, [ObjectId { id: "g1".into() }]);
        assert_eq!(page.next_link.as_deref(), Some("https://graph.test/next"));
    }
}
