//! Pre-flight, before the credential exists: may the caller write secrets to the chosen vault
//! on the path in use, and is the name free, taken (a new version), or held by a deleted secret?
//!
//! ARM path: `Microsoft.KeyVault/vaults/secrets/write` (Key Vault Contributor or Contributor)
//! and `GET {vault}/secrets/{name}`. ARM can't see soft-deleted secrets, so a deleted holder of
//! the name shows up only as the PUT's 409; the UI says so. Data-plane path: the data action
//! `…/secrets/setSecret/action` (Key Vault Secrets Officer) on RBAC vaults, then
//! `GET /deletedsecrets/{name}` and `GET /secrets/{name}/versions` (every page, the newest by
//! `created`: [`keyvault::VersionScan`]) through the gateway or the vault URI, whose failure
//! without an answer is the CORS limit, explained.
//!
//! Before anything is stored, the user confirms ([`Verdict::Confirm`]): a vault a hand-off link
//! named that config.json does not vet (`state::Origin::Link`), and a name that holds another
//! app's secret by its `ClientId` / `AppObjectId` / `ProviderAddress` tags
//! ([`crate::domain::tags::tagged_for`]): storing there adds a version that app then reads.

use chrono::{DateTime, Utc};

use crate::arm::{self, Permission, SECRETS_SET_DATA, SECRETS_WRITE};
use crate::domain::tags::OtherApp;

use super::problem::VaultProblem;

/// One check's progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Check<T> {
    #[default]
    NotStarted,
    Checking,
    Done(T),
    Failed(VaultProblem),
}

impl<T> Check<T> {
    pub fn done(&self) -> Option<&T> {
        match self {
            Check::Done(t) => Some(t),
            _ => None,
        }
    }
}

/// What the caller may do at the vault, from `Microsoft.Authorization/permissions`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permissions {
    /// `Microsoft.KeyVault/vaults/secrets/write`: the ARM path.
    pub arm_write: bool,
    /// `…/secrets/setSecret/action` (data action): the data-plane path on RBAC vaults.
    pub data_write: bool,
}

impl Permissions {
    pub fn from_entries(entries: &[Permission]) -> Self {
        Self {
            arm_write: arm::can(entries, SECRETS_WRITE, false),
            data_write: arm::can(entries, SECRETS_SET_DATA, true),
        }
    }
}

/// Who holds the secret name in the vault.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NameStatus {
    Free,
    /// A live secret: storing adds a new version.
    Exists {
        expires: Option<DateTime<Utc>>,
        /// Its (latest version's) tags name another app: storing replaces what that app reads.
        other_app: Option<OtherApp>,
    },
    /// A soft-deleted secret: storing fails until it is recovered or purged.
    Deleted {
        purge: Option<DateTime<Utc>>,
    },
}

/// The pre-flight result, as Describe shows it inline.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// No vault chosen: the user copies the value themselves.
    NotChosen,
    Checking,
    /// Green: storing will work; notes say what will happen.
    Ready {
        notes: Vec<String>,
    },
    /// Storing would work, once the user has answered each of `asks`: Create and Store wait
    /// until then (or until the user chooses another vault or name, or not to store).
    Confirm {
        asks: Vec<Ask>,
        notes: Vec<String>,
    },
    /// Red: why not, with the fix. Create waits (or the user chooses not to store).
    Blocked(VaultProblem),
}

/// What the user must confirm before anything is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Ask {
    /// The vault came from a hand-off link that the site's config does not vet ("Use this
    /// vault", shown with the vault's subscription and resource group in the vault section).
    LinkVault { vault: String },
    /// The name holds another app's secret ("Replace it").
    Replace {
        vault: String,
        name: String,
        other: OtherApp,
    },
}

/// What the user agreed to replace: this vault, this name, held for this other app. Any
/// change (another vault, name or holder) asks again.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplaceConsent {
    pub vault_id: String,
    pub name: String,
    pub other: OtherApp,
}

impl Ask {
    /// What to do, where Create waits.
    pub fn instruction(&self) -> String {
        match self {
            Ask::LinkVault { vault } => {
                format!("Confirm {vault}, the vault the hand-off link names (\"Use this vault\").")
            }
            Ask::Replace { vault, name, .. } => {
                format!("Confirm that \"{name}\" in {vault} may be replaced (\"Replace it\").")
            }
        }
    }

    /// What the pre-flight says about it.
    pub fn message(&self) -> String {
        match self {
            Ask::LinkVault { vault } => format!(
                "{vault} comes from the hand-off link: check its subscription and resource group \
                 above, then choose \"Use this vault\", or choose another vault."
            ),
            Ask::Replace { vault, name, other } => format!(
                "{vault} already holds \"{name}\" for {} — storing here replaces what that app \
                 reads. Choose another name unless you mean to replace it.",
                other.describe()
            ),
        }
    }

    /// The button that answers it where the pre-flight is shown (the link's vault is answered
    /// beside the vault, in the vault section).
    pub fn action(&self) -> Option<&'static str> {
        match self {
            Ask::LinkVault { .. } => None,
            Ask::Replace { .. } => Some("Replace it"),
        }
    }
}
