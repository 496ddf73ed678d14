//! Each ARM status and code maps to its variant, message and details line.

use serde_json::json;

use crate::arm::*;
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

#[test]
fn azure_policy_refusals_are_not_a_missing_role() {
    // The message form seen in microsoft/vscode-apimanagement #348 and tayganr/purviewdemo #22.
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "target": "kv-payroll",
            "message": "Resource 'kv-payroll' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"Deny secrets in prod\",\"id\":\"/subscriptions/s/providers/Microsoft.Authorization/policyAssignments/abc\"},\"policyDefinition\":{\"name\":\"Secrets need an owner tag\",\"id\":\"/subscriptions/s/providers/Microsoft.Authorization/policyDefinitions/def\"}}]'."}}),
    );
    let ArmError::PolicyDisallowed { policy, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(policy.as_deref(), Some("Deny secrets in prod"));
    let m = e.user_message();
    assert_eq!(
        m,
        "An Azure Policy assignment (\"Deny secrets in prod\") refused this change, so nothing \
         was stored. It isn't a missing role: more access won't get past it. An admin of that \
         policy can tell you what it requires, or grant an exemption."
    );
    for role in ["Contributor", "Reader", "Owner"] {
        assert!(!m.contains(role), "{m}");
    }
    assert!(!e.is_transient());
    assert_eq!(
        e.details(),
        "RequestDisallowedByPolicy · HTTP 403 · request-id req-1 · correlation-id corr-1"
    );

    // additionalInfo's PolicyViolation names it by display name, ahead of the message.
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy",
            "message": "Resource 'kv-payroll' was disallowed by policy. Reasons: 'Ask the platform team.'. See error details for policy resource IDs.",
            "additionalInfo": [{"type": "PolicyViolation", "info": {
                "policyDefinitionDisplayName": "Key Vault secrets should have an expiration date",
                "policyAssignmentName": "a1b2c3",
                "policyAssignmentDisplayName": "Secrets must expire (Contoso baseline)"}}]}}),
    );
    assert!(
        matches!(&e, ArmError::PolicyDisallowed { policy: Some(p), .. } if p == "Secrets must expire (Contoso baseline)"),
        "{e:?}"
    );
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "message": "m",
            "additionalInfo": [{"type": "PolicyViolation", "info": {
                "policyDefinitionDisplayName": "Key Vault secrets should have an expiration date"}}]}}),
    );
    assert!(
        matches!(&e, ArmError::PolicyDisallowed { policy: Some(p), .. } if p.starts_with("Key Vault secrets"))
    );

    // No name anywhere (Azure-Samples/azuresandbox #196): still the policy, without a name.
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "message": "Resource 'sql-x' was disallowed by policy. Reasons: 'See the wiki.'. See error details for policy resource IDs."}}),
    );
    assert!(matches!(e, ArmError::PolicyDisallowed { policy: None, .. }));
    assert!(e
        .user_message()
        .starts_with("An Azure Policy assignment refused this change"));
    // Unreadable identifiers are ignored, not guessed at.
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "message": "Policy identifiers: '[{not json'."}}),
    );
    assert!(matches!(e, ArmError::PolicyDisallowed { policy: None, .. }));
    // Wrapped in a deployment-style error's details.
    let e = err(
        400,
        json!({"error": {"code": "InvalidTemplateDeployment", "message": "The template deployment failed because of policy violation.",
            "details": [{"code": "RequestDisallowedByPolicy", "message": "Resource 'kv' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"No public vaults\",\"id\":\"x\"}}]'."}]}}),
    );
    assert!(
        matches!(&e, ArmError::PolicyDisallowed { policy: Some(p), .. } if p == "No public vaults")
    );
    // A hostile name is cut and flattened, never quoted whole.
    let long = format!("evil\n{}", "x".repeat(500));
    let e = err(
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "message": "m",
            "additionalInfo": [{"type": "PolicyViolation", "info": {"policyAssignmentDisplayName": long}}]}}),
    );
    let ArmError::PolicyDisallowed {
        policy: Some(p), ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert!(!p.contains('\n') && p.chars().count() <= 121, "{p}");
}

#[test]
fn an_authorization_failure_is_still_a_missing_role() {
    let e = err(
        403,
        json!({"error": {"code": "AuthorizationFailed", "message": "The client 'x' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a/secrets/n' or the scope is invalid."}}),
    );
    assert!(matches!(e, ArmError::AuthorizationFailed { .. }));
    assert!(e.user_message().contains("Key Vault Contributor"));
}

#[test]
fn a_conflict_from_a_concurrent_change_is_transient() {
    // Azure/AzureKeyVault #6: parallel operations on the vault.
    let e = err(
        409,
        json!({"error": {"code": "ConflictError", "message": "A conflict occurred that prevented the operation from completing. The operation failed because the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId 'Key Vault' changed from the point the operation began. This can happen if parallel operations are being performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId."}}),
    );
    assert!(matches!(e, ArmError::ConcurrentChange(_)), "{e:?}");
    assert!(e.is_transient());
    assert!(e.user_message().contains("Try again in a minute"));
    assert!(e.details().starts_with("ConflictError · HTTP 409"));
    let plain = err(
        409,
        json!({"error": {"code": "Conflict", "message": "Another operation is in progress."}}),
    );
    assert!(matches!(plain, ArmError::ConcurrentChange(_)));
    // A deleted secret holding the name is not.
    let deleted = err(
        409,
        json!({"error": {"code": "Conflict", "message": "Secret x is currently in a deleted but recoverable state, and its name cannot be reused."}}),
    );
    assert!(matches!(deleted, ArmError::Conflict(_)));
    assert!(!deleted.is_transient());
}

#[test]
fn an_error_body_with_a_member_of_the_wrong_type_is_not_read_as_arms() {
    // As before wire::Fields (derived structs): one wrong member and the body is not ARM's.
    for body in [
        json!({"error": {"code": 5, "message": "m"}}),
        json!({"error": "AuthorizationFailed"}),
        json!({"error": {"code": "X", "details": {"code": "Y"}}}),
        json!({"error": {"code": "X", "details": [{"additionalInfo": [{"info": "p"}]}]}}),
        json!({"code": "X"}),
    ] {
        assert!(
            matches!(
                err(400, body.clone()),
                ArmError::Unexpected { status: 400, .. }
            ),
            "{body}"
        );
    }
    // null members are absent ones.
    let e = err(
        409,
        json!({"error": {"code": "Conflict", "message": null, "details": null, "additionalInfo": null}}),
    );
    assert_eq!(e.info().unwrap().code, "Conflict");
}
