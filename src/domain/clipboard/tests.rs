use super::*;

const SECRET: &str = "Zq8~s3cr3t.VALUE-never-log-me_0123456789";

fn copied(g: &mut ClipboardGuard) -> u64 {
    match g
        .update(GuardMsg::Copied(Fingerprint::of(7, SECRET)))
        .as_slice()
    {
        [GuardEffect::Schedule { token, secs: 60 }] => *token,
        other => panic!("expected a scheduled clear, got {other:?}"),
    }
}

fn check_of(effects: &[GuardEffect]) -> (u64, Fingerprint) {
    match effects {
        [GuardEffect::Check { token, fingerprint }, ..] => (*token, *fingerprint),
        other => panic!("expected a check, got {other:?}"),
    }
}

#[test]
fn the_fingerprint_matches_only_the_value_and_prints_nothing() {
    let fp = Fingerprint::of(7, SECRET);
    assert!(fp.matches(SECRET));
    assert!(!fp.matches("something else the user copied since"));
    assert!(!fp.matches(""));
    assert_ne!(fp, Fingerprint::of(8, SECRET), "salted");
    assert!(!format!("{fp:?}").contains(SECRET));
    assert_eq!(format!("{fp:?}"), "Fingerprint(<redacted>)");
}

#[test]
fn the_timer_checks_once_and_a_clear_is_said() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    assert!(g.update(GuardMsg::ClearDue(token + 99)).is_empty());
    let (t, fp) = check_of(&g.update(GuardMsg::ClearDue(token)));
    assert_eq!(t, token);
    assert!(fp.matches(SECRET));
    assert!(
        g.update(GuardMsg::ClearDue(token)).is_empty(),
        "one check out"
    );
    assert!(g
        .update(GuardMsg::Checked(token, Check::Cleared))
        .is_empty());
    assert_eq!(g.notice(), Some(Notice::Cleared));
    assert!(!g.holds());
    assert!(g.update(GuardMsg::ClearDue(token)).is_empty(), "once");
    assert!(
        g.update(GuardMsg::Finished).is_empty(),
        "nothing left to clear"
    );
    g.update(GuardMsg::Dismiss);
    assert_eq!(g.notice(), None);
}

#[test]
fn finish_checks_at_once_and_the_timer_then_finds_nothing() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    let (t, _) = check_of(&g.update(GuardMsg::Finished));
    assert_eq!(t, token);
    g.update(GuardMsg::Checked(token, Check::Cleared));
    assert!(g.update(GuardMsg::ClearDue(token)).is_empty());
}

#[test]
fn something_else_on_the_clipboard_is_left_alone_and_nothing_is_said() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::Finished);
    assert!(g
        .update(GuardMsg::Checked(token, Check::NotOurs))
        .is_empty());
    assert_eq!(g.notice(), None);
    assert!(!g.holds());
}

#[test]
fn a_browser_that_refuses_to_read_is_named_and_nothing_is_overwritten() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::ClearDue(token));
    // No write is asked for: only a check, whose refusal becomes a notice.
    assert!(g
        .update(GuardMsg::Checked(token, Check::Refused))
        .is_empty());
    let notice = g.notice().expect("a notice");
    assert_eq!(notice, Notice::CantCheck);
    assert!(notice.is_warning());
    assert_eq!(
        notice.text(),
        "Your browser doesn't let this page check the clipboard. The secret may still be \
         there: copy something else to clear it."
    );
    assert!(!g.holds(), "asking again would be refused again");
    assert!(g.update(GuardMsg::Finished).is_empty());
}

#[test]
fn a_failed_write_is_said() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::Finished);
    g.update(GuardMsg::Checked(token, Check::WriteFailed));
    assert_eq!(g.notice(), Some(Notice::CouldntClear));
    assert!(Notice::CouldntClear.text().contains("copy something else"));
}

#[test]
fn an_unfocused_page_waits_for_focus_then_checks_again() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::ClearDue(token));
    assert_eq!(
        g.update(GuardMsg::Checked(token, Check::NotFocused)),
        vec![GuardEffect::WaitForFocus]
    );
    assert_eq!(g.notice(), None, "nothing to say yet");
    assert!(g.holds());
    let (t, _) = check_of(&g.update(GuardMsg::Focused));
    assert_eq!(t, token);
    assert!(g.update(GuardMsg::Focused).is_empty(), "one check out");
    g.update(GuardMsg::Checked(token, Check::Cleared));
    assert_eq!(g.notice(), Some(Notice::Cleared));
}

#[test]
fn sign_out_without_a_copy_goes_ahead_at_once() {
    let mut g = ClipboardGuard::new(60);
    assert_eq!(g.update(GuardMsg::SignOut), vec![GuardEffect::SignOut]);
}

#[test]
fn sign_out_checks_first_and_then_goes_ahead() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    let effects = g.update(GuardMsg::SignOut);
    let (t, _) = check_of(&effects);
    assert_eq!(t, token);
    assert!(effects.contains(&GuardEffect::SignOutDeadline {
        token,
        millis: SIGN_OUT_WAIT_MS
    }));
    assert!(
        !effects.contains(&GuardEffect::SignOut),
        "not before the check"
    );
    assert!(
        g.update(GuardMsg::SignOut).is_empty(),
        "a second click waits too"
    );
    assert_eq!(
        g.update(GuardMsg::Checked(token, Check::Cleared)),
        vec![GuardEffect::SignOut]
    );
    assert_eq!(g.notice(), Some(Notice::Cleared));
    assert!(
        g.update(GuardMsg::SignOutDeadline(token)).is_empty(),
        "once"
    );
}

#[test]
fn sign_out_while_refused_says_so_and_still_signs_out() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::SignOut);
    assert_eq!(
        g.update(GuardMsg::Checked(token, Check::Refused)),
        vec![GuardEffect::SignOut]
    );
    assert_eq!(g.notice(), Some(Notice::CantCheck));
}

#[test]
fn sign_out_never_waits_for_focus() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::SignOut);
    assert_eq!(
        g.update(GuardMsg::Checked(token, Check::NotFocused)),
        vec![GuardEffect::SignOut]
    );
    assert_eq!(g.notice(), Some(Notice::CantCheck));
}

#[test]
fn a_check_that_doesnt_answer_doesnt_hold_up_the_sign_out() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    g.update(GuardMsg::SignOut);
    assert!(g.update(GuardMsg::SignOutDeadline(token + 1)).is_empty());
    assert_eq!(
        g.update(GuardMsg::SignOutDeadline(token)),
        vec![GuardEffect::SignOut]
    );
    assert_eq!(g.notice(), Some(Notice::CantCheck), "not claimed clear");
    // The late answer is still told, without a second sign-out.
    assert!(g
        .update(GuardMsg::Checked(token, Check::Cleared))
        .is_empty());
    assert_eq!(g.notice(), Some(Notice::Cleared));
}

#[test]
fn a_new_copy_replaces_the_old_one_and_its_notice() {
    let mut g = ClipboardGuard::new(60);
    let first = copied(&mut g);
    g.update(GuardMsg::Finished);
    g.update(GuardMsg::Checked(first, Check::Refused));
    assert_eq!(g.notice(), Some(Notice::CantCheck));
    let second = copied(&mut g);
    assert_ne!(first, second);
    assert_eq!(g.notice(), None, "the clipboard holds the new copy now");
    assert!(g.update(GuardMsg::ClearDue(first)).is_empty());
    // A late answer about the first copy changes nothing.
    g.update(GuardMsg::ClearDue(second));
    assert!(g
        .update(GuardMsg::Checked(first, Check::Cleared))
        .is_empty());
    assert!(g.holds());
    assert_eq!(g.notice(), None);
}

#[test]
fn configured_off_holds_nothing_and_never_touches_the_clipboard() {
    let mut g = ClipboardGuard::new(0);
    assert!(g
        .update(GuardMsg::Copied(Fingerprint::of(7, SECRET)))
        .is_empty());
    assert!(!g.holds());
    assert!(g.update(GuardMsg::Finished).is_empty());
    assert_eq!(g.update(GuardMsg::SignOut), vec![GuardEffect::SignOut]);
    assert_eq!(g.notice(), None);
}

#[test]
fn nothing_the_guard_prints_holds_the_value() {
    let mut g = ClipboardGuard::new(60);
    let token = copied(&mut g);
    let effects = g.update(GuardMsg::SignOut);
    assert!(!format!("{g:?}{effects:?}").contains(SECRET));
    g.update(GuardMsg::Checked(token, Check::NotOurs));
    assert!(!format!("{g:?}").contains(SECRET));
}
