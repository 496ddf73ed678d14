//! The words for each [`KeyVaultError`] (docs/ux.md "Error → message with the remedy").

use super::error::{ForbiddenReason, KeyVaultError};

impl KeyVaultError {
    /// The message without naming the vault or secret ("this vault").
    pub fn user_message(&self) -> String {
        self.user_message_in("this vault", None)
    }

    /// What happened, why, and the fix, naming the vault (e.g. `kv-payroll`) and, where it
    /// matters, the secret name.
    pub fn user_message_in(&self, vault: &str, secret_name: Option<&str>) -> String {
        let name = secret_name.map_or("this name".to_string(), |n| format!("named \"{n}\""));
        match self {
            KeyVaultError::Forbidden {
                reason: ForbiddenReason::Firewall,
                ..
            } => format!(
                "{vault}'s firewall doesn't allow your network. Use the ARM path, or ask for your \
                 address to be allowed."
            ),
            KeyVaultError::Forbidden {
                reason: ForbiddenReason::Connection,
                ..
            } => format!(
                "{vault} only accepts connections from its private network. Use the ARM path, or \
                 connect from a network the vault allows."
            ),
            KeyVaultError::Forbidden {
                reason: ForbiddenReason::Policy,
                ..
            } => format!(
                "{vault}'s access policies don't let you set secrets. Ask a vault administrator \
                 for the \"Set\" secret permission."
            ),
            KeyVaultError::Forbidden { .. } => {
                format!("You need Key Vault Secrets Officer on {vault} to write secrets.")
            }
            KeyVaultError::DeletedButRecoverable(_) => {
                let name =
                    secret_name.map_or("with this name".to_string(), |n| format!("named \"{n}\""));
                format!(
                    "A deleted secret {name} is still recoverable in {vault}. Recover it, purge \
                     it, or choose another name."
                )
            }
            KeyVaultError::Conflict(_) => format!(
                "{vault} is still finishing another change to the secret {name}. Wait a minute \
                 and try again."
            ),
            KeyVaultError::SecretNotFound(_) => {
                format!("No secret {name} was found in {vault}.")
            }
            KeyVaultError::Unauthorized(_) => {
                "Please sign in again to continue (your session for Key Vault expired).".into()
            }
            KeyVaultError::BadParameter(_) | KeyVaultError::Other(_) => format!(
                "{vault} refused the request, so nothing was stored. If it happens again, share \
                 the details below with your admin."
            ),
            KeyVaultError::Throttled { .. } | KeyVaultError::ServiceUnavailable { .. } => {
                format!("{vault} is busy. Try again in a minute; nothing was stored.")
            }
            KeyVaultError::Unreachable => {
                "Key Vault can't be called directly from a web page. Use the ARM path, or ask \
                 your admin for the gateway setting."
                    .into()
            }
            KeyVaultError::Unexpected { status, .. } => format!(
                "{vault} could not be reached properly (HTTP {status}); something in between \
                 answered instead. Try again in a minute; nothing was stored."
            ),
            KeyVaultError::Malformed { .. } => format!(
                "{vault}'s answer could not be read. Check the vault before trying again: the \
                 secret may have been stored."
            ),
        }
    }

    /// The "details" line: code / inner codes · HTTP status · x-ms-request-id.
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        match self.info() {
            Some(i) => {
                let codes: Vec<&str> = std::iter::once(i.code.as_str())
                    .chain(i.inner_codes.iter().map(String::as_str))
                    .filter(|c| !c.is_empty())
                    .collect();
                if !codes.is_empty() {
                    parts.push(codes.join(" / "));
                }
                parts.push(format!("HTTP {}", i.status));
                if let Some(r) = &i.request_id {
                    parts.push(format!("request-id {r}"));
                }
            }
            None => match self {
                KeyVaultError::Unreachable => parts.push("no response (network or CORS)".into()),
                KeyVaultError::Unexpected {
                    status,
                    body_excerpt,
                } => {
                    parts.push(format!("HTTP {status}"));
                    if !body_excerpt.is_empty() {
                        parts.push(format!("body: {body_excerpt}"));
                    }
                }
                KeyVaultError::Malformed { status, detail } => {
                    parts.push(format!("HTTP {status}"));
                    parts.push(detail.clone());
                }
                _ => {}
            },
        }
        parts.join(" · ")
    }
}

impl std::fmt::Display for KeyVaultError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for KeyVaultError {}
