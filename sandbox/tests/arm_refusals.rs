//! ARM refusals the sandbox produces by fault injection, with the real services' bodies: Azure
//! Policy's 403 `RequestDisallowedByPolicy` and a 409 `ConflictError` from a concurrent change.
//! Neither changes anything, so the store holds exactly what the accepted writes made.

mod support;

use axum::http::{Method, StatusCode};
use serde_json::{json, Value};
use support::harness::{self, Harness, ARM_KV_API, DAN};

async fn arm_fault(h: &Harness, fault: Value) {
    let r = h
        .call(Method::POST, "/_sandbox/faults", None, Some(&fault))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", r.text);
}

async fn versions_of(h: &Harness, name: &str) -> usize {
    let state = h.vault_state().await;
    state["vaults"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["name"] == "kv-contoso-dev")
        .unwrap()["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["name"] == name)
        .map_or(0, |s| s["versions"].as_array().unwrap().len())
}

fn secret_path(name: &str) -> String {
    format!("{}/secrets/{name}", harness::dev_vault_id())
}

/// The message form of microsoft/vscode-apimanagement #348 and tayganr/purviewdemo #22, and
/// ARM's `additionalInfo` of type `PolicyViolation`.
fn policy_refusal() -> Value {
    json!({"error": {"code": "RequestDisallowedByPolicy", "target": "policy-check",
        "message": "Resource 'policy-check' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"Deny secrets without an owner tag\",\"id\":\"/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/providers/Microsoft.Authorization/policyAssignments/deny-untagged\"},\"policyDefinition\":{\"name\":\"Require an owner tag\",\"id\":\"/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/providers/Microsoft.Authorization/policyDefinitions/require-owner\"}}]'.",
        "additionalInfo": [{"type": "PolicyViolation", "info": {
            "policyAssignmentDisplayName": "Deny secrets without an owner tag",
            "policyAssignmentName": "deny-untagged",
            "policyDefinitionDisplayName": "Require an owner tag"}}]}})
}

#[tokio::test]
async fn an_azure_policy_refusal_is_answered_with_its_body_and_changes_nothing() {
    let h = Harness::default();
    let path = secret_path("policy-check");
    arm_fault(
        &h,
        json!({"method": "PUT", "path": "/arm/subscriptions/*/resourceGroups/*/providers/Microsoft.KeyVault/vaults/*/secrets/*",
            "status": 403, "body": policy_refusal()}),
    )
    .await;
    let body = json!({"properties": {"value": "refused-value"}});
    let refused = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert_eq!(refused.json, policy_refusal());
    assert_eq!(versions_of(&h, "policy-check").await, 0, "nothing stored");
    // The fault was used up: the same write now goes through.
    let stored = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text);
    assert_eq!(versions_of(&h, "policy-check").await, 1);
}

#[tokio::test]
async fn a_concurrent_change_conflict_changes_nothing_and_the_resend_stores_one_version() {
    let h = Harness::default();
    let path = secret_path("conflict-check");
    // Azure/AzureKeyVault #6.
    let conflict = json!({"error": {"code": "ConflictError", "message": "A conflict occurred that prevented the operation from completing. The operation failed because the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId 'Key Vault' changed from the point the operation began. This can happen if parallel operations are being performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId. To prevent this error, serialize the operations so that only one operation is performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId at a time."}});
    arm_fault(
        &h,
        json!({"method": "PUT", "path": "/arm/**/secrets/conflict-check", "count": 2,
            "status": 409, "body": conflict}),
    )
    .await;
    let body = json!({"properties": {"value": "once"}});
    for _ in 0..2 {
        let r = h
            .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
            .await;
        assert_eq!(r.status, StatusCode::CONFLICT);
        assert_eq!(r.json, conflict);
    }
    assert_eq!(versions_of(&h, "conflict-check").await, 0);
    let stored = h
        .arm(DAN, Method::PUT, &path, ARM_KV_API, Some(&body))
        .await;
    assert_eq!(stored.status, StatusCode::CREATED, "{}", stored.text);
    assert_eq!(versions_of(&h, "conflict-check").await, 1, "exactly one");
}
