//! `KeyVaultError`: data-plane failures (`{"error":{"code","message","innererror":{"code"}}}`,
//! note the lower-case `innererror`, which may nest), with the words from docs/ux.md.

use crate::net::HttpResponse;
use crate::wire::{excerpt, json_value, Fields, ServiceError, WrongShape};

/// What Key Vault said.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyVaultErrorInfo {
    pub status: u16,
    pub code: String,
    /// The `innererror` codes, outermost first (e.g. `["ForbiddenByRbac"]`).
    pub inner_codes: Vec<String>,
    pub message: String,
    /// `x-ms-request-id`
    pub request_id: Option<String>,
}

impl KeyVaultErrorInfo {
    fn has(&self, code: &str) -> bool {
        self.code.eq_ignore_ascii_case(code)
            || self
                .inner_codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code))
    }
}

/// Why a 403 happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForbiddenReason {
    /// RBAC vault without a data role (`ForbiddenByRbac`).
    Rbac,
    /// Access-policy vault without the permission (`ForbiddenByPolicy`).
    Policy,
    /// The vault firewall blocks the caller's network (`ForbiddenByFirewall`).
    Firewall,
    /// Public network access is off / private link only (`ForbiddenByConnection`).
    Connection,
    /// `Forbidden` without a known inner code.
    Unspecified,
}

/// A failed data-plane call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyVaultError {
    /// 401: missing, expired or wrong-audience token.
    Unauthorized(Box<KeyVaultErrorInfo>),
    /// 403, with the reason from `innererror`.
    Forbidden {
        reason: ForbiddenReason,
        info: Box<KeyVaultErrorInfo>,
    },
    /// 409 `Conflict` / `ObjectIsDeletedButRecoverable`: a soft-deleted secret holds the name.
    DeletedButRecoverable(Box<KeyVaultErrorInfo>),
    /// Another 409 (e.g. `ObjectIsBeingDeleted`).
    Conflict(Box<KeyVaultErrorInfo>),
    /// 404 `SecretNotFound`.
    SecretNotFound(Box<KeyVaultErrorInfo>),
    /// 400 `BadParameter` (or another 400).
    BadParameter(Box<KeyVaultErrorInfo>),
    /// 429.
    Throttled {
        retry_after_secs: Option<u64>,
        info: Box<KeyVaultErrorInfo>,
    },
    /// 5xx.
    ServiceUnavailable {
        status: u16,
        retry_after_secs: Option<u64>,
        info: Box<KeyVaultErrorInfo>,
    },
    /// Any other code.
    Other(Box<KeyVaultErrorInfo>),
    /// No HTTP response at all (a failed `fetch`, typically CORS): the executor reports this.
    Unreachable,
    /// An error status whose body is not Key Vault's JSON error.
    Unexpected { status: u16, body_excerpt: String },
    /// A success status with a body of the wrong shape.
    Malformed { status: u16, detail: String },
}

/// Key Vault's error: `{"error":{"code","message","innererror":{"code",…,"innererror":…}}}`.
struct Body {
    code: Option<String>,
    message: Option<String>,
    innererror: Option<Box<Body>>,
}

impl Body {
    /// The `error` of an error body; the whole body is the wrong shape when a member is.
    fn read(text: &str) -> Result<Body, WrongShape> {
        let value = json_value(text)?;
        Body::of(Fields::of(&value)?.object("error")?.ok_or(WrongShape)?)
    }

    fn of(f: Fields<'_>) -> Result<Body, WrongShape> {
        Ok(Body {
            code: f.text("code")?,
            message: f.text("message")?,
            innererror: f
                .object("innererror")?
                .map(|i| Body::of(i).map(Box::new))
                .transpose()?,
        })
    }
}

impl KeyVaultError {
    /// Classifies a non-success response.
    pub fn from_response(res: &HttpResponse) -> Self {
        let status = res.status;
        let info = Body::read(&res.body).ok().map(|error| {
            let mut inner_codes = Vec::new();
            let mut next = error.innererror;
            while let Some(b) = next {
                if inner_codes.len() < 5 {
                    inner_codes.extend(b.code.map(|c| excerpt(&c)));
                }
                next = b.innererror;
            }
            KeyVaultErrorInfo {
                status,
                code: excerpt(&error.code.unwrap_or_default()),
                inner_codes,
                message: error.message.unwrap_or_default(),
                request_id: None,
            }
        });
        let with_ids = |mut i: KeyVaultErrorInfo| {
            i.status = status;
            i.request_id = res.header("x-ms-request-id").map(str::to_string);
            Box::new(i)
        };
        match status {
            401 => return KeyVaultError::Unauthorized(with_ids(info.unwrap_or_default())),
            429 => {
                return KeyVaultError::Throttled {
                    retry_after_secs: res.retry_after_secs(),
                    info: with_ids(info.unwrap_or_default()),
                }
            }
            500.. => {
                return KeyVaultError::ServiceUnavailable {
                    status,
                    retry_after_secs: res.retry_after_secs(),
                    info: with_ids(info.unwrap_or_default()),
                }
            }
            _ => {}
        }
        let Some(info) = info else {
            return KeyVaultError::Unexpected {
                status,
                body_excerpt: excerpt(&res.body),
            };
        };
        let info = with_ids(info);
        if info.has("ObjectIsDeletedButRecoverable") {
            return KeyVaultError::DeletedButRecoverable(info);
        }
        match status {
            403 => {
                let reason = if info.has("ForbiddenByRbac") {
                    ForbiddenReason::Rbac
                } else if info.has("ForbiddenByFirewall") {
                    ForbiddenReason::Firewall
                } else if info.has("ForbiddenByPolicy") {
                    ForbiddenReason::Policy
                } else if info.has("ForbiddenByConnection") {
                    ForbiddenReason::Connection
                } else {
                    ForbiddenReason::Unspecified
                };
                KeyVaultError::Forbidden { reason, info }
            }
            404 => KeyVaultError::SecretNotFound(info),
            409 => KeyVaultError::Conflict(info),
            400 => KeyVaultError::BadParameter(info),
            _ => KeyVaultError::Other(info),
        }
    }

    /// Key Vault's own error details, when it sent them.
    pub fn info(&self) -> Option<&KeyVaultErrorInfo> {
        match self {
            KeyVaultError::Unauthorized(i)
            | KeyVaultError::DeletedButRecoverable(i)
            | KeyVaultError::Conflict(i)
            | KeyVaultError::SecretNotFound(i)
            | KeyVaultError::BadParameter(i)
            | KeyVaultError::Other(i)
            | KeyVaultError::Forbidden { info: i, .. }
            | KeyVaultError::Throttled { info: i, .. }
            | KeyVaultError::ServiceUnavailable { info: i, .. } => Some(i),
            KeyVaultError::Unreachable
            | KeyVaultError::Unexpected { .. }
            | KeyVaultError::Malformed { .. } => None,
        }
    }

    pub fn status(&self) -> u16 {
        match self {
            KeyVaultError::Unexpected { status, .. } | KeyVaultError::Malformed { status, .. } => {
                *status
            }
            other => other.info().map_or(0, |i| i.status),
        }
    }

    /// Whether the same request may succeed later (429 and 5xx).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            KeyVaultError::Throttled { .. } | KeyVaultError::ServiceUnavailable { .. }
        )
    }

    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            KeyVaultError::Throttled {
                retry_after_secs, ..
            }
            | KeyVaultError::ServiceUnavailable {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }
}

impl ServiceError for KeyVaultError {
    fn from_response(res: &HttpResponse) -> Self {
        KeyVaultError::from_response(res)
    }
    fn malformed(status: u16, detail: String) -> Self {
        KeyVaultError::Malformed { status, detail }
    }
}
