//! What a service's answer means to a renewal: unclear (Graph or ARM may have acted), busy
//! (nothing was done; ask again later), or read (parsed, or refused with the service's words).

use crate::arm::ArmError;
use crate::graph::GraphError;
use crate::net::HttpResponse;
use crate::runtime::{Failure, Outcome, Problem};

pub(super) use crate::runtime::acted_unknown as unclear;

/// An answer that says the service did nothing and may be asked again later (429, 503, a
/// concurrent change's 409: `retry::refused_unapplied`), with its `Retry-After` when readable.
pub(super) fn busy(outcome: &Outcome) -> Option<Option<u64>> {
    match outcome {
        Ok(res) if crate::retry::refused_unapplied(res) => Some(res.retry_after_secs()),
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
