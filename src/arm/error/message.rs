//! What an [`ArmError`] tells the user: the plain-words message naming the role needed (or
//! saying no role would help), and the "details" line with the IDs support asks for.

use super::ArmError;

impl ArmError {
    /// The vault named in the failed scope, if any.
    fn vault_name(&self) -> Option<&str> {
        let ArmError::AuthorizationFailed {
            scope: Some(scope), ..
        } = self
        else {
            return None;
        };
        let mut parts = scope.split('/');
        parts.find(|p| p.eq_ignore_ascii_case("vaults"))?;
        parts.next().filter(|n| !n.is_empty())
    }

    /// What happened, why, and the fix, naming the role that would allow it.
    pub fn user_message(&self) -> String {
        let vault = self
            .vault_name()
            .map_or("this vault".to_string(), |v| v.to_string());
        match self {
            ArmError::AuthorizationFailed { action, .. } => {
                let action = action.as_deref().unwrap_or_default().to_ascii_lowercase();
                if action.starts_with("microsoft.keyvault/vaults/secrets/")
                    && !action.ends_with("/read")
                {
                    format!(
                        "You can't write secrets to {vault} through Azure Resource Manager: you \
                         need Key Vault Contributor (or Contributor) on the vault."
                    )
                } else if action.ends_with("/read") {
                    format!(
                        "You can't see {vault} in Azure Resource Manager: you need at least Reader \
                         on the vault (Key Vault Contributor to store secrets through it)."
                    )
                } else {
                    "Azure refused this action for your account. Ask an owner of the subscription \
                     for Key Vault Contributor (or Contributor) on the vault."
                        .into()
                }
            }
            ArmError::Unauthorized(_) => {
                "Your sign-in for Azure Resource Manager has expired. Please sign in again to \
                 continue."
                    .into()
            }
            ArmError::ResourceNotFound(_) => {
                "The subscription, resource group, vault or secret was not found: it may have been \
                 deleted or moved. Refresh the list and choose again."
                    .into()
            }
            ArmError::PolicyDisallowed { policy, .. } => {
                let which = match policy {
                    Some(p) => format!("An Azure Policy assignment (\"{p}\")"),
                    None => "An Azure Policy assignment".to_string(),
                };
                format!(
                    "{which} refused this change, so nothing was stored. It isn't a missing role: \
                     more access won't get past it. An admin of that policy can tell you what it \
                     requires, or grant an exemption."
                )
            }
            ArmError::Conflict(_) => format!(
                "{vault} refused the change because of a conflict; a deleted secret with the same \
                 name may still be recoverable. Recover or purge it, or choose another name."
            ),
            ArmError::ConcurrentChange(_) => {
                "Another change to the same resource was in progress, so Azure refused this one \
                 and nothing was stored. Try again in a minute."
                    .into()
            }
            ArmError::Throttled { .. } | ArmError::ServiceUnavailable { .. } => {
                "Azure Resource Manager is still busy. Try again in a minute; nothing was stored."
                    .into()
            }
            ArmError::Other(_) => {
                "Azure Resource Manager refused the request, so nothing was stored. If it happens \
                 again, share the details below with your admin."
                    .into()
            }
            ArmError::Unexpected { status, .. } => format!(
                "Azure Resource Manager could not be reached properly (HTTP {status}). Try again \
                 in a minute; nothing was stored."
            ),
            ArmError::Malformed { .. } => {
                "Azure Resource Manager's answer could not be read. Try again; if it happens \
                 again, share the details below with your admin."
                    .into()
            }
        }
    }

    /// The "details" line: code · HTTP status · x-ms-request-id · correlation ID.
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        match self.info() {
            Some(i) => {
                if !i.code.is_empty() {
                    parts.push(i.code.clone());
                }
                parts.extend(i.detail_codes.iter().cloned());
                parts.push(format!("HTTP {}", i.status));
                if let Some(r) = &i.request_id {
                    parts.push(format!("request-id {r}"));
                }
                if let Some(c) = &i.correlation_id {
                    parts.push(format!("correlation-id {c}"));
                }
            }
            None => {
                parts.push(format!("HTTP {}", self.status()));
                match self {
                    ArmError::Unexpected { body_excerpt, .. } if !body_excerpt.is_empty() => {
                        parts.push(format!("body: {body_excerpt}"))
                    }
                    ArmError::Malformed { detail, .. } => parts.push(detail.clone()),
                    _ => {}
                }
            }
        }
        parts.join(" · ")
    }
}
