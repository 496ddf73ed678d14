//! A vault named by a hand-off link: anyone can write a link, so unless
//! config.json vets the vault it is shown with its subscription and resource group, nothing is
//! created for it or stored in it, and it is not remembered, until the user confirms it.

use serde_json::json;

use super::*;
use crate::net::Method;

fn locked_id() -> String {
    vault_id(DEV_SUB, "rg-sec", "kv-contoso-locked")
}

fn subscriptions() -> Value {
    json!({ "value": [
        { "subscriptionId": DEV_SUB, "displayName": "Contoso Dev", "state": "Enabled" },
        { "subscriptionId": PROD_SUB, "displayName": "Contoso Prod", "state": "Enabled" }
    ]})
}

fn remembered(h: &Harness) -> Vec<String> {
    h.other
        .iter()
        .filter_map(|e| match e {
            VaultEffect::Remember(id) => Some(id.clone()),
            _ => None,
        })
        .collect()
}

fn free_name() -> Value {
    json!({"error": {"code": "ResourceNotFound", "message": "x"}})
}

/// Dan opens a link naming kv-contoso-locked; every pre-flight read is answered "you can".
fn linked(config: VaultConfig) -> Harness {
    let mut h = Harness::new(config);
    h.describe_prepared(Some(PreparedVault::Link(&locked_id())));
    h.ok(VaultCall::Subscriptions, 200, subscriptions());
    h.ok(VaultCall::Vault, 200, vault_json(&locked_id(), true, true));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 404, free_name());
    h
}

#[test]
fn a_link_vault_outside_the_config_waits_for_confirmation_and_shows_where_it_is() {
    let mut h = linked(config(VaultMode::Arm));
    let s =
        h.v.selected
            .as_ref()
            .expect("the link's vault is pre-selected");
    assert_eq!(s.vault.name, "kv-contoso-locked");
    assert_eq!(s.origin, Origin::Link { confirmed: false });
    assert!(h.v.awaiting_vault_confirmation());
    // Only reads went out, and the vault was not remembered for the session.
    assert!(h.sent.iter().all(|(_, r)| r.method == Method::Get));
    assert!(remembered(&h).is_empty(), "{:?}", remembered(&h));
    assert_eq!(h.v.remembered, None);
    // Shown with subscription (name and ID) and resource group.
    let l = h.v.link_vault().expect("link details");
    assert_eq!(l.name, "kv-contoso-locked");
    assert_eq!(l.subscription(), format!("Contoso Dev ({DEV_SUB})"));
    assert_eq!(l.resource_group, "rg-sec");
    assert_eq!(l.location.as_deref(), Some("westeurope"));
    assert!(!l.confirmed);
    assert!(l
        .warning("Payroll API")
        .contains("Anyone can write a hand-off link"));
    // The pre-flight is green otherwise, but asks first: Create waits, Store sends nothing.
    match h.v.verdict() {
        Verdict::Confirm { asks, notes } => {
            assert_eq!(
                asks,
                [Ask::LinkVault {
                    vault: "kv-contoso-locked".into()
                }]
            );
            assert!(notes[0].contains("You can store secrets in kv-contoso-locked"));
        }
        other => panic!("expected Confirm, got {other:?}"),
    }
    let blocker = h.v.create_blocker().expect("Create waits");
    assert!(blocker.contains("\"Use this vault\""), "{blocker}");
    assert!(blocker.contains("Don't store it"), "{blocker}");
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    assert!(
        !h.pending(VaultCall::Push),
        "nothing is stored before the user confirms"
    );
    // Checking again does not confirm it.
    h.msg(VaultMsg::Recheck);
    assert!(h.v.awaiting_vault_confirmation());
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 404, free_name());
    assert!(matches!(h.v.verdict(), Verdict::Confirm { .. }));
    // Confirmed: remembered now, green, and Store writes to that vault.
    h.msg(VaultMsg::ConfirmVault);
    assert_eq!(remembered(&h), [locked_id()]);
    assert!(!h.v.awaiting_vault_confirmation());
    assert!(
        h.v.link_vault().unwrap().confirmed,
        "still shown as the link's"
    );
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
    assert_eq!(h.v.create_blocker(), None);
    h.msg(VaultMsg::Store);
    let put = h.request(VaultCall::Push);
    assert_eq!(put.method, Method::Put);
    assert!(
        put.url.contains(&format!("{}/secrets/", locked_id())),
        "{}",
        put.url
    );
}

#[test]
fn a_link_vault_the_config_vets_stays_pre_selected() {
    // Listed in vault.allowed: the operator vetted it.
    let mut c = config(VaultMode::Arm);
    c.settings.allowed = vec![vref(&locked_id()), vref(&dev_id())];
    let h = linked(c);
    let s = h.v.selected.as_ref().unwrap();
    assert_eq!(s.origin, Origin::Chosen);
    assert_eq!(h.v.link_vault(), None);
    assert_eq!(remembered(&h), [locked_id()]);
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
    assert_eq!(h.v.create_blocker(), None);
    // vault.default is vetted too, even with no allowed list.
    let mut c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&locked_id()));
    let h = linked(c);
    assert_eq!(h.v.selected.as_ref().unwrap().origin, Origin::Chosen);
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
    // Another default does not vet the link's vault.
    let mut c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&dev_id()));
    let h = linked(c);
    let s = h.v.selected.as_ref().unwrap();
    assert_eq!(
        s.vault.name, "kv-contoso-locked",
        "the link's vault, not the default"
    );
    assert_eq!(s.origin, Origin::Link { confirmed: false });
}

#[test]
fn the_users_own_choice_needs_no_confirmation_and_describe_again_keeps_asking() {
    let mut h = linked(config(VaultMode::Arm));
    // Describe again (e.g. back from a refusal): still the link's, still unconfirmed.
    h.describe_prepared(None);
    assert!(h.v.awaiting_vault_confirmation());
    // Picking a vault in the list is the user's choice, even the same one again.
    h.msg(VaultMsg::Select(dev_id()));
    assert_eq!(h.v.selected.as_ref().unwrap().origin, Origin::Chosen);
    assert_eq!(h.v.link_vault(), None);
    h.msg(VaultMsg::Select(locked_id()));
    assert_eq!(h.v.selected.as_ref().unwrap().origin, Origin::Chosen);
    assert_eq!(remembered(&h), [dev_id(), locked_id()]);
    // "Use this vault" means nothing once nothing awaits it.
    let before = h.other.len();
    h.msg(VaultMsg::ConfirmVault);
    assert_eq!(h.other.len(), before);
}

#[test]
fn without_subscriptions_listed_the_link_vault_shows_its_subscription_id() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe_prepared(Some(PreparedVault::Link(&prod_id())));
    let l = h.v.link_vault().unwrap();
    assert_eq!(l.subscription(), PROD_SUB);
    assert_eq!(l.resource_group, "rg-prod");
    assert_eq!(l.location, None);
    h.ok(
        VaultCall::Subscriptions,
        200,
        json!({ "value": [{ "subscriptionId": DEV_SUB, "displayName": "Contoso Dev", "state": "Enabled" }]}),
    );
    assert_eq!(
        h.v.link_vault().unwrap().subscription(),
        PROD_SUB,
        "not among the user's subscriptions: the ID alone"
    );
}

#[test]
fn a_link_vault_config_does_not_allow_is_passed_over() {
    // (The link parser already refuses it; the vault step never selects it either.)
    let mut c = config(VaultMode::Arm);
    c.settings.allowed = vec![vref(&dev_id())];
    let mut h = Harness::new(c);
    h.describe_prepared(Some(PreparedVault::Link(&prod_id())));
    assert_eq!(h.v.selected, None);
    c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&dev_id()));
    let mut h = Harness::new(c);
    h.describe_prepared(Some(PreparedVault::Link("not a vault id")));
    let s = h.v.selected.as_ref().unwrap();
    assert_eq!(
        (s.vault.name.as_str(), s.origin),
        ("kv-contoso-dev", Origin::Chosen)
    );
}

#[test]
fn a_vault_from_the_users_own_data_is_pre_selected_as_before() {
    // The rotation guide's vault copy: trusted, remembered at once.
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(Some(&locked_id()));
    assert_eq!(h.v.selected.as_ref().unwrap().origin, Origin::Chosen);
    assert_eq!(remembered(&h), [locked_id()]);
}

#[test]
fn zero_reveal_waits_for_the_confirmation_too() {
    let mut h = linked(config(VaultMode::Arm));
    h.msg(VaultMsg::ZeroReveal(true));
    assert!(h.v.zero_reveal);
    assert!(
        h.v.create_blocker().is_some(),
        "one click would store it: Create waits"
    );
    h.msg(VaultMsg::ConfirmVault);
    assert_eq!(h.v.create_blocker(), None);
}
