//! What a request came back with, and the words for a request that got no answer.

use crate::graph::GraphError;
use crate::net::HttpResponse;

/// A request that got no HTTP response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Failure {
    /// Network error, CORS failure or timeout: the server may have acted.
    Network,
    /// Nothing was sent: no token could be had, or the URL was not the service's own. The text
    /// is the user message (the sign-in module's, or the executor's).
    Auth(String),
}

/// What the executor hands back for a request.
pub type Outcome = Result<HttpResponse, Failure>;

/// Whether the outcome leaves unknown if the service acted: no answer at all, or 500, 502 or 504
/// (which don't say whether it failed before or after acting; 429 and 503 say it did nothing,
/// `retry::refused_unapplied`). A write with such an outcome is looked for, never resent blind.
pub fn acted_unknown(outcome: &Outcome) -> bool {
    match outcome {
        Err(Failure::Network) => true,
        Ok(res) => matches!(res.status, 500 | 502 | 504),
        Err(Failure::Auth(_)) => false,
    }
}

impl Failure {
    /// "Microsoft Graph could not be reached. Check your connection, then try again." for a
    /// network failure (`service` names who was called); the message itself otherwise.
    pub fn user_message(&self, service: &str) -> String {
        match self {
            Failure::Network => {
                format!("{service} could not be reached. Check your connection, then try again.")
            }
            Failure::Auth(message) => message.clone(),
        }
    }
}

/// An error panel's content: what happened and the fix, plus a small details line ("code ·
/// HTTP status · request-id …") for the admin who will be asked about it. Never holds a
/// response body or a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    pub details: Option<String>,
}

impl Problem {
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            details: None,
        }
    }

    pub fn from_graph(e: &GraphError) -> Self {
        Self::from_graph_with_owners(e, &[])
    }

    /// Like [`Problem::from_graph`], naming the app's owners when access was denied.
    pub fn from_graph_with_owners(e: &GraphError, owners: &[String]) -> Self {
        let details = e.details();
        Self {
            message: e.user_message_with_owners(owners),
            details: (!details.is_empty()).then_some(details),
        }
    }

    /// A Graph request that got no answer.
    pub fn from_failure(f: Failure) -> Self {
        Self::new(f.user_message("Microsoft Graph"))
    }

    /// A Graph answer or its absence, parsed with `parse`.
    pub fn graph<T>(
        outcome: Outcome,
        parse: impl FnOnce(&HttpResponse) -> Result<T, GraphError>,
    ) -> Result<T, Problem> {
        let res = outcome.map_err(Problem::from_failure)?;
        parse(&res).map_err(|e| Problem::from_graph(&e))
    }
}
