//! Step 6, Done: what was created, without its value ([`DoneState`], made only by
//! `ShowOnceState::finish`, which drops the value), and what the developer still has to do for
//! their service to read it. The component is [`view::DoneStep`].
//!
//! A small reducer on the wizard's runtime (messages in, effects out as data, natively tested):
//!
//! - **Access for the workload** ([`Workload`]): the service's identity needs Key Vault Secrets
//!   User on the stored secret (`arm::role_assignments`). On a vault that uses Azure RBAC,
//!   [`DoneState::start`] reads the caller's permissions at the secret's scope (the same
//!   `Microsoft.Authorization/permissions` read as the vault pre-flight) for
//!   `Microsoft.Authorization/roleAssignments/write`. The pre-flight only informs: the Grant
//!   button stays, and only ARM's real 403 says "you can't", with who can. The identity is found
//!   by name or client ID among the tenant's service principals (`graph::service_principals`:
//!   managed identities and apps), then the role assignment is `PUT`. A vault that uses access
//!   policies can't use the role: Done says what to do there instead. Without a stored secret
//!   nothing is offered but how to store it next time.
//! - **Snippets** (`domain::snippets`): the code that reads the secret with
//!   `DefaultAzureCredential` in the chosen [`Language`], and the app's environment variables.

use crate::arm::role_assignments::{
    self, assignment_name, is_what_was_asked, put_role_assignment, role_definition_id,
    secret_scope, NewRoleAssignment, PrincipalType, ASSIGN_ACTION, KEY_VAULT_SECRETS_USER,
    WHO_CAN_ASSIGN,
};
use crate::arm::{self, ArmError};
use crate::config::VaultRef;
use crate::domain::snippets::Language;
use crate::graph::service_principals::{
    find_service_principals, parse_service_principals, ServicePrincipal,
};
use crate::graph::PasswordCredential;
use crate::net::HttpRequest;
use crate::runtime::{Outcome, Problem};
use crate::vault::{StoredRef, VaultState};

mod grant;
pub use grant::*;

#[cfg(target_arch = "wasm32")]
pub mod view;

/// Which request of Done an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DoneCall {
    /// The caller's permissions at the secret's scope.
    Permissions,
    /// Service principals by name.
    Search,
    /// The role assignment `PUT`.
    Assign,
}

/// What Done is told.
#[derive(Clone, Debug, PartialEq)]
pub enum DoneMsg {
    /// The snippets' language tab.
    Language(Language),
    /// The identity search field.
    Query(String),
    Search,
    /// Pick a found identity (by object ID).
    Choose(String),
    /// Grant the role to the chosen identity; `bits`: 128 random bits for the assignment's name.
    Assign {
        bits: u128,
    },
    Response {
        call: DoneCall,
        outcome: Outcome,
    },
}

/// Work for the wizard to run.
#[derive(Debug)]
pub enum DoneEffect {
    Send(DoneCall, HttpRequest),
}

/// Where the stored secret lives, as the role assignment needs it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultPlace {
    /// The vault's ARM resource ID.
    pub vault_id: String,
    pub vault_name: String,
    pub subscription_id: String,
    /// `enableRbacAuthorization`; `None` when the vault's properties were not read.
    pub rbac: Option<bool>,
    /// `properties.vaultUri`.
    pub vault_uri: Option<String>,
    pub arm_base: String,
    pub graph_base: String,
}

impl VaultPlace {
    /// The vault the secret was pushed to (the push target), with what the vault step read of
    /// it; `None` when nothing was pushed.
    pub fn of(vault: &VaultState) -> Option<Self> {
        let config = vault.config.as_ref()?;
        let target = vault.target.as_ref()?;
        let parsed = VaultRef::parse(&target.vault_id)?;
        let info = vault
            .selected
            .as_ref()
            .and_then(|s| s.info.done())
            .filter(|o| o.id.eq_ignore_ascii_case(&target.vault_id));
        Some(Self {
            vault_id: target.vault_id.clone(),
            vault_name: target.vault_name.clone(),
            subscription_id: parsed.subscription_id,
            rbac: info.map(|o| o.rbac),
            vault_uri: info.and_then(|o| o.vault_uri.clone()),
            arm_base: config.arm_base.clone(),
            graph_base: config.graph_base.clone(),
        })
    }
}

/// What Done offers for the workload's access.
#[derive(Clone, Debug, PartialEq)]
pub enum Workload {
    /// Nothing was stored in Key Vault: say how to store it next time.
    NotStored,
    /// The vault uses access policies: the role would do nothing there.
    AccessPolicies {
        vault_name: String,
    },
    Rbac(Box<Grant>),
}

/// A certificate credential's facts for Done (`wizard::certificate`): no key material.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateFacts {
    /// SHA-1 of the certificate, upper-case hex (the app's `customKeyIdentifier`).
    pub thumbprint: String,
    /// `CN=…`
    pub subject: String,
    pub not_after: chrono::DateTime<chrono::Utc>,
}

/// After Finish: what was created, without its value.
#[derive(Clone, Debug, PartialEq)]
pub struct DoneState {
    /// The credential is a certificate (its PEM stored in Key Vault), not a secret.
    certificate: Option<CertificateFacts>,
    credential: PasswordCredential,
    /// Duplicates of the new secret (from a browser resend) still on the app.
    leftover_duplicates: Vec<PasswordCredential>,
    /// Where the secret was stored in Key Vault, if it was.
    stored: Option<StoredRef>,
    workload: Workload,
    language: Language,
}

impl DoneState {
    pub fn new(
        credential: PasswordCredential,
        leftover_duplicates: Vec<PasswordCredential>,
        stored: Option<StoredRef>,
    ) -> Self {
        Self {
            certificate: None,
            credential,
            leftover_duplicates,
            stored,
            workload: Workload::NotStored,
            language: Language::DotNet,
        }
    }

    /// A certificate credential's Done: its facts (`wizard::certificate`).
    pub fn with_certificate(mut self, facts: Option<CertificateFacts>) -> Self {
        self.certificate = facts;
        self
    }

    /// The certificate's facts, when the credential is one.
    pub fn certificate(&self) -> Option<&CertificateFacts> {
        self.certificate.as_ref()
    }

    /// With the vault the secret was stored in (`None`: not stored). Access is offered only for
    /// a stored secret in that vault.
    pub fn with_place(mut self, place: Option<VaultPlace>) -> Self {
        self.workload = match (place, &self.stored) {
            (Some(place), Some(stored))
                if stored.vault_name.eq_ignore_ascii_case(&place.vault_name) =>
            {
                if place.rbac == Some(false) {
                    Workload::AccessPolicies {
                        vault_name: place.vault_name,
                    }
                } else {
                    Workload::Rbac(Box::new(Grant {
                        scope: secret_scope(&place.vault_id, &stored.secret_name),
                        secret_name: stored.secret_name.clone(),
                        place,
                        may_assign: Progress::Idle,
                        query: String::new(),
                        found: Progress::Idle,
                        chosen: None,
                        assign: Progress::Idle,
                        asked: None,
                    }))
                }
            }
            _ => Workload::NotStored,
        };
        self
    }

    /// The new secret (never its value).
    pub fn credential(&self) -> &PasswordCredential {
        &self.credential
    }

    pub fn leftover_duplicates(&self) -> &[PasswordCredential] {
        &self.leftover_duplicates
    }

    /// Where the secret was stored in Key Vault, if it was.
    pub fn stored(&self) -> Option<&StoredRef> {
        self.stored.as_ref()
    }

    pub fn workload(&self) -> &Workload {
        &self.workload
    }

    /// The snippets' language.
    pub fn language(&self) -> Language {
        self.language
    }

    /// The vault URI for the snippets: the vault's `vaultUri`, else the part of the checked
    /// secret URI before `/secrets/`.
    pub fn vault_uri(&self) -> Option<String> {
        let from_place = match &self.workload {
            Workload::Rbac(g) => g.place.vault_uri.clone(),
            _ => None,
        };
        from_place.or_else(|| {
            self.stored
                .as_ref()
                .and_then(StoredRef::checked_uri)
                .and_then(crate::domain::snippets::vault_uri_of)
        })
    }

    /// On arrival: the pre-flight for the role assignment, when one can be offered.
    pub fn start(&mut self) -> Vec<DoneEffect> {
        let Workload::Rbac(g) = &mut self.workload else {
            return Vec::new();
        };
        g.may_assign = Progress::Working;
        vec![DoneEffect::Send(
            DoneCall::Permissions,
            arm::vault_permissions(&g.place.arm_base, &g.scope),
        )]
    }

    pub fn update(&mut self, msg: DoneMsg) -> Vec<DoneEffect> {
        if let DoneMsg::Language(l) = msg {
            self.language = l;
            return Vec::new();
        }
        let Workload::Rbac(g) = &mut self.workload else {
            return Vec::new();
        };
        match msg {
            DoneMsg::Language(_) => Vec::new(),
            DoneMsg::Query(q) => {
                g.query = q;
                Vec::new()
            }
            DoneMsg::Search => {
                let q = g.query.trim();
                if q.is_empty() {
                    g.found = Progress::Failed(Problem::new(
                        "Type the start of the identity's name, or its client ID.",
                    ));
                    return Vec::new();
                }
                g.found = Progress::Working;
                vec![DoneEffect::Send(
                    DoneCall::Search,
                    find_service_principals(&g.place.graph_base, q),
                )]
            }
            DoneMsg::Choose(id) => {
                if let Progress::Done(found) = &g.found {
                    if let Some(sp) = found.iter().find(|s| s.id == id) {
                        g.chosen = Some(sp.clone());
                        g.assign = Progress::Idle;
                    }
                }
                Vec::new()
            }
            DoneMsg::Assign { bits } => {
                let Some(sp) = &g.chosen else {
                    return Vec::new();
                };
                if matches!(g.assign, Progress::Working) {
                    return Vec::new(); // one at a time
                }
                let new = NewRoleAssignment {
                    scope: g.scope.clone(),
                    name: assignment_name(bits),
                    role_definition_id: role_definition_id(
                        &g.place.subscription_id,
                        KEY_VAULT_SECRETS_USER,
                    ),
                    principal_id: sp.id.clone(),
                    principal_type: PrincipalType::ServicePrincipal,
                };
                let request = put_role_assignment(&g.place.arm_base, &new);
                g.asked = Some(new);
                g.assign = Progress::Working;
                vec![DoneEffect::Send(DoneCall::Assign, request)]
            }
            DoneMsg::Response { call, outcome } => {
                g.answer(call, outcome);
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests;
