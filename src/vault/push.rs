//! The push: the secret value goes from the Show-once state (borrowed through
//! [`StoreContext`]) straight into the zeroising request body (`arm::put_secret` or
//! `keyvault::set_secret`), and nowhere else.
//!
//! One click never stores two versions. ARM's PUT adds a version per call, so a resend happens
//! only when the previous send certainly did nothing (429 or 503 with an answer, or a 409 from a
//! concurrent change: [`crate::retry::refused_unapplied`]; wait for `Retry-After`, at most
//! [`MAX_SENDS`] sends per click). The PUT names the secret, so the resend after such a refusal
//! writes the one version the refused send did not. After an unclear failure (no answer,
//! or 500/502/504) the latest version is read through ARM first: if its `CredentialId` tag is
//! this credential's keyId, the secret is stored and nothing is sent again.

use crate::arm;
use crate::keyvault;
use crate::net::{HttpRequest, Resource};
use crate::retry::RetryPolicy;

use super::problem::VaultProblem;
use super::stored::{StoredRef, WritePath};

pub use super::write::{secret_write, StoreContext, CONTENT_TYPE};
/// Sends of the PUT per click, at most.
pub const MAX_SENDS: u32 = 3;

/// Where the value goes, frozen at the click.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PushTarget {
    pub vault_id: String,
    pub vault_name: String,
    pub name: String,
    pub path: WritePath,
    /// Gateway or vault URI (data plane only).
    pub data_plane_base: Option<String>,
    /// The data plane is reached through the configured gateway.
    pub gateway: bool,
    /// The credential whose keyId the stored version must carry.
    pub key_id: String,
}

/// What to do once the check after an unclear failure says "not stored".
#[derive(Clone, Debug, PartialEq)]
pub enum IfNotStored {
    /// Send again (the failure was transient and sends remain).
    Resend,
    /// Stop and show this.
    Fail(VaultProblem),
}

/// The push's progress. Holds no value.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum Push {
    #[default]
    Idle,
    Sending {
        sends: u32,
    },
    /// Waiting before the next send ("retrying in N s").
    Waiting {
        sends: u32,
        secs: u64,
        token: u64,
        service: &'static str,
    },
    /// Reading the vault to learn whether an unclear send stored the secret.
    Checking {
        sends: u32,
        then: IfNotStored,
    },
    /// `unsure`: it is not known whether the last send stored it (check before sending again).
    Failed {
        problem: VaultProblem,
        unsure: bool,
    },
    Stored(StoredRef),
}

impl Push {
    pub fn failed(&self) -> Option<&VaultProblem> {
        match self {
            Push::Failed { problem, .. } => Some(problem),
            _ => None,
        }
    }

    pub fn in_progress(&self) -> bool {
        matches!(
            self,
            Push::Sending { .. } | Push::Waiting { .. } | Push::Checking { .. }
        )
    }
}

/// How the executor may repeat a request of the app. The vault PUT is never repeated by the
/// executor (only its 401 token renewal applies): ARM adds a version per call, so this step
/// decides itself, after checking, whether another send is safe.
pub fn executor_policy(req: &HttpRequest) -> RetryPolicy {
    let vault_write = req.method == crate::net::Method::Put
        && matches!(req.resource, Resource::Arm | Resource::KeyVault);
    if vault_write {
        RetryPolicy::once()
    } else {
        RetryPolicy::for_method(req.method)
    }
}

/// The PUT for `target`, its body built from the value by the zeroising builders.
pub fn put_request(arm_base: &str, target: &PushTarget, ctx: &StoreContext<'_>) -> HttpRequest {
    let write = secret_write(ctx);
    match (target.path, &target.data_plane_base) {
        (WritePath::DataPlane, Some(base)) => {
            keyvault::set_secret(base, &target.name, ctx.secret, &write)
        }
        _ => arm::put_secret(arm_base, &target.vault_id, &target.name, ctx.secret, &write),
    }
}
