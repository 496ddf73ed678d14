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

#[test]
fn set_secret_request_fits_the_spec() {
    let mut tags = Tags::new();
    tags.insert("CreatedWith".into(), "secret-wizard".into());
    let write = VaultSecretWrite::for_client_secret(
        tags,
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    let secret = SecretValue::new(Zeroizing::new("s3cr3t~value\"x".to_string()));
    let req = set_secret(VAULT, "payroll-api", &secret, &write);
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.resource, Resource::KeyVault);
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api?api-version=7.5"
    );
    assert!(!format!("{req:?}").contains("s3cr3t"));
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"value": "s3cr3t~value\"x", "contentType": "client-secret",
               "tags": {"CreatedWith": "secret-wizard"},
               "attributes": {"enabled": true, "nbf": 1735689600, "exp": 1767225600}})
    );
    let errors = Spec::new(SPEC).check("secrets.json", "SecretSetParameters", &body, Mode::Request);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn minimal_set_secret_matches_the_spec_example_request() {
    let secret = SecretValue::new(Zeroizing::new("mysecretvalue".to_string()));
    let req = set_secret(
        "https://myvault.vault.azure.net/",
        "crpsecret",
        &secret,
        &VaultSecretWrite::default(),
    );
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    let ex = example("SetSecret-example.json");
    assert_eq!(body, ex["parameters"]["parameters"]);
    assert_eq!(
        req.url,
        "https://myvault.vault.azure.net/secrets/crpsecret?api-version=7.5"
    );
}

#[test]
fn parses_the_set_secret_example_without_keeping_the_value() {
    let body = example("SetSecret-example.json")["responses"]["200"]["body"].to_string();
    assert!(body.contains("mysecretvalue"));
    let s = parse_set_secret(HttpResponse::new(200, body)).unwrap();
    assert_eq!(
        s.base_uri(),
        "https://myvault.vault.azure.net/secrets/crpsecret"
    );
    assert_eq!(s.version(), Some("03bcccc7c8cf4546a0e3e21e52560441"));
    assert_eq!(s.recovery_level.as_deref(), Some("Recoverable+Purgeable"));
    assert_eq!(s.created, Some(Utc.timestamp_opt(1493938459, 0).unwrap()));
    assert!(!format!("{s:?}").contains("mysecretvalue"));
}

#[test]
fn versions_tell_whether_a_name_is_taken() {
    let req = secret_versions(VAULT, "payroll-api");
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api/versions?maxresults=1&api-version=7.5"
    );
    assert_eq!(req.method, Method::Get);
    let body = example("GetSecretVersions-example.json")["responses"]["200"]["body"].to_string();
    let newest = parse_secret_versions(&HttpResponse::new(200, body))
        .unwrap()
        .unwrap();
    assert_eq!(newest.version(), Some("11a536561da34d6b8b452d880df58f3a"));
    let free = HttpResponse::new(
        404,
        kv_error(
            "SecretNotFound",
            None,
            "A secret with (name/id) payroll-api was not found in this key vault.",
        )
        .to_string(),
    );
    assert_eq!(parse_secret_versions(&free).unwrap(), None);
    assert_eq!(
        parse_secret_versions(&HttpResponse::new(200, r#"{"value":[]}"#)).unwrap(),
        None
    );
    let denied = HttpResponse::new(
        403,
        kv_error("Forbidden", Some("ForbiddenByRbac"), "m").to_string(),
    );
    assert!(parse_secret_versions(&denied).is_err());
}

#[test]
fn deleted_secret_lookup() {
    assert_eq!(
        get_deleted_secret(VAULT, "payroll-api").url,
        "http://127.0.0.1:8400/kv/kv-payroll/deletedsecrets/payroll-api?api-version=7.5"
    );
    let body = example("GetDeletedSecret-example.json")["responses"]["200"]["body"].to_string();
    let d = parse_deleted_secret(HttpResponse::new(200, body))
        .unwrap()
        .unwrap();
    assert_eq!(
        d.recovery_id.as_deref(),
        Some("https://myvault.vault.azure.net/deletedsecrets/GetDeletedSecretTest")
    );
    assert_eq!(
        d.scheduled_purge,
        Some(Utc.timestamp_opt(1501714433, 0).unwrap())
    );
    assert_eq!(d.secret.version(), Some("b595353d9c39413d80626575b3b5d865"));
    let none = HttpResponse::new(
        404,
        kv_error("SecretNotFound", None, "Deleted Secret not found").to_string(),
    );
    assert_eq!(parse_deleted_secret(none).unwrap(), None);
}

#[test]
fn forbidden_reasons_and_their_remedies() {
    let rbac = err(
        403,
        kv_error(
            "Forbidden",
            Some("ForbiddenByRbac"),
            "Caller is not authorized to perform action on resource.",
        ),
    );
    assert!(matches!(
        rbac,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Rbac,
            ..
        }
    ));
    assert_eq!(
        rbac.user_message_in("kv-payroll", None),
        "You need Key Vault Secrets Officer on kv-payroll to write secrets."
    );
    assert_eq!(
        rbac.details(),
        "Forbidden / ForbiddenByRbac · HTTP 403 · request-id kv-req"
    );
    let plain = err(403, kv_error("Forbidden", None, "m"));
    assert!(matches!(
        plain,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Unspecified,
            ..
        }
    ));
    assert!(plain
        .user_message_in("kv-a", None)
        .contains("Key Vault Secrets Officer on kv-a"));
    let fw = err(
        403,
        kv_error(
            "Forbidden",
            Some("ForbiddenByFirewall"),
            "Client address is not authorized and caller is not a trusted service.",
        ),
    );
    assert_eq!(fw.user_message_in("kv-payroll", None), "kv-payroll's firewall doesn't allow your network. Use the ARM path, or ask for your address to be allowed.");
    let policy = err(403, kv_error("Forbidden", Some("ForbiddenByPolicy"), "m"));
    assert!(matches!(
        policy,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Policy,
            ..
        }
    ));
    let conn = err(
        403,
        kv_error("Forbidden", Some("ForbiddenByConnection"), "m"),
    );
    assert!(matches!(
        conn,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Connection,
            ..
        }
    ));
}

#[test]
fn soft_deleted_name_conflict() {
    let e = err(409, kv_error("Conflict", Some("ObjectIsDeletedButRecoverable"), "Secret payroll-api is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."));
    assert!(matches!(e, KeyVaultError::DeletedButRecoverable(_)));
    assert_eq!(
        e.user_message_in("kv-payroll", Some("payroll-api")),
        "A deleted secret named \"payroll-api\" is still recoverable in kv-payroll. Recover it, purge it, or choose another name."
    );
    let nested = err(
        409,
        json!({"error": {"code": "Conflict", "message": "m", "innererror": {"code": "X", "innererror": {"code": "ObjectIsDeletedButRecoverable"}}}}),
    );
    assert!(matches!(nested, KeyVaultError::DeletedButRecoverable(_)));
    let busy = err(409, kv_error("Conflict", Some("ObjectIsBeingDeleted"), "m"));
    assert!(matches!(busy, KeyVaultError::Conflict(_)));
}

#[test]
fn other_statuses() {
    assert!(matches!(
        err(
            401,
            kv_error(
                "Unauthorized",
                None,
                "Request is missing a Bearer or PoP token."
            )
        ),
        KeyVaultError::Unauthorized(_)
    ));
    assert!(matches!(
        err(400, kv_error("BadParameter", None, "m")),
        KeyVaultError::BadParameter(_)
    ));
    let t = KeyVaultError::from_response(
        &HttpResponse::new(429, kv_error("Throttled", None, "m").to_string())
            .with_header("Retry-After", "4"),
    );
    assert!(matches!(
        t,
        KeyVaultError::Throttled {
            retry_after_secs: Some(4),
            ..
        }
    ));
    assert!(t.is_transient());
    assert!(matches!(
        KeyVaultError::from_response(&HttpResponse::new(500, "")),
        KeyVaultError::ServiceUnavailable { status: 500, .. }
    ));
    assert!(matches!(
        KeyVaultError::from_response(&HttpResponse::new(403, "<html/>")),
        KeyVaultError::Unexpected { status: 403, .. }
    ));
    assert!(matches!(
        err(404, kv_error("NotFound", None, "m")),
        KeyVaultError::SecretNotFound(_)
    ));
    assert!(KeyVaultError::Unreachable
        .user_message()
        .starts_with("Key Vault can't be called directly from a web page."));
    assert_eq!(
        KeyVaultError::Unreachable.details(),
        "no response (network or CORS)"
    );
    let m = parse_set_secret(HttpResponse::new(
        200,
        r#"{"value":"leak-me","attributes":{"enabled":"yes"}}"#,
    ))
    .unwrap_err();
    assert!(matches!(m, KeyVaultError::Malformed { .. }));
    assert!(!m.details().contains("leak-me") && !format!("{m:?}").contains("leak-me"));
}
