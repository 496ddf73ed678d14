use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::*;
use crate::arm::schema::{read_json, Mode, Spec};
use crate::domain::tags::Tags;
use crate::domain::vault_write::VaultSecretWrite;
use crate::domain::SecretValue;
use crate::net::{HttpResponse, Method, Resource};

const SPEC: &str = "keyvault-7.5";
const VAULT: &str = "http://127.0.0.1:8400/kv/kv-payroll/";

fn example(file: &str) -> Value {
    read_json(SPEC, &format!("examples/{file}"))
}

fn err(status: u16, body: Value) -> KeyVaultError {
    KeyVaultError::from_response(
        &HttpResponse::new(status, body.to_string()).with_header("x-ms-request-id", "kv-req"),
    )
}

fn kv_error(code: &str, inner: Option<&str>, message: &str) -> Value {
    match inner {
        Some(i) => json!({"error": {"code": code, "message": message, "innererror": {"code": i}}}),
        None => json!({"error": {"code": code, "message": message}}),
    }
}

fn version(id: &str, created: Option<i64>, updated: Option<i64>) -> Value {
    let mut attributes = json!({"enabled": true});
    if let Some(c) = created {
        attributes["created"] = json!(c);
    }
    if let Some(u) = updated {
        attributes["updated"] = json!(u);
    }
    json!({"id": format!("https://myvault.vault.azure.net/secrets/s/{id}"), "attributes": attributes})
}

fn page(items: Vec<Value>, next: Option<&str>) -> HttpResponse {
    let next = next.map(|q| format!("https://myvault.vault.azure.net:443/secrets/s/versions?{q}"));
    HttpResponse::new(200, json!({"value": items, "nextLink": next}).to_string())
}

mod errors;
mod versions;
mod write;
