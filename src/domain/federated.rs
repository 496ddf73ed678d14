//! Federated identity credentials, pure: where a workload runs ([`Workload`]), the templates that
//! build `issuer` and `subject` from what a developer knows ([`TemplateInput::build`]), the checks
//! made before sending (each message says what to change), the audience per cloud, and the
//! snippets that use the credential once it exists ([`snippets`]).
//!
//! Sources:
//! - The resource and its limits: ../shared/specs/graph-docs/federatedidentitycredential.md
//!   (`issuer`, `subject`, the one audience and `description` up to 600 characters, `name` up to
//!   120 and "URL friendly", issuer and subject unique within the app) and
//!   application-post-federatedidentitycredentials.md (at most 20 per application).
//! - The name rule ("Alphanumeric, dash, underscore, no more than 3-120 symbols. First symbol is
//!   alphanumeric."): ../shared/specs/entra-docs/workload-identity-federation-considerations.md.
//! - The audience: `api://AzureADTokenExchange` for Microsoft Entra ID (federatedidentitycredential
//!   .md); per cloud, Microsoft Learn "Configure an application to trust a managed identity"
//!   (entra/workload-id/workload-identity-federation-config-app-trust-managed-identity):
//!   `api://AzureADTokenExchangeUSGov` for Azure Government, `api://AzureADTokenExchangeChina` for
//!   Azure operated by 21Vianet (the same values Azure SDK for JavaScript derives from the login
//!   host). For a custom cloud no value is documented: the form asks for it.
//! - GitHub Actions: issuer `https://token.actions.githubusercontent.com`, subjects
//!   `repo:{owner}/{repo}:environment:{name}`, `…:ref:refs/heads/{branch}`, `…:ref:refs/tags/{tag}`,
//!   `…:pull_request` (Microsoft Learn "Configure an app to trust an external identity provider",
//!   GitHub Actions; GitHub Docs "About security hardening with OpenID Connect"); no trailing `/`
//!   on the issuer (MicrosoftDocs/azure-docs #97699); matching is case-sensitive (Azure/login
//!   #517, Microsoft Entra breaking changes, "Federated identity credentials now use case-sensitive
//!   matching"). The workflow: `permissions: id-token: write` and `azure/login` with `client-id`,
//!   `tenant-id`, `subscription-id` (Azure/login README).
//! - Kubernetes: subject `system:serviceaccount:{namespace}:{service account}`, the issuer is the
//!   cluster's OIDC issuer URL (AKS: `oidcIssuerProfile.issuerUrl`); the service account's
//!   annotation `azure.workload.identity/client-id` and the pod label
//!   `azure.workload.identity/use: "true"` (Azure/azure-workload-identity docs, "Quick start").
//! - GitLab CI/CD: issuer the instance's URL (`https://gitlab.com`), subject
//!   `project_path:{group}/{project}:ref_type:{branch|tag}:ref:{name}`, and `id_tokens` with `aud`
//!   in the job (GitLab Docs "OpenID Connect (OIDC) Authentication Using ID Tokens", "Azure").
//! - Terraform Cloud (HCP Terraform): issuer `https://app.terraform.io`, subject
//!   `organization:{org}:project:{project}:workspace:{workspace}:run_phase:{plan|apply}`, and the
//!   workspace variables `TFC_AZURE_PROVIDER_AUTH` and `TFC_AZURE_RUN_CLIENT_ID` (HashiCorp
//!   "Use dynamic credentials with the Azure provider").
//! - Another OIDC issuer: Azure Identity's `WorkloadIdentityCredential` reads `AZURE_CLIENT_ID`,
//!   `AZURE_TENANT_ID` and `AZURE_FEDERATED_TOKEN_FILE`.

use crate::model::FederatedIdentityCredential;

mod checks;
mod snippets;

use checks::*;
pub use checks::{check_issuer, check_new, name_is_valid};
pub use snippets::{snippets, Ids, Snippet};

/// The audience Microsoft Entra ID's global service expects.
pub const AZURE_AD_TOKEN_EXCHANGE: &str = "api://AzureADTokenExchange";
/// Federated identity credentials one application may hold.
pub const MAX_PER_APP: usize = 20;
/// The longest issuer, subject, audience and description.
pub const MAX_VALUE: usize = 600;
/// The longest name.
pub const MAX_NAME: usize = 120;
/// GitHub Actions' token issuer.
pub const GITHUB_ISSUER: &str = "https://token.actions.githubusercontent.com";
/// GitLab.com's issuer (a self-managed instance's is its own URL).
pub const GITLAB_ISSUER: &str = "https://gitlab.com";
/// HCP Terraform's issuer.
pub const TERRAFORM_ISSUER: &str = "https://app.terraform.io";

/// Where the code that uses the credential runs (Review's question).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Workload {
    GitHubActions,
    Kubernetes,
    GitLab,
    TerraformCloud,
    OtherOidc,
    Elsewhere,
}

impl Workload {
    pub const ALL: [Workload; 6] = [
        Workload::GitHubActions,
        Workload::Kubernetes,
        Workload::GitLab,
        Workload::TerraformCloud,
        Workload::OtherOidc,
        Workload::Elsewhere,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Workload::GitHubActions => "GitHub Actions",
            Workload::Kubernetes => "Kubernetes",
            Workload::GitLab => "GitLab CI/CD",
            Workload::TerraformCloud => "Terraform Cloud",
            Workload::OtherOidc => "Another OIDC issuer",
            Workload::Elsewhere => "Somewhere else",
        }
    }

    /// A stable key for the view's radio values and test IDs.
    pub fn key(self) -> &'static str {
        match self {
            Workload::GitHubActions => "github",
            Workload::Kubernetes => "kubernetes",
            Workload::GitLab => "gitlab",
            Workload::TerraformCloud => "terraform",
            Workload::OtherOidc => "oidc",
            Workload::Elsewhere => "elsewhere",
        }
    }

    pub fn from_key(key: &str) -> Option<Workload> {
        Workload::ALL.into_iter().find(|w| w.key() == key)
    }

    /// Everything but "Somewhere else" can use a federated credential instead of a secret.
    pub fn offers_federation(self) -> bool {
        self != Workload::Elsewhere
    }
}

/// GitHub Actions: which runs of the repository the credential trusts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GitHubScope {
    #[default]
    Environment,
    Branch,
    Tag,
    PullRequest,
}

impl GitHubScope {
    pub const ALL: [GitHubScope; 4] = [
        GitHubScope::Environment,
        GitHubScope::Branch,
        GitHubScope::Tag,
        GitHubScope::PullRequest,
    ];

    pub fn label(self) -> &'static str {
        match self {
            GitHubScope::Environment => "Environment",
            GitHubScope::Branch => "Branch",
            GitHubScope::Tag => "Tag",
            GitHubScope::PullRequest => "Pull request",
        }
    }
}

/// GitLab: a branch or a tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum GitLabRef {
    #[default]
    Branch,
    Tag,
}

/// HCP Terraform: the run phase the credential is for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum RunPhase {
    #[default]
    Plan,
    Apply,
}

/// A form field, for the message beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Field {
    Repository,
    Value,
    Issuer,
    Namespace,
    ServiceAccount,
    Organization,
    Project,
    Workspace,
    Subject,
    Name,
    Description,
    Audience,
}

/// What is wrong with one field, and what to change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldProblem {
    pub field: Field,
    pub message: String,
}

fn problem(field: Field, message: impl Into<String>) -> FieldProblem {
    FieldProblem {
        field,
        message: message.into(),
    }
}

/// Everything the form holds; each template reads its own fields.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateInput {
    pub workload: Workload,
    /// GitHub `owner/repo`, GitLab `group/project`.
    pub repository: String,
    pub github_scope: GitHubScope,
    /// The environment, branch or tag (GitHub), the branch or tag (GitLab).
    pub value: String,
    pub gitlab_ref: GitLabRef,
    /// Kubernetes' OIDC issuer URL, the GitLab instance, or the free form's issuer.
    pub issuer: String,
    pub namespace: String,
    pub service_account: String,
    pub organization: String,
    pub project: String,
    pub workspace: String,
    pub run_phase: RunPhase,
    /// The free form's subject.
    pub subject: String,
}

impl TemplateInput {
    /// An empty form for `workload` (GitLab starts at GitLab.com, Terraform at its default
    /// project).
    pub fn new(workload: Workload) -> Self {
        Self {
            workload,
            repository: String::new(),
            github_scope: GitHubScope::default(),
            value: String::new(),
            gitlab_ref: GitLabRef::default(),
            issuer: match workload {
                Workload::GitLab => GITLAB_ISSUER.into(),
                _ => String::new(),
            },
            namespace: String::new(),
            service_account: String::new(),
            organization: String::new(),
            project: match workload {
                Workload::TerraformCloud => "Default Project".into(),
                _ => String::new(),
            },
            workspace: String::new(),
            run_phase: RunPhase::default(),
            subject: String::new(),
        }
    }

    /// The issuer and subject this form describes, or what to change.
    pub fn build(&self) -> Result<(String, String), Vec<FieldProblem>> {
        let mut problems = Vec::new();
        let t = |s: &String| s.trim().to_string();
        let (issuer, subject) = match self.workload {
            Workload::GitHubActions => {
                let repo = t(&self.repository);
                if let Some(p) = check_github_repository(&repo) {
                    problems.push(p);
                }
                let value = t(&self.value);
                let tail = match self.github_scope {
                    GitHubScope::PullRequest => "pull_request".to_string(),
                    scope => {
                        if let Some(p) = check_github_value(scope, &value) {
                            problems.push(p);
                        }
                        match scope {
                            GitHubScope::Environment => format!("environment:{value}"),
                            GitHubScope::Branch => format!("ref:refs/heads/{value}"),
                            _ => format!("ref:refs/tags/{value}"),
                        }
                    }
                };
                (GITHUB_ISSUER.to_string(), format!("repo:{repo}:{tail}"))
            }
            Workload::Kubernetes => {
                let issuer = t(&self.issuer);
                problems.extend(check_issuer(&issuer));
                let (ns, sa) = (t(&self.namespace), t(&self.service_account));
                if !is_dns_label(&ns, 63) {
                    problems.push(problem(Field::Namespace, "Enter the namespace as Kubernetes names it: lowercase letters, digits and hyphens, starting and ending with a letter or digit (for example payroll)."));
                }
                if !is_dns_subdomain(&sa) {
                    problems.push(problem(Field::ServiceAccount, "Enter the service account's name: lowercase letters, digits, hyphens and dots (for example payroll-api)."));
                }
                (issuer, format!("system:serviceaccount:{ns}:{sa}"))
            }
            Workload::GitLab => {
                let issuer = t(&self.issuer);
                problems.extend(check_issuer(&issuer));
                let path = t(&self.repository);
                let parts: Vec<&str> = path.split('/').collect();
                if parts.len() < 2
                    || parts
                        .iter()
                        .any(|p| p.is_empty() || !p.bytes().all(path_byte))
                {
                    problems.push(problem(Field::Repository, "Enter the project's path as group/project (subgroups too: group/subgroup/project), without the instance's URL."));
                }
                let value = t(&self.value);
                if value.is_empty() || value.contains(char::is_whitespace) {
                    problems.push(problem(Field::Value, "Enter the branch or tag name exactly as GitLab shows it (for example main)."));
                } else if value.starts_with("refs/") {
                    problems.push(problem(Field::Value, "Enter the name without refs/heads/ or refs/tags/: GitLab's token carries the bare name."));
                }
                let kind = match self.gitlab_ref {
                    GitLabRef::Branch => "branch",
                    GitLabRef::Tag => "tag",
                };
                (
                    issuer,
                    format!("project_path:{path}:ref_type:{kind}:ref:{value}"),
                )
            }
            Workload::TerraformCloud => {
                let (org, project, ws) =
                    (t(&self.organization), t(&self.project), t(&self.workspace));
                for (field, v, what) in [
                    (Field::Organization, &org, "organization"),
                    (Field::Project, &project, "project"),
                    (Field::Workspace, &ws, "workspace"),
                ] {
                    if v.is_empty() || v.contains(':') {
                        problems.push(problem(field, format!("Enter the {what}'s name as HCP Terraform shows it (it can't contain a colon).")));
                    }
                }
                let phase = match self.run_phase {
                    RunPhase::Plan => "plan",
                    RunPhase::Apply => "apply",
                };
                (
                    TERRAFORM_ISSUER.to_string(),
                    format!(
                        "organization:{org}:project:{project}:workspace:{ws}:run_phase:{phase}"
                    ),
                )
            }
            Workload::OtherOidc | Workload::Elsewhere => {
                let issuer = t(&self.issuer);
                problems.extend(check_issuer(&issuer));
                let subject = t(&self.subject);
                if subject.is_empty() {
                    problems.push(problem(Field::Subject, "Enter the subject: the exact value of the sub claim in your issuer's tokens."));
                } else if issuer.trim_end_matches('/') == GITHUB_ISSUER
                    && !subject.starts_with("repo:")
                {
                    problems.push(problem(Field::Subject, "A GitHub Actions subject starts with repo:, for example repo:contoso/payroll-api:environment:production. Change the subject, or choose GitHub Actions to build it."));
                }
                (issuer, subject)
            }
        };
        for (field, v) in [(Field::Issuer, &issuer), (Field::Subject, &subject)] {
            if v.chars().count() > MAX_VALUE {
                problems.push(problem(field, format!("This is longer than the {MAX_VALUE} characters Microsoft Graph accepts: shorten it.")));
            }
        }
        if problems.is_empty() {
            Ok((issuer, subject))
        } else {
            Err(problems)
        }
    }

    /// A name that follows the rule, from what the form says ("github-contoso-payroll-production").
    pub fn suggested_name(&self) -> String {
        let raw = match self.workload {
            Workload::GitHubActions => match self.github_scope {
                GitHubScope::PullRequest => format!("github-{}-pull-requests", self.repository),
                _ => format!("github-{}-{}", self.repository, self.value),
            },
            Workload::Kubernetes => format!("k8s-{}-{}", self.namespace, self.service_account),
            Workload::GitLab => format!("gitlab-{}-{}", self.repository, self.value),
            Workload::TerraformCloud => format!(
                "tfc-{}-{}-{}",
                self.organization,
                self.workspace,
                match self.run_phase {
                    RunPhase::Plan => "plan",
                    RunPhase::Apply => "apply",
                }
            ),
            Workload::OtherOidc | Workload::Elsewhere => "federated-credential".to_string(),
        };
        let mut name = String::new();
        for c in raw.trim().chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' {
                c.to_ascii_lowercase()
            } else {
                '-'
            };
            if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
                name.push(c);
            }
        }
        let mut name: String = name.trim_end_matches('-').chars().take(MAX_NAME).collect();
        while name.ends_with('-') {
            name.pop();
        }
        if name.len() < 3 {
            "federated-credential".into()
        } else {
            name
        }
    }
}

/// The audience Microsoft documents for the cloud whose Graph the app calls: the global
/// service's for `graph.microsoft.com` and for the local sandbox (which stands in for it),
/// Azure Government's, or Azure operated by 21Vianet's. `None` where no value is documented
/// (a custom cloud): the form asks for it rather than guess.
pub fn audience_for_graph_base(graph_base: &str) -> Option<&'static str> {
    let url = crate::cloud::WebUrl::parse(graph_base)?;
    if url.is_loopback() {
        return Some(AZURE_AD_TOKEN_EXCHANGE);
    }
    let host = crate::cloud::host_of(graph_base)?;
    match host.as_str() {
        "graph.microsoft.com" => Some(AZURE_AD_TOKEN_EXCHANGE),
        "graph.microsoft.us" | "dod-graph.microsoft.us" => Some("api://AzureADTokenExchangeUSGov"),
        "microsoftgraph.chinacloudapi.cn" => Some("api://AzureADTokenExchangeChina"),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
