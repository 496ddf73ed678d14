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
mod tests;
