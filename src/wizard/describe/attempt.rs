//! One addPassword attempt ([`Attempt`]): what was sent and what the app had before, and what
//! addPassword's answer means ([`AddAnswer`], [`LostAnswer`]).

use super::DescribeState;
use crate::domain::lifetime;
use crate::domain::rotation;
use crate::graph::{
    self, Application, CreatedPassword, GraphError, NewPassword, PasswordCredential,
};
use crate::runtime::{Failure, Outcome, Problem};
use crate::wizard::policy::AppPolicy;

/// One addPassword attempt: what was sent, and what the app had before (to recognise the new
/// credential if the response is lost).
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub(super) new: NewPassword,
    pub(super) known_key_ids: Vec<String>,
    /// The form, to return to.
    pub(super) describe: DescribeState,
}

impl Attempt {
    /// The credentials this attempt created that `app` shows: same description, start and end
    /// as were sent, and keyIds the app didn't have before.
    pub fn created_in(&self, app: &Application) -> Vec<PasswordCredential> {
        app.password_credentials
            .iter()
            .filter(|c| !self.known_key_ids.contains(&c.key_id))
            .filter(|c| rotation::find_created(std::slice::from_ref(*c), &self.new).is_some())
            .cloned()
            .collect()
    }

    /// What was sent.
    pub fn sent(&self) -> &NewPassword {
        &self.new
    }

    /// The form, as it was when Create was clicked.
    pub fn form(&self) -> &DescribeState {
        &self.describe
    }

    /// Back to the form, as it was when Create was clicked.
    pub fn into_form(self) -> DescribeState {
        self.describe
    }

    /// Sorts addPassword's answer.
    pub fn answer(self, outcome: Outcome) -> AddAnswer {
        let res = match outcome {
            Ok(res) => res,
            // The response is lost, not the request: never resend addPassword. Look first.
            Err(Failure::Network) => return AddAnswer::Lost(self, LostAnswer::Dropped),
            Err(Failure::Auth(message)) => {
                return AddAnswer::NotSent(self.back(Problem::new(message)))
            }
        };
        // 500, 502 and 504 don't say whether Graph acted before failing (429 and 503 do, and the
        // executor retries those): the secret may exist, so look before anything is sent again.
        if matches!(res.status, 500 | 502 | 504) {
            let status = res.status;
            return AddAnswer::Lost(self, LostAnswer::ServerError(status));
        }
        match graph::parse_add_password(res) {
            Ok(created) => AddAnswer::Created(self, created),
            Err(e) => AddAnswer::Rejected(self, e),
        }
    }

    /// The lifetime this attempt asked for, in whole days (the choices are whole days).
    pub fn days(&self) -> u32 {
        let days = (self.new.end - self.new.start).num_days();
        u32::try_from(days).unwrap_or(u32::MAX).max(1)
    }

    /// Back to the form with Graph's refusal, worded; `policy` is the app's as it now stands
    /// (the refusal included), `owners` those to name when access was denied.
    pub fn refused(
        mut self,
        e: &GraphError,
        owners: &[String],
        policy: Option<&AppPolicy>,
    ) -> DescribeState {
        if let Some(policy) = policy {
            self.describe.policy = policy.clone();
        }
        let mut problem = Problem::from_graph_with_owners(e, owners);
        if matches!(e, GraphError::PolicyLifetime(_)) {
            // What was tried is a fact; how much less the policy allows is not known.
            problem.message = format!(
                "Your organisation's policy doesn't allow a secret for this app to last \
                 {}, and Microsoft Graph doesn't say how long it may last. Choose a \
                 shorter lifetime.",
                lifetime::days_words(self.days())
            );
        }
        self.back(problem)
    }

    fn back(self, problem: Problem) -> DescribeState {
        self.describe.with_problem(problem)
    }
}

/// What addPassword's answer means.
#[derive(Debug)]
pub enum AddAnswer {
    /// Created: the credential and its value (on to Show once).
    Created(Attempt, CreatedPassword),
    /// No answer, or one that doesn't say whether Graph acted (on to Recovery).
    Lost(Attempt, LostAnswer),
    /// Graph refused it: the wizard notes what that says about the app, then
    /// [`Attempt::refused`] words it.
    Rejected(Attempt, GraphError),
    /// Nothing was sent (no token): back to the form with why.
    NotSent(DescribeState),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use crate::wizard::describe::tests::attempt;
    use serde_json::json;

    #[test]
    fn the_answer_sorts_created_lost_refused_and_not_sent() {
        let lost = attempt().0.answer(Err(Failure::Network));
        assert!(matches!(lost, AddAnswer::Lost(_, LostAnswer::Dropped)));
        let ambiguous = attempt().0.answer(Ok(HttpResponse::new(502, "")));
        assert!(matches!(
            ambiguous,
            AddAnswer::Lost(_, LostAnswer::ServerError(502))
        ));
        let not_sent = attempt()
            .0
            .answer(Err(Failure::Auth("Sign in again.".into())));
        let AddAnswer::NotSent(form) = not_sent else {
            panic!("{not_sent:?}")
        };
        assert_eq!(form.problem().unwrap().message, "Sign in again.");
        let (attempt_, _) = attempt();
        let created = json!({ "keyId": "new", "displayName": attempt_.sent().display_name,
            "secretText": "s3cr3t-value", "hint": "s3c" });
        let answer = attempt_.answer(Ok(HttpResponse::new(200, created.to_string())));
        assert!(matches!(&answer, AddAnswer::Created(_, c) if c.credential.key_id == "new"));
        let refusal = json!({ "error": { "code": "CredentialInvalidLifetimeAsPerAppPolicy",
            "message": "Credential lifetime exceeds the max value allowed as per assigned policy." } });
        let answer = attempt()
            .0
            .answer(Ok(HttpResponse::new(400, refusal.to_string())));
        let AddAnswer::Rejected(rejected, e) = answer else {
            panic!("{answer:?}")
        };
        let form = rejected.refused(&e, &[], None);
        assert!(
            form.problem().unwrap().message.contains("to last 180 days"),
            "{:?}",
            form.problem()
        );
    }
}
