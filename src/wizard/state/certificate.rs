//! The router's part of the certificate credential (`wizard::certificate`): starting the run
//! from Describe, its messages and Graph's answers, lending the PEM to the vault step (in
//! `effects::vault_msg`), and Done once the vault has it.

use super::Wizard;
use crate::runtime::{Outcome, Problem};
use crate::vault::{VaultCall, VaultMsg};
use crate::wizard::certificate::{CertCall, CertificateEffect, CertificateMsg, CertificateState};
use crate::wizard::describe::{CertificateOrder, CredentialKind, DescribeState};
use crate::wizard::done::{DoneEffect, VaultPlace};
use crate::wizard::shared::{Call, Effect};
use crate::wizard::step::Step;

/// The default secret name's ending, and a certificate's.
const SECRET_SUFFIX: &str = "-client-secret";
const CERTIFICATE_SUFFIX: &str = "-certificate";

impl Wizard {
    /// Describe's Create for a certificate: a vault is required (the private key has nowhere
    /// else to go); then the browser makes the key pair.
    pub(super) fn start_certificate(
        &mut self,
        order: CertificateOrder,
        mut form: DescribeState,
    ) -> Vec<Effect> {
        if self.vault.state().selected.is_none() {
            form.set_problem(Problem::new(
                "A certificate's private key is stored in Key Vault and nowhere else: choose a \
                 vault below, then create the certificate.",
            ));
            self.step = Step::Describe(form);
            return Vec::new();
        }
        let app_id = self
            .review
            .as_ref()
            .map_or_else(String::new, |r| r.app().id.clone());
        let state = CertificateState::new(order.clone(), form, &self.config.graph_base, &app_id);
        self.step = Step::Certificate(Box::new(state));
        vec![Effect::MakeCertificate(order)]
    }

    /// Choosing a certificate renames a default secret name nobody edited
    /// (`{app}-client-secret` → `{app}-certificate`), and back.
    pub(super) fn certificate_vault_name(&mut self, kind: CredentialKind) -> Vec<Effect> {
        let name = &self.vault.state().name;
        if name.edited {
            return Vec::new();
        }
        let (from, to) = match kind {
            CredentialKind::Certificate => (SECRET_SUFFIX, CERTIFICATE_SUFFIX),
            CredentialKind::Secret => (CERTIFICATE_SUFFIX, SECRET_SUFFIX),
        };
        match name.text.strip_suffix(from) {
            Some(stem) if !stem.is_empty() => {
                let renamed = format!("{stem}{to}");
                let effects = self.vault_msg(VaultMsg::NameInput(renamed));
                // Still the default: a later choice may rename it again.
                self.vault.keep_name_default();
                effects
            }
            _ => Vec::new(),
        }
    }

    /// Describe on screen with a certificate chosen: the default name is a certificate's.
    pub(super) fn sync_certificate_name(&mut self) -> Vec<Effect> {
        match &self.step {
            Step::Describe(form) if form.kind() == CredentialKind::Certificate => {
                self.certificate_vault_name(CredentialKind::Certificate)
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn certificate_msg(&mut self, msg: CertificateMsg) -> Vec<Effect> {
        let effects = match &mut self.step {
            Step::Certificate(c) => c.update(msg),
            _ => Vec::new(),
        };
        self.certificate_effects(effects)
    }

    pub(super) fn certificate_answer(&mut self, call: CertCall, outcome: Outcome) -> Vec<Effect> {
        let effects = match &mut self.step {
            Step::Certificate(c) => c.answer(call, outcome),
            _ => Vec::new(),
        };
        self.certificate_effects(effects)
    }

    /// The vault step gave the certificate up: read, then send the collection without it.
    pub(super) fn remove_certificate(&mut self) -> Vec<Effect> {
        let effects = match &mut self.step {
            Step::Certificate(c) => c.removal(),
            _ => Vec::new(),
        };
        self.certificate_effects(effects)
    }

    fn certificate_effects(&mut self, effects: Vec<CertificateEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                CertificateEffect::Send(call, request) => {
                    out.push(self.send(Call::Certificate(call), request))
                }
                CertificateEffect::Store => out.extend(self.vault_msg(VaultMsg::Store)),
                CertificateEffect::Back => {
                    self.step = match std::mem::replace(&mut self.step, Step::Choose) {
                        Step::Certificate(c) => Step::Describe(c.into_form()),
                        other => other,
                    };
                }
                // The vault step reads the removal's answer, as it does removePassword's.
                CertificateEffect::RemovalPatch(request) => {
                    out.push(self.send(Call::Vault(VaultCall::RemoveCredential), request))
                }
                // Nothing left to remove: what the removal's 204 would have said.
                CertificateEffect::AlreadyGone => {
                    let done = Ok(crate::net::HttpResponse::new(204, ""));
                    out.extend(self.vault_msg(VaultMsg::Response {
                        call: VaultCall::RemoveCredential,
                        outcome: done,
                    }));
                }
            }
        }
        out
    }

    /// Stored: Done, with the certificate's facts; the PEM is dropped.
    pub(super) fn finish_certificate(&mut self, stored: crate::vault::StoredRef) -> Vec<Effect> {
        let place = VaultPlace::of(self.vault.state());
        self.step = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::Certificate(c) => Step::Done(c.finish(Some(stored)).with_place(place)),
            other => other,
        };
        self.leaving.cancel();
        let effects = match &mut self.step {
            Step::Done(done) => done.start(),
            _ => Vec::new(),
        };
        effects
            .into_iter()
            .map(|DoneEffect::Send(call, request)| self.send(Call::Done(call), request))
            .collect()
    }
}
