//! The vault list, the initial choice and what is remembered.

use serde_json::json;

use super::*;
use crate::net::Method;

fn subscriptions() -> Value {
    json!({ "value": [
        { "subscriptionId": DEV_SUB, "displayName": "Contoso Dev", "state": "Enabled" },
        { "subscriptionId": PROD_SUB, "displayName": "Contoso Prod", "state": "Enabled" },
        { "subscriptionId": "c0de0003-7d3e-4a5b-9c8d-000000000003", "displayName": "Old", "state": "Disabled" }
    ]})
}

fn loaded(config: VaultConfig) -> Harness {
    let mut h = Harness::new(config);
    h.describe(None);
    let list = h.request(VaultCall::Subscriptions);
    assert_eq!(list.method, Method::Get);
    assert_eq!(
        list.url,
        format!("{ARM}/subscriptions?api-version=2022-12-01")
    );
    h.ok(VaultCall::Subscriptions, 200, subscriptions());
    h
}

#[test]
fn lists_vaults_of_every_enabled_subscription_and_searches_them() {
    let mut h = loaded(config(VaultMode::Arm));
    assert_eq!(h.count(VaultCall::Vaults(0)), 1);
    assert_eq!(h.count(VaultCall::Vaults(1)), 1);
    assert!(
        !h.pending(VaultCall::Vaults(2)),
        "disabled subscriptions are skipped"
    );
    assert!(h.request(VaultCall::Vaults(1)).url.contains(PROD_SUB));
    let locked = vault_id(DEV_SUB, "rg-sec", "kv-contoso-locked");
    h.ok(
        VaultCall::Vaults(0),
        200,
        json!({ "value": [vault_json(&dev_id(), true, false), vault_json(&locked, false, true)] }),
    );
    assert!(h.v.catalog.loading());
    h.ok(
        VaultCall::Vaults(1),
        200,
        json!({ "value": [vault_json(&prod_id(), true, false)] }),
    );
    assert!(!h.v.catalog.loading());
    let config = h.v.config.clone().unwrap();
    let names: Vec<&str> =
        h.v.catalog
            .visible(&config)
            .iter()
            .map(|v| v.name.as_str())
            .collect();
    assert_eq!(
        names,
        ["kv-contoso-dev", "kv-contoso-locked", "kv-contoso-prod"]
    );
    let locked = h.v.catalog.find(&locked).unwrap();
    assert_eq!(locked.resource_group, "rg-sec");
    assert_eq!(locked.subscription_name, "Contoso Dev");
    assert_eq!(locked.location, "westeurope");
    assert_eq!(locked.permission_model(), "Access policies");
    assert_eq!(locked.network(), "Firewall: selected networks only");
    h.msg(VaultMsg::Query("PROD".into()));
    let names: Vec<&str> =
        h.v.catalog
            .visible(&config)
            .iter()
            .map(|v| v.name.as_str())
            .collect();
    assert_eq!(names, ["kv-contoso-prod"]);
    h.msg(VaultMsg::Query("rg-sec".into()));
    assert_eq!(h.v.catalog.visible(&config).len(), 1);
    h.msg(VaultMsg::Query("contoso dev".into()));
    assert_eq!(
        h.v.catalog.visible(&config).len(),
        2,
        "by subscription name"
    );
}

#[test]
fn the_allowed_list_restricts_what_is_listed_and_chosen() {
    let mut c = config(VaultMode::Arm);
    c.settings.allowed = vec![vref(&dev_id())];
    let mut h = loaded(c);
    assert!(h.pending(VaultCall::Vaults(0)));
    assert!(
        !h.pending(VaultCall::Vaults(1)),
        "no vault of Contoso Prod is allowed"
    );
    h.ok(
        VaultCall::Vaults(0),
        200,
        json!({ "value": [vault_json(&dev_id(), true, false),
                           vault_json(&vault_id(DEV_SUB, "rg-sec", "kv-contoso-locked"), true, true)] }),
    );
    let config = h.v.config.clone().unwrap();
    let visible = h.v.catalog.visible(&config);
    assert_eq!(visible.len(), 1);
    assert_eq!(visible[0].name, "kv-contoso-dev");
    h.msg(VaultMsg::Select(prod_id()));
    assert!(
        h.v.selected.is_none(),
        "a vault outside the list can't be chosen"
    );
    h.msg(VaultMsg::Select(
        dev_id()
            .to_uppercase()
            .replace("SUBSCRIPTIONS", "subscriptions"),
    ));
    assert_eq!(
        h.v.selected.as_ref().unwrap().vault.name.to_lowercase(),
        "kv-contoso-dev"
    );
}

#[test]
fn paging_follows_next_links() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.ok(
        VaultCall::Subscriptions,
        200,
        json!({ "value": [{ "subscriptionId": DEV_SUB, "displayName": "Contoso Dev" }],
                "nextLink": format!("{ARM}/subscriptions?page=2") }),
    );
    assert_eq!(
        h.request(VaultCall::Subscriptions).url,
        format!("{ARM}/subscriptions?page=2")
    );
    assert!(
        !h.pending(VaultCall::Vaults(0)),
        "vaults wait for every subscription"
    );
    h.ok(
        VaultCall::Subscriptions,
        200,
        json!({ "value": [{ "subscriptionId": PROD_SUB, "displayName": "Contoso Prod" }] }),
    );
    assert!(h.pending(VaultCall::Vaults(1)));
}

#[test]
fn a_failed_listing_is_explained_and_can_be_reloaded() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.lost(VaultCall::Subscriptions);
    let p = h.v.catalog.problem.clone().unwrap();
    assert!(
        p.message
            .contains("Azure Resource Manager could not be reached"),
        "{}",
        p.message
    );
    assert!(p.offers(Remedy::TryAgain));
    h.msg(VaultMsg::Reload);
    assert_eq!(h.count(VaultCall::Subscriptions), 2);
    assert!(h.v.catalog.problem.is_none());
    // Describe again does not list again.
    h.describe(None);
    assert_eq!(h.count(VaultCall::Subscriptions), 2);
}

#[test]
fn initial_choice_prefers_the_hand_off_then_the_session_then_config() {
    let mut c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&prod_id()));
    assert_eq!(c.initial_vault(None, None).unwrap().name, "kv-contoso-prod");
    assert_eq!(
        c.initial_vault(None, Some(&dev_id())).unwrap().name,
        "kv-contoso-dev"
    );
    let locked = vault_id(DEV_SUB, "rg-sec", "kv-contoso-locked");
    assert_eq!(
        c.initial_vault(Some(&locked), Some(&dev_id()))
            .unwrap()
            .name,
        "kv-contoso-locked"
    );
    assert_eq!(
        c.initial_vault(Some("not an id"), None).unwrap().name,
        "kv-contoso-prod"
    );
    c.settings.allowed = vec![vref(&prod_id())];
    assert_eq!(
        c.initial_vault(Some(&locked), Some(&dev_id()))
            .unwrap()
            .name,
        "kv-contoso-prod",
        "vaults outside the allowed list are passed over"
    );
    c.settings.default = None;
    c.settings.allowed.clear();
    assert!(c.initial_vault(None, None).is_none());
}

#[test]
fn the_default_is_pre_selected_and_only_the_vault_id_is_remembered() {
    let mut c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&dev_id()));
    let mut h = Harness::new(c);
    h.describe(None);
    let selected = h.v.selected.as_ref().expect("the default is chosen");
    assert_eq!(selected.vault.name, "kv-contoso-dev");
    assert_eq!(h.v.name.text, "payroll-api-client-secret");
    // Details, permissions and the name are checked at once.
    assert!(h
        .request(VaultCall::Vault)
        .url
        .starts_with(&format!("{ARM}{}?api-version=", dev_id())));
    assert!(h
        .request(VaultCall::Permissions)
        .url
        .contains("/providers/Microsoft.Authorization/permissions"));
    assert!(h
        .request(VaultCall::NameExists)
        .url
        .contains("/secrets/payroll-api-client-secret?"));
    let remembered: Vec<&str> = h
        .other
        .iter()
        .filter_map(|e| match e {
            VaultEffect::Remember(id) => Some(id.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(remembered, [dev_id().as_str()]);
    // A remembered vault (from sessionStorage) wins over the default.
    let mut c = config(VaultMode::Arm);
    c.settings.default = Some(vref(&dev_id()));
    let mut h = Harness {
        v: VaultState::new(Some(c), Some(prod_id())),
        ..Harness::new(config(VaultMode::Arm))
    };
    h.describe(None);
    assert_eq!(h.v.selected.as_ref().unwrap().vault.name, "kv-contoso-prod");
}

#[test]
fn the_name_follows_the_template_is_validated_as_typed_and_checked_after_a_pause() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    assert_eq!(h.v.name.text, "payroll-api-client-secret");
    assert_eq!(h.v.verdict(), Verdict::NotChosen);
    h.msg(VaultMsg::NameInput("payroll api".into()));
    assert_eq!(
        h.v.name.error.as_deref(),
        Some("Key Vault secret names can only use letters, digits and dashes; remove spaces.")
    );
    h.msg(VaultMsg::Select(dev_id()));
    assert!(matches!(h.v.verdict(), Verdict::Blocked(_)));
    assert!(
        !h.pending(VaultCall::NameExists),
        "an invalid name is not looked up"
    );
    h.msg(VaultMsg::NameInput("payroll-api".into()));
    assert!(h.v.name.error.is_none());
    assert!(
        !h.pending(VaultCall::NameExists),
        "waits for typing to pause"
    );
    assert_eq!(h.timers().last().unwrap().1, NAME_DEBOUNCE_MS);
    h.msg(VaultMsg::NameInput("payroll-api-2".into()));
    let stale = h.timers()[0].0;
    h.msg(VaultMsg::TimerDue(stale));
    assert!(!h.pending(VaultCall::NameExists), "an old pause is ignored");
    h.fire_timer();
    assert!(h
        .request(VaultCall::NameExists)
        .url
        .contains("/secrets/payroll-api-2?"));
    // A typed name survives going back to Describe.
    h.describe(None);
    assert_eq!(h.v.name.text, "payroll-api-2");
}

#[test]
fn dont_store_clears_the_choice_and_zero_reveal() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.ready_on_dev();
    h.msg(VaultMsg::ZeroReveal(true));
    assert!(h.v.zero_reveal);
    h.msg(VaultMsg::DontStore);
    assert!(h.v.selected.is_none());
    assert!(!h.v.zero_reveal);
    assert_eq!(h.v.verdict(), Verdict::NotChosen);
    assert_eq!(h.v.create_blocker(), None);
    h.msg(VaultMsg::ZeroReveal(true));
    assert!(!h.v.zero_reveal, "zero-reveal needs a vault");
}
