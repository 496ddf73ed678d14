//! The audit-log request and reader, against the documented example
//! (../shared/specs/graph-docs/directoryaudit-list.md) and a credentials entry.

use super::*;
use crate::graph::GraphErrorInfo;
use crate::net::{Method, Resource};

fn ok(body: &str) -> HttpResponse {
    HttpResponse::new(200, body)
}

#[test]
fn the_request_filters_on_the_app_and_the_activity_newest_first() {
    let req = credential_history("https://graph.microsoft.com/", "o'1");
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.resource, Resource::Graph);
    let expected_filter = "startswith(activityDisplayName,'Update application') and targetResources/any(t:t/id eq 'o''1')";
    assert_eq!(
        req.url,
        format!(
            "https://graph.microsoft.com/v1.0/auditLogs/directoryAudits?$filter={}&$orderby={}&$top=50",
            encode(expected_filter),
            encode("activityDateTime desc")
        )
    );
}

#[test]
fn the_documented_example_reads() {
    // The response of "Example 1" in directoryaudit-list.md (its "Type" member as written).
    let body = r#"{"@odata.context":"x","value":[{"id":"id","category":"UserManagement","correlationId":"da159bfb-54fa-4092-8a38-6e1fa7870e30","result":"success","resultReason":"Successfully added member to group","activityDisplayName":"Add member to group","activityDateTime":"2018-01-09T21:20:02.7215374Z","loggedByService":"Core Directory","initiatedBy":{"user":{"id":"728309ae-1a37-4937-9afe-e35d964db09b","displayName":"Audry Oliver","userPrincipalName":"bob@wingtiptoysonline.com","ipAddress":"127.0.0.1"},"app":null},"targetResources":[{"id":"ef7e527d-6c92-4234-8c6d-cf6fdfb57f95","displayName":"Example.com","Type":"Group","modifiedProperties":[{"displayName":"Action Client Name","oldValue":null,"newValue":"DirectorySync"}],"groupType":"unifiedGroups"},{"id":"1f0e98f5-3161-4c6b-9b50-d488572f2bb7","displayName":null,"Type":"User","modifiedProperties":[],"userPrincipalName":"bob@contoso.com"}],"additionalDetails":[{"key":"Additional Detail Name","value":"Additional Detail Value"}]}]}"#;
    let page = parse_history(&ok(body)).unwrap();
    assert_eq!(page.value.len(), 1);
    let e = &page.value[0];
    assert_eq!(
        e.who,
        Initiator::User {
            name: "Audry Oliver".into()
        }
    );
    assert_eq!(e.activity, "Add member to group");
    assert_eq!(e.result.as_deref(), Some("success"));
    assert_eq!(e.new_values, vec!["DirectorySync".to_string()]);
    assert!(e.old_values.is_empty(), "null is not a value");
    assert_eq!(
        e.when.unwrap().to_rfc3339(),
        "2018-01-09T21:20:02.721537400+00:00"
    );
    assert!(!e.is_credentials_activity());
}

#[test]
fn a_credentials_entry_by_an_app_names_the_key_it_mentions() {
    let body = r#"{"value":[{"activityDisplayName":"Update application – Certificates and secrets management","activityDateTime":"2026-12-04T10:00:00Z","result":"success","initiatedBy":{"user":null,"app":{"appId":"a1","displayName":"Rotation runner"}},"targetResources":[{"id":"app-1","modifiedProperties":[{"displayName":"KeyDescription","oldValue":"[]","newValue":"[\"[KeyIdentifier=ABCDEF01-0000-4000-8000-000000000001,KeyType=Password,KeyUsage=Verify,DisplayName=ci]\"]"}]}]}]}"#;
    let e = &parse_history(&ok(body)).unwrap().value[0];
    assert!(e.is_credentials_activity());
    assert_eq!(e.who.label(), "Rotation runner");
    assert!(
        e.mentions("abcdef01-0000-4000-8000-000000000001"),
        "case-insensitive"
    );
    assert!(!e.mentions("abcdef01-0000-4000-8000-000000000002"));
    assert!(!e.mentions(""));
    // The hyphen spelling is the same activity.
    let hyphen = body.replace('–', "-");
    assert!(parse_history(&ok(&hyphen)).unwrap().value[0].is_credentials_activity());
}

#[test]
fn a_user_without_a_display_name_is_named_by_sign_in_name_and_nobody_is_someone() {
    let body = r#"{"value":[{"initiatedBy":{"user":{"userPrincipalName":"dan@contoso.example"}}},{"initiatedBy":{}},{}]}"#;
    let v = parse_history(&ok(body)).unwrap().value;
    assert_eq!(v[0].who.label(), "dan@contoso.example");
    assert_eq!(v[1].who, Initiator::Unknown);
    assert_eq!(v[2].who.label(), "someone");
}

#[test]
fn a_wrong_member_is_named_by_its_path() {
    let body = r#"{"value":[{"targetResources":[{"modifiedProperties":[{"newValue":7}]}]}]}"#;
    let err = parse_history(&ok(body)).unwrap_err();
    let text = format!("{err:?}");
    assert!(
        text.contains("value[0].targetResources[0].modifiedProperties[0].newValue"),
        "{text}"
    );
}

fn denied(code: &str, message: &str) -> GraphError {
    GraphError::AuthorizationDenied(Box::new(GraphErrorInfo {
        status: 403,
        code: code.into(),
        message: message.into(),
        request_id: None,
        client_request_id: None,
        date: None,
    }))
}

#[test]
fn a_missing_permission_is_told_from_a_missing_role() {
    assert_eq!(
        refusal(&denied(
            "Authentication_MSGraphPermissionMissing",
            "Calling principal does not have required MSGraph permissions AuditLog.Read.All"
        )),
        Some(HistoryRefusal::PermissionMissing)
    );
    assert_eq!(
        refusal(&denied(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation."
        )),
        Some(HistoryRefusal::RoleMissing)
    );
    assert_eq!(
        refusal(&GraphError::Malformed {
            status: 200,
            detail: "x".into()
        }),
        None
    );
}

#[test]
fn both_permissions_are_needed() {
    assert!(may_read_history(&[
        "auditlog.read.all",
        "Directory.Read.All",
        "User.Read"
    ]));
    assert!(!may_read_history(&["AuditLog.Read.All"]));
    assert!(!may_read_history::<&str>(&[]));
}
