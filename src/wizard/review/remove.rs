//! Removing any secret from the Review step's table, not only expired ones ("this secret
//! leaked: remove it now"): the confirmation (which warns when it is the app's last working
//! secret, `domain::removal`), `removePassword` as every other removal sends it, and the re-read
//! that shows whether it is really gone. Nothing is refused beforehand: Microsoft Graph's own
//! refusal (403) is explained with who can remove it.
//!
//! [`ReviewState::remove_secret`] takes a [`RemoveSecretMsg`],
//! [`ReviewState::remove_answer`] removePassword's answer; the re-read is the step's own
//! `Call::App`, whose answer ends the removal ([`ReviewState::removal_read`]).

use super::{ReviewEffect, ReviewState};
use crate::domain::expiry::day_month_year;
use crate::domain::removal::{removal_impact, RemovalImpact};
use crate::graph::{self, GraphError, PasswordCredential};
use crate::runtime::{Failure, Now, Outcome, Problem};
use crate::wizard::shared::Call;

/// The user's actions on a secret's removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveSecretMsg {
    /// "Remove" on the secret with this keyId: opens the confirmation.
    Ask(String),
    /// The last working secret's tick box ("I understand …").
    Tick(bool),
    Confirm,
    Cancel,
}

/// Where a removal from the Review step stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SecretRemoval {
    #[default]
    Idle,
    /// The confirmation is open. The last working secret needs the tick as well.
    Confirm {
        credential: PasswordCredential,
        impact: RemovalImpact,
        ticked: bool,
    },
    /// removePassword is on its way.
    Removing { credential: PasswordCredential },
    /// Reading the app again to see that it is gone (`unanswered`: removePassword got no answer,
    /// so the re-read tells whether it happened).
    Checking {
        credential: PasswordCredential,
        unanswered: bool,
    },
    /// Gone, as the re-read app shows.
    Removed { credential: PasswordCredential },
    /// Graph said it was removed, yet the app still lists it.
    StillThere { credential: PasswordCredential },
    Failed {
        credential: PasswordCredential,
        problem: Problem,
    },
}

impl SecretRemoval {
    /// A question is open or a request is on its way.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            SecretRemoval::Confirm { .. }
                | SecretRemoval::Removing { .. }
                | SecretRemoval::Checking { .. }
        )
    }

    /// Confirm may be pressed: the question is open, and ticked where it must be.
    pub fn may_confirm(&self) -> bool {
        match self {
            SecretRemoval::Confirm { impact, ticked, .. } => *ticked || !impact.is_last_working(),
            _ => false,
        }
    }
}

/// A secret's name in the questions: its description, else "(no description)".
pub fn describe(c: &PasswordCredential) -> String {
    c.display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "(no description)".into())
}

/// The confirmation's words: what goes, what stops, and the warning for the last working one.
pub fn confirm_text(
    c: &PasswordCredential,
    impact: &RemovalImpact,
    app: &str,
    now: &Now,
) -> String {
    let what = format!(
        "Remove the client secret \u{201c}{}\u{201d} (Secret ID {}) from {app}? Anything still \
         signing in with it stops working at once, and this can't be undone. If it leaked, \
         removing it now is right; then give the services that used it a new secret.",
        describe(c),
        c.key_id
    );
    match impact {
        RemovalImpact::LastWorking { next } => {
            format!("{what} {}", last_working_text(app, next, now))
        }
        _ => what,
    }
}

/// The warning for the app's last working secret.
/// A secret that starts later is named with its start date in the user's time zone (`now`'s).
pub fn last_working_text(app: &str, next: &Option<PasswordCredential>, now: &Now) -> String {
    let until = match next {
        Some(n) => format!(
            "until \u{201c}{}\u{201d} starts on {}, or a new secret is created and put where \
             its services read it",
            describe(n),
            n.start_date_time
                .map(|s| day_month_year(s.with_timezone(&now.timezone()).date_naive()))
                .unwrap_or_default()
        ),
        None => "until a new secret is created and put where its services read it".into(),
    };
    format!(
        "This is the last working secret of {app}: the app will stop signing in with a client \
         secret {until}."
    )
}

/// The tick box for the last working secret.
pub const LAST_WORKING_TICK: &str =
    "I understand that the app can't sign in with a secret until a new one is in use";

/// Graph's refusal in words: what happened, who can, and that nothing changed.
fn refused(e: &GraphError, owners: &[String]) -> Problem {
    let details = Some(e.details()).filter(|d| !d.is_empty());
    // Who may remove a secret: the app's owners, and Application Administrator or Cloud
    // Application Administrator (the roles Graph's removePassword page lists; the same as for
    // addPassword: ../shared/docs/azure-apis.md §1.3, §1.4).
    let message = match e {
        GraphError::AuthorizationDenied(_) if owners.is_empty() => {
            "Microsoft Graph refused: you can't remove secrets from this app. It has no owners, \
             so ask an Application Administrator or Cloud Application Administrator to remove \
             it. Nothing was removed."
                .to_string()
        }
        GraphError::AuthorizationDenied(_) => format!(
            "Microsoft Graph refused: you can't remove secrets from this app. Its owners ({}) \
             or an Application Administrator or Cloud Application Administrator can; ask one of \
             them. Nothing was removed.",
            owners.join(", ")
        ),
        GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. } => {
            "Microsoft Graph is busy, so the secret was not removed. Try again in a minute.".into()
        }
        other => other.user_message(),
    };
    Problem { message, details }
}

impl ReviewState {
    /// The removal in progress (or its result).
    pub fn removal(&self) -> &SecretRemoval {
        &self.removal
    }

    /// Asks, confirms or cancels a removal; the confirmation judges the secret at `now`.
    pub fn remove_secret(&mut self, msg: RemoveSecretMsg, now: &Now) -> Vec<ReviewEffect> {
        match msg {
            RemoveSecretMsg::Ask(key_id) => {
                if self.removal.is_busy() {
                    return Vec::new();
                }
                let creds = &self.app.password_credentials;
                let Some(credential) = creds.iter().find(|c| c.key_id == key_id).cloned() else {
                    return Vec::new();
                };
                let impact = removal_impact(creds, &key_id, now);
                self.removal = SecretRemoval::Confirm {
                    credential,
                    impact,
                    ticked: false,
                };
                Vec::new()
            }
            RemoveSecretMsg::Tick(on) => {
                if let SecretRemoval::Confirm { ticked, .. } = &mut self.removal {
                    *ticked = on;
                }
                Vec::new()
            }
            RemoveSecretMsg::Cancel => {
                if matches!(self.removal, SecretRemoval::Confirm { .. }) {
                    self.removal = SecretRemoval::Idle;
                }
                Vec::new()
            }
            RemoveSecretMsg::Confirm => {
                if !self.removal.may_confirm() {
                    return Vec::new();
                }
                let SecretRemoval::Confirm { credential, .. } = std::mem::take(&mut self.removal)
                else {
                    return Vec::new();
                };
                let request =
                    graph::remove_password(&self.graph_base, &self.app.id, &credential.key_id);
                self.removal = SecretRemoval::Removing { credential };
                vec![ReviewEffect::Send(Call::RemoveSecret, request)]
            }
        }
    }

    /// removePassword's answer: read the app again (unless Graph refused), since a removal can
    /// report success while the app still lists the secret, and a lost answer says nothing.
    pub fn remove_answer(&mut self, outcome: Outcome) -> Vec<ReviewEffect> {
        let SecretRemoval::Removing { credential } = std::mem::take(&mut self.removal) else {
            return Vec::new();
        };
        let unanswered = match outcome.map(|r| graph::parse_remove_password(&r)) {
            Ok(Ok(())) => false,
            // "No password credential found": gone already; the re-read shows it.
            Ok(Err(GraphError::BadRequest(_))) => false,
            Ok(Err(e)) => {
                let problem = refused(&e, &self.owner_labels());
                self.removal = SecretRemoval::Failed {
                    credential,
                    problem,
                };
                return Vec::new();
            }
            Err(Failure::Network) => true,
            Err(f @ Failure::Auth(_)) => {
                self.removal = SecretRemoval::Failed {
                    credential,
                    problem: Problem::from_failure(f),
                };
                return Vec::new();
            }
        };
        self.removal = SecretRemoval::Checking {
            credential,
            unanswered,
        };
        self.loading = true;
        let request = graph::get_application(&self.graph_base, &self.app.id);
        vec![ReviewEffect::Send(Call::App, request)]
    }

    /// The app was read again (`read`: successfully): ends a removal being checked.
    pub(super) fn removal_read(&mut self, read: bool) {
        let SecretRemoval::Checking {
            credential,
            unanswered,
        } = std::mem::take(&mut self.removal)
        else {
            return;
        };
        let listed = self
            .app
            .password_credentials
            .iter()
            .any(|c| c.key_id == credential.key_id);
        self.removal = match (read, listed, unanswered) {
            (false, _, _) => SecretRemoval::Failed {
                credential,
                problem: Problem::new(
                    "The app couldn't be read again, so we can't confirm the secret is gone. \
                     Reload the app to check.",
                ),
            },
            (true, false, _) => SecretRemoval::Removed { credential },
            (true, true, false) => SecretRemoval::StillThere { credential },
            (true, true, true) => SecretRemoval::Failed {
                credential,
                problem: Problem::new(
                    "Microsoft Graph didn't answer, and the app still lists the secret: it was \
                     not removed. Try again.",
                ),
            },
        };
    }
}

#[cfg(test)]
mod tests;
