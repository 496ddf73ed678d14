//! The clipboard guard: after the secret's value is copied, when to clear the clipboard, and what
//! to tell the user. Pure (no browser types); the app shell owns one above the pages
//! (`app::clipboard`), so navigating away from the wizard or signing out doesn't drop it.
//!
//! It never holds the value: only a [`Fingerprint`] (a salted hash) of what was copied. The
//! shell answers each [`GuardEffect::Check`] by reading the clipboard and emptying it only if it
//! still holds that value (someone who copied something else since keeps it). Where the browser
//! won't let the page read the clipboard (Firefox, Safari, Chrome without the permission), the
//! guard doesn't overwrite blindly: it says so and asks the user to clear it ([`Notice`]).
//!
//! When: `clear_secs` after the copy, at Finish, and before signing out (within
//! [`SIGN_OUT_WAIT_MS`], so the sign-out window still opens from the click). A page without
//! focus can't touch the clipboard, so a check that finds the page unfocused waits until it
//! has focus again.

/// A keyed fingerprint of the copied value, to tell later whether the clipboard still holds
/// it without keeping the value. Not reversible; prints nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    salt: u64,
    hash: u64,
}

impl Fingerprint {
    /// `salt`: something random per page load, so the fingerprint tells nothing across loads.
    pub fn of(salt: u64, text: &str) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        Self {
            salt,
            hash: h.finish(),
        }
    }

    /// True when `text` is the value this fingerprint was taken of.
    pub fn matches(&self, text: &str) -> bool {
        Self::of(self.salt, text) == *self
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprint(<redacted>)")
    }
}

/// How long a sign-out waits for the clipboard check before it goes ahead anyway. Browsers let
/// a click open a window for a few seconds (Chrome and Firefox: 5 s of "transient activation");
/// the check itself takes milliseconds.
pub const SIGN_OUT_WAIT_MS: u32 = 1_500;

/// What the shell found when it checked the clipboard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Check {
    /// It held the value, and now holds nothing.
    Cleared,
    /// It holds something else (the user copied something since): left alone.
    NotOurs,
    /// The browser doesn't let the page read it (no permission, or no such API).
    Refused,
    /// Reading worked and it held the value, but writing the empty text failed.
    WriteFailed,
    /// The page doesn't have focus, so the browser refuses both reading and writing for now.
    NotFocused,
}

/// What the page says about the clipboard (a banner above every page, until dismissed).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Notice {
    /// The value was found and removed.
    Cleared,
    /// The page couldn't read the clipboard, so it doesn't know whether the value is there.
    CantCheck,
    /// The value is there and the page couldn't remove it.
    CouldntClear,
}

impl Notice {
    pub fn text(self) -> &'static str {
        match self {
            Notice::Cleared => "The secret you copied has been cleared from the clipboard.",
            Notice::CantCheck => {
                "Your browser doesn't let this page check the clipboard. The secret may still \
                 be there: copy something else to clear it."
            }
            Notice::CouldntClear => {
                "This page couldn't clear the clipboard, and the secret is still there: copy \
                 something else to clear it."
            }
        }
    }

    /// The user still has something to do.
    pub fn is_warning(self) -> bool {
        !matches!(self, Notice::Cleared)
    }
}

/// What happens to the guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardMsg {
    /// The value was copied (its fingerprint; never the value).
    Copied(Fingerprint),
    /// The timer of [`GuardEffect::Schedule`] with this token went off.
    ClearDue(u64),
    /// The value is done with (the wizard's Finish): clear now.
    Finished,
    /// The user asked to sign out: clear first, then [`GuardEffect::SignOut`].
    SignOut,
    /// The shell's answer to [`GuardEffect::Check`] with this token.
    Checked(u64, Check),
    /// The page has focus again (after [`GuardEffect::WaitForFocus`]).
    Focused,
    /// [`GuardEffect::SignOutDeadline`] with this token went off.
    SignOutDeadline(u64),
    /// The user closed the notice.
    Dismiss,
}

/// What the shell does for the guard.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GuardEffect {
    /// After `secs`, send [`GuardMsg::ClearDue`]`(token)`.
    Schedule { token: u64, secs: u32 },
    /// Read the clipboard; if it holds the fingerprinted value, write the empty text. Answer
    /// with [`GuardMsg::Checked`]`(token, …)`.
    Check {
        token: u64,
        fingerprint: Fingerprint,
    },
    /// Send [`GuardMsg::Focused`] once the page has focus again.
    WaitForFocus,
    /// After `millis`, send [`GuardMsg::SignOutDeadline`]`(token)`.
    SignOutDeadline { token: u64, millis: u32 },
    /// Go on with the sign-out the user asked for.
    SignOut,
}

/// The copied value the guard still has to clear.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Held {
    fingerprint: Fingerprint,
    token: u64,
    /// A [`GuardEffect::Check`] is out.
    checking: bool,
    /// The last check found the page without focus.
    waiting_for_focus: bool,
}

/// The guard: at most one copied value, and what the page says.
#[derive(Debug)]
pub struct ClipboardGuard {
    clear_secs: u32,
    held: Option<Held>,
    notice: Option<Notice>,
    /// The token of a sign-out waiting for its check.
    signing_out: Option<u64>,
    tokens: u64,
}

impl ClipboardGuard {
    /// `clear_secs`: `policy.clipboardClearSeconds`; 0 turns clearing off (nothing is held).
    pub fn new(clear_secs: u32) -> Self {
        Self {
            clear_secs,
            held: None,
            notice: None,
            signing_out: None,
            tokens: 0,
        }
    }

    /// What the page should say now.
    pub fn notice(&self) -> Option<Notice> {
        self.notice
    }

    /// A copied value is still to be cleared.
    pub fn holds(&self) -> bool {
        self.held.is_some()
    }

    pub fn update(&mut self, msg: GuardMsg) -> Vec<GuardEffect> {
        match msg {
            GuardMsg::Copied(fingerprint) => {
                // The clipboard now holds this value: what was said about an earlier one is moot.
                self.notice = None;
                if self.clear_secs == 0 {
                    self.held = None;
                    return Vec::new();
                }
                self.tokens += 1;
                let token = self.tokens;
                self.held = Some(Held {
                    fingerprint,
                    token,
                    checking: false,
                    waiting_for_focus: false,
                });
                vec![GuardEffect::Schedule {
                    token,
                    secs: self.clear_secs,
                }]
            }
            GuardMsg::ClearDue(token) => match self.held {
                Some(h) if h.token == token => self.check(),
                _ => Vec::new(),
            },
            GuardMsg::Finished => self.check(),
            GuardMsg::SignOut => {
                let Some(h) = self.held else {
                    return vec![GuardEffect::SignOut];
                };
                if self.signing_out.is_some() {
                    return Vec::new(); // already on its way
                }
                self.signing_out = Some(h.token);
                let mut effects = self.check();
                effects.push(GuardEffect::SignOutDeadline {
                    token: h.token,
                    millis: SIGN_OUT_WAIT_MS,
                });
                effects
            }
            GuardMsg::Checked(token, found) => self.checked(token, found),
            GuardMsg::Focused => match self.held {
                Some(h) if h.waiting_for_focus => self.check(),
                _ => Vec::new(),
            },
            GuardMsg::SignOutDeadline(token) => {
                if self.signing_out != Some(token) {
                    return Vec::new();
                }
                // The check hasn't answered: don't keep the user waiting, and don't claim the
                // clipboard is clear. A late answer still updates the notice.
                self.signing_out = None;
                self.notice = Some(Notice::CantCheck);
                vec![GuardEffect::SignOut]
            }
            GuardMsg::Dismiss => {
                self.notice = None;
                Vec::new()
            }
        }
    }

    /// Sends a check for the held value, unless one is out already.
    fn check(&mut self) -> Vec<GuardEffect> {
        let Some(h) = self.held.as_mut() else {
            return Vec::new();
        };
        h.waiting_for_focus = false;
        if h.checking {
            return Vec::new();
        }
        h.checking = true;
        vec![GuardEffect::Check {
            token: h.token,
            fingerprint: h.fingerprint,
        }]
    }

    fn checked(&mut self, token: u64, found: Check) -> Vec<GuardEffect> {
        let Some(h) = self.held.as_mut().filter(|h| h.token == token) else {
            return Vec::new(); // an earlier copy's check
        };
        h.checking = false;
        let signing_out = self.signing_out == Some(token);
        let mut effects = Vec::new();
        match found {
            Check::NotFocused if !signing_out => {
                // Try again when the user is back on the page.
                h.waiting_for_focus = true;
                effects.push(GuardEffect::WaitForFocus);
            }
            Check::NotFocused | Check::Refused => {
                self.held = None;
                self.notice = Some(Notice::CantCheck);
            }
            Check::Cleared => {
                self.held = None;
                self.notice = Some(Notice::Cleared);
            }
            Check::NotOurs => {
                self.held = None;
                self.notice = None;
            }
            Check::WriteFailed => {
                self.held = None;
                self.notice = Some(Notice::CouldntClear);
            }
        }
        if signing_out {
            self.signing_out = None;
            effects.push(GuardEffect::SignOut);
        }
        effects
    }
}

#[cfg(test)]
mod tests {
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
}
