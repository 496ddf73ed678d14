//! `ArmError`: failures of Azure Resource Manager calls (`{"error":{"code","message",
//! "details","additionalInfo"}}`), with plain-words messages that name the role needed, and
//! say so when no role would help: a 403 `RequestDisallowedByPolicy` is Azure Policy's refusal
//! ("Resource '…' was disallowed by policy. Policy identifiers: '[{"policyAssignment":{"name":
//! …}}]'.", as in microsoft/vscode-apimanagement issue #348 and tayganr/purviewdemo issue #22),
//! and a 409 `Conflict`/`ConflictError` from a concurrent change ([`crate::retry::
//! is_transient_conflict`]) is worth another try.
//!
//! Split by responsibility: this file holds the type and its accessors; `body` reads ARM's
//! error body (and the policy named in a refusal), `classify` turns a response into an
//! [`ArmError`], and `message` words it for the user.

mod body;
mod classify;
mod message;

use crate::net::HttpResponse;
use crate::wire::ServiceError;

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
    /// 403 `RequestDisallowedByPolicy`: an Azure Policy assignment refused the request. Not a
    /// missing role. `policy`: the assignment's name (its display name when the error carries
    /// one), when the error names it.
    PolicyDisallowed {
        policy: Option<String>,
        info: Box<ArmErrorInfo>,
    },
    /// 409, for example a soft-deleted secret with the same name.
    Conflict(Box<ArmErrorInfo>),
    /// 409 `Conflict`/`ConflictError` because another change to the same resource was in flight
    /// (Azure/AzureKeyVault issue #6): nothing was applied, and a later try may pass.
    ConcurrentChange(Box<ArmErrorInfo>),
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

impl ArmError {
    /// ARM's own error details, when it sent them.
    pub fn info(&self) -> Option<&ArmErrorInfo> {
        match self {
            ArmError::Unauthorized(i)
            | ArmError::ResourceNotFound(i)
            | ArmError::Conflict(i)
            | ArmError::ConcurrentChange(i)
            | ArmError::Other(i)
            | ArmError::PolicyDisallowed { info: i, .. }
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

    /// Whether the same request may succeed later (429, 5xx, and a 409 from a concurrent change).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            ArmError::Throttled { .. }
                | ArmError::ServiceUnavailable { .. }
                | ArmError::ConcurrentChange(_)
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
}

impl std::fmt::Display for ArmError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for ArmError {}

impl ServiceError for ArmError {
    fn from_response(res: &HttpResponse) -> Self {
        ArmError::from_response(res)
    }
    fn malformed(status: u16, detail: String) -> Self {
        ArmError::Malformed { status, detail }
    }
}
