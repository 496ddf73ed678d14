//! The rotation reducer's removal transitions: open the dialog (if the guards allow), the
//! one or two ticked confirmations, removePassword, and the re-read that tells whether the
//! secret is really gone.

use super::removal::{removal_problem, Confirmations, Removal};
use super::state::{Call, Effect, Rotation};
use crate::graph::{self, PasswordCredential};
use crate::runtime::{Failure, Now, Outcome, Problem};

impl Rotation {
    pub(super) fn credential(&self, key: &str) -> Option<PasswordCredential> {
        self.app
            .as_ref()?
            .password_credentials
            .iter()
            .find(|c| c.key_id.eq_ignore_ascii_case(key))
            .cloned()
    }

    pub(super) fn ask_remove(&mut self, key: &str, now: Now) -> Vec<Effect> {
        if self.removal.is_busy() {
            return Vec::new();
        }
        let (Ok(confirmations), Some(credential)) = (self.guard(key, &now), self.credential(key))
        else {
            return Vec::new();
        };
        self.removal = Removal::Confirm {
            credential,
            ticked: false,
            confirmations,
        };
        Vec::new()
    }

    pub(super) fn confirm(&mut self, now: Now) -> Vec<Effect> {
        let credential = match self.removal.clone() {
            Removal::Confirm {
                credential,
                ticked: true,
                confirmations: Confirmations::Two,
            } => {
                self.removal = Removal::ConfirmLast {
                    credential,
                    ticked: false,
                };
                return Vec::new();
            }
            Removal::Confirm {
                credential,
                ticked: true,
                ..
            }
            | Removal::ConfirmLast {
                credential,
                ticked: true,
            } => credential,
            _ => return Vec::new(),
        };
        // The app may have changed while the dialog was open: check again.
        let was_last = matches!(self.removal, Removal::ConfirmLast { .. });
        match self.guard(&credential.key_id, &now) {
            Ok(Confirmations::Two) if !was_last => {
                self.removal = Removal::ConfirmLast {
                    credential,
                    ticked: false,
                };
                return Vec::new();
            }
            Ok(_) => {}
            Err(_) => {
                self.removal = Removal::Idle;
                return Vec::new();
            }
        }
        let req = graph::remove_password(
            &self.config.graph_base,
            &self.app_object_id,
            &credential.key_id,
        );
        self.removal = Removal::Removing { credential };
        vec![self.send(Call::Remove, req)]
    }

    pub(super) fn on_removed(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Removal::Removing { credential } = self.removal.clone() else {
            return Vec::new();
        };
        let unanswered = match outcome {
            Ok(res) => match graph::parse_remove_password(&res) {
                Ok(()) => false,
                Err(e) => {
                    self.removal = Removal::Failed {
                        credential,
                        problem: removal_problem(&e),
                    };
                    return self.read_app(Call::App);
                }
            },
            Err(Failure::Network) => true,
            Err(f @ Failure::Auth(_)) => {
                self.removal = Removal::Failed {
                    credential,
                    problem: Problem::from_failure(f),
                };
                return Vec::new();
            }
        };
        self.removal = Removal::Verifying {
            credential,
            unanswered,
        };
        self.read_app(Call::Verify)
    }

    pub(super) fn on_verified(&mut self, read: bool) {
        let Removal::Verifying {
            credential,
            unanswered,
        } = self.removal.clone()
        else {
            return;
        };
        let still_there = self.credential(&credential.key_id).is_some();
        self.removal = match (read, still_there, unanswered) {
            (false, _, _) => Removal::Failed {
                credential,
                problem: Problem {
                    message: "The app couldn't be read again, so we can't confirm the secret is \
                              gone. Reload the app to check."
                        .into(),
                    details: self.app_problem.as_ref().and_then(|p| p.details.clone()),
                },
            },
            (true, false, _) => Removal::Removed { credential },
            (true, true, false) => Removal::StillThere { credential },
            (true, true, true) => Removal::Failed {
                credential,
                problem: Problem::new(
                    "Microsoft Graph didn't answer, and the app still lists the secret: it was \
                     not removed. Try again.",
                ),
            },
        };
    }
}
