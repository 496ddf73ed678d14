//! The guide's step states through a rotation, and where the new version goes.

use super::*;
use crate::rotation::crosscheck::{cross_check, CrossCheck};
use crate::rotation::guide::{
    choose_target, default_old, find_new, guide, RotationSession, StepState, Target, TargetSource,
};

use StepState::*;

fn check(app: &Application, secrets: Vec<ArmSecret>) -> CrossCheck {
    cross_check(app, &[listed(DEV_VAULT, "kv-contoso-dev", secrets)], &now())
}

fn session(old: &str, started_days: Option<i64>, confirmed: bool) -> RotationSession {
    RotationSession {
        app_object_id: APP_ID.into(),
        old_key_id: Some(old.into()),
        started_at: started_days.map(days),
        consumers_confirmed: confirmed,
    }
}

fn target() -> Target {
    Target {
        vault_id: DEV_VAULT.into(),
        vault_name: "kv-contoso-dev".into(),
        secret_name: "payroll-api-client-secret".into(),
        source: TargetSource::AppSecret,
    }
}

/// Payroll API after step 1: a new secret made just now.
fn with_new() -> Application {
    app_with(vec![
        cred(OLD, "payroll-2024", -345, 20),
        cred(OTHER, "payroll-2025", -165, 200),
        cred(NEW, "rotation", 0, 180),
    ])
}

#[test]
fn before_anything_step_one_is_current_and_the_rest_wait() {
    let app = payroll();
    assert_eq!(
        default_old(&app, &now()).as_deref(),
        Some(OLD),
        "the working one expiring first"
    );
    let c = check(&app, vec![]);
    let g = guide(
        &app,
        Some(&c),
        true,
        &session(OLD, None, false),
        Some(&target()),
    );
    assert_eq!(g.states, [Current, Pending, Pending, Pending]);
    assert_eq!(g.old.as_ref().unwrap().key_id, OLD);
    assert!(g.new.is_none());
    assert!(!g.complete());
}

#[test]
fn a_secret_older_than_the_start_is_not_the_new_one() {
    let app = payroll();
    // Started now: payroll-2025 (165 days old) is an existing secret, not the new one.
    assert!(find_new(&app, None, &session(OLD, Some(0), false), None).is_none());
    let app = with_new();
    let found = find_new(&app, None, &session(OLD, Some(0), false), None).unwrap();
    assert_eq!(found.key_id, NEW);
    // Without a started rotation nothing counts as new.
    assert!(find_new(&app, None, &session(OLD, None, false), None).is_none());
}

#[test]
fn steps_tick_through_a_whole_rotation() {
    // 1. Created, the vault check still running.
    let app = with_new();
    let g = guide(
        &app,
        None,
        false,
        &session(OLD, Some(0), false),
        Some(&target()),
    );
    assert_eq!(g.states, [Done, Checking, Current, Pending]);
    // Checked: not stored yet.
    let c = check(
        &app,
        vec![secret(
            "payroll-api-client-secret",
            wizard_tags(OTHER),
            None,
        )],
    );
    let g = guide(
        &app,
        Some(&c),
        true,
        &session(OLD, Some(0), false),
        Some(&target()),
    );
    assert_eq!(g.states, [Done, Current, Current, Pending]);
    assert!(g.stored.is_none());
    // 2. Stored as a new version of the same vault secret (it now names the new keyId).
    let c = check(
        &app,
        vec![secret(
            "payroll-api-client-secret",
            wizard_tags(NEW),
            Some(days(180)),
        )],
    );
    let g = guide(
        &app,
        Some(&c),
        true,
        &session(OLD, Some(0), false),
        Some(&target()),
    );
    assert_eq!(g.states, [Done, Done, Current, Pending]);
    assert_eq!(
        g.stored.as_ref().unwrap().secret_name,
        "payroll-api-client-secret"
    );
    assert_eq!(g.new.as_ref().unwrap().key_id, NEW);
    // 3. Consumers confirmed: removal is the step to do.
    let g = guide(
        &app,
        Some(&c),
        true,
        &session(OLD, Some(0), true),
        Some(&target()),
    );
    assert_eq!(g.states, [Done, Done, Done, Current]);
    // 4. The old secret is gone from the app.
    let after = app_with(vec![
        cred(OTHER, "payroll-2025", -165, 200),
        cred(NEW, "rotation", 0, 180),
    ]);
    let c = check(
        &after,
        vec![secret(
            "payroll-api-client-secret",
            wizard_tags(NEW),
            Some(days(180)),
        )],
    );
    let g = guide(
        &after,
        Some(&c),
        true,
        &session(OLD, Some(0), true),
        Some(&target()),
    );
    assert_eq!(g.states, [Done, Done, Done, Done]);
    assert!(g.old_removed && g.complete());
}

#[test]
fn a_copy_elsewhere_still_counts_as_stored() {
    let app = with_new();
    let c = check(&app, vec![secret("somewhere-else", wizard_tags(NEW), None)]);
    let g = guide(
        &app,
        Some(&c),
        true,
        &session(OLD, Some(0), false),
        Some(&target()),
    );
    assert_eq!(g.states[1], Done);
    assert_eq!(g.stored.unwrap().secret_name, "somewhere-else");
}

#[test]
fn the_personal_account_cap_blocks_step_one() {
    let mut app = app_with(vec![cred(OLD, "a", -10, 20), cred(OTHER, "b", -10, 200)]);
    app.sign_in_audience = Some("AzureADandPersonalMicrosoftAccount".into());
    let g = guide(&app, None, true, &session(OLD, None, false), None);
    assert!(g.at_cap);
    assert_eq!(g.states[0], Blocked);
}

#[test]
fn the_target_is_the_old_copy_then_an_app_secret_then_the_default() {
    let app = payroll();
    let s = settings(Some(PROD_VAULT), &[]);
    // The old secret's own copy.
    let c = check(
        &app,
        vec![
            secret("payroll-api-client-secret", wizard_tags(OTHER), None),
            secret("payroll-old-copy", wizard_tags(OLD), None),
        ],
    );
    let t = choose_target(&app, &c, Some(OLD), &s, now().date_naive()).unwrap();
    assert_eq!(
        (t.secret_name.as_str(), t.source),
        ("payroll-old-copy", TargetSource::OldCopy)
    );
    // No copy of the old one: the app's vault secret that holds a working secret.
    let c = check(
        &app,
        vec![secret(
            "payroll-api-client-secret",
            wizard_tags(OTHER),
            None,
        )],
    );
    let t = choose_target(&app, &c, Some(OLD), &s, now().date_naive()).unwrap();
    assert_eq!(t.vault_name, "kv-contoso-dev");
    assert_eq!(
        (t.secret_name.as_str(), t.source),
        ("payroll-api-client-secret", TargetSource::AppSecret)
    );
    // An orphan of the app still names its vault secret.
    let c = check(
        &app,
        vec![secret("payroll-orphan", wizard_tags(GONE), None)],
    );
    let t = choose_target(&app, &c, Some(OLD), &s, now().date_naive()).unwrap();
    assert_eq!(t.secret_name, "payroll-orphan");
    // Nothing in any vault: config's default vault and the template.
    let c = check(&app, vec![]);
    let t = choose_target(&app, &c, Some(OLD), &s, now().date_naive()).unwrap();
    assert_eq!(
        (t.vault_name.as_str(), t.secret_name.as_str()),
        ("kv-contoso-prod", "Payroll-API-client-secret")
    );
    assert_eq!(t.source, TargetSource::Default);
    assert!(choose_target(
        &app,
        &c,
        Some(OLD),
        &settings(None, &[]),
        now().date_naive()
    )
    .is_none());
    // A vault config.json doesn't allow is never chosen.
    let c = check(
        &app,
        vec![secret(
            "payroll-api-client-secret",
            wizard_tags(OTHER),
            None,
        )],
    );
    let only_prod = settings(None, &[PROD_VAULT]);
    assert!(choose_target(&app, &c, Some(OLD), &only_prod, now().date_naive()).is_none());
}

#[test]
fn the_session_holds_identifiers_only_and_reads_back() {
    let s = session(OLD, Some(0), true);
    let text = s.to_json();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap()
            .as_object()
            .unwrap()
            .keys()
            .cloned()
            .collect::<Vec<_>>(),
        ["appObjectId", "consumersConfirmed", "oldKeyId", "startedAt"]
    );
    assert_eq!(RotationSession::from_json(&text), Some(s));
}

#[test]
fn a_stored_session_of_another_shape_is_not_read() {
    let plain = RotationSession::new(APP_ID);
    let minimal = format!(r#"{{"appObjectId":"{APP_ID}"}}"#);
    assert_eq!(RotationSession::from_json(&minimal), Some(plain.clone()));
    let nulls =
        format!(r#"{{"appObjectId":"{APP_ID}","oldKeyId":null,"startedAt":null,"other":1}}"#);
    assert_eq!(RotationSession::from_json(&nulls), Some(plain));
    for bad in [
        "not json".to_string(),
        "[]".to_string(),
        "{}".to_string(),
        r#"{"appObjectId":1}"#.to_string(),
        format!(r#"{{"appObjectId":"{APP_ID}","oldKeyId":2}}"#),
        format!(r#"{{"appObjectId":"{APP_ID}","startedAt":"yesterday"}}"#),
        format!(r#"{{"appObjectId":"{APP_ID}","consumersConfirmed":"yes"}}"#),
        format!(r#"{{"appObjectId":"{APP_ID}","consumersConfirmed":null}}"#),
    ] {
        assert_eq!(RotationSession::from_json(&bad), None, "{bad}");
    }
}
