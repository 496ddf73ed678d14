use chrono::TimeZone;

use super::*;

fn status(status: u16, retry_after_secs: Option<u64>) -> Outcome {
    Outcome::Status {
        status,
        retry_after_secs,
        transient_conflict: false,
    }
}

fn conflict(transient: bool) -> Outcome {
    Outcome::Status {
        status: 409,
        retry_after_secs: None,
        transient_conflict: transient,
    }
}

const LOW: f64 = 0.0;
const HIGH: f64 = 1.0;

#[test]
fn decisions_by_method_status_and_attempt() {
    let get = RetryPolicy::for_method(Method::Get);
    let post = RetryPolicy::for_method(Method::Post);
    let put = RetryPolicy::for_method(Method::Put);
    use Decision::*;
    let wait = |millis| Wait { millis };
    let cases: &[(&str, RetryPolicy, u32, Outcome, bool, f64, Decision)] = &[
        ("200 is done", get, 1, status(200, None), false, LOW, Done),
        ("404 is done", get, 1, status(404, None), false, LOW, Done),
        (
            "first 401 renews",
            get,
            1,
            status(401, None),
            false,
            LOW,
            RenewTokenAndRetry,
        ),
        (
            "401 renews for POST too",
            post,
            1,
            status(401, None),
            false,
            LOW,
            RenewTokenAndRetry,
        ),
        (
            "second 401 is done",
            get,
            2,
            status(401, None),
            true,
            LOW,
            Done,
        ),
        (
            "429 honours Retry-After",
            post,
            1,
            status(429, Some(7)),
            false,
            HIGH,
            wait(7000),
        ),
        (
            "Retry-After is not jittered",
            get,
            1,
            status(429, Some(3)),
            false,
            LOW,
            wait(3000),
        ),
        (
            "429 caps Retry-After",
            get,
            1,
            status(429, Some(120)),
            false,
            LOW,
            wait(10_000),
        ),
        (
            "429 without Retry-After backs off",
            get,
            1,
            status(429, None),
            false,
            LOW,
            wait(500),
        ),
        (
            "…at most to the ceiling",
            get,
            1,
            status(429, None),
            false,
            HIGH,
            wait(1000),
        ),
        (
            "503 backs off without Retry-After",
            get,
            2,
            status(503, None),
            false,
            LOW,
            wait(1000),
        ),
        (
            "…doubling",
            get,
            2,
            status(503, None),
            false,
            HIGH,
            wait(2000),
        ),
        (
            "503 for POST retries",
            post,
            1,
            status(503, Some(1)),
            false,
            LOW,
            wait(1000),
        ),
        (
            "third attempt is the last",
            get,
            3,
            status(429, Some(1)),
            false,
            LOW,
            Done,
        ),
        (
            "409 from a concurrent change retries",
            put,
            1,
            conflict(true),
            false,
            LOW,
            wait(500),
        ),
        (
            "…for POST too: nothing was applied",
            post,
            2,
            conflict(true),
            false,
            HIGH,
            wait(2000),
        ),
        (
            "…within the attempts",
            put,
            3,
            conflict(true),
            false,
            LOW,
            Done,
        ),
        (
            "409 about a deleted name is done",
            put,
            1,
            conflict(false),
            false,
            LOW,
            Done,
        ),
        (
            "502 for GET retries",
            get,
            1,
            status(502, None),
            false,
            HIGH,
            wait(1000),
        ),
        (
            "504 for POST is unsure: done",
            post,
            1,
            status(504, None),
            false,
            LOW,
            Done,
        ),
        (
            "502 for POST is unsure: done",
            post,
            1,
            status(502, Some(1)),
            false,
            LOW,
            Done,
        ),
        ("500 is done", get, 1, status(500, None), false, LOW, Done),
        (
            "network error on GET retries once",
            get,
            1,
            Outcome::NetworkError,
            false,
            LOW,
            wait(500),
        ),
        (
            "network error on GET not twice",
            get,
            2,
            Outcome::NetworkError,
            false,
            LOW,
            Done,
        ),
        (
            "network error on POST never",
            post,
            1,
            Outcome::NetworkError,
            false,
            LOW,
            Done,
        ),
        (
            "timeout on POST never",
            post,
            1,
            Outcome::Timeout,
            false,
            LOW,
            Done,
        ),
        (
            "timeout on PUT retries once",
            put,
            1,
            Outcome::Timeout,
            false,
            HIGH,
            wait(1000),
        ),
        (
            "once() never waits",
            RetryPolicy::once(),
            1,
            status(429, Some(1)),
            false,
            LOW,
            Done,
        ),
        (
            "once() never retries a conflict",
            RetryPolicy::once(),
            1,
            conflict(true),
            false,
            LOW,
            Done,
        ),
        (
            "once() still renews a token",
            RetryPolicy::once(),
            1,
            status(401, None),
            false,
            LOW,
            RenewTokenAndRetry,
        ),
    ];
    for (name, policy, attempt, outcome, renewed, jitter, want) in cases {
        assert_eq!(
            decide(policy, *attempt, *outcome, *renewed, *jitter),
            *want,
            "{name}"
        );
    }
}

#[test]
fn the_backoff_without_retry_after_doubles_is_jittered_and_capped() {
    // (attempt, shortest, longest): half the ceiling up to the ceiling, 1 s doubling, 8 s cap.
    let schedule = [
        (1, 500, 1000),
        (2, 1000, 2000),
        (3, 2000, 4000),
        (4, 4000, 8000),
        (5, 4000, 8000),
        (40, 4000, 8000),
        (u32::MAX, 4000, 8000),
    ];
    for (attempt, low, high) in schedule {
        assert_eq!(
            backoff_ms(attempt, 0.0),
            low,
            "attempt {attempt}, no jitter"
        );
        assert_eq!(
            backoff_ms(attempt, 1.0),
            high,
            "attempt {attempt}, full jitter"
        );
        let mid = backoff_ms(attempt, 0.5);
        assert!(low < mid && mid < high, "attempt {attempt}: {mid}");
    }
    // Out-of-range jitter is clamped, so a wait is never zero and never above the ceiling.
    assert_eq!(backoff_ms(1, -3.0), 500);
    assert_eq!(backoff_ms(1, 7.0), 1000);
    assert_eq!(backoff_ms(1, f64::NAN), 500);
    // Attempt 0 is treated as the first.
    assert_eq!(backoff_ms(0, 1.0), 1000);
}

#[test]
fn a_throttled_get_without_retry_after_waits_at_most_a_few_seconds_in_all() {
    // What a browser sees from Graph: 429s whose Retry-After it cannot read.
    let policy = RetryPolicy::for_method(Method::Get);
    for jitter in [0.0, 0.3, 0.999] {
        let mut waited = 0;
        let mut sends = 0;
        loop {
            sends += 1;
            match decide(&policy, sends, status(429, None), false, jitter) {
                Decision::Wait { millis } => {
                    assert!(millis >= 500, "never hammered: {millis}");
                    waited += millis;
                }
                Decision::Done => break,
                other => panic!("{other:?}"),
            }
        }
        assert_eq!(sends, 3, "bounded by max_attempts");
        assert!((1500..=3000).contains(&waited), "{waited}");
    }
}

#[test]
fn idempotency_by_method() {
    assert!(is_idempotent(Method::Get));
    assert!(is_idempotent(Method::Put));
    assert!(is_idempotent(Method::Delete));
    assert!(!is_idempotent(Method::Post));
    assert!(!is_idempotent(Method::Patch));
    assert!(!RetryPolicy::non_idempotent().repeat_when_unsure);
}

#[test]
fn a_retry_loop_ends_within_max_attempts() {
    // Simulate a service that always answers 429: the loop must stop after 3 sends.
    let policy = RetryPolicy::for_method(Method::Get);
    let mut sends = 0;
    let mut renewed = false;
    loop {
        sends += 1;
        match decide(&policy, sends, status(429, Some(1)), renewed, 0.5) {
            Decision::Done => break,
            Decision::RenewTokenAndRetry => renewed = true,
            Decision::Wait { .. } => {}
        }
        assert!(sends < 10, "runaway loop");
    }
    assert_eq!(sends, 3);
}

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
