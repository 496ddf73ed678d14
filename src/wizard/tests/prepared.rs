//! A prepared run: a hand-off link (to Describe, lifetime chosen) or the overview (to Review).

use super::*;
use crate::domain::lifetime::LifetimeChoice;
use crate::domain::lifetime::LifetimePreset;
use crate::wizard::{Access, Grant};
use crate::wizard::{Prepared, Step};
use serde_json::json;

fn handoff(choice: Option<LifetimeChoice>, describe: bool) -> Prepared {
    Prepared {
        app_id: PAYROLL_APP_ID.to_uppercase(),
        choice,
        describe,
        vault_id: None,
        vault_from_link: true,
        secret_name: Some("payroll-api-client-secret".into()),
        note: Some("Prepared from a hand-off link.".into()),
    }
}

fn prepared_dan(p: Prepared) -> Harness {
    let mut h = Harness::new(config());
    h.send(Msg::Start);
    h.send(Msg::Prepare(p));
    h
}

#[test]
fn a_hand_off_lands_dan_on_describe_with_the_lifetime_chosen() {
    let choice = LifetimeChoice::Preset(LifetimePreset::Days180);
    let mut h = prepared_dan(handoff(Some(choice), true));
    let search = h.request(Call::Search).url.clone();
    assert!(search.contains("appId%20eq%20%27"), "{search}");
    assert!(search.contains(PAYROLL_APP_ID), "{search}");
    // The wizard's own first search is superseded: its answer changes nothing.
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    assert!(matches!(h.w.step(), Step::Review));
    h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
    h.ok(Call::App, 200, payroll());
    assert!(matches!(h.w.step(), Step::Review), "owners unknown");
    // Owning the app is enough; the roles may still be on their way.
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    assert_eq!(h.w.access(), Access::Can(Grant::Owner));
    match h.w.step() {
        Step::Describe(d) => assert_eq!(d.choice(), choice),
        other => panic!("expected Describe, got {other:?}"),
    }
    h.send(Msg::GraphPermissions(granted(&[])));
    assert!(
        matches!(h.w.step(), Step::Describe(_)),
        "later answers don't move it"
    );
    assert_eq!(
        h.count(Call::AddPassword),
        0,
        "nothing is created by itself"
    );
    let kept = h.w.prepared().unwrap();
    assert_eq!(
        kept.secret_name.as_deref(),
        Some("payroll-api-client-secret")
    );
}

/// Dan's hand-off run, landed on Describe.
fn landed() -> Harness {
    let mut h = prepared_dan(handoff(None, true));
    assert!(!h.w.in_prepared_run(), "no app on screen yet");
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
    h.send(Msg::GraphPermissions(granted(&[])));
    h.ok(Call::App, 200, payroll());
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    assert!(matches!(h.w.step(), Step::Describe(_)));
    h
}

#[test]
fn the_prepared_run_lasts_until_done() {
    let mut h = landed();
    assert!(h.w.in_prepared_run());
    assert_eq!(h.w.prepared_note(), Some("Prepared from a hand-off link."));
    h.send(Msg::Describe(DescribeMsg::Create));
    let req = h.request(Call::AddPassword).clone();
    h.ok(
        Call::AddPassword,
        200,
        created_from(&req, "bbbbbbbb-0000-4000-8000-000000000003"),
    );
    assert!(h.w.show_once().is_some());
    assert!(
        h.w.in_prepared_run(),
        "the value on screen is still that run's"
    );
    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    h.send(Msg::Leave(crate::wizard::Leave::Finish));
    assert!(matches!(h.w.step(), Step::Done(_)));
    assert!(
        !h.w.in_prepared_run(),
        "done: the note has served its purpose"
    );
    assert_eq!(h.w.prepared_note(), None);
}

#[test]
fn the_prepared_run_ends_when_the_user_goes_elsewhere() {
    let mut h = landed();
    h.send(Msg::Leave(crate::wizard::Leave::BackToSearch));
    assert!(matches!(h.w.step(), Step::Choose));
    assert!(!h.w.in_prepared_run());
    // Another app picked by hand is not the prepared one.
    let mut other = payroll();
    other["id"] = json!("0c0c0c0c-0000-4000-8000-0000000000aa");
    other["appId"] = json!("0c0c0c0c-0000-4000-8000-0000000000bb");
    other["displayName"] = json!("Onboarding Portal");
    h.type_search("Onboarding".into());
    h.ok(Call::Search, 200, json!({ "value": [other.clone()] }));
    h.send(Msg::Choose(ChooseMsg::Pick(
        "0c0c0c0c-0000-4000-8000-0000000000aa".into(),
    )));
    h.ok(Call::App, 200, other);
    assert!(matches!(h.w.step(), Step::Review));
    assert!(!h.w.in_prepared_run());
    assert_eq!(h.w.prepared_note(), None);
}

#[test]
fn from_the_overview_it_stops_at_review() {
    let mut h = prepared_dan(handoff(None, false));
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
    h.send(Msg::GraphPermissions(granted(&[])));
    h.ok(Call::App, 200, payroll());
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    assert!(matches!(h.w.step(), Step::Review));
}

#[test]
fn an_app_the_user_cannot_change_stays_on_review() {
    let mut h = prepared_dan(handoff(None, true));
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    h.ok(Call::Me, 200, me(RITA, "rita@contoso.example"));
    h.send(Msg::GraphPermissions(granted(&[])));
    h.ok(Call::App, 200, payroll());
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    // "Probably not" is not a known yes: the run stops at Review, which says so and still
    // offers Create (Graph decides).
    assert!(matches!(h.w.access(), Access::ProbablyNot { .. }));
    assert!(h.w.can_create());
    assert!(matches!(h.w.step(), Step::Review));
    // Nothing is left pending: later answers don't move the wizard.
    h.send(Msg::Review(ReviewMsg::Reload));
    h.ok(Call::App, 200, payroll());
    assert!(matches!(h.w.step(), Step::Review));
}

#[test]
fn an_unknown_app_leaves_the_search_for_its_client_id() {
    let mut h = prepared_dan(handoff(None, true));
    h.ok(Call::Search, 200, json!({ "value": [] }));
    assert!(matches!(h.w.step(), Step::Choose));
    assert_eq!(h.w.choose().input(), PAYROLL_APP_ID.to_uppercase());
    // A later, unrelated search answer does not pick anything.
    h.type_search("Payroll".into());
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    assert!(matches!(h.w.step(), Step::Choose));
}

#[test]
fn prepare_is_ignored_once_a_step_is_in_progress() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let sent = h.sent.len();
    h.send(Msg::Prepare(handoff(None, true)));
    assert_eq!(h.sent.len(), sent);
    assert!(matches!(h.w.step(), Step::Describe(_)));
}
