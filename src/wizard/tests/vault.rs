//! The Key Vault step inside the wizard: pre-flight gates Create, the push runs from Show once
//! (or right after Create in zero-reveal mode), Done shows the references, and the value is
//! dropped once stored or deliberately given up.

use serde_json::json;

use super::*;
use crate::config::{VaultMode, VaultSettings};
use crate::vault::{Push, VaultCall, VaultConfig, VaultMsg, VaultState};
use crate::wizard::{Leave, Step};

const ARM: &str = "https://arm.test";
const DEV: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";
const NEW_KEY: &str = "bbbbbbbb-0000-4000-8000-00000000000b";

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

fn vault(call: VaultCall) -> Call {
    Call::Vault(call)
}

/// Dan on Payroll API's Describe step with kv-contoso-dev chosen and its pre-flight answered.
fn describing(permissions: Value) -> Harness {
    let mut h = Harness::new(config());
    h.w = Wizard::new(config(), 0x5eed).with_vault(VaultState::new(Some(vault_config()), None));
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(
        h.count(vault(VaultCall::Subscriptions)) == 1,
        "entering Describe lists vaults"
    );
    assert_eq!(h.w.vault().name.text, "payroll-api-client-secret");
    h.send(Msg::Vault(VaultMsg::Select(DEV.into())));
    h.ok(vault(VaultCall::Permissions), 200, permissions);
    h.ok(
        vault(VaultCall::NameExists),
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    h
}

fn contributor() -> Value {
    json!({"value": [{"actions": ["Microsoft.KeyVault/*"], "notActions": [], "dataActions": [], "notDataActions": []}]})
}

fn create(h: &mut Harness) {
    h.send(Msg::Describe(DescribeMsg::Create));
    let created = created_from(h.request(Call::AddPassword), NEW_KEY);
    h.ok(Call::AddPassword, 200, created);
}

fn stored_body() -> Value {
    json!({
        "id": format!("{DEV}/secrets/payroll-api-client-secret"), "name": "payroll-api-client-secret",
        "tags": {"CredentialId": NEW_KEY},
        "properties": {"secretUriWithVersion": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/v1",
                       "attributes": {"enabled": true}}
    })
}

#[test]
fn create_waits_for_the_pre_flight_and_never_starts_on_a_vault_dan_cannot_write() {
    let reader = json!({"value": [{"actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": []}]});
    let mut h = describing(reader);
    assert!(h.w.vault().create_blocker().is_some());
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 0, "nothing is created");
    assert!(matches!(h.w.step(), Step::Describe(_)));
    // Choosing not to store, explicitly, lets Create go ahead.
    h.send(Msg::Vault(VaultMsg::DontStore));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1);
}

#[test]
fn dan_stores_from_show_once_and_done_shows_references_without_the_value() {
    let mut h = describing(contributor());
    create(&mut h);
    assert!(h.w.show_once().is_some());
    assert!(h.w.vault().may_show_value());
    assert_eq!(h.count(vault(VaultCall::Push)), 0, "stored only on request");
    h.send(Msg::Vault(VaultMsg::Store));
    let put = body(h.request(vault(VaultCall::Push)));
    assert_eq!(put["properties"]["value"], SECRET);
    assert_eq!(put["tags"]["CredentialId"], NEW_KEY);
    assert_eq!(put["tags"]["CreatedBy"], "dan@contoso.example");
    assert!(
        h.w.needs_leave_guard(),
        "leaving while storing would lose the value"
    );
    h.send(Msg::Leave(Leave::Finish));
    h.send(Msg::ConfirmLeave);
    assert!(
        h.w.show_once().is_some(),
        "can't leave in the middle of storing"
    );
    h.send(Msg::CancelLeave);
    h.ok(vault(VaultCall::Push), 201, stored_body());
    // Stored: Show once stays (the value may still be copied), and leaving is safe now.
    assert!(h.w.show_once().is_some());
    assert!(!h.w.needs_leave_guard());
    h.send(Msg::Leave(Leave::Finish));
    assert!(h.w.leave_pending().is_none(), "no question asked");
    let Step::Done(done) = h.w.step() else {
        panic!("expected Done, got {:?}", h.w.step())
    };
    let stored = done.stored().expect("the references");
    assert_eq!(stored.version(), "v1");
    assert_eq!(done.credential().key_id, NEW_KEY);
    assert!(h.w.secret().is_none(), "the value is gone once stored");
    assert!(!format!("{:?}", h.w).contains(SECRET));
}

#[test]
fn zero_reveal_creates_and_stores_in_one_click_without_offering_the_value() {
    let mut h = describing(contributor());
    h.send(Msg::Vault(VaultMsg::ZeroReveal(true)));
    create(&mut h);
    assert_eq!(
        h.count(vault(VaultCall::Push)),
        1,
        "stored right after Create"
    );
    assert!(!h.w.vault().may_show_value(), "no field while storing");
    h.ok(vault(VaultCall::Push), 201, stored_body());
    assert!(matches!(h.w.step(), Step::Done(_)));
    assert!(h.w.secret().is_none());
}

#[test]
fn zero_reveal_offers_the_value_only_when_storing_fails_or_removes_the_credential() {
    let mut h = describing(contributor());
    h.send(Msg::Vault(VaultMsg::ZeroReveal(true)));
    create(&mut h);
    h.ok(
        vault(VaultCall::Push),
        403,
        json!({"error": {"code": "AuthorizationFailed", "message": "x"}}),
    );
    assert!(matches!(h.w.vault().push, Push::Failed { .. }));
    assert!(
        h.w.vault().may_show_value(),
        "reveal/copy now, so nothing is lost"
    );
    assert!(h.w.needs_leave_guard(), "neither stored nor copied");
    h.send(Msg::Vault(VaultMsg::RemoveCredential));
    h.send(Msg::Vault(VaultMsg::ConfirmRemove));
    let remove = h.request(vault(VaultCall::RemoveCredential));
    assert_eq!(body(remove), json!({"keyId": NEW_KEY}));
    h.ok(vault(VaultCall::RemoveCredential), 204, json!(null));
    assert!(matches!(h.w.step(), Step::Describe(_)));
    assert!(h.w.secret().is_none());
    let notice = h.w.vault().notice.clone().unwrap();
    assert!(
        notice.contains(NEW_KEY) && notice.contains("nothing was stored"),
        "{notice}"
    );
    let app = &h.w.review().unwrap().app();
    assert!(app.password_credentials.iter().all(|c| c.key_id != NEW_KEY));
}

#[test]
fn without_a_vault_step_the_wizard_works_as_before() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert_eq!(h.count(vault(VaultCall::Subscriptions)), 0);
    create(&mut h);
    assert!(h.w.show_once().is_some());
    assert!(h.w.vault().may_show_value());
}
