//! A lost addPassword response: look, find the orphan, remove it, create a new one.

use serde_json::Value;

use super::*;
use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
use crate::wizard::{RecoveryPhase, Step};

/// Dan on Payroll API with a 180-day attempt sent and its response lost.
fn lost_response() -> (Harness, HttpRequest) {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Days180),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    let req = h.request(Call::AddPassword).clone();
    h.answer(Call::AddPassword, Err(Failure::Network));
    (h, req)
}

fn phase(h: &Harness) -> &RecoveryPhase {
    match h.w.step() {
        Step::Recovery(r) => r.phase(),
        other => panic!("expected Recovery, got {other:?}"),
    }
}

/// Payroll as Graph shows it after the lost call created `key_id` (metadata only).
fn payroll_with(created: &Value) -> Value {
    let mut app = payroll();
    let mut c = created.clone();
    c.as_object_mut().unwrap().remove("secretText");
    app["passwordCredentials"].as_array_mut().unwrap().push(c);
    app
}

#[test]
fn orphan_is_found_explained_removed_then_a_new_one_can_be_made() {
    let (mut h, req) = lost_response();
    assert!(matches!(phase(&h), RecoveryPhase::Checking));
    assert_eq!(h.count(Call::AddPassword), 1, "addPassword is never resent");
    assert_eq!(
        h.request(Call::Recheck).url,
        format!(
            "{GRAPH}/v1.0/applications/{PAYROLL}?$select={}",
            crate::net::encode(crate::graph::APP_SELECT)
        )
    );
    assert!(!h.w.needs_leave_guard());

    let created = created_from(&req, "cccccccc-0000-4000-8000-000000000009");
    h.ok(Call::Recheck, 200, payroll_with(&created));
    let RecoveryPhase::Found {
        credentials,
        confirming: false,
    } = phase(&h).clone()
    else {
        panic!("expected Found, got {:?}", phase(&h));
    };
    let [credential] = credentials.as_slice() else {
        panic!("one orphan expected, got {credentials:?}")
    };
    assert_eq!(credential.key_id, "cccccccc-0000-4000-8000-000000000009");
    let Step::Recovery(r) = h.w.step() else {
        unreachable!()
    };
    assert_eq!(
        r.message(&h.now),
        "The connection dropped after the secret may have been created. We checked: a secret \
         \"Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard\" was created \
         at 10:42 and its value is lost. Remove it?"
    );

    // Remove asks first; nothing is sent until confirmed.
    h.send(Msg::Recovery(RecoveryMsg::RemoveOrphan));
    assert!(matches!(
        phase(&h),
        RecoveryPhase::Found {
            confirming: true,
            ..
        }
    ));
    assert_eq!(h.count(Call::Remove), 0);
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    assert!(matches!(phase(&h), RecoveryPhase::Removing { .. }));
    let remove = h.request(Call::Remove).clone();
    assert_eq!(
        remove.url,
        format!("{GRAPH}/v1.0/applications/{PAYROLL}/removePassword")
    );
    assert_eq!(
        body(&remove)["keyId"],
        "cccccccc-0000-4000-8000-000000000009"
    );
    h.answer(Call::Remove, Ok(HttpResponse::new(204, "")));
    assert!(matches!(phase(&h), RecoveryPhase::Removed { .. }));
    let Step::Recovery(r) = h.w.step() else {
        unreachable!()
    };
    assert_eq!(
        r.message(&h.now),
        "Removed the secret \"Created by dan@contoso.example on 2026-11-26 10:42:07 via \
         secret-wizard\". Nothing can use it, since nobody ever saw its value. Create a new one \
         to continue."
    );
    assert!(!h
        .w
        .review()
        .unwrap()
        .app()
        .password_credentials
        .iter()
        .any(|c| c.key_id == credential.key_id));

    // A new attempt gets a new, unique description.
    h.now += chrono::Duration::seconds(75);
    h.send(Msg::Recovery(RecoveryMsg::CreateAnother));
    let Step::Describe(d) = h.w.step() else {
        panic!("expected Describe")
    };
    assert_eq!(
        d.description(),
        "Created by dan@contoso.example on 2026-11-26 10:43:22 via secret-wizard"
    );
    assert_eq!(d.choice(), LifetimeChoice::Preset(LifetimePreset::Days180));
    assert!(d.problem().is_none());
}

#[test]
fn nothing_created_means_nothing_to_remove() {
    let (mut h, _) = lost_response();
    h.ok(Call::Recheck, 200, payroll());
    assert_eq!(phase(&h), &RecoveryPhase::NotCreated);
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    assert_eq!(h.count(Call::Remove), 0);
    // Within the same second: the next attempt still gets a description of its own.
    h.send(Msg::Recovery(RecoveryMsg::CreateAnother));
    let Step::Describe(d) = h.w.step() else {
        panic!("expected Describe")
    };
    assert_eq!(
        d.description(),
        "Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard (2)"
    );
}

#[test]
fn attempt_descriptions_are_unique_and_within_the_limit() {
    use crate::wizard::attempt_description;
    let now = now();
    let first = attempt_description("dan@contoso.example", &now, &[]);
    assert_eq!(
        first,
        "Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard"
    );
    let taken = vec![first.clone(), format!("{first} (2)")];
    assert_eq!(
        attempt_description("dan@contoso.example", &now, &taken),
        format!("{first} (3)")
    );
    let long = format!("{}@contoso.example", "a".repeat(120));
    let a = attempt_description(&long, &now, &[]);
    let b = attempt_description(&long, &now, std::slice::from_ref(&a));
    assert_ne!(a, b);
    assert_eq!(b.chars().count(), 100);
    assert!(b.ends_with("… (2)"), "{b}");
}

#[test]
fn an_older_secret_with_the_same_description_is_not_taken_for_the_orphan() {
    let (mut h, req) = lost_response();
    // The app already had a secret with this description before the attempt? Then it is in
    // the known keyIds. Here Graph shows one that existed before (same words, same dates).
    let mut before = created_from(&req, "aaaaaaaa-0000-4000-8000-000000000001");
    before.as_object_mut().unwrap().remove("secretText");
    let mut app = payroll();
    app["passwordCredentials"][0] = before;
    h.ok(Call::Recheck, 200, app);
    assert_eq!(phase(&h), &RecoveryPhase::NotCreated);
}

#[test]
fn a_failed_check_can_be_retried_and_a_lost_removal_is_checked_not_guessed() {
    let (mut h, req) = lost_response();
    h.answer(Call::Recheck, Err(Failure::Network));
    assert!(matches!(phase(&h), RecoveryPhase::CheckFailed(_)));
    h.send(Msg::Recovery(RecoveryMsg::CheckAgain));
    assert_eq!(h.count(Call::Recheck), 2);
    let created = created_from(&req, "k-new");
    h.ok(Call::Recheck, 200, payroll_with(&created));
    h.send(Msg::Recovery(RecoveryMsg::RemoveOrphan));
    h.send(Msg::Recovery(RecoveryMsg::CancelRemove));
    assert!(matches!(
        phase(&h),
        RecoveryPhase::Found {
            confirming: false,
            ..
        }
    ));
    h.send(Msg::Recovery(RecoveryMsg::RemoveOrphan));
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    // The removal's answer is lost too: look again. Gone → removed.
    h.answer(Call::Remove, Err(Failure::Network));
    assert!(matches!(phase(&h), RecoveryPhase::Checking));
    h.ok(Call::Recheck, 200, payroll());
    assert!(matches!(phase(&h), RecoveryPhase::Removed { .. }));
}

#[test]
fn a_refused_removal_says_why_and_can_be_retried() {
    let (mut h, req) = lost_response();
    h.ok(
        Call::Recheck,
        200,
        payroll_with(&created_from(&req, "k-new")),
    );
    h.send(Msg::Recovery(RecoveryMsg::RemoveOrphan));
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    h.ok(
        Call::Remove,
        503,
        graph_error("serviceNotAvailable", "Service unavailable"),
    );
    let RecoveryPhase::RemoveFailed { problem, .. } = phase(&h) else {
        panic!("expected RemoveFailed")
    };
    assert!(problem.message.contains("busy"), "{}", problem.message);
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    assert_eq!(h.count(Call::Remove), 2);
    h.answer(Call::Remove, Ok(HttpResponse::new(204, "")));
    assert!(matches!(phase(&h), RecoveryPhase::Removed { .. }));
}

#[test]
fn a_browser_resend_leaves_two_orphans_and_both_are_removed() {
    let (mut h, req) = lost_response();
    let mut app = payroll_with(&created_from(&req, "orphan-1"));
    let mut second = created_from(&req, "orphan-2");
    second.as_object_mut().unwrap().remove("secretText");
    app["passwordCredentials"]
        .as_array_mut()
        .unwrap()
        .push(second);
    h.ok(Call::Recheck, 200, app);
    let Step::Recovery(r) = h.w.step() else {
        panic!("expected Recovery")
    };
    assert_eq!(
        r.message(&h.now),
        "The connection dropped after the secret may have been created. We checked: 2 secrets \
         \"Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard\" were \
         created at 10:42 (the browser sent the request again) and their values are lost. \
         Remove them?"
    );
    h.send(Msg::Recovery(RecoveryMsg::RemoveOrphan));
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    assert_eq!(body(h.request(Call::Remove))["keyId"], "orphan-1");
    h.answer(Call::Remove, Ok(HttpResponse::new(204, "")));
    assert_eq!(h.count(Call::Remove), 2, "then the second");
    assert_eq!(body(h.request(Call::Remove))["keyId"], "orphan-2");
    // The second removal fails: retrying sends only what is left.
    h.ok(
        Call::Remove,
        403,
        graph_error("Authorization_RequestDenied", "Insufficient privileges"),
    );
    let RecoveryPhase::RemoveFailed { left, .. } = phase(&h) else {
        panic!("expected RemoveFailed, got {:?}", phase(&h))
    };
    assert_eq!(left, &vec!["orphan-2".to_string()]);
    h.send(Msg::Recovery(RecoveryMsg::ConfirmRemove));
    assert_eq!(body(h.request(Call::Remove))["keyId"], "orphan-2");
    h.answer(Call::Remove, Ok(HttpResponse::new(204, "")));
    let RecoveryPhase::Removed { credentials } = phase(&h) else {
        panic!("expected Removed")
    };
    assert_eq!(credentials.len(), 2);
    let keys: Vec<&str> =
        h.w.review()
            .unwrap()
            .app()
            .password_credentials
            .iter()
            .map(|c| c.key_id.as_str())
            .collect();
    assert!(!keys.contains(&"orphan-1") && !keys.contains(&"orphan-2"));
}

/// A 500 (or 502/504) from addPassword: never resent, and looked into like a lost response.
#[test]
fn a_server_error_from_add_password_is_checked_before_anything_else() {
    for (status, acted) in [(500, true), (502, false), (504, true), (500, false)] {
        let mut h = Harness::new(config());
        h.signed_in(DAN, "dan@contoso.example", false);
        h.open_app(payroll(), owners(&[dan_owner()]));
        h.send(Msg::Review(ReviewMsg::StartDescribe));
        h.send(Msg::Describe(DescribeMsg::Create));
        let req = h.request(Call::AddPassword).clone();
        let error = graph_error("generalException", "An internal server error occurred.");
        h.ok(Call::AddPassword, status, error);
        assert!(
            matches!(phase(&h), RecoveryPhase::Checking),
            "HTTP {status}"
        );
        assert_eq!(h.count(Call::AddPassword), 1, "never resent");
        let app = if acted {
            payroll_with(&created_from(&req, "dddddddd-0000-4000-8000-000000000001"))
        } else {
            payroll()
        };
        h.ok(Call::Recheck, 200, app);
        let Step::Recovery(r) = h.w.step() else {
            panic!("expected Recovery")
        };
        assert_eq!(r.title(), "Microsoft Graph answered with an error");
        let message = r.message(&h.now);
        if acted {
            assert!(
                matches!(r.phase(), RecoveryPhase::Found { .. }),
                "HTTP {status}"
            );
            assert!(message.starts_with(&format!(
                "Microsoft Graph answered with an error (HTTP {status}) after the secret may have \
                 been created. We checked: a secret"
            )));
        } else {
            assert_eq!(r.phase(), &RecoveryPhase::NotCreated);
            assert_eq!(
                message,
                format!(
                    "Microsoft Graph answered with an error (HTTP {status}). We checked: no secret \
                     was created, so nothing is lost. Try again."
                )
            );
        }
    }
    // 503 says Graph did not act: the form comes back with the busy message, no check.
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        503,
        graph_error("serviceNotAvailable", "Busy."),
    );
    assert!(matches!(h.w.step(), Step::Describe(_)));
    assert_eq!(h.count(Call::Recheck), 0);
}
