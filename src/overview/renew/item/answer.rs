//! What a service's answer means to a renewal: unclear (Graph or ARM may have acted), busy
//! (nothing was done; ask again later), or read (parsed, or refused with the service's words).

use crate::arm::ArmError;
use crate::graph::GraphError;
use crate::net::HttpResponse;
use crate::runtime::{Failure, Outcome, Problem};

/// An answer that doesn't say whether the service acted: none, or 500/502/504.
pub(super) fn unclear(outcome: &Outcome) -> bool {
    match outcome {
        Err(Failure::Network) => true,
        Ok(res) => matches!(res.status, 500 | 502 | 504),
        Err(Failure::Auth(_)) => false,
    }
}

/// An answer that says the service did nothing and may be asked again later.
pub(super) fn busy(outcome: &Outcome) -> Option<Option<u64>> {
    match outcome {
        Ok(res) if matches!(res.status, 429 | 503) => Some(res.retry_after_secs()),
        _ => None,
    }
}

/// Why a read or a removal didn't give what was asked.
#[derive(Debug)]
pub(super) enum Read<E> {
    /// The service refused (its error).
    Refused(E),
    /// No answer, or one that doesn't say whether it acted.
    Unclear,
    /// Not sent (no token).
    Failed(Failure),
}

impl Read<GraphError> {
    pub(super) fn words_graph(self) -> String {
        match self {
            Read::Refused(e) => Problem::from_graph(&e).message,
            Read::Unclear => "Microsoft Graph didn't answer: try again later.".into(),
            Read::Failed(f) => Problem::from_failure(f).message,
        }
    }
}

impl Read<ArmError> {
    pub(super) fn words_arm(self, vault: &str, name: &str) -> String {
        match self {
            Read::Refused(e) => crate::vault::problem::from_arm(&e, vault, name).message,
            Read::Unclear => "Azure Resource Manager didn't answer: try again later.".into(),
            Read::Failed(f) => Problem::from_failure(f).message,
        }
    }
}

/// A read's (or a removal's) answer: parsed, or why not.
pub(super) fn read<T, E>(
    outcome: Outcome,
    parse: impl FnOnce(&HttpResponse) -> Result<T, E>,
) -> Result<T, Read<E>> {
    if unclear(&outcome) {
        return Err(Read::Unclear);
    }
    match outcome {
        Ok(res) => parse(&res).map_err(Read::Refused),
        Err(f) => Err(Read::Failed(f)),
    }
}
