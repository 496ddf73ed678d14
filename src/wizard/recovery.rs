//! Never lost: when addPassword's response is lost, re-read the app, recognise the credentials
//! this attempt created (its unique description, start and end, keyIds the app didn't have
//! before), and offer to remove them, since their values can't be recovered. The app never
//! resends addPassword; the browser itself may have (it repeats a request whose reused
//! connection closed before any answer), so there can be more than one.

use super::create::{attempt_description, Attempt};
use super::state::{Call, Effect, Failure, Now, Outcome, Problem, Step, Wizard};
use crate::graph::{self, Application, GraphError, PasswordCredential};

/// Where recovery stands. `credentials` are the orphans (at least one).
#[derive(Clone, Debug, PartialEq)]
pub enum RecoveryPhase {
    /// Re-reading the app's credentials.
    Checking,
    /// The re-read failed; the user can check again.
    CheckFailed(Problem),
    /// Nothing was created: the form can be sent again.
    NotCreated,
    /// `confirming` while the removal question is open.
    Found {
        credentials: Vec<PasswordCredential>,
        confirming: bool,
    },
    /// Removing one at a time; `left` are the keyIds still to go, the first in flight.
    Removing {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    },
    RemoveFailed {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
        problem: Problem,
    },
    Removed {
        credentials: Vec<PasswordCredential>,
    },
}

/// Why the attempt's outcome is unknown.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LostAnswer {
    /// No HTTP answer at all (network error, timeout).
    #[default]
    Dropped,
    /// An error status that does not say whether Graph acted before failing (500, 502, 504).
    ServerError(u16),
}

/// The Recovery step.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryState {
    pub attempt: Attempt,
    pub phase: RecoveryPhase,
    pub cause: LostAnswer,
    /// The orphans a removal was sent for: once they are no longer found they were removed,
    /// not "never created".
    removal_sent: Vec<PasswordCredential>,
}

impl RecoveryState {
    pub fn checking(attempt: Attempt) -> Self {
        Self {
            attempt,
            phase: RecoveryPhase::Checking,
            cause: LostAnswer::Dropped,
            removal_sent: Vec::new(),
        }
    }

    /// After an error status that leaves open whether the secret was created.
    pub fn after_error(attempt: Attempt, status: u16) -> Self {
        Self {
            cause: LostAnswer::ServerError(status),
            ..Self::checking(attempt)
        }
    }

    /// The step's heading.
    pub fn title(&self) -> &'static str {
        match self.cause {
            LostAnswer::Dropped => "The connection dropped",
            LostAnswer::ServerError(_) => "Microsoft Graph answered with an error",
        }
    }

    /// The orphans the re-read app shows.
    pub fn find_orphans(&self, app: &Application) -> Vec<PasswordCredential> {
        self.attempt.created_in(app)
    }

    /// The sentence for what we found (docs/ux.md), times in the user's zone.
    pub fn message(&self, now: &Now) -> String {
        let at = |c: &PasswordCredential| {
            let t = c.start_date_time.unwrap_or(self.attempt.new.start);
            crate::domain::expiry::hour_minute(&t.with_timezone(&now.timezone()))
        };
        let lost = |cs: &[PasswordCredential]| match cs {
            [c] => format!(
                "a secret \"{}\" was created at {} and its value is lost. Remove it?",
                self.attempt.new.display_name,
                at(c)
            ),
            cs => format!(
                "{} secrets \"{}\" were created at {} (the browser sent the request again) and \
                 their values are lost. Remove them?",
                cs.len(),
                self.attempt.new.display_name,
                cs.first().map(at).unwrap_or_default()
            ),
        };
        let dropped = match self.cause {
            LostAnswer::Dropped => {
                "The connection dropped after the secret may have been created.".to_string()
            }
            LostAnswer::ServerError(status) => format!(
                "Microsoft Graph answered with an error (HTTP {status}) after the secret may \
                 have been created."
            ),
        };
        match &self.phase {
            RecoveryPhase::Checking => format!("{dropped} Checking whether it was…"),
            RecoveryPhase::CheckFailed(_) => {
                format!("{dropped} We couldn't check whether it was.")
            }
            RecoveryPhase::NotCreated => match self.cause {
                LostAnswer::Dropped => "The connection dropped while the secret was being \
                    created. We checked: no secret was created, so nothing is lost. Try again."
                    .into(),
                LostAnswer::ServerError(status) => format!(
                    "Microsoft Graph answered with an error (HTTP {status}). We checked: no \
                     secret was created, so nothing is lost. Try again."
                ),
            },
            RecoveryPhase::Found { credentials, .. }
            | RecoveryPhase::Removing { credentials, .. }
            | RecoveryPhase::RemoveFailed { credentials, .. } => {
                format!("{dropped} We checked: {}", lost(credentials))
            }
            RecoveryPhase::Removed { credentials } => {
                format!(
                "Removed {} \"{}\". Nothing can use {}, since nobody ever saw {}. Create a new \
                 one to continue.",
                if credentials.len() == 1 {
                    "the secret".to_string()
                } else {
                    format!("the {} secrets", credentials.len())
                },
                self.attempt.new.display_name,
                if credentials.len() == 1 { "it" } else { "them" },
                if credentials.len() == 1 { "its value" } else { "their values" },
            )
            }
        }
    }
}

impl Wizard {
    fn recovery_mut(&mut self) -> Option<&mut RecoveryState> {
        match &mut self.step {
            Step::Recovery(r) => Some(r),
            _ => None,
        }
    }

    /// Re-reads the app to see what the lost attempt did.
    pub(super) fn recheck(&mut self) -> Vec<Effect> {
        let Some(id) = self.app.as_ref().map(|c| c.app.id.clone()) else {
            return Vec::new();
        };
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        r.phase = RecoveryPhase::Checking;
        let request = graph::get_application(&self.config.graph_base, &id);
        vec![self.send(Call::Recheck, request)]
    }

    pub(super) fn on_recovery(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        match call {
            Call::Recheck => self.on_recheck(outcome),
            _ => self.on_remove(outcome),
        }
    }

    fn on_recheck(&mut self, outcome: Outcome) -> Vec<Effect> {
        let parsed = outcome
            .map_err(Problem::from_failure)
            .and_then(|r| graph::parse_application(&r).map_err(|e| Problem::from_graph(&e)));
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        let app = match parsed {
            Ok(app) => app,
            Err(p) => {
                r.phase = RecoveryPhase::CheckFailed(p);
                return Vec::new();
            }
        };
        let orphans = r.find_orphans(&app);
        r.phase = match (orphans.is_empty(), r.removal_sent.is_empty()) {
            (false, _) => RecoveryPhase::Found {
                credentials: orphans,
                confirming: false,
            },
            (true, false) => RecoveryPhase::Removed {
                credentials: r.removal_sent.clone(),
            },
            (true, true) => RecoveryPhase::NotCreated,
        };
        if let Some(ctx) = self.app.as_mut() {
            ctx.app = app;
        }
        Vec::new()
    }

    /// Sends removePassword for the first of `left`.
    fn remove_next(
        &mut self,
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    ) -> Vec<Effect> {
        let (Some(object_id), Some(key_id)) = (
            self.app.as_ref().map(|c| c.app.id.clone()),
            left.first().cloned(),
        ) else {
            return Vec::new();
        };
        let request = graph::remove_password(&self.config.graph_base, &object_id, &key_id);
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        r.phase = RecoveryPhase::Removing { credentials, left };
        vec![self.send(Call::Remove, request)]
    }

    fn on_remove(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        let RecoveryPhase::Removing {
            credentials,
            mut left,
        } = r.phase.clone()
        else {
            return Vec::new();
        };
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res),
            // We can't tell whether it was removed: look rather than guess.
            Err(Failure::Network) => return self.recheck(),
            Err(Failure::Auth(m)) => {
                r.phase = RecoveryPhase::RemoveFailed {
                    credentials,
                    left,
                    problem: Problem::new(m),
                };
                return Vec::new();
            }
        };
        match result {
            Ok(()) => {
                let done = left.remove(0);
                if let Some(ctx) = self.app.as_mut() {
                    ctx.app.password_credentials.retain(|c| c.key_id != done);
                }
                if left.is_empty() {
                    if let Some(r) = self.recovery_mut() {
                        r.phase = RecoveryPhase::Removed { credentials };
                    }
                    Vec::new()
                } else {
                    self.remove_next(credentials, left)
                }
            }
            Err(GraphError::NotFound(_)) => self.recheck(),
            Err(e) => {
                let owners = self
                    .app
                    .as_ref()
                    .map(|c| c.owner_labels())
                    .unwrap_or_default();
                if let Some(r) = self.recovery_mut() {
                    r.phase = RecoveryPhase::RemoveFailed {
                        credentials,
                        left,
                        problem: Problem::from_graph_with_owners(&e, &owners),
                    };
                }
                Vec::new()
            }
        }
    }

    pub(super) fn remove_orphan(&mut self) -> Vec<Effect> {
        self.set_confirming(true)
    }

    pub(super) fn cancel_remove(&mut self) -> Vec<Effect> {
        self.set_confirming(false)
    }

    fn set_confirming(&mut self, value: bool) -> Vec<Effect> {
        if let Some(RecoveryState {
            phase: RecoveryPhase::Found { confirming, .. },
            ..
        }) = self.recovery_mut()
        {
            *confirming = value;
        }
        Vec::new()
    }

    /// Sends removePassword after the user confirmed (or retries a failed removal).
    pub(super) fn confirm_remove(&mut self) -> Vec<Effect> {
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        let (credentials, left) = match &r.phase {
            RecoveryPhase::Found {
                credentials,
                confirming: true,
            } => (
                credentials.clone(),
                credentials.iter().map(|c| c.key_id.clone()).collect(),
            ),
            RecoveryPhase::RemoveFailed {
                credentials, left, ..
            } => (credentials.clone(), left.clone()),
            _ => return Vec::new(),
        };
        for c in &credentials {
            if !r.removal_sent.contains(c) {
                r.removal_sent.push(c.clone());
            }
        }
        self.remove_next(credentials, left)
    }

    pub(super) fn check_again(&mut self) -> Vec<Effect> {
        match self.recovery_mut().map(|r| &r.phase) {
            Some(RecoveryPhase::CheckFailed(_)) => self.recheck(),
            _ => Vec::new(),
        }
    }

    /// After nothing was created, or the orphans were removed: back to the form, with a fresh
    /// default description unless the user wrote their own.
    pub(super) fn create_another(&mut self, now: Now) -> Vec<Effect> {
        let upn = self.upn();
        let mut taken = self.taken_descriptions();
        let step = std::mem::replace(&mut self.step, Step::Choose);
        self.step = match step {
            Step::Recovery(r)
                if matches!(
                    r.phase,
                    RecoveryPhase::NotCreated | RecoveryPhase::Removed { .. }
                ) =>
            {
                let mut d = r.attempt.describe;
                if !d.description_edited {
                    taken.push(r.attempt.new.display_name.clone());
                    d.description = attempt_description(&upn, &now, &taken);
                }
                d.problem = None;
                Step::Describe(d)
            }
            other => other,
        };
        Vec::new()
    }
}
