//! A workload's read access to a stored secret: Graph's service principals (the identities) and
//! ARM's Role Assignments - Create at a secret's scope, with its refusals.

mod support;

use axum::http::{Method, StatusCode};
use sandbox::graph::service_principals;
use sandbox::identity::personas::Persona;
use sandbox::identity::tokens::{issue_access_token, GRAPH_AUDIENCE};
use serde_json::{json, Value};
use support::harness::{dev_vault_id, Harness, ADA, DAN, DEV_SUB, RITA};

const API: &str = "api-version=2022-04-01";
const SECRETS_USER: &str = "4633458b-17de-408a-b874-0445c86b69e6";

fn secret_scope() -> String {
    format!("{}/secrets/payroll-api-client-secret", dev_vault_id())
}

fn role_id(sub: &str, role: &str) -> String {
    format!("/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{role}")
}

fn body(principal: &str) -> Value {
    json!({"properties": {
        "roleDefinitionId": role_id(DEV_SUB, SECRETS_USER),
        "principalId": principal,
        "principalType": "ServicePrincipal"
    }})
}

fn mi() -> String {
    service_principals::all()[0].id.clone()
}

async fn put(
    h: &Harness,
    who: Persona,
    scope: &str,
    name: &str,
    body: &Value,
) -> support::harness::Reply {
    h.arm(
        who,
        Method::PUT,
        &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{name}"),
        API,
        Some(body),
    )
    .await
}

const NAME: &str = "3f1c2b4a-5d6e-4f70-8a9b-0c1d2e3f4a5b";
const NAME2: &str = "9a8b7c6d-5e4f-4a3b-9c2d-1e0f0a1b2c3d";

#[tokio::test]
async fn an_owner_assigns_key_vault_secrets_user_on_one_secret() {
    let h = Harness::default();
    let r = put(&h, ADA, &secret_scope(), NAME, &body(&mi())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    assert_eq!(r.json["name"], NAME);
    assert_eq!(r.json["type"], "Microsoft.Authorization/roleAssignments");
    assert_eq!(
        r.json["id"],
        format!(
            "{}/providers/Microsoft.Authorization/roleAssignments/{NAME}",
            secret_scope()
        )
    );
    let p = &r.json["properties"];
    assert_eq!(p["principalId"], mi());
    assert_eq!(p["principalType"], "ServicePrincipal");
    assert_eq!(p["scope"], secret_scope());
    assert_eq!(p["roleDefinitionId"], role_id(DEV_SUB, SECRETS_USER));
    assert!(p["createdOn"].as_str().is_some_and(|t| t.ends_with('Z')));

    // The vault's state lists it, at the secret's scope, not inherited.
    let vaults = h.vault_state().await;
    let dev = vaults["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-dev")
        .unwrap();
    let made: Vec<&Value> = dev["roleAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["principalId"] == mi().as_str())
        .collect();
    assert_eq!(made.len(), 1, "{dev}");
    assert_eq!(made[0]["roleName"], "Key Vault Secrets User");
    assert_eq!(made[0]["scope"], secret_scope());
    assert_eq!(made[0]["inherited"], false);

    // The same principal, role and scope under another name: 409 RoleAssignmentExists.
    let again = put(&h, ADA, &secret_scope(), NAME2, &body(&mi())).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    assert_eq!(again.codes().0, "RoleAssignmentExists", "{}", again.text);
    assert_eq!(again.message(), "The role assignment already exists.");
    // The name again for another principal: the assignment can't be changed.
    let other = service_principals::all()[3].id.clone();
    let r = put(&h, ADA, &secret_scope(), NAME, &body(&other)).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.codes().0, "RoleAssignmentUpdateNotPermitted");
}

#[tokio::test]
async fn without_role_assignments_write_arm_says_authorization_failed() {
    let h = Harness::default();
    // Dan: Key Vault Contributor and Secrets Officer on the vault, no Microsoft.Authorization
    // write.
    let r = put(&h, DAN, &secret_scope(), NAME, &body(&mi())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    assert_eq!(r.codes().0, "AuthorizationFailed");
    assert!(r
        .message()
        .contains("'Microsoft.Authorization/roleAssignments/write'"));
    assert!(r.message().contains(&secret_scope()));
    // Rita: Reader on the subscription.
    let r = put(&h, RITA, &secret_scope(), NAME, &body(&mi())).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    // Nothing was added.
    let vaults = h.vault_state().await;
    assert!(!vaults.to_string().contains(&mi()));
}

#[tokio::test]
async fn the_permissions_read_shows_who_may_assign() {
    let h = Harness::default();
    let path = format!(
        "{}/providers/Microsoft.Authorization/permissions",
        secret_scope()
    );
    let ada = h.arm(ADA, Method::GET, &path, API, None).await;
    assert!(ada.text.contains("\"*\""), "{}", ada.text);
    let dan = h.arm(DAN, Method::GET, &path, API, None).await;
    assert_eq!(dan.status, StatusCode::OK);
    assert!(!dan.text.contains("\"*\""));
    assert!(dan.text.contains("Microsoft.Authorization/*/read"));
}

#[tokio::test]
async fn bad_requests_are_refused_as_arm_does() {
    let h = Harness::default();
    let scope = secret_scope();
    let r = put(&h, ADA, &scope, "not-a-guid", &body(&mi())).await;
    assert_eq!(
        (r.status, r.codes().0.as_str()),
        (StatusCode::BAD_REQUEST, "InvalidRoleAssignmentId")
    );
    assert!(r
        .message()
        .ends_with("The role assignment ID must be a GUID."));

    let nobody = "00000000-0000-4000-8000-000000000bad";
    let r = put(&h, ADA, &scope, NAME, &body(nobody)).await;
    assert_eq!(
        (r.status, r.codes().0.as_str()),
        (StatusCode::BAD_REQUEST, "PrincipalNotFound")
    );
    assert!(r
        .message()
        .starts_with("Principal 00000000000040008000000000000bad does not exist in the directory"));

    let r = put(&h, ADA, &scope, NAME, &body("display-name")).await;
    assert_eq!(r.codes().0, "InvalidPrincipalId");

    let mut unknown_role = body(&mi());
    unknown_role["properties"]["roleDefinitionId"] =
        json!(role_id(DEV_SUB, "11111111-2222-4333-8444-555555555555"));
    let r = put(&h, ADA, &scope, NAME, &unknown_role).await;
    assert_eq!(r.codes().0, "RoleDefinitionDoesNotExist");

    let r = put(&h, ADA, &scope, NAME, &json!({"properties": {}})).await;
    assert_eq!(r.codes().0, "InvalidRequestContent");

    // A secret that isn't there.
    let r = put(
        &h,
        ADA,
        &format!("{}/secrets/no-such-secret", dev_vault_id()),
        NAME,
        &body(&mi()),
    )
    .await;
    assert_eq!(
        (r.status, r.codes().0.as_str()),
        (StatusCode::NOT_FOUND, "ResourceNotFound")
    );
    // api-version is required, and must be one ARM serves.
    let r = h
        .arm(
            ADA,
            Method::PUT,
            &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{NAME}"),
            "api-version=2099-01-01",
            Some(&body(&mi())),
        )
        .await;
    assert_eq!(r.codes().0, "InvalidApiVersionParameter");
    // Only PUT is served.
    let r = h
        .arm(
            ADA,
            Method::DELETE,
            &format!("{scope}/providers/Microsoft.Authorization/roleAssignments/{NAME}"),
            API,
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    // Nothing was added by any of these.
    assert!(!h.vault_state().await.to_string().contains(&mi()));
}

#[tokio::test]
async fn vault_and_subscription_scopes_are_assignable_too() {
    let h = Harness::default();
    let r = put(&h, ADA, &dev_vault_id(), NAME, &body(&mi())).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
    let r = put(
        &h,
        ADA,
        &format!("/subscriptions/{DEV_SUB}"),
        NAME2,
        &body(&mi()),
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

fn graph_token(h: &Harness, who: Persona, scp: &str) -> String {
    issue_access_token(&h.sandbox, &who, GRAPH_AUDIENCE, scp)
}

async fn graph(h: &Harness, token: &str, path: &str) -> support::harness::Reply {
    h.call(
        Method::GET,
        &format!("/graph/v1.0{path}"),
        Some(token),
        None,
    )
    .await
}

#[tokio::test]
async fn service_principals_are_found_by_name_or_client_id_with_their_type() {
    let h = Harness::default();
    let t = graph_token(&h, DAN, "User.Read Application.ReadWrite.All");
    let r = graph(
        &h,
        &t,
        "/servicePrincipals?$filter=startsWith(displayName,%27id-%27)&$select=id,appId,displayName,servicePrincipalType&$top=20",
    )
    .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text);
    let names: Vec<&str> = r.json["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["displayName"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["id-payroll-api-prod", "id-onboarding-aks"]);
    let first = r.json["value"][0].as_object().unwrap();
    assert_eq!(
        first.keys().collect::<Vec<_>>(),
        ["appId", "displayName", "id", "servicePrincipalType"]
    );
    assert_eq!(first["servicePrincipalType"], "ManagedIdentity");
    assert!(r.json["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("$metadata#servicePrincipals(id,appId,displayName,servicePrincipalType)"));

    // By client ID; and an app's service principal is `Application`.
    let worker = &service_principals::all()[3];
    let r = graph(
        &h,
        &t,
        &format!(
            "/servicePrincipals?$filter=appId%20eq%20%27{}%27",
            worker.app_id
        ),
    )
    .await;
    assert_eq!(r.json["value"].as_array().unwrap().len(), 1);
    assert_eq!(r.json["value"][0]["servicePrincipalType"], "Application");

    // $search needs ConsistencyLevel: eventual.
    let r = graph(
        &h,
        &t,
        "/servicePrincipals?$search=%22displayName:payroll%22",
    )
    .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    assert_eq!(r.json["error"]["code"], "Request_UnsupportedQuery");
    // An unknown property in $select is refused.
    let r = graph(&h, &t, "/servicePrincipals?$select=shoeSize").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
    // Paging: $top=1 leaves a nextLink.
    let r = graph(&h, &t, "/servicePrincipals?$top=1").await;
    assert_eq!(r.json["value"].as_array().unwrap().len(), 1);
    assert!(r.json["@odata.nextLink"].as_str().is_some());
}

#[tokio::test]
async fn listing_service_principals_needs_an_application_read_permission() {
    let h = Harness::default();
    let t = graph_token(&h, ADA, "User.Read");
    let r = graph(&h, &t, "/servicePrincipals").await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "{}", r.text);
    let t = graph_token(&h, ADA, "Application.Read.All");
    let r = graph(&h, &t, "/servicePrincipals").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json["value"].as_array().unwrap().len(), 4);
}
