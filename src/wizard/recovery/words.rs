//! The Recovery step's words (docs/ux.md): its heading, and the sentence for what the re-read
//! found, times in the user's zone.

use super::RecoveryPhase;
use crate::graph::{NewPassword, PasswordCredential};
use crate::runtime::Now;
use crate::wizard::describe::LostAnswer;

/// The step's heading.
pub(super) fn title(cause: LostAnswer) -> &'static str {
    match cause {
        LostAnswer::Dropped => "The connection dropped",
        LostAnswer::ServerError(_) => "Microsoft Graph answered with an error",
    }
}

/// The sentence for what we found (docs/ux.md), times in the user's zone.
pub(super) fn message(
    cause: LostAnswer,
    phase: &RecoveryPhase,
    sent: &NewPassword,
    now: &Now,
) -> String {
    let at = |c: &PasswordCredential| {
        let t = c.start_date_time.unwrap_or(sent.start);
        crate::domain::expiry::hour_minute(&t.with_timezone(&now.timezone()))
    };
    let lost = |cs: &[PasswordCredential]| match cs {
        [c] => format!(
            "a secret \"{}\" was created at {} and its value is lost. Remove it?",
            sent.display_name,
            at(c)
        ),
        cs => format!(
            "{} secrets \"{}\" were created at {} (the browser sent the request again) and \
             their values are lost. Remove them?",
            cs.len(),
            sent.display_name,
            cs.first().map(at).unwrap_or_default()
        ),
    };
    let dropped = match cause {
        LostAnswer::Dropped => {
            "The connection dropped after the secret may have been created.".to_string()
        }
        LostAnswer::ServerError(status) => format!(
            "Microsoft Graph answered with an error (HTTP {status}) after the secret may \
             have been created."
        ),
    };
    match phase {
        RecoveryPhase::Checking => format!("{dropped} Checking whether it was…"),
        RecoveryPhase::CheckFailed(_) => {
            format!("{dropped} We couldn't check whether it was.")
        }
        RecoveryPhase::NotCreated => match cause {
            LostAnswer::Dropped => "The connection dropped while the secret was being \
                created. We checked: no secret was created, so nothing is lost. Try again."
                .into(),
            LostAnswer::ServerError(status) => format!(
                "Microsoft Graph answered with an error (HTTP {status}). We checked: no \
                 secret was created, so nothing is lost. Try again."
            ),
        },
        RecoveryPhase::Found { credentials, .. }
        | RecoveryPhase::Removing { credentials, .. }
        | RecoveryPhase::RemoveFailed { credentials, .. } => {
            format!("{dropped} We checked: {}", lost(credentials))
        }
        RecoveryPhase::Removed { credentials } => {
            format!(
                "Removed {} \"{}\". Nothing can use {}, since nobody ever saw {}. Create a new \
             one to continue.",
                if credentials.len() == 1 {
                    "the secret".to_string()
                } else {
                    format!("the {} secrets", credentials.len())
                },
                sent.display_name,
                if credentials.len() == 1 { "it" } else { "them" },
                if credentials.len() == 1 {
                    "its value"
                } else {
                    "their values"
                },
            )
        }
    }
}
