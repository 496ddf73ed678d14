//! Reading ARM's error body (`{"error":{"code","message","details","additionalInfo"}}`)
//! through `wire::Fields`, and finding the Azure Policy named in a `RequestDisallowedByPolicy`
//! refusal (in `additionalInfo`, or in the message's "Policy identifiers: '[…]'" list).

use crate::wire::{excerpt, json_value, objects, Fields, WrongShape};

/// ARM's error: `{"error":{"code","message","details":[…],"additionalInfo":[…]}}`.
pub(super) struct Body {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    pub(super) details: Option<Vec<Detail>>,
    pub(super) additional_info: Option<Vec<AdditionalInfo>>,
}

pub(super) struct Detail {
    pub(super) code: Option<String>,
    pub(super) message: Option<String>,
    pub(super) additional_info: Option<Vec<AdditionalInfo>>,
}

/// ARM's `ErrorAdditionalInfo`: `{"type": "PolicyViolation", "info": {…}}` on policy refusals.
pub(super) struct AdditionalInfo {
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
    pub(super) fn read(text: &str) -> Result<Body, WrongShape> {
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

pub(super) const POLICY_CODE: &str = "RequestDisallowedByPolicy";

/// The name of the policy that refused a request: from `additionalInfo` (`PolicyViolation`:
/// the assignment's display name, else its name, else the definition's display name), else from
/// the message's "Policy identifiers: '[…]'" list (the first assignment's name, else its
/// definition's). `None` when the error names none ("See error details for policy resource IDs"
/// without details, as in Azure-Samples/azuresandbox issue #196).
pub(super) fn policy_name(infos: &[&AdditionalInfo], messages: &[&str]) -> Option<String> {
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
