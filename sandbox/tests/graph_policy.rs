//! App management policies: the read endpoints (permission and role as the docs require), and
//! addPassword's refusals under them, which state no maximum.
//! Sources: sandbox/src/graph/policies.rs.

mod support;

use chrono::{Duration, Utc};
use sandbox::identity::consent::Consent;
use sandbox::identity::personas::{Persona, ADA, DAN, GINA, RITA, RORY, SAM};
use serde_json::json;
use support::*;

const DEFAULT_POLICY: &str = "/graph/v1.0/policies/defaultAppManagementPolicy";

/// A sandbox whose tenant consented `graph` for secret-wizard's Graph token.
async fn with_graph_consent(graph: &[&str]) -> Running {
    start_with(|o| {
        o.consent = Consent {
            graph: graph.iter().map(|s| (*s).to_owned()).collect(),
            ..Consent::default()
        }
    })
    .await
}

const WITH_POLICY_READ: [&str; 3] = ["Application.ReadWrite.All", "User.Read", "Policy.Read.All"];

async fn token(s: &Running, who: &Persona) -> String {
    let t = s.graph_token(who).await;
    // The token says what was granted: Graph decides from its scp.
    assert!(claims(&t)["scp"].as_str().is_some());
    t
}

#[tokio::test]
async fn the_lifetime_refusal_is_graphs_and_states_no_maximum() {
    let s = start().await;
    let dan = token(&s, &DAN).await;
    let id = app_of(&s.sandbox_state().await, "Policy Restricted Service")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, refused) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &dan,
            &json!({"passwordCredential": {"endDateTime": iso_in_days(365)}}),
        )
        .await;
    assert_eq!(status, 400, "{refused}");
    let error = &refused["error"];
    // Exactly the fixture's shape (tests/fixtures/graph/error-400-policy-lifetime.json).
    assert_eq!(error["code"], "CredentialInvalidLifetimeAsPerAppPolicy");
    assert_eq!(
        error["message"],
        "Credential lifetime exceeds the max value allowed as per assigned policy '00000000-0000-0000-0000-000000000000'."
    );
    assert_eq!(
        error["details"],
        json!([{"code": "InvalidKeyEndDate", "message": "Key credential end date is invalid.", "target": "EndDate"}])
    );
    let text = refused.to_string();
    for number in ["180", "P180D", "days"] {
        assert!(!text.contains(number), "no limit in the refusal: {text}");
    }
    let keys: Vec<&String> = error.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["code", "details", "innerError", "message"]);
}

#[tokio::test]
async fn the_p180d_rule_still_applies_exactly_at_its_limit() {
    let s = start().await;
    let dan = token(&s, &DAN).await;
    let id = app_of(&s.sandbox_state().await, "Policy Restricted Service")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/graph/v1.0/applications/{id}/addPassword");
    let start = Utc::now();
    let at =
        |d: i64| (start + Duration::days(d)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let begin = start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let over = json!({"passwordCredential": {"startDateTime": begin, "endDateTime": (start + Duration::days(180) + Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)}});
    let (status, _) = s.post_json(&path, &dan, &over).await;
    assert_eq!(status, 400, "one second beyond P180D");
    let (status, body) = s
        .post_json(
            &path,
            &dan,
            &json!({"passwordCredential": {"startDateTime": begin, "endDateTime": at(180)}}),
        )
        .await;
    assert_eq!(status, 200, "exactly P180D: {body}");
    // The default lifetime (two years) is refused too.
    let (status, _) = s.post_json(&path, &dan, &json!({})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn reading_policies_needs_policy_read_all() {
    let s = start().await; // the default consent: no Policy.Read.All
    let ada = token(&s, &ADA).await;
    let restricted = app_of(&s.sandbox_state().await, "Policy Restricted Service")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for path in [
        DEFAULT_POLICY.to_owned(),
        format!("/graph/v1.0/applications/{restricted}/appManagementPolicies"),
    ] {
        let (status, body) = s.get_json(&path, &ada).await;
        assert_eq!(status, 403, "{path}: {body}");
        assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
        assert_eq!(
            body["error"]["message"],
            "Insufficient privileges to complete the operation."
        );
    }
    let (status, _) = s.get_json(DEFAULT_POLICY, "not-a-token").await;
    assert_eq!(status, 401);
}

#[tokio::test]
async fn with_policy_read_all_the_default_policy_reads_as_graph_shows_it() {
    let s = with_graph_consent(&WITH_POLICY_READ).await;
    let ada = token(&s, &ADA).await;
    let (status, policy) = s.get_json(DEFAULT_POLICY, &ada).await;
    assert_eq!(status, 200, "{policy}");
    assert_eq!(policy["id"], "00000000-0000-0000-0000-000000000000");
    assert_eq!(policy["isEnabled"], true);
    assert_eq!(
        policy["applicationRestrictions"]["passwordCredentials"],
        json!([{
            "restrictionType": "passwordLifetime",
            "state": "enabled",
            "maxLifetime": "P180D",
            "restrictForAppsCreatedAfterDateTime": "2024-01-01T00:00:00Z",
            "excludeActors": null,
        }])
    );
    assert_eq!(
        policy["servicePrincipalRestrictions"],
        json!({"passwordCredentials": [], "keyCredentials": []})
    );
    assert!(policy["@odata.context"]
        .as_str()
        .unwrap()
        .ends_with("/$metadata#policies/defaultAppManagementPolicy/$entity"));

    // Policy Restricted Service has no policy of its own: the default governs it.
    let state = s.sandbox_state().await;
    let restricted = app_of(&state, "Policy Restricted Service")["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, own) = s
        .get_json(
            &format!("/graph/v1.0/applications/{restricted}/appManagementPolicies"),
            &ada,
        )
        .await;
    assert_eq!(status, 200, "{own}");
    assert_eq!(own["value"], json!([]));
    let (status, _) = s
        .get_json(
            "/graph/v1.0/applications/0b0b0b0b-0000-4000-8000-000000000000/appManagementPolicies",
            &ada,
        )
        .await;
    assert_eq!(status, 404);
}

#[tokio::test]
async fn a_plain_member_is_refused_even_with_the_permission() {
    // "the signed-in user must be assigned a supported Microsoft Entra role": Dan has none.
    let s = with_graph_consent(&WITH_POLICY_READ).await;
    for who in [&DAN, &RITA] {
        let t = token(&s, who).await;
        assert!(claims(&t)["scp"]
            .as_str()
            .unwrap()
            .contains("Policy.Read.All"));
        let (status, body) = s.get_json(DEFAULT_POLICY, &t).await;
        assert_eq!(status, 403, "{}: {body}", who.upn);
        assert_eq!(body["error"]["code"], "Authorization_RequestDenied");
    }
}

#[tokio::test]
async fn only_tenant_wide_roles_that_may_read_policies_count() {
    let s = with_graph_consent(&WITH_POLICY_READ).await;
    // Global Administrator (tenant-wide): allowed.
    let gina = token(&s, &GINA).await;
    assert_eq!(s.get_json(DEFAULT_POLICY, &gina).await.0, 200);
    // A custom role for credentials only, and Application Administrator scoped to one app: no.
    for who in [&RORY, &SAM] {
        let t = token(&s, who).await;
        let (status, body) = s.get_json(DEFAULT_POLICY, &t).await;
        assert_eq!(status, 403, "{}: {body}", who.upn);
    }
}

#[tokio::test]
async fn secretless_service_has_its_own_policy_that_blocks_new_secrets() {
    let s = with_graph_consent(&WITH_POLICY_READ).await;
    let ada = token(&s, &ADA).await;
    let state = s.sandbox_state().await;
    let secretless = app_of(&state, "Secretless Service");
    assert_eq!(secretless["owners"], json!([DAN.oid]));
    let id = secretless["id"].as_str().unwrap();
    let (status, own) = s
        .get_json(
            &format!("/graph/v1.0/applications/{id}/appManagementPolicies"),
            &ada,
        )
        .await;
    assert_eq!(status, 200, "{own}");
    let policies = own["value"].as_array().unwrap();
    assert_eq!(policies.len(), 1);
    let policy = &policies[0];
    assert_eq!(policy["isEnabled"], true);
    assert_eq!(
        policy["restrictions"]["passwordCredentials"],
        json!([{
            "restrictionType": "passwordAddition",
            "state": "enabled",
            "maxLifetime": null,
            "restrictForAppsCreatedAfterDateTime": "2025-01-01T00:00:00Z",
            "excludeActors": null,
        }])
    );
    // The same policy by its ID.
    let policy_id = policy["id"].as_str().unwrap();
    let (status, by_id) = s
        .get_json(
            &format!("/graph/v1.0/policies/appManagementPolicies/{policy_id}"),
            &ada,
        )
        .await;
    assert_eq!(status, 200);
    assert_eq!(by_id["restrictions"], policy["restrictions"]);
    let (status, _) = s
        .get_json(
            "/graph/v1.0/policies/appManagementPolicies/0c0c0c0c-0000-4000-8000-000000000000",
            &ada,
        )
        .await;
    assert_eq!(status, 404);

    // Its owner, Dan, is refused any new secret, of any lifetime.
    let dan = token(&s, &DAN).await;
    for body in [
        json!({"passwordCredential": {"endDateTime": iso_in_days(30)}}),
        json!({}),
    ] {
        let (status, refused) = s
            .post_json(
                &format!("/graph/v1.0/applications/{id}/addPassword"),
                &dan,
                &body,
            )
            .await;
        assert_eq!(status, 400, "{refused}");
        assert_eq!(
            refused["error"]["code"],
            "CredentialTypeNotAllowedAsPerAppPolicy"
        );
        assert_eq!(
            refused["error"]["message"],
            format!("Credential type not allowed as per assigned policy '{policy_id}'.")
        );
    }
    let after = app_of(&s.sandbox_state().await, "Secretless Service");
    assert_eq!(after["passwordCredentials"], json!([]));
    // Someone who may not manage the app is told that first.
    let rita = token(&s, &RITA).await;
    let (status, refused) = s
        .post_json(
            &format!("/graph/v1.0/applications/{id}/addPassword"),
            &rita,
            &json!({"passwordCredential": {"endDateTime": iso_in_days(30)}}),
        )
        .await;
    assert_eq!(
        (status, refused["error"]["code"].as_str()),
        (403, Some("Authorization_RequestDenied"))
    );
}
