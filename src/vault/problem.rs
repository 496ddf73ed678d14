//! Every Key Vault step failure in one place: what happened, why, the fix (docs/ux.md "Error →
//! message with the remedy"), a small details line, and the actions to offer beside it.
//!
//! Messages never include a response body or the secret value: only codes, statuses, request
//! IDs, vault and secret names, and the services' own `message`s, which the push scrubs of any
//! 8-character run of the value ([`VaultProblem::scrubbed`]).

use crate::arm::ArmError;
use crate::domain::SecretValue;
use crate::keyvault::KeyVaultError;
use crate::runtime::Failure;

/// An action the UI offers next to a problem.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Remedy {
    /// Send again (after checking that nothing was stored, when that is unclear).
    TryAgain,
    /// Store through Azure Resource Manager instead of the data plane.
    UseArmPath,
    /// The name is held (by a deleted secret): type another.
    ChooseAnotherName,
}

/// A problem as the user reads it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultProblem {
    pub message: String,
    /// "code · HTTP status · request-id …", for the admin who will be asked about it.
    pub details: Option<String>,
    pub remedies: Vec<Remedy>,
    /// A soft-deleted secret holds the name (so the name must change, or the secret be
    /// recovered or purged).
    pub name_deleted: bool,
}

impl VaultProblem {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: None,
            remedies: Vec::new(),
            name_deleted: false,
        }
    }

    pub fn with_details(mut self, details: String) -> Self {
        self.details = (!details.is_empty()).then_some(details);
        self
    }

    pub fn with_remedy(mut self, remedy: Remedy) -> Self {
        if !self.remedies.contains(&remedy) {
            self.remedies.push(remedy);
        }
        self
    }

    fn deleted(mut self) -> Self {
        self.name_deleted = true;
        self
    }

    /// Removes from the message and the details every run of 8 characters of the value
    /// ([`SecretValue::scrub`]): a service's text (or a proxy's, or a gateway's) may quote the
    /// request, and the problem is shown on screen and kept while the value exists.
    pub fn scrubbed(mut self, secret: Option<&SecretValue>) -> Self {
        let Some(secret) = secret else {
            return self;
        };
        self.message = secret.scrub(&self.message);
        self.details = self.details.map(|d| secret.scrub(&d));
        self
    }

    pub fn offers(&self, remedy: Remedy) -> bool {
        self.remedies.contains(&remedy)
    }
}

/// The role that allows writing secrets through ARM.
pub const ARM_ROLE: &str = "Key Vault Contributor";
/// The role that allows writing secrets through the data plane.
pub const DATA_ROLE: &str = "Key Vault Secrets Officer";

/// Pre-flight: the caller lacks the write permission for the path in use.
pub fn missing_arm_role(vault: &str) -> VaultProblem {
    VaultProblem::new(format!(
        "You can't write secrets to {vault} through Azure Resource Manager: you need {ARM_ROLE} \
         (or Contributor) on the vault. Ask an owner of the vault or its subscription for it, or \
         choose another vault."
    ))
}

/// Pre-flight: the caller lacks the data action for the data-plane path.
pub fn missing_data_role(vault: &str) -> VaultProblem {
    VaultProblem::new(format!(
        "You need {DATA_ROLE} on {vault} to write secrets. Ask an owner of the vault for it, or \
         choose another vault."
    ))
}

fn is_firewall(code: &str, message: &str) -> bool {
    code.to_ascii_lowercase().contains("firewall") || message.contains("firewall")
}

/// A soft-deleted secret holds the name (the ARM 409 or the data plane's
/// `ObjectIsDeletedButRecoverable`).
pub fn deleted_name(vault: &str, name: &str) -> VaultProblem {
    VaultProblem::new(format!(
        "A deleted secret named \"{name}\" is still recoverable in {vault}. Recover it, purge it, \
         or choose another name. (Recovering or purging is done in the Azure portal under the \
         vault's Secrets → Manage deleted secrets, or with `az keyvault secret recover` / \
         `az keyvault secret purge`; purging needs the Purge permission.)"
    ))
    .with_remedy(Remedy::ChooseAnotherName)
    .deleted()
}

/// A failed ARM call of the vault step (listing, permissions, name check or the secret PUT).
pub fn from_arm(e: &ArmError, vault: &str, name: &str) -> VaultProblem {
    let info = e.info();
    let code = info.map_or("", |i| i.code.as_str());
    let message = info.map_or("", |i| i.message.as_str());
    let p = match e {
        ArmError::AuthorizationFailed { .. } if is_firewall(code, message) => firewall(vault),
        ArmError::AuthorizationFailed { action, .. } => {
            let action = action.as_deref().unwrap_or_default().to_ascii_lowercase();
            if action.ends_with("/read") {
                VaultProblem::new(format!(
                    "You can't see {vault} in Azure Resource Manager: you need at least Reader on \
                     the vault ({ARM_ROLE} to store secrets through it)."
                ))
            } else {
                missing_arm_role(vault)
            }
        }
        ArmError::Conflict(i) if i.message.to_ascii_lowercase().contains("deleted") => {
            deleted_name(vault, name)
        }
        ArmError::Conflict(_) => VaultProblem::new(format!(
            "{vault} refused the change because of a conflict with the secret \"{name}\". Wait a \
             minute and try again, or choose another name."
        ))
        .with_remedy(Remedy::TryAgain)
        .with_remedy(Remedy::ChooseAnotherName),
        ArmError::Throttled { .. } | ArmError::ServiceUnavailable { .. } => VaultProblem::new(
            "Azure Resource Manager is still busy after a few tries. Try again in a minute.",
        )
        .with_remedy(Remedy::TryAgain),
        // Azure Policy: trying again, or another role, won't change the answer.
        ArmError::PolicyDisallowed { .. } => VaultProblem::new(e.user_message()),
        other => VaultProblem::new(other.user_message()).with_remedy(Remedy::TryAgain),
    };
    let details = match e {
        // Not Azure's answer (a proxy's page, say): its body is never quoted.
        ArmError::Unexpected { status, .. } => format!("HTTP {status} · not an answer from Azure"),
        other => other.details(),
    };
    p.with_details(details)
}

fn firewall(vault: &str) -> VaultProblem {
    VaultProblem::new(format!(
        "{vault}'s firewall doesn't allow your network. Use the ARM path, or ask for your \
         address to be allowed."
    ))
    .with_remedy(Remedy::UseArmPath)
}

/// A failed data-plane call (name check or the secret PUT).
pub fn from_keyvault(e: &KeyVaultError, vault: &str, name: &str) -> VaultProblem {
    let p = match e {
        KeyVaultError::DeletedButRecoverable(_) => deleted_name(vault, name),
        KeyVaultError::Forbidden { .. } => {
            VaultProblem::new(e.user_message_in(vault, Some(name))).with_remedy(Remedy::UseArmPath)
        }
        KeyVaultError::Unreachable => unreachable_data_plane(),
        KeyVaultError::Throttled { .. } | KeyVaultError::ServiceUnavailable { .. } => {
            VaultProblem::new(format!(
                "{vault} is still busy after a few tries. Try again in a minute."
            ))
            .with_remedy(Remedy::TryAgain)
        }
        KeyVaultError::Unauthorized(_) => VaultProblem::new(e.user_message_in(vault, Some(name))),
        other => VaultProblem::new(other.user_message_in(vault, Some(name)))
            .with_remedy(Remedy::TryAgain),
    };
    let details = match e {
        KeyVaultError::Unexpected { status, .. } => {
            format!("HTTP {status} · not an answer from Key Vault")
        }
        other => other.details(),
    };
    p.with_details(details)
}

/// The data plane gave no readable answer: in a browser that is almost always CORS.
pub fn unreachable_data_plane() -> VaultProblem {
    VaultProblem::new(
        "Key Vault can't be called directly from a web page. Use the ARM path, or ask your \
         admin for the gateway setting.",
    )
    .with_details("no response (network or CORS)".into())
    .with_remedy(Remedy::UseArmPath)
}

/// A vault-step request that got no HTTP answer at all (not the PUT: see [`push_lost`]).
pub fn from_failure(f: &Failure, service: &str) -> VaultProblem {
    match f {
        Failure::Network => VaultProblem::new(f.user_message(service))
            .with_details("no response (network)".into())
            .with_remedy(Remedy::TryAgain),
        Failure::Auth(message) => VaultProblem::new(message.clone()),
    }
}

/// The PUT's answer was lost and the follow-up check could not tell whether it was stored.
pub fn push_lost(vault: &str) -> VaultProblem {
    VaultProblem::new(format!(
        "The connection dropped while storing the secret in {vault}, and we couldn't check \
         whether it arrived. Check your connection, then try again: we look in the vault first, \
         so it won't be stored twice."
    ))
    .with_details("no response (network)".into())
    .with_remedy(Remedy::TryAgain)
}

/// The data plane said "stored", but its answer's secret ID names another vault or name (or
/// none of this cloud's vaults): what a gateway that ignores the vault in the path does. The
/// value is still on the page; the remedy is the ARM path, and the admin must fix the gateway.
pub fn stored_elsewhere(
    vault: &str,
    name: &str,
    found: Option<(&str, &str)>,
    gateway: bool,
) -> VaultProblem {
    let who = if gateway {
        "The Key Vault gateway"
    } else {
        "Key Vault"
    };
    let what = match found {
        Some((other, other_name)) if !other.eq_ignore_ascii_case(vault) => {
            format!("{who} stored the secret in {other} (as \"{other_name}\"), not in {vault}")
        }
        Some((_, other_name)) => {
            format!("{who} stored the secret in {vault} as \"{other_name}\", not as \"{name}\"")
        }
        None => format!(
            "{who}'s answer doesn't say the secret was stored in {vault}: its secret ID names no \
             vault of this cloud"
        ),
    };
    let fix = if gateway {
        " Tell your administrator that the gateway (vault.gateway in config.json) wrote \
         elsewhere: it must send each request to the vault named in its path. Store it through \
         Azure Resource Manager instead"
    } else {
        " Store it through Azure Resource Manager instead"
    };
    let details = match found {
        Some((other, other_name)) => {
            format!("the answer's secret ID names {other}/secrets/{other_name}")
        }
        None => "the answer's secret ID is not a secret URI of this cloud's vaults".into(),
    };
    let exposed = match found {
        Some((other, _)) if !other.eq_ignore_ascii_case(vault) => format!(
            " Whoever can read {other} can read this secret: you may want to remove it from the \
             app and create another."
        ),
        _ => String::new(),
    };
    VaultProblem::new(format!("{what}.{fix}.{exposed}"))
        .with_details(details)
        .with_remedy(Remedy::UseArmPath)
}

/// The words while waiting before an automatic retry.
pub fn retrying(service: &str, secs: u64) -> String {
    format!("{service} is busy; retrying in {secs} s…")
}
