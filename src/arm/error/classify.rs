//! Classifying a failed ARM response: status, ARM's error code and message (and the
//! request IDs support asks for) into an [`ArmError`] variant.

use super::body::{policy_name, AdditionalInfo, Body, POLICY_CODE};
use super::{ArmError, ArmErrorInfo};
use crate::net::HttpResponse;
use crate::wire::excerpt;

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
}
