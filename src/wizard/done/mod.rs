//! Step 6, Done: what was created, without its value ([`DoneState`], made only by
//! `ShowOnceState::finish`, which drops the value). The component is [`view::DoneStep`].

use crate::graph::PasswordCredential;
use crate::vault::StoredRef;

#[cfg(target_arch = "wasm32")]
pub mod view;

/// After Finish: what was created, without its value.
#[derive(Clone, Debug, PartialEq)]
pub struct DoneState {
    credential: PasswordCredential,
    /// Duplicates of the new secret (from a browser resend) still on the app.
    leftover_duplicates: Vec<PasswordCredential>,
    /// Where the secret was stored in Key Vault, if it was.
    stored: Option<StoredRef>,
}

impl DoneState {
    pub fn new(
        credential: PasswordCredential,
        leftover_duplicates: Vec<PasswordCredential>,
        stored: Option<StoredRef>,
    ) -> Self {
        Self {
            credential,
            leftover_duplicates,
            stored,
        }
    }

    /// The new secret (never its value).
    pub fn credential(&self) -> &PasswordCredential {
        &self.credential
    }

    pub fn leftover_duplicates(&self) -> &[PasswordCredential] {
        &self.leftover_duplicates
    }

    /// Where the secret was stored in Key Vault, if it was.
    pub fn stored(&self) -> Option<&StoredRef> {
        self.stored.as_ref()
    }
}
