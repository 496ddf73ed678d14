//! Storing from Show once after Describe said not to store it: "Store in Key Vault" opens the
//! vault choice there, the pre-flight and the push run as from Describe (the value lent for one
//! update, never copied), and Done shows the reference.

use serde_json::json;

use super::*;
use crate::config::{VaultMode, VaultSettings};
use crate::vault::{VaultCall, VaultConfig, VaultMsg, VaultState};
use crate::wizard::{Leave, Step};

const DEV: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";
const NEW_KEY: &str = "bbbbbbbb-0000-4000-8000-00000000000b";

fn vault(call: VaultCall) -> Call {
    Call::Vault(call)
}

fn vault_config() -> VaultConfig {
    VaultConfig {
        arm_base: "https://arm.test".into(),
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

/// Dan creates a Payroll API secret with "Don't store it" chosen on Describe: Show once.
fn shown_without_a_vault() -> Harness {
    let mut h = Harness::new(config());
    h.w = Wizard::new(config(), 0x5eed).with_vault(VaultState::new(Some(vault_config()), None));
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(h.w.vault().selected.is_none(), "no vault chosen");
    h.send(Msg::Describe(DescribeMsg::Create));
    let created = created_from(h.request(Call::AddPassword), NEW_KEY);
    h.ok(Call::AddPassword, 200, created);
    assert!(h.w.show_once().is_some());
    h
}

fn contributor() -> Value {
    json!({"value": [{"actions": ["Microsoft.KeyVault/*"], "notActions": [], "dataActions": [], "notDataActions": []}]})
}

#[test]
fn dan_stores_from_show_once_after_choosing_not_to_and_done_shows_the_reference() {
    let mut h = shown_without_a_vault();
    assert!(!h.w.show_once().unwrap().choosing_vault());
    assert!(h.send(Msg::ShowOnce(ShowOnceMsg::StoreInVault)).is_empty());
    assert!(h.w.show_once().unwrap().choosing_vault());
    assert!(h.w.needs_leave_guard(), "still neither copied nor stored");
    // Zero-reveal is a Describe choice: the value is on screen already.
    h.send(Msg::Vault(VaultMsg::ZeroReveal(true)));
    assert!(!h.w.vault().zero_reveal && h.w.vault().may_show_value());

    h.send(Msg::Vault(VaultMsg::Select(DEV.into())));
    h.ok(vault(VaultCall::Permissions), 200, contributor());
    h.ok(
        vault(VaultCall::NameExists),
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    assert_eq!(h.count(vault(VaultCall::Push)), 0, "stored only on request");
    h.send(Msg::Vault(VaultMsg::Store));
    let put = body(h.request(vault(VaultCall::Push)));
    assert_eq!(put["properties"]["value"], SECRET, "the value shown");
    assert_eq!(put["tags"]["CredentialId"], NEW_KEY);
    assert_eq!(put["tags"]["CreatedBy"], "dan@contoso.example");
    assert!(h.w.needs_leave_guard(), "storing: leaving would lose it");
    let stored = json!({
        "id": format!("{DEV}/secrets/payroll-api-client-secret"), "name": "payroll-api-client-secret",
        "tags": {"CredentialId": NEW_KEY},
        "properties": {"secretUriWithVersion": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/v1",
                       "attributes": {"enabled": true}}
    });
    h.ok(vault(VaultCall::Push), 201, stored);
    assert!(h.w.show_once().is_some(), "Show once stays until Finish");
    assert!(!h.w.needs_leave_guard(), "stored: safe to leave");
    h.send(Msg::Leave(Leave::Finish));
    let Step::Done(done) = h.w.step() else {
        panic!("Done")
    };
    let stored = done.stored().expect("the reference");
    assert_eq!(stored.vault_name, "kv-contoso-dev");
    assert_eq!(stored.secret_name, "payroll-api-client-secret");
    assert!(h.w.secret().is_none(), "the value is dropped");
    assert!(!format!("{:?}", h.w).contains(SECRET));
}

#[test]
fn without_asking_show_once_changes_nothing_and_the_value_is_only_lent_to_a_store() {
    let mut h = shown_without_a_vault();
    // No vault: a Store does nothing, and nothing is sent to a vault.
    let before = h.sent.len();
    h.send(Msg::Vault(VaultMsg::Store));
    assert_eq!(h.sent.len(), before, "nothing sent");
    // Finish without storing (after a copy), as before.
    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    h.send(Msg::Leave(Leave::Finish));
    let Step::Done(done) = h.w.step() else {
        panic!("Done")
    };
    assert!(done.stored().is_none());
}
