//! `ArmError`: failures of Azure Resource Manager calls (`{"error":{"code","message",
//! "details"}}`), with plain-words messages that name the role needed.

use serde::Deserialize;

use crate::graph::excerpt;
use crate::net::HttpResponse;

/// What ARM said: code, message and the IDs support asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArmErrorInfo {
    pub status: u16,
    pub code: String,
    pub message: String,
    /// Codes of `error.details[]`, when present.
    pub detail_codes: Vec<String>,
    /// `x-ms-request-id`
    pub request_id: Option<String>,
    /// `x-ms-correlation-request-id`
    pub correlation_id: Option<String>,
}

/// A failed ARM call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArmError {
    /// 401: the ARM token is missing or expired.
    Unauthorized(Box<ArmErrorInfo>),
    /// 403 `AuthorizationFailed`: `action` over `scope` (both read from ARM's message).
    AuthorizationFailed {
        action: Option<String>,
        scope: Option<String>,
        info: Box<ArmErrorInfo>,
    },
    /// 404 (`ResourceNotFound`, `ResourceGroupNotFound`, `SubscriptionNotFound`, …).
    ResourceNotFound(Box<ArmErrorInfo>),
    /// 409, for example a soft-deleted secret with the same name.
    Conflict(Box<ArmErrorInfo>),
    /// 429.
    Throttled {
        retry_after_secs: Option<u64>,
        info: Box<ArmErrorInfo>,
    },
    /// 5xx.
    ServiceUnavailable {
        status: u16,
        retry_after_secs: Option<u64>,
        info: Box<ArmErrorInfo>,
    },
    /// 400 or another code.
    Other(Box<ArmErrorInfo>),
    /// An error status whose body is not ARM's JSON error.
    Unexpected { status: u16, body_excerpt: String },
    /// A success status with a body of the wrong shape.
    Malformed { status: u16, detail: String },
}

#[derive(Deserialize)]
struct Envelope {
    error: Body,
}

#[derive(Deserialize)]
struct Body {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default)]
    details: Option<Vec<Detail>>,
}

#[derive(Deserialize)]
struct Detail {
    #[serde(default)]
    code: Option<String>,
}

/// The text between `'` quotes right after `marker` in ARM's message.
fn quoted_after(message: &str, marker: &str) -> Option<String> {
    let start = message.find(marker)? + marker.len();
    let rest = message[start..].strip_prefix('\'')?;
    Some(rest[..rest.find('\'')?].to_string())
}

impl ArmError {
    /// Classifies a non-success response.
    pub fn from_response(res: &HttpResponse) -> Self {
        let status = res.status;
        let info = serde_json::from_str::<Envelope>(&res.body)
            .ok()
            .map(|Envelope { error }| ArmErrorInfo {
                status,
                code: excerpt(&error.code.unwrap_or_default()),
                message: error.message.unwrap_or_default(),
                detail_codes: error
                    .details
                    .unwrap_or_default()
                    .into_iter()
                    .filter_map(|d| d.code)
                    .take(5)
                    .map(|c| excerpt(&c))
                    .collect(),
                ..Default::default()
            });
        let with_ids = |mut i: ArmErrorInfo| {
            i.status = status;
            i.request_id = res.header("x-ms-request-id").map(str::to_string);
            i.correlation_id = res
                .header("x-ms-correlation-request-id")
                .map(str::to_string);
            Box::new(i)
        };
        match status {
            401 => return ArmError::Unauthorized(with_ids(info.unwrap_or_default())),
            429 => {
                return ArmError::Throttled {
                    retry_after_secs: res.retry_after_secs(),
                    info: with_ids(info.unwrap_or_default()),
                }
            }
            500.. => {
                return ArmError::ServiceUnavailable {
                    status,
                    retry_after_secs: res.retry_after_secs(),
                    info: with_ids(info.unwrap_or_default()),
                }
            }
            _ => {}
        }
        let Some(info) = info else {
            return ArmError::Unexpected {
                status,
                body_excerpt: excerpt(&res.body),
            };
        };
        let info = with_ids(info);
        match status {
            403 => ArmError::AuthorizationFailed {
                action: quoted_after(&info.message, "perform action "),
                scope: quoted_after(&info.message, "over scope "),
                info,
            },
            404 => ArmError::ResourceNotFound(info),
            409 => ArmError::Conflict(info),
            _ => ArmError::Other(info),
        }
    }

    /// ARM's own error details, when it sent them.
    pub fn info(&self) -> Option<&ArmErrorInfo> {
        match self {
            ArmError::Unauthorized(i)
            | ArmError::ResourceNotFound(i)
            | ArmError::Conflict(i)
            | ArmError::Other(i)
            | ArmError::AuthorizationFailed { info: i, .. }
            | ArmError::Throttled { info: i, .. }
            | ArmError::ServiceUnavailable { info: i, .. } => Some(i),
            ArmError::Unexpected { .. } | ArmError::Malformed { .. } => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            ArmError::Unexpected { status, .. } | ArmError::Malformed { status, .. } => *status,
            other => other.info().map_or(0, |i| i.status),
        }
    }

    /// Whether the same request may succeed later (429 and 5xx).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ArmError::Throttled { .. } | ArmError::ServiceUnavailable { .. }
        )
    }

    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            ArmError::Throttled {
                retry_after_secs, ..
            }
            | ArmError::ServiceUnavailable {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }

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
            ArmError::Conflict(_) => format!(
                "{vault} refused the change because of a conflict; a deleted secret with the same \
                 name may still be recoverable. Recover or purge it, or choose another name."
            ),
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

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ArmError {}
