//! Never lost: when addPassword's response is lost, re-read the app, recognise the credential
//! this attempt created (its unique description, a keyId the app didn't have before), and offer
//! to remove it, since its value can't be recovered. addPassword itself is never resent.

use super::create::{attempt_description, Attempt};
use super::state::{Call, Effect, Failure, Now, Outcome, Problem, Step, Wizard};
use crate::domain::rotation;
use crate::graph::{self, Application, GraphError, PasswordCredential};

/// Where recovery stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RecoveryPhase {
    /// Re-reading the app's credentials.
    Checking,
    /// The re-read failed; the user can check again.
    CheckFailed(Problem),
    /// Nothing was created: the form can be sent again.
    NotCreated,
    /// The orphan; `confirming` while the removal question is open.
    Found {
        credential: PasswordCredential,
        confirming: bool,
    },
    Removing {
        credential: PasswordCredential,
    },
    RemoveFailed {
        credential: PasswordCredential,
        problem: Problem,
    },
    Removed {
        credential: PasswordCredential,
    },
}

/// The Recovery step.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryState {
    pub attempt: Attempt,
    pub phase: RecoveryPhase,
    /// The credential a removal was sent for: if it is no longer found, it was removed, not
    /// "never created".
    removal_sent: Option<PasswordCredential>,
}

impl RecoveryState {
    pub fn checking(attempt: Attempt) -> Self {
        Self {
            attempt,
            phase: RecoveryPhase::Checking,
            removal_sent: None,
        }
    }

    /// The credential this attempt created, if the re-read app has it: same description,
    /// start and end as were sent, and a keyId the app didn't have before.
    pub fn find_orphan(&self, app: &Application) -> Option<PasswordCredential> {
        let new: Vec<PasswordCredential> = app
            .password_credentials
            .iter()
            .filter(|c| !self.attempt.known_key_ids.contains(&c.key_id))
            .cloned()
            .collect();
        rotation::find_created(&new, &self.attempt.new).cloned()
    }

    /// The sentence for what we found (docs/ux.md), times in the user's zone.
    pub fn message(&self, now: &Now) -> String {
        let at = |c: &PasswordCredential| {
            c.start_date_time
                .unwrap_or(self.attempt.new.start)
                .with_timezone(&now.timezone())
                .format("%H:%M")
                .to_string()
        };
        let name = |c: &PasswordCredential| c.display_name.clone().unwrap_or_default();
        match &self.phase {
            RecoveryPhase::Checking => "The connection dropped after the secret may have been \
                created. Checking whether it was…"
                .into(),
            RecoveryPhase::CheckFailed(_) => "The connection dropped after the secret may have \
                been created, and we couldn't check whether it was."
                .into(),
            RecoveryPhase::NotCreated => "The connection dropped while the secret was being \
                created. We checked: no secret was created, so nothing is lost. Try again."
                .into(),
            RecoveryPhase::Found { credential, .. }
            | RecoveryPhase::Removing { credential }
            | RecoveryPhase::RemoveFailed { credential, .. } => format!(
                "The connection dropped after the secret may have been created. We checked: a \
                 secret \"{}\" was created at {} and its value is lost. Remove it?",
                name(credential),
                at(credential)
            ),
            RecoveryPhase::Removed { credential } => format!(
                "Removed the secret \"{}\". Nothing can use it, since nobody ever saw its value. \
                 Create a new one to continue.",
                name(credential)
            ),
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
        let app = match parsed {
            Ok(app) => app,
            Err(p) => {
                if let Some(r) = self.recovery_mut() {
                    r.phase = RecoveryPhase::CheckFailed(p);
                }
                return Vec::new();
            }
        };
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        r.phase = match (r.find_orphan(&app), r.removal_sent.clone()) {
            (Some(credential), _) => RecoveryPhase::Found {
                credential,
                confirming: false,
            },
            (None, Some(credential)) => RecoveryPhase::Removed { credential },
            (None, None) => RecoveryPhase::NotCreated,
        };
        if let Some(ctx) = self.app.as_mut() {
            ctx.app = app;
        }
        Vec::new()
    }

    fn on_remove(&mut self, outcome: Outcome) -> Vec<Effect> {
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        let RecoveryPhase::Removing { credential } = r.phase.clone() else {
            return Vec::new();
        };
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res),
            // We can't tell whether it was removed: look.
            Err(Failure::Network) => return self.recheck(),
            Err(Failure::Auth(m)) => {
                r.phase = RecoveryPhase::RemoveFailed {
                    credential,
                    problem: Problem::new(m),
                };
                return Vec::new();
            }
        };
        match result {
            Ok(()) => {
                r.phase = RecoveryPhase::Removed {
                    credential: credential.clone(),
                };
                if let Some(ctx) = self.app.as_mut() {
                    ctx.app
                        .password_credentials
                        .retain(|c| c.key_id != credential.key_id);
                }
                Vec::new()
            }
            // Perhaps already gone: look rather than guess.
            Err(GraphError::NotFound(_)) => self.recheck(),
            Err(e) => {
                let owners = self
                    .app
                    .as_ref()
                    .map(|c| c.owner_labels())
                    .unwrap_or_default();
                if let Some(r) = self.recovery_mut() {
                    r.phase = RecoveryPhase::RemoveFailed {
                        credential,
                        problem: Problem::from_graph_with_owners(&e, &owners),
                    };
                }
                Vec::new()
            }
        }
    }

    pub(super) fn remove_orphan(&mut self) -> Vec<Effect> {
        if let Some(RecoveryState {
            phase: RecoveryPhase::Found { confirming, .. },
            ..
        }) = self.recovery_mut()
        {
            *confirming = true;
        }
        Vec::new()
    }

    pub(super) fn cancel_remove(&mut self) -> Vec<Effect> {
        if let Some(RecoveryState {
            phase: RecoveryPhase::Found { confirming, .. },
            ..
        }) = self.recovery_mut()
        {
            *confirming = false;
        }
        Vec::new()
    }

    /// Sends removePassword after the user confirmed (or retries a failed removal).
    pub(super) fn confirm_remove(&mut self) -> Vec<Effect> {
        let Some(object_id) = self.app.as_ref().map(|c| c.app.id.clone()) else {
            return Vec::new();
        };
        let base = self.config.graph_base.clone();
        let Some(r) = self.recovery_mut() else {
            return Vec::new();
        };
        let credential = match &r.phase {
            RecoveryPhase::Found {
                credential,
                confirming: true,
            }
            | RecoveryPhase::RemoveFailed { credential, .. } => credential.clone(),
            _ => return Vec::new(),
        };
        r.removal_sent = Some(credential.clone());
        let request = graph::remove_password(&base, &object_id, &credential.key_id);
        r.phase = RecoveryPhase::Removing { credential };
        vec![self.send(Call::Remove, request)]
    }

    pub(super) fn check_again(&mut self) -> Vec<Effect> {
        match self.recovery_mut().map(|r| &r.phase) {
            Some(RecoveryPhase::CheckFailed(_)) => self.recheck(),
            _ => Vec::new(),
        }
    }

    /// After nothing was created, or the orphan was removed: back to the form, with a fresh
    /// default description unless the user wrote their own.
    pub(super) fn create_another(&mut self, now: Now) -> Vec<Effect> {
        let upn = self.upn();
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
                    d.description = attempt_description(&upn, &now);
                }
                d.problem = None;
                Step::Describe(d)
            }
            other => other,
        };
        Vec::new()
    }
}
