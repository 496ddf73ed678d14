//! Done inside the wizard: Finish after a store opens Done with the role-assignment pre-flight
//! under way; its search and grant go out as the wizard's numbered requests; without a stored
//! secret nothing is asked of ARM.

use serde_json::json;

use super::*;
use crate::config::{VaultMode, VaultSettings};
use crate::vault::{VaultCall, VaultConfig, VaultMsg, VaultState};
use crate::wizard::done::{DoneCall, DoneMsg, Progress, Workload};
use crate::wizard::{Leave, Step};

const ARM: &str = "https://arm.test";
const DEV: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";
const NEW_KEY: &str = "bbbbbbbb-0000-4000-8000-00000000000b";
const MI: &str = "6c1d2e3f-0000-4000-8000-00000000a11d";

fn vault_config() -> VaultConfig {
    VaultConfig {
        arm_base: ARM.into(),
        graph_base: GRAPH.into(),
        tenant_id: TENANT.into(),
        settings: VaultSettings {
            default: None,
            allowed: Vec::new(),
            secret_name_template: "{app}-client-secret".into(),
            mode: VaultMode::Arm,
            gateway: None,
        },
        vault_hosts: crate::destinations::VaultHosts::new(".vault.test", None),
    }
}

/// Dan on Describe with kv-contoso-dev chosen (Key Vault Contributor there), the secret created.
fn created() -> Harness {
    let mut h = Harness::new(config());
    h.w = Wizard::new(config(), 0x5eed).with_vault(VaultState::new(Some(vault_config()), None));
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Vault(VaultMsg::Select(DEV.into())));
    h.ok(
        Call::Vault(VaultCall::Permissions),
        200,
        json!({"value": [{"actions": ["Microsoft.KeyVault/*", "Microsoft.Authorization/*/read"], "notActions": []}]}),
    );
    h.ok(
        Call::Vault(VaultCall::NameExists),
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    h.send(Msg::Describe(DescribeMsg::Create));
    let created = created_from(h.request(Call::AddPassword), NEW_KEY);
    h.ok(Call::AddPassword, 200, created);
    h
}

fn done(h: &Harness) -> &crate::wizard::done::DoneState {
    match h.w.step() {
        Step::Done(d) => d,
        other => panic!("expected Done, got {other:?}"),
    }
}

#[test]
fn finish_after_a_store_checks_role_assignment_rights_at_the_secret_and_grants_through_the_wizard()
{
    let mut h = created();
    h.send(Msg::Vault(VaultMsg::Store));
    h.ok(
        Call::Vault(VaultCall::Push),
        201,
        json!({
            "id": format!("{DEV}/secrets/payroll-api-client-secret"), "name": "payroll-api-client-secret",
            "properties": {"secretUriWithVersion": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/v1"}
        }),
    );
    assert_eq!(
        h.count(Call::Done(DoneCall::Permissions)),
        0,
        "not before Finish"
    );
    h.send(Msg::Leave(Leave::Finish));
    let scope = format!("{DEV}/secrets/payroll-api-client-secret");
    assert_eq!(
        h.request(Call::Done(DoneCall::Permissions)).url,
        format!(
            "{ARM}{scope}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01"
        )
    );
    // Key Vault Contributor: no roleAssignments/write.
    h.ok(
        Call::Done(DoneCall::Permissions),
        200,
        json!({"value": [{"actions": ["Microsoft.KeyVault/*", "Microsoft.Authorization/*/read"], "notActions": []}]}),
    );
    let Workload::Rbac(g) = done(&h).workload() else {
        panic!("{:?}", done(&h).workload())
    };
    assert_eq!(
        g.may_assign,
        Progress::Done(crate::wizard::done::MayAssign::No)
    );
    assert_eq!(
        done(&h).vault_uri().as_deref(),
        Some("https://kv-contoso-dev.vault.test/")
    );

    h.send(Msg::Done(DoneMsg::Query("id-payroll".into())));
    h.send(Msg::Done(DoneMsg::Search));
    assert!(h
        .request(Call::Done(DoneCall::Search))
        .url
        .starts_with(&format!(
            "{GRAPH}/v1.0/servicePrincipals?$filter=startsWith"
        )));
    h.ok(
        Call::Done(DoneCall::Search),
        200,
        json!({"value": [{"id": MI, "appId": "a", "displayName": "id-payroll-api-prod", "servicePrincipalType": "ManagedIdentity"}]}),
    );
    h.send(Msg::Done(DoneMsg::Choose(MI.into())));
    h.send(Msg::Done(DoneMsg::Assign { bits: 42 }));
    let put = h.request(Call::Done(DoneCall::Assign));
    assert!(put.url.starts_with(&format!(
        "{ARM}{scope}/providers/Microsoft.Authorization/roleAssignments/"
    )));
    assert_eq!(body(put)["properties"]["principalId"], MI);
    h.ok(
        Call::Done(DoneCall::Assign),
        403,
        json!({"error": {"code": "AuthorizationFailed", "message": format!("The client 'dan@contoso.example' with object id '{DAN}' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '{scope}' or the scope is invalid.")}}),
    );
    let Workload::Rbac(g) = done(&h).workload() else {
        panic!()
    };
    assert!(
        matches!(&g.assign, Progress::Failed(p) if p.message.contains("Role Based Access Control Administrator"))
    );
    assert!(
        !format!("{:?}", h.w).contains(SECRET),
        "Done never holds the value"
    );
}

#[test]
fn without_a_stored_secret_done_asks_nothing_of_arm() {
    let mut h = created();
    h.send(Msg::Leave(Leave::Finish));
    h.send(Msg::ConfirmLeave);
    assert_eq!(done(&h).workload(), &Workload::NotStored);
    assert_eq!(h.count(Call::Done(DoneCall::Permissions)), 0);
    h.send(Msg::Done(DoneMsg::Query("x".into())));
    h.send(Msg::Done(DoneMsg::Search));
    assert_eq!(h.count(Call::Done(DoneCall::Search)), 0);
}

#[test]
fn done_messages_outside_done_are_ignored() {
    let mut h = created();
    assert!(h.w.show_once().is_some());
    h.send(Msg::Done(DoneMsg::Search));
    h.send(Msg::Done(DoneMsg::Assign { bits: 1 }));
    assert_eq!(h.count(Call::Done(DoneCall::Search)), 0);
    assert_eq!(h.count(Call::Done(DoneCall::Assign)), 0);
    assert!(h.w.show_once().is_some());
}
