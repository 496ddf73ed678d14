//! Each ARM status and code maps to its variant, message and details line.

use serde_json::json;

use super::*;
use crate::net::HttpResponse;

fn err(status: u16, body: serde_json::Value) -> ArmError {
    ArmError::from_response(
        &HttpResponse::new(status, body.to_string())
            .with_header("x-ms-request-id", "req-1")
            .with_header("x-ms-correlation-request-id", "corr-1"),
    )
}

#[test]
fn secret_write_denied_names_the_vault_and_role() {
    let e = err(
        403,
        json!({"error": {"code": "AuthorizationFailed", "message":
        "The client 'dan@contoso.example' with object id 'd0d0d0d0-0000-4000-8000-00000000da11' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-payroll/secrets/payroll-api' or the scope is invalid. If access was recently granted, please refresh your credentials."}}),
    );
    let ArmError::AuthorizationFailed { action, scope, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        action.as_deref(),
        Some("Microsoft.KeyVault/vaults/secrets/write")
    );
    assert!(scope
        .as_deref()
        .unwrap()
        .ends_with("/vaults/kv-payroll/secrets/payroll-api"));
    assert_eq!(
        e.user_message(),
        "You can't write secrets to kv-payroll through Azure Resource Manager: you need Key Vault \
         Contributor (or Contributor) on the vault."
    );
    assert_eq!(
        e.details(),
        "AuthorizationFailed · HTTP 403 · request-id req-1 · correlation-id corr-1"
    );
}

#[test]
fn read_denied_and_unparsable_denials() {
    let e = err(
        403,
        json!({"error": {"code": "AuthorizationFailed", "message":
        "The client 'x' does not have authorization to perform action 'Microsoft.KeyVault/vaults/read' over scope '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a' or the scope is invalid."}}),
    );
    assert!(e
        .user_message()
        .starts_with("You can't see kv-a in Azure Resource Manager"));
    let e = err(
        403,
        json!({"error": {"code": "LinkedAuthorizationFailed", "message": "nope"}}),
    );
    assert!(matches!(
        e,
        ArmError::AuthorizationFailed {
            action: None,
            scope: None,
            ..
        }
    ));
    assert!(e.user_message().contains("Key Vault Contributor"));
}

#[test]
fn status_mappings() {
    assert!(matches!(
        err(
            401,
            json!({"error": {"code": "ExpiredAuthenticationToken", "message": "m"}})
        ),
        ArmError::Unauthorized(_)
    ));
    assert!(matches!(
        ArmError::from_response(&HttpResponse::new(401, "")),
        ArmError::Unauthorized(_)
    ));
    let nf = err(
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "The Resource 'Microsoft.KeyVault/vaults/kv-x' under resource group 'rg' was not found."}}),
    );
    assert!(matches!(nf, ArmError::ResourceNotFound(_)));
    assert!(nf.user_message().contains("not found"));
    let conflict = err(
        409,
        json!({"error": {"code": "Conflict", "message": "Secret is in a deleted but recoverable state", "details": [{"code": "ObjectIsDeletedButRecoverable", "message": "x"}]}}),
    );
    assert!(matches!(conflict, ArmError::Conflict(_)));
    assert!(conflict
        .details()
        .starts_with("Conflict · ObjectIsDeletedButRecoverable · HTTP 409"));
    let bad = err(
        400,
        json!({"error": {"code": "BadRequest", "message": "Invalid zebra parameter"}}),
    );
    assert!(matches!(bad, ArmError::Other(_)));
    assert!(!bad.user_message().contains("zebra"));
}

#[test]
fn throttling_and_outages_are_transient() {
    let t = ArmError::from_response(
        &HttpResponse::new(429, r#"{"error":{"code":"TooManyRequests","message":"m"}}"#)
            .with_header("Retry-After", "17"),
    );
    assert!(matches!(
        t,
        ArmError::Throttled {
            retry_after_secs: Some(17),
            ..
        }
    ));
    assert!(t.is_transient());
    let s = ArmError::from_response(&HttpResponse::new(503, "<html>down</html>"));
    assert!(matches!(
        s,
        ArmError::ServiceUnavailable {
            status: 503,
            retry_after_secs: None,
            ..
        }
    ));
    assert_eq!(s.retry_after_secs(), None);
    assert!(!err(404, json!({"error": {"code": "x", "message": "y"}})).is_transient());
}

#[test]
fn non_json_errors_and_bad_success_bodies() {
    let u = ArmError::from_response(&HttpResponse::new(400, "<html>proxy says no</html>"));
    assert_eq!(
        u,
        ArmError::Unexpected {
            status: 400,
            body_excerpt: "<html>proxy says no</html>".into()
        }
    );
    assert_eq!(u.details(), "HTTP 400 · body: <html>proxy says no</html>");
    let m = parse_secret(&HttpResponse::new(200, r#"{"name":"n"}"#)).unwrap_err();
    assert!(
        matches!(m, ArmError::Malformed { status: 200, .. }),
        "{m:?}"
    );
}
