//! The wizard's routing for federated credentials (`wizard::federated`): Review's list (read with
//! the app), its question and removals, and the federated step's create; their effects turned
//! into the wizard's.

use super::Wizard;
use crate::runtime::{Now, Outcome};
use crate::wizard::federated::listing::AppRef;
use crate::wizard::federated::{
    AppFacts, FederatedCall, FederatedEffect, FederatedMsg, FederatedState,
};
use crate::wizard::shared::{Call, Effect};
use crate::wizard::step::Step;

impl Wizard {
    /// Reads the chosen app's federated credentials (beside every read of the app itself).
    pub(super) fn read_federated(&mut self) -> Vec<Effect> {
        let Some(review) = self.review.as_mut() else {
            return Vec::new();
        };
        let (base, id) = (review.graph_base().to_string(), review.app().id.clone());
        let effect = review.federated_mut().read(&base, &id);
        self.federated_effects(vec![effect])
    }

    /// A message for Review's federated part (on Review) or the federated step.
    pub(super) fn federated_msg(&mut self, msg: FederatedMsg, _now: Now) -> Vec<Effect> {
        let effects = match &mut self.step {
            Step::Federated(step) => step.update(msg),
            Step::Review => {
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let owners = review.owner_labels();
                let (base, app) = (review.graph_base().to_string(), review.app().clone());
                let at = AppRef {
                    graph_base: &base,
                    object_id: &app.id,
                    display_name: &app.display_name,
                    owners: &owners,
                };
                review.federated_mut().update(msg, &at)
            }
            _ => Vec::new(),
        };
        self.federated_effects(effects)
    }

    /// An answer to a federated-credential request.
    pub(super) fn federated_answer(
        &mut self,
        call: FederatedCall,
        outcome: Outcome,
    ) -> Vec<Effect> {
        let effects = match call {
            FederatedCall::Create => match &mut self.step {
                Step::Federated(step) => step.answer(outcome),
                _ => Vec::new(),
            },
            FederatedCall::List | FederatedCall::Remove => {
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let owners = review.owner_labels();
                let (base, app) = (review.graph_base().to_string(), review.app().clone());
                let at = AppRef {
                    graph_base: &base,
                    object_id: &app.id,
                    display_name: &app.display_name,
                    owners: &owners,
                };
                review.federated_mut().answer(call, outcome, &at)
            }
        };
        self.federated_effects(effects)
    }

    fn federated_effects(&mut self, effects: Vec<FederatedEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                FederatedEffect::Send(call, request) => {
                    out.push(self.send(Call::Federated(call), request))
                }
                FederatedEffect::Open(workload) => {
                    // From Review only, and only when the user may change the app's credentials
                    // as far as known (Graph's own answer decides in the end).
                    if !matches!(self.step, Step::Review) || !self.access().allows_create() {
                        continue;
                    }
                    let Some(review) = self.review.as_ref() else {
                        continue;
                    };
                    let app = review.app();
                    let facts = AppFacts {
                        graph_base: review.graph_base().to_string(),
                        object_id: app.id.clone(),
                        client_id: app.app_id.clone(),
                        tenant_id: self.config.tenant_id.clone(),
                        display_name: app.display_name.clone(),
                        existing: review
                            .federated()
                            .credentials()
                            .unwrap_or_default()
                            .to_vec(),
                        owners: review.owner_labels(),
                    };
                    self.step = Step::Federated(Box::new(FederatedState::new(facts, workload)));
                }
                FederatedEffect::Created(credential) => {
                    if let Some(review) = self.review.as_mut() {
                        review.federated_mut().added(credential);
                    }
                }
            }
        }
        out
    }
}
