use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::*;
use crate::arm::schema::{read_json, Mode, Spec};
use crate::domain::tags::Tags;
use crate::domain::vault_write::VaultSecretWrite;
use crate::domain::SecretValue;
use crate::net::{HttpResponse, Method, Resource};

const SPEC: &str = "keyvault-7.5";
const VAULT: &str = "http://127.0.0.1:8400/kv/kv-payroll/";

fn example(file: &str) -> Value {
    read_json(SPEC, &format!("examples/{file}"))
}

fn err(status: u16, body: Value) -> KeyVaultError {
    KeyVaultError::from_response(
        &HttpResponse::new(status, body.to_string()).with_header("x-ms-request-id", "kv-req"),
    )
}

fn kv_error(code: &str, inner: Option<&str>, message: &str) -> Value {
    match inner {
        Some(i) => json!({"error": {"code": code, "message": message, "innererror": {"code": i}}}),
        None => json!({"error": {"code": code, "message": message}}),
    }
}

#[test]
fn set_secret_request_fits_the_spec() {
    let mut tags = Tags::new();
    tags.insert("CreatedWith".into(), "secret-wizard".into());
    let write = VaultSecretWrite::for_client_secret(
        tags,
        Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    );
    let secret = SecretValue::new(Zeroizing::new("s3cr3t~value\"x".to_string()));
    let req = set_secret(VAULT, "payroll-api", &secret, &write);
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.resource, Resource::KeyVault);
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api?api-version=7.5"
    );
    assert!(!format!("{req:?}").contains("s3cr3t"));
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"value": "s3cr3t~value\"x", "contentType": "client-secret",
               "tags": {"CreatedWith": "secret-wizard"},
               "attributes": {"enabled": true, "nbf": 1735689600, "exp": 1767225600}})
    );
    let errors = Spec::new(SPEC).check("secrets.json", "SecretSetParameters", &body, Mode::Request);
    assert!(errors.is_empty(), "{errors:?}");
}

#[test]
fn minimal_set_secret_matches_the_spec_example_request() {
    let secret = SecretValue::new(Zeroizing::new("mysecretvalue".to_string()));
    let req = set_secret(
        "https://myvault.vault.azure.net/",
        "crpsecret",
        &secret,
        &VaultSecretWrite::default(),
    );
    let body: Value = serde_json::from_str(req.body.as_ref().unwrap()).unwrap();
    let ex = example("SetSecret-example.json");
    assert_eq!(body, ex["parameters"]["parameters"]);
    assert_eq!(
        req.url,
        "https://myvault.vault.azure.net/secrets/crpsecret?api-version=7.5"
    );
}

#[test]
fn parses_the_set_secret_example_without_keeping_the_value() {
    let body = example("SetSecret-example.json")["responses"]["200"]["body"].to_string();
    assert!(body.contains("mysecretvalue"));
    let s = parse_set_secret(HttpResponse::new(200, body)).unwrap();
    assert_eq!(
        s.base_uri(),
        "https://myvault.vault.azure.net/secrets/crpsecret"
    );
    assert_eq!(s.version(), Some("03bcccc7c8cf4546a0e3e21e52560441"));
    assert_eq!(s.recovery_level.as_deref(), Some("Recoverable+Purgeable"));
    assert_eq!(s.created, Some(Utc.timestamp_opt(1493938459, 0).unwrap()));
    assert!(!format!("{s:?}").contains("mysecretvalue"));
}

#[test]
fn versions_pages_parse_with_their_next_link() {
    let req = secret_versions(VAULT, "payroll-api");
    assert_eq!(
        req.url,
        "http://127.0.0.1:8400/kv/kv-payroll/secrets/payroll-api/versions?maxresults=25&api-version=7.5"
    );
    assert_eq!(req.method, Method::Get);
    assert_eq!(req.resource, Resource::KeyVault);
    let body = example("GetSecretVersions-example.json")["responses"]["200"]["body"].to_string();
    let page = parse_versions_page(&HttpResponse::new(200, body))
        .unwrap()
        .unwrap();
    assert_eq!(page.versions.len(), 1);
    assert_eq!(
        page.versions[0].version(),
        Some("11a536561da34d6b8b452d880df58f3a")
    );
    assert!(page.next_link.as_deref().unwrap().starts_with(
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions?"
    ));
    let free = HttpResponse::new(
        404,
        kv_error(
            "SecretNotFound",
            None,
            "A secret with (name/id) payroll-api was not found in this key vault.",
        )
        .to_string(),
    );
    assert_eq!(parse_versions_page(&free).unwrap(), None);
    let empty = parse_versions_page(&HttpResponse::new(
        200,
        r#"{"value":[],"nextLink":"https://v.vault.azure.net:443/secrets/a/versions?$skiptoken=x"}"#,
    ))
    .unwrap()
    .unwrap();
    assert!(empty.versions.is_empty() && empty.next_link.is_some());
    let last = parse_versions_page(&HttpResponse::new(200, r#"{"value":[],"nextLink":null}"#))
        .unwrap()
        .unwrap();
    assert_eq!(last.next_link, None);
    let denied = HttpResponse::new(
        403,
        kv_error("Forbidden", Some("ForbiddenByRbac"), "m").to_string(),
    );
    assert!(parse_versions_page(&denied).is_err());
}

/// The spec example's nextLink, with `:443`.
fn example_next_link() -> String {
    example("GetSecretVersions-example.json")["responses"]["200"]["body"]["nextLink"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn a_next_link_goes_to_the_base_the_first_page_went_to() {
    let link = example_next_link();
    let query = link.split_once('?').unwrap().1;
    // To the vault's own URI (the `:443` is the same origin) …
    let direct = versions_page(
        "https://myvault.vault.azure.net/",
        "listsecretversionstest",
        &link,
    )
    .unwrap();
    assert_eq!(
        direct.url,
        format!("https://myvault.vault.azure.net/secrets/listsecretversionstest/versions?{query}")
    );
    assert_eq!(direct.resource, Resource::KeyVault);
    assert_eq!(direct.method, Method::Get);
    // … or to the gateway in front of it, which the browser can reach.
    let gateway = versions_page(
        "https://wizard.contoso.com/kv-gateway",
        "listsecretversionstest",
        &link,
    )
    .unwrap();
    assert_eq!(
        gateway.url,
        format!(
            "https://wizard.contoso.com/kv-gateway/secrets/listsecretversionstest/versions?{query}"
        )
    );
    // A link to another secret, without a query, or not a URL is refused, never followed.
    for bad in [
        "https://myvault.vault.azure.net:443/secrets/other/versions?$skiptoken=x",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest/versions?",
        "https://myvault.vault.azure.net:443/secrets/listsecretversionstest?$skiptoken=x",
        "/secrets/listsecretversionstest/versions?$skiptoken=x",
        "javascript:alert(1)//secrets/listsecretversionstest/versions?x",
        "https://myvault.vault.azure.net/secrets/listsecretversionstest/versions?a b",
    ] {
        assert!(
            matches!(
                versions_page(
                    "https://myvault.vault.azure.net/",
                    "listsecretversionstest",
                    bad
                ),
                Err(KeyVaultError::Malformed { .. })
            ),
            "{bad}"
        );
    }
}

fn version(id: &str, created: Option<i64>, updated: Option<i64>) -> Value {
    let mut attributes = json!({"enabled": true});
    if let Some(c) = created {
        attributes["created"] = json!(c);
    }
    if let Some(u) = updated {
        attributes["updated"] = json!(u);
    }
    json!({"id": format!("https://myvault.vault.azure.net/secrets/s/{id}"), "attributes": attributes})
}

fn page(items: Vec<Value>, next: Option<&str>) -> HttpResponse {
    let next = next.map(|q| format!("https://myvault.vault.azure.net:443/secrets/s/versions?{q}"));
    HttpResponse::new(200, json!({"value": items, "nextLink": next}).to_string())
}

#[test]
fn the_newest_version_is_the_latest_created_over_all_pages() {
    let (mut scan, first) = VersionScan::start("https://myvault.vault.azure.net/", "s");
    assert_eq!(
        first,
        secret_versions("https://myvault.vault.azure.net/", "s")
    );
    let answers = [
        page(vec![], Some("$skiptoken=1")),
        page(
            vec![
                version("b2", Some(200), Some(200)),
                version("a9", Some(900), Some(900)),
            ],
            Some("$skiptoken=2"),
        ),
        page(vec![], Some("$skiptoken=3")),
        page(
            vec![
                version("ff", Some(100), Some(950)),
                version("00", None, Some(999)),
            ],
            None,
        ),
    ];
    let mut sent = vec![];
    for (i, res) in answers.iter().enumerate() {
        match scan.feed(res).unwrap() {
            VersionsNext::Send(req) => sent.push(req.url),
            VersionsNext::Done(newest) => {
                assert_eq!(i, answers.len() - 1, "done only after the last page");
                let newest = newest.unwrap();
                assert_eq!(
                    newest.version(),
                    Some("a9"),
                    "the latest created, from page 2"
                );
            }
        }
    }
    assert_eq!(
        sent,
        ["$skiptoken=1", "$skiptoken=2", "$skiptoken=3"]
            .map(|q| format!("https://myvault.vault.azure.net/secrets/s/versions?{q}"))
    );
    assert_eq!(scan.versions(), 4);
    assert_eq!(scan.pages(), 4);
    // The same versions in any order and paging give the same answer.
    let (mut other, _) = VersionScan::start("https://myvault.vault.azure.net/", "s");
    other
        .feed(&page(
            vec![
                version("00", None, Some(999)),
                version("a9", Some(900), Some(900)),
                version("ff", Some(100), Some(950)),
                version("b2", Some(200), Some(200)),
            ],
            None,
        ))
        .unwrap();
    assert_eq!(other.newest(), scan.newest());
}

#[test]
fn ties_on_created_fall_to_updated_then_to_the_version_id() {
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let done = scan
        .feed(&page(
            vec![
                version("aa", Some(500), Some(500)),
                version("cc", Some(500), Some(600)),
                version("bb", Some(500), Some(600)),
            ],
            None,
        ))
        .unwrap();
    let VersionsNext::Done(Some(newest)) = done else {
        panic!("{done:?}")
    };
    assert_eq!(newest.version(), Some("cc"));
}

#[test]
fn a_free_name_and_the_page_limit() {
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let free = HttpResponse::new(
        404,
        kv_error(
            "SecretNotFound",
            None,
            "A secret with (name/id) s was not found.",
        )
        .to_string(),
    );
    assert_eq!(scan.feed(&free).unwrap(), VersionsNext::Done(None));
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    assert_eq!(
        scan.feed(&page(vec![], None)).unwrap(),
        VersionsNext::Done(None),
        "one empty page without a nextLink: no versions"
    );
    // A service that never stops sending nextLinks is followed MAX_VERSION_PAGES times.
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let mut sends = 0;
    loop {
        match scan
            .feed(&page(
                vec![version("aa", Some(1), None)],
                Some("$skiptoken=x"),
            ))
            .unwrap()
        {
            VersionsNext::Send(_) => sends += 1,
            VersionsNext::Done(newest) => {
                assert!(newest.is_some());
                break;
            }
        }
        assert!(sends < 1000, "runaway");
    }
    assert_eq!(sends, MAX_VERSION_PAGES - 1);
    // An error page ends the reading with the error.
    let (mut scan, _) = VersionScan::start("https://v.vault.azure.net", "s");
    let denied = HttpResponse::new(
        403,
        kv_error("Forbidden", Some("ForbiddenByRbac"), "m").to_string(),
    );
    assert!(scan.feed(&denied).is_err());
}

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
