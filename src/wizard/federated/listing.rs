//! Review's federated credentials: the list (read with the app), removing one after a
//! confirmation, and the question "Where will the code that uses this credential run?".

use super::{FederatedCall, FederatedEffect, FederatedMsg};
use crate::domain::federated::Workload;
use crate::graph::federated::{
    delete_federated, list_federated, parse_federated_deleted, parse_federated_list,
    refusal_message, Refused,
};
use crate::graph::FederatedIdentityCredential;
use crate::runtime::{Failure, Outcome, Problem};

/// Where a removal stands.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Removal {
    #[default]
    Idle,
    Confirm(FederatedIdentityCredential),
    Removing(FederatedIdentityCredential),
    Removed(FederatedIdentityCredential),
    Failed(FederatedIdentityCredential, Problem),
}

/// Review's federated credentials and the question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FederatedList {
    /// `None` until read.
    credentials: Option<Vec<FederatedIdentityCredential>>,
    loading: bool,
    problem: Option<Problem>,
    workload: Option<Workload>,
    removal: Removal,
}

/// What the list needs to know about the app to act.
pub struct AppRef<'a> {
    pub graph_base: &'a str,
    pub object_id: &'a str,
    pub display_name: &'a str,
    pub owners: &'a [String],
}

impl FederatedList {
    pub fn credentials(&self) -> Option<&[FederatedIdentityCredential]> {
        self.credentials.as_deref()
    }

    pub fn is_loading(&self) -> bool {
        self.loading
    }

    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    pub fn workload(&self) -> Option<Workload> {
        self.workload
    }

    pub fn removal(&self) -> &Removal {
        &self.removal
    }

    /// Read the list (with the app, on every reload).
    pub fn read(&mut self, graph_base: &str, object_id: &str) -> FederatedEffect {
        self.loading = true;
        FederatedEffect::Send(FederatedCall::List, list_federated(graph_base, object_id))
    }

    /// The step created one.
    pub fn added(&mut self, credential: FederatedIdentityCredential) {
        let list = self.credentials.get_or_insert_with(Vec::new);
        if !list.iter().any(|c| c.id == credential.id) {
            list.push(credential);
        }
    }

    pub fn update(&mut self, msg: FederatedMsg, app: &AppRef) -> Vec<FederatedEffect> {
        match msg {
            FederatedMsg::Workload(w) => self.workload = Some(w),
            FederatedMsg::SetUp => {
                if let Some(w) = self.workload.filter(|w| w.offers_federation()) {
                    return vec![FederatedEffect::Open(w)];
                }
            }
            FederatedMsg::AskRemove(id) => {
                let busy = matches!(self.removal, Removal::Confirm(_) | Removal::Removing(_));
                let found = self
                    .credentials()
                    .and_then(|l| l.iter().find(|c| c.id == id));
                if let (false, Some(c)) = (busy, found) {
                    self.removal = Removal::Confirm(c.clone());
                }
            }
            FederatedMsg::CancelRemove => {
                if matches!(self.removal, Removal::Confirm(_)) {
                    self.removal = Removal::Idle;
                }
            }
            FederatedMsg::ConfirmRemove => {
                if let Removal::Confirm(c) = std::mem::take(&mut self.removal) {
                    let request = delete_federated(app.graph_base, app.object_id, &c.id);
                    self.removal = Removal::Removing(c);
                    return vec![FederatedEffect::Send(FederatedCall::Remove, request)];
                }
            }
            // The step's messages.
            _ => {}
        }
        Vec::new()
    }

    /// An answer to `List` or `Remove`.
    pub fn answer(
        &mut self,
        call: FederatedCall,
        outcome: Outcome,
        app: &AppRef,
    ) -> Vec<FederatedEffect> {
        match call {
            FederatedCall::List => {
                self.loading = false;
                match Problem::graph(outcome, parse_federated_list) {
                    Ok(page) => {
                        self.credentials = Some(page.value);
                        self.problem = None;
                    }
                    Err(p) => self.problem = Some(p),
                }
                Vec::new()
            }
            FederatedCall::Remove => {
                let Removal::Removing(c) = std::mem::take(&mut self.removal) else {
                    return Vec::new();
                };
                let refused = |e| {
                    let at = Refused {
                        app: app.display_name,
                        owners: app.owners,
                        listed: self.credentials().map_or(0, <[_]>::len),
                        creating: false,
                    };
                    refusal_message(e, &at)
                };
                let result = match outcome {
                    Ok(res) => match parse_federated_deleted(&res) {
                        Ok(()) => Ok(()),
                        // Gone already: what was asked is true.
                        Err(crate::graph::GraphError::NotFound(_)) => Ok(()),
                        Err(e) => {
                            let details = e.details();
                            Err(Problem {
                                message: refused(&e),
                                details: (!details.is_empty()).then_some(details),
                            })
                        }
                    },
                    Err(Failure::Network) => Err(Problem::new(
                        "Microsoft Graph didn't answer, so the credential may or may not be gone: \
                         the list below was read again to show which.",
                    )),
                    Err(f) => Err(Problem::from_failure(f)),
                };
                self.removal = match result {
                    Ok(()) => {
                        if let Some(list) = self.credentials.as_mut() {
                            list.retain(|x| x.id != c.id);
                        }
                        Removal::Removed(c)
                    }
                    Err(p) => Removal::Failed(c, p),
                };
                // Read the list again: it is the truth either way.
                vec![self.read(app.graph_base, app.object_id)]
            }
            FederatedCall::Create => Vec::new(),
        }
    }
}
