//! The Key Vault step's own pure state: messages in, effects out (as data), no I/O.
//!
//! It lives beside the wizard's steps: the vault and secret name are chosen on Describe (with
//! the pre-flight result inline), the push runs from Show once (or right after Create in
//! zero-reveal mode), and the result is shown on Done. The wizard forwards [`VaultMsg`]s here,
//! runs the [`VaultEffect`]s, and hands in a [`StoreContext`](crate::vault::StoreContext)
//! (which borrows the secret value from the Show-once state) only where a request must carry
//! the value.
//!
//! This file holds the state's types and its construction. The transitions are split by flow:
//! `update` routes each message (and holds the small transitions with no flow of their own),
//! `choosing` picks the vault, `listing` fills the vault list, `checking` runs the pre-flight
//! checks, `storing` pushes the secret; `views` holds what the page and the wizard read back.

use crate::config::VaultRef;
use crate::runtime::Tokens;

pub use super::msg::{VaultCall, VaultEffect, VaultMsg};

use super::catalog::{Catalog, VaultOption};
use super::preflight::{Check, NameStatus, Permissions};
use super::problem::VaultProblem;
use super::push::{Push, PushTarget};
use super::settings::VaultConfig;
use super::stored::WritePath;

mod checking;
mod choosing;
mod listing;
mod storing;
mod update;
mod views;

pub use views::LinkVault;

/// The chosen vault and what is known about the caller's rights there.
#[derive(Clone, Debug, PartialEq)]
pub struct Selected {
    pub vault: VaultRef,
    pub info: Check<VaultOption>,
    pub permissions: Check<Permissions>,
    pub origin: Origin,
}

/// Where the chosen vault came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Chosen by the user, vetted by the site (`vault.default`, `vault.allowed`), remembered
    /// from the user's own choice in this session, or named by the user's own data (the
    /// rotation guide's vault copy).
    Chosen,
    /// Named by a hand-off link and not vetted by the site's config. Anyone can write a link,
    /// so the vault is shown with its subscription and resource group, and nothing is created
    /// for it or stored in it (nor is it remembered) until the user confirms it.
    Link { confirmed: bool },
}

/// A vault the wizard was started with (`wizard::Prepared`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreparedVault<'a> {
    /// From the user's own data (the rotation guide): pre-selected like a remembered vault.
    Trusted(&'a str),
    /// From a hand-off link: pre-selected, but it waits for the user's confirmation unless
    /// config.json vets it (`vault.allowed` lists it, or it is `vault.default`).
    Link(&'a str),
}

/// The app the secret is for, as the vault step needs it (names and tags are compared with it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForApp {
    pub display_name: String,
    /// The client ID (`appId`).
    pub client_id: String,
    /// The application object's ID.
    pub object_id: String,
}

/// The secret name field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameField {
    pub text: String,
    /// Typed by the user (a new default won't replace it).
    pub edited: bool,
    pub error: Option<String>,
    pub status: Check<NameStatus>,
}

/// The vault step's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct VaultState {
    /// `None`: the app runs without the Key Vault step.
    pub config: Option<VaultConfig>,
    pub remembered: Option<String>,
    pub catalog: Catalog,
    pub selected: Option<Selected>,
    pub name: NameField,
    /// The path in use: config's mode, until the user switches to ARM.
    pub path: WritePath,
    /// Store without ever showing the value.
    pub zero_reveal: bool,
    pub push: Push,
    /// What is being pushed (frozen at the Store click).
    pub target: Option<PushTarget>,
    /// The removal of the credential awaits the user's confirmation.
    pub confirm_remove: bool,
    pub remove_problem: Option<VaultProblem>,
    /// A calm note for the Describe step (e.g. "the credential was removed").
    pub notice: Option<String>,
    /// The app the secret is for (set when Describe opens).
    pub app: ForApp,
    /// The user agreed to store over another app's secret (this vault, name and holder only).
    pub replace_consent: Option<super::preflight::ReplaceConsent>,
    pub(super) tokens: Tokens,
    pub(super) name_token: Option<u64>,
    /// The data-plane name check's reading of the name's versions (every page).
    pub(super) versions: crate::keyvault::VersionScan,
}

/// How long typing must pause before the name is checked.
pub const NAME_DEBOUNCE_MS: u64 = 400;

impl VaultState {
    /// `remembered`: the vault ID from sessionStorage, if any.
    pub fn new(config: Option<VaultConfig>, remembered: Option<String>) -> Self {
        let path = match config.as_ref().map(VaultConfig::mode) {
            Some(crate::config::VaultMode::DataPlane) => WritePath::DataPlane,
            _ => WritePath::Arm,
        };
        Self {
            config,
            remembered,
            catalog: Catalog::default(),
            selected: None,
            name: NameField::default(),
            path,
            zero_reveal: false,
            push: Push::Idle,
            target: None,
            confirm_remove: false,
            remove_problem: None,
            notice: None,
            app: ForApp::default(),
            replace_consent: None,
            tokens: Tokens::default(),
            name_token: None,
            versions: Default::default(),
        }
    }

    /// A state without a Key Vault step.
    pub fn disabled() -> Self {
        Self::new(None, None)
    }

    pub fn enabled(&self) -> bool {
        self.config.is_some()
    }

    pub(super) fn next_token(&mut self) -> u64 {
        self.tokens.fresh()
    }

    /// While a push is under way or done, the target can't change.
    fn push_locked(&self) -> bool {
        matches!(
            self.push,
            Push::Sending { .. } | Push::Waiting { .. } | Push::Checking { .. } | Push::Stored(_)
        )
    }
}
