//! Done's role assignment: the pre-flight for `roleAssignments/write`, finding the workload's
//! identity, granting Key Vault Secrets User on the secret, and ARM's answers in words.

use super::*;

/// A step's progress.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Progress<T> {
    #[default]
    Idle,
    Working,
    Done(T),
    Failed(Problem),
}

/// What the pre-flight found about `roleAssignments/write` at the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MayAssign {
    Yes,
    /// Not among the caller's permissions at the scope: Azure will probably refuse.
    No,
}

/// The role assignment that was made (or found already there).
#[derive(Clone, Debug, PartialEq)]
pub struct Granted {
    pub principal: ServicePrincipal,
    /// ARM said it already existed (409 `RoleAssignmentExists`).
    pub already: bool,
}

/// Giving the workload's identity read access on an RBAC vault.
#[derive(Clone, Debug, PartialEq)]
pub struct Grant {
    pub place: VaultPlace,
    /// `{vault id}/secrets/{name}`.
    pub scope: String,
    pub secret_name: String,
    pub may_assign: Progress<MayAssign>,
    pub query: String,
    pub found: Progress<Vec<ServicePrincipal>>,
    pub chosen: Option<ServicePrincipal>,
    pub assign: Progress<Granted>,
    /// The request in flight (to check ARM's answer against it).
    pub(super) asked: Option<NewRoleAssignment>,
}

impl Grant {
    pub(super) fn answer(&mut self, call: DoneCall, outcome: Outcome) {
        match call {
            DoneCall::Permissions => {
                self.may_assign = match arm_answer(outcome, arm::parse_permissions) {
                    Ok(page) => Progress::Done(if arm::can(&page.value, ASSIGN_ACTION, false) {
                        MayAssign::Yes
                    } else {
                        MayAssign::No
                    }),
                    Err((problem, _)) => Progress::Failed(problem),
                };
            }
            DoneCall::Search => {
                self.found = match Problem::graph(outcome, parse_service_principals) {
                    Ok(page) => Progress::Done(page.value),
                    Err(p) => Progress::Failed(p),
                };
                self.chosen = None;
            }
            DoneCall::Assign => {
                let (Some(asked), Some(principal)) = (self.asked.take(), self.chosen.clone())
                else {
                    return;
                };
                self.assign = match arm_answer(outcome, role_assignments::parse_role_assignment) {
                    Ok(made) if is_what_was_asked(&made, &asked) => Progress::Done(Granted {
                        principal,
                        already: false,
                    }),
                    Ok(_) => Progress::Failed(Problem::new(
                        "Azure answered with a different role assignment than the one asked \
                         for. Check the secret's Access control (IAM) in the Azure portal.",
                    )),
                    Err((_, Some(e))) if code_is(&e, "RoleAssignmentExists") => {
                        Progress::Done(Granted {
                            principal,
                            already: true,
                        })
                    }
                    Err((_, Some(e))) => Progress::Failed(assign_problem(&e, &self.secret_name)),
                    Err((problem, None)) => Progress::Failed(problem),
                };
            }
        }
    }

    /// The `az` command an admin with the right role can run to make the same assignment.
    pub fn az_command(&self, principal: &ServicePrincipal) -> String {
        format!(
            "az role assignment create --role {} --assignee-object-id {} \
             --assignee-principal-type ServicePrincipal --scope {}",
            KEY_VAULT_SECRETS_USER,
            crate::vault::stored::shell_quote(&principal.id),
            crate::vault::stored::shell_quote(&self.scope)
        )
    }
}

/// An ARM answer parsed by `parse`; a failure as a problem in words, with the ARM error when
/// there was one.
fn arm_answer<T>(
    outcome: Outcome,
    parse: fn(&crate::net::HttpResponse) -> Result<T, ArmError>,
) -> Result<T, (Problem, Option<ArmError>)> {
    let res =
        outcome.map_err(|f| (Problem::new(f.user_message("Azure Resource Manager")), None))?;
    parse(&res).map_err(|e| {
        let details = e.details();
        let problem = Problem {
            message: e.user_message(),
            details: (!details.is_empty()).then_some(details),
        };
        (problem, Some(e))
    })
}

fn code_is(e: &ArmError, code: &str) -> bool {
    e.info().is_some_and(|i| i.code.eq_ignore_ascii_case(code))
}

/// Who may grant access, in words.
pub fn who_can(secret: &str) -> String {
    format!(
        "Someone with {WHO_CAN_ASSIGN} on \"{secret}\", its vault, resource group or subscription \
         can grant it"
    )
}

/// A refused role assignment in words, with the fix.
fn assign_problem(e: &ArmError, secret: &str) -> Problem {
    let details = e.details();
    let message = match e {
        ArmError::AuthorizationFailed { .. } => format!(
            "Azure refused: your account may not assign roles on \"{secret}\" \
             ({ASSIGN_ACTION}). {}: send them the command below.",
            who_can(secret)
        ),
        _ if code_is(e, "PrincipalNotFound") => "Azure can't find that identity in your \
            directory yet. A new identity takes a few minutes to reach Azure: try again shortly."
            .to_string(),
        ArmError::PolicyDisallowed { .. } => e.user_message(),
        ArmError::Unauthorized(_) => e.user_message(),
        _ => "Azure Resource Manager refused the role assignment, so nothing was granted. If it \
              happens again, share the details below with your admin."
            .to_string(),
    };
    Problem {
        message,
        details: (!details.is_empty()).then_some(details),
    }
}
