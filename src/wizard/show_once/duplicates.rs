//! What the re-read after a successful addPassword found besides the secret on screen: if the
//! browser resent the request (it does so by itself when a reused connection closes before any
//! answer), Graph created more than one secret, and only one value came back. The others are
//! orphans; Show once offers to remove them (`ShowOnceMsg::RemoveDuplicates`).

use crate::graph::PasswordCredential;
use crate::runtime::Problem;

/// What the re-read found besides the secret on screen.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Duplicates {
    #[default]
    Checking,
    /// None found (or the re-read failed: nothing to say then).
    None,
    Found(Vec<PasswordCredential>),
    /// Removing one at a time; `left` are the keyIds still to go, the first in flight.
    Removing {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    },
    Failed {
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
        problem: Problem,
    },
    Removed(Vec<PasswordCredential>),
}

impl Duplicates {
    /// Duplicates still on the app.
    pub fn leftovers(&self) -> Vec<PasswordCredential> {
        match self {
            Duplicates::Found(c) => c.clone(),
            Duplicates::Removing { credentials, left }
            | Duplicates::Failed {
                credentials, left, ..
            } => credentials
                .iter()
                .filter(|c| left.contains(&c.key_id))
                .cloned()
                .collect(),
            _ => Vec::new(),
        }
    }
}
