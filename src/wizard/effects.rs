//! Effects as data: what the reducer asks the browser shell to do, and what comes back.

use crate::net::{HttpRequest, HttpResponse};

/// Which service call a response belongs to. Only the latest request of each kind counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
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
    /// `GET /policies/defaultAppManagementPolicy` (with `Policy.Read.All`; `wizard::policy`).
    DefaultPolicy,
    /// `GET /applications/{id}/appManagementPolicies` (likewise).
    AppPolicies,
}

/// A request that got no HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Network error, CORS failure or timeout: the server may have acted.
    Network,
    /// No token could be had; the text is the sign-in module's user message.
    Auth(String),
}

/// What the executor hands back for an [`Effect::Send`].
pub type Outcome = Result<HttpResponse, Failure>;

/// A keyed fingerprint of the copied value, to tell later whether the clipboard still holds
/// it without keeping the value. Not reversible; prints nothing.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Fingerprint {
    salt: u64,
    hash: u64,
}

impl Fingerprint {
    pub fn of(salt: u64, text: &str) -> Self {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        salt.hash(&mut h);
        text.hash(&mut h);
        Self {
            salt,
            hash: h.finish(),
        }
    }

    /// True when `text` is the value this fingerprint was taken of.
    pub fn matches(&self, text: &str) -> bool {
        Self::of(self.salt, text) == *self
    }
}

impl std::fmt::Debug for Fingerprint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Fingerprint(<redacted>)")
    }
}

/// Work for the hook, as data.
#[derive(Debug)]
pub enum Effect {
    /// Send, then answer with `Msg::Response { call, seq, outcome }`. Never auto-retried after a
    /// network error when `call` is [`Call::AddPassword`].
    Send {
        call: Call,
        seq: u64,
        request: HttpRequest,
    },
    /// Wait, then send `Msg::SearchDue(token)`.
    Debounce { token: u64, millis: u32 },
    /// Wait, then send `Msg::ClipboardClearDue(token)`.
    ScheduleClipboardClear { token: u64, secs: u32 },
    /// Read the clipboard; if it still holds the value, empty it. If reading is not allowed,
    /// do nothing and say nothing.
    ClearClipboardIfHolds(Fingerprint),
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
