//! `ArmError`: failures of Azure Resource Manager calls (`{"error":{"code","message",
//! "details","additionalInfo"}}`), with plain-words messages that name the role needed, and
//! say so when no role would help: a 403 `RequestDisallowedByPolicy` is Azure Policy's refusal
//! ("Resource '…' was disallowed by policy. Policy identifiers: '[{"policyAssignment":{"name":
//! …}}]'.", as in microsoft/vscode-apimanagement issue #348 and tayganr/purviewdemo issue #22),
//! and a 409 `Conflict`/`ConflictError` from a concurrent change ([`crate::retry::
//! is_transient_conflict`]) is worth another try.

use crate::net::HttpResponse;
use crate::wire::{excerpt, json_value, objects, Fields, ServiceError, WrongShape};

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

/// ARM's error: `{"error":{"code","message","details":[…],"additionalInfo":[…]}}`.
struct Body {
    code: Option<String>,
    message: Option<String>,
    details: Option<Vec<Detail>>,
    additional_info: Option<Vec<AdditionalInfo>>,
}

struct Detail {
    code: Option<String>,
    message: Option<String>,
    additional_info: Option<Vec<AdditionalInfo>>,
}

/// ARM's `ErrorAdditionalInfo`: `{"type": "PolicyViolation", "info": {…}}` on policy refusals.
struct AdditionalInfo {
    kind: Option<String>,
    info: Option<PolicyInfo>,
}

struct PolicyInfo {
    policy_assignment_display_name: Option<String>,
    policy_assignment_name: Option<String>,
    policy_definition_display_name: Option<String>,
}

/// The `policyAssignment` of one entry of "Policy identifiers: '[…]'" in a policy refusal.
struct PolicyIdentifier {
    policy_assignment: Option<Option<String>>,
    policy_definition: Option<Option<String>>,
}

/// Every member of a list of objects, read by `read`.
fn each<T>(
    list: Option<Vec<Fields<'_>>>,
    read: impl Fn(Fields<'_>) -> Result<T, WrongShape>,
) -> Result<Option<Vec<T>>, WrongShape> {
    list.map(|l| l.into_iter().map(read).collect()).transpose()
}

/// `additionalInfo` of an error or of one of its details.
fn additional_info(f: Fields<'_>) -> Result<Option<Vec<AdditionalInfo>>, WrongShape> {
    each(f.objects("additionalInfo")?, |a| {
        Ok(AdditionalInfo {
            kind: a.text("type")?,
            info: a
                .object("info")?
                .map(|i| {
                    Ok(PolicyInfo {
                        policy_assignment_display_name: i.text("policyAssignmentDisplayName")?,
                        policy_assignment_name: i.text("policyAssignmentName")?,
                        policy_definition_display_name: i.text("policyDefinitionDisplayName")?,
                    })
                })
                .transpose()?,
        })
    })
}

impl Body {
    /// The `error` of an error body; the whole body is the wrong shape when a member is.
    fn read(text: &str) -> Result<Body, WrongShape> {
        let value = json_value(text)?;
        let error = Fields::of(&value)?.object("error")?.ok_or(WrongShape)?;
        Ok(Body {
            code: error.text("code")?,
            message: error.text("message")?,
            details: each(error.objects("details")?, |d| {
                Ok(Detail {
                    code: d.text("code")?,
                    message: d.text("message")?,
                    additional_info: additional_info(d)?,
                })
            })?,
            additional_info: additional_info(error)?,
        })
    }
}

impl PolicyIdentifier {
    /// The list in a policy refusal's message: `[{"policyAssignment":{"name":…},…},…]`.
    fn read_list(text: &str) -> Result<Vec<PolicyIdentifier>, WrongShape> {
        let value = json_value(text)?;
        let name = |f: Fields<'_>, key: &str| -> Result<Option<Option<String>>, WrongShape> {
            f.object(key)?.map(|n| n.text("name")).transpose()
        };
        objects(&value)?
            .into_iter()
            .map(|id| {
                Ok(PolicyIdentifier {
                    policy_assignment: name(id, "policyAssignment")?,
                    policy_definition: name(id, "policyDefinition")?,
                })
            })
            .collect()
    }
}

const POLICY_CODE: &str = "RequestDisallowedByPolicy";

/// The name of the policy that refused a request: from `additionalInfo` (`PolicyViolation`:
/// the assignment's display name, else its name, else the definition's display name), else from
/// the message's "Policy identifiers: '[…]'" list (the first assignment's name, else its
/// definition's). `None` when the error names none ("See error details for policy resource IDs"
/// without details, as in Azure-Samples/azuresandbox issue #196).
fn policy_name(infos: &[&AdditionalInfo], messages: &[&str]) -> Option<String> {
    let clean = |s: &Option<String>| {
        s.as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(excerpt)
    };
    let from_info = infos
        .iter()
        .filter(|a| {
            a.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("PolicyViolation"))
        })
        .filter_map(|a| a.info.as_ref())
        .find_map(|i| {
            clean(&i.policy_assignment_display_name)
                .or_else(|| clean(&i.policy_assignment_name))
                .or_else(|| clean(&i.policy_definition_display_name))
        });
    from_info.or_else(|| {
        messages.iter().find_map(|m| {
            let start = m.find("Policy identifiers: '")? + "Policy identifiers: '".len();
            let list = &m[start..];
            let list = &list[..list.rfind("]'")? + 1];
            let ids = PolicyIdentifier::read_list(list).ok()?;
            ids.iter().find_map(|id| {
                id.policy_assignment
                    .as_ref()
                    .and_then(clean)
                    .or_else(|| id.policy_definition.as_ref().and_then(clean))
            })
        })
    })
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
        let envelope = Body::read(&res.body).ok();
        let policy = envelope.as_ref().and_then(|error| {
            let details = error.details.as_deref().unwrap_or_default();
            let refused = error.code.as_deref() == Some(POLICY_CODE)
                || details
                    .iter()
                    .any(|d| d.code.as_deref() == Some(POLICY_CODE));
            refused.then(|| {
                let infos: Vec<&AdditionalInfo> = error
                    .additional_info
                    .iter()
                    .flatten()
                    .chain(
                        details
                            .iter()
                            .flat_map(|d| d.additional_info.iter().flatten()),
                    )
                    .collect();
                let messages: Vec<&str> = error
                    .message
                    .as_deref()
                    .into_iter()
                    .chain(details.iter().filter_map(|d| d.message.as_deref()))
                    .collect();
                policy_name(&infos, &messages)
            })
        });
        let info = envelope.map(|error| ArmErrorInfo {
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
        if let Some(policy) = policy {
            return ArmError::PolicyDisallowed { policy, info };
        }
        match status {
            409 if crate::retry::is_transient_conflict(res) => ArmError::ConcurrentChange(info),
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
