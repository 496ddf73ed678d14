//! What a response says: Retry-After (seconds or a date) and which conflicts are transient.

use super::*;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 14, 12, 0, 0).unwrap()
}

#[test]
fn retry_after_as_seconds() {
    let cases: &[(&str, Option<u64>)] = &[
        ("7", Some(7)),
        (" 7 ", Some(7)),
        ("0", Some(0)),
        // Graph's fractional form rounds up.
        ("2.128", Some(3)),
        ("2.000", Some(2)),
        ("2.", Some(2)),
        ("0.001", Some(1)),
        ("99999999999999999999999", Some(u64::MAX)),
        ("", None),
        ("-1", None),
        ("+3", None),
        (".5", None),
        ("1e3", None),
        ("2.1.2", None),
        ("3 s", None),
        ("soon", None),
    ];
    for (value, want) in cases {
        assert_eq!(parse_retry_after(value, now()), *want, "{value:?}");
    }
}

#[test]
fn retry_after_as_an_http_date() {
    let cases: &[(&str, Option<u64>)] = &[
        // IMF-fixdate, RFC 850 and asctime (RFC 9110 §5.6.7), 90 s after now.
        ("Sat, 14 Mar 2026 12:01:30 GMT", Some(90)),
        ("Saturday, 14-Mar-26 12:01:30 GMT", Some(90)),
        ("Sat Mar 14 12:01:30 2026", Some(90)),
        ("Sat Mar  4 12:00:00 2026", Some(0)),
        // Month names in any case; a past date means "now".
        ("Sat, 14 MAR 2026 12:00:05 GMT", Some(5)),
        ("Fri, 13 Mar 2026 12:00:00 GMT", Some(0)),
        ("Thu, 01 Jan 1970 00:00:00 GMT", Some(0)),
        ("Saturday, 14-Mar-26 12:00:00 GMT", Some(0)),
        // Not dates.
        ("Sat, 14 Mar 2026 12:01:30 CET", None),
        ("Sat, 31 Feb 2026 12:01:30 GMT", None),
        ("Sat, 14 Foo 2026 12:01:30 GMT", None),
        ("Sat, 14 Mar 2026 25:01:30 GMT", None),
        ("Sat, 14 Mar 2026 12:01 GMT", None),
        ("Sat, 14 Mar 2026 12:01:30:00 GMT", None),
        ("2026-03-14T12:01:30Z", None),
    ];
    for (value, want) in cases {
        assert_eq!(parse_retry_after(value, now()), *want, "{value:?}");
    }
}

#[test]
fn the_response_reads_retry_after_through_the_one_parser() {
    let r = HttpResponse::new(429, "").with_header("Retry-After", " 7 ");
    assert_eq!(r.retry_after_secs(), Some(7));
    let r = HttpResponse::new(429, "").with_header("retry-after", "2.128");
    assert_eq!(r.retry_after_secs(), Some(3));
    let soon = Utc::now() + chrono::Duration::seconds(30);
    let r = HttpResponse::new(429, "").with_header(
        "Retry-After",
        &soon.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
    );
    let secs = r.retry_after_secs().unwrap();
    assert!((29..=31).contains(&secs), "{secs}");
    assert_eq!(HttpResponse::new(429, "").retry_after_secs(), None);
    assert_eq!(
        Outcome::of(&HttpResponse::new(503, "").with_header("Retry-After", "4")),
        Outcome::Status {
            status: 503,
            retry_after_secs: Some(4),
            transient_conflict: false
        }
    );
}

fn response(status: u16, body: serde_json::Value) -> HttpResponse {
    HttpResponse::new(status, body.to_string())
}

#[test]
fn which_conflicts_are_transient() {
    use serde_json::json;
    let parallel = response(
        409,
        json!({"error": {"code": "ConflictError", "message": "A conflict occurred that prevented the operation from completing. The operation failed because the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId 'Key Vault' changed from the point the operation began. This can happen if parallel operations are being performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId."}}),
    );
    assert!(is_transient_conflict(&parallel));
    assert!(refused_unapplied(&parallel));
    assert_eq!(
        Outcome::of(&parallel),
        Outcome::Status {
            status: 409,
            retry_after_secs: None,
            transient_conflict: true
        }
    );
    let plain = response(
        409,
        json!({"error": {"code": "Conflict", "message": "Operation on the resource is in progress."}}),
    );
    assert!(is_transient_conflict(&plain));
    for not_transient in [
        // A soft-deleted secret holds the name: waiting doesn't help.
        response(
            409,
            json!({"error": {"code": "Conflict", "message": "Secret x is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged.", "innererror": {"code": "ObjectIsDeletedButRecoverable"}}}),
        ),
        response(
            409,
            json!({"error": {"code": "Conflict", "message": "m", "innererror": {"code": "ObjectIsBeingDeleted"}}}),
        ),
        response(
            409,
            json!({"error": {"code": "Conflict", "message": "m", "details": [{"code": "ObjectIsDeletedButRecoverable", "message": "x"}]}}),
        ),
        response(
            409,
            json!({"error": {"code": "ConflictError", "message": "The secret was deleted but not yet purged."}}),
        ),
        response(
            409,
            json!({"error": {"code": "Conflict", "message": "m", "innerError": {"code": "ObjectIsBeingDeleted"}}}),
        ),
        // Other 409s, and 409s we cannot read (a member of the wrong type included).
        response(409, json!({"error": {"code": "Conflict", "message": 5}})),
        response(409, json!({"error": "Conflict"})),
        response(
            409,
            json!({"error": {"code": "Request_MultipleObjectsWithSameKeyValue", "message": "m"}}),
        ),
        HttpResponse::new(409, "<html>conflict</html>"),
        // Not a 409.
        response(
            400,
            json!({"error": {"code": "ConflictError", "message": "m"}}),
        ),
    ] {
        assert!(
            !is_transient_conflict(&not_transient),
            "{}",
            not_transient.body.as_str()
        );
    }
    assert!(refused_unapplied(&HttpResponse::new(429, "")));
    assert!(refused_unapplied(&HttpResponse::new(503, "")));
    assert!(!refused_unapplied(&HttpResponse::new(500, "")));
    assert!(!refused_unapplied(&HttpResponse::new(504, "")));
}
