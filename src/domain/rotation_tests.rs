use chrono::{Duration, FixedOffset, TimeZone, Utc};

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()
}

fn secret(key: &str, end_days: i64) -> PasswordCredential {
    PasswordCredential {
        key_id: key.into(),
        display_name: Some(format!("secret {key}")),
        hint: None,
        start_date_time: Some(now() - Duration::days(400)),
        end_date_time: Some(now() + Duration::days(end_days)),
    }
}

fn app(audience: &str, creds: Vec<PasswordCredential>) -> Application {
    Application {
        id: "o".into(),
        app_id: "a".into(),
        display_name: "Payroll API".into(),
        sign_in_audience: Some(audience.into()),
        created_date_time: None,
        password_credentials: creds,
        key_credentials: vec![],
    }
}

#[test]
fn active_means_started_and_not_ended() {
    let mut future = secret("f", 100);
    future.start_date_time = Some(now() + Duration::hours(1));
    let mut open = secret("o", 0);
    open.start_date_time = None;
    open.end_date_time = None;
    let ends_now = secret("n", 0);
    let creds = vec![secret("a", 10), secret("x", -1), future, open, ends_now];
    let keys: Vec<&str> = active_secrets(&creds, &now())
        .iter()
        .map(|c| c.key_id.as_str())
        .collect();
    assert_eq!(keys, ["a", "o"]);
    let tokyo = now().with_timezone(&FixedOffset::east_opt(9 * 3600).unwrap());
    assert_eq!(active_secrets(&creds, &tokyo).len(), 2);
}

#[test]
fn removal_risk_levels() {
    let one = vec![secret("a", 10), secret("old", -5)];
    assert_eq!(
        removal_risk(&one, "a", &now(), true),
        RemovalRisk::LastActive
    );
    assert!(RemovalRisk::LastActive.needs_second_confirmation());
    assert_eq!(
        removal_risk(&one, "old", &now(), false),
        RemovalRisk::Inactive
    );
    assert_eq!(
        removal_risk(&one, "nope", &now(), true),
        RemovalRisk::NotFound
    );

    let two = vec![secret("a", 10), secret("B", 700)];
    assert_eq!(
        removal_risk(&two, "a", &now(), false),
        RemovalRisk::ConsumersNotConfirmed
    );
    assert_eq!(removal_risk(&two, "b", &now(), true), RemovalRisk::Safe);
    assert!(!RemovalRisk::Safe.needs_second_confirmation());

    let three = vec![secret("a", 10), secret("b", 700), secret("c", 300)];
    assert_eq!(removal_risk(&three, "a", &now(), false), RemovalRisk::Safe);
}

#[test]
fn overlap_note_only_with_a_single_working_secret() {
    assert!(overlap_note(&app("AzureADMyOrg", vec![secret("a", 10)]), &now()).is_some());
    assert!(overlap_note(
        &app("AzureADMyOrg", vec![secret("a", 10), secret("b", 20)]),
        &now()
    )
    .is_none());
}

#[test]
fn plan_adds_before_removing_the_one_expiring_first() {
    let a = app(
        "AzureADMyOrg",
        vec![secret("late", 500), secret("soon", 12), secret("dead", -3)],
    );
    let p = plan(&a, &now(), None);
    assert_eq!(p.blocked, None);
    assert_eq!(
        p.steps,
        vec![
            RotationStep::AddSecret,
            RotationStep::StoreInVault,
            RotationStep::UpdateConsumers,
            RotationStep::RemoveOld {
                key_id: "soon".into(),
                name: "secret soon".into()
            },
            RotationStep::RemoveExpired {
                key_id: "dead".into(),
                name: "secret dead".into()
            },
        ]
    );
    let chosen = plan(&a, &now(), Some("LATE"));
    assert!(chosen.steps.contains(&RotationStep::RemoveOld {
        key_id: "late".into(),
        name: "secret late".into()
    }));
}

#[test]
fn capped_apps_free_room_with_expired_secrets_first() {
    let a = app(
        "AzureADandPersonalMicrosoftAccount",
        vec![secret("live", 40), secret("dead", -3)],
    );
    let p = plan(&a, &now(), None);
    assert_eq!(p.blocked, None);
    assert_eq!(
        p.steps[0],
        RotationStep::RemoveExpired {
            key_id: "dead".into(),
            name: "secret dead".into()
        }
    );
    assert_eq!(p.steps[1], RotationStep::AddSecret);
    assert_eq!(p.steps.len(), 5, "{:?}", p.steps);
}

#[test]
fn capped_app_with_two_working_secrets_is_blocked() {
    let a = app(
        "PersonalMicrosoftAccount",
        vec![secret("one", 40), secret("two", 400)],
    );
    let p = plan(&a, &now(), None);
    assert_eq!(p.blocked, Some(RotationBlock::SecretCapReached));
    let org = app("AzureADMyOrg", vec![secret("one", 40), secret("two", 400)]);
    assert_eq!(plan(&org, &now(), None).blocked, None);
}

#[test]
fn unnamed_secrets_are_named_by_hint_then_key() {
    let mut c = secret("k1", 5);
    c.display_name = None;
    c.hint = Some("Xy~".into());
    let a = app("AzureADMyOrg", vec![c.clone()]);
    assert!(plan(&a, &now(), None)
        .steps
        .contains(&RotationStep::RemoveOld {
            key_id: "k1".into(),
            name: "Xy~…".into()
        }));
    c.hint = None;
    let a = app("AzureADMyOrg", vec![c]);
    assert!(plan(&a, &now(), None)
        .steps
        .contains(&RotationStep::RemoveOld {
            key_id: "k1".into(),
            name: "k1".into()
        }));
}

#[test]
fn finds_the_secret_a_lost_add_password_created() {
    let sent = NewPassword {
        display_name: "Created by dan@contoso.example on 2026-11-26 via secret-wizard".into(),
        start: now(),
        end: now() + Duration::days(730),
    };
    let mut made = secret("new", 730);
    made.display_name = Some(sent.display_name.clone());
    made.start_date_time = Some(now() + Duration::milliseconds(400));
    let mut other = made.clone();
    other.key_id = "older".into();
    other.start_date_time = Some(now() - Duration::days(1));
    let creds = vec![other, made];
    assert_eq!(
        find_created(&creds, &sent).map(|c| c.key_id.as_str()),
        Some("new")
    );
    assert_eq!(find_created(&creds[..1], &sent), None);
}
