//! `GraphError`: every way a Graph call can fail, with the words a user reads and the
//! details line an admin needs. Branches on Graph's `code`, never on its message, except for
//! the two-secret cap: Graph answers it with `TooManyAppPasswords` (Azure/azure-cli issue
//! #12946), and the older or other wordings of the cap are still recognised by their message.

use crate::net::HttpResponse;
use crate::wire::{excerpt, json_value, Fields, ServiceError, WrongShape};

/// What Graph said about a failure: code, message, and the IDs support asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GraphErrorInfo {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub request_id: Option<String>,
    pub client_request_id: Option<String>,
    pub date: Option<String>,
}

/// A failed Graph call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum GraphError {
    /// 401: the token is missing, expired or for the wrong audience.
    Unauthorized(Box<GraphErrorInfo>),
    /// `Authorization_RequestDenied` (or another 403): no right to do this.
    AuthorizationDenied(Box<GraphErrorInfo>),
    /// `Request_ResourceNotFound` (or a 404).
    NotFound(Box<GraphErrorInfo>),
    /// `CredentialInvalidLifetimeAsPerAppPolicy`: the app management policy allows a shorter
    /// lifetime. Graph names the policy's ID only, never its maximum (azure-apis.md §1.7, §7.3),
    /// so no number is read from it.
    PolicyLifetime(Box<GraphErrorInfo>),
    /// `CredentialTypeNotAllowedAsPerAppPolicy`: the app management policy blocks new secrets
    /// (`passwordAddition`). The code is the one public tools match on; the message is matched
    /// too ("Credential type not allowed as per assigned policy"), since no Microsoft page
    /// documents the refusal.
    PolicyBlocksSecrets(Box<GraphErrorInfo>),
    /// The two-secret cap of apps that accept personal Microsoft accounts.
    SecretLimit(Box<GraphErrorInfo>),
    /// `Request_UnsupportedQuery` (for example `$search` in a B2C tenant).
    UnsupportedQuery(Box<GraphErrorInfo>),
    /// `Request_BadRequest` or another 400.
    BadRequest(Box<GraphErrorInfo>),
    /// 429. Wait `retry_after_secs` (when sent) before retrying.
    Throttled {
        retry_after_secs: Option<u64>,
        info: Box<GraphErrorInfo>,
    },
    /// 5xx.
    ServiceUnavailable {
        status: u16,
        retry_after_secs: Option<u64>,
        info: Box<GraphErrorInfo>,
    },
    /// A Conditional Access claims challenge; `claims` goes into the next token request.
    InsufficientClaims {
        claims: Option<String>,
        info: Box<GraphErrorInfo>,
    },
    /// Another Graph error code (for example a 409).
    Other(Box<GraphErrorInfo>),
    /// An error status with a body that is not Graph's JSON error (a proxy page, say).
    Unexpected { status: u16, body_excerpt: String },
    /// A success status with a body that does not have the expected shape.
    Malformed { status: u16, detail: String },
}

/// Graph's error body: `{"error":{"code","message","innerError":{…},"details":[{"message"}]}}`.
struct Body {
    code: Option<String>,
    message: Option<String>,
    inner: Option<Inner>,
    details: Option<Vec<Detail>>,
}

struct Inner {
    date: Option<String>,
    request_id: Option<String>,
    client_request_id: Option<String>,
}

struct Detail {
    message: Option<String>,
}

impl Body {
    /// The `error` of an error body; the whole body is the wrong shape when a member is.
    fn read(text: &str) -> Result<Body, WrongShape> {
        let value = json_value(text)?;
        let error = Fields::of(&value)?.object("error")?.ok_or(WrongShape)?;
        // `innerError`, also spelled `innererror`.
        let inner = match error.object("innerError")? {
            Some(i) => Some(i),
            None => error.object("innererror")?,
        };
        Ok(Body {
            code: error.text("code")?,
            message: error.text("message")?,
            inner: inner
                .map(|i| {
                    Ok(Inner {
                        date: i.text("date")?,
                        request_id: i.text("request-id")?,
                        client_request_id: i.text("client-request-id")?,
                    })
                })
                .transpose()?,
            details: error
                .objects("details")?
                .map(|ds| {
                    ds.iter()
                        .map(|d| {
                            Ok(Detail {
                                message: d.text("message")?,
                            })
                        })
                        .collect::<Result<Vec<_>, WrongShape>>()
                })
                .transpose()?,
        })
    }
}

/// The quoted value of `name=` in a `WWW-Authenticate` header.
fn auth_param(header: &str, name: &str) -> Option<String> {
    let start = header.find(&format!("{name}=\""))? + name.len() + 2;
    let len = header[start..].find('"')?;
    Some(header[start..start + len].to_string())
}

/// Graph's words for a blocked `passwordAddition`, as `az ad app credential reset` shows them.
fn is_policy_blocking_secrets(message: &str) -> bool {
    message
        .to_ascii_lowercase()
        .contains("credential type not allowed as per assigned policy")
}

fn is_secret_limit(message: &str) -> bool {
    let m = message.to_ascii_lowercase();
    [
        "maximum of 2 passwords",
        "maximum of 2 encrypted credentials",
        "credential limit",
    ]
    .iter()
    .any(|p| m.contains(p))
}

impl GraphError {
    /// Classifies a non-success response.
    pub fn from_response(res: &HttpResponse) -> Self {
        let status = res.status;
        let parsed = Body::read(&res.body).ok();
        let details_text = parsed
            .as_ref()
            .and_then(|e| e.details.as_ref())
            .map(|d| {
                d.iter()
                    .filter_map(|x| x.message.clone())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let info = parsed.map(|error| {
            let inner = error.inner.unwrap_or(Inner {
                date: None,
                request_id: None,
                client_request_id: None,
            });
            Box::new(GraphErrorInfo {
                status,
                // Codes are short identifiers; anything longer is cut to an excerpt.
                code: excerpt(&error.code.unwrap_or_default()),
                message: error.message.unwrap_or_default(),
                request_id: inner
                    .request_id
                    .or_else(|| res.header("request-id").map(str::to_string)),
                client_request_id: inner
                    .client_request_id
                    .or_else(|| res.header("client-request-id").map(str::to_string)),
                date: inner
                    .date
                    .or_else(|| res.header("date").map(str::to_string)),
            })
        });
        let challenge = res.header("www-authenticate").unwrap_or_default();
        let claims_challenge = challenge.contains("insufficient_claims")
            || info
                .as_ref()
                .is_some_and(|i| i.code.eq_ignore_ascii_case("insufficient_claims"));
        let header_info = || {
            Box::new(GraphErrorInfo {
                status,
                request_id: res.header("request-id").map(str::to_string),
                client_request_id: res.header("client-request-id").map(str::to_string),
                date: res.header("date").map(str::to_string),
                ..Default::default()
            })
        };

        if claims_challenge {
            return GraphError::InsufficientClaims {
                claims: auth_param(challenge, "claims"),
                info: info.unwrap_or_else(header_info),
            };
        }
        if status == 401 {
            return GraphError::Unauthorized(info.unwrap_or_else(header_info));
        }
        if status == 429 {
            return GraphError::Throttled {
                retry_after_secs: res.retry_after_secs(),
                info: info.unwrap_or_else(header_info),
            };
        }
        if status >= 500 {
            return GraphError::ServiceUnavailable {
                status,
                retry_after_secs: res.retry_after_secs(),
                info: info.unwrap_or_else(header_info),
            };
        }
        let Some(info) = info else {
            return GraphError::Unexpected {
                status,
                body_excerpt: excerpt(&res.body),
            };
        };
        match info.code.as_str() {
            "CredentialInvalidLifetimeAsPerAppPolicy" => GraphError::PolicyLifetime(info),
            "CredentialTypeNotAllowedAsPerAppPolicy" => GraphError::PolicyBlocksSecrets(info),
            _ if is_policy_blocking_secrets(&info.message) => GraphError::PolicyBlocksSecrets(info),
            // The two-secret cap of personal-account apps (Azure/azure-cli #12946).
            "TooManyAppPasswords" => GraphError::SecretLimit(info),
            _ if is_secret_limit(&info.message) || is_secret_limit(&details_text) => {
                GraphError::SecretLimit(info)
            }
            "Authorization_RequestDenied" => GraphError::AuthorizationDenied(info),
            "Request_ResourceNotFound" => GraphError::NotFound(info),
            "Request_UnsupportedQuery" => GraphError::UnsupportedQuery(info),
            _ if status == 403 => GraphError::AuthorizationDenied(info),
            _ if status == 404 => GraphError::NotFound(info),
            _ if status == 400 => GraphError::BadRequest(info),
            _ => GraphError::Other(info),
        }
    }

    /// Graph's own error details, when it sent them.
    pub fn info(&self) -> Option<&GraphErrorInfo> {
        match self {
            GraphError::Unauthorized(i)
            | GraphError::AuthorizationDenied(i)
            | GraphError::NotFound(i)
            | GraphError::SecretLimit(i)
            | GraphError::UnsupportedQuery(i)
            | GraphError::BadRequest(i)
            | GraphError::Other(i)
            | GraphError::PolicyLifetime(i)
            | GraphError::PolicyBlocksSecrets(i)
            | GraphError::Throttled { info: i, .. }
            | GraphError::ServiceUnavailable { info: i, .. }
            | GraphError::InsufficientClaims { info: i, .. } => Some(i),
            GraphError::Unexpected { .. } | GraphError::Malformed { .. } => None,
        }
    }

    /// The HTTP status of the failed response.
    pub fn status(&self) -> u16 {
        match self {
            GraphError::Unexpected { status, .. } | GraphError::Malformed { status, .. } => *status,
            other => other.info().map_or(0, |i| i.status),
        }
    }

    /// Whether trying the same request again later can succeed (429 and 5xx).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. }
        )
    }

    /// How long Graph asked us to wait, when it said.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            GraphError::Throttled {
                retry_after_secs, ..
            }
            | GraphError::ServiceUnavailable {
                retry_after_secs, ..
            } => *retry_after_secs,
            _ => None,
        }
    }
}

impl ServiceError for GraphError {
    fn from_response(res: &HttpResponse) -> Self {
        GraphError::from_response(res)
    }
    fn malformed(status: u16, detail: String) -> Self {
        GraphError::Malformed { status, detail }
    }
}
