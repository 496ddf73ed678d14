//! A user's memberships as Graph tells them (`/me/memberOf/microsoft.graph.directoryRole`,
//! `/me/transitiveMemberOf/microsoft.graph.group`): limited information without a read permission
//! for the member's type, and the advanced query transitive groups need. Each rule's source is
//! cited beside its code (`src/graph/me.rs`).

mod support;

use sandbox::graph::directory::roles::APPLICATION_ADMINISTRATOR;
use sandbox::identity::personas::{ADA, DAN, RITA, RORY, SAM};
use serde_json::Value;
use support::csdl::{Csdl, ROLES_EXCERPT};
use support::*;

const DEFAULT: &str = "Application.ReadWrite.All User.Read";
const WITH_ROLES: &str = "Application.ReadWrite.All User.Read RoleManagement.Read.Directory";
const GROUPS: &str = "/graph/v1.0/me/transitiveMemberOf/microsoft.graph.group";

/// GET with a token, with `ConsistencyLevel: eventual` when `eventual`.
async fn get_with(s: &Running, path: &str, token: &str, eventual: bool) -> (u16, Value) {
    let mut req = s.http.get(s.url(path)).bearer_auth(token);
    if eventual {
        req = req.header("ConsistencyLevel", "eventual");
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn member_of_gives_limited_information_without_a_role_read_permission() {
    let s = start().await;
    let path = "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole";
    let (status, limited) = s.get_json(path, &s.graph_token_with(&ADA, DEFAULT)).await;
    assert_eq!(status, 200);
    let role = &limited["value"][0];
    assert_eq!(role["@odata.type"], "#microsoft.graph.directoryRole");
    assert!(role["id"].is_string());
    for hidden in ["displayName", "roleTemplateId", "description"] {
        assert!(role[hidden].is_null(), "{hidden} hidden: {role}");
    }
    for scp in [WITH_ROLES, "User.Read Directory.Read.All"] {
        let (_, full) = s.get_json(path, &s.graph_token_with(&ADA, scp)).await;
        assert_eq!(
            full["value"][0]["displayName"], "Application Administrator",
            "{scp}"
        );
        assert_eq!(
            full["value"][0]["roleTemplateId"],
            APPLICATION_ADMINISTRATOR
        );
        assert_eq!(full["value"][0]["id"], role["id"], "the same object");
    }
    // Roles held through a group or scoped to an app are not direct tenant memberships.
    for who in [RORY, SAM, DAN] {
        let (_, none) = s
            .get_json(path, &s.graph_token_with(&who, WITH_ROLES))
            .await;
        assert_eq!(none["value"].as_array().unwrap().len(), 0, "{}", who.name);
    }
}

#[tokio::test]
async fn transitive_groups_need_advanced_query_and_are_limited_with_user_read() {
    let s = start().await;
    let rory = s.graph_token_with(&RORY, DEFAULT);
    let (status, body) = get_with(&s, &format!("{GROUPS}?$select=id"), &rory, false).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "Request_UnsupportedQuery"),
        "no header"
    );
    let (status, body) = get_with(&s, &format!("{GROUPS}?$select=id"), &rory, true).await;
    assert_eq!(
        (status, error_code(&body)),
        (400, "Request_UnsupportedQuery"),
        "no $count"
    );

    let (status, page) = get_with(&s, GROUPS, &rory, false).await;
    assert_eq!(status, 400, "{page}");
    let (status, page) = get_with(&s, &format!("{GROUPS}?$count=true"), &rory, true).await;
    assert_eq!(status, 200);
    assert_eq!(page["@odata.count"], 2);
    let groups = page["value"].as_array().unwrap();
    assert_eq!(groups.len(), 2);
    let csdl = Csdl::parse(ROLES_EXCERPT);
    for g in groups {
        assert_eq!(g["@odata.type"], "#microsoft.graph.group");
        assert!(g["id"].is_string());
        assert!(
            g["displayName"].is_null() && g["isAssignableToRole"].is_null(),
            "limited: {g}"
        );
        csdl.check(g, "group", "group");
    }
    // With a group read permission, the whole group.
    let full = s.graph_token_with(&RORY, "User.Read GroupMember.Read.All");
    let (_, page) = get_with(&s, &format!("{GROUPS}?$count=true"), &full, true).await;
    let names: Vec<&str> = page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["App Credential Rotators", "Engineering"]);
    assert_eq!(page["value"][0]["isAssignableToRole"], true);

    // $select=id and paging by nextLink.
    let (_, first) = get_with(
        &s,
        &format!("{GROUPS}?$select=id&$count=true&$top=1"),
        &rory,
        true,
    )
    .await;
    assert_eq!(first["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        first["value"][0].as_object().unwrap().len(),
        1,
        "only id: {first}"
    );
    let next = first["@odata.nextLink"].as_str().unwrap();
    assert!(next.starts_with(&s.base), "{next}");
    let r = s
        .http
        .get(next)
        .bearer_auth(&rory)
        .header("ConsistencyLevel", "eventual")
        .send()
        .await
        .unwrap();
    let second: Value = r.json().await.unwrap();
    assert_eq!(second["value"].as_array().unwrap().len(), 1);
    assert!(second.get("@odata.nextLink").is_none());
    assert_ne!(first["value"][0]["id"], second["value"][0]["id"]);

    let (status, body) = get_with(
        &s,
        &format!("{GROUPS}?$count=true&$orderby=displayName"),
        &rory,
        true,
    )
    .await;
    assert_eq!((status, error_code(&body)), (400, "BadRequest"));
    let (_, rita) = get_with(
        &s,
        &format!("{GROUPS}?$count=true"),
        &s.graph_token_with(&RITA, DEFAULT),
        true,
    )
    .await;
    assert_eq!(rita["value"].as_array().unwrap().len(), 0);
}
