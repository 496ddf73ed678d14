//! Leaving while unsaved, sign-out, clipboard clearing, and the value never in Debug output.

use std::rc::Rc;

use super::*;
use crate::wizard::{Leave, Step};

/// Dan looking at a freshly created secret (not copied).
fn showing() -> Harness {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    let req = h.request(Call::AddPassword).clone();
    h.ok(Call::AddPassword, 200, created_from(&req, "k-new"));
    assert!(h.w.show_once().is_some());
    h
}

#[test]
fn leaving_unsaved_asks_first_and_cancel_keeps_the_value() {
    let mut h = showing();
    for leave in [
        Leave::BackToSearch,
        Leave::BackToApp,
        Leave::Finish,
        Leave::SignOut,
        Leave::Navigate("/apps".into()),
    ] {
        assert!(h.send(Msg::Leave(leave.clone())).is_empty());
        assert_eq!(h.w.leave_pending(), Some(&leave));
        assert!(h.w.show_once().is_some(), "nothing left yet");
        h.send(Msg::CancelLeave);
        assert_eq!(h.w.leave_pending(), None);
    }
    assert_eq!(h.w.show_once().unwrap().secret().expose(), SECRET);
}

#[test]
fn confirmed_sign_out_drops_the_value_and_the_user() {
    let mut h = showing();
    let weak = Rc::downgrade(&h.w.secret().unwrap());
    h.send(Msg::Leave(Leave::SignOut));
    let effects = h.send(Msg::ConfirmLeave);
    assert!(matches!(effects.as_slice(), [Effect::SignOut]));
    assert!(weak.upgrade().is_none());
    assert!(h.w.user().me().is_none() && h.w.review().is_none());
    assert!(matches!(h.w.step(), Step::Choose));
    assert!(!h.w.needs_leave_guard());
}

#[test]
fn confirmed_back_to_search_drops_the_value() {
    let mut h = showing();
    let weak = Rc::downgrade(&h.w.secret().unwrap());
    h.send(Msg::Leave(Leave::BackToSearch));
    assert!(h.send(Msg::ConfirmLeave).is_empty());
    assert!(weak.upgrade().is_none());
    assert!(matches!(h.w.step(), Step::Choose));
}

#[test]
fn after_copying_leaving_needs_no_confirmation() {
    let mut h = showing();
    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    let effects = h.send(Msg::Leave(Leave::Navigate("/overview".into())));
    assert!(matches!(effects.as_slice(), [Effect::Navigate(r)] if r == "/overview"));
    assert!(h.w.leave_pending().is_none());
    assert!(h.w.secret().is_none());
}

#[test]
fn a_secret_being_created_cannot_be_left() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert!(h.w.needs_leave_guard());
    h.send(Msg::Leave(Leave::BackToSearch));
    assert!(h.send(Msg::ConfirmLeave).is_empty());
    assert!(matches!(h.w.step(), Step::Creating(_)));
    // The answer still lands.
    let req = h.request(Call::AddPassword).clone();
    h.ok(Call::AddPassword, 200, created_from(&req, "k-new"));
    assert!(h.w.show_once().is_some());
}

#[test]
fn signed_out_elsewhere_drops_everything_and_ignores_late_answers() {
    let mut h = showing();
    let weak = Rc::downgrade(&h.w.secret().unwrap());
    h.send(Msg::Review(ReviewMsg::Reload));
    h.send(Msg::SignedOut);
    assert!(weak.upgrade().is_none());
    h.ok(Call::App, 200, payroll());
    assert!(
        h.w.review().is_none(),
        "a late answer for the old session is ignored"
    );
}

#[test]
fn copying_hands_over_a_fingerprint_and_finish_asks_for_the_clear() {
    let mut h = showing();
    let effects = h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    // The guard above the pages gets a fingerprint, never the value (`domain::clipboard`).
    let [Effect::ClipboardHolds(fp)] = effects.as_slice() else {
        panic!("expected the fingerprint for the clipboard guard, got {effects:?}")
    };
    assert!(fp.matches(SECRET));
    assert!(!fp.matches("something else the user copied since"));
    assert!(!format!("{fp:?}").contains(SECRET));
    let effects = h.send(Msg::Leave(Leave::Finish));
    assert!(
        matches!(effects.as_slice(), [Effect::ClearClipboard]),
        "Finish clears the clipboard now, got {effects:?}"
    );
    assert!(h.w.secret().is_none());
}

#[test]
fn finish_without_copying_leaves_the_clipboard_alone() {
    let mut h = showing();
    h.send(Msg::Leave(Leave::Finish));
    let effects = h.send(Msg::ConfirmLeave);
    assert!(effects.is_empty(), "nothing was copied: {effects:?}");
    assert!(matches!(h.w.step(), Step::Done(_)));
}

#[test]
fn leaving_after_copying_keeps_nothing_of_the_clipboard_in_the_wizard() {
    // The wizard no longer owns the clear: navigating away or signing out can't drop it.
    let mut h = showing();
    h.send(Msg::ShowOnce(ShowOnceMsg::Copied));
    let effects = h.send(Msg::Leave(Leave::SignOut));
    assert!(matches!(effects.as_slice(), [Effect::SignOut]));
    assert!(!format!("{:?}", h.w).contains("Fingerprint"));
}

#[test]
fn no_clipboard_clearing_when_configured_off() {
    let mut cfg = config();
    cfg.clipboard_clear_secs = 0;
    let mut h = Harness::new(cfg);
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    let req = h.request(Call::AddPassword).clone();
    h.ok(Call::AddPassword, 200, created_from(&req, "k"));
    assert!(h.send(Msg::ShowOnce(ShowOnceMsg::Copied)).is_empty());
    assert!(!h.w.needs_leave_guard());
    assert!(h.send(Msg::Leave(Leave::Finish)).is_empty());
}

#[test]
fn the_value_is_in_no_debug_output_and_no_request() {
    let mut h = showing();
    h.send(Msg::ShowOnce(ShowOnceMsg::CopyFailed));
    let s = h.w.show_once().unwrap();
    assert!(s.copy_problem().is_some());
    assert!(!s.is_copied() && h.w.needs_leave_guard());
    assert!(!format!("{:?}", h.w).contains(SECRET));
    assert!(!format!("{:?}", h.w.step()).contains(SECRET));
    for (_, _, req) in &h.sent {
        assert!(!req.url.contains(SECRET));
        assert!(!req.body.as_deref().is_some_and(|b| b.contains(SECRET)));
    }
}
