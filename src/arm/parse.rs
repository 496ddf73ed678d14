//! Response parsers: a success body becomes a typed value, anything else an [`ArmError`].

use super::error::ArmError;
use super::read;
use super::types::{ArmPage, ArmSecret, Permission, Subscription, Vault};
use crate::net::HttpResponse;
use crate::wire::parse_with;

/// `GET /subscriptions` (one page).
pub fn parse_subscriptions(res: &HttpResponse) -> Result<ArmPage<Subscription>, ArmError> {
    parse_with(res, |m| read::page(m, read::subscription))
}

/// `GET …/providers/Microsoft.KeyVault/vaults` (one page).
pub fn parse_vaults(res: &HttpResponse) -> Result<ArmPage<Vault>, ArmError> {
    parse_with(res, |m| read::page(m, read::vault))
}

/// `GET {vault id}` (Vaults_Get).
pub fn parse_vault(res: &HttpResponse) -> Result<Vault, ArmError> {
    parse_with(res, read::vault)
}

/// `GET {vault}/providers/Microsoft.Authorization/permissions` (one page).
pub fn parse_permissions(res: &HttpResponse) -> Result<ArmPage<Permission>, ArmError> {
    parse_with(res, |m| read::page(m, read::permission))
}

/// `PUT {vault}/secrets/{name}` (200 or 201) and `GET {vault}/secrets/{name}`.
pub fn parse_secret(res: &HttpResponse) -> Result<ArmSecret, ArmError> {
    parse_with(res, read::secret)
}

/// `GET {vault}/secrets` (one page).
pub fn parse_secret_list(res: &HttpResponse) -> Result<ArmPage<ArmSecret>, ArmError> {
    parse_with(res, |m| read::page(m, read::secret))
}
