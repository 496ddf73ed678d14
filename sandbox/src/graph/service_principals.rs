//! `GET /v1.0/servicePrincipals`: the demo tenant's service principals, the identities a workload
//! runs as (managed identities and apps), for secret-wizard's Done step.
//!
//! Sources: "List servicePrincipals" (microsoftgraph/microsoft-graph-docs-contrib
//! `api-reference/v1.0/api/serviceprincipal-list.md`): delegated `Application.Read.All` (least
//! privileged) or `Application.ReadWrite.All`, `Directory.Read.All`, `Directory.ReadWrite.All`;
//! the `$count`, `$filter`, `$search`, `$select` and `$top` options, default page 100, maximum
//! 999; `$search` only with `ConsistencyLevel: eventual`. The servicePrincipal resource
//! (`resources/serviceprincipal.md`): `servicePrincipalType` is `Application`, `ManagedIdentity`,
//! `Legacy` or `SocialIdp`; a managed identity's service principal has `ManagedIdentity` and an
//! `alternativeNames` entry naming its ARM resource. The query options are read by
//! [`super::query`] (the same rules as for applications); a `$filter` on a property the sandbox
//! does not index is refused (strict; sandbox/README.md).
//!
//! The service principals are fixed data (they never change in the sandbox); ARM's role
//! assignments look principals up here ([`exists`]).

use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use serde_json::{json, Map, Value};

use super::query::{self, Filter, Query};
use super::{authorize, bad_request, service_root, Need, RequestIds};
use crate::arm::vaults::seed::CONTOSO_DEV;
use crate::graph::directory::seed::stable_guid;
use crate::AppState;

/// The servicePrincipal properties the sandbox serves (all in the v1.0 CSDL).
pub const SP_PROPERTIES: &[&str] = &[
    "id",
    "appId",
    "displayName",
    "servicePrincipalType",
    "alternativeNames",
    "accountEnabled",
    "appOwnerOrganizationId",
    "tags",
];

/// One service principal of the demo tenant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: String,
    pub display_name: String,
    /// `ManagedIdentity` or `Application`.
    pub kind: &'static str,
    /// For a managed identity: `isExplicit=True|False` and its ARM resource ID.
    pub alternative_names: Vec<String>,
}

fn managed_identity(name: &str, user_assigned: bool, resource: String) -> ServicePrincipal {
    ServicePrincipal {
        id: stable_guid(&format!("{name}|sp")),
        app_id: stable_guid(&format!("{name}|sp-app")),
        display_name: name.to_owned(),
        kind: "ManagedIdentity",
        alternative_names: vec![
            format!(
                "isExplicit={}",
                if user_assigned { "True" } else { "False" }
            ),
            resource,
        ],
    }
}

/// The demo tenant's workload identities: two user-assigned managed identities, a system-assigned
/// one (an App Service app's), and an app's service principal.
pub fn all() -> Vec<ServicePrincipal> {
    let rg = format!("/subscriptions/{CONTOSO_DEV}/resourceGroups/rg-dev/providers");
    vec![
        managed_identity(
            "id-payroll-api-prod",
            true,
            format!("{rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id-payroll-api-prod"),
        ),
        managed_identity(
            "id-onboarding-aks",
            true,
            format!("{rg}/Microsoft.ManagedIdentity/userAssignedIdentities/id-onboarding-aks"),
        ),
        managed_identity(
            "app-payroll-api",
            false,
            format!("{rg}/Microsoft.Web/sites/app-payroll-api"),
        ),
        ServicePrincipal {
            id: stable_guid("Payroll Worker|sp"),
            app_id: stable_guid("Payroll Worker|sp-app"),
            display_name: "Payroll Worker".into(),
            kind: "Application",
            alternative_names: vec![],
        },
    ]
}

/// Whether `object_id` is one of the tenant's service principals.
pub fn find(object_id: &str) -> Option<ServicePrincipal> {
    all()
        .into_iter()
        .find(|s| s.id.eq_ignore_ascii_case(object_id))
}

/// Whether `object_id` names a principal of the directory: a service principal or a person.
pub fn exists(object_id: &str) -> bool {
    find(object_id).is_some() || crate::identity::personas::by_oid(object_id).is_some()
}

impl ServicePrincipal {
    pub fn to_graph_json(&self) -> Map<String, Value> {
        let tags: Vec<&str> = if self.kind == "Application" {
            vec!["WindowsAzureActiveDirectoryIntegratedApp"]
        } else {
            vec![]
        };
        let value = json!({
            "id": self.id,
            "appId": self.app_id,
            "displayName": self.display_name,
            "servicePrincipalType": self.kind,
            "alternativeNames": self.alternative_names,
            "accountEnabled": true,
            "appOwnerOrganizationId": crate::TENANT_ID,
            "tags": tags,
        });
        match value {
            Value::Object(m) => m,
            _ => Map::new(),
        }
    }

    fn matches(&self, q: &Query) -> bool {
        let name = self.display_name.to_lowercase();
        let filter = q.filter.as_ref().is_none_or(|f| match f {
            Filter::StartsWithDisplayName(p) => name.starts_with(&p.to_lowercase()),
            Filter::DisplayNameEq(v) => name == v.to_lowercase(),
            Filter::AppIdEq(v) => self.app_id.eq_ignore_ascii_case(v),
            Filter::IdEq(v) => self.id.eq_ignore_ascii_case(v),
        });
        // Directory search: each term matches the start of the name or of a word in it.
        let search = q.search.as_ref().is_none_or(|s| {
            let words: Vec<&str> = name
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            let hit = |t: &String| {
                let t = t.to_lowercase();
                name.starts_with(&t) || words.iter().any(|w| w.starts_with(&t))
            };
            if s.all {
                s.terms.iter().all(hit)
            } else {
                s.terms.iter().any(hit)
            }
        });
        filter && search
    }
}

/// `GET /v1.0/servicePrincipals`.
pub async fn list(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> Response {
    if let Err(r) = authorize(&state, &headers, &ids, Need::ReadApps) {
        return r;
    }
    let q = match query::parse(raw.as_deref(), &headers, SP_PROPERTIES, "servicePrincipal") {
        Ok(q) => q,
        Err((code, message)) => return bad_request(&ids, code, &message),
    };
    let items: Vec<Value> = all()
        .iter()
        .filter(|s| s.matches(&q))
        .map(|s| {
            let full = s.to_graph_json();
            Value::Object(match &q.select {
                None => full,
                Some(names) => names
                    .iter()
                    .filter_map(|n| full.get(n).map(|v| (n.clone(), v.clone())))
                    .collect(),
            })
        })
        .collect();
    let select = q
        .select
        .as_ref()
        .map(|s| format!("({})", s.join(",")))
        .unwrap_or_default();
    let total = items.len();
    let size = q.page_size();
    let start = q.skip.min(total);
    let end = (start + size).min(total);
    let mut body = Map::new();
    body.insert(
        "@odata.context".into(),
        json!(format!(
            "{}/$metadata#servicePrincipals{select}",
            service_root(&state)
        )),
    );
    if q.count && !q.continued {
        body.insert("@odata.count".into(), json!(total));
    }
    if end < total {
        body.insert(
            "@odata.nextLink".into(),
            json!(format!(
                "{}/servicePrincipals?{}",
                service_root(&state),
                q.next_query(end)
            )),
        );
    }
    body.insert("value".into(), Value::Array(items[start..end].to_vec()));
    Json(Value::Object(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_seed_has_managed_identities_and_an_app_with_stable_distinct_ids() {
        let sps = all();
        assert_eq!(
            sps.iter().filter(|s| s.kind == "ManagedIdentity").count(),
            3
        );
        assert_eq!(sps.iter().filter(|s| s.kind == "Application").count(), 1);
        let ids: std::collections::HashSet<_> = sps.iter().map(|s| &s.id).collect();
        assert_eq!(ids.len(), sps.len());
        assert_eq!(all(), sps, "stable across calls");
        assert!(exists(&sps[0].id));
        assert!(exists(crate::identity::personas::DAN.oid));
        assert!(!exists("00000000-0000-4000-8000-000000000000"));
    }
}
