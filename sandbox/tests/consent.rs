//! What the tenant consented to decides what a token carries and whether one is issued at all
//! (`identity::consent`), and an authorize request never mixes a `.default` scope with another
//! resource's scopes (`identity::scopes::resources_for_authorize`). Sources beside the code.

mod support;

use sandbox::identity::consent::Consent;
use sandbox::identity::personas::{ADA, DAN};
use serde_json::{json, Value};
use support::*;

const ARM_DEFAULT: &str = "https://management.azure.com/.default";

/// What secret-wizard sent before: Graph's `.default` plus ARM's and Key Vault's `.default`
/// (`extraScopesToConsent`), all in one authorize request.
const OLD_SIGN_IN_SCOPE: &str =
    "https://graph.microsoft.com/.default openid profile offline_access \
    https://management.azure.com/.default https://vault.azure.net/.default";

#[tokio::test]
async fn an_authorize_request_mixing_a_default_scope_with_another_resource_is_refused() {
    let s = start().await;
    let p = pkce();
    for scope in [
        OLD_SIGN_IN_SCOPE,
        "https://graph.microsoft.com/.default https://management.azure.com/user_impersonation openid",
    ] {
        let r = s
            .http
            .get(s.authorize_url())
            .query(&s.authorize_params(&p.challenge, scope))
            .send()
            .await
            .unwrap();
        // Back to the app (the redirect URI is registered), as Entra does.
        assert_eq!(r.status(), 302, "{scope}");
        let params = location_params(r.headers()["location"].to_str().unwrap());
        assert_eq!(params["error"], "invalid_scope");
        assert!(
            params["error_description"].starts_with("AADSTS70011"),
            "{params:?}"
        );
    }
    // Named scopes of several resources (consent up front) are still allowed: the sign-in page.
    let r = s
        .http
        .get(s.authorize_url())
        .query(&s.authorize_params(
            &p.challenge,
            "User.Read https://management.azure.com/user_impersonation openid",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
}

#[tokio::test]
async fn a_default_token_carries_what_was_consented_and_more_once_an_admin_grants_it() {
    let s = start().await;
    let signed_in = s.sign_in(&DAN, GRAPH_SCOPE).await;
    let scp = claims(signed_in["access_token"].as_str().unwrap())["scp"].clone();
    assert_eq!(scp, "Application.ReadWrite.All User.Read");

    let r = s
        .http
        .put(s.url("/_sandbox/consent"))
        .json(&json!({"graph": ["Application.ReadWrite.All", "User.Read", "Policy.Read.All"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let now: Value = r.json().await.unwrap();
    assert_eq!(now["arm"], json!(["user_impersonation"]));
    // A new token (here from the refresh token) carries the new grant.
    let graph = s
        .token_for(&signed_in, "https://graph.microsoft.com/.default")
        .await;
    assert_eq!(
        claims(&graph)["scp"],
        "Application.ReadWrite.All Policy.Read.All User.Read"
    );
    // Unknown permissions are refused by the hook; reset restores the start-up consent.
    let r = s
        .http
        .put(s.url("/_sandbox/consent"))
        .json(&json!({"graph": ["Mail.Send"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 400);
    s.http.post(s.url("/_sandbox/reset")).send().await.unwrap();
    assert_eq!(s.state.consent(), Consent::default());
}

#[tokio::test]
async fn without_consent_for_arm_a_silent_arm_token_is_refused_as_entra_refuses_it() {
    let s = start_with(|o| o.consent.arm.clear()).await;
    // Sign-in asks for Graph only, so it works.
    let signed_in = s.sign_in(&ADA, GRAPH_SCOPE).await;
    let rt = signed_in["refresh_token"].as_str().unwrap();
    let (status, body) = s
        .token_request(&[
            ("client_id", sandbox::CLIENT_ID),
            ("grant_type", "refresh_token"),
            ("refresh_token", rt),
            ("scope", ARM_DEFAULT),
        ])
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_grant");
    assert_eq!(body["suberror"], "consent_required");
    assert_eq!(body["error_codes"][0], 65001);

    // Interactively, the sandbox has no one to grant it: Entra's "Need admin approval".
    let p = pkce();
    let page = s
        .pick(
            &s.authorize_params(
                &p.challenge,
                &format!("{ARM_DEFAULT} openid offline_access"),
            ),
            &ADA,
        )
        .await;
    assert_eq!(page.status(), 403);
    assert!(page.text().await.unwrap().contains("AADSTS90094"));
}
