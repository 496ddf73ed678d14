//! App management policies, read-only and sans-IO: the tenant default
//! (`GET /policies/defaultAppManagementPolicy`) and the policies assigned to one application
//! (`GET /applications/{id}/appManagementPolicies`). What they mean for a new secret is
//! [`crate::domain::policy`].
//!
//! Reading them needs the optional delegated permission `Policy.Read.All` (or
//! `Policy.Read.ApplicationConfiguration` / `Policy.ReadWrite.ApplicationConfiguration`) and a
//! directory role such as Global Reader (../shared/specs/graph-docs/tenantappmanagementpolicy-get.md,
//! appmanagementpolicy-get.md). Without them Graph answers 403: the app then knows nothing of the
//! policy, which is not an error. Shapes: tenantappmanagementpolicy.md, appmanagementpolicy.md,
//! passwordcredentialconfiguration.md and the v1.0 CSDL (`state`); every field is read
//! leniently (missing or `null` is "not stated"), since the docs' own examples omit some. The
//! policy types are [`crate::model`]'s, re-exported here.

use super::error::GraphError;
use super::read;
use super::requests::{get, url};
use super::types::Page;
use crate::net::{encode, HttpRequest, HttpResponse};
use crate::wire::parse_with;

pub use crate::model::{
    AppManagementConfiguration, AppManagementPolicy, PasswordCredentialConfiguration,
    TenantAppManagementPolicy,
};

/// The delegated permissions that let the app read app management policies.
pub const POLICY_READ_PERMISSIONS: [&str; 3] = [
    "Policy.Read.All",
    "Policy.Read.ApplicationConfiguration",
    "Policy.ReadWrite.ApplicationConfiguration",
];

/// Whether the granted Graph permissions (the token's `scp`, one name each) let the app read
/// app management policies. Names compare without case, as Entra's do.
pub fn may_read_policies<S: AsRef<str>>(granted: &[S]) -> bool {
    granted.iter().any(|g| {
        POLICY_READ_PERMISSIONS
            .iter()
            .any(|p| p.eq_ignore_ascii_case(g.as_ref()))
    })
}

/// `GET /v1.0/policies/defaultAppManagementPolicy`.
pub fn default_app_management_policy(base: &str) -> HttpRequest {
    get(url(base, "/policies/defaultAppManagementPolicy"))
}

/// `GET /v1.0/applications/{id}/appManagementPolicies`: the policies assigned to one app
/// (`object_id` is the application's object ID).
pub fn app_management_policies(base: &str, object_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!("/applications/{}/appManagementPolicies", encode(object_id)),
    ))
}

/// The tenant default policy.
pub fn parse_default_policy(res: &HttpResponse) -> Result<TenantAppManagementPolicy, GraphError> {
    parse_with(res, read::tenant_policy)
}

/// The policies assigned to an application (one page; "Only one policy can be assigned").
pub fn parse_app_policies(res: &HttpResponse) -> Result<Page<AppManagementPolicy>, GraphError> {
    parse_with(res, |m| read::page(m, read::app_policy))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::{Method, Resource};
    use chrono::{TimeZone, Utc};

    macro_rules! fixture {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/graph/",
                $name
            ))
        };
    }

    fn ok(body: &str) -> HttpResponse {
        HttpResponse::new(200, body)
    }

    #[test]
    fn requests_name_the_documented_paths() {
        let r = default_app_management_policy("https://graph.microsoft.com/");
        assert_eq!(r.method, Method::Get);
        assert_eq!(
            r.url,
            "https://graph.microsoft.com/v1.0/policies/defaultAppManagementPolicy"
        );
        assert_eq!(r.resource, Resource::Graph);
        let r = app_management_policies(
            "http://127.0.0.1:8400/graph",
            "11111111-1111-4111-8111-111111111111",
        );
        assert_eq!(
            r.url,
            "http://127.0.0.1:8400/graph/v1.0/applications/11111111-1111-4111-8111-111111111111/appManagementPolicies"
        );
        assert!(r.body.is_none());
    }

    #[test]
    fn the_docs_tenant_default_parses_disabled_and_empty() {
        let p = parse_default_policy(&ok(fixture!("policy-tenant-default-get.json"))).unwrap();
        assert_eq!(p.id, "00000000-0000-0000-0000-000000000000");
        assert_eq!(p.is_enabled, Some(false));
        assert_eq!(
            p.application_restrictions.unwrap().password_credentials,
            vec![]
        );
    }

    #[test]
    fn the_docs_enabled_default_keeps_every_restriction_as_sent() {
        let p = parse_default_policy(&ok(fixture!("policy-tenant-default-update-request.json")))
            .unwrap();
        assert_eq!(p.id, "", "a request body has no id");
        assert_eq!(p.is_enabled, Some(true));
        let r = p.application_restrictions.unwrap().password_credentials;
        let kinds: Vec<_> = r
            .iter()
            .map(|c| c.restriction_type.as_deref().unwrap())
            .collect();
        assert_eq!(
            kinds,
            [
                "passwordAddition",
                "passwordLifetime",
                "symmetricKeyAddition",
                "customPasswordAddition",
                "symmetricKeyLifetime"
            ]
        );
        assert_eq!(r[1].max_lifetime.as_deref(), Some("P4DT12H30M5S"));
        assert_eq!(r[0].max_lifetime, None);
        assert_eq!(
            r[0].restrict_for_apps_created_after_date_time,
            Some(Utc.with_ymd_and_hms(2021, 1, 1, 10, 37, 0).unwrap())
        );
        assert_eq!(r[0].state, None, "the docs' examples carry no state");
    }

    #[test]
    fn the_docs_policy_list_parses() {
        let page = parse_app_policies(&ok(fixture!("policy-app-policies-list.json"))).unwrap();
        assert_eq!(page.value.len(), 1);
        let p = &page.value[0];
        assert_eq!(p.id, "db9d4b58-3488-4da4-9994-49773c454e33");
        assert_eq!(
            p.display_name.as_deref(),
            Some("Custom app management policy")
        );
        assert_eq!(p.is_enabled, Some(false));
        let r = &p.restrictions.as_ref().unwrap().password_credentials;
        assert_eq!(r.len(), 4);
        assert_eq!(r[1].restriction_type.as_deref(), Some("passwordLifetime"));
        assert_eq!(r[1].max_lifetime.as_deref(), Some("P4DT12H30M5S"));
    }

    #[test]
    fn state_nulls_and_an_empty_list_read_leniently() {
        let p = parse_default_policy(&ok(
            r#"{"id":"x","isEnabled":true,"applicationRestrictions":{"passwordCredentials":[{"restrictionType":"passwordLifetime","state":"disabled","maxLifetime":"P90D","restrictForAppsCreatedAfterDateTime":null,"excludeActors":null}],"keyCredentials":null}}"#,
        ))
        .unwrap();
        let r = &p.application_restrictions.unwrap().password_credentials[0];
        assert_eq!(r.state.as_deref(), Some("disabled"));
        assert_eq!(r.restrict_for_apps_created_after_date_time, None);
        let p = parse_default_policy(&ok(r#"{"id":"x","applicationRestrictions":null}"#)).unwrap();
        assert_eq!(p.is_enabled, None);
        assert!(p.application_restrictions.is_none());
        let page = parse_app_policies(&ok(r#"{"value":[]}"#)).unwrap();
        assert!(page.value.is_empty());
    }

    #[test]
    fn a_refusal_is_a_graph_error_and_a_bad_body_is_malformed() {
        let denied = HttpResponse::new(403, fixture!("error-403-authorization-denied.json"));
        assert!(matches!(
            parse_default_policy(&denied),
            Err(GraphError::AuthorizationDenied(_))
        ));
        assert!(matches!(
            parse_app_policies(&denied),
            Err(GraphError::AuthorizationDenied(_))
        ));
        assert!(matches!(
            parse_default_policy(&ok("[1]")),
            Err(GraphError::Malformed { .. })
        ));
    }

    #[test]
    fn an_opened_app_is_read_with_its_creation_date() {
        // A restriction applies from `restrictForAppsCreatedAfterDateTime` on: the app's
        // `createdDateTime` must be read for the policy to be decided (domain::policy).
        let req = crate::graph::get_application("https://graph.microsoft.com", "x");
        assert!(req.url.contains("createdDateTime"), "{}", req.url);
    }

    #[test]
    fn only_the_policy_read_permissions_count() {
        assert!(may_read_policies(&["User.Read", "policy.read.all"]));
        assert!(may_read_policies(&[
            "Policy.ReadWrite.ApplicationConfiguration".to_string()
        ]));
        assert!(!may_read_policies(&[
            "Application.ReadWrite.All",
            "User.Read"
        ]));
        assert!(!may_read_policies::<&str>(&[]));
        assert!(!may_read_policies(&["Policy.Read.All.Extra"]));
    }
}
