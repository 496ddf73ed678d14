//! The vault step on screen: the vault section of Describe ([`VaultSection`]), the store
//! panel of Show once ([`StorePanel`]) and the references on Done ([`StoredReferences`]).
//! They render [`VaultState`](super::VaultState) and send [`VaultMsg`](super::VaultMsg)s;
//! none decides anything. None of them ever receives the secret value.

mod copy;
mod picker;
mod preflight;
mod references;
mod store;

pub use copy::CopyText;
pub use picker::{VaultSection, VaultSectionProps};
pub use references::{StoredReferences, StoredReferencesProps};
pub use store::{StorePanel, StorePanelProps};
