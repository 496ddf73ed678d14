//! addPassword and removePassword are authorised from the directory's role assignments (direct,
//! through a role-assignable group, scoped to one app) or ownership, never from a token's `wids`.
//! Each rule's source is cited beside its code (`src/graph/credentials.rs`,
//! `src/graph/directory/roles/`).

mod support;

use sandbox::graph::directory::roles::{
    seeded_app_id, APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR,
};
use sandbox::identity::personas::{Persona, ADA, DAN, GINA, RITA, RORY, SAM};
use sandbox::identity::tokens::GRAPH_AUDIENCE;
use serde_json::{json, Value};
use support::*;

const DEFAULT: &str = "Application.ReadWrite.All User.Read";

async fn add(s: &Running, who: &Persona, app: &str) -> (u16, Value) {
    s.post_json(
        &format!(
            "/graph/v1.0/applications/{}/addPassword",
            seeded_app_id(app)
        ),
        &s.graph_token_with(who, DEFAULT),
        &json!({"passwordCredential": {"displayName": "rotated"}}),
    )
    .await
}

#[tokio::test]
async fn add_password_follows_role_assignments() {
    let s = start().await;
    // Legacy Reporting has no owners: only roles let anyone add.
    for who in [ADA, GINA, RORY] {
        let (status, body) = add(&s, &who, "Legacy Reporting").await;
        assert_eq!(status, 200, "{}: {body}", who.name);
        assert!(body["secretText"].is_string());
    }
    // Sam is Application Administrator for Inventory Service only.
    let (status, _) = add(&s, &SAM, "Inventory Service").await;
    assert_eq!(status, 200);
    for app in ["Legacy Reporting", "Payroll API"] {
        let (status, body) = add(&s, &SAM, app).await;
        assert_eq!(
            (status, error_code(&body)),
            (403, "Authorization_RequestDenied"),
            "Sam on {app}"
        );
    }
    // No role, no ownership: refused. Ownership alone is enough.
    let (status, _) = add(&s, &RITA, "Inventory Service").await;
    assert_eq!(status, 403);
    let (status, _) = add(&s, &DAN, "Legacy Reporting").await;
    assert_eq!(status, 403);
    let (status, _) = add(&s, &DAN, "Payroll API").await;
    assert_eq!(status, 200);

    // removePassword follows the same rule.
    let state = s.sandbox_state().await;
    let key_of = |app: &str| {
        state["applications"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["displayName"] == app)
            .unwrap()["passwordCredentials"][0]["keyId"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    let remove = |who: Persona, app: &'static str, key: String| {
        let s = &s;
        async move {
            s.post_json(
                &format!(
                    "/graph/v1.0/applications/{}/removePassword",
                    seeded_app_id(app)
                ),
                &s.graph_token_with(&who, DEFAULT),
                &json!({"keyId": key}),
            )
            .await
            .0
        }
    };
    assert_eq!(remove(SAM, "Payroll API", key_of("Payroll API")).await, 403);
    assert_eq!(
        remove(SAM, "Inventory Service", key_of("Inventory Service")).await,
        204
    );
}

#[tokio::test]
async fn wids_in_a_token_grant_nothing() {
    let s = start().await;
    // A token that claims Application Administrator for Rita: Graph decides from role assignments.
    let mut claims = sandbox::identity::tokens::access_claims(
        &s.state,
        &RITA,
        GRAPH_AUDIENCE,
        DEFAULT,
        chrono::Utc::now().timestamp(),
        600,
    );
    claims["wids"] = json!([APPLICATION_ADMINISTRATOR, GLOBAL_ADMINISTRATOR]);
    let forged = s.state.keys.sign_jwt(&claims);
    let (status, body) = s
        .post_json(
            &format!(
                "/graph/v1.0/applications/{}/addPassword",
                seeded_app_id("Legacy Reporting")
            ),
            &forged,
            &json!({"passwordCredential": {}}),
        )
        .await;
    assert_eq!(
        (status, error_code(&body)),
        (403, "Authorization_RequestDenied")
    );
}
