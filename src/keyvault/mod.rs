//! Sans-IO Key Vault data-plane client, for gateway mode (the data plane answers no CORS, so a
//! browser reaches it only through a configured gateway; the ARM path is in [`crate::arm`]).
//!
//! [`set_secret`] builds `PUT /secrets/{name}` (api-version 7.5) from a
//! [`SecretValue`](crate::domain::SecretValue) and a
//! [`VaultSecretWrite`](crate::domain::vault_write::VaultSecretWrite); [`parse_set_secret`]
//! returns the new version's ID and attributes (the value Key Vault echoes is dropped). Before
//! writing, [`VersionScan`] reads every page of the name's versions (no order is promised, a
//! page may be empty and still have a `nextLink`) and keeps the newest by `created`, telling
//! whether the name is taken without reading a value, and [`get_deleted_secret`] /
//! [`parse_deleted_secret`] whether a
//! soft-deleted secret still holds it. Failures are [`KeyVaultError`]s (`ForbiddenByRbac`,
//! `ForbiddenByFirewall`, `ObjectIsDeletedButRecoverable`, …) whose `user_message_in(vault,
//! name)` gives the remedy; the executor reports a response-less failure as
//! [`KeyVaultError::Unreachable`].

mod error;
mod messages;
mod parse;
mod requests;
mod versions;

#[cfg(test)]
mod tests;

pub use error::{ForbiddenReason, KeyVaultError, KeyVaultErrorInfo};
pub use parse::{
    parse_deleted_secret, parse_set_secret, parse_versions_page, DeletedSecret, StoredSecret,
    VersionsPage,
};
pub use requests::{
    gateway_base, get_deleted_secret, secret_versions, set_secret, versions_page, API_VERSION,
    VERSIONS_PAGE_SIZE,
};
pub use versions::{is_newer, VersionScan, VersionsNext, MAX_VERSION_PAGES};
