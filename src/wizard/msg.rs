//! The wizard's inputs: what it needs from config.json ([`WizardConfig`]) and every message its
//! reducer takes ([`Msg`]: user actions and service results), re-exported from `wizard::state`.

use super::effects::{Call, Outcome};
use super::search::Tab;
use crate::domain::lifetime::LifetimeChoice;

/// What the wizard needs from config.json.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WizardConfig {
    /// Graph base, for example `https://graph.microsoft.com` (no `/v1.0`).
    pub graph_base: String,
    pub tenant_id: String,
    /// `policy.maxLifetimeDays`.
    pub max_lifetime_days: u32,
    /// `policy.defaultLifetimeDays`.
    pub default_lifetime_days: u32,
    /// `policy.clipboardClearSeconds`; 0 turns clipboard clearing off (no fingerprint is taken).
    pub clipboard_clear_secs: u32,
}

/// Where the user wants to go when leaving the current step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Leave {
    BackToSearch,
    BackToApp,
    /// Finish the Show-once step (drops the value).
    Finish,
    SignOut,
    /// Another page of the app (the shell's route).
    Navigate(String),
}

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
    // Choose app
    SearchInput(String),
    SearchDue(u64),
    ShowTab(Tab),
    MoreResults,
    /// Choose an application (object ID) from the visible results.
    Pick(String),
    // Review credentials
    Reload,
    StartDescribe,
    // Describe
    DescriptionInput(String),
    Lifetime(LifetimeChoice),
    /// The custom date field's text (`YYYY-MM-DD`, as `<input type=date>` gives it).
    CustomDate(String),
    Create,
    // Show once
    /// The value is on the clipboard (the guard above the pages takes it from here).
    Copied,
    CopyFailed,
    // Recovery
    RemoveOrphan,
    ConfirmRemove,
    CancelRemove,
    CheckAgain,
    CreateAnother,
    /// Remove the copies of the new secret that a browser resend created.
    RemoveDuplicates,
    // Leaving (guarded while the value is neither copied nor stored)
    Leave(Leave),
    ConfirmLeave,
    CancelLeave,
    /// The session ended elsewhere: drop everything.
    SignedOut,
    /// Open an app prepared (hand-off link, overview); see `wizard::prepared`.
    Prepare(super::prepared::Prepared),
    /// The Key Vault step (`crate::vault`; glue in `wizard::vault_step`).
    Vault(crate::vault::VaultMsg),
    /// The directory role template IDs in the sign-in's ID token (`wids`; empty when it has
    /// none), for "who may add a secret" (`domain::access`).
    TokenRoles(Vec<String>),
    /// The Graph permissions the tenant granted (the token's `scp`, one name each): optional
    /// ones such as `Policy.Read.All` unlock reads (`wizard::policy`).
    GraphPermissions(Vec<String>),
}
