//! After a success, the re-read spots copies a browser resend created, and removes them.

use serde_json::Value;

use super::*;
use crate::wizard::{Duplicates, Leave, Step};

/// Dan sees a new secret ("k-shown"); returns the addPassword request.
fn created() -> (Harness, HttpRequest) {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    let req = h.request(Call::AddPassword).clone();
    h.ok(Call::AddPassword, 200, created_from(&req, "k-shown"));
    (h, req)
}

fn with(keys: &[&str], req: &HttpRequest) -> Value {
    let mut app = payroll();
    for k in keys {
        let mut c = created_from(req, k);
        c.as_object_mut().unwrap().remove("secretText");
        app["passwordCredentials"].as_array_mut().unwrap().push(c);
    }
    app
}

fn duplicates(h: &Harness) -> Duplicates {
    h.w.show_once().expect("Show once").duplicates().clone()
}

#[test]
fn a_duplicate_is_found_removed_and_the_value_stays_on_screen() {
    let (mut h, req) = created();
    assert_eq!(duplicates(&h), Duplicates::Checking);
    assert_eq!(
        h.request(Call::Verify).url,
        format!(
            "{GRAPH}/v1.0/applications/{PAYROLL}?$select={}",
            crate::net::encode(crate::graph::APP_SELECT)
        )
    );
    h.ok(Call::Verify, 200, with(&["k-orphan", "k-shown"], &req));
    let Duplicates::Found(found) = duplicates(&h) else {
        panic!("expected Found")
    };
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key_id, "k-orphan");

    h.send(Msg::ShowOnce(ShowOnceMsg::RemoveDuplicates));
    assert_eq!(body(h.request(Call::RemoveDuplicate))["keyId"], "k-orphan");
    h.answer(Call::RemoveDuplicate, Ok(HttpResponse::new(204, "")));
    assert!(matches!(duplicates(&h), Duplicates::Removed(_)));
    assert_eq!(h.w.show_once().unwrap().secret().expose(), SECRET);
    let keys: Vec<String> =
        h.w.review()
            .unwrap()
            .app()
            .password_credentials
            .iter()
            .map(|c| c.key_id.clone())
            .collect();
    assert!(keys.contains(&"k-shown".to_string()) && !keys.contains(&"k-orphan".to_string()));

    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    h.send(Msg::Leave(Leave::Finish));
    let Step::Done(done) = h.w.step() else {
        panic!("expected Done")
    };
    assert!(done.leftover_duplicates().is_empty());
}

#[test]
fn no_duplicate_or_an_unreadable_app_says_nothing() {
    let (mut h, req) = created();
    h.ok(Call::Verify, 200, with(&["k-shown"], &req));
    assert_eq!(duplicates(&h), Duplicates::None);
    let (mut h, _) = created();
    h.answer(Call::Verify, Err(Failure::Network));
    assert_eq!(duplicates(&h), Duplicates::None);
    h.send(Msg::ShowOnce(ShowOnceMsg::RemoveDuplicates));
    assert_eq!(h.count(Call::RemoveDuplicate), 0);
}

#[test]
fn finishing_with_a_duplicate_left_says_so_on_done() {
    let (mut h, req) = created();
    h.ok(Call::Verify, 200, with(&["k-shown", "k-orphan"], &req));
    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    h.send(Msg::Leave(Leave::Finish));
    let Step::Done(done) = h.w.step() else {
        panic!("expected Done")
    };
    assert_eq!(done.leftover_duplicates().len(), 1);
    assert_eq!(done.leftover_duplicates()[0].key_id, "k-orphan");
}
