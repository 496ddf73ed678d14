//! The second action: removing the secrets a renewal replaced, one at a time, after a
//! confirmation that lists them. Each is checked again just before: the vault secret's latest
//! version must no longer hold it (its copy has moved on), and the app must still have the
//! secret that replaced it, working. Otherwise it is kept, with why. Any other renewal of it
//! that the vault doesn't hold goes too: an orphan whose value nobody has (Graph's reads may
//! lag its writes, so a run's check right after a lost answer can miss one).

use chrono::{DateTime, Utc};

use super::select::Replaced;
use crate::arm;
use crate::domain::renewal;
use crate::domain::rotation::is_active;
use crate::graph::{self, GraphError};
use crate::net::HttpRequest;
use crate::runtime::{acted_unknown, Outcome, Problem};

/// How one removal ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Removed {
    Removed,
    /// The app no longer had it.
    AlreadyGone,
    Kept(String),
}

impl Removed {
    pub fn key(&self) -> &'static str {
        match self {
            Removed::Removed => "removed",
            Removed::AlreadyGone => "gone",
            Removed::Kept(_) => "kept",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Step {
    Queued,
    ReadVault,
    /// `after_lost`: a removal's answer was lost; the app says whether it happened.
    ReadApp {
        after_lost: bool,
    },
    /// `unclear`: sent again after a lost answer (a second lost answer ends it).
    Remove {
        unclear: bool,
    },
    Done(Removed),
}

/// The removals, one at a time.
#[derive(Clone, Debug, PartialEq)]
pub struct Removal {
    graph_base: String,
    arm_base: String,
    pub items: Vec<(Replaced, Option<Removed>)>,
    current: usize,
    step: Step,
    /// The current item's secrets still to remove: the replaced one, then any other renewal of
    /// it that the vault doesn't hold (an orphan whose value nobody has, left where a read came
    /// too soon after a write for Graph to show it).
    to_remove: Vec<String>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl Removal {
    pub fn new(graph_base: &str, arm_base: &str, list: Vec<Replaced>) -> Self {
        Self {
            graph_base: graph_base.to_string(),
            arm_base: arm_base.to_string(),
            items: list.into_iter().map(|r| (r, None)).collect(),
            current: 0,
            step: Step::Queued,
            to_remove: Vec::new(),
        }
    }

    pub fn is_done(&self) -> bool {
        self.current >= self.items.len()
    }

    /// The first request (none for an empty list).
    pub fn start(&mut self) -> Option<HttpRequest> {
        self.step = Step::ReadVault;
        self.request()
    }

    fn request(&self) -> Option<HttpRequest> {
        let (r, _) = self.items.get(self.current)?;
        Some(match self.step {
            Step::ReadVault => {
                arm::get_secret(&self.arm_base, &r.copy.vault_id, &r.copy.secret_name)
            }
            Step::ReadApp { .. } => graph::get_application(&self.graph_base, &r.object_id),
            Step::Remove { .. } => {
                graph::remove_password(&self.graph_base, &r.object_id, self.to_remove.first()?)
            }
            Step::Queued | Step::Done(_) => return None,
        })
    }

    /// The current removal's answer; returns the next request, if any.
    pub fn answer(&mut self, outcome: Outcome, now: DateTime<Utc>) -> Option<HttpRequest> {
        let (r, _) = self.items.get(self.current)?;
        let r = r.clone();
        self.step = match std::mem::replace(&mut self.step, Step::Queued) {
            Step::ReadVault => match outcome_ok(outcome).map(|res| arm::parse_secret(&res)) {
                Ok(Ok(secret)) => {
                    let holds = crate::domain::tags::tag(&secret.tags, "CredentialId")
                        .unwrap_or_default()
                        .to_string();
                    if same(&holds, &r.old_key_id) {
                        Step::Done(Removed::Kept(format!(
                            "The vault secret {}/{} still holds it.",
                            r.copy.vault_name, r.copy.secret_name
                        )))
                    } else {
                        Step::ReadApp { after_lost: false }
                    }
                }
                Ok(Err(e)) => Step::Done(Removed::Kept(
                    crate::vault::problem::from_arm(&e, &r.copy.vault_name, &r.copy.secret_name)
                        .message,
                )),
                Err(words) => Step::Done(Removed::Kept(words)),
            },
            Step::ReadApp { after_lost } => {
                match outcome_ok(outcome).map(|res| graph::parse_application(&res)) {
                    Ok(Ok(app)) => {
                        let creds = &app.password_credentials;
                        let new_works = creds
                            .iter()
                            .any(|c| same(&c.key_id, &r.new_key_id) && is_active(c, &now));
                        let old_there = creds.iter().any(|c| same(&c.key_id, &r.old_key_id));
                        self.to_remove = creds
                            .iter()
                            .filter(|c| {
                                same(&c.key_id, &r.old_key_id)
                                    || (!same(&c.key_id, &r.new_key_id)
                                        && renewal::renews(
                                            c.display_name.as_deref(),
                                            &r.old_key_id,
                                        ))
                            })
                            .map(|c| c.key_id.clone())
                            .collect();
                        if old_there && !new_works {
                            Step::Done(Removed::Kept(format!(
                                "The secret that replaced it ({}) is not on the app or no longer \
                                 works.",
                                r.new_key_id
                            )))
                        } else if self.to_remove.is_empty() {
                            Step::Done(if after_lost {
                                Removed::Removed
                            } else {
                                Removed::AlreadyGone
                            })
                        } else {
                            Step::Remove {
                                unclear: after_lost,
                            }
                        }
                    }
                    Ok(Err(e)) => Step::Done(Removed::Kept(Problem::from_graph(&e).message)),
                    Err(words) => Step::Done(Removed::Kept(words)),
                }
            }
            Step::Remove { unclear } => {
                if acted_unknown(&outcome) && !unclear {
                    // Removed or not: the app, read again, says.
                    Step::ReadApp { after_lost: true }
                } else {
                    match outcome_ok(outcome).map(|res| graph::parse_remove_password(&res)) {
                        Ok(Ok(())) | Ok(Err(GraphError::NotFound(_)))
                            if self.to_remove.len() > 1 =>
                        {
                            self.to_remove.remove(0);
                            Step::Remove { unclear }
                        }
                        Ok(Ok(())) => Step::Done(Removed::Removed),
                        Ok(Err(GraphError::NotFound(_))) => Step::Done(Removed::AlreadyGone),
                        Ok(Err(e)) => Step::Done(Removed::Kept(Problem::from_graph(&e).message)),
                        Err(words) => Step::Done(Removed::Kept(words)),
                    }
                }
            }
            other => other,
        };
        if let Step::Done(result) = &self.step {
            self.items[self.current].1 = Some(result.clone());
            self.current += 1;
            self.step = if self.is_done() {
                Step::Queued
            } else {
                Step::ReadVault
            };
        }
        self.request()
    }
}

fn outcome_ok(outcome: Outcome) -> Result<crate::net::HttpResponse, String> {
    outcome.map_err(|f| Problem::from_failure(f).message)
}
