//! Subscriptions, key vaults, role assignments and the secrets the vaults hold: the one store that
//! both Azure Resource Manager (`crate::arm`) and the Key Vault data plane (`crate::keyvault`) read
//! and write.
//!
//! Seeded by [`seed`]; Key Vault's rules in [`rules`]; request-body parsing shared by both
//! services in [`params`]; role definitions and RBAC evaluation live in `crate::arm::rbac`.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{json, Value};

pub mod params;
pub mod rules;
pub mod seed;

use crate::arm::rbac::RoleDefinition;
pub use rules::{
    check_limits, new_version_id, valid_secret_name, NetworkAcls, MAX_CONTENT_TYPE_CHARS,
    MAX_SECRET_NAME_CHARS, MAX_TAGS, MAX_TAG_CHARS, MAX_VALUE_BYTES,
};

/// Everything behind ARM and the data plane.
#[derive(Debug, Default)]
pub struct VaultState {
    pub subscriptions: Vec<Subscription>,
    pub vaults: Vec<Vault>,
    pub role_assignments: Vec<RoleAssignment>,
}

#[derive(Debug, Clone)]
pub struct Subscription {
    pub id: String,
    pub display_name: String,
    pub resource_groups: Vec<String>,
}

impl Subscription {
    pub fn scope(&self) -> String {
        format!("/subscriptions/{}", self.id)
    }
}

/// A role assignment: `principal_id` holds `role` at `scope` and everything below it.
#[derive(Debug, Clone)]
pub struct RoleAssignment {
    pub id: String,
    pub principal_id: String,
    pub role: RoleDefinition,
    pub scope: String,
}

/// A key vault (RBAC authorization, soft delete on).
#[derive(Debug)]
pub struct Vault {
    pub name: String,
    pub subscription_id: String,
    pub resource_group: String,
    pub location: String,
    pub tags: BTreeMap<String, String>,
    pub created: DateTime<Utc>,
    pub created_by: String,
    /// `standard` or `premium`.
    pub sku: String,
    pub network_acls: NetworkAcls,
    pub soft_delete_retention_days: i64,
    /// Live secrets by lower-cased name (names compare case-insensitively).
    pub secrets: BTreeMap<String, Secret>,
    /// Soft-deleted secrets by lower-cased name.
    pub deleted: BTreeMap<String, DeletedSecret>,
}

/// A secret: its name as first created, and every version, oldest first.
#[derive(Debug, Clone)]
pub struct Secret {
    pub name: String,
    pub versions: Vec<SecretVersion>,
}

#[derive(Debug, Clone)]
pub struct SecretVersion {
    /// 32 lower-case hex digits.
    pub version: String,
    pub value: SecretText,
    pub content_type: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub enabled: bool,
    /// Unix seconds.
    pub nbf: Option<i64>,
    pub exp: Option<i64>,
    pub created: i64,
    pub updated: i64,
}

/// A secret value. Its `Debug` never shows it: only `expose` does, for the few places that must.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretText(String);

impl SecretText {
    pub fn new(value: String) -> Self {
        Self(value)
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SecretText(<{} bytes redacted>)", self.0.len())
    }
}

#[derive(Debug, Clone)]
pub struct DeletedSecret {
    pub secret: Secret,
    pub deleted_date: i64,
    pub scheduled_purge_date: i64,
}

/// A new version, as SecretSetParameters (data plane) or SecretCreateOrUpdateParameters (ARM)
/// describe it.
#[derive(Debug, Clone)]
pub struct NewVersion {
    pub value: SecretText,
    pub content_type: Option<String>,
    pub tags: BTreeMap<String, String>,
    pub enabled: Option<bool>,
    pub nbf: Option<i64>,
    pub exp: Option<i64>,
}

/// Why a store operation failed; each service words it in its own error shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreError {
    SecretNotFound,
    VersionNotFound,
    /// The name is soft-deleted: it can only be recovered or purged. Carries the stored name.
    DeletedButRecoverable(String),
    DeletedSecretNotFound,
}

impl Secret {
    /// The latest version: the one created last.
    pub fn latest(&self) -> &SecretVersion {
        self.versions
            .last()
            .expect("a secret has at least one version")
    }

    pub fn version(&self, version: &str) -> Option<&SecretVersion> {
        self.versions
            .iter()
            .find(|v| v.version.eq_ignore_ascii_case(version))
    }

    pub fn version_mut(&mut self, version: &str) -> Option<&mut SecretVersion> {
        self.versions
            .iter_mut()
            .find(|v| v.version.eq_ignore_ascii_case(version))
    }
}

impl Vault {
    /// The ARM resource ID.
    pub fn id(&self) -> String {
        format!(
            "/subscriptions/{}/resourceGroups/{}/providers/Microsoft.KeyVault/vaults/{}",
            self.subscription_id, self.resource_group, self.name
        )
    }

    /// `properties.vaultUri`: the sandbox's data plane for this vault, with a trailing slash.
    pub fn vault_uri(&self, base_url: &str) -> String {
        format!("{}/kv/{}/", base_url.trim_end_matches('/'), self.name)
    }

    pub fn secret(&self, name: &str) -> Option<&Secret> {
        self.secrets.get(&name.to_ascii_lowercase())
    }

    pub fn secret_mut(&mut self, name: &str) -> Option<&mut Secret> {
        self.secrets.get_mut(&name.to_ascii_lowercase())
    }

    pub fn deleted_secret(&self, name: &str) -> Option<&DeletedSecret> {
        self.deleted.get(&name.to_ascii_lowercase())
    }

    /// Adds a version (creating the secret if new). Returns whether the secret was created.
    pub fn set_secret(
        &mut self,
        name: &str,
        new: NewVersion,
        now: i64,
    ) -> Result<(bool, &SecretVersion), StoreError> {
        let key = name.to_ascii_lowercase();
        if let Some(deleted) = self.deleted.get(&key) {
            return Err(StoreError::DeletedButRecoverable(
                deleted.secret.name.clone(),
            ));
        }
        let version = SecretVersion {
            version: new_version_id(),
            value: new.value,
            content_type: new.content_type,
            tags: new.tags,
            enabled: new.enabled.unwrap_or(true),
            nbf: new.nbf,
            exp: new.exp,
            created: now,
            updated: now,
        };
        let created = !self.secrets.contains_key(&key);
        let secret = self.secrets.entry(key).or_insert_with(|| Secret {
            name: name.to_owned(),
            versions: Vec::new(),
        });
        secret.versions.push(version);
        Ok((created, secret.latest()))
    }

    /// Soft-deletes every version of a secret.
    pub fn delete_secret(&mut self, name: &str, now: i64) -> Result<&DeletedSecret, StoreError> {
        let key = name.to_ascii_lowercase();
        let secret = self
            .secrets
            .remove(&key)
            .ok_or(StoreError::SecretNotFound)?;
        let deleted = DeletedSecret {
            secret,
            deleted_date: now,
            scheduled_purge_date: now + self.soft_delete_retention_days * 86_400,
        };
        Ok(self.deleted.entry(key).or_insert(deleted))
    }

    /// Brings a soft-deleted secret back with all its versions.
    pub fn recover_secret(&mut self, name: &str) -> Result<&Secret, StoreError> {
        let key = name.to_ascii_lowercase();
        let deleted = self
            .deleted
            .remove(&key)
            .ok_or(StoreError::DeletedSecretNotFound)?;
        Ok(self.secrets.entry(key).or_insert(deleted.secret))
    }

    /// Removes a soft-deleted secret for good.
    pub fn purge_secret(&mut self, name: &str) -> Result<(), StoreError> {
        self.deleted
            .remove(&name.to_ascii_lowercase())
            .map(|_| ())
            .ok_or(StoreError::DeletedSecretNotFound)
    }
}

impl VaultState {
    pub fn seed(seed: &crate::seed::Seed) -> Self {
        seed::seed(seed, Utc::now())
    }

    pub fn subscription(&self, id: &str) -> Option<&Subscription> {
        self.subscriptions
            .iter()
            .find(|s| s.id.eq_ignore_ascii_case(id))
    }

    pub fn vault(&self, name: &str) -> Option<&Vault> {
        self.vaults
            .iter()
            .find(|v| v.name.eq_ignore_ascii_case(name))
    }

    pub fn vault_mut(&mut self, name: &str) -> Option<&mut Vault> {
        self.vaults
            .iter_mut()
            .find(|v| v.name.eq_ignore_ascii_case(name))
    }

    /// The roles `principal` holds at `scope`, directly or inherited from a parent scope.
    pub fn roles_at<'a>(
        &'a self,
        principal: &'a str,
        scope: &'a str,
    ) -> impl Iterator<Item = &'a RoleAssignment> + 'a {
        self.role_assignments.iter().filter(move |a| {
            a.principal_id.eq_ignore_ascii_case(principal)
                && crate::arm::rbac::scope_within(scope, &a.scope)
        })
    }

    pub fn allows_action(&self, principal: &str, scope: &str, action: &str) -> bool {
        self.roles_at(principal, scope)
            .any(|a| a.role.allows_action(action))
    }

    pub fn allows_data_action(&self, principal: &str, scope: &str, action: &str) -> bool {
        self.roles_at(principal, scope)
            .any(|a| a.role.allows_data_action(action))
    }

    /// Whether `principal` holds any role at or below `scope` (what `GET /subscriptions` needs).
    pub fn has_any_role_within(&self, principal: &str, scope: &str) -> bool {
        self.role_assignments.iter().any(|a| {
            a.principal_id.eq_ignore_ascii_case(principal)
                && (crate::arm::rbac::scope_within(&a.scope, scope)
                    || crate::arm::rbac::scope_within(scope, &a.scope))
        })
    }

    /// Everything the vaults hold, for `GET /_sandbox/state` (values included: tests only).
    pub fn to_json(&self) -> Value {
        seed::state_json(self)
    }
}

/// `secret` with each version's value, for the test-only state dump.
pub fn secret_state_json(secret: &Secret) -> Value {
    let versions: Vec<Value> = secret
        .versions
        .iter()
        .map(|v| {
            json!({
                "version": v.version,
                "value": v.value.expose(),
                "contentType": v.content_type,
                "tags": v.tags,
                "attributes": {"enabled": v.enabled, "nbf": v.nbf, "exp": v.exp,
                               "created": v.created, "updated": v.updated},
            })
        })
        .collect();
    json!({"name": secret.name, "versions": versions})
}

#[cfg(test)]
mod tests {
    use super::*;

    fn version(value: &str) -> NewVersion {
        NewVersion {
            value: SecretText::new(value.into()),
            content_type: None,
            tags: BTreeMap::new(),
            enabled: None,
            nbf: None,
            exp: None,
        }
    }

    #[test]
    fn values_stay_out_of_debug_output() {
        let text = SecretText::new("hunter2-very-secret".into());
        assert!(!format!("{text:?}").contains("hunter2"));
    }

    #[test]
    fn versions_soft_delete_and_case() {
        let mut state = VaultState::seed(&crate::seed::Seed::Demo);
        let vault = state.vault_mut("KV-CONTOSO-DEV").unwrap();
        let (created, _) = vault.set_secret("My-Secret", version("a"), 10).unwrap();
        assert!(created);
        let (created, v2) = vault.set_secret("my-secret", version("b"), 11).unwrap();
        assert!(!created);
        assert_eq!(v2.value.expose(), "b");
        assert_eq!(vault.secret("MY-SECRET").unwrap().name, "My-Secret");
        assert_eq!(vault.secret("my-secret").unwrap().versions.len(), 2);
        vault.delete_secret("my-SECRET", 20).unwrap();
        assert_eq!(
            vault.set_secret("my-secret", version("c"), 21).unwrap_err(),
            StoreError::DeletedButRecoverable("My-Secret".into())
        );
        vault.recover_secret("My-secret").unwrap();
        assert_eq!(
            vault.secret("my-secret").unwrap().latest().value.expose(),
            "b"
        );
        vault.delete_secret("my-secret", 30).unwrap();
        vault.purge_secret("my-secret").unwrap();
        assert_eq!(
            vault.purge_secret("my-secret"),
            Err(StoreError::DeletedSecretNotFound)
        );
        assert!(vault.set_secret("my-secret", version("d"), 31).unwrap().0);
    }
}
