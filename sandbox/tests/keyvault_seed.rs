//! The demo tenant's Azure side as `GET /_sandbox/state` shows it, and its ties to the Graph
//! seed.

mod support;

use serde_json::Value;
use support::harness::{Harness, ADA, DAN, DEV_SUB, PROD_SUB, RITA};

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

fn roles_of(vault: &Value, oid: &str) -> Vec<String> {
    let mut roles: Vec<String> = vault["roleAssignments"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["principalId"] == oid)
        .map(|a| a["roleName"].as_str().unwrap().to_owned())
        .collect();
    roles.sort();
    roles
}

#[tokio::test]
async fn the_state_shows_subscriptions_vaults_roles_and_secrets() {
    let h = Harness::default();
    let state = h.vault_state().await;
    assert_eq!(
        find(&state["subscriptions"], "displayName", "Contoso Dev")["subscriptionId"],
        DEV_SUB
    );
    assert_eq!(
        find(&state["subscriptions"], "displayName", "Contoso Prod")["subscriptionId"],
        PROD_SUB
    );

    let vaults = &state["vaults"];
    let dev = find(vaults, "name", "kv-contoso-dev");
    let prod = find(vaults, "name", "kv-contoso-prod");
    let locked = find(vaults, "name", "kv-contoso-locked");
    assert_eq!(
        roles_of(dev, DAN.oid),
        ["Key Vault Contributor", "Key Vault Secrets Officer"]
    );
    assert_eq!(
        roles_of(prod, DAN.oid),
        ["Key Vault Secrets User", "Reader"]
    );
    assert_eq!(
        roles_of(locked, DAN.oid),
        ["Key Vault Contributor", "Key Vault Secrets Officer"]
    );
    assert_eq!(
        roles_of(prod, ADA.oid),
        ["Key Vault Administrator", "Owner"]
    );
    assert_eq!(roles_of(dev, RITA.oid), ["Reader"]);
    assert!(roles_of(prod, RITA.oid).is_empty());
    assert_eq!(locked["networkAcls"]["defaultAction"], "Deny");
    assert_eq!(dev["networkAcls"]["defaultAction"], "Allow");

    let deleted = find(&dev["deletedSecrets"], "name", "legacy-reporting-secret");
    assert!(deleted["scheduledPurgeDate"].as_i64() > deleted["deletedDate"].as_i64());
    let payroll = find(&dev["secrets"], "name", "payroll-api-client-secret");
    let version = &payroll["versions"][0];
    assert!(version["value"].as_str().unwrap().starts_with("sandbox-"));
    assert_eq!(version["tags"]["AppDisplayName"], "Payroll API");
    assert_eq!(version["tags"]["CreatedWith"], "secret-wizard");
    assert!(version["attributes"]["exp"].is_i64());
}

#[tokio::test]
async fn vault_secrets_point_at_graph_credentials() {
    let h = Harness::default();
    let state = h
        .call(axum::http::Method::GET, "/_sandbox/state", None, None)
        .await
        .json;
    let apps = &state["applications"];
    let dev = find(&state["vaults"]["vaults"], "name", "kv-contoso-dev");
    let key_ids = |app: &Value| -> Vec<String> {
        app["passwordCredentials"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["keyId"].as_str().unwrap().to_owned())
            .collect()
    };

    let payroll = find(apps, "displayName", "Payroll API");
    let tags = &find(&dev["secrets"], "name", "payroll-api-client-secret")["versions"][0]["tags"];
    assert_eq!(tags["ProviderAddress"], payroll["id"]);
    assert_eq!(tags["AppObjectId"], payroll["id"]);
    assert_eq!(tags["ClientId"], payroll["appId"]);
    let credential = tags["CredentialId"].as_str().unwrap();
    assert!(key_ids(payroll).iter().any(|k| k == credential),
        "CredentialId {credential} is none of Payroll API's keyIds {:?}: the Graph seed must give seeded \
         credentials the keyId sandbox::graph::directory::seed::password_key_id(app, credential name)", key_ids(payroll));
    // And it survives a reset.
    h.call(axum::http::Method::POST, "/_sandbox/reset", None, None)
        .await;
    let again = h
        .call(axum::http::Method::GET, "/_sandbox/state", None, None)
        .await
        .json;
    assert!(
        key_ids(find(&again["applications"], "displayName", "Payroll API"))
            .iter()
            .any(|k| k == credential)
    );

    let portal = find(apps, "displayName", "Onboarding Portal");
    let tags =
        &find(&dev["secrets"], "name", "onboarding-portal-client-secret")["versions"][0]["tags"];
    assert_eq!(tags["ProviderAddress"], portal["id"]);
    let stale = tags["CredentialId"].as_str().unwrap();
    assert!(
        !key_ids(portal).iter().any(|k| k == stale),
        "this one points at a removed credential"
    );
}
