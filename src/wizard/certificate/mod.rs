//! The certificate credential's run, after Describe (shown where Creating is): the key pair
//! and certificate made in the browser, the certificate added to the app, the PEM stored in
//! Key Vault, then Done. The private key is never on screen and never in storage: it exists
//! only inside the PEM ([`SecretValue`]) this state holds until the vault has it, and is
//! dropped with this state (stored, given up, or left).
//!
//! [`CertificateState`] is the reducer: [`CertificateState::update`] takes what the browser
//! made ([`CertificateMsg`]), [`CertificateState::answer`] Graph's answers ([`CertCall`]); both
//! return [`CertificateEffect`]s. The Graph part (`graph::key_credentials`):
//!
//! 1. read the app's certificates with their `key` (`$select=keyCredentials`);
//! 2. PATCH the whole collection back with the new certificate: every existing one as read;
//! 3. read again to learn the new credential's `keyId` (the PATCH answers 204 with no body),
//!    found by its `customKeyIdentifier` (the thumbprint). An unclear PATCH (no answer, 500,
//!    502, 504) is never resent: this read says whether it happened;
//! 4. the vault step stores the PEM ([`CertificateEffect::Store`]; the wizard lends the PEM as
//!    it lends a secret, `wizard::vault_step::Lend`).
//!
//! If storing fails, the vault step offers to remove the new credential, as zero-reveal does
//! for a secret; for a certificate that is a fresh read and the collection sent back without
//! it ([`CertificateState::removal`], whose PATCH the vault step's removal answer reads).

use super::describe::{CertificateOrder, DescribeState};
use super::done::DoneState;
use crate::domain::certificate::MadeCertificate;
use crate::domain::SecretValue;
use crate::graph::key_credentials::{self as keys, NewKey};
use crate::graph::{GraphError, PasswordCredential};
use crate::net::HttpRequest;
use crate::runtime::{acted_unknown, Outcome, Problem};
use crate::vault::StoredRef;

#[cfg(target_arch = "wasm32")]
pub mod view;

#[cfg(test)]
mod tests;

/// Which of this step's Graph requests an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CertCall {
    /// The app's certificates, with their `key`, before the PATCH.
    Keys,
    /// The PATCH with the new certificate.
    Patch,
    /// The read after the PATCH: is it there, and its `keyId`.
    Verify,
    /// The read before removing it again (storing failed and the user gave it up).
    RemovalKeys,
}

/// What the browser made: the certificate, and the PEM (private key and certificate).
pub struct Made {
    pub certificate: MadeCertificate,
    pub pem: SecretValue,
}

impl std::fmt::Debug for Made {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Made")
            .field("thumbprint", &self.certificate.thumbprint)
            .field("pem", &self.pem)
            .finish()
    }
}

/// Messages for the step.
#[derive(Debug)]
pub enum CertificateMsg {
    /// The browser made the key pair and the certificate, or says why not (no key material).
    Made(Result<Made, String>),
    /// Read again whether the certificate was added (after an unclear answer).
    CheckAgain,
}

/// Where the run is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Phase {
    /// The browser makes the key pair and signs the certificate.
    Making,
    /// Reading the app's certificates.
    Reading,
    /// The PATCH is on its way.
    Adding,
    /// Reading again: `unclear` when the PATCH's answer didn't say whether it happened.
    Verifying { unclear: bool },
    /// The read after an unclear PATCH failed: whether the certificate was added isn't known.
    Unsure,
    /// Added; the vault step stores the PEM.
    Storing,
}

/// What the step asks of the wizard.
#[derive(Debug)]
pub enum CertificateEffect {
    Send(CertCall, HttpRequest),
    /// The certificate is on the app: store the PEM (the vault step, with the PEM lent).
    Store,
    /// Back to the form, with what went wrong (the PEM is dropped).
    Back,
    /// Removing the new credential: send this PATCH as the vault step's removal
    /// (`VaultCall::RemoveCredential`), whose answer the vault step reads.
    RemovalPatch(HttpRequest),
    /// The credential is not on the app any more: nothing to remove.
    AlreadyGone,
}

/// The run's state. Holds the PEM until the vault has it.
#[derive(Debug)]
pub struct CertificateState {
    order: CertificateOrder,
    form: DescribeState,
    graph_base: String,
    app_object_id: String,
    certificate: Option<MadeCertificate>,
    pem: Option<SecretValue>,
    /// What the vault step's tags and Done read: the new credential's `keyId` (once known),
    /// subject and dates, in the shape a secret has.
    credential: PasswordCredential,
    phase: Phase,
    problem: Option<Problem>,
}

impl CertificateState {
    /// Making starts: the shell makes the key pair for `order` (`Effect::MakeCertificate`).
    pub fn new(
        order: CertificateOrder,
        form: DescribeState,
        graph_base: &str,
        app_object_id: &str,
    ) -> Self {
        Self {
            credential: PasswordCredential {
                key_id: String::new(),
                display_name: Some(format!("CN={}", order.common_name.trim())),
                hint: None,
                start_date_time: Some(order.not_before),
                end_date_time: Some(order.not_after),
            },
            order,
            form,
            graph_base: graph_base.to_string(),
            app_object_id: app_object_id.to_string(),
            certificate: None,
            pem: None,
            phase: Phase::Making,
            problem: None,
        }
    }

    pub fn order(&self) -> &CertificateOrder {
        &self.order
    }

    pub fn phase(&self) -> &Phase {
        &self.phase
    }

    /// What went wrong on this step (the form shows refusals; this, what happens here).
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// The certificate, once made.
    pub fn certificate(&self) -> Option<&MadeCertificate> {
        self.certificate.as_ref()
    }

    /// The thumbprint, once made.
    pub fn thumbprint(&self) -> Option<&str> {
        self.certificate.as_ref().map(|c| c.thumbprint.as_str())
    }

    /// The PEM, lent to the vault step for one update at a time while storing.
    pub fn pem(&self) -> Option<&SecretValue> {
        self.pem.as_ref().filter(|_| self.phase == Phase::Storing)
    }

    /// The new credential as the vault step's tags read it.
    pub fn credential(&self) -> &PasswordCredential {
        &self.credential
    }

    /// Back to the form (the PEM is dropped here).
    pub fn into_form(self) -> DescribeState {
        self.form
    }

    /// Stored: Done, with the certificate's facts. The PEM is dropped here.
    pub fn finish(self, stored: Option<StoredRef>) -> DoneState {
        let facts = self.certificate.map(|c| super::done::CertificateFacts {
            thumbprint: c.thumbprint,
            subject: c.subject,
            not_after: c.not_after,
        });
        DoneState::new(self.credential, Vec::new(), stored).with_certificate(facts)
    }

    fn back(&mut self, problem: Problem) -> Vec<CertificateEffect> {
        self.pem = None;
        self.form.set_problem(problem);
        vec![CertificateEffect::Back]
    }

    fn read(&self, call: CertCall) -> CertificateEffect {
        CertificateEffect::Send(
            call,
            keys::get_key_credentials(&self.graph_base, &self.app_object_id),
        )
    }

    /// Applies what the browser made, or "check again".
    pub fn update(&mut self, msg: CertificateMsg) -> Vec<CertificateEffect> {
        match (msg, &self.phase) {
            (CertificateMsg::Made(Ok(made)), Phase::Making) => {
                self.credential.start_date_time = Some(made.certificate.not_before);
                self.credential.end_date_time = Some(made.certificate.not_after);
                self.certificate = Some(made.certificate);
                self.pem = Some(made.pem);
                self.phase = Phase::Reading;
                vec![self.read(CertCall::Keys)]
            }
            (CertificateMsg::Made(Err(why)), Phase::Making) => self.back(Problem::new(why)),
            (CertificateMsg::CheckAgain, Phase::Unsure) => {
                self.problem = None;
                self.phase = Phase::Verifying { unclear: true };
                vec![self.read(CertCall::Verify)]
            }
            _ => Vec::new(),
        }
    }

    /// Graph's answer to one of this step's requests.
    pub fn answer(&mut self, call: CertCall, outcome: Outcome) -> Vec<CertificateEffect> {
        match call {
            CertCall::Keys if self.phase == Phase::Reading => self.on_keys(outcome),
            CertCall::Patch if self.phase == Phase::Adding => self.on_patch(outcome),
            CertCall::Verify => match self.phase {
                Phase::Verifying { unclear } => self.on_verify(outcome, unclear),
                _ => Vec::new(),
            },
            CertCall::RemovalKeys => self.on_removal_keys(outcome),
            _ => Vec::new(),
        }
    }

    fn on_keys(&mut self, outcome: Outcome) -> Vec<CertificateEffect> {
        let read = match outcome {
            Ok(res) => keys::parse_key_credentials(&res).map_err(|e| refused(&e)),
            Err(f) => Err(Problem::from_failure(f)),
        };
        let (existing, cert) = match (read, &self.certificate) {
            (Ok(existing), Some(cert)) => (existing, cert),
            (Err(problem), _) => return self.back(problem),
            (Ok(_), None) => return Vec::new(),
        };
        let new = NewKey {
            key: cert.key_base64(),
            display_name: cert.subject.clone(),
            thumbprint: cert.thumbprint.clone(),
            start: cert.not_before,
            end: cert.not_after,
        };
        let all = existing.with_new_key(&new);
        self.phase = Phase::Adding;
        vec![CertificateEffect::Send(
            CertCall::Patch,
            keys::patch_key_credentials(&self.graph_base, &self.app_object_id, all),
        )]
    }

    fn on_patch(&mut self, outcome: Outcome) -> Vec<CertificateEffect> {
        // The answer is lost, not the request: never resend; look.
        let unclear = acted_unknown(&outcome);
        if !unclear {
            let done = match outcome {
                Ok(res) => keys::parse_patch(&res).map_err(|e| refused(&e)),
                Err(f) => Err(Problem::from_failure(f)),
            };
            if let Err(problem) = done {
                return self.back(problem);
            }
        }
        self.phase = Phase::Verifying { unclear };
        vec![self.read(CertCall::Verify)]
    }

    fn on_verify(&mut self, outcome: Outcome, unclear: bool) -> Vec<CertificateEffect> {
        let read = match outcome {
            Ok(res) => keys::parse_key_credentials(&res).map_err(|e| refused(&e)),
            Err(f) => Err(Problem::from_failure(f)),
        };
        let thumbprint = self.thumbprint().unwrap_or_default().to_string();
        let key = self
            .certificate
            .as_ref()
            .map(MadeCertificate::key_base64)
            .unwrap_or_default();
        match read {
            Ok(keys) => match keys.find(&thumbprint, &key) {
                Some(found) => {
                    self.credential.key_id = found.key_id.clone();
                    self.phase = Phase::Storing;
                    vec![CertificateEffect::Store]
                }
                None if unclear => self.back(Problem::new(
                    "Microsoft Graph's answer was lost, and the app doesn't have the new \
                     certificate: nothing was added. Create it again.",
                )),
                None => self.back(Problem::new(
                    "Microsoft Graph accepted the certificate, but the app doesn't show it. \
                     Nothing was stored; open the app again and check its certificates.",
                )),
            },
            Err(problem) => {
                self.problem = Some(Problem::new(format!(
                    "It isn't known whether the certificate was added to the app: {} \
                     Check again before doing anything else.",
                    problem.message
                )));
                self.phase = Phase::Unsure;
                Vec::new()
            }
        }
    }

    /// Storing failed and the user gives the certificate up: read the certificates, to send
    /// them back without this one.
    pub fn removal(&mut self) -> Vec<CertificateEffect> {
        if self.phase != Phase::Storing {
            return Vec::new();
        }
        // The private key is given up with the credential.
        self.problem = None;
        vec![self.read(CertCall::RemovalKeys)]
    }

    fn on_removal_keys(&mut self, outcome: Outcome) -> Vec<CertificateEffect> {
        let read = match outcome {
            Ok(res) => keys::parse_key_credentials(&res).map_err(|e| refused(&e)),
            Err(f) => Err(Problem::from_failure(f)),
        };
        let thumbprint = self.thumbprint().unwrap_or_default().to_string();
        let key = self
            .certificate
            .as_ref()
            .map(MadeCertificate::key_base64)
            .unwrap_or_default();
        match read {
            Ok(existing) => match existing.without(&thumbprint, &key) {
                Some(all) => vec![CertificateEffect::RemovalPatch(
                    keys::patch_key_credentials(&self.graph_base, &self.app_object_id, all),
                )],
                None => vec![CertificateEffect::AlreadyGone],
            },
            Err(problem) => {
                self.problem = Some(Problem::new(format!(
                    "The new certificate couldn't be removed: {} Try again.",
                    problem.message
                )));
                Vec::new()
            }
        }
    }
}

/// A Graph refusal of this step's read or PATCH, with the remedy.
fn refused(e: &GraphError) -> Problem {
    let mut p = Problem::from_graph(e);
    p.message = keys::refusal_message(e);
    p
}
