//! Every Graph error code and status maps to its variant, message and details line.

use crate::graph::*;
use crate::net::HttpResponse;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/graph/",
            $name
        ))
    };
}

fn err(status: u16, body: &str) -> GraphError {
    GraphError::from_response(&HttpResponse::new(status, body))
}

#[test]
fn authorization_denied_names_owners_and_keeps_ids() {
    let e = err(403, fixture!("error-403-authorization-denied.json"));
    let GraphError::AuthorizationDenied(info) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(info.code, "Authorization_RequestDenied");
    assert_eq!(
        info.request_id.as_deref(),
        Some("5a1d0c2e-0b2f-4d6e-9f71-3c4b5a6d7e8f")
    );
    assert_eq!(
        e.details(),
        "Authorization_RequestDenied · HTTP 403 · request-id 5a1d0c2e-0b2f-4d6e-9f71-3c4b5a6d7e8f \
         · client-request-id c1c1c1c1-2d2d-4e4e-8f8f-0a0a0a0a0a0a · 2026-11-26T10:42:07"
    );
    assert_eq!(
        e.user_message_with_owners(&["Dev Dan".into(), "Ada Admin".into()]),
        "You can't add secrets to this app. Its owners (Dev Dan, Ada Admin) or an Application \
         Administrator can; ask one of them, or ask to be added as an owner."
    );
    assert!(!e.user_message().contains("Insufficient privileges"));
}

#[test]
fn other_403_codes_are_denials_too() {
    let e = err(403, r#"{"error":{"code":"accessDenied","message":"no"}}"#);
    assert!(matches!(e, GraphError::AuthorizationDenied(_)));
}

#[test]
fn not_found() {
    let e = err(404, fixture!("error-404-not-found.json"));
    assert!(matches!(e, GraphError::NotFound(_)), "{e:?}");
    assert!(e.user_message().contains("was not found"));
    let generic = err(404, r#"{"error":{"code":"itemNotFound","message":"x"}}"#);
    assert!(matches!(generic, GraphError::NotFound(_)));
}

#[test]
fn policy_lifetime_states_no_maximum_and_none_is_read_into_it() {
    // Real Graph names the policy's ID only (azure-apis.md §1.7): the fixture is that answer.
    let e = err(400, fixture!("error-400-policy-lifetime.json"));
    let GraphError::PolicyLifetime(info) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(info.code, "CredentialInvalidLifetimeAsPerAppPolicy");
    assert_eq!(
        e.user_message(),
        "Your organisation's policy doesn't allow secrets for this app to last that long, and \
         Microsoft Graph doesn't say how long they may last. Choose a shorter lifetime."
    );
    assert!(e
        .details()
        .starts_with("CredentialInvalidLifetimeAsPerAppPolicy · HTTP 400 · request-id"));
    // Even a message or details with a number in them is not read as the maximum: nothing says
    // Graph's wording is stable, and the app must never show an invented limit.
    for body in [
        r#"{"error":{"code":"CredentialInvalidLifetimeAsPerAppPolicy","message":"Credential lifetime exceeds the max value of 180 days allowed as per assigned policy."}}"#,
        r#"{"error":{"code":"CredentialInvalidLifetimeAsPerAppPolicy","message":"x","details":[{"code":"InvalidKeyEndDate","message":"maxLifetime is P90D."}]}}"#,
    ] {
        let e = err(400, body);
        assert!(matches!(e, GraphError::PolicyLifetime(_)), "{e:?}");
        let words = e.user_message();
        assert!(!words.contains("180") && !words.contains("90"), "{words}");
    }
}

#[test]
fn a_policy_that_blocks_secrets_is_said_plainly_with_graphs_words() {
    let e = err(400, fixture!("error-400-policy-blocks-secrets.json"));
    assert!(matches!(e, GraphError::PolicyBlocksSecrets(_)), "{e:?}");
    assert_eq!(
        e.user_message(),
        "Your organisation's policy doesn't allow new client secrets for this app. Use a \
         certificate or a federated credential instead; an administrator of your organisation \
         can tell you which."
    );
    let details = e.details();
    assert!(
        details
            .starts_with("CredentialTypeNotAllowedAsPerAppPolicy · HTTP 400 · request-id 7b2e1d3f"),
        "{details}"
    );
    assert!(
        details.ends_with(
            "· Graph: “Credential type not allowed as per assigned policy 'c3d4e5f6-0a1b-4c2d-8e3f-9a0b1c2d3e4f'.”"
        ),
        "{details}"
    );
    // The code is not documented by Microsoft: Graph's words alone are recognised too.
    let by_words = err(
        400,
        r#"{"error":{"code":"Request_BadRequest","message":"Credential type not allowed as per assigned policy 'p'."}}"#,
    );
    assert!(matches!(by_words, GraphError::PolicyBlocksSecrets(_)));
    assert!(by_words
        .details()
        .contains("Graph: “Credential type not allowed"));
    // Other refusals don't carry Graph's message in their details.
    assert!(!err(400, fixture!("error-400-policy-lifetime.json"))
        .details()
        .contains("Graph:"));
}

#[test]
fn two_secret_cap_by_code() {
    // Graph's answer in Azure/azure-cli #12946, verbatim.
    let e = err(400, fixture!("error-400-too-many-app-passwords.json"));
    assert!(matches!(e, GraphError::SecretLimit(_)), "{e:?}");
    assert!(e.user_message().contains("limits it to two secrets"));
    assert!(e.details().starts_with("TooManyAppPasswords · HTTP 400"));
    // The code alone is enough, whatever the words.
    let body =
        serde_json::json!({"error": {"code": "TooManyAppPasswords", "message": "Limit reached."}});
    assert!(matches!(
        err(400, &body.to_string()),
        GraphError::SecretLimit(_)
    ));
}

#[test]
fn two_secret_cap_by_message() {
    let e = err(400, fixture!("error-400-secret-limit.json"));
    assert!(matches!(e, GraphError::SecretLimit(_)), "{e:?}");
    assert!(e.user_message().contains("limits it to two secrets"));
    for msg in [
        "You can only add a maximum of 2 encrypted credentials.",
        "Unable to save changes because the Credential limit has been reached.",
    ] {
        let body = serde_json::json!({"error": {"code": "KeyCredentialsInvalid", "message": msg}});
        assert!(matches!(
            err(400, &body.to_string()),
            GraphError::SecretLimit(_)
        ));
    }
}

#[test]
fn unsupported_query_and_bad_request() {
    let e = err(400, fixture!("error-400-unsupported-query.json"));
    assert!(matches!(e, GraphError::UnsupportedQuery(_)), "{e:?}");
    let b = err(400, fixture!("error-400-bad-request.json"));
    assert!(matches!(b, GraphError::BadRequest(_)), "{b:?}");
    assert!(!b.user_message().contains("filter clause"));
    assert!(b.details().starts_with("Request_BadRequest · HTTP 400"));
}

#[test]
fn unauthorized_and_claims_challenge() {
    let e = err(401, fixture!("error-401-invalid-token.json"));
    assert!(matches!(e, GraphError::Unauthorized(_)), "{e:?}");
    assert!(e.user_message().contains("sign in again"));
    let empty = err(401, "");
    assert!(matches!(empty, GraphError::Unauthorized(_)));

    let challenge = HttpResponse::new(401, fixture!("error-401-invalid-token.json")).with_header(
        "WWW-Authenticate",
        r#"Bearer realm="", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize", error="insufficient_claims", claims="eyJhY2Nlc3NfdG9rZW4iOnt9fQ==""#,
    );
    let e = GraphError::from_response(&challenge);
    let GraphError::InsufficientClaims { claims, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(claims.as_deref(), Some("eyJhY2Nlc3NfdG9rZW4iOnt9fQ=="));
}

#[test]
fn throttled_reads_fractional_retry_after() {
    let res = HttpResponse::new(429, fixture!("error-429-throttled.json"))
        .with_header("Retry-After", "2.128");
    let e = GraphError::from_response(&res);
    let GraphError::Throttled {
        retry_after_secs,
        info,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(*retry_after_secs, Some(3));
    assert_eq!(info.code, "TooManyRequests");
    assert_eq!(
        info.request_id.as_deref(),
        Some("94fb3b52-452a-4535-a601-69e0a90e3aa2")
    );
    assert!(e.is_transient());
    assert_eq!(e.retry_after_secs(), Some(3));
    assert_eq!(
        GraphError::retrying_message(3),
        "Microsoft Graph is busy; retrying in 3 s…"
    );
}

#[test]
fn server_errors_are_service_unavailable_even_without_json() {
    let res = HttpResponse::new(503, fixture!("error-503-service-unavailable.json"))
        .with_header("Retry-After", "10");
    let e = GraphError::from_response(&res);
    assert!(matches!(
        e,
        GraphError::ServiceUnavailable {
            status: 503,
            retry_after_secs: Some(10),
            ..
        }
    ));
    let html = HttpResponse::new(502, "<html>Bad gateway</html>").with_header("request-id", "r-1");
    let e = GraphError::from_response(&html);
    assert!(matches!(
        e,
        GraphError::ServiceUnavailable { status: 502, .. }
    ));
    assert_eq!(e.details(), "HTTP 502 · request-id r-1");
}

#[test]
fn non_json_error_body_is_unexpected_with_a_short_excerpt() {
    let long = format!("<html>\n<body>{}</body></html>", "x".repeat(500));
    let e = err(400, &long);
    let GraphError::Unexpected {
        status,
        body_excerpt,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!(*status, 400);
    assert!(body_excerpt.chars().count() <= 121);
    assert!(body_excerpt.starts_with("<html> <body>xxx"));
    assert!(e.user_message().contains("HTTP 400"));
}

#[test]
fn unknown_codes_keep_their_code() {
    let e = err(
        409,
        r#"{"error":{"code":"ObjectConflict","message":"x","innerError":{"request-id":"r"}}}"#,
    );
    let GraphError::Other(info) = &e else {
        panic!("{e:?}")
    };
    assert_eq!(info.code, "ObjectConflict");
    assert_eq!(e.status(), 409);
}

#[test]
fn request_ids_fall_back_to_headers() {
    let res = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"x"}}"#,
    )
    .with_header("request-id", "hdr-req")
    .with_header("client-request-id", "hdr-client");
    let e = GraphError::from_response(&res);
    let info = e.info().unwrap();
    assert_eq!(info.request_id.as_deref(), Some("hdr-req"));
    assert_eq!(info.client_request_id.as_deref(), Some("hdr-client"));
}

#[test]
fn an_error_body_with_a_member_of_the_wrong_type_is_not_read_as_graphs() {
    // As before wire::Fields (derived structs): one wrong member and the body is not Graph's.
    for body in [
        r#"{"error":{"code":5,"message":"m"}}"#,
        r#"{"error":null}"#,
        r#"{"error":{"code":"X","innerError":"r"}}"#,
        r#"{"error":{"code":"X","details":[{"message":1}]}}"#,
    ] {
        assert!(
            matches!(err(400, body), GraphError::Unexpected { status: 400, .. }),
            "{body}"
        );
    }
    // Both spellings of innerError are read; null members are absent ones.
    let e = err(
        400,
        r#"{"error":{"code":"X","message":null,"innererror":{"request-id":"r1","date":null}}}"#,
    );
    assert_eq!(e.info().unwrap().request_id.as_deref(), Some("r1"));
}
