//! The code that uses a new federated credential, per workload (the step's result view).

use super::*;

/// A snippet that uses the new credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub title: &'static str,
    /// What to do with it, in a sentence.
    pub hint: &'static str,
    pub text: String,
}

/// The IDs a snippet names.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ids<'a> {
    pub client_id: &'a str,
    pub tenant_id: &'a str,
}

/// The snippets for the workload the credential was made for.
pub fn snippets(
    input: &TemplateInput,
    created: &FederatedIdentityCredential,
    ids: &Ids,
) -> Vec<Snippet> {
    let Ids {
        client_id,
        tenant_id,
    } = ids;
    let audience = created
        .audiences
        .first()
        .map(String::as_str)
        .unwrap_or(AZURE_AD_TOKEN_EXCHANGE);
    match input.workload {
        Workload::GitHubActions => {
            let environment = match input.github_scope {
                GitHubScope::Environment => {
                    format!("    environment: {}\n", input.value.trim())
                }
                _ => String::new(),
            };
            let trigger = match input.github_scope {
                GitHubScope::PullRequest => "on: pull_request\n".to_string(),
                GitHubScope::Tag => "on:\n  push:\n    tags: ['*']\n".to_string(),
                GitHubScope::Branch => {
                    format!("on:\n  push:\n    branches: [{}]\n", input.value.trim())
                }
                GitHubScope::Environment => "on: workflow_dispatch\n".to_string(),
            };
            vec![Snippet {
                title: "GitHub Actions workflow",
                hint: "Add this to a workflow in .github/workflows/. Replace the subscription ID, \
                       or use allow-no-subscriptions: true when the job calls no subscription.",
                text: format!(
                    "{trigger}\npermissions:\n  id-token: write   # lets the job ask GitHub for its OIDC token\n  contents: read\n\n\
                     jobs:\n  deploy:\n    runs-on: ubuntu-latest\n{environment}    steps:\n      - uses: azure/login@v2\n        with:\n          \
                     client-id: {client_id}\n          tenant-id: {tenant_id}\n          subscription-id: <your-subscription-id>\n      \
                     - run: az account show\n"
                ),
            }]
        }
        Workload::Kubernetes => {
            let (ns, sa) = (input.namespace.trim(), input.service_account.trim());
            vec![
                Snippet {
                    title: "Service account",
                    hint: "Apply this service account (kubectl apply -f); the annotations name the app and tenant.",
                    text: format!(
                        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: {sa}\n  namespace: {ns}\n  annotations:\n    \
                         azure.workload.identity/client-id: \"{client_id}\"\n    azure.workload.identity/tenant-id: \"{tenant_id}\"\n"
                    ),
                },
                Snippet {
                    title: "Pod template",
                    hint: "In your deployment's pod template: the label makes the workload identity webhook project the token.",
                    text: format!(
                        "  template:\n    metadata:\n      labels:\n        azure.workload.identity/use: \"true\"\n    spec:\n      \
                         serviceAccountName: {sa}\n"
                    ),
                },
            ]
        }
        Workload::GitLab => vec![Snippet {
            title: "GitLab CI/CD job",
            hint: "Add this job to .gitlab-ci.yml; the id_tokens audience must be the credential's.",
            text: format!(
                "deploy:\n  image: mcr.microsoft.com/azure-cli\n  id_tokens:\n    AZURE_JWT:\n      aud: {audience}\n  script:\n    \
                 - az login --service-principal --username \"{client_id}\" --tenant \"{tenant_id}\" --federated-token \"$AZURE_JWT\"\n    \
                 - az account show\n"
            ),
        }],
        Workload::TerraformCloud => vec![Snippet {
            title: "Workspace variables",
            hint: "Set these as environment variables of the workspace in HCP Terraform.",
            text: format!(
                "TFC_AZURE_PROVIDER_AUTH=true\nTFC_AZURE_RUN_CLIENT_ID={client_id}\nTFC_AZURE_WORKLOAD_IDENTITY_AUDIENCE={audience}\n\
                 ARM_TENANT_ID={tenant_id}\nARM_SUBSCRIPTION_ID=<your-subscription-id>\n"
            ),
        }],
        Workload::OtherOidc | Workload::Elsewhere => vec![Snippet {
            title: "Environment variables",
            hint: "Azure Identity's WorkloadIdentityCredential (part of DefaultAzureCredential) reads these; \
                   write your issuer's token, with this audience, to the file.",
            text: format!(
                "AZURE_CLIENT_ID={client_id}\nAZURE_TENANT_ID={tenant_id}\nAZURE_FEDERATED_TOKEN_FILE=/path/to/token   # aud: {audience}\n"
            ),
        }],
    }
}
