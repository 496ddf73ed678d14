//! What the demo tenant has consented to for secret-wizard: delegated permissions per resource.
//!
//! On Entra, admin consent is recorded per client and resource (an `oauth2PermissionGrant`), and
//! a token asked for with `{resource}/.default` carries exactly the consented permissions in its
//! `scp` claim (Microsoft identity platform, "scopes and permissions": the `/.default` scope).
//! Admin-only permissions such as `Application.ReadWrite.All`, `RoleManagement.Read.Directory`,
//! `Policy.Read.All` and `AuditLog.Read.All` cannot be consented by an ordinary user
//! (../shared/docs/azure-apis.md §7.1), so the sandbox never grants anything at sign-in: what is
//! here is what an admin granted. A resource with nothing consented refuses a silent token with
//! `invalid_grant` / AADSTS65001 / `suberror: consent_required` (the response body quoted in
//! O365/python-o365 issue #323), which MSAL turns into an `InteractionRequiredAuthError`.
//!
//! Start-up default: the README's required permissions. `--consent graph=…` changes it at start,
//! `PUT /_sandbox/consent` while running (tokens already issued keep their `scp`, as on Entra).

use serde::{Deserialize, Serialize};

use crate::identity::tokens::{ARM_AUDIENCE, GRAPH_AUDIENCE, KEY_VAULT_AUDIENCE};

/// Delegated permissions consented per resource (permission names, as in `scp`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Consent {
    pub graph: Vec<String>,
    pub arm: Vec<String>,
    pub key_vault: Vec<String>,
}

/// A change to [`Consent`]: each resource given replaces that resource's list.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ConsentChange {
    pub graph: Option<Vec<String>>,
    pub arm: Option<Vec<String>>,
    pub key_vault: Option<Vec<String>>,
}

/// The permissions each resource exposes that the sandbox knows (a scope naming another one is
/// refused with AADSTS650053, as Entra does for a scope the resource doesn't have).
pub fn known_permissions(resource: &str) -> &'static [&'static str] {
    match resource {
        // Microsoft Graph permissions reference (../shared/specs/entra-docs and graph-docs pages).
        GRAPH_AUDIENCE => &[
            "User.Read",
            "Application.Read.All",
            "Application.ReadWrite.All",
            "Directory.Read.All",
            "RoleManagement.Read.Directory",
            "RoleManagement.Read.All",
            "Policy.Read.All",
            "AuditLog.Read.All",
            "GroupMember.Read.All",
        ],
        // Azure Service Management and Azure Key Vault expose one delegated permission each.
        ARM_AUDIENCE | KEY_VAULT_AUDIENCE => &["user_impersonation"],
        _ => &[],
    }
}

impl Default for Consent {
    fn default() -> Self {
        Self {
            graph: vec!["Application.ReadWrite.All".into(), "User.Read".into()],
            arm: vec!["user_impersonation".into()],
            key_vault: vec!["user_impersonation".into()],
        }
    }
}

impl Consent {
    /// The consented permissions for a resource (an audience URI).
    pub fn for_resource(&self, resource: &str) -> &[String] {
        match resource {
            GRAPH_AUDIENCE => &self.graph,
            ARM_AUDIENCE => &self.arm,
            KEY_VAULT_AUDIENCE => &self.key_vault,
            _ => &[],
        }
    }

    /// Whether `permission` is consented for `resource`.
    pub fn allows(&self, resource: &str, permission: &str) -> bool {
        self.for_resource(resource)
            .iter()
            .any(|p| p.eq_ignore_ascii_case(permission))
    }

    /// Applies a change; refuses permissions the resource does not expose.
    pub fn apply(&mut self, change: ConsentChange) -> Result<(), String> {
        let check = |resource: &str, list: &[String]| -> Result<(), String> {
            for p in list {
                if !known_permissions(resource)
                    .iter()
                    .any(|k| k.eq_ignore_ascii_case(p))
                {
                    return Err(format!("{resource} has no delegated permission {p:?}"));
                }
            }
            Ok(())
        };
        if let Some(l) = &change.graph {
            check(GRAPH_AUDIENCE, l)?;
        }
        if let Some(l) = &change.arm {
            check(ARM_AUDIENCE, l)?;
        }
        if let Some(l) = &change.key_vault {
            check(KEY_VAULT_AUDIENCE, l)?;
        }
        if let Some(l) = change.graph {
            self.graph = l;
        }
        if let Some(l) = change.arm {
            self.arm = l;
        }
        if let Some(l) = change.key_vault {
            self.key_vault = l;
        }
        Ok(())
    }

    /// Parses one `--consent` flag value: `graph=User.Read,Application.ReadWrite.All`,
    /// `arm=` (nothing), `keyVault=user_impersonation`.
    pub fn apply_flag(&mut self, value: &str) -> Result<(), String> {
        let (resource, list) = value
            .split_once('=')
            .ok_or_else(|| format!("--consent {value:?}: expected resource=permission,…"))?;
        let list: Vec<String> = list
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect();
        let mut change = ConsentChange::default();
        match resource {
            "graph" => change.graph = Some(list),
            "arm" => change.arm = Some(list),
            "keyVault" | "keyvault" => change.key_vault = Some(list),
            other => {
                return Err(format!(
                    "--consent: unknown resource {other:?} (graph, arm or keyVault)"
                ))
            }
        }
        self.apply(change)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_readme_permissions_and_changes_are_checked() {
        let mut c = Consent::default();
        assert!(c.allows(GRAPH_AUDIENCE, "application.readwrite.all"));
        assert!(!c.allows(GRAPH_AUDIENCE, "Policy.Read.All"));
        assert!(c.allows(ARM_AUDIENCE, "user_impersonation"));

        c.apply_flag("arm=").unwrap();
        assert!(c.arm.is_empty());
        c.apply_flag("graph=User.Read, Application.ReadWrite.All,Policy.Read.All")
            .unwrap();
        assert!(c.allows(GRAPH_AUDIENCE, "Policy.Read.All"));
        assert!(c.apply_flag("graph=Mail.Send").is_err());
        assert!(c.apply_flag("storage=x").is_err());
        assert!(c.apply_flag("graph").is_err());
        // A refused change changes nothing.
        assert!(c.allows(GRAPH_AUDIENCE, "Policy.Read.All"));
    }
}
