//! Federated identity credentials in the wizard: "Do you need a secret at all?".
//!
//! Two parts, both pure reducers on the wizard's runtime (natively tested):
//!
//! - On **Review**, [`listing::FederatedList`] (kept in `ReviewState`): the app's federated
//!   credentials beside its secrets and certificates, each removable after a confirmation, and
//!   the question "Where will the code that uses this credential run?". The question is never
//!   required; "Create a new secret" stays as it is. Choosing one of the first five answers
//!   offers "Set up a federated credential", which opens this step.
//! - The **federated step** ([`FederatedState`], at the stepper's Describe position): the
//!   template picker and its fields (`domain::federated`), every check made before sending
//!   (with what to change), the one `POST` to Graph (`graph::federated`), then the result with
//!   the snippet(s) that use the credential. It never touches Key Vault: there is no secret.
//!
//! Only the service's own refusal says "you can't": 403 is explained with who can, the 21st
//! credential and a duplicate issuer and subject with what to change
//! (`graph::federated::refusal_message`).

pub mod listing;

#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(test)]
mod tests;

use crate::domain::federated::{
    audience_for_graph_base, check_new, snippets, Field, FieldProblem, GitHubScope, GitLabRef, Ids,
    RunPhase, Snippet, TemplateInput, Workload,
};
use crate::graph::federated::{
    create_federated, parse_federated_created, refusal_message, Refused,
};
use crate::graph::FederatedIdentityCredential;
use crate::model::NewFederatedCredential;
use crate::net::HttpRequest;
use crate::runtime::{Failure, Outcome, Problem};

/// Which federated-credential request an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FederatedCall {
    /// The app's credentials (Review).
    List,
    /// The `POST` (the step).
    Create,
    /// A `DELETE` (Review).
    Remove,
}

/// What the user does with federated credentials, on Review and on the step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FederatedMsg {
    /// Review: the answer to "Where will the code … run?".
    Workload(Workload),
    /// Review: "Set up a federated credential".
    SetUp,
    /// Review: "Remove" on the credential with this ID (opens the confirmation).
    AskRemove(String),
    ConfirmRemove,
    CancelRemove,
    /// The step: another template.
    Template(Workload),
    /// The step: a text field changed.
    Edit(Field, String),
    GitHubScope(GitHubScope),
    GitLabRef(GitLabRef),
    RunPhase(RunPhase),
    /// The step: check, then create.
    Create,
}

/// What the federated parts ask of the wizard.
#[derive(Debug, PartialEq)]
pub enum FederatedEffect {
    Send(FederatedCall, HttpRequest),
    /// Open the federated step for this workload.
    Open(Workload),
    /// The step created this credential: Review lists it.
    Created(FederatedIdentityCredential),
}

/// What the step needs to know about the app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AppFacts {
    pub graph_base: String,
    pub object_id: String,
    pub client_id: String,
    pub tenant_id: String,
    pub display_name: String,
    /// Its federated credentials as Review listed them (for the checks before sending).
    pub existing: Vec<FederatedIdentityCredential>,
    /// Its owners' labels (to say who can, on a 403).
    pub owners: Vec<String>,
}

/// Where the step stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    Form,
    /// The `POST` is on its way.
    Creating,
    /// Created: the result and its snippets.
    Created {
        credential: FederatedIdentityCredential,
        snippets: Vec<Snippet>,
    },
}

/// The federated step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FederatedState {
    app: AppFacts,
    input: TemplateInput,
    name: String,
    /// The user typed a name: stop suggesting one.
    name_edited: bool,
    description: String,
    audience: String,
    /// No audience is documented for this cloud: the user must give it.
    audience_undocumented: bool,
    /// Shown after Create was pressed (and kept up to date while editing).
    problems: Vec<FieldProblem>,
    checked: bool,
    phase: Phase,
    /// Graph's refusal or a lost answer, in words.
    problem: Option<Problem>,
}

impl FederatedState {
    pub fn new(app: AppFacts, workload: Workload) -> Self {
        let audience = audience_for_graph_base(&app.graph_base);
        let input = TemplateInput::new(workload);
        Self {
            name: input.suggested_name(),
            input,
            app,
            name_edited: false,
            description: String::new(),
            audience: audience.unwrap_or_default().to_string(),
            audience_undocumented: audience.is_none(),
            problems: Vec::new(),
            checked: false,
            phase: Phase::Form,
            problem: None,
        }
    }

    pub fn input(&self) -> &TemplateInput {
        &self.input
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn audience(&self) -> &str {
        &self.audience
    }

    pub fn audience_undocumented(&self) -> bool {
        self.audience_undocumented
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    pub fn app(&self) -> &AppFacts {
        &self.app
    }

    /// The message beside `field`, once Create has been pressed.
    pub fn problem_of(&self, field: Field) -> Option<&str> {
        self.problems
            .iter()
            .find(|p| p.field == field)
            .map(|p| p.message.as_str())
    }

    /// The issuer and subject the form builds now (shown as a preview), when it builds.
    pub fn preview(&self) -> Option<(String, String)> {
        self.input.build().ok()
    }

    /// The app already has the most credentials Graph documents (20): said before trying, but
    /// Create stays (only Graph's answer refuses).
    pub fn at_limit(&self) -> bool {
        self.app.existing.len() >= crate::domain::federated::MAX_PER_APP
    }

    pub fn update(&mut self, msg: FederatedMsg) -> Vec<FederatedEffect> {
        if matches!(self.phase, Phase::Creating) {
            return Vec::new();
        }
        match msg {
            FederatedMsg::Template(w) => {
                if w != self.input.workload {
                    self.input = TemplateInput::new(w);
                }
            }
            FederatedMsg::Edit(field, text) => self.edit(field, text),
            FederatedMsg::GitHubScope(s) => self.input.github_scope = s,
            FederatedMsg::GitLabRef(r) => self.input.gitlab_ref = r,
            FederatedMsg::RunPhase(p) => self.input.run_phase = p,
            FederatedMsg::Create => return self.create(),
            // Review's messages.
            _ => return Vec::new(),
        }
        if !self.name_edited {
            self.name = self.input.suggested_name();
        }
        if matches!(self.phase, Phase::Created { .. }) {
            return Vec::new();
        }
        if self.checked {
            self.problems = self.check().err().unwrap_or_default();
        }
        Vec::new()
    }

    fn edit(&mut self, field: Field, text: String) {
        let i = &mut self.input;
        match field {
            Field::Repository => i.repository = text,
            Field::Value => i.value = text,
            Field::Issuer => i.issuer = text,
            Field::Namespace => i.namespace = text,
            Field::ServiceAccount => i.service_account = text,
            Field::Organization => i.organization = text,
            Field::Project => i.project = text,
            Field::Workspace => i.workspace = text,
            Field::Subject => i.subject = text,
            Field::Name => {
                self.name_edited = true;
                self.name = text;
            }
            Field::Description => self.description = text,
            Field::Audience => self.audience = text,
        }
    }

    fn check(&self) -> Result<(String, String), Vec<FieldProblem>> {
        check_new(
            &self.input,
            &self.name,
            &self.audience,
            &self.description,
            &self.app.existing,
        )
    }

    fn create(&mut self) -> Vec<FederatedEffect> {
        if !matches!(self.phase, Phase::Form) {
            return Vec::new();
        }
        self.checked = true;
        self.problem = None;
        let (issuer, subject) = match self.check() {
            Ok(pair) => pair,
            Err(problems) => {
                self.problems = problems;
                return Vec::new();
            }
        };
        self.problems.clear();
        let description = self.description.trim();
        let new = NewFederatedCredential {
            name: self.name.trim().to_string(),
            issuer,
            subject,
            audience: self.audience.trim().to_string(),
            description: (!description.is_empty()).then(|| description.to_string()),
        };
        self.phase = Phase::Creating;
        let request = create_federated(&self.app.graph_base, &self.app.object_id, &new);
        vec![FederatedEffect::Send(FederatedCall::Create, request)]
    }

    /// The `POST`'s answer.
    pub fn answer(&mut self, outcome: Outcome) -> Vec<FederatedEffect> {
        if !matches!(self.phase, Phase::Creating) {
            return Vec::new();
        }
        self.phase = Phase::Form;
        let res = match outcome {
            Ok(res) => res,
            Err(Failure::Network) => {
                // The server may have created it: Review's list (read again on the way back)
                // shows whether it did; sending again would meet the duplicate check.
                self.problem = Some(Problem::new(
                    "Microsoft Graph didn't answer, so we don't know whether the credential was \
                     created. Go back to the app to see its federated credentials before trying \
                     again.",
                ));
                return Vec::new();
            }
            Err(f) => {
                self.problem = Some(Problem::from_failure(f));
                return Vec::new();
            }
        };
        match parse_federated_created(&res) {
            Ok(credential) => {
                let ids = Ids {
                    client_id: &self.app.client_id,
                    tenant_id: &self.app.tenant_id,
                };
                let snippets = snippets(&self.input, &credential, &ids);
                self.app.existing.push(credential.clone());
                self.phase = Phase::Created {
                    credential: credential.clone(),
                    snippets,
                };
                vec![FederatedEffect::Created(credential)]
            }
            Err(e) => {
                let at = Refused {
                    app: &self.app.display_name,
                    owners: &self.app.owners,
                    listed: self.app.existing.len(),
                    creating: true,
                };
                let details = e.details();
                self.problem = Some(Problem {
                    message: refusal_message(&e, &at),
                    details: (!details.is_empty()).then_some(details),
                });
                Vec::new()
            }
        }
    }
}
