use chrono::{Duration, FixedOffset, TimeZone, Utc};
use serde_json::json;

use super::*;
use crate::graph::Application;
use crate::net::HttpResponse;

fn now() -> Now {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 26, 10, 42, 7)
        .unwrap()
}

fn secret(key: &str, start_days: i64, end_days: i64) -> serde_json::Value {
    let at = |d: i64| (now().with_timezone(&Utc) + Duration::days(d)).to_rfc3339();
    json!({ "keyId": key, "displayName": key, "hint": "abc",
            "startDateTime": at(start_days), "endDateTime": at(end_days) })
}

fn app(secrets: Vec<serde_json::Value>) -> Application {
    serde_json::from_value(json!({ "id": "obj-1", "appId": "app-1",
        "displayName": "Onboarding Portal", "signInAudience": "AzureADMyOrg",
        "passwordCredentials": secrets }))
    .unwrap()
}

fn review(secrets: Vec<serde_json::Value>) -> ReviewState {
    ReviewState::new("https://graph.test", app(secrets))
}

fn owned_by_dan(r: &mut ReviewState) {
    r.answer(
        Call::Owners,
        Ok(HttpResponse::new(
            200,
            json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": "dan",
            "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] })
            .to_string(),
        )),
    );
}

fn read_again(r: &mut ReviewState, secrets: Vec<serde_json::Value>) {
    let body = serde_json::to_string(&app(secrets)).unwrap();
    r.answer(Call::App, Ok(HttpResponse::new(200, body)));
}

#[test]
fn the_last_working_secret_warns_and_needs_the_tick_then_remove_password_and_a_re_read() {
    let mut r = review(vec![secret("old", -800, -10), secret("portal", -290, 75)]);
    assert!(r
        .remove_secret(RemoveSecretMsg::Ask("nope".into()), &now())
        .is_empty());
    assert_eq!(
        r.removal(),
        &SecretRemoval::Idle,
        "unknown keyId: nothing opens"
    );
    r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
    let SecretRemoval::Confirm {
        credential, impact, ..
    } = r.removal().clone()
    else {
        panic!("the question")
    };
    assert!(impact.is_last_working());
    let text = confirm_text(&credential, &impact, "Onboarding Portal", &now());
    assert!(text.contains("Secret ID portal"), "{text}");
    assert!(
        text.contains("This is the last working secret of Onboarding Portal: the app will stop signing in with a client secret until a new secret is created"),
        "{text}"
    );
    // Not without the tick.
    assert!(!r.removal().may_confirm());
    assert!(r.remove_secret(RemoveSecretMsg::Confirm, &now()).is_empty());
    r.remove_secret(RemoveSecretMsg::Tick(true), &now());
    let sent = r.remove_secret(RemoveSecretMsg::Confirm, &now());
    let [ReviewEffect::Send(Call::RemoveSecret, req)] = &sent[..] else {
        panic!("one removePassword: {sent:?}")
    };
    assert_eq!(
        req.url,
        "https://graph.test/v1.0/applications/obj-1/removePassword"
    );
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(req.body.as_deref().unwrap()).unwrap(),
        json!({ "keyId": "portal" })
    );
    assert!(r
        .remove_secret(RemoveSecretMsg::Ask("old".into()), &now())
        .is_empty());
    assert!(
        matches!(r.removal(), SecretRemoval::Removing { .. }),
        "one at a time"
    );
    // 204, then the app read again without it.
    let reread = r.remove_answer(Ok(HttpResponse::new(204, "")));
    assert!(
        matches!(&reread[..], [ReviewEffect::Send(Call::App, q)] if q.url.contains("/applications/obj-1?"))
    );
    assert!(r.is_loading());
    read_again(&mut r, vec![secret("old", -800, -10)]);
    assert!(
        matches!(r.removal(), SecretRemoval::Removed { credential } if credential.key_id == "portal")
    );
    assert_eq!(r.app().password_credentials.len(), 1);
}

#[test]
fn with_another_working_secret_there_is_no_warning_and_no_tick() {
    let mut r = review(vec![
        secret("payroll-2024", -345, 20),
        secret("payroll-2025", -165, 200),
    ]);
    r.remove_secret(RemoveSecretMsg::Ask("payroll-2024".into()), &now());
    let SecretRemoval::Confirm {
        credential, impact, ..
    } = r.removal().clone()
    else {
        panic!("the question")
    };
    assert_eq!(impact, RemovalImpact::OthersWork(1));
    assert!(!confirm_text(&credential, &impact, "Payroll API", &now()).contains("last working"));
    assert!(r.removal().may_confirm(), "no tick needed");
    r.remove_secret(RemoveSecretMsg::Cancel, &now());
    assert_eq!(r.removal(), &SecretRemoval::Idle);
    assert!(
        r.remove_secret(RemoveSecretMsg::Confirm, &now()).is_empty(),
        "nothing to confirm"
    );
}

#[test]
fn graphs_403_says_who_can_and_nothing_is_read_or_removed() {
    let mut r = review(vec![secret("portal", -290, 75)]);
    owned_by_dan(&mut r);
    r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
    r.remove_secret(RemoveSecretMsg::Tick(true), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    let denied = json!({ "error": { "code": "Authorization_RequestDenied",
        "message": "Insufficient privileges to complete the operation." } });
    let effects = r.remove_answer(Ok(HttpResponse::new(403, denied.to_string())));
    assert!(effects.is_empty(), "no re-read");
    let SecretRemoval::Failed { problem, .. } = r.removal() else {
        panic!("refused")
    };
    assert!(
        problem
            .message
            .contains("you can't remove secrets from this app"),
        "{}",
        problem.message
    );
    assert!(
        problem
            .message
            .contains("Its owners (Dev Dan (dan@contoso.example))"),
        "{}",
        problem.message
    );
    assert!(problem.message.contains("Cloud Application Administrator"));
    assert!(problem.message.ends_with("Nothing was removed."));
    assert!(problem
        .details
        .as_deref()
        .unwrap()
        .contains("Authorization_RequestDenied"));
    assert_eq!(r.app().password_credentials.len(), 1, "still listed");
    // Another try is possible.
    r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
    assert!(matches!(r.removal(), SecretRemoval::Confirm { .. }));
    // Without owners, the administrators alone are named.
    let mut orphan = review(vec![secret("x", -1, 9)]);
    orphan.remove_secret(RemoveSecretMsg::Ask("x".into()), &now());
    orphan.remove_secret(RemoveSecretMsg::Tick(true), &now());
    orphan.remove_secret(RemoveSecretMsg::Confirm, &now());
    orphan.remove_answer(Ok(HttpResponse::new(403, denied.to_string())));
    let SecretRemoval::Failed { problem, .. } = orphan.removal() else {
        panic!("refused")
    };
    assert!(
        problem.message.contains("It has no owners"),
        "{}",
        problem.message
    );
}

#[test]
fn a_lost_answer_or_a_removal_that_doesnt_stick_is_told_by_the_re_read() {
    let two = || vec![secret("a", -10, 100), secret("b", -10, 100)];
    // No answer, and the app still lists it: not removed.
    let mut r = review(two());
    r.remove_secret(RemoveSecretMsg::Ask("a".into()), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    assert_eq!(r.remove_answer(Err(Failure::Network)).len(), 1, "re-read");
    read_again(&mut r, two());
    assert!(
        matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message.contains("it was not removed"))
    );
    // No answer, and it is gone: removed.
    r.remove_secret(RemoveSecretMsg::Ask("a".into()), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    r.remove_answer(Err(Failure::Network));
    read_again(&mut r, vec![secret("b", -10, 100)]);
    assert!(matches!(r.removal(), SecretRemoval::Removed { .. }));
    // 204, yet still listed.
    let mut r = review(two());
    r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    r.remove_answer(Ok(HttpResponse::new(204, "")));
    read_again(&mut r, two());
    assert!(matches!(r.removal(), SecretRemoval::StillThere { .. }));
    // The re-read fails: can't tell.
    let mut r = review(two());
    r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    r.remove_answer(Ok(HttpResponse::new(204, "")));
    r.answer(Call::App, Err(Failure::Network));
    assert!(
        matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message.contains("Reload the app"))
    );
    // No token: nothing was sent, nothing to re-read.
    let mut r = review(two());
    r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
    r.remove_secret(RemoveSecretMsg::Confirm, &now());
    assert!(r
        .remove_answer(Err(Failure::Auth("Sign in again.".into())))
        .is_empty());
    assert!(
        matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message == "Sign in again.")
    );
}

#[test]
fn a_secret_starting_later_is_named_as_the_one_that_takes_over() {
    let mut r = review(vec![secret("now", -100, 30), secret("next", 10, 190)]);
    r.remove_secret(RemoveSecretMsg::Ask("now".into()), &now());
    let SecretRemoval::Confirm {
        credential, impact, ..
    } = r.removal().clone()
    else {
        panic!("the question")
    };
    let text = confirm_text(&credential, &impact, "Ops Dashboard", &now());
    assert!(
        text.contains("until \u{201c}next\u{201d} starts on 6 Dec 2026"),
        "{text}"
    );
}
