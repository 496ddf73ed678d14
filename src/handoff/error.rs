//! Why a hand-off link was refused, in words that say what to do.

use crate::domain::naming::SecretNameError;

/// Why a hand-off link was refused. Nothing is prepared when a link is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HandoffError {
    /// Longer than any link the app makes.
    TooLong,
    /// Broken percent-encoding, or text that is not UTF-8.
    Malformed,
    /// A parameter the app does not know (its name, shortened and made printable).
    UnknownParameter(String),
    /// A parameter named like a credential (`secret`, `token`, …): links never carry one.
    CarriesCredential(String),
    Duplicate(&'static str),
    /// A hand-off parameter without `handoff=v1`.
    MissingVersion,
    UnsupportedVersion(String),
    MissingApp,
    /// `app` is not a GUID client ID.
    InvalidApp,
    /// `days` is not a whole number from 1 to the maximum.
    InvalidDays {
        max_days: u32,
    },
    /// `until` is not a `YYYY-MM-DD` date.
    InvalidDate,
    /// `until` is today or earlier, or beyond the maximum.
    DateOutOfRange {
        max_days: u32,
    },
    BothDaysAndUntil,
    /// `vault` is not a Key Vault resource ID.
    InvalidVault,
    /// A vault that config.json does not allow (its name).
    VaultNotAllowed(String),
    InvalidName(SecretNameError),
}

const ASK: &str = "Ask the person who sent it for a new link; nothing was prepared.";

impl HandoffError {
    /// What the user reads: what is wrong with the link, and what to do.
    pub fn user_message(&self) -> String {
        format!("This hand-off link can't be used: {}. {ASK}", self.reason())
    }

    /// Only what is wrong ("its lifetime (\"days\") must be …"), for the admin's form.
    pub fn reason(&self) -> String {
        match self {
            HandoffError::TooLong => "it is longer than any link this site makes".to_string(),
            HandoffError::Malformed => "part of it is garbled".to_string(),
            HandoffError::UnknownParameter(name) => {
                format!("it has a part this site doesn't know: \"{name}\"")
            }
            HandoffError::CarriesCredential(name) => format!(
                "it has a part named \"{name}\", and hand-off links never carry secrets or tokens"
            ),
            HandoffError::Duplicate(name) => format!("it names \"{name}\" more than once"),
            HandoffError::MissingVersion => "it is missing \"handoff=v1\"".to_string(),
            HandoffError::UnsupportedVersion(v) => {
                format!("it is a version this site doesn't know (\"{v}\"; expected \"v1\")")
            }
            HandoffError::MissingApp => "it doesn't say which app (\"app\")".to_string(),
            HandoffError::InvalidApp => {
                "its app (\"app\") is not a client ID (a GUID like 5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c)"
                    .to_string()
            }
            HandoffError::InvalidDays { max_days } => format!(
                "its lifetime (\"days\") must be a whole number of days from 1 to {max_days}"
            ),
            HandoffError::InvalidDate => {
                "its end date (\"until\") is not a date like 2027-05-25".to_string()
            }
            HandoffError::DateOutOfRange { max_days } => format!(
                "its end date (\"until\") must be after today and at most {max_days} days away"
            ),
            HandoffError::BothDaysAndUntil => {
                "it gives both a lifetime (\"days\") and an end date (\"until\")".to_string()
            }
            HandoffError::InvalidVault => {
                "its vault (\"vault\") is not a Key Vault resource ID \
                 (/subscriptions/…/resourceGroups/…/providers/Microsoft.KeyVault/vaults/…)"
                    .to_string()
            }
            HandoffError::VaultNotAllowed(name) => {
                format!("its vault \"{name}\" is not one this site allows")
            }
            HandoffError::InvalidName(e) => {
                format!(
                    "its secret name (\"name\") is not valid: {}",
                    e.user_message().trim_end_matches('.')
                )
            }
        }
    }
}

impl std::fmt::Display for HandoffError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for HandoffError {}
