//! The data plane's JSON shapes (SecretBundle, SecretItem, DeletedSecretBundle,
//! DeletedSecretItem) as ../shared/specs/keyvault-7.5/secrets.json defines them. Optional
//! properties the service leaves out when unset (`nbf`, `exp`, `contentType`, `tags`) are left
//! out here too, as in the spec's examples.

use serde_json::{json, Map, Value};

use crate::arm::vaults::{DeletedSecret, Secret, SecretVersion, Vault};

/// `attributes` of a version (SecretAttributes).
pub fn attributes(vault: &Vault, v: &SecretVersion) -> Value {
    let mut a = Map::new();
    a.insert("enabled".into(), json!(v.enabled));
    if let Some(nbf) = v.nbf {
        a.insert("nbf".into(), json!(nbf));
    }
    if let Some(exp) = v.exp {
        a.insert("exp".into(), json!(exp));
    }
    a.insert("created".into(), json!(v.created));
    a.insert("updated".into(), json!(v.updated));
    let days = vault.soft_delete_retention_days;
    let level = if days >= 90 {
        "Recoverable+Purgeable"
    } else {
        "CustomizedRecoverable+Purgeable"
    };
    a.insert("recoveryLevel".into(), json!(level));
    a.insert("recoverableDays".into(), json!(days));
    Value::Object(a)
}

/// `{vaultUri}secrets/{name}`.
pub fn secret_id(vault: &Vault, base_url: &str, secret: &Secret) -> String {
    format!("{}secrets/{}", vault.vault_uri(base_url), secret.name)
}

/// `{vaultUri}secrets/{name}/{version}`.
pub fn version_id(vault: &Vault, base_url: &str, secret: &Secret, v: &SecretVersion) -> String {
    format!("{}/{}", secret_id(vault, base_url, secret), v.version)
}

fn common(out: &mut Map<String, Value>, vault: &Vault, v: &SecretVersion) {
    out.insert("attributes".into(), attributes(vault, v));
    if !v.tags.is_empty() {
        out.insert("tags".into(), json!(v.tags));
    }
    if let Some(ct) = &v.content_type {
        out.insert("contentType".into(), json!(ct));
    }
}

/// A SecretBundle; `with_value` only for set and get, never for update, delete or recover.
pub fn bundle(
    vault: &Vault,
    base_url: &str,
    secret: &Secret,
    v: &SecretVersion,
    with_value: bool,
) -> Value {
    let mut out = Map::new();
    if with_value {
        out.insert("value".into(), json!(v.value.expose()));
    }
    out.insert("id".into(), json!(version_id(vault, base_url, secret, v)));
    common(&mut out, vault, v);
    Value::Object(out)
}

/// A SecretItem of `GET /secrets` (unversioned id, the latest version's metadata).
pub fn item(vault: &Vault, base_url: &str, secret: &Secret) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(secret_id(vault, base_url, secret)));
    common(&mut out, vault, secret.latest());
    Value::Object(out)
}

/// A SecretItem of `GET /secrets/{name}/versions` (versioned id).
pub fn version_item(vault: &Vault, base_url: &str, secret: &Secret, v: &SecretVersion) -> Value {
    let mut out = Map::new();
    out.insert("id".into(), json!(version_id(vault, base_url, secret, v)));
    common(&mut out, vault, v);
    Value::Object(out)
}

fn deletion(out: &mut Map<String, Value>, vault: &Vault, base_url: &str, d: &DeletedSecret) {
    out.insert(
        "recoveryId".into(),
        json!(format!(
            "{}deletedsecrets/{}",
            vault.vault_uri(base_url),
            d.secret.name
        )),
    );
    out.insert("deletedDate".into(), json!(d.deleted_date));
    out.insert("scheduledPurgeDate".into(), json!(d.scheduled_purge_date));
}

/// A DeletedSecretBundle (delete and get-deleted; no value, as in the spec's examples).
pub fn deleted_bundle(vault: &Vault, base_url: &str, d: &DeletedSecret) -> Value {
    let mut out = Map::new();
    deletion(&mut out, vault, base_url, d);
    let latest = d.secret.latest();
    out.insert(
        "id".into(),
        json!(version_id(vault, base_url, &d.secret, latest)),
    );
    common(&mut out, vault, latest);
    Value::Object(out)
}

/// A DeletedSecretItem of `GET /deletedsecrets`.
pub fn deleted_item(vault: &Vault, base_url: &str, d: &DeletedSecret) -> Value {
    let mut out = Map::new();
    deletion(&mut out, vault, base_url, d);
    out.insert("id".into(), json!(secret_id(vault, base_url, &d.secret)));
    common(&mut out, vault, d.secret.latest());
    Value::Object(out)
}

/// A page of a list: `{"value": […], "nextLink": …}` (`nextLink` null on the last page, as the
/// service sends it).
pub fn page(items: Vec<Value>, next_link: Option<String>) -> Value {
    json!({"value": items, "nextLink": next_link})
}
