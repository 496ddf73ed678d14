//! Every message the wizard's reducer takes ([`Msg`]): service answers (numbered, so the
//! router drops stale ones), each step's own messages, leaving, and what the shell reports.

use super::choose::ChooseMsg;
use super::describe::DescribeMsg;
use super::prepared::Prepared;
use super::recovery::RecoveryMsg;
use super::review::remove::RemoveSecretMsg;
use super::review::ReviewMsg;
use super::shared::{Call, Leave};
use super::show_once::ShowOnceMsg;
use crate::runtime::Outcome;

/// User actions and service results.
#[derive(Debug)]
pub enum Msg {
    /// The wizard was mounted for a signed-in user: learn who they are and list apps.
    Start,
    Response {
        call: Call,
        seq: u64,
        outcome: Outcome,
    },
    /// The executor is waiting `secs` before trying a request again (429/503).
    Retrying {
        call: Call,
        seq: u64,
        secs: u64,
    },
    Choose(ChooseMsg),
    Review(ReviewMsg),
    /// Removing a secret from Review's table (`wizard::review::remove`).
    RemoveSecret(RemoveSecretMsg),
    Describe(DescribeMsg),
    ShowOnce(ShowOnceMsg),
    Recovery(RecoveryMsg),
    /// Leaving (guarded while the value is neither copied nor stored).
    Leave(Leave),
    ConfirmLeave,
    CancelLeave,
    /// The session ended elsewhere: drop everything.
    SignedOut,
    /// Open an app prepared (hand-off link, overview); see `wizard::prepared`.
    Prepare(Prepared),
    /// The Key Vault step (`crate::vault`).
    Vault(crate::vault::VaultMsg),
    /// The certificate's run (`wizard::certificate`): what the browser made.
    Certificate(super::certificate::CertificateMsg),
    /// The Done step (`wizard::done`): snippets and the workload's access.
    Done(super::done::DoneMsg),
    /// Federated credentials: Review's list and question, and the federated step
    /// (`wizard::federated`).
    Federated(super::federated::FederatedMsg),
    /// The directory role template IDs in the sign-in's ID token (`wids`; empty when it has
    /// none), for "who may add a secret" (`domain::access`).
    TokenRoles(Vec<String>),
    /// The Graph permissions the tenant granted (the token's `scp`, one name each): optional
    /// ones such as `Policy.Read.All` unlock reads (`wizard::policy`).
    GraphPermissions(Vec<String>),
}
