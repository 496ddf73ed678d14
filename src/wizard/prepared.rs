//! Starting the wizard prepared: for a hand-off link (straight to Describe, lifetime chosen)
//! or from the expiry overview (the app's Review page).
//!
//! The run itself is the router's (`wizard::state`), since it crosses steps:
//! [`Msg::Prepare`](super::Msg::Prepare) searches for the app by client ID; when the answer
//! lands it is picked; once the app, its owners and the user's roles are known and a secret may
//! be added, Describe opens with the lifetime pre-selected. If the app is not visible, the
//! Choose step shows the empty search for that client ID; if the user may not add a secret,
//! Review says why and who can. Nothing is ever created without the user's Create click.

use crate::domain::lifetime::LifetimeChoice;

/// Where to take the wizard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The app's client ID (`appId`).
    pub app_id: String,
    /// Lifetime to pre-select on Describe.
    pub choice: Option<LifetimeChoice>,
    /// Go on to Describe (a hand-off link) rather than stop at Review (the overview).
    pub describe: bool,
    /// Vault resource ID from a hand-off link (or the rotation guide), for the Key Vault step.
    pub vault_id: Option<String>,
    /// `vault_id` came from a hand-off link (anyone can write one): unless config.json vets it,
    /// the Key Vault step waits for the user to confirm it (`vault::Origin::Link`).
    pub vault_from_link: bool,
    /// Key Vault secret name from a hand-off link, for the Key Vault step.
    pub secret_name: Option<String>,
    /// What the page says above the steps while this run lasts (a hand-off link's summary).
    pub note: Option<String>,
}
