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

mod backoff;
mod decisions;
mod responses;
