//! A secret's versions over every page, and the newest of them, sans-IO.
//!
//! `GET /secrets/{name}/versions` promises no order (the 7.5 spec's GetSecretVersions names
//! none: ../shared/specs/keyvault-7.5/secrets.json), a page may be empty and still carry a
//! `nextLink` (Azure/azure-sdk-for-go issue #10711), and the `nextLink` names the vault with
//! an explicit `:443` (the spec's example). So the newest version is the one with the latest
//! `attributes.created` over ALL pages, and an empty page ends nothing while a `nextLink` remains.
//!
//! The next page is sent to the base the first one went to (the vault's URI or the configured
//! gateway), with the `nextLink`'s query: a vault behind a gateway hands out links to its own
//! host, which the browser cannot reach, and a link to anywhere else gets no token.

use super::error::KeyVaultError;
use super::parse::{parse_versions_page, StoredSecret};
use super::requests::{secret_versions, versions_page};
use crate::net::{HttpRequest, HttpResponse};

/// Pages followed at most (25 versions each, the service's largest page). Past it the answer
/// is what was seen: the check is advice (a PUT adds a version whether the name is taken or not).
pub const MAX_VERSION_PAGES: u32 = 40;

/// What to do after a page.
#[derive(Clone, Debug, PartialEq)]
pub enum VersionsNext {
    /// Send this for the next page.
    Send(HttpRequest),
    /// Every page is in: the newest version, or `None` when the name has none (it is free).
    Done(Option<StoredSecret>),
}

/// One reading of a secret's versions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VersionScan {
    base: String,
    name: String,
    newest: Option<StoredSecret>,
    versions: usize,
    pages: u32,
}

/// True when `a` is newer than `b`: later `created`, then later `updated`, then the larger
/// version ID (only so that the choice does not depend on the order of the pages).
pub fn is_newer(a: &StoredSecret, b: &StoredSecret) -> bool {
    (a.created, a.updated, a.version()) > (b.created, b.updated, b.version())
}

impl VersionScan {
    /// A new reading of `name`'s versions at `vault_base`, and its first request.
    pub fn start(vault_base: &str, name: &str) -> (VersionScan, HttpRequest) {
        let scan = VersionScan {
            base: vault_base.to_string(),
            name: name.to_string(),
            ..VersionScan::default()
        };
        (scan, secret_versions(vault_base, name))
    }

    /// Takes the answer to the last request. 404 `SecretNotFound` is a free name.
    pub fn feed(&mut self, res: &HttpResponse) -> Result<VersionsNext, KeyVaultError> {
        self.pages += 1;
        let Some(page) = parse_versions_page(res)? else {
            return Ok(VersionsNext::Done(self.newest.clone()));
        };
        self.versions += page.versions.len();
        for v in page.versions {
            if self.newest.as_ref().is_none_or(|n| is_newer(&v, n)) {
                self.newest = Some(v);
            }
        }
        match page.next_link {
            Some(link) if self.pages < MAX_VERSION_PAGES => Ok(VersionsNext::Send(versions_page(
                &self.base, &self.name, &link,
            )?)),
            _ => Ok(VersionsNext::Done(self.newest.clone())),
        }
    }

    /// The newest version seen so far.
    pub fn newest(&self) -> Option<&StoredSecret> {
        self.newest.as_ref()
    }

    /// Versions seen so far, over every page.
    pub fn versions(&self) -> usize {
        self.versions
    }

    /// Pages answered so far.
    pub fn pages(&self) -> u32 {
        self.pages
    }
}
