//! Leaving a step that would lose something: [`at_risk`] says when (a secret being created, or a
//! value on screen neither copied nor stored; the hook arms `beforeunload` while it holds), and
//! [`Leaving`] keeps the leave the user must confirm first ("Leave without the secret?").
//!
//! Where each leave goes (back to search, back to the app, Finish, sign-out, another page) is
//! the router's (`wizard::state`); this module only decides whether to ask, and what to do
//! with the answer.

use super::shared::Leave;
use super::step::Step;
use crate::vault::VaultState;

/// True while leaving would lose something: a secret being created, or a value shown but
/// neither copied nor stored (or being stored).
pub fn at_risk(step: &Step, vault: &VaultState) -> bool {
    match step {
        Step::Creating(_) => true,
        // A certificate on its way: leaving drops the private key (the app may keep a
        // certificate nobody holds the key of).
        Step::Certificate(_) => vault.stored().is_none(),
        Step::ShowOnce(s) => {
            !(s.is_safe_to_leave() || vault.stored().is_some()) || vault.push.in_progress()
        }
        _ => false,
    }
}

/// A leave waiting for the user's confirmation.
#[derive(Debug, Default)]
pub struct Leaving {
    pending: Option<Leave>,
}

impl Leaving {
    pub fn pending(&self) -> Option<&Leave> {
        self.pending.as_ref()
    }

    /// The user asked to leave: the leave to carry out now, or `None` when it must be
    /// confirmed first (`at_risk`).
    pub fn ask(&mut self, leave: Leave, at_risk: bool) -> Option<Leave> {
        if at_risk {
            self.pending = Some(leave);
            None
        } else {
            Some(leave)
        }
    }

    /// The user confirmed: the waiting leave, unless the step can't be left now (Creating: its
    /// response must land somewhere; a push in flight). The question is closed either way.
    pub fn confirm(&mut self, step: &Step, vault: &VaultState) -> Option<Leave> {
        self.pending
            .take()
            .filter(|_| !matches!(step, Step::Creating(_)) && !vault.push.in_progress())
    }

    /// The user stays, or nothing is at risk any more (stored).
    pub fn cancel(&mut self) {
        self.pending = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wizard::ShowOnceMsg;

    #[test]
    fn only_creating_and_an_uncopied_value_are_at_risk() {
        let vault = VaultState::disabled();
        assert!(!at_risk(&Step::Choose, &vault) && !at_risk(&Step::Review, &vault));
        let (attempt, _) = crate::wizard::describe::tests::attempt();
        assert!(at_risk(&Step::Creating(attempt), &vault));
        let shown = || Box::new(crate::wizard::show_once::tests::shown(60));
        assert!(
            at_risk(&Step::ShowOnce(shown()), &vault),
            "neither copied nor stored"
        );
        let mut copied = shown();
        copied.update(ShowOnceMsg::Copied);
        assert!(!at_risk(&Step::ShowOnce(copied), &vault));
    }

    #[test]
    fn a_risky_leave_waits_for_confirmation_and_creating_cant_be_left() {
        let vault = VaultState::disabled();
        let mut l = Leaving::default();
        assert_eq!(l.ask(Leave::BackToApp, false), Some(Leave::BackToApp));
        assert_eq!(l.pending(), None);
        assert_eq!(l.ask(Leave::SignOut, true), None);
        assert_eq!(l.pending(), Some(&Leave::SignOut));
        l.cancel();
        assert_eq!(l.pending(), None);
        assert_eq!(l.confirm(&Step::Review, &vault), None, "nothing asked");

        l.ask(Leave::Finish, true);
        assert_eq!(l.confirm(&Step::Review, &vault), Some(Leave::Finish));
        let (attempt, _) = crate::wizard::describe::tests::attempt();
        l.ask(Leave::BackToSearch, true);
        assert_eq!(l.confirm(&Step::Creating(attempt), &vault), None);
        assert_eq!(l.pending(), None, "the question is closed");
    }
}
