//! The backoff without Retry-After, idempotency and the bound on attempts.

use super::*;

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
