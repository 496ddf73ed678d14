//! When the executor tries a request again: a pure function of what happened, the attempt
//! number and the request's method, so every branch is tested natively.
//!
//! - 401 once: renew the token (forced refresh) and send again; the service acted on nothing.
//! - 429 and 503: wait for `Retry-After` (capped), or back off; the service did not act.
//! - 502 and 504, network failures and timeouts: the service may have acted before the answer
//!   was lost, so only idempotent requests are repeated. A lost addPassword response must
//!   surface as an error: the caller checks what was created instead of creating a second one.

use crate::net::Method;

/// The longest wait the executor honours, whatever `Retry-After` says.
pub const MAX_WAIT_SECS: u64 = 10;

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
    /// An HTTP answer, with its `Retry-After` seconds when present.
    Status {
        status: u16,
        retry_after_secs: Option<u64>,
    },
    /// fetch rejected (offline, DNS, CORS): nothing readable came back.
    NetworkError,
    /// Our own deadline passed before an answer.
    Timeout,
}

/// What the executor does next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// Hand the outcome to the caller.
    Done,
    /// Get a fresh token (forced refresh), then send again at once.
    RenewTokenAndRetry,
    /// Wait, then send again.
    RetryAfter { secs: u64 },
}

/// The decision after send number `attempt` (1-based). `renewed` says whether the token was
/// already renewed once for this request.
pub fn decide(policy: &RetryPolicy, attempt: u32, outcome: Outcome, renewed: bool) -> Decision {
    match outcome {
        Outcome::Status { status: 401, .. } if !renewed => Decision::RenewTokenAndRetry,
        _ if attempt >= policy.max_attempts => Decision::Done,
        Outcome::Status {
            status: 429 | 503,
            retry_after_secs,
        } => wait(policy, attempt, retry_after_secs),
        Outcome::Status {
            status: 502 | 504,
            retry_after_secs,
        } if policy.repeat_when_unsure => wait(policy, attempt, retry_after_secs),
        // A network error or timeout is retried once at most: a CORS refusal won't heal.
        Outcome::NetworkError | Outcome::Timeout if policy.repeat_when_unsure && attempt == 1 => {
            wait(policy, attempt, None)
        }
        _ => Decision::Done,
    }
}

/// `Retry-After` when given, else 1 s, 2 s, 4 s …; never more than the cap.
fn wait(policy: &RetryPolicy, attempt: u32, retry_after_secs: Option<u64>) -> Decision {
    let backoff = 1u64 << attempt.saturating_sub(1).min(6);
    Decision::RetryAfter {
        secs: retry_after_secs
            .unwrap_or(backoff)
            .min(policy.max_wait_secs),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn status(status: u16, retry_after_secs: Option<u64>) -> Outcome {
        Outcome::Status {
            status,
            retry_after_secs,
        }
    }

    #[test]
    fn decisions_by_method_status_and_attempt() {
        let get = RetryPolicy::for_method(Method::Get);
        let post = RetryPolicy::for_method(Method::Post);
        let put = RetryPolicy::for_method(Method::Put);
        use Decision::*;
        let cases: &[(&str, RetryPolicy, u32, Outcome, bool, Decision)] = &[
            ("200 is done", get, 1, status(200, None), false, Done),
            ("404 is done", get, 1, status(404, None), false, Done),
            (
                "first 401 renews",
                get,
                1,
                status(401, None),
                false,
                RenewTokenAndRetry,
            ),
            (
                "401 renews for POST too",
                post,
                1,
                status(401, None),
                false,
                RenewTokenAndRetry,
            ),
            ("second 401 is done", get, 2, status(401, None), true, Done),
            (
                "429 honours Retry-After",
                post,
                1,
                status(429, Some(7)),
                false,
                RetryAfter { secs: 7 },
            ),
            (
                "429 caps Retry-After",
                get,
                1,
                status(429, Some(120)),
                false,
                RetryAfter { secs: 10 },
            ),
            (
                "503 backs off without Retry-After",
                get,
                2,
                status(503, None),
                false,
                RetryAfter { secs: 2 },
            ),
            (
                "503 for POST retries",
                post,
                1,
                status(503, Some(1)),
                false,
                RetryAfter { secs: 1 },
            ),
            (
                "third attempt is the last",
                get,
                3,
                status(429, Some(1)),
                false,
                Done,
            ),
            (
                "502 for GET retries",
                get,
                1,
                status(502, None),
                false,
                RetryAfter { secs: 1 },
            ),
            (
                "504 for POST is unsure: done",
                post,
                1,
                status(504, None),
                false,
                Done,
            ),
            (
                "502 for POST is unsure: done",
                post,
                1,
                status(502, Some(1)),
                false,
                Done,
            ),
            ("500 is done", get, 1, status(500, None), false, Done),
            (
                "network error on GET retries once",
                get,
                1,
                Outcome::NetworkError,
                false,
                RetryAfter { secs: 1 },
            ),
            (
                "network error on GET not twice",
                get,
                2,
                Outcome::NetworkError,
                false,
                Done,
            ),
            (
                "network error on POST never",
                post,
                1,
                Outcome::NetworkError,
                false,
                Done,
            ),
            (
                "timeout on POST never",
                post,
                1,
                Outcome::Timeout,
                false,
                Done,
            ),
            (
                "timeout on PUT retries once",
                put,
                1,
                Outcome::Timeout,
                false,
                RetryAfter { secs: 1 },
            ),
            (
                "once() never waits",
                RetryPolicy::once(),
                1,
                status(429, Some(1)),
                false,
                Done,
            ),
            (
                "once() still renews a token",
                RetryPolicy::once(),
                1,
                status(401, None),
                false,
                RenewTokenAndRetry,
            ),
        ];
        for (name, policy, attempt, outcome, renewed, want) in cases {
            assert_eq!(
                decide(policy, *attempt, *outcome, *renewed),
                *want,
                "{name}"
            );
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
            match decide(&policy, sends, status(429, Some(1)), renewed) {
                Decision::Done => break,
                Decision::RenewTokenAndRetry => renewed = true,
                Decision::RetryAfter { .. } => {}
            }
            assert!(sends < 10, "runaway loop");
        }
        assert_eq!(sends, 3);
    }
}
