//! The vault step's messages in ([`VaultMsg`]), the requests they belong to ([`VaultCall`]) and
//! its work out, as data ([`VaultEffect`]); the reducer is `vault::state`.

use crate::net::HttpRequest;
use crate::runtime::Outcome;

use super::stored::StoredRef;

/// Which vault-step request an answer belongs to. Only the latest of each kind counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum VaultCall {
    Subscriptions,
    /// The vaults of the subscription at this index.
    Vaults(u16),
    /// The selected vault's own properties.
    Vault,
    /// The caller's permissions at the selected vault.
    Permissions,
    /// Whether a live secret holds the name.
    NameExists,
    /// Whether a soft-deleted secret holds the name (data plane only).
    NameDeleted,
    /// The secret PUT.
    Push,
    /// After an unclear push: does the latest version carry this credential's keyId?
    Check,
    /// Graph removePassword, when storing failed and the user gives the credential up.
    RemoveCredential,
}

/// User actions and answers for the vault step.
#[derive(Debug)]
pub enum VaultMsg {
    /// Reload the subscriptions and vaults.
    Reload,
    Query(String),
    /// Choose a vault by resource ID.
    Select(String),
    /// Don't store in Key Vault: the user will copy the value.
    DontStore,
    /// "Use this vault": the user confirms the vault a hand-off link named.
    ConfirmVault,
    /// "Replace it": store over the other app's secret that the name holds.
    ConfirmReplace,
    NameInput(String),
    ZeroReveal(bool),
    /// Store through ARM instead of the data plane (for this session).
    UseArmPath,
    /// Run the pre-flight checks again.
    Recheck,
    TimerDue(u64),
    /// "Store in Key Vault" (also "Try again").
    Store,
    /// Zero-reveal storing failed: remove the new credential (asks first).
    RemoveCredential,
    ConfirmRemove,
    CancelRemove,
    Response {
        call: VaultCall,
        outcome: Outcome,
    },
}

/// Work for the wizard, as data.
#[derive(Debug)]
pub enum VaultEffect {
    Send {
        call: VaultCall,
        request: HttpRequest,
    },
    /// Remember this vault ID in sessionStorage (nothing else is remembered).
    Remember(String),
    /// Wait, then send `VaultMsg::TimerDue(token)`.
    Timer { token: u64, millis: u64 },
    /// The secret is in the vault: the wizard moves on to Done (dropping the value).
    Stored(StoredRef),
    /// The credential was removed from the app: the wizard drops the value.
    CredentialRemoved { key_id: String },
    /// A certificate is given up: the wizard reads its certificates and sends them back
    /// without it, as [`VaultCall::RemoveCredential`] (`wizard::certificate`).
    RemoveCertificate,
}

impl VaultEffect {
    pub fn send(call: VaultCall, request: HttpRequest) -> Self {
        VaultEffect::Send { call, request }
    }
}
