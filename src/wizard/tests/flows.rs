//! Whole flows: success, policy refusal then success, 403, the two-secret cap.

use std::rc::Rc;

use chrono::Duration;
use serde_json::json;

use super::*;
use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
use crate::wizard::{access_note, Access, Grant, RolesSeen, Step};

fn dan_on_payroll() -> Harness {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h
}

fn describe_state(h: &Harness) -> &crate::wizard::DescribeState {
    match h.w.step() {
        Step::Describe(d) => d,
        other => panic!("expected Describe, got {other:?}"),
    }
}

#[test]
fn dan_creates_a_180_day_secret_sees_it_once_and_finish_drops_it() {
    let mut h = dan_on_payroll();
    assert_eq!(h.w.access(), Access::Can(Grant::Owner));
    assert!(h.w.can_create());
    assert_eq!(h.w.step().index(), 1);

    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe_state(&h);
    // Default: the domain template with the time, and 2 years (config default, within max).
    assert_eq!(
        d.description(),
        "Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard"
    );
    assert_eq!(d.choice(), LifetimeChoice::Preset(LifetimePreset::Years2));

    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Days180),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert!(matches!(h.w.step(), Step::Creating(_)));
    assert!(h.w.needs_leave_guard(), "a secret is being created");
    let req = h.request(Call::AddPassword).clone();
    assert_eq!(
        req.url,
        format!("{GRAPH}/v1.0/applications/{PAYROLL}/addPassword")
    );
    let sent = body(&req);
    assert_eq!(
        sent["passwordCredential"]["startDateTime"],
        "2026-11-26T09:42:07Z"
    );
    assert_eq!(
        sent["passwordCredential"]["endDateTime"],
        "2027-05-25T09:42:07Z"
    );
    assert_eq!(
        sent["passwordCredential"]["displayName"],
        "Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard"
    );

    let key_id = "bbbbbbbb-0000-4000-8000-000000000003";
    h.ok(Call::AddPassword, 200, created_from(&req, key_id));
    let shown = h.w.show_once().expect("Show once");
    assert_eq!(shown.credential().key_id, key_id);
    assert_eq!(shown.secret().expose(), SECRET);
    assert!(!shown.is_copied());
    assert_eq!(h.w.step().index(), 4);
    assert!(h.w.needs_leave_guard());
    // The app page now lists the new secret's metadata (never its value).
    let ctx = h.w.review().unwrap();
    assert_eq!(ctx.app().password_credentials.len(), 3);
    assert!(!format!("{:?}", h.w).contains(SECRET));

    let weak = Rc::downgrade(&h.w.secret().unwrap());
    let effects = h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    assert!(matches!(
        effects.as_slice(),
        [Effect::ClipboardHolds(fp)] if fp.matches(SECRET)
    ));
    assert!(!h.w.needs_leave_guard(), "copied: leaving is safe");

    assert!(matches!(
        h.send(Msg::Leave(crate::wizard::Leave::Finish)).as_slice(),
        [Effect::ClearClipboard]
    ));
    match h.w.step() {
        Step::Done(done) => assert_eq!(done.credential().key_id, key_id),
        other => panic!("expected Done, got {other:?}"),
    }
    assert!(weak.upgrade().is_none(), "Finish drops the value");
    assert!(h.w.secret().is_none());
    assert_eq!(h.count(Call::AddPassword), 1);
}

#[test]
fn policy_refusal_is_explained_then_a_shorter_lifetime_succeeds() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    let n = utc(now());
    let restricted = app(
        PAYROLL,
        "Policy Restricted Service",
        "AzureADMyOrg",
        vec![secret(
            "k1",
            "restricted",
            n - Duration::days(30),
            n + Duration::days(90),
        )],
    );
    h.open_app(restricted, owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Year1),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    // Graph's real refusal: the policy's ID, no maximum (tests/fixtures/graph/error-400-policy-lifetime.json).
    h.answer(
        Call::AddPassword,
        Ok(crate::net::HttpResponse::new(
            400,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/graph/error-400-policy-lifetime.json"
            )),
        )),
    );
    let d = describe_state(&h);
    let problem = d.problem().expect("the refusal is explained");
    assert_eq!(
        problem.message,
        "Your organisation's policy doesn't allow a secret for this app to last 1 year, and \
         Microsoft Graph doesn't say how long it may last. Choose a shorter lifetime."
    );
    assert!(problem
        .details
        .as_deref()
        .unwrap()
        .contains("CredentialInvalidLifetimeAsPerAppPolicy"));
    // Only lifetimes shorter than the refused year are offered, and no maximum is claimed.
    assert_eq!(d.max_days(h.w.config()), 364);
    assert_eq!(
        d.presets(h.w.config()),
        vec![LifetimePreset::Days90, LifetimePreset::Days180]
    );
    let sentence = d.limit_sentence(h.w.config());
    assert_eq!(
        sentence,
        "Your organisation's policy allows secrets for this app to last less than 1 year; \
         Microsoft Graph doesn't say how much less, so only shorter lifetimes are offered."
    );
    assert!(!sentence.contains("180") && !sentence.contains("364"));

    // Trying 1 year again is caught before sending.
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1);
    assert!(describe_state(&h)
        .lifetime_error()
        .unwrap()
        .contains("less than 1 year"));

    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Days180),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 2);
    let req = h.request(Call::AddPassword).clone();
    assert_eq!(
        body(&req)["passwordCredential"]["endDateTime"],
        "2027-05-25T09:42:07Z"
    );
    h.ok(Call::AddPassword, 200, created_from(&req, "k2"));
    assert!(h.w.show_once().is_some());
}

/// Rita owns nothing and no role of hers is seen: "probably not", never a refusal on a guess.
/// (This used to close Create; only Graph's 403 does now.)
#[test]
fn rita_probably_cannot_add_is_told_who_can_and_may_still_try() {
    let mut h = Harness::new(config());
    h.signed_in(RITA, "rita@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    let access = h.w.access();
    assert_eq!(
        access,
        Access::ProbablyNot {
            owners: vec!["Dev Dan (dan@contoso.example)".into()],
            roles: RolesSeen::NotGranted { token_roles: false },
        }
    );
    assert!(h.w.can_create(), "Create is still offered: Graph decides");
    let note = access_note(&access);
    assert_eq!(
        note.text,
        "You're not an owner of this app and we found no role that lets you add credentials to \
         it, so you probably can't add a secret here. You can still try: Microsoft Graph decides. \
         If it says no, ask its owners (Dev Dan (dan@contoso.example)) to add one for you, or to \
         make you an owner."
    );
    assert!(note
        .aside
        .unwrap()
        .contains("optional RoleManagement.Read.Directory permission"));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(matches!(h.w.step(), Step::Describe(_)), "Create opens");
}

#[test]
fn an_admin_can_add_to_an_app_they_do_not_own() {
    let mut h = Harness::new(config());
    h.signed_in(ADA, "ada@contoso.example", true);
    h.open_app(payroll(), owners(&[dan_owner()]));
    assert_eq!(
        h.w.access(),
        Access::Can(Grant::Role {
            name: "Application Administrator".into(),
            scope: crate::domain::access::Scope::Tenant,
            source: crate::domain::access::Source::Assignment,
        })
    );
    assert!(h.w.can_create());
}

#[test]
fn a_403_from_graph_names_the_owners_and_closes_create() {
    // Owners could not be read, so Create was offered; Graph says no.
    let mut h = Harness::new(config());
    h.signed_in(RITA, "rita@contoso.example", false);
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    h.send(Msg::Choose(ChooseMsg::Pick(PAYROLL.into())));
    h.ok(Call::App, 200, payroll());
    h.answer(Call::Owners, Err(Failure::Network));
    assert_eq!(
        h.w.access(),
        Access::Unknown {
            roles: RolesSeen::NotGranted { token_roles: false }
        }
    );
    assert!(h.w.can_create());
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        403,
        graph_error(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    let d = describe_state(&h);
    let msg = &d.problem().unwrap().message;
    assert!(
        msg.starts_with("You can't add secrets to this app."),
        "{msg}"
    );
    // Only now "you can't": Graph said so. The owners weren't readable, so none are named.
    assert_eq!(h.w.access(), Access::Refused { owners: vec![] });
    assert!(!h.w.can_create());
    assert!(access_note(&h.w.access())
        .text
        .starts_with("You can't add secrets to this app: Microsoft Graph refused."));
}

#[test]
fn the_two_secret_cap_is_known_up_front_and_explained_when_graph_says_it() {
    let mut h = Harness::new(config());
    h.signed_in(ADA, "ada@contoso.example", false);
    let n = utc(now());
    let mobile = app(
        PAYROLL,
        "Consumer Mobile App",
        "AzureADandPersonalMicrosoftAccount",
        vec![
            secret(
                "m1",
                "mobile-a",
                n - Duration::days(200),
                n + Duration::days(100),
            ),
            secret(
                "m2",
                "mobile-b",
                n - Duration::days(60),
                n + Duration::days(300),
            ),
        ],
    );
    h.open_app(
        mobile,
        owners(&[owner(ADA, "Ada Admin", "ada@contoso.example")]),
    );
    assert_eq!(h.w.access(), Access::Can(Grant::Owner));
    assert!(h.w.review().unwrap().at_secret_cap());
    assert!(!h.w.can_create());
    assert_eq!(
        crate::wizard::cap_message(),
        "This app accepts personal Microsoft accounts, which limits it to two secrets. Remove \
         an old one first (after its consumers are updated)."
    );

    // With one secret Create is offered; if Graph still refuses, the same words come back.
    let one = app(
        PAYROLL,
        "Consumer Mobile App",
        "AzureADandPersonalMicrosoftAccount",
        vec![secret(
            "m1",
            "mobile-a",
            n - Duration::days(200),
            n + Duration::days(100),
        )],
    );
    h.send(Msg::Review(ReviewMsg::Reload));
    h.ok(Call::App, 200, one);
    h.ok(
        Call::Owners,
        200,
        owners(&[owner(ADA, "Ada Admin", "ada@contoso.example")]),
    );
    assert!(h.w.can_create());
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        400,
        graph_error(
            "Request_BadRequest",
            "The application can have a maximum of 2 passwords. Remove one first.",
        ),
    );
    assert_eq!(
        describe_state(&h).problem().unwrap().message,
        crate::wizard::cap_message()
    );
}

#[test]
fn form_checks_happen_before_anything_is_sent() {
    let mut h = dan_on_payroll();
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Description("   ".into())));
    h.send(Msg::Describe(DescribeMsg::CustomDate("2026-11-26".into())));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 0);
    let d = describe_state(&h);
    assert!(d.description_error().is_some());
    assert_eq!(
        d.lifetime_error(),
        Some("Choose a date at least one day from today.")
    );
    h.send(Msg::Describe(DescribeMsg::Description(
        "CI pipeline".into(),
    )));
    h.send(Msg::Describe(DescribeMsg::CustomDate("2028-11-26".into())));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 0, "beyond the 730-day maximum");
    h.send(Msg::Describe(DescribeMsg::CustomDate("2027-01-31".into())));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1);
    let sent = body(h.request(Call::AddPassword));
    assert_eq!(sent["passwordCredential"]["displayName"], "CI pipeline");
    assert_eq!(
        sent["passwordCredential"]["endDateTime"],
        "2027-01-31T09:42:07Z"
    );
}

#[test]
fn the_default_lifetime_is_clipped_to_the_configured_maximum() {
    let mut cfg = config();
    cfg.max_lifetime_days = 365;
    let mut h = Harness::new(cfg);
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe_state(&h);
    assert_eq!(d.choice(), LifetimeChoice::Preset(LifetimePreset::Year1));
    assert_eq!(d.presets(h.w.config()).len(), 3);
}
