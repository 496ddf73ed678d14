//! A secret name that holds another app's secret: its tags (`ClientId`,
//! `AppObjectId`, `ProviderAddress`) name another app, so storing there replaces what that app
//! reads. The page says so plainly, and nothing is stored until the user says "Replace it" for
//! exactly that vault, name and holder.

use serde_json::json;

use super::*;
use crate::domain::tags::OtherApp;

const ONBOARDING_CLIENT: &str = "4b38840a-d113-4409-8449-8af23f5dbc47";
const NAME: &str = "payroll-api-client-secret";

/// An ARM secret resource with these tags.
fn tagged(tags: Value) -> Value {
    let mut s = arm_secret("kv-contoso-dev", NAME, "v1", "k1");
    s["tags"] = tags;
    s
}

fn onboarding_tags() -> Value {
    json!({
        "AppDisplayName": "Onboarding Portal", "ClientId": ONBOARDING_CLIENT,
        "AppObjectId": "0c0c0c0c-0000-4000-8000-0000000000aa",
        "CredentialId": "11111111-0000-4000-8000-000000000001", "CreatedWith": "secret-wizard"
    })
}

fn onboarding() -> OtherApp {
    OtherApp {
        client_id: Some(ONBOARDING_CLIENT.into()),
        object_id: Some("0c0c0c0c-0000-4000-8000-0000000000aa".into()),
        display_name: Some("Onboarding Portal".into()),
    }
}

/// Dan on kv-contoso-dev (ARM) where the name's latest version carries `tags`.
fn on_dev_holding(tags: Value) -> Harness {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    h.ok(VaultCall::Vault, 200, vault_json(&dev_id(), true, false));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 200, tagged(tags));
    h
}

fn asks(h: &Harness) -> Vec<Ask> {
    match h.v.verdict() {
        Verdict::Confirm { asks, .. } => asks,
        other => panic!("expected Confirm, got {other:?}"),
    }
}

fn notes(h: &Harness) -> Vec<String> {
    match h.v.verdict() {
        Verdict::Ready { notes } => notes,
        other => panic!("expected Ready, got {other:?}"),
    }
}

#[test]
fn another_apps_secret_is_named_and_storing_waits_for_replace_it() {
    let mut h = on_dev_holding(onboarding_tags());
    let [ask] = &asks(&h)[..] else {
        panic!("one ask")
    };
    assert_eq!(
        *ask,
        Ask::Replace {
            vault: "kv-contoso-dev".into(),
            name: NAME.into(),
            other: onboarding(),
        }
    );
    assert_eq!(
        ask.message(),
        format!(
            "kv-contoso-dev already holds \"{NAME}\" for the app with client ID \
             {ONBOARDING_CLIENT} (Onboarding Portal?) — storing here replaces what that app reads. \
             Choose another name unless you mean to replace it."
        )
    );
    assert_eq!(ask.action(), Some("Replace it"));
    let blocker = h.v.create_blocker().expect("Create waits");
    assert!(
        blocker.contains("may be replaced (\"Replace it\")"),
        "{blocker}"
    );
    assert!(blocker.contains("another name or vault"), "{blocker}");
    // The Store action is held too (Show once, value at hand).
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    assert!(!h.pending(VaultCall::Push), "held until confirmed");
    // "Replace it": green, with what will happen, and Store sends the one PUT.
    h.msg(VaultMsg::ConfirmReplace);
    assert_eq!(h.v.create_blocker(), None);
    let n = notes(&h);
    assert!(
        n.iter()
            .any(|s| s.contains("you chose to replace it") && s.contains("Onboarding Portal?")),
        "{n:?}"
    );
    h.msg(VaultMsg::Store);
    assert_eq!(h.count(VaultCall::Push), 1);
    assert!(h
        .request(VaultCall::Push)
        .url
        .contains(&format!("/secrets/{NAME}?")));
}

#[test]
fn the_consent_is_for_that_vault_name_and_holder_only() {
    let mut h = on_dev_holding(onboarding_tags());
    h.msg(VaultMsg::ConfirmReplace);
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
    // Another name held by another app: asked again.
    h.msg(VaultMsg::NameInput("shared-client-secret".into()));
    h.fire_timer();
    h.ok(
        VaultCall::NameExists,
        200,
        tagged(json!({"ProviderAddress": "9e9e9e9e-0000-4000-8000-000000000001"})),
    );
    match &asks(&h)[..] {
        [Ask::Replace { name, other, .. }] => {
            assert_eq!(name, "shared-client-secret");
            assert_eq!(
                other.describe(),
                "the app with object ID 9e9e9e9e-0000-4000-8000-000000000001"
            );
        }
        other => panic!("{other:?}"),
    }
    // Back to the first name, but its holder changed meanwhile: asked again.
    h.msg(VaultMsg::NameInput(NAME.into()));
    h.fire_timer();
    let mut changed = onboarding_tags();
    changed["ClientId"] = json!("77777777-0000-4000-8000-000000000007");
    h.ok(VaultCall::NameExists, 200, tagged(changed));
    assert!(matches!(&asks(&h)[..], [Ask::Replace { .. }]));
    // The same name and holder as consented: no question (e.g. checked again).
    h.msg(VaultMsg::Recheck);
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 200, tagged(onboarding_tags()));
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
    // Another vault: its own question.
    h.msg(VaultMsg::Select(prod_id()));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 200, tagged(onboarding_tags()));
    match &asks(&h)[..] {
        [Ask::Replace { vault, .. }] => assert_eq!(vault, "kv-contoso-prod"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn this_apps_own_or_untagged_secrets_just_get_a_new_version() {
    let own = json!({"ClientId": CLIENT_ID.to_uppercase(), "AppObjectId": APP_OBJECT, "CredentialId": "k0"});
    for tags in [own, json!({}), json!({"CredentialId": "some-other-key"})] {
        let h = on_dev_holding(tags.clone());
        let n = notes(&h);
        assert!(
            n.iter().any(
                |s| s.contains("already exists in kv-contoso-dev: a new version will be added")
            ),
            "{tags}: {n:?}"
        );
        assert_eq!(h.v.create_blocker(), None);
    }
}

#[test]
fn replace_it_means_nothing_when_no_other_app_holds_the_name() {
    let mut h = on_dev_holding(json!({}));
    h.msg(VaultMsg::ConfirmReplace);
    assert_eq!(h.v.replace_consent, None);
}

#[test]
fn the_data_plane_reads_the_holder_from_the_newest_version() {
    let mut h = Harness::new(config(VaultMode::DataPlane));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    h.ok(VaultCall::Vault, 200, vault_json(&dev_id(), true, false));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    let base = format!("https://kv-contoso-dev.vault.test/secrets/{NAME}");
    h.ok(
        VaultCall::NameExists,
        200,
        json!({"value": [
            {"id": format!("{base}/old"), "attributes": {"created": 1_600_000_000},
             "tags": {"ClientId": CLIENT_ID}},
            {"id": format!("{base}/new"), "attributes": {"created": 1_700_000_000},
             "tags": onboarding_tags()}
        ], "nextLink": null}),
    );
    assert_eq!(
        h.v.name.status,
        Check::Done(NameStatus::Exists {
            expires: None,
            other_app: Some(onboarding()),
        })
    );
    assert!(matches!(&asks(&h)[..], [Ask::Replace { .. }]));
}

#[test]
fn a_link_vault_and_another_apps_name_are_both_asked() {
    let locked = vault_id(DEV_SUB, "rg-sec", "kv-contoso-locked");
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe_prepared(Some(PreparedVault::Link(&locked)));
    h.ok(VaultCall::Vault, 200, vault_json(&locked, true, true));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(VaultCall::NameExists, 200, tagged(onboarding_tags()));
    let a = asks(&h);
    assert!(
        matches!(&a[..], [Ask::LinkVault { .. }, Ask::Replace { .. }]),
        "{a:?}"
    );
    let blocker = h.v.create_blocker().unwrap();
    assert!(
        blocker.contains("Use this vault") && blocker.contains("Replace it"),
        "{blocker}"
    );
    h.msg(VaultMsg::ConfirmReplace);
    assert!(matches!(&asks(&h)[..], [Ask::LinkVault { .. }]));
    h.msg(VaultMsg::ConfirmVault);
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
}
