//! Removing a secret from Review through the router: the question, removePassword, the re-read
//! that ends it, and nothing happens off the Review step.

use super::*;
use crate::wizard::review::remove::{RemoveSecretMsg, SecretRemoval};
use crate::wizard::Step;

const OLD: &str = "aaaaaaaa-0000-4000-8000-000000000001";

fn on_review() -> Harness {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h
}

fn removal(h: &Harness) -> SecretRemoval {
    h.w.review().unwrap().removal().clone()
}

#[test]
fn dan_removes_a_working_secret_of_payroll_api_from_review() {
    let mut h = on_review();
    h.send(Msg::RemoveSecret(RemoveSecretMsg::Ask(OLD.into())));
    let SecretRemoval::Confirm { impact, .. } = removal(&h) else {
        panic!("the question")
    };
    assert!(!impact.is_last_working(), "payroll-2025 still works");
    h.send(Msg::RemoveSecret(RemoveSecretMsg::Confirm));
    assert_eq!(h.count(Call::RemoveSecret), 1);
    assert_eq!(body(h.request(Call::RemoveSecret)), json!({ "keyId": OLD }));
    let apps_read = h.count(Call::App);
    h.answer(Call::RemoveSecret, Ok(HttpResponse::new(204, "")));
    assert_eq!(h.count(Call::App), apps_read + 1, "the app is read again");
    let mut after = payroll();
    after["passwordCredentials"]
        .as_array_mut()
        .unwrap()
        .remove(0);
    h.ok(Call::App, 200, after);
    assert!(matches!(removal(&h), SecretRemoval::Removed { .. }));
    let left = &h.w.review().unwrap().app().password_credentials;
    assert_eq!(left.len(), 1);
    assert!(matches!(h.w.step(), Step::Review));
}

#[test]
fn removal_is_asked_only_on_review() {
    let mut h = on_review();
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(matches!(h.w.step(), Step::Describe(_)));
    h.send(Msg::RemoveSecret(RemoveSecretMsg::Ask(OLD.into())));
    assert_eq!(removal(&h), SecretRemoval::Idle);
    assert_eq!(h.count(Call::RemoveSecret), 0);
}
