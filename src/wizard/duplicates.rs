//! After a successful addPassword, look again: if the browser resent the request (it does so
//! by itself when a reused connection closes before any answer), Graph created more than one
//! secret, and only one value came back. The others are orphans; offer to remove them.

use super::state::{Call, Effect, Failure, Outcome, Problem, Step, Wizard};
use crate::graph::{self, PasswordCredential};

/// What the re-read found besides the secret on screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Duplicates {
    #[default]
    Checking,
    /// None found (or the re-read failed: nothing to say then).
    None,
    Found(Vec<PasswordCredential>),
    /// Removing one at a time; `left` are the keyIds still to go, the first in flight.
    Removing {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    },
    Failed {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
        problem: Problem,
    },
    Removed(Vec<PasswordCredential>),
}

impl Duplicates {
    /// Duplicates still on the app.
    pub fn leftovers(&self) -> Vec<PasswordCredential> {
        match self {
            Duplicates::Found(c) => c.clone(),
            Duplicates::Removing { credentials, left }
            | Duplicates::Failed {
                credentials, left, ..
            } => credentials
                .iter()
                .filter(|c| left.contains(&c.key_id))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl Wizard {
    fn duplicates_mut(&mut self) -> Option<&mut super::create::ShowOnceState> {
        match &mut self.step {
            Step::ShowOnce(s) => Some(s),
            _ => None,
        }
    }

    /// Re-reads the app after a success.
    pub(super) fn verify_created(&mut self) -> Vec<Effect> {
        let Some(id) = self.app.as_ref().map(|c| c.app.id.clone()) else {
            return Vec::new();
        };
        let request = graph::get_application(&self.config.graph_base, &id);
        vec![self.send(Call::Verify, request)]
    }

    pub(super) fn on_duplicates(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        if call == Call::Verify {
            let app = outcome.ok().and_then(|r| graph::parse_application(&r).ok());
            let Some(s) = self.duplicates_mut() else {
                return Vec::new();
            };
            let Some(app) = app else {
                s.duplicates = Duplicates::None;
                return Vec::new();
            };
            let shown = s.credential.key_id.clone();
            let extra: Vec<PasswordCredential> = s
                .attempt
                .created_in(&app)
                .into_iter()
                .filter(|c| c.key_id != shown)
                .collect();
            s.duplicates = if extra.is_empty() {
                Duplicates::None
            } else {
                Duplicates::Found(extra)
            };
            if let Some(ctx) = self.app.as_mut() {
                ctx.app = app;
            }
            return Vec::new();
        }
        let Some(s) = self.duplicates_mut() else {
            return Vec::new();
        };
        let Duplicates::Removing {
            credentials,
            mut left,
        } = s.duplicates.clone()
        else {
            return Vec::new();
        };
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res).map_err(|e| Problem::from_graph(&e)),
            // Unknown whether it went: look again instead of guessing.
            Err(Failure::Network) => return self.verify_created(),
            Err(f) => Err(Problem::from_failure(f)),
        };
        match result {
            Ok(()) => {
                let done = left.remove(0);
                if let Some(ctx) = self.app.as_mut() {
                    ctx.app.password_credentials.retain(|c| c.key_id != done);
                }
                if left.is_empty() {
                    if let Some(s) = self.duplicates_mut() {
                        s.duplicates = Duplicates::Removed(credentials);
                    }
                    Vec::new()
                } else {
                    self.remove_next_duplicate(credentials, left)
                }
            }
            Err(problem) => {
                s.duplicates = Duplicates::Failed {
                    credentials,
                    left,
                    problem,
                };
                Vec::new()
            }
        }
    }

    /// Removes the duplicates (safe: nobody ever received their values).
    pub(super) fn remove_duplicates(&mut self) -> Vec<Effect> {
        let Some(s) = self.duplicates_mut() else {
            return Vec::new();
        };
        let (credentials, left) = match &s.duplicates {
            Duplicates::Found(c) => (c.clone(), c.iter().map(|c| c.key_id.clone()).collect()),
            Duplicates::Failed {
                credentials, left, ..
            } => (credentials.clone(), left.clone()),
            _ => return Vec::new(),
        };
        self.remove_next_duplicate(credentials, left)
    }

    fn remove_next_duplicate(
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
        if let Some(s) = self.duplicates_mut() {
            s.duplicates = Duplicates::Removing { credentials, left };
        }
        vec![self.send(Call::RemoveDuplicate, request)]
    }
}
