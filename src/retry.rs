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
    // Read on the one `serde_json::Value` parser (`wire::Fields`); a body of another shape
    // (not JSON, no `error` object, a member of the wrong type) is not a transient conflict.
    let read = || -> Result<Option<(bool, bool)>, crate::wire::WrongShape> {
        let body = crate::wire::json_value(&res.body)?;
        let Some(error) = crate::wire::Fields::of(&body)?.object("error")? else {
            return Ok(None);
        };
        let code = error.text("code")?.unwrap_or_default();
        let conflict =
            code.eq_ignore_ascii_case("Conflict") || code.eq_ignore_ascii_case("ConflictError");
        let mut inner_codes = Vec::new();
        for key in ["innererror", "innerError"] {
            if let Some(inner) = error.object(key)? {
                inner_codes.push(inner.text("code")?);
            }
        }
        for detail in error.objects("details")?.unwrap_or_default() {
            inner_codes.push(detail.text("code")?);
        }
        let about_deletion = error
            .text("message")?
            .unwrap_or_default()
            .to_ascii_lowercase()
            .contains("deleted")
            || inner_codes
                .into_iter()
                .flatten()
                .any(|c| c.to_ascii_lowercase().starts_with("objectis"));
        Ok(Some((conflict, about_deletion)))
    };
    let Ok(Some((conflict, about_deletion))) = read() else {
        return false;
    };
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
mod tests;
