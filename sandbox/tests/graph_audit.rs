//! The directory audit log: written by addPassword and removePassword, read with the app's
//! filter; the two permissions and the role it needs (sandbox/src/graph/audit.rs cites them).

mod support;

use sandbox::identity::consent::ConsentChange;
use sandbox::identity::personas::{ADA, DAN};
use serde_json::{json, Value};
use support::*;

const AUDIT: &str = "/graph/v1.0/auditLogs/directoryAudits";

fn with_audit_consent(s: &Running, graph: &[&str]) {
    s.state
        .set_consent(ConsentChange {
            graph: Some(graph.iter().map(|p| p.to_string()).collect()),
            ..Default::default()
        })
        .unwrap();
}

fn app_filter(id: &str) -> String {
    let f = format!(
        "startswith(activityDisplayName,'Update application') and targetResources/any(t:t/id eq '{id}')"
    );
    format!(
        "{AUDIT}?$filter={}&$orderby={}&$top=50",
        percent_encoding::utf8_percent_encode(&f, percent_encoding::NON_ALPHANUMERIC),
        percent_encoding::utf8_percent_encode(
            "activityDateTime desc",
            percent_encoding::NON_ALPHANUMERIC
        )
    )
}

#[tokio::test]
async fn added_and_removed_secrets_are_logged_with_who_and_when() {
    let s = start().await;
    with_audit_consent(
        &s,
        &[
            "Application.ReadWrite.All",
            "User.Read",
            "AuditLog.Read.All",
            "Directory.Read.All",
        ],
    );
    let dan = s.graph_token(&DAN).await;
    let ada = s.graph_token(&ADA).await;
    let payroll = app_of(&s.sandbox_state().await, "Payroll API");
    let id = payroll["id"].as_str().unwrap();
    let (status, created) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &dan,
            &json!({"passwordCredential": {"displayName": "audit me"}}),
        )
        .await;
    assert_eq!(status, 200, "{created}");
    let key_id = created["keyId"].as_str().unwrap().to_owned();
    let (status, _) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/removePassword"),
            &dan,
            &json!({"keyId": key_id}),
        )
        .await;
    assert_eq!(status, 204);

    // Ada (Application Administrator: microsoft.directory/auditLogs/allProperties/read) reads it.
    let (status, log) = s.get_json(&app_filter(id), &ada).await;
    assert_eq!(status, 200, "{log}");
    let entries = log["value"].as_array().unwrap();
    assert_eq!(entries.len(), 2, "{log}");
    // Newest first: the removal, then the addition.
    let (removal, addition) = (&entries[0], &entries[1]);
    for e in [removal, addition] {
        assert_eq!(
            e["activityDisplayName"],
            "Update application – Certificates and secrets management"
        );
        assert_eq!(
            e["initiatedBy"]["user"]["userPrincipalName"],
            "dan@contoso.example"
        );
        assert_eq!(e["targetResources"][0]["id"], id);
        assert_eq!(e["result"], "success");
        assert!(e["activityDateTime"].as_str().unwrap().ends_with('Z'));
    }
    let new_value = addition["targetResources"][0]["modifiedProperties"][0]["newValue"]
        .as_str()
        .unwrap();
    assert!(
        new_value.contains(&key_id) && new_value.contains("DisplayName=audit me"),
        "{new_value}"
    );
    let old_value = removal["targetResources"][0]["modifiedProperties"][0]["oldValue"]
        .as_str()
        .unwrap();
    assert!(old_value.contains(&key_id), "{old_value}");
    // Another app's filter sees none of it.
    let other = app_of(&s.sandbox_state().await, "Onboarding Portal");
    let (_, none) = s
        .get_json(&app_filter(other["id"].as_str().unwrap()), &ada)
        .await;
    assert_eq!(none["value"], json!([]));
}

#[tokio::test]
async fn without_the_permission_or_the_role_it_is_refused() {
    let s = start().await;
    // Required permissions only: Graph names the missing one.
    let ada = s.graph_token(&ADA).await;
    let (status, body) = s.get_json(AUDIT, &ada).await;
    assert_eq!(status, 403);
    assert_eq!(
        body["error"]["code"],
        "Authentication_MSGraphPermissionMissing"
    );
    assert!(body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("AuditLog.Read.All"));
    // AuditLog.Read.All without Directory.Read.All: refused (strict).
    with_audit_consent(
        &s,
        &[
            "Application.ReadWrite.All",
            "User.Read",
            "AuditLog.Read.All",
        ],
    );
    let ada = s.graph_token(&ADA).await;
    let (status, body) = s.get_json(AUDIT, &ada).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (403, Value::from("Authorization_RequestDenied"))
    );
    // Both permissions, but Dan holds no role that reads audit logs.
    with_audit_consent(
        &s,
        &[
            "Application.ReadWrite.All",
            "User.Read",
            "AuditLog.Read.All",
            "Directory.Read.All",
        ],
    );
    let dan = s.graph_token(&DAN).await;
    let (status, body) = s.get_json(AUDIT, &dan).await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (403, Value::from("Authorization_RequestDenied"))
    );
}

#[tokio::test]
async fn an_unsupported_filter_or_top_is_a_bad_request() {
    let s = start().await;
    with_audit_consent(
        &s,
        &[
            "Application.ReadWrite.All",
            "User.Read",
            "AuditLog.Read.All",
            "Directory.Read.All",
        ],
    );
    let ada = s.graph_token(&ADA).await;
    let (status, body) = s
        .get_json(
            &format!("{AUDIT}?$filter=contains(activityDisplayName,'x')"),
            &ada,
        )
        .await;
    assert_eq!(
        (status, body["error"]["code"].clone()),
        (400, Value::from("Request_UnsupportedQuery"))
    );
    let (status, _) = s.get_json(&format!("{AUDIT}?$top=1000"), &ada).await;
    assert_eq!(status, 400);
}
