//! Finding a workload's identity: service principals by name (or by client ID), sans-IO.
//!
//! A managed identity is a service principal whose `servicePrincipalType` is `ManagedIdentity`;
//! an app's is `Application` (the servicePrincipal resource type of Graph v1.0,
//! microsoftgraph/microsoft-graph-docs-contrib `api-reference/v1.0/resources/serviceprincipal.md`:
//! `servicePrincipalType` is `Application`, `ManagedIdentity`, `Legacy` or `SocialIdp`). "List
//! servicePrincipals" (`api-reference/v1.0/api/serviceprincipal-list.md`) takes `Application.Read.All` as its least privileged
//! delegated permission and `Application.ReadWrite.All`, which the app already asks for, as a
//! higher one; it supports `$filter` and `$select`. The name query is
//! `$filter=startsWith(displayName,'…')`, which needs no advanced query (no `ConsistencyLevel`
//! header, so it also works where `$search` is not offered); a GUID is looked up as the client ID
//! (`appId eq '…'`), which is what the portal shows for a managed identity. Only
//! [`SP_SELECT`] is read: never credentials.

use super::requests::{get, url};
use super::types::Page;
use super::GraphError;
use crate::net::{encode, HttpRequest, HttpResponse};
use crate::wire::{parse_with, Members, Mismatch};

/// What the picker reads of each service principal.
pub const SP_SELECT: &str = "id,appId,displayName,servicePrincipalType";
/// How many matches one search shows.
pub const SP_PAGE_SIZE: u32 = 20;

/// What kind of identity a service principal is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SpKind {
    ManagedIdentity,
    /// An app registration's service principal.
    Application,
    /// Another `servicePrincipalType` (`Legacy`, `SocialIdp`, …), or none stated.
    Other(Option<String>),
}

impl SpKind {
    fn read(t: Option<String>) -> Self {
        match t.as_deref() {
            Some(t) if t.eq_ignore_ascii_case("ManagedIdentity") => SpKind::ManagedIdentity,
            Some(t) if t.eq_ignore_ascii_case("Application") => SpKind::Application,
            _ => SpKind::Other(t),
        }
    }

    /// How the picker names it.
    pub fn label(&self) -> String {
        match self {
            SpKind::ManagedIdentity => "managed identity".into(),
            SpKind::Application => "app".into(),
            SpKind::Other(Some(t)) => format!("service principal ({t})"),
            SpKind::Other(None) => "service principal".into(),
        }
    }
}

/// A service principal as the picker shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ServicePrincipal {
    /// The object ID: what a role assignment's `principalId` is.
    pub id: String,
    /// The client ID.
    pub app_id: Option<String>,
    pub display_name: String,
    pub kind: SpKind,
}

fn service_principal(m: Members<'_>) -> Result<ServicePrincipal, Mismatch> {
    Ok(ServicePrincipal {
        id: m.required_text("id")?,
        app_id: m.text("appId")?,
        display_name: m.text("displayName")?.unwrap_or_default(),
        kind: SpKind::read(m.text("servicePrincipalType")?),
    })
}

/// `GET /servicePrincipals`: a GUID as the client ID, anything else as the start of the name.
pub fn find_service_principals(base: &str, input: &str) -> HttpRequest {
    let input = input.trim();
    let filter = if super::is_guid(input) {
        format!("appId eq '{}'", input.to_ascii_lowercase())
    } else {
        format!("startsWith(displayName,'{}')", input.replace('\'', "''"))
    };
    get(url(
        base,
        &format!(
            "/servicePrincipals?$filter={}&$select={}&$top={SP_PAGE_SIZE}",
            encode(&filter),
            encode(SP_SELECT)
        ),
    ))
}

/// The answer to [`find_service_principals`] (one page: the picker shows the first matches).
pub fn parse_service_principals(res: &HttpResponse) -> Result<Page<ServicePrincipal>, GraphError> {
    parse_with(res, |m| {
        Ok(Page {
            value: m.page_value("value", service_principal)?,
            next_link: m.text("@odata.nextLink")?,
            count: m.count("@odata.count")?,
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_a_starts_with_filter_and_guids_a_client_id() {
        let r = find_service_principals("https://graph.microsoft.com/", " payroll's api ");
        assert_eq!(
            r.url,
            "https://graph.microsoft.com/v1.0/servicePrincipals?$filter=startsWith%28displayName%2C%27payroll%27%27s%20api%27%29\
             &$select=id%2CappId%2CdisplayName%2CservicePrincipalType&$top=20"
        );
        assert!(r.headers.iter().all(|(k, _)| k != "ConsistencyLevel"));
        let r = find_service_principals("https://g", "5B0C3B3E-1111-4222-8333-444455556666");
        assert!(r
            .url
            .contains("$filter=appId%20eq%20%275b0c3b3e-1111-4222-8333-444455556666%27"));
    }

    #[test]
    fn the_answer_names_managed_identities_and_apps() {
        let body = serde_json::json!({
            "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#servicePrincipals(id,appId,displayName,servicePrincipalType)",
            "value": [
                {"id": "a", "appId": "1", "displayName": "id-payroll-api", "servicePrincipalType": "ManagedIdentity"},
                {"id": "b", "appId": "2", "displayName": "Payroll Worker", "servicePrincipalType": "Application"},
                {"id": "c", "displayName": "Old", "servicePrincipalType": "Legacy"},
                {"id": "d"}
            ]
        });
        let page = parse_service_principals(&HttpResponse::new(200, body.to_string())).unwrap();
        let kinds: Vec<String> = page.value.iter().map(|s| s.kind.label()).collect();
        assert_eq!(
            kinds,
            [
                "managed identity",
                "app",
                "service principal (Legacy)",
                "service principal"
            ]
        );
        assert_eq!(page.value[0].app_id.as_deref(), Some("1"));
        assert!(parse_service_principals(&HttpResponse::new(200, r#"{"value":[{}]}"#)).is_err());
        let denied = parse_service_principals(&HttpResponse::new(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#,
        ))
        .unwrap_err();
        assert!(
            denied.details().contains("Authorization_RequestDenied"),
            "{denied:?}"
        );
    }
}
