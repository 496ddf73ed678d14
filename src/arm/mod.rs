//! Sans-IO Azure Resource Manager client: subscriptions, vaults, the caller's permissions on a
//! vault, and vault secrets through the control plane (`Microsoft.KeyVault/vaults/secrets`).
//!
//! ARM answers CORS, so this is how the browser stores a secret: [`put_secret`] builds the
//! `Secrets_CreateOrUpdate` PUT from a [`SecretValue`](crate::domain::SecretValue) (the body is
//! zeroised when the request is dropped) and [`parse_secret`] reads back the secret URI and
//! version, never a value. Before anything is created, [`vault_permissions`] +
//! [`parse_permissions`] + [`can`] with [`SECRETS_WRITE`] tell whether the write will be
//! allowed. [`role_assignments`] gives a workload's identity read access to a stored secret
//! (Key Vault Secrets User on the secret). Every builder takes the ARM base URL from config and returns an
//! [`HttpRequest`](crate::net::HttpRequest) for `Resource::Arm`; every parser returns a typed
//! value or an [`ArmError`] whose `user_message()` names the role needed. The helpers every
//! client shares (`parse_json`, `next_page`, …) are [`crate::wire`]'s.

mod error;
mod parse;
mod permissions;
mod read;
mod requests;
pub mod role_assignments;
mod types;

#[cfg(test)]
pub(crate) mod schema;
#[cfg(test)]
mod tests;

pub use error::{ArmError, ArmErrorInfo};
pub use parse::{
    parse_permissions, parse_secret, parse_secret_list, parse_subscriptions, parse_vault,
    parse_vaults,
};
pub use permissions::{can, SECRETS_SET_DATA, SECRETS_WRITE, VAULTS_READ};
pub use requests::{
    get_secret, get_vault, list_secrets, list_subscriptions, list_vaults, put_secret,
    vault_permissions, KEYVAULT_API, PERMISSIONS_API, SUBSCRIPTIONS_API,
};
// Shared with Graph (one helper, crate::wire).
pub use crate::wire::next_page;
pub use types::{
    ArmPage, ArmSecret, NetworkAcls, Permission, Sku, Subscription, Vault, VaultProperties,
};
