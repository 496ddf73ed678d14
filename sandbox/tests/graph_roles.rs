//! Role assignments and definitions in Graph's shape (`/roleManagement/directory/…`), their
//! query options and their 403. Each rule's source is cited beside its code
//! (`src/graph/roles/`, `src/graph/directory/roles/`).

mod support;

use sandbox::graph::directory::roles::{
    seeded_app_id, APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR,
};
use sandbox::identity::personas::{ADA, DAN, GINA, RITA, RORY, SAM};
use serde_json::json;
use support::csdl::{self, Csdl, ROLES_EXCERPT};
use support::*;

const DEFAULT: &str = "Application.ReadWrite.All User.Read";
const WITH_ROLES: &str = "Application.ReadWrite.All User.Read RoleManagement.Read.Directory";
const ASSIGNMENTS: &str = "/graph/v1.0/roleManagement/directory/roleAssignments";
const DEFINITIONS: &str = "/graph/v1.0/roleManagement/directory/roleDefinitions";

#[test]
fn the_roles_excerpt_is_verbatim() {
    csdl::assert_verbatim(ROLES_EXCERPT, 6);
}

#[tokio::test]
async fn role_assignments_need_the_permission_and_a_reader_role() {
    let s = start().await;
    // No role-management permission in the token: 403, even for a Global Administrator.
    let (status, body) = s
        .get_json(ASSIGNMENTS, &s.graph_token_with(&GINA, DEFAULT))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "Authorization_RequestDenied")
    );
    // The permission, but a user with no role that reads role assignments: 403 too.
    for who in [ADA, RORY, SAM, RITA] {
        let (status, body) = s
            .get_json(ASSIGNMENTS, &s.graph_token_with(&who, WITH_ROLES))
            .await;
        assert_eq!(
            (status, error_code(&body)),
            (403, "Authorization_RequestDenied"),
            "{}",
            who.name
        );
    }
    for scp in [
        WITH_ROLES,
        "User.Read RoleManagement.Read.All",
        "User.Read Directory.Read.All",
    ] {
        let (status, _) = s
            .get_json(ASSIGNMENTS, &s.graph_token_with(&GINA, scp))
            .await;
        assert_eq!(status, 200, "{scp}");
    }
}

#[tokio::test]
async fn role_assignments_filter_expand_and_select_like_graph() {
    let s = start().await;
    let gina = s.graph_token_with(&GINA, WITH_ROLES);
    let csdl = Csdl::parse(ROLES_EXCERPT);

    let (status, all) = s.get_json(ASSIGNMENTS, &gina).await;
    assert_eq!(status, 200);
    assert_eq!(
        all["@odata.context"],
        format!(
            "{}/graph/v1.0/$metadata#roleManagement/directory/roleAssignments",
            s.base
        )
    );
    assert_eq!(all["value"].as_array().unwrap().len(), 4);

    let path = format!(
        "{ASSIGNMENTS}?$filter=principalId eq '{}'&$expand=roleDefinition",
        GINA.oid
    );
    let (_, mine) = s.get_json(&path, &gina).await;
    assert!(mine["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("roleAssignments(roleDefinition())"));
    let a = &mine["value"][0];
    assert_eq!(mine["value"].as_array().unwrap().len(), 1);
    assert_eq!(
        (a["principalId"].as_str(), a["directoryScopeId"].as_str()),
        (Some(GINA.oid), Some("/"))
    );
    assert_eq!(a["roleDefinitionId"], GLOBAL_ADMINISTRATOR);
    let d = &a["roleDefinition"];
    assert_eq!(
        (d["id"].as_str(), d["templateId"].as_str()),
        (Some(GLOBAL_ADMINISTRATOR), Some(GLOBAL_ADMINISTRATOR))
    );
    assert_eq!(
        (d["displayName"].as_str(), d["isBuiltIn"].as_bool()),
        (Some("Global Administrator"), Some(true))
    );
    let actions = d["rolePermissions"][0]["allowedResourceActions"]
        .as_array()
        .unwrap();
    assert!(actions.contains(&json!(
        "microsoft.directory/applications/allProperties/allTasks"
    )));
    csdl.check(a, "unifiedRoleAssignment", "assignment");

    // `in` over the user and a group: the group's custom role and Sam's scoped one.
    let group = sandbox::graph::directory::roles::demo()
        .groups
        .iter()
        .find(|g| g.is_assignable_to_role)
        .unwrap()
        .id
        .clone();
    let path = format!(
        "{ASSIGNMENTS}?$filter=principalId in ('{}','{group}','{}')&$expand=roleDefinition",
        RORY.oid, SAM.oid
    );
    let (status, found) = s.get_json(&path, &gina).await;
    assert_eq!(status, 200, "{found}");
    let mut seen: Vec<(String, String, String)> = found["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["principalId"].as_str().unwrap().to_owned(),
                a["roleDefinition"]["displayName"]
                    .as_str()
                    .unwrap()
                    .to_owned(),
                a["directoryScopeId"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    seen.sort();
    let mut want = vec![
        (
            group.clone(),
            "Application Credential Rotator".to_owned(),
            "/".to_owned(),
        ),
        (
            SAM.oid.to_owned(),
            "Application Administrator".to_owned(),
            format!("/{}", seeded_app_id("Inventory Service")),
        ),
    ];
    want.sort();
    assert_eq!(seen, want);
    let custom = found["value"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["principalId"] == group.as_str())
        .unwrap();
    assert_eq!(custom["roleDefinition"]["isBuiltIn"], false);
    assert_eq!(
        custom["roleDefinition"]["rolePermissions"][0]["allowedResourceActions"][0],
        "microsoft.directory/applications/credentials/update"
    );

    let (_, scoped) = s
        .get_json(
            &format!("{ASSIGNMENTS}?$filter=directoryScopeId eq '/'&$select=principalId"),
            &gina,
        )
        .await;
    assert_eq!(scoped["value"].as_array().unwrap().len(), 3);
    assert_eq!(
        scoped["value"][0]
            .as_object()
            .unwrap()
            .keys()
            .collect::<Vec<_>>(),
        ["principalId"]
    );

    for (bad, want) in [
        (
            "$filter=principalId eq 'a' and directoryScopeId eq '/'",
            "Request_UnsupportedQuery",
        ),
        ("$filter=displayName eq 'x'", "Request_UnsupportedQuery"),
        ("$expand=principal", "BadRequest"),
        ("$top=5", "BadRequest"),
        ("$orderby=principalId", "BadRequest"),
        ("$select=shoeSize", "BadRequest"),
    ] {
        let (status, body) = s.get_json(&format!("{ASSIGNMENTS}?{bad}"), &gina).await;
        assert_eq!((status, error_code(&body)), (400, want), "{bad}");
    }
    let sixteen: Vec<String> = (0..16).map(|i| format!("'{i}'")).collect();
    let (status, _) = s
        .get_json(
            &format!(
                "{ASSIGNMENTS}?$filter=principalId in ({})",
                sixteen.join(",")
            ),
            &gina,
        )
        .await;
    assert_eq!(status, 400, "an in clause holds at most 15 values");
}

#[tokio::test]
async fn role_definitions_in_graph_shape() {
    let s = start().await;
    let (status, body) = s
        .get_json(DEFINITIONS, &s.graph_token_with(&GINA, DEFAULT))
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "Authorization_RequestDenied")
    );
    // The definitions page does not list RoleManagement.Read.All.
    let (status, _) = s
        .get_json(
            DEFINITIONS,
            &s.graph_token_with(&GINA, "User.Read RoleManagement.Read.All"),
        )
        .await;
    assert_eq!(status, 403);
    let reader = s.graph_token_with(&DAN, WITH_ROLES);
    let (status, all) = s.get_json(DEFINITIONS, &reader).await;
    assert_eq!(status, 200);
    let csdl = Csdl::parse(ROLES_EXCERPT);
    for d in all["value"].as_array().unwrap() {
        csdl.check(d, "unifiedRoleDefinition", "definition");
    }
    let (_, custom) = s
        .get_json(
            &format!("{DEFINITIONS}?$filter=isBuiltIn eq false"),
            &reader,
        )
        .await;
    let custom = custom["value"].as_array().unwrap();
    assert_eq!(custom.len(), 1);
    assert_eq!(custom[0]["displayName"], "Application Credential Rotator");
    assert_eq!(custom[0]["templateId"], custom[0]["id"]);
    let (_, one) = s
        .get_json(
            &format!(
                "{DEFINITIONS}?$filter=id eq '{APPLICATION_ADMINISTRATOR}'&$select=displayName"
            ),
            &reader,
        )
        .await;
    assert_eq!(
        one["value"],
        json!([{"displayName": "Application Administrator"}])
    );
    let (status, _) = s
        .get_json(
            &format!("{DEFINITIONS}?$expand=inheritsPermissionsFrom"),
            &reader,
        )
        .await;
    assert_eq!(status, 400);
}
