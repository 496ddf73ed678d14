//! The readers of `read.rs` against the derived `Deserialize` they replace (which the model
//! keeps): every documented example, and every variant of it with one member (at any depth)
//! missing, `null` or of another type, reads the same (both the same value, or both an error).

use serde::de::DeserializeOwned;
use serde_json::json;
use std::fmt::Debug;

use crate::graph::policy::{parse_app_policies, parse_default_policy};
use crate::graph::*;
use crate::model::{AppManagementPolicy, TenantAppManagementPolicy};
use crate::net::HttpResponse;
use crate::wire::oracle;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/graph/",
            $name
        ))
    };
}

/// Every variant of `doc` reads the same through `ours` as through `T`'s derived `Deserialize`.
fn same_as_derived<T: DeserializeOwned + PartialEq + Debug>(
    doc: &str,
    ours: fn(&HttpResponse) -> Result<T, GraphError>,
) {
    oracle::same_as_derived(
        doc,
        |text| ours(&HttpResponse::new(200, text)),
        |e| matches!(e, GraphError::Malformed { status: 200, .. }),
    );
}

#[test]
fn applications_read_as_derived() {
    same_as_derived(fixture!("application-get-response.json"), parse_application);
    same_as_derived(fixture!("applications-page.json"), parse_application_page);
    same_as_derived(
        fixture!("ownedobjects-response.json"),
        parse_application_page,
    );
    // Every member the app reads, credentials of both kinds, a count and a next link.
    let full = json!({
        "@odata.count": 2, "@odata.nextLink": "https://graph.test/next",
        "value": [{
            "id": "o1", "appId": "c1", "displayName": "Payroll API",
            "signInAudience": "AzureADandPersonalMicrosoftAccount",
            "createdDateTime": "2021-01-01T10:37:00Z",
            "passwordCredentials": [{"keyId": "k1", "displayName": "one", "hint": "Zq8",
                "startDateTime": "2024-01-01T00:00:00.1234567Z", "endDateTime": "2025-01-01T00:00:00+02:00"}],
            "keyCredentials": [{"keyId": "k2", "displayName": "cert", "customKeyIdentifier": "AbC=",
                "type": "AsymmetricX509Cert", "usage": "Verify",
                "startDateTime": "2024-01-01T00:00:00Z", "endDateTime": "2025-01-01T00:00:00Z"}]
        }]
    });
    same_as_derived(&full.to_string(), parse_application_page);
}

#[test]
fn users_owners_and_roles_read_as_derived() {
    same_as_derived(
        r#"{"id":"d0","displayName":"Dev Dan","userPrincipalName":"dan@contoso.example","mail":"dan@contoso.example"}"#,
        parse_me,
    );
    same_as_derived(
        r##"{"value":[{"@odata.type":"#microsoft.graph.user","id":"d0","displayName":"Dev Dan","userPrincipalName":"dan@contoso.example","mail":null}],"@odata.nextLink":"https://graph.test/next"}"##,
        parse_owners,
    );
    same_as_derived(
        fixture!("role-assignments-response.json"),
        parse_role_assignments,
    );
    same_as_derived(
        r#"{"value":[{"id":"x","principalId":"p","directoryScopeId":"/abc","roleDefinitionId":"r","appScopeId":null,
            "roleDefinition":{"id":"r","displayName":"Rotator","isBuiltIn":false,"isEnabled":true,"templateId":"r",
            "rolePermissions":[{"allowedResourceActions":["a","b"],"condition":"c","excludedResourceActions":["d"]}]}}]}"#,
        parse_role_assignments,
    );
}

#[test]
fn policies_read_as_derived() {
    for doc in [
        fixture!("policy-tenant-default-get.json"),
        fixture!("policy-tenant-default-update-request.json"),
    ] {
        same_as_derived::<TenantAppManagementPolicy>(doc, parse_default_policy);
    }
    same_as_derived::<Page<AppManagementPolicy>>(
        fixture!("policy-app-policies-list.json"),
        parse_app_policies,
    );
}

#[test]
fn a_groups_page_reads_ids_and_refuses_a_missing_one() {
    let page = parse_object_ids(&HttpResponse::new(
        200,
        r#"{"value":[{"id":"g1","displayName":null},{"id":"g2"}],"@odata.count":2}"#,
    ))
    .unwrap();
    assert_eq!(page.value.len(), 2);
    assert_eq!(page.count, Some(2));
    let Err(GraphError::Malformed { detail, .. }) = parse_object_ids(&HttpResponse::new(
        200,
        r#"{"value":[{"id":"g1"},{"id":null}]}"#,
    )) else {
        panic!("an object without an id is malformed");
    };
    assert_eq!(detail, "unexpected shape: value[1].id: expected a string");
}

#[test]
fn a_malformed_answer_says_where() {
    let e = parse_application_page(&HttpResponse::new(
        200,
        r#"{"value":[{"id":"a"},{"id":"b","passwordCredentials":[{"keyId":"k","endDateTime":5}]}]}"#,
    ))
    .unwrap_err();
    assert_eq!(
        e.details(),
        "HTTP 200 · unexpected shape: value[1].passwordCredentials[0].endDateTime: expected an RFC 3339 date and time"
    );
    let e = parse_application(&HttpResponse::new(200, "{\"id\":\"a\",\n\"appId\":}")).unwrap_err();
    assert_eq!(e.details(), "HTTP 200 · not valid JSON at line 2 column 9");
}

#[test]
fn a_list_in_place_of_an_object_is_malformed() {
    // serde's derived structs also accept `[…]` as the members in order; no Graph answer is
    // that, and the readers take an object only.
    let body = r#"{"value":[{"id":"x","roleDefinition":[]}]}"#;
    assert!(serde_json::from_str::<Page<RoleAssignment>>(body).is_ok());
    let Err(GraphError::Malformed { detail, .. }) =
        parse_role_assignments(&HttpResponse::new(200, body))
    else {
        panic!("a list is not a role definition");
    };
    assert_eq!(
        detail,
        "unexpected shape: value[0].roleDefinition: expected an object"
    );
}
