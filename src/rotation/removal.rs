//! Removing a secret from the guide: the guards, the confirmations, and checking afterwards
//! that it is really gone ("deletes that don't stick": a removal can report success while the
//! app still lists the secret).
//!
//! Guards: an expired (or not yet started) secret needs one confirmation. A working secret may
//! be removed only when it is the one being replaced and the user has confirmed that every
//! consumer uses the new one; until then at least two stay active. Removing the last working
//! secret needs a second, explicit confirmation.

use chrono::{DateTime, TimeZone};

use crate::domain::rotation::{removal_risk, RemovalRisk};
use crate::graph::{GraphError, PasswordCredential};
use crate::runtime::Problem;

/// How many explicit confirmations a removal needs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Confirmations {
    One,
    /// The last working secret: "This app will have no valid secret…" as well.
    Two,
}

/// Why a removal is not offered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RemovalBlock {
    /// The app has no secret with that keyId (any more).
    NotFound,
    /// A working secret other than the one being replaced.
    NotTheOldSecret,
    /// Consumers are not confirmed as updated: keep at least two secrets active until then.
    ConsumersNotConfirmed,
}

impl RemovalBlock {
    pub fn reason(self) -> &'static str {
        match self {
            RemovalBlock::NotFound => "This secret is no longer on the app.",
            RemovalBlock::NotTheOldSecret => {
                "This secret still works and isn't the one being replaced. Choose it as the \
                 secret to replace first."
            }
            RemovalBlock::ConsumersNotConfirmed => {
                "Removal stays off until you confirm that every consumer uses the new secret \
                 (step 3). Until then both secrets stay active, so nothing stops working."
            }
        }
    }
}

/// Whether `key_id` may be removed now, and with how many confirmations.
pub fn removal_guard<Tz: TimeZone>(
    creds: &[PasswordCredential],
    key_id: &str,
    old_key_id: Option<&str>,
    consumers_confirmed: bool,
    now: &DateTime<Tz>,
) -> Result<Confirmations, RemovalBlock> {
    match removal_risk(creds, key_id, now, consumers_confirmed) {
        RemovalRisk::NotFound => return Err(RemovalBlock::NotFound),
        RemovalRisk::Inactive => return Ok(Confirmations::One),
        _ => {}
    }
    if !old_key_id.is_some_and(|o| o.eq_ignore_ascii_case(key_id)) {
        return Err(RemovalBlock::NotTheOldSecret);
    }
    if !consumers_confirmed {
        return Err(RemovalBlock::ConsumersNotConfirmed);
    }
    match removal_risk(creds, key_id, now, true) {
        RemovalRisk::LastActive => Ok(Confirmations::Two),
        _ => Ok(Confirmations::One),
    }
}

/// Where a removal stands.
#[derive(Clone, Debug, PartialEq)]
pub enum Removal {
    Idle,
    /// The first dialog: names the keyId and description; needs a tick.
    Confirm {
        credential: PasswordCredential,
        ticked: bool,
        confirmations: Confirmations,
    },
    /// The second dialog for the last working secret; needs its own tick.
    ConfirmLast {
        credential: PasswordCredential,
        ticked: bool,
    },
    /// removePassword is on its way.
    Removing {
        credential: PasswordCredential,
    },
    /// Reading the app again to see that the secret is gone.
    Verifying {
        credential: PasswordCredential,
        /// removePassword got no answer: whether it happened is what the re-read tells.
        unanswered: bool,
    },
    /// Gone, as the re-read app shows.
    Removed {
        credential: PasswordCredential,
    },
    /// Graph said it was removed, yet the app still lists it.
    StillThere {
        credential: PasswordCredential,
    },
    Failed {
        credential: PasswordCredential,
        problem: Problem,
    },
}

impl Removal {
    /// A dialog is open or a request is on its way.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            Removal::Confirm { .. }
                | Removal::ConfirmLast { .. }
                | Removal::Removing { .. }
                | Removal::Verifying { .. }
        )
    }
}

/// A credential's name in dialogs: its description, else its hint, else "(no description)".
pub fn describe(c: &PasswordCredential) -> String {
    c.display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "(no description)".into())
}

/// The first dialog's words: what will be removed, named by description and keyId.
pub fn confirm_text(c: &PasswordCredential) -> String {
    format!(
        "Remove the client secret \u{201c}{}\u{201d} (keyId {}) from the app? Anything still \
         signing in with it stops working at once. This can't be undone.",
        describe(c),
        c.key_id
    )
}

/// The second dialog's words, for the last working secret.
pub const LAST_ACTIVE_TEXT: &str = "This app will have no valid secret: everything using it \
    will fail to sign in until a new secret is added and deployed.";

/// What the user reads when removePassword fails.
pub fn removal_problem(e: &GraphError) -> Problem {
    let details = Some(e.details()).filter(|d| !d.is_empty());
    let message = match e {
        GraphError::AuthorizationDenied(_) => {
            "You can't remove secrets from this app. Its owners or an Application Administrator \
             can; ask one of them, or ask to be added as an owner. Nothing was removed."
                .to_string()
        }
        GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. } => {
            "Microsoft Graph is busy, so the secret was not removed. Try again in a minute.".into()
        }
        other => other.user_message(),
    };
    Problem { message, details }
}
