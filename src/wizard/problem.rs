//! A failure as the user reads it: what happened and the fix, plus a small details line.

use super::state::Failure;
use crate::graph::GraphError;

/// An error panel's content. Never holds a response body or a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    pub message: String,
    /// "code · HTTP status · request-id …" for the admin who will be asked about it.
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

    /// A request that got no answer (not addPassword: that one goes to recovery).
    pub fn from_failure(f: Failure) -> Self {
        match f {
            Failure::Network => Self::new(
                "Microsoft Graph could not be reached. Check your connection, then try again.",
            ),
            Failure::Auth(message) => Self::new(message),
        }
    }
}
