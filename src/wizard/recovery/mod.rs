//! Step 3b, Recovery: never lost. When addPassword's answer is lost (or ambiguous: 500, 502,
//! 504), re-read the app, recognise the credentials this attempt created (its unique
//! description, start and end, keyIds the app didn't have before), and offer to remove them,
//! since their values can't be recovered. The app never resends addPassword; the browser itself
//! may have (it repeats a request whose reused connection closed before any answer), so there
//! can be more than one.
//!
//! [`RecoveryState::update`] takes a [`RecoveryMsg`], [`RecoveryState::answer`] a service
//! answer; both return [`RecoveryEffect`]s. The component is [`view::RecoveryStep`].

use super::describe::{Attempt, DescribeState, LostAnswer};
use super::shared::Call;
use crate::graph::{self, Application, GraphError, NewPassword, PasswordCredential};
use crate::net::HttpRequest;
use crate::runtime::{Failure, Now, Outcome, Problem};

#[cfg(target_arch = "wasm32")]
pub mod view;
mod words;

/// The user's actions on the Recovery step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryMsg {
    /// Ask whether to remove the orphans.
    RemoveOrphan,
    /// Remove them (or retry a failed removal).
    ConfirmRemove,
    CancelRemove,
    /// Read the app again after a failed check.
    CheckAgain,
    /// Back to the form, once nothing is lost (nothing created, or the orphans removed).
    CreateAnother,
}

/// What the step asks of the wizard.
#[derive(Debug, PartialEq)]
pub enum RecoveryEffect {
    Send(Call, HttpRequest),
    /// The app as read again.
    AppRead(Application),
    /// An orphan (this keyId) was removed from the app.
    Removed(String),
    /// Nothing is lost: the user may go back to the form ([`RecoveryState::into_form`]).
    CreateAnother,
}

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

/// The Recovery step.
#[derive(Clone, Debug, PartialEq)]
pub struct RecoveryState {
    graph_base: String,
    /// The app's object ID.
    app_object_id: String,
    attempt: Attempt,
    phase: RecoveryPhase,
    cause: LostAnswer,
    /// The orphans a removal was sent for: once they are no longer found they were removed,
    /// not "never created".
    removal_sent: Vec<PasswordCredential>,
}

impl RecoveryState {
    /// Checking what the lost `attempt` did (for `cause`) to the app with this object ID;
    /// [`RecoveryState::recheck`] sends the read.
    pub fn checking(
        graph_base: &str,
        app_object_id: &str,
        attempt: Attempt,
        cause: LostAnswer,
    ) -> Self {
        Self {
            graph_base: graph_base.to_string(),
            app_object_id: app_object_id.to_string(),
            attempt,
            phase: RecoveryPhase::Checking,
            cause,
            removal_sent: Vec::new(),
        }
    }

    pub fn phase(&self) -> &RecoveryPhase {
        &self.phase
    }

    /// What was sent.
    pub fn sent(&self) -> &NewPassword {
        self.attempt.sent()
    }

    /// The step's heading.
    pub fn title(&self) -> &'static str {
        words::title(self.cause)
    }

    /// The orphans the re-read app shows.
    pub fn find_orphans(&self, app: &Application) -> Vec<PasswordCredential> {
        self.attempt.created_in(app)
    }

    /// The sentence for what we found (docs/ux.md), times in the user's zone.
    pub fn message(&self, now: &Now) -> String {
        words::message(self.cause, &self.phase, self.attempt.sent(), now)
    }

    pub fn update(&mut self, msg: RecoveryMsg) -> Vec<RecoveryEffect> {
        match msg {
            RecoveryMsg::RemoveOrphan => self.set_confirming(true),
            RecoveryMsg::CancelRemove => self.set_confirming(false),
            RecoveryMsg::ConfirmRemove => return self.confirm_remove(),
            RecoveryMsg::CheckAgain => {
                if matches!(self.phase, RecoveryPhase::CheckFailed(_)) {
                    return self.recheck();
                }
            }
            RecoveryMsg::CreateAnother => {
                if matches!(
                    self.phase,
                    RecoveryPhase::NotCreated | RecoveryPhase::Removed { .. }
                ) {
                    return vec![RecoveryEffect::CreateAnother];
                }
            }
        }
        Vec::new()
    }

    /// Back to the form, with a fresh default description unless the user wrote their own
    /// (`taken`: the app's descriptions).
    pub fn into_form(
        self: Box<Self>,
        upn: &str,
        now: Now,
        mut taken: Vec<String>,
    ) -> DescribeState {
        taken.push(self.attempt.sent().display_name.clone());
        self.attempt.into_form().again(upn, now, &taken)
    }

    /// Re-reads the app to see what the lost attempt did.
    pub fn recheck(&mut self) -> Vec<RecoveryEffect> {
        self.phase = RecoveryPhase::Checking;
        let request = graph::get_application(&self.graph_base, &self.app_object_id);
        vec![RecoveryEffect::Send(Call::Recheck, request)]
    }

    /// The answer to one of this step's calls (`Recheck`, `Remove`); `owners` are named when
    /// Graph denies the removal.
    pub fn answer(
        &mut self,
        call: Call,
        outcome: Outcome,
        owners: &[String],
    ) -> Vec<RecoveryEffect> {
        match call {
            Call::Recheck => self.on_recheck(outcome),
            _ => self.on_remove(outcome, owners),
        }
    }

    fn on_recheck(&mut self, outcome: Outcome) -> Vec<RecoveryEffect> {
        let app = match Problem::graph(outcome, graph::parse_application) {
            Ok(app) => app,
            Err(p) => {
                self.phase = RecoveryPhase::CheckFailed(p);
                return Vec::new();
            }
        };
        let orphans = self.find_orphans(&app);
        self.phase = match (orphans.is_empty(), self.removal_sent.is_empty()) {
            (false, _) => RecoveryPhase::Found {
                credentials: orphans,
                confirming: false,
            },
            (true, false) => RecoveryPhase::Removed {
                credentials: self.removal_sent.clone(),
            },
            (true, true) => RecoveryPhase::NotCreated,
        };
        vec![RecoveryEffect::AppRead(app)]
    }

    /// Sends removePassword for the first of `left`.
    fn remove_next(
        &mut self,
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    ) -> Vec<RecoveryEffect> {
        let Some(key_id) = left.first() else {
            return Vec::new();
        };
        let request = graph::remove_password(&self.graph_base, &self.app_object_id, key_id);
        self.phase = RecoveryPhase::Removing { credentials, left };
        vec![RecoveryEffect::Send(Call::Remove, request)]
    }

    fn on_remove(&mut self, outcome: Outcome, owners: &[String]) -> Vec<RecoveryEffect> {
        let RecoveryPhase::Removing {
            credentials,
            mut left,
        } = self.phase.clone()
        else {
            return Vec::new();
        };
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res),
            // We can't tell whether it was removed: look rather than guess.
            Err(Failure::Network) => return self.recheck(),
            Err(Failure::Auth(m)) => {
                self.phase = RecoveryPhase::RemoveFailed {
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
                let mut effects = vec![RecoveryEffect::Removed(done)];
                if left.is_empty() {
                    self.phase = RecoveryPhase::Removed { credentials };
                } else {
                    effects.extend(self.remove_next(credentials, left));
                }
                effects
            }
            Err(GraphError::NotFound(_)) => self.recheck(),
            Err(e) => {
                self.phase = RecoveryPhase::RemoveFailed {
                    credentials,
                    left,
                    problem: Problem::from_graph_with_owners(&e, owners),
                };
                Vec::new()
            }
        }
    }

    fn set_confirming(&mut self, value: bool) {
        if let RecoveryPhase::Found { confirming, .. } = &mut self.phase {
            *confirming = value;
        }
    }

    /// Sends removePassword after the user confirmed (or retries a failed removal).
    fn confirm_remove(&mut self) -> Vec<RecoveryEffect> {
        let (credentials, left) = match &self.phase {
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
            if !self.removal_sent.contains(c) {
                self.removal_sent.push(c.clone());
            }
        }
        self.remove_next(credentials, left)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use crate::wizard::describe::tests::{app, attempt, now};

    fn lost(cause: LostAnswer) -> (RecoveryState, Vec<RecoveryEffect>) {
        let mut r = RecoveryState::checking("https://graph.test", "obj-1", attempt().0, cause);
        let effects = r.recheck();
        (r, effects)
    }

    /// The app as re-read, with the credentials the attempt created under these keyIds.
    fn reread(r: &RecoveryState, keys: &[&str]) -> Outcome {
        let mut a = app();
        for key in keys {
            a.password_credentials.push(PasswordCredential {
                key_id: key.to_string(),
                display_name: Some(r.sent().display_name.clone()),
                hint: None,
                start_date_time: Some(r.sent().start),
                end_date_time: Some(r.sent().end),
            });
        }
        Ok(HttpResponse::new(200, serde_json::to_string(&a).unwrap()))
    }

    #[test]
    fn nothing_created_means_the_form_again_with_a_new_description() {
        let (mut r, read) = lost(LostAnswer::ServerError(502));
        assert!(matches!(
            &read[..],
            [RecoveryEffect::Send(Call::Recheck, _)]
        ));
        assert_eq!(r.title(), "Microsoft Graph answered with an error");
        assert!(
            r.update(RecoveryMsg::CreateAnother).is_empty(),
            "not known yet"
        );
        let failed = r.answer(Call::Recheck, Err(Failure::Network), &[]);
        assert!(failed.is_empty() && matches!(r.phase(), RecoveryPhase::CheckFailed(_)));
        assert_eq!(r.update(RecoveryMsg::CheckAgain).len(), 1);
        let answer = reread(&r, &[]);
        assert!(matches!(
            &r.answer(Call::Recheck, answer, &[])[..],
            [RecoveryEffect::AppRead(_)]
        ));
        assert_eq!(r.phase(), &RecoveryPhase::NotCreated);
        assert!(r
            .message(&now())
            .contains("(HTTP 502). We checked: no secret was created"));
        assert_eq!(
            r.update(RecoveryMsg::CreateAnother),
            [RecoveryEffect::CreateAnother]
        );
        let tried = r.sent().display_name.clone();
        let form = Box::new(r).into_form("dan@contoso.example", now(), Vec::new());
        assert_eq!(
            form.description(),
            format!("{tried} (2)"),
            "a description not used yet"
        );
        assert!(form.problem().is_none());
    }

    #[test]
    fn orphans_are_removed_only_once_confirmed() {
        let (mut r, _) = lost(LostAnswer::Dropped);
        let answer = reread(&r, &["k1", "k2"]);
        r.answer(Call::Recheck, answer, &[]);
        assert!(r.message(&now()).contains("2 secrets"));
        assert!(
            r.update(RecoveryMsg::ConfirmRemove).is_empty(),
            "not confirmed yet"
        );
        r.update(RecoveryMsg::RemoveOrphan);
        r.update(RecoveryMsg::CancelRemove);
        assert!(r.update(RecoveryMsg::ConfirmRemove).is_empty(), "cancelled");
        r.update(RecoveryMsg::RemoveOrphan);
        let first = r.update(RecoveryMsg::ConfirmRemove);
        assert!(
            matches!(&first[..], [RecoveryEffect::Send(Call::Remove, req)]
            if req.body.as_deref().is_some_and(|b| b.contains("k1")))
        );
        let denied = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#;
        let owners = ["Dev Dan (dan@contoso.example)".to_string()];
        r.answer(Call::Remove, Ok(HttpResponse::new(403, denied)), &owners);
        let RecoveryPhase::RemoveFailed { problem, left, .. } = r.phase() else {
            panic!("{:?}", r.phase())
        };
        assert!(problem.message.contains("Dev Dan"), "{}", problem.message);
        assert_eq!(left.len(), 2);
        r.update(RecoveryMsg::ConfirmRemove);
        let next = r.answer(Call::Remove, Ok(HttpResponse::new(204, "")), &[]);
        assert!(
            matches!(&next[..], [RecoveryEffect::Removed(k), RecoveryEffect::Send(Call::Remove, _)] if k == "k1")
        );
        // The second removal's answer is lost: look again; both gone means removed.
        let look = r.answer(Call::Remove, Err(Failure::Network), &[]);
        assert!(matches!(
            &look[..],
            [RecoveryEffect::Send(Call::Recheck, _)]
        ));
        let answer = reread(&r, &[]);
        r.answer(Call::Recheck, answer, &[]);
        assert!(
            matches!(r.phase(), RecoveryPhase::Removed { credentials } if credentials.len() == 2)
        );
    }
}
