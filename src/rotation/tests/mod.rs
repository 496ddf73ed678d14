//! Native tests of the rotation page's pure core, and their shared fixtures.

mod crosscheck;
mod guide;
mod removal;
mod scan;
mod state;

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use serde_json::{json, Value};

use super::scan::{VaultScan, VaultScanState};
use crate::arm::ArmSecret;
use crate::config::{VaultMode, VaultRef, VaultSettings};
use crate::graph::Application;

pub const APP_ID: &str = "03ef14b0-ca33-4840-8f4f-d6e91916010e";
pub const CLIENT_ID: &str = "631a96bc-a705-4eda-9f99-fdaf9f54f6a2";
pub const OLD: &str = "aaaaaaaa-0000-4000-8000-000000000001";
pub const OTHER: &str = "aaaaaaaa-0000-4000-8000-000000000002";
pub const NEW: &str = "aaaaaaaa-0000-4000-8000-000000000003";
pub const EXPIRED: &str = "aaaaaaaa-0000-4000-8000-000000000004";
pub const GONE: &str = "aaaaaaaa-0000-4000-8000-0000000000ff";
pub const DEV_SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
pub const DEV_VAULT: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";
pub const PROD_VAULT: &str = "/subscriptions/c0de0002-7d3e-4a5b-9c8d-00000000f401/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod";
pub const ARM: &str = "http://127.0.0.1:8400/arm";
pub const GRAPH: &str = "http://127.0.0.1:8400/graph";

/// 10:00 on 1 June 2026, two hours east of UTC.
pub fn now() -> DateTime<FixedOffset> {
    FixedOffset::east_opt(7200)
        .unwrap()
        .with_ymd_and_hms(2026, 6, 1, 10, 0, 0)
        .unwrap()
}

pub fn days(n: i64) -> DateTime<Utc> {
    now().with_timezone(&Utc) + Duration::days(n)
}

/// A client secret that started `start` days from now and ends `end` days from now.
pub fn cred(key: &str, name: &str, start: i64, end: i64) -> Value {
    json!({ "keyId": key, "displayName": name, "hint": "abc",
            "startDateTime": days(start), "endDateTime": days(end) })
}

pub fn app_with(creds: Vec<Value>) -> Application {
    serde_json::from_value(json!({
        "id": APP_ID, "appId": CLIENT_ID, "displayName": "Payroll API",
        "signInAudience": "AzureADMyOrg", "passwordCredentials": creds, "keyCredentials": []
    }))
    .unwrap()
}

/// Payroll API before a rotation: the old secret (20 days left) and another (200 days), plus
/// an expired one.
pub fn payroll() -> Application {
    app_with(vec![
        cred(OLD, "payroll-2024", -345, 20),
        cred(OTHER, "payroll-2025", -165, 200),
        cred(EXPIRED, "payroll-2023", -800, -30),
    ])
}

pub fn tags(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

/// The tags secret-wizard writes (domain::tags) for a credential of the test app.
pub fn wizard_tags(key: &str) -> BTreeMap<String, String> {
    tags(&[
        ("AppDisplayName", "Payroll API"),
        ("ClientId", CLIENT_ID),
        ("AppObjectId", APP_ID),
        ("CredentialId", key),
        ("ProviderAddress", APP_ID),
        ("ValidityPeriodDays", "365"),
    ])
}

pub fn secret(name: &str, tags: BTreeMap<String, String>, exp: Option<DateTime<Utc>>) -> ArmSecret {
    let uri = format!("https://kv-contoso-dev.vault.azure.net/secrets/{name}");
    ArmSecret {
        id: format!("{DEV_VAULT}/secrets/{name}"),
        name: name.to_string(),
        tags,
        content_type: Some("text/plain".into()),
        secret_uri: Some(uri.clone()),
        secret_uri_with_version: Some(format!("{uri}/0123456789abcdef0123456789abcdef")),
        enabled: Some(true),
        not_before: None,
        expires: exp,
        created: Some(days(-10)),
        updated: Some(days(-10)),
    }
}

pub fn listed(id: &str, name: &str, secrets: Vec<ArmSecret>) -> VaultScan {
    VaultScan {
        id: id.to_string(),
        name: name.to_string(),
        subscription_name: "Contoso Dev".into(),
        state: VaultScanState::Listed(secrets),
        truncated: false,
    }
}

pub fn settings(default: Option<&str>, allowed: &[&str]) -> VaultSettings {
    VaultSettings {
        default: default.and_then(VaultRef::parse),
        allowed: allowed.iter().filter_map(|a| VaultRef::parse(a)).collect(),
        secret_name_template: "{app}-client-secret".into(),
        mode: VaultMode::Arm,
        gateway: None,
    }
}
