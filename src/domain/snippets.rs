//! Code a developer pastes into their service to read what the wizard stored in Key Vault, and the
//! environment variables it needs: pure text, never a value.
//!
//! Each snippet uses Azure Identity's `DefaultAzureCredential` (the workload's managed identity in
//! Azure, the developer's own sign-in on their machine) and the Key Vault secrets client of one
//! language ([`Language`]): `SecretClient` in .NET (`Azure.Security.KeyVault.Secrets`), Python
//! (`azure-keyvault-secrets`), JavaScript (`@azure/keyvault-secrets`) and Java
//! (`azure-security-keyvault-secrets`). The vault URI and the secret's name are filled in as string
//! literals ([`literal`]); the snippet reads the latest version by name, so a rotation needs no code
//! change. The packages to install are the first comment line, so one copy carries everything.
//!
//! [`read_secret`] is the secret's snippet; [`env_vars`] the lines for the app registration's
//! identity, where `AZURE_CLIENT_SECRET` is read from the vault (an App Service / Functions Key
//! Vault reference), never pasted. [`vault_uri_of`] takes the vault URI from a secret's URI.
//! Other credentials (a certificate's PEM) add their own `fn (Language, &VaultSecret) -> Snippet`
//! beside [`read_secret`].

/// The languages offered, in the order of the tabs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Language {
    DotNet,
    Python,
    JavaScript,
    Java,
}

impl Language {
    pub const ALL: [Language; 4] = [
        Language::DotNet,
        Language::Python,
        Language::JavaScript,
        Language::Java,
    ];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            Language::DotNet => ".NET",
            Language::Python => "Python",
            Language::JavaScript => "JavaScript",
            Language::Java => "Java",
        }
    }

    /// A short key for element ids and test ids (`dotnet`, `python`, `javascript`, `java`).
    pub fn key(self) -> &'static str {
        match self {
            Language::DotNet => "dotnet",
            Language::Python => "python",
            Language::JavaScript => "javascript",
            Language::Java => "java",
        }
    }

    /// How the packages are added, as a line comment in the language.
    fn install_comment(self, packages: Packages) -> String {
        match self {
            Language::DotNet => format!(
                "// dotnet add package Azure.Identity && dotnet add package {}",
                packages.dotnet
            ),
            Language::Python => format!("# pip install azure-identity {}", packages.python),
            Language::JavaScript => {
                format!("// npm install @azure/identity {}", packages.javascript)
            }
            Language::Java => format!(
                "// Maven: com.azure:azure-identity and com.azure:{}",
                packages.java
            ),
        }
    }
}

/// The Key Vault client package of each language.
#[derive(Clone, Copy)]
struct Packages {
    dotnet: &'static str,
    python: &'static str,
    javascript: &'static str,
    java: &'static str,
}

const SECRETS: Packages = Packages {
    dotnet: "Azure.Security.KeyVault.Secrets",
    python: "azure-keyvault-secrets",
    javascript: "@azure/keyvault-secrets",
    java: "azure-security-keyvault-secrets",
};

/// Where something is in Key Vault: the vault URI (`https://{vault}.vault.azure.net/`) and the
/// secret's name. Never a value.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VaultSecret<'a> {
    pub vault_uri: &'a str,
    pub secret_name: &'a str,
}

/// One language's code, ready to paste.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snippet {
    pub language: Language,
    pub code: String,
}

/// `text` as a double-quoted string literal that means exactly `text` in C#, Python, JavaScript
/// and Java: `\` and `"` escaped, control characters as `\uXXXX` (all four read that escape in
/// a regular string literal).
pub fn literal(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '"' => out.push_str("\\\""),
            c if (c as u32) < 0x20 || c == '\u{7f}' || c == '\u{2028}' || c == '\u{2029}' => {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The code that reads the secret's latest version with `DefaultAzureCredential`.
pub fn read_secret(language: Language, at: &VaultSecret) -> Snippet {
    let uri = literal(at.vault_uri);
    let name = literal(at.secret_name);
    let install = language.install_comment(SECRETS);
    let code = match language {
        Language::DotNet => format!(
            "{install}\n\
             using Azure.Identity;\n\
             using Azure.Security.KeyVault.Secrets;\n\
             \n\
             var client = new SecretClient(new Uri({uri}), new DefaultAzureCredential());\n\
             KeyVaultSecret secret = await client.GetSecretAsync({name});\n\
             string value = secret.Value; // use it; never log it\n"
        ),
        Language::Python => format!(
            "{install}\n\
             from azure.identity import DefaultAzureCredential\n\
             from azure.keyvault.secrets import SecretClient\n\
             \n\
             client = SecretClient(vault_url={uri}, credential=DefaultAzureCredential())\n\
             value = client.get_secret({name}).value  # use it; never log it\n"
        ),
        Language::JavaScript => format!(
            "{install}\n\
             import {{ DefaultAzureCredential }} from \"@azure/identity\";\n\
             import {{ SecretClient }} from \"@azure/keyvault-secrets\";\n\
             \n\
             const client = new SecretClient({uri}, new DefaultAzureCredential());\n\
             const {{ value }} = await client.getSecret({name}); // use it; never log it\n"
        ),
        Language::Java => format!(
            "{install}\n\
             import com.azure.identity.DefaultAzureCredentialBuilder;\n\
             import com.azure.security.keyvault.secrets.SecretClient;\n\
             import com.azure.security.keyvault.secrets.SecretClientBuilder;\n\
             \n\
             SecretClient client = new SecretClientBuilder()\n\
             \x20   .vaultUrl({uri})\n\
             \x20   .credential(new DefaultAzureCredentialBuilder().build())\n\
             \x20   .buildClient();\n\
             String value = client.getSecret({name}).getValue(); // use it; never log it\n"
        ),
    };
    Snippet { language, code }
}

/// The environment variables of a service that signs in as the app registration with this
/// secret (Azure Identity's `EnvironmentCredential`, the first credential `DefaultAzureCredential`
/// tries, reads `AZURE_CLIENT_ID`, `AZURE_TENANT_ID` and `AZURE_CLIENT_SECRET`).
/// `AZURE_CLIENT_SECRET` is read from the vault: with `stored` (vault name, secret name), an App
/// Service / Functions Key Vault reference to the latest version; without, a comment that says
/// where it comes from. Never the value. A comment says that with all three set,
/// `DefaultAzureCredential` signs in as the app before it tries a managed identity
/// (EnvironmentCredential comes first in its chain: the DefaultAzureCredential class reference of
/// each language).
pub fn env_vars(client_id: &str, tenant_id: &str, stored: Option<(&str, &str)>) -> String {
    let secret = match stored {
        Some((vault, name)) => format!(
            "# Read from Key Vault, never pasted: on App Service or Functions this reference\n\
             # resolves to the latest version (elsewhere, read it with the code above).\n\
             AZURE_CLIENT_SECRET=@Microsoft.KeyVault(VaultName={vault};SecretName={name})"
        ),
        None => "# AZURE_CLIENT_SECRET: set it from where you keep the value (a vault, your \
                 platform's secret store), never in a file in source control."
            .to_string(),
    };
    format!(
        "# The app registration's sign-in (Azure Identity's EnvironmentCredential reads these).\n\
         # With all three set, DefaultAzureCredential signs in as this app before it tries a\n\
         # managed identity: then this app, not the managed identity, needs read access to the vault.\n\
         AZURE_CLIENT_ID={client_id}\nAZURE_TENANT_ID={tenant_id}\n{secret}"
    )
}

/// The vault URI (`https://{vault}.vault.azure.net/`) of a secret's URI
/// (`https://{vault}.vault.azure.net/secrets/{name}[/{version}]`): everything before `/secrets/`,
/// with a trailing `/`. `None` when the URI has no `/secrets/` segment.
pub fn vault_uri_of(secret_uri: &str) -> Option<String> {
    let (base, _) = secret_uri.split_once("/secrets/")?;
    (!base.is_empty()).then(|| format!("{base}/"))
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: VaultSecret<'static> = VaultSecret {
        vault_uri: "https://kv-contoso-dev.vault.azure.net/",
        secret_name: "payroll-api-client-secret",
    };

    #[test]
    fn every_language_reads_the_named_secret_of_the_vault_with_default_azure_credential() {
        for lang in Language::ALL {
            let s = read_secret(lang, &AT);
            assert_eq!(s.language, lang);
            assert!(
                s.code
                    .contains("\"https://kv-contoso-dev.vault.azure.net/\""),
                "{lang:?}: {}",
                s.code
            );
            assert!(s.code.contains("\"payroll-api-client-secret\""), "{lang:?}");
            assert!(s.code.contains("DefaultAzureCredential"), "{lang:?}");
            assert!(s.code.contains("SecretClient"), "{lang:?}");
        }
        let get = |l| read_secret(l, &AT).code;
        assert!(get(Language::DotNet).contains("client.GetSecretAsync("));
        assert!(
            get(Language::DotNet).contains("dotnet add package Azure.Security.KeyVault.Secrets")
        );
        assert!(get(Language::Python).contains("client.get_secret("));
        assert!(get(Language::Python)
            .starts_with("# pip install azure-identity azure-keyvault-secrets"));
        assert!(get(Language::JavaScript).contains("await client.getSecret("));
        assert!(get(Language::JavaScript)
            .contains("npm install @azure/identity @azure/keyvault-secrets"));
        assert!(
            get(Language::Java).contains(".vaultUrl(\"https://kv-contoso-dev.vault.azure.net/\")")
        );
        assert!(get(Language::Java).contains("com.azure:azure-security-keyvault-secrets"));
    }

    #[test]
    fn languages_have_distinct_keys_and_labels() {
        let keys: std::collections::HashSet<_> = Language::ALL.iter().map(|l| l.key()).collect();
        let labels: std::collections::HashSet<_> =
            Language::ALL.iter().map(|l| l.label()).collect();
        assert_eq!(keys.len(), 4);
        assert_eq!(labels.len(), 4);
    }

    #[test]
    fn literals_cannot_be_broken_out_of() {
        assert_eq!(literal("plain"), "\"plain\"");
        assert_eq!(literal("a\"b"), "\"a\\\"b\"");
        assert_eq!(literal("a\\b"), "\"a\\\\b\"");
        assert_eq!(literal("a\nb"), "\"a\\u000ab\"");
        assert_eq!(literal("a\u{2028}b"), "\"a\\u2028b\"");
        // A hostile name stays inside its literal: the only unescaped quotes are the two ends.
        let hostile = "x\"); System.exit(1); (\"\\";
        let lit = literal(hostile);
        let inner = &lit[1..lit.len() - 1];
        let mut escaped = false;
        for c in inner.chars() {
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else {
                assert_ne!(c, '"', "{lit}");
            }
        }
        assert!(!escaped);
        // What Python makes of it (JSON's string syntax is the common subset): the same text.
        let back: String = serde_json::from_str(&lit).expect("a JSON string");
        assert_eq!(back, hostile);
    }

    #[test]
    fn env_vars_name_the_app_and_read_the_secret_from_the_vault() {
        let with = env_vars(
            "11111111-2222-3333-4444-555555555555",
            "72f988bf-0000-0000-0000-000000000000",
            Some(("kv-contoso-dev", "payroll-api-client-secret")),
        );
        assert!(with.starts_with("# "), "{with}");
        assert!(with.contains(
            "\nAZURE_CLIENT_ID=11111111-2222-3333-4444-555555555555\nAZURE_TENANT_ID=72f988bf-0000-0000-0000-000000000000\n"
        ));
        assert!(with.contains("DefaultAzureCredential signs in as this app"));
        // Every line is a comment or a NAME=value line, so it pastes into a .env file as it is.
        for line in with.lines() {
            assert!(
                line.starts_with('#')
                    || line
                        .split_once('=')
                        .is_some_and(|(k, _)| k.starts_with("AZURE_")),
                "{line}"
            );
        }
        assert!(with.ends_with(
            "AZURE_CLIENT_SECRET=@Microsoft.KeyVault(VaultName=kv-contoso-dev;SecretName=payroll-api-client-secret)"
        ));
        let without = env_vars("c", "t", None);
        assert!(without.contains("AZURE_CLIENT_ID=c\nAZURE_TENANT_ID=t\n"));
        // No line sets the secret when there is no vault to read it from.
        assert!(!without
            .lines()
            .any(|l| l.starts_with("AZURE_CLIENT_SECRET=")));
    }

    #[test]
    fn the_vault_uri_is_the_part_before_secrets() {
        assert_eq!(
            vault_uri_of(
                "https://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/4387e9f3"
            )
            .as_deref(),
            Some("https://kv-contoso-dev.vault.azure.net/")
        );
        assert_eq!(
            vault_uri_of("http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/n/v").as_deref(),
            Some("http://127.0.0.1:8400/kv/kv-contoso-dev/")
        );
        assert_eq!(vault_uri_of("https://kv.vault.azure.net/keys/n/v"), None);
        assert_eq!(vault_uri_of("/secrets/n"), None);
    }
}
