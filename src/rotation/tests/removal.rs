//! Removal guards: at least two active until consumers are confirmed; the last active secret
//! needs a second confirmation; expired ones need one.

use super::*;
use crate::graph::GraphError;
use crate::net::HttpResponse;
use crate::rotation::removal::{
    confirm_text, removal_guard, removal_problem, Confirmations, RemovalBlock,
};

fn two_active() -> Application {
    app_with(vec![
        cred(OLD, "payroll-2024", -345, 20),
        cred(NEW, "rotation", 0, 180),
        cred(EXPIRED, "payroll-2023", -800, -30),
    ])
}

#[test]
fn two_stay_active_until_the_consumers_are_confirmed() {
    let app = two_active();
    let creds = &app.password_credentials;
    assert_eq!(
        removal_guard(creds, OLD, Some(OLD), false, &now()),
        Err(RemovalBlock::ConsumersNotConfirmed)
    );
    assert!(RemovalBlock::ConsumersNotConfirmed
        .reason()
        .contains("step 3"));
    assert_eq!(
        removal_guard(creds, OLD, Some(OLD), true, &now()),
        Ok(Confirmations::One)
    );
    // Even with three working secrets the guide waits for the confirmation.
    let three = payroll();
    assert_eq!(
        removal_guard(&three.password_credentials, OLD, Some(OLD), false, &now()),
        Err(RemovalBlock::ConsumersNotConfirmed)
    );
}

#[test]
fn only_the_secret_being_replaced_is_removed_while_it_works() {
    let app = two_active();
    let creds = &app.password_credentials;
    assert_eq!(
        removal_guard(creds, NEW, Some(OLD), true, &now()),
        Err(RemovalBlock::NotTheOldSecret)
    );
    assert_eq!(
        removal_guard(creds, NEW, None, true, &now()),
        Err(RemovalBlock::NotTheOldSecret)
    );
    assert_eq!(
        removal_guard(creds, GONE, Some(OLD), true, &now()),
        Err(RemovalBlock::NotFound)
    );
}

#[test]
fn expired_secrets_need_one_confirmation_and_nothing_else() {
    let app = two_active();
    assert_eq!(
        removal_guard(&app.password_credentials, EXPIRED, Some(OLD), false, &now()),
        Ok(Confirmations::One)
    );
    // Not yet started: nothing depends on it either.
    let future = app_with(vec![cred(OLD, "a", -10, 20), cred(NEW, "b", 5, 200)]);
    assert_eq!(
        removal_guard(&future.password_credentials, NEW, Some(OLD), false, &now()),
        Ok(Confirmations::One)
    );
}

#[test]
fn the_last_active_secret_needs_a_second_confirmation() {
    let app = app_with(vec![
        cred(OLD, "only", -10, 20),
        cred(EXPIRED, "old", -800, -30),
    ]);
    let creds = &app.password_credentials;
    assert_eq!(
        removal_guard(creds, OLD, Some(OLD), true, &now()),
        Ok(Confirmations::Two)
    );
    assert_eq!(
        removal_guard(creds, OLD, Some(OLD), false, &now()),
        Err(RemovalBlock::ConsumersNotConfirmed)
    );
}

#[test]
fn the_dialog_names_the_description_and_key_id() {
    let app = two_active();
    let text = confirm_text(&app.password_credentials[0]);
    assert!(text.contains("\u{201c}payroll-2024\u{201d}"), "{text}");
    assert!(text.contains(OLD), "{text}");
}

#[test]
fn a_refused_removal_says_who_can_and_that_nothing_was_removed() {
    let body = json!({ "error": { "code": "Authorization_RequestDenied",
        "message": "Insufficient privileges to complete the operation.",
        "innerError": { "request-id": "r-1", "date": "2026-06-01T08:00:00" } } });
    let e = GraphError::from_response(&HttpResponse::new(403, body.to_string()));
    let p = removal_problem(&e);
    assert!(
        p.message
            .starts_with("You can't remove secrets from this app."),
        "{}",
        p.message
    );
    assert!(p.message.contains("Nothing was removed"));
    assert!(p.details.unwrap().contains("request-id r-1"));
    let e = GraphError::from_response(&HttpResponse::new(
        404,
        json!({ "error": {
        "code": "Request_ResourceNotFound", "message": "gone" } })
        .to_string(),
    ));
    assert_eq!(removal_problem(&e).message, e.user_message());
}
