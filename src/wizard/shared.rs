//! The small types every part of the wizard shares, and nothing else: what it needs from
//! config.json ([`WizardConfig`]), where the user may go ([`Leave`]), which service call an
//! answer belongs to ([`Call`]), and the work the reducer hands the browser shell ([`Effect`]).
//! A leaf: it imports no other module of the wizard, so the steps and the router
//! (`wizard::state`) both use it without an import circle.

use crate::net::HttpRequest;

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

/// Which service call a response belongs to. Only the latest request of each kind counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Me,
    /// The user's role assignments (`wizard::roles`).
    Roles,
    /// The groups the user belongs to (for their role assignments).
    Groups,
    /// The role assignments of those groups, one chunk at a time.
    GroupRoles,
    Search,
    MoreResults,
    MyApps,
    App,
    Owners,
    AddPassword,
    Recheck,
    Remove,
    /// Re-read after a successful addPassword, to spot duplicates.
    Verify,
    RemoveDuplicate,
    /// A request of the Key Vault step (`crate::vault`).
    Vault(crate::vault::VaultCall),
    /// A request of the Done step (`wizard::done`: the workload's access).
    Done(crate::wizard::done::DoneCall),
    /// A federated-credential request (`wizard::federated`: Review's list and removals, the
    /// step's create).
    Federated(crate::wizard::federated::FederatedCall),
    /// `GET /policies/defaultAppManagementPolicy` (with `Policy.Read.All`; `wizard::policy`).
    DefaultPolicy,
    /// `GET /applications/{id}/appManagementPolicies` (likewise).
    AppPolicies,
    /// removePassword for a secret chosen on Review (`wizard::review::remove`).
    RemoveSecret,
    /// A request of the certificate's run (`wizard::certificate`).
    Certificate(crate::wizard::certificate::CertCall),
    /// The app's credential history from the audit log (`wizard::review::history`).
    History,
}

/// The copied value's fingerprint (`domain::clipboard`): the clipboard guard holds this, never
/// the value.
pub use crate::domain::clipboard::Fingerprint;

/// Work for the hook, as data.
#[derive(Debug)]
pub enum Effect {
    /// Send (numbered by `runtime::Requests`), then answer with `Msg::Response { call, seq,
    /// outcome }`. Never auto-retried after a network error when `call` is [`Call::AddPassword`].
    Send {
        call: Call,
        seq: u64,
        request: HttpRequest,
    },
    /// Wait, then send `Msg::Choose(ChooseMsg::Due(token))`.
    Debounce { token: u64, millis: u32 },
    /// The value was copied: hand its fingerprint (never the value) to the shell's clipboard
    /// guard (`app::clipboard`, above the pages), which clears the clipboard later if it still
    /// holds the value, whatever page is open by then.
    ClipboardHolds(Fingerprint),
    /// The copied value is done with (Finish): the clipboard guard clears it now, if the
    /// clipboard still holds it, or says it can't check.
    ClearClipboard,
    /// Make the certificate's key pair and certificate in the browser (WebCrypto), then send
    /// `Msg::Certificate(CertificateMsg::Made(..))` (`wizard::certificate`).
    MakeCertificate(crate::wizard::describe::CertificateOrder),
    /// Sign out of the app (the value has already been dropped).
    SignOut,
    /// Go to another page of the app.
    Navigate(String),
    /// Wait, then send `Msg::Vault(VaultMsg::TimerDue(token))`.
    VaultTimer { token: u64, millis: u64 },
    /// Remember the last chosen vault ID in sessionStorage (the only thing kept there).
    RememberVault(String),
    /// Find out which Graph permissions the tenant granted (the Graph token's `scp`), then send
    /// `Msg::GraphPermissions`. Nothing is sent when that can't be read.
    ReadGraphPermissions,
}
