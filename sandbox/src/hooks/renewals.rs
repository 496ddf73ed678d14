//! `POST /_sandbox/renewals`: a **test hook, not Microsoft behaviour**. It seeds, in one call,
//! many app registrations whose one client secret is about to expire and whose value sits in a
//! vault as secret-wizard would have stored it, so a test or the bench (`cargo xtask bench`,
//! tests/e2e/bench_renew.mjs) can renew them all at once. Nothing here imitates a service: the
//! apps and secrets are written straight into the store, as the demo seed does, and served
//! afterwards by the ordinary Graph, ARM and Key Vault handlers with all their rules.
//!
//! Body (camelCase, unknown fields refused):
//! `{"count": N, "expiresInDays": D, "vault": "kv-contoso-dev", "prefix": "Renewal test"}`
//! (`count` required, 1–999; defaults: D = 20, vault `kv-contoso-dev`, prefix "Renewal test").
//! For i in 1..=N it creates:
//! - the app `"{prefix} {i:03}"` (object and application IDs derived from that name with
//!   `stable_guid`, as the Graph seed derives them), owned by Dev Dan, `AzureADMyOrg`, created
//!   2023-06-01 (before the tenant default policy's date, so no lifetime cap applies to it), with
//!   ONE password credential that started 345 days ago and ends in D days, described as
//!   secret-wizard describes what it adds ("Created by dan@… on {start date} via secret-wizard");
//! - in the vault, the secret `"{slug}-{i:03}"` (`slug`: the prefix lower-cased, every run of
//!   characters other than letters and digits made one `-`) with one version: the credential's
//!   value, the tags secret-wizard writes (`arm::vaults::seed::wizard_tags`: `CredentialId` = the
//!   credential's keyId, `ClientId`, `AppObjectId`, `ProviderAddress`, …) and `exp` = the
//!   credential's end.
//!
//! A second call that would create an app name or a vault secret name that already exists (live
//! or soft-deleted) is refused with 409 and creates nothing: the same prefix twice is refused;
//! `/_sandbox/reset` or another prefix starts again. Answers 201
//! `{"apps":[{"id","appId","displayName","keyId","vaultSecret"}]}`.
//!
//! The demo seed gives Ada Admin Owner on Contoso Dev (so ARM `vaults/secrets/write` on
//! `kv-contoso-dev`) and the Application Administrator role (so every app in her overview);
//! ARM lists a vault's secrets 25 a page and the app reads at most 20 pages a vault
//! (src/rotation/scan.rs), so up to about 480 hook secrets in `kv-contoso-dev` are all seen.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, TimeZone, Utc};
use serde::Deserialize;
use serde_json::json;

use crate::arm::vaults::seed::{wizard_tags, DEV_VAULT};
use crate::arm::vaults::{valid_secret_name, NewVersion, SecretText};
use crate::graph::directory::seed::{password_key_id, stable_guid};
use crate::graph::directory::{Application, PasswordCredential};
use crate::identity::personas::DAN;
use crate::{lock, AppState};

/// How long ago every hook credential started.
pub const STARTED_DAYS_AGO: i64 = 345;
/// At most this many apps a call (the names carry three digits).
pub const MAX_COUNT: u32 = 999;

/// The hook's body.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Request {
    pub count: u32,
    #[serde(default = "default_days")]
    pub expires_in_days: i64,
    #[serde(default = "default_vault")]
    pub vault: String,
    #[serde(default = "default_prefix")]
    pub prefix: String,
}

fn default_days() -> i64 {
    20
}

fn default_vault() -> String {
    DEV_VAULT.to_owned()
}

fn default_prefix() -> String {
    "Renewal test".to_owned()
}

/// The vault secret names' stem: lower case, each run of other characters than ASCII letters and
/// digits one `-`, none at either end ("Renewal test" → "renewal-test").
pub fn slug(prefix: &str) -> String {
    let mut out = String::new();
    for c in prefix.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// One app to create: its display name and its vault secret's name.
fn names(request: &Request) -> Vec<(String, String)> {
    let slug = slug(&request.prefix);
    (1..=request.count)
        .map(|i| {
            (
                format!("{} {i:03}", request.prefix.trim()),
                format!("{slug}-{i:03}"),
            )
        })
        .collect()
}

fn refused(status: StatusCode, message: &str) -> Response {
    (
        status,
        Json(json!({"error": {"code": "SandboxHookRefused", "message": message}})),
    )
        .into_response()
}

/// What is wrong with the body, if anything (before anything is looked up).
fn check(request: &Request) -> Result<(), String> {
    if !(1..=MAX_COUNT).contains(&request.count) {
        return Err(format!("count must be 1–{MAX_COUNT}"));
    }
    if !(-3650..=3650).contains(&request.expires_in_days) {
        return Err("expiresInDays must be within ±3650".into());
    }
    let prefix = request.prefix.trim();
    if prefix.is_empty() || prefix.chars().count() > 100 {
        return Err("prefix must be 1–100 characters".into());
    }
    if slug(prefix).is_empty() {
        return Err("prefix needs a letter or a digit (it names the vault secrets)".into());
    }
    match names(request).last() {
        Some((_, secret)) if valid_secret_name(secret) => Ok(()),
        _ => Err("prefix too long for a Key Vault secret name".into()),
    }
}

/// The app "{prefix} {i:03}" and its one credential, as the Graph seed builds apps.
fn application(name: &str, now: DateTime<Utc>, expires_in_days: i64) -> Application {
    let start = now - Duration::days(STARTED_DAYS_AGO);
    let end = now + Duration::days(expires_in_days);
    let description = format!(
        "Created by {} on {} via secret-wizard",
        DAN.upn,
        start.format("%Y-%m-%d")
    );
    let mut credential = PasswordCredential::generate(Some(description), start, end);
    credential.key_id = password_key_id(name, "renewal-test");
    Application {
        id: stable_guid(&format!("{name}|object")),
        app_id: stable_guid(&format!("{name}|app")),
        display_name: name.to_owned(),
        description: None,
        created: Utc.with_ymd_and_hms(2023, 6, 1, 9, 30, 0).unwrap(),
        sign_in_audience: "AzureADMyOrg".into(),
        notes: None,
        tags: Vec::new(),
        owners: vec![DAN.oid.to_owned()],
        password_credentials: vec![credential],
        key_credentials: Vec::new(),
        federated: Vec::new(),
    }
}

/// `POST /_sandbox/renewals` (see the module comment).
pub async fn hook(State(state): State<AppState>, body: Bytes) -> Response {
    let request: Request = match serde_json::from_slice(&body) {
        Ok(r) => r,
        Err(e) => return refused(StatusCode::BAD_REQUEST, &format!("invalid body: {e}")),
    };
    if let Err(e) = check(&request) {
        return refused(StatusCode::BAD_REQUEST, &e);
    }
    let names = names(&request);
    let now = Utc::now();
    // Graph, then the vaults: the only place holding both locks, in this order.
    let mut graph = lock(&state.graph);
    let mut vaults = lock(&state.vaults);
    let Some(vault) = vaults.vault_mut(&request.vault) else {
        return refused(StatusCode::NOT_FOUND, "no such vault");
    };
    if let Some((app, secret)) = names.iter().find(|(app, secret)| {
        graph.applications.iter().any(|a| &a.display_name == app)
            || vault.secret(secret).is_some()
            || vault.deleted_secret(secret).is_some()
    }) {
        return refused(
            StatusCode::CONFLICT,
            &format!("\"{app}\" or the vault secret \"{secret}\" already exists; reset the sandbox or use another prefix"),
        );
    }
    let validity_days = STARTED_DAYS_AGO + request.expires_in_days;
    let mut listed = Vec::with_capacity(names.len());
    for (name, secret_name) in &names {
        let app = application(name, now, request.expires_in_days);
        let credential = &app.password_credentials[0];
        let version = NewVersion {
            value: SecretText::new(credential.secret_text().to_owned()),
            content_type: Some("text/plain".into()),
            tags: wizard_tags(name, &credential.key_id, validity_days),
            enabled: Some(true),
            nbf: None,
            exp: Some(credential.end.timestamp()),
        };
        if vault
            .set_secret(secret_name, version, credential.start.timestamp())
            .is_err()
        {
            // Checked above: neither live nor deleted.
            return refused(
                StatusCode::INTERNAL_SERVER_ERROR,
                "could not store a secret",
            );
        }
        listed.push(json!({
            "id": app.id,
            "appId": app.app_id,
            "displayName": app.display_name,
            "keyId": credential.key_id,
            "vaultSecret": secret_name,
        }));
        graph.applications.push(app);
    }
    (StatusCode::CREATED, Json(json!({ "apps": listed }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn request(v: Value) -> Result<Request, String> {
        let r: Request = serde_json::from_value(v).map_err(|e| e.to_string())?;
        check(&r).map(|()| r)
    }

    #[test]
    fn slugs_and_names() {
        assert_eq!(slug("Renewal test"), "renewal-test");
        assert_eq!(slug("  Bench: run #2!  "), "bench-run-2");
        assert_eq!(slug("ü ï"), "");
        let r = request(json!({"count": 2})).unwrap();
        assert_eq!((r.expires_in_days, r.vault.as_str()), (20, DEV_VAULT));
        assert_eq!(
            names(&r),
            [
                ("Renewal test 001".to_owned(), "renewal-test-001".to_owned()),
                ("Renewal test 002".to_owned(), "renewal-test-002".to_owned())
            ]
        );
    }

    #[test]
    fn bodies_are_checked() {
        assert!(request(json!({})).is_err(), "count is required");
        assert!(request(json!({"count": 0})).is_err());
        assert!(request(json!({"count": 1000})).is_err());
        assert!(request(json!({"count": 1, "bogus": 1})).is_err());
        assert!(request(json!({"count": 1, "prefix": " "})).is_err());
        assert!(request(json!({"count": 1, "prefix": "ü"})).is_err());
        assert!(request(json!({"count": 1, "expiresInDays": 99999})).is_err());
        assert!(request(json!({"count": 999, "expiresInDays": -5, "prefix": "X"})).is_ok());
    }

    #[test]
    fn the_credential_started_345_days_ago_and_ends_in_d_days() {
        let now = Utc::now();
        let app = application("Renewal test 007", now, 20);
        let c = &app.password_credentials[0];
        assert_eq!((now - c.start).num_days(), 345);
        assert_eq!((c.end - now).num_days(), 20);
        assert_eq!(
            c.key_id,
            application("Renewal test 007", now, 20).password_credentials[0].key_id
        );
        assert!(c
            .display_name
            .as_deref()
            .unwrap()
            .starts_with("Created by dan@contoso.example on "));
        assert_eq!(
            app.id,
            crate::arm::vaults::seed::app_object_id("Renewal test 007")
        );
    }
}
