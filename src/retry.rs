//! When the executor tries a request again: a pure function of what happened, the attempt
//! number and the request's method, so every branch is tested natively.
//!
//! - 401 once: renew the token (forced refresh) and send again; the service acted on nothing.
//! - 429 and 503: wait for `Retry-After` (capped), or back off; the service did not act.
//! - 409 `Conflict`/`ConflictError` from a concurrent change (not a deleted secret holding the
//!   name): the service refused the change, so it is sent again after a backoff
//!   ([`is_transient_conflict`]).
//! - 502 and 504, network failures and timeouts: the service may have acted before the answer
//!   was lost, so only idempotent requests are repeated. A lost addPassword response must
//!   surface as an error: the caller checks what was created instead of creating a second one.
//!
//! `Retry-After` is often unreadable: Microsoft Graph does not list it in
//! `Access-Control-Expose-Headers` (microsoft-graph-docs-contrib issues #2011 and #17488), so
//! the browser hides it. Without it the wait is an exponential backoff with jitter, as Graph's
//! SDK design asks ("Where no retry-after header is provided by the server, an exponential
//! backoff with random offset heuristic should be used", microsoftgraph/msgraph-sdk-design,
//! middleware/RetryHandler.md): attempt n waits between half and all of 2^(n-1) s, at most
//! [`MAX_BACKOFF_MS`], and the policy's `max_attempts` bounds the sends. This module also holds
//! the one `Retry-After` parser ([`parse_retry_after`]).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::Deserialize;

use crate::net::{HttpResponse, Method};

/// The longest wait the executor honours, whatever `Retry-After` says.
pub const MAX_WAIT_SECS: u64 = 10;
/// The first backoff's ceiling when no `Retry-After` is readable; it doubles per attempt.
pub const BACKOFF_BASE_MS: u64 = 1_000;
/// The longest backoff without `Retry-After`.
pub const MAX_BACKOFF_MS: u64 = 8_000;

/// How persistent to be for one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Total sends at most, counting the first.
    pub max_attempts: u32,
    /// May the request be sent again when its outcome is unknown (network error, timeout, 502/504)?
    pub repeat_when_unsure: bool,
    /// Cap on any single wait.
    pub max_wait_secs: u64,
}

impl RetryPolicy {
    /// GET/PUT/DELETE may repeat; POST/PATCH may not when the outcome is unknown.
    pub fn for_method(method: Method) -> Self {
        RetryPolicy {
            max_attempts: 3,
            repeat_when_unsure: is_idempotent(method),
            max_wait_secs: MAX_WAIT_SECS,
        }
    }

    /// One send, no retries (the 401 token renewal still applies).
    pub fn once() -> Self {
        RetryPolicy {
            max_attempts: 1,
            repeat_when_unsure: false,
            max_wait_secs: 0,
        }
    }

    /// For requests whose repetition would create something twice (addPassword).
    pub fn non_idempotent() -> Self {
        Self::for_method(Method::Post)
    }
}

/// Methods that can be sent twice with the effect of once.
pub fn is_idempotent(method: Method) -> bool {
    matches!(method, Method::Get | Method::Put | Method::Delete)
}

/// What came back from one send.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// An HTTP answer: its `Retry-After` seconds when readable, and whether it is a 409 from a
    /// concurrent change ([`is_transient_conflict`]).
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
        transient_conflict: bool,
    },
    /// fetch rejected (offline, DNS, CORS): nothing readable came back.
    NetworkError,
    /// Our own deadline passed before an answer.
    Timeout,
}

impl Outcome {
    /// What a response tells the retry decision.
    pub fn of(res: &HttpResponse) -> Outcome {
        Outcome::Status {
            status: res.status,
            retry_after_secs: res.retry_after_secs(),
            transient_conflict: is_transient_conflict(res),
        }
    }

    /// An HTTP status with nothing else to go by (no `Retry-After`, not a conflict).
    pub fn status(status: u16) -> Outcome {
        Outcome::Status {
            status,
            retry_after_secs: None,
            transient_conflict: false,
        }
    }
}

/// What the executor does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Hand the outcome to the caller.
    Done,
    /// Get a fresh token (forced refresh), then send again at once.
    RenewTokenAndRetry,
    /// Wait this long, then send again.
    Wait { millis: u64 },
}

/// The decision after send number `attempt` (1-based). `renewed` says whether the token was
/// already renewed once for this request; `jitter` is a random number in `[0, 1)` (the
/// executor's `Math.random()`), spreading backoffs so that clients throttled together do not
/// come back together.
pub fn decide(
    policy: &RetryPolicy,
    attempt: u32,
    outcome: Outcome,
    renewed: bool,
    jitter: f64,
) -> Decision {
    let wait = |retry_after_secs| wait(policy, attempt, retry_after_secs, jitter);
    match outcome {
        Outcome::Status { status: 401, .. } if !renewed => Decision::RenewTokenAndRetry,
        _ if attempt >= policy.max_attempts => Decision::Done,
        Outcome::Status {
            status: 429 | 503,
            retry_after_secs,
            ..
        } => wait(retry_after_secs),
        // Refused because of a concurrent change: nothing was applied.
        Outcome::Status {
            status: 409,
            retry_after_secs,
            transient_conflict: true,
        } => wait(retry_after_secs),
        Outcome::Status {
            status: 502 | 504,
            retry_after_secs,
            ..
        } if policy.repeat_when_unsure => wait(retry_after_secs),
        // A network error or timeout is retried once at most: a CORS refusal won't heal.
        Outcome::NetworkError | Outcome::Timeout if policy.repeat_when_unsure && attempt == 1 => {
            wait(None)
        }
        _ => Decision::Done,
    }
}

/// `Retry-After` when readable, else [`backoff_ms`]; never more than the policy's cap.
fn wait(
    policy: &RetryPolicy,
    attempt: u32,
    retry_after_secs: Option<u64>,
    jitter: f64,
) -> Decision {
    let cap = policy.max_wait_secs.saturating_mul(1000);
    let millis = match retry_after_secs {
        Some(secs) => secs.saturating_mul(1000),
        None => backoff_ms(attempt, jitter),
    };
    Decision::Wait {
        millis: millis.min(cap),
    }
}

/// The wait after failed send number `attempt` when the service said nothing readable about
/// when to come back: the ceiling is 1 s, 2 s, 4 s … ([`BACKOFF_BASE_MS`] doubled per attempt,
/// at most [`MAX_BACKOFF_MS`]), and the wait is half the ceiling plus `jitter` (`[0, 1]`,
/// clamped) times the other half. So it is never zero and never above the ceiling.
pub fn backoff_ms(attempt: u32, jitter: f64) -> u64 {
    let doublings = attempt.saturating_sub(1).min(16);
    let ceiling = (BACKOFF_BASE_MS << doublings).min(MAX_BACKOFF_MS);
    let half = ceiling / 2;
    let jitter = if jitter.is_nan() {
        0.0
    } else {
        jitter.clamp(0.0, 1.0)
    };
    half + (half as f64 * jitter).round() as u64
}

/// True for a response that certainly changed nothing and may succeed later: 429, 503 and a
/// 409 from a concurrent change. A caller that does its own resending (the vault write) asks
/// this; the executor's [`decide`] reaches the same verdict.
pub fn refused_unapplied(res: &HttpResponse) -> bool {
    matches!(res.status, 429 | 503) || is_transient_conflict(res)
}

#[derive(Deserialize)]
struct ErrorEnvelope {
    error: ErrorBody,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    message: Option<String>,
    #[serde(default, alias = "innerError")]
    innererror: Option<InnerCode>,
    #[serde(default)]
    details: Option<Vec<InnerCode>>,
}

#[derive(Deserialize)]
struct InnerCode {
    #[serde(default)]
    code: Option<String>,
}

/// A 409 `Conflict` or `ConflictError` caused by another change in flight, which the same
/// request may get past a moment later. Key Vault's resource provider answers `ConflictError`
/// "A conflict occurred that prevented the operation from completing. … This can happen if
/// parallel operations are being performed on the …" (Azure/AzureKeyVault issue #6), and Key
/// Vault's error-code page lists "ConflictError: You're requesting multiple operations on same
/// item". Not transient: a soft-deleted secret holding the name (the same codes with a message
/// about the deleted secret, MicrosoftDocs/azure-docs issue #77545, or the data plane's inner
/// `ObjectIsDeletedButRecoverable` / `ObjectIsBeingDeleted`, as an inner or a detail code):
/// waiting does not free the name.
pub fn is_transient_conflict(res: &HttpResponse) -> bool {
    if res.status != 409 {
        return false;
    }
    let Ok(ErrorEnvelope { error }) = serde_json::from_str::<ErrorEnvelope>(&res.body) else {
        return false;
    };
    let code = error.code.unwrap_or_default();
    let conflict =
        code.eq_ignore_ascii_case("Conflict") || code.eq_ignore_ascii_case("ConflictError");
    let about_deletion = error
        .message
        .unwrap_or_default()
        .to_ascii_lowercase()
        .contains("deleted")
        || error
            .innererror
            .into_iter()
            .chain(error.details.into_iter().flatten())
            .filter_map(|i| i.code)
            .any(|c| c.to_ascii_lowercase().starts_with("objectis"));
    conflict && !about_deletion
}

/// `Retry-After` as whole seconds from `now`: delay-seconds, where a fraction (Graph sends
/// "2.128") rounds up, or an HTTP-date (RFC 9110 §10.2.3 and §5.6.7: the IMF-fixdate form
/// "Sun, 06 Nov 1994 08:49:37 GMT", and the obsolete RFC 850 and asctime forms a recipient must
/// also accept), where a date already past is 0. Anything else is `None`. An absurd delay
/// saturates; callers cap the wait anyway.
pub fn parse_retry_after(value: &str, now: DateTime<Utc>) -> Option<u64> {
    let v = value.trim();
    if v.starts_with(|c: char| c.is_ascii_digit()) {
        return delay_seconds(v);
    }
    let at = http_date(v, now)?;
    let ms = (at - now).num_milliseconds();
    Some(if ms <= 0 {
        0
    } else {
        (ms as u64).div_ceil(1000)
    })
}

/// "7" or "2.128" → whole seconds, a fraction rounding up. Read by hand: `f64::from_str` would
/// add a 10 KB table to the browser bundle.
fn delay_seconds(v: &str) -> Option<u64> {
    let (whole, fraction) = v.split_once('.').unwrap_or((v, ""));
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return None;
    }
    // Only digits are left, so the one way to fail is overflow: an absurd wait saturates.
    let n: u64 = whole.parse().unwrap_or(u64::MAX);
    Some(if fraction.bytes().any(|b| b != b'0') {
        n.saturating_add(1)
    } else {
        n
    })
}

/// The three HTTP-date forms, by hand (chrono's strftime parser would grow the bundle):
/// `Sun, 06 Nov 1994 08:49:37 GMT`, `Sunday, 06-Nov-94 08:49:37 GMT`, `Sun Nov  6 08:49:37 1994`.
fn http_date(v: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let t: Vec<&str> = v.split([' ', ',', '-']).filter(|s| !s.is_empty()).collect();
    let (day, month, year, time) = match t.as_slice() {
        [_, day, month, year, time, "GMT"] => (*day, *month, *year, *time),
        [_, month, day, time, year] => (*day, *month, *year, *time),
        _ => return None,
    };
    let number = |s: &str| -> Option<u32> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let month = MONTHS.iter().position(|m| m.eq_ignore_ascii_case(month))? as u32 + 1;
    let year = match (year.len(), number(year)?) {
        // RFC 850's two-digit year: RFC 9110 reads one more than 50 years ahead as the past.
        (2, yy) => {
            let y = now.year() / 100 * 100 + yy as i32;
            if y > now.year() + 50 {
                y - 100
            } else {
                y
            }
        }
        (4, y) => y as i32,
        _ => return None,
    };
    let mut hms = time.split(':');
    let (h, m, s) = (
        number(hms.next()?)?,
        number(hms.next()?)?,
        number(hms.next()?)?,
    );
    if hms.next().is_some() {
        return None;
    }
    let at = NaiveDate::from_ymd_opt(year, month, number(day)?)?.and_hms_opt(h, m, s)?;
    Some(at.and_utc())
}

#[cfg(test)]
mod tests {
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
            // Other 409s, and 409s we cannot read.
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
}
