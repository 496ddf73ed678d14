//! The code that signs in as the app registration with the certificate the wizard stored: read
//! the PEM (private key and certificate) from Key Vault with `DefaultAzureCredential` and the
//! secrets client, then Azure Identity's certificate credential of each language:
//! `ClientCertificateCredential` with `X509Certificate2.CreateFromPem` (.NET),
//! `CertificateCredential(certificate_data=…)` (Python), `ClientCertificateCredential` with
//! `{ certificate }` (JavaScript), `ClientCertificateCredentialBuilder.pemCertificate` (Java).
//! Pure text: the vault URI, the secret's name and the IDs as string literals
//! (`domain::snippets::literal`), never a value.

use crate::domain::snippets::{literal, Language, Snippet, VaultSecret};

/// Who signs in: the app registration's client ID and its tenant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppIdentity<'a> {
    pub client_id: &'a str,
    pub tenant_id: &'a str,
}

/// The snippet for one language: the PEM from the vault into a certificate credential.
pub fn sign_in_with_certificate(
    language: Language,
    at: &VaultSecret,
    app: &AppIdentity,
) -> Snippet {
    let uri = literal(at.vault_uri);
    let name = literal(at.secret_name);
    let tenant = literal(app.tenant_id);
    let client = literal(app.client_id);
    let code = match language {
        Language::DotNet => format!(
            "// dotnet add package Azure.Identity && dotnet add package Azure.Security.KeyVault.Secrets\n\
             using System.Security.Cryptography.X509Certificates;\n\
             using Azure.Identity;\n\
             using Azure.Security.KeyVault.Secrets;\n\
             \n\
             var vault = new SecretClient(new Uri({uri}), new DefaultAzureCredential());\n\
             KeyVaultSecret pem = await vault.GetSecretAsync({name});\n\
             // The PEM holds the private key and the certificate: never log it.\n\
             using var certificate = X509Certificate2.CreateFromPem(pem.Value, pem.Value);\n\
             var credential = new ClientCertificateCredential({tenant}, {client}, certificate);\n"
        ),
        Language::Python => format!(
            "# pip install azure-identity azure-keyvault-secrets\n\
             from azure.identity import CertificateCredential, DefaultAzureCredential\n\
             from azure.keyvault.secrets import SecretClient\n\
             \n\
             vault = SecretClient(vault_url={uri}, credential=DefaultAzureCredential())\n\
             pem = vault.get_secret({name}).value  # private key and certificate: never log it\n\
             credential = CertificateCredential({tenant}, {client}, certificate_data=pem.encode())\n"
        ),
        Language::JavaScript => format!(
            "// npm install @azure/identity @azure/keyvault-secrets\n\
             import {{ ClientCertificateCredential, DefaultAzureCredential }} from \"@azure/identity\";\n\
             import {{ SecretClient }} from \"@azure/keyvault-secrets\";\n\
             \n\
             const vault = new SecretClient({uri}, new DefaultAzureCredential());\n\
             const {{ value: pem }} = await vault.getSecret({name}); // never log it\n\
             const credential = new ClientCertificateCredential({tenant}, {client}, {{ certificate: pem }});\n"
        ),
        Language::Java => format!(
            "// Maven: com.azure:azure-identity and com.azure:azure-security-keyvault-secrets\n\
             import com.azure.identity.ClientCertificateCredential;\n\
             import com.azure.identity.ClientCertificateCredentialBuilder;\n\
             import com.azure.identity.DefaultAzureCredentialBuilder;\n\
             import com.azure.security.keyvault.secrets.SecretClient;\n\
             import com.azure.security.keyvault.secrets.SecretClientBuilder;\n\
             import java.io.ByteArrayInputStream;\n\
             import java.nio.charset.StandardCharsets;\n\
             \n\
             SecretClient vault = new SecretClientBuilder()\n\
             \x20   .vaultUrl({uri})\n\
             \x20   .credential(new DefaultAzureCredentialBuilder().build())\n\
             \x20   .buildClient();\n\
             String pem = vault.getSecret({name}).getValue(); // never log it\n\
             ClientCertificateCredential credential = new ClientCertificateCredentialBuilder()\n\
             \x20   .tenantId({tenant})\n\
             \x20   .clientId({client})\n\
             \x20   .pemCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.UTF_8)))\n\
             \x20   .build();\n"
        ),
    };
    Snippet { language, code }
}

#[cfg(test)]
mod tests {
    use super::*;

    const AT: VaultSecret<'static> = VaultSecret {
        vault_uri: "https://kv-contoso-dev.vault.azure.net/",
        secret_name: "onboarding-portal-certificate",
    };
    const APP: AppIdentity<'static> = AppIdentity {
        client_id: "11111111-2222-3333-4444-555555555555",
        tenant_id: "72f988bf-0000-0000-0000-000000000000",
    };

    #[test]
    fn every_language_reads_the_pem_and_builds_a_certificate_credential() {
        for lang in Language::ALL {
            let s = sign_in_with_certificate(lang, &AT, &APP);
            assert_eq!(s.language, lang);
            for needle in [
                "\"https://kv-contoso-dev.vault.azure.net/\"",
                "\"onboarding-portal-certificate\"",
                "\"11111111-2222-3333-4444-555555555555\"",
                "\"72f988bf-0000-0000-0000-000000000000\"",
                "DefaultAzureCredential",
                "SecretClient",
                "CertificateCredential",
            ] {
                assert!(
                    s.code.contains(needle),
                    "{lang:?} lacks {needle}: {}",
                    s.code
                );
            }
        }
        let get = |l| sign_in_with_certificate(l, &AT, &APP).code;
        assert!(
            get(Language::DotNet).contains("X509Certificate2.CreateFromPem(pem.Value, pem.Value)")
        );
        assert!(get(Language::Python).contains("certificate_data=pem.encode()"));
        assert!(get(Language::JavaScript).contains("{ certificate: pem }"));
        assert!(get(Language::Java).contains(".pemCertificate("));
    }

    #[test]
    fn names_are_literals_that_cannot_be_broken_out_of() {
        let at = VaultSecret {
            vault_uri: "https://kv/",
            secret_name: "a\"); drop(\"",
        };
        let code = sign_in_with_certificate(Language::Python, &at, &APP).code;
        assert!(code.contains("get_secret(\"a\\\"); drop(\\\"\")"), "{code}");
    }
}
