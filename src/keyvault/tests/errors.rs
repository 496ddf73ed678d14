//! Deleted-secret lookups and every Key Vault error: reasons, remedies and lenient reads.

use super::*;

#[test]
fn deleted_secret_lookup() {
    assert_eq!(
        get_deleted_secret(VAULT, "payroll-api").url,
        "http://127.0.0.1:8400/kv/kv-payroll/deletedsecrets/payroll-api?api-version=7.5"
    );
    let body = example("GetDeletedSecret-example.json")["responses"]["200"]["body"].to_string();
    let d = parse_deleted_secret(HttpResponse::new(200, body))
        .unwrap()
        .unwrap();
    assert_eq!(
        d.recovery_id.as_deref(),
        Some("https://myvault.vault.azure.net/deletedsecrets/GetDeletedSecretTest")
    );
    assert_eq!(
        d.scheduled_purge,
        Some(Utc.timestamp_opt(1501714433, 0).unwrap())
    );
    assert_eq!(d.secret.version(), Some("b595353d9c39413d80626575b3b5d865"));
    let none = HttpResponse::new(
        404,
        kv_error("SecretNotFound", None, "Deleted Secret not found").to_string(),
    );
    assert_eq!(parse_deleted_secret(none).unwrap(), None);
}

#[test]
fn forbidden_reasons_and_their_remedies() {
    let rbac = err(
        403,
        kv_error(
            "Forbidden",
            Some("ForbiddenByRbac"),
            "Caller is not authorized to perform action on resource.",
        ),
    );
    assert!(matches!(
        rbac,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Rbac,
            ..
        }
    ));
    assert_eq!(
        rbac.user_message_in("kv-payroll", None),
        "You need Key Vault Secrets Officer on kv-payroll to write secrets."
    );
    assert_eq!(
        rbac.details(),
        "Forbidden / ForbiddenByRbac · HTTP 403 · request-id kv-req"
    );
    let plain = err(403, kv_error("Forbidden", None, "m"));
    assert!(matches!(
        plain,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Unspecified,
            ..
        }
    ));
    assert!(plain
        .user_message_in("kv-a", None)
        .contains("Key Vault Secrets Officer on kv-a"));
    let fw = err(
        403,
        kv_error(
            "Forbidden",
            Some("ForbiddenByFirewall"),
            "Client address is not authorized and caller is not a trusted service.",
        ),
    );
    assert_eq!(fw.user_message_in("kv-payroll", None), "kv-payroll's firewall doesn't allow your network. Use the ARM path, or ask for your address to be allowed.");
    let policy = err(403, kv_error("Forbidden", Some("ForbiddenByPolicy"), "m"));
    assert!(matches!(
        policy,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Policy,
            ..
        }
    ));
    let conn = err(
        403,
        kv_error("Forbidden", Some("ForbiddenByConnection"), "m"),
    );
    assert!(matches!(
        conn,
        KeyVaultError::Forbidden {
            reason: ForbiddenReason::Connection,
            ..
        }
    ));
}

#[test]
fn soft_deleted_name_conflict() {
    let e = err(409, kv_error("Conflict", Some("ObjectIsDeletedButRecoverable"), "Secret payroll-api is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."));
    assert!(matches!(e, KeyVaultError::DeletedButRecoverable(_)));
    assert_eq!(
        e.user_message_in("kv-payroll", Some("payroll-api")),
        "A deleted secret named \"payroll-api\" is still recoverable in kv-payroll. Recover it, purge it, or choose another name."
    );
    let nested = err(
        409,
        json!({"error": {"code": "Conflict", "message": "m", "innererror": {"code": "X", "innererror": {"code": "ObjectIsDeletedButRecoverable"}}}}),
    );
    assert!(matches!(nested, KeyVaultError::DeletedButRecoverable(_)));
    let busy = err(409, kv_error("Conflict", Some("ObjectIsBeingDeleted"), "m"));
    assert!(matches!(busy, KeyVaultError::Conflict(_)));
}

#[test]
fn other_statuses() {
    assert!(matches!(
        err(
            401,
            kv_error(
                "Unauthorized",
                None,
                "Request is missing a Bearer or PoP token."
            )
        ),
        KeyVaultError::Unauthorized(_)
    ));
    assert!(matches!(
        err(400, kv_error("BadParameter", None, "m")),
        KeyVaultError::BadParameter(_)
    ));
    let t = KeyVaultError::from_response(
        &HttpResponse::new(429, kv_error("Throttled", None, "m").to_string())
            .with_header("Retry-After", "4"),
    );
    assert!(matches!(
        t,
        KeyVaultError::Throttled {
            retry_after_secs: Some(4),
            ..
        }
    ));
    assert!(t.is_transient());
    assert!(matches!(
        KeyVaultError::from_response(&HttpResponse::new(500, "")),
        KeyVaultError::ServiceUnavailable { status: 500, .. }
    ));
    assert!(matches!(
        KeyVaultError::from_response(&HttpResponse::new(403, "<html/>")),
        KeyVaultError::Unexpected { status: 403, .. }
    ));
    assert!(matches!(
        err(404, kv_error("NotFound", None, "m")),
        KeyVaultError::SecretNotFound(_)
    ));
    assert!(KeyVaultError::Unreachable
        .user_message()
        .starts_with("Key Vault can't be called directly from a web page."));
    assert_eq!(
        KeyVaultError::Unreachable.details(),
        "no response (network or CORS)"
    );
    let m = parse_set_secret(HttpResponse::new(
        200,
        r#"{"value":"leak-me","attributes":{"enabled":"yes"}}"#,
    ))
    .unwrap_err();
    assert!(matches!(m, KeyVaultError::Malformed { .. }));
    assert!(!m.details().contains("leak-me") && !format!("{m:?}").contains("leak-me"));
}

#[test]
fn an_error_body_with_a_member_of_the_wrong_type_is_not_read_as_key_vaults() {
    // As before wire::Fields (derived structs): one wrong member, nested ones too, and the body
    // is not Key Vault's.
    for body in [
        json!({"error": {"code": 5}}),
        json!({"error": {"code": "Forbidden", "innererror": "ForbiddenByRbac"}}),
        json!({"error": {"code": "Forbidden", "innererror": {"innererror": {"code": 1}}}}),
    ] {
        assert!(
            matches!(
                err(403, body.clone()),
                KeyVaultError::Unexpected { status: 403, .. }
            ),
            "{body}"
        );
    }
    let nested = err(
        403,
        json!({"error": {"code": "Forbidden", "message": null,
            "innererror": {"code": "ForbiddenByPolicy", "innererror": {"code": "Deeper"}}}}),
    );
    assert_eq!(
        nested.info().unwrap().inner_codes,
        ["ForbiddenByPolicy", "Deeper"]
    );
}

#[test]
fn versions_and_deleted_secrets_read_leniently_and_say_where_they_are_wrong() {
    // Missing and null members are "not stated"; extra members are ignored.
    let page = parse_versions_page(&HttpResponse::new(
        200,
        r#"{"value":[{"id":"https://kv/secrets/n/v1","attributes":null,"tags":null,"extra":[1]},
            {"id":"https://kv/secrets/n/v2","attributes":{"created":5,"recoveryLevel":null}}],"nextLink":null}"#,
    ))
    .unwrap()
    .unwrap();
    assert_eq!(page.versions.len(), 2);
    assert_eq!(page.versions[0].created, None);
    assert_eq!(page.versions[1].created, Utc.timestamp_opt(5, 0).single());
    assert_eq!(page.next_link, None);
    let empty = parse_versions_page(&HttpResponse::new(200, r#"{"value":null}"#)).unwrap();
    assert_eq!(empty.map(|p| p.versions.len()), Some(0));

    let detail = |res: Result<Option<VersionsPage>, KeyVaultError>| match res {
        Err(KeyVaultError::Malformed { detail, .. }) => detail,
        other => panic!("{other:?}"),
    };
    let bad = |body: &str| detail(parse_versions_page(&HttpResponse::new(200, body)));
    assert_eq!(
        bad(r#"{"value":[{"id":"a"},{"attributes":{"created":"yesterday"}}]}"#),
        "unexpected shape: value[1].attributes.created: expected an integer"
    );
    assert_eq!(
        bad(r#"{"value":[{"tags":{"a":1}}]}"#),
        "unexpected shape: value[0].tags: expected an object of strings"
    );
    assert_eq!(
        bad(r#"{"value":{}}"#),
        "unexpected shape: value: expected an array"
    );

    let deleted = parse_deleted_secret(HttpResponse::new(
        200,
        r#"{"recoveryId":null,"deletedDate":1493938433,"id":"https://kv/secrets/n/v"}"#,
    ))
    .unwrap()
    .unwrap();
    assert_eq!(deleted.recovery_id, None);
    assert_eq!(deleted.deleted, Utc.timestamp_opt(1493938433, 0).single());
    assert_eq!(deleted.scheduled_purge, None);
    let Err(KeyVaultError::Malformed { detail, .. }) =
        parse_deleted_secret(HttpResponse::new(200, r#"{"scheduledPurgeDate":"soon"}"#))
    else {
        panic!("a date that is not a number is malformed");
    };
    assert_eq!(
        detail,
        "unexpected shape: scheduledPurgeDate: expected an integer"
    );
}
