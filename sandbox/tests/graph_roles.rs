//! Who may add a secret, as the sandbox's Graph tells it: memberships with limited information,
//! role assignments and definitions in Graph's shape (and their 403), and addPassword /
//! removePassword authorised from role assignments (direct, through a role-assignable group,
//! scoped to one app), never from `wids`. Each rule's source is cited beside its code
//! (`src/graph/directory/roles.rs`, `src/graph/roles.rs`, `src/graph/me.rs`).

mod support;

use std::collections::{HashMap, HashSet};

use sandbox::graph::directory::roles::{
    seeded_app_id, APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR,
};
use sandbox::identity::personas::{Persona, ADA, DAN, GINA, RITA, RORY, SAM};
use sandbox::identity::tokens::{issue_access_token, GRAPH_AUDIENCE};
use serde_json::{json, Value};
use support::*;

const DEFAULT: &str = "Application.ReadWrite.All User.Read";
const WITH_ROLES: &str = "Application.ReadWrite.All User.Read RoleManagement.Read.Directory";
const ASSIGNMENTS: &str = "/graph/v1.0/roleManagement/directory/roleAssignments";
const DEFINITIONS: &str = "/graph/v1.0/roleManagement/directory/roleDefinitions";
const GROUPS: &str = "/graph/v1.0/me/transitiveMemberOf/microsoft.graph.group";

fn token(s: &Running, who: &Persona, scp: &str) -> String {
    issue_access_token(&s.state, who, GRAPH_AUDIENCE, scp)
}

async fn get_with(s: &Running, path: &str, token: &str, eventual: bool) -> (u16, Value) {
    let mut req = s.http.get(s.url(path)).bearer_auth(token);
    if eventual {
        req = req.header("ConsistencyLevel", "eventual");
    }
    let r = req.send().await.unwrap();
    let status = r.status().as_u16();
    (status, r.json().await.unwrap_or(Value::Null))
}

fn code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// The property names of a few CSDL types, from a verbatim excerpt (checked against the full file).
struct Csdl(HashMap<String, (Option<String>, HashSet<String>)>);

const EXCERPT: &str = include_str!("fixtures/graph-v1.0-csdl-roles-excerpt.xml");

fn attr(tag: &str, name: &str) -> Option<String> {
    let start = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(tag[start..start + tag[start..].find('"')?].to_owned())
}

impl Csdl {
    fn parse() -> Self {
        let mut types = HashMap::new();
        let mut current = String::new();
        for line in EXCERPT.lines().map(str::trim) {
            if line.starts_with("<EntityType ") || line.starts_with("<ComplexType ") {
                current = attr(line, "Name").unwrap();
                let base =
                    attr(line, "BaseType").map(|b| b.trim_start_matches("graph.").to_owned());
                types.insert(current.clone(), (base, HashSet::new()));
            } else if line.starts_with("<Property ") || line.starts_with("<NavigationProperty ") {
                types
                    .get_mut(&current)
                    .unwrap()
                    .1
                    .insert(attr(line, "Name").unwrap());
            }
        }
        Csdl(types)
    }

    fn has(&self, ty: &str, property: &str) -> bool {
        let Some((base, props)) = self.0.get(ty) else {
            return false;
        };
        props.contains(property) || base.as_deref().is_some_and(|b| self.has(b, property))
    }

    /// Every key (but `@odata.*`) is a property of `ty`; `nested` maps keys to their types.
    fn check(&self, v: &Value, ty: &str, nested: &[(&str, &str)]) {
        for (k, item) in v.as_object().unwrap() {
            if k.starts_with("@odata.") {
                continue;
            }
            assert!(
                self.has(ty, k),
                "{k} is not a property of microsoft.graph.{ty}"
            );
            if let Some((_, inner)) = nested.iter().find(|(n, _)| n == k) {
                let items = match item {
                    Value::Array(a) => a.clone(),
                    Value::Null => Vec::new(),
                    other => vec![other.clone()],
                };
                for i in &items {
                    self.check(i, inner, nested);
                }
            }
        }
    }
}

#[test]
fn the_roles_excerpt_is_verbatim() {
    let full = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/specs/graph-metadata/v1.0-Prod.csdl");
    let Ok(full) = std::fs::read_to_string(&full) else {
        eprintln!(
            "note: {} not present; excerpt not re-checked",
            full.display()
        );
        return;
    };
    let full: Vec<&str> = full.split('\n').collect();
    let mut lines = EXCERPT.lines();
    let mut blocks = 0;
    while let Some(line) = lines.next() {
        let Some(range) = line
            .strip_prefix("<!-- lines ")
            .and_then(|r| r.strip_suffix(" -->"))
        else {
            continue;
        };
        let (a, b) = range.split_once('-').unwrap();
        for n in a.parse::<usize>().unwrap()..=b.parse().unwrap() {
            assert_eq!(lines.next(), Some(full[n - 1]), "line {n}");
        }
        blocks += 1;
    }
    assert_eq!(blocks, 6);
}

#[tokio::test]
async fn member_of_gives_limited_information_without_a_role_read_permission() {
    let s = start().await;
    let path = "/graph/v1.0/me/memberOf/microsoft.graph.directoryRole";
    let (status, limited) = s.get_json(path, &token(&s, &ADA, DEFAULT)).await;
    assert_eq!(status, 200);
    let role = &limited["value"][0];
    assert_eq!(role["@odata.type"], "#microsoft.graph.directoryRole");
    assert!(role["id"].is_string());
    for hidden in ["displayName", "roleTemplateId", "description"] {
        assert!(role[hidden].is_null(), "{hidden} hidden: {role}");
    }
    for scp in [WITH_ROLES, "User.Read Directory.Read.All"] {
        let (_, full) = s.get_json(path, &token(&s, &ADA, scp)).await;
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
        let (_, none) = s.get_json(path, &token(&s, &who, WITH_ROLES)).await;
        assert_eq!(none["value"].as_array().unwrap().len(), 0, "{}", who.name);
    }
}

#[tokio::test]
async fn transitive_groups_need_advanced_query_and_are_limited_with_user_read() {
    let s = start().await;
    let rory = token(&s, &RORY, DEFAULT);
    let (status, body) = get_with(&s, &format!("{GROUPS}?$select=id"), &rory, false).await;
    assert_eq!(
        (status, code(&body)),
        (400, "Request_UnsupportedQuery"),
        "no header"
    );
    let (status, body) = get_with(&s, &format!("{GROUPS}?$select=id"), &rory, true).await;
    assert_eq!(
        (status, code(&body)),
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
    let csdl = Csdl::parse();
    for g in groups {
        assert_eq!(g["@odata.type"], "#microsoft.graph.group");
        assert!(g["id"].is_string());
        assert!(
            g["displayName"].is_null() && g["isAssignableToRole"].is_null(),
            "limited: {g}"
        );
        csdl.check(g, "group", &[]);
    }
    // With a group read permission, the whole group.
    let full = token(&s, &RORY, "User.Read GroupMember.Read.All");
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
    assert_eq!((status, code(&body)), (400, "BadRequest"));
    let (_, rita) = get_with(
        &s,
        &format!("{GROUPS}?$count=true"),
        &token(&s, &RITA, DEFAULT),
        true,
    )
    .await;
    assert_eq!(rita["value"].as_array().unwrap().len(), 0);
}

#[tokio::test]
async fn role_assignments_need_the_permission_and_a_reader_role() {
    let s = start().await;
    // No role-management permission in the token: 403, even for a Global Administrator.
    let (status, body) = s.get_json(ASSIGNMENTS, &token(&s, &GINA, DEFAULT)).await;
    assert_eq!((status, code(&body)), (403, "Authorization_RequestDenied"));
    // The permission, but a user with no role that reads role assignments: 403 too.
    for who in [ADA, RORY, SAM, RITA] {
        let (status, body) = s.get_json(ASSIGNMENTS, &token(&s, &who, WITH_ROLES)).await;
        assert_eq!(
            (status, code(&body)),
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
        let (status, _) = s.get_json(ASSIGNMENTS, &token(&s, &GINA, scp)).await;
        assert_eq!(status, 200, "{scp}");
    }
}

#[tokio::test]
async fn role_assignments_filter_expand_and_select_like_graph() {
    let s = start().await;
    let gina = token(&s, &GINA, WITH_ROLES);
    let csdl = Csdl::parse();
    let nested = [
        ("roleDefinition", "unifiedRoleDefinition"),
        ("rolePermissions", "unifiedRolePermission"),
    ];

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
    csdl.check(a, "unifiedRoleAssignment", &nested);

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
        assert_eq!((status, code(&body)), (400, want), "{bad}");
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
    let (status, body) = s.get_json(DEFINITIONS, &token(&s, &GINA, DEFAULT)).await;
    assert_eq!((status, code(&body)), (403, "Authorization_RequestDenied"));
    // The definitions page does not list RoleManagement.Read.All.
    let (status, _) = s
        .get_json(
            DEFINITIONS,
            &token(&s, &GINA, "User.Read RoleManagement.Read.All"),
        )
        .await;
    assert_eq!(status, 403);
    let reader = token(&s, &DAN, WITH_ROLES);
    let (status, all) = s.get_json(DEFINITIONS, &reader).await;
    assert_eq!(status, 200);
    let csdl = Csdl::parse();
    for d in all["value"].as_array().unwrap() {
        csdl.check(
            d,
            "unifiedRoleDefinition",
            &[("rolePermissions", "unifiedRolePermission")],
        );
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

async fn add(s: &Running, who: &Persona, app: &str) -> (u16, Value) {
    s.post_json(
        &format!(
            "/graph/v1.0/applications/{}/addPassword",
            seeded_app_id(app)
        ),
        &token(s, who, DEFAULT),
        &json!({"passwordCredential": {"displayName": "rotated"}}),
    )
    .await
}

#[tokio::test]
async fn add_password_follows_role_assignments() {
    let s = start().await;
    // Legacy Reporting has no owners: only roles let anyone add.
    for who in [ADA, GINA, RORY] {
        let (status, body) = add(&s, &who, "Legacy Reporting").await;
        assert_eq!(status, 200, "{}: {body}", who.name);
        assert!(body["secretText"].is_string());
    }
    // Sam is Application Administrator for Inventory Service only.
    let (status, _) = add(&s, &SAM, "Inventory Service").await;
    assert_eq!(status, 200);
    for app in ["Legacy Reporting", "Payroll API"] {
        let (status, body) = add(&s, &SAM, app).await;
        assert_eq!(
            (status, code(&body)),
            (403, "Authorization_RequestDenied"),
            "Sam on {app}"
        );
    }
    // No role, no ownership: refused. Ownership alone is enough.
    let (status, _) = add(&s, &RITA, "Inventory Service").await;
    assert_eq!(status, 403);
    let (status, _) = add(&s, &DAN, "Legacy Reporting").await;
    assert_eq!(status, 403);
    let (status, _) = add(&s, &DAN, "Payroll API").await;
    assert_eq!(status, 200);

    // removePassword follows the same rule.
    let state = s.sandbox_state().await;
    let key_of = |app: &str| {
        state["applications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["displayName"] == app)
            .unwrap()["passwordCredentials"][0]["keyId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let remove = |who: Persona, app: &'static str, key: String| {
        let s = &s;
        async move {
            s.post_json(
                &format!(
                    "/graph/v1.0/applications/{}/removePassword",
                    seeded_app_id(app)
                ),
                &token(s, &who, DEFAULT),
                &json!({"keyId": key}),
            )
            .await
            .0
        }
    };
    assert_eq!(remove(SAM, "Payroll API", key_of("Payroll API")).await, 403);
    assert_eq!(
        remove(SAM, "Inventory Service", key_of("Inventory Service")).await,
        204
    );
}

#[tokio::test]
async fn wids_in_a_token_grant_nothing() {
    let s = start().await;
    // A token that claims Application Administrator for Rita: Graph decides from role assignments.
    let mut claims = sandbox::identity::tokens::access_claims(
        &s.state,
        &RITA,
        GRAPH_AUDIENCE,
        DEFAULT,
        chrono::Utc::now().timestamp(),
        600,
    );
    claims["wids"] = json!([APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR]);
    let forged = s.state.keys.sign_jwt(&claims);
    let (status, body) = s
        .post_json(
            &format!(
                "/graph/v1.0/applications/{}/addPassword",
                seeded_app_id("Legacy Reporting")
            ),
            &forged,
            &json!({"passwordCredential": {}}),
        )
        .await;
    assert_eq!((status, code(&body)), (403, "Authorization_RequestDenied"));
}

#[tokio::test]
async fn tokens_carry_wids_only_when_asked() {
    let s = start().await;
    let body = s.sign_in(&ADA, GRAPH_SCOPE).await;
    for t in ["access_token", "id_token"] {
        let c = claims(body[t].as_str().unwrap());
        assert!(c.get("wids").is_none(), "{t} without --wids: {c}");
    }

    let s = start_with(|o| o.wids = true).await;
    let body = s.sign_in(&ADA, GRAPH_SCOPE).await;
    for t in ["access_token", "id_token"] {
        let c = claims(body[t].as_str().unwrap());
        assert_eq!(
            c["wids"],
            json!([
                APPLICATION_ADMINISTRATOR,
                sandbox::graph::directory::roles::MEMBER_ROLE_TEMPLATE
            ]),
            "{t}"
        );
    }
    let body = s.sign_in(&GINA, GRAPH_SCOPE).await;
    assert_eq!(
        claims(body["id_token"].as_str().unwrap())["wids"][0],
        GLOBAL_ADMINISTRATOR
    );
    // A custom role through a group, and an app-scoped role, are not tenant-wide built-in roles.
    for who in [RORY, SAM] {
        let body = s.sign_in(&who, GRAPH_SCOPE).await;
        assert_eq!(
            claims(body["access_token"].as_str().unwrap())["wids"],
            json!([sandbox::graph::directory::roles::MEMBER_ROLE_TEMPLATE]),
            "{}",
            who.name
        );
    }
}

#[tokio::test]
async fn the_sign_in_page_lists_the_new_personas() {
    let s = start().await;
    let p = pkce();
    let r = s
        .http
        .get(s.authorize_url())
        .query(&s.authorize_params(&p.challenge, GRAPH_SCOPE))
        .send()
        .await
        .unwrap();
    let page = r.text().await.unwrap();
    for who in [GINA, RORY, SAM] {
        assert!(
            page.contains(who.name) && page.contains(who.upn),
            "{}",
            who.name
        );
    }
}
