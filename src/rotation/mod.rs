//! Rotation with overlap, and the vault cross-check, for one app.
//!
//! Pure core (no browser types, tested natively): [`scan`] lists the vault secrets the user can
//! see through ARM (subscriptions → vaults → `vaults/secrets`, metadata and tags only, bounded),
//! [`crosscheck`] matches them to the app's credentials by their `CredentialId` /
//! `ProviderAddress` / `AppObjectId` / `ClientId` tags, [`guide`] works out the four steps of a
//! rotation (create with overlap, store as a new version of the same vault secret, update the
//! consumers, remove the old secret), [`removal`] guards and confirms removals, and [`state`] is
//! the page's reducer (effects as data). The browser shell (`page`, `view_*`, `dialog`) renders
//! it and runs the effects.

pub mod crosscheck;
pub mod guide;
pub mod removal;
pub mod scan;
pub mod state;
mod state_removal;

#[cfg(target_arch = "wasm32")]
mod dialog;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
mod view_guide;
#[cfg(target_arch = "wasm32")]
mod view_vault;

#[cfg(target_arch = "wasm32")]
pub use page::{RotationFlow, RotationFlowProps, RotationSender, SESSION_KEY};

pub use crosscheck::{cross_check, CrossCheck, ExpMatch, Finding, FindingKind, VaultCopy};
pub use guide::{Guide, RotationSession, StepState, Target, TargetSource};
pub use removal::{removal_guard, Confirmations, Removal, RemovalBlock};
pub use scan::{Scan, VaultScan, VaultScanState};
pub use state::{Call, Effect, Msg, Rotation, RotationConfig};

/// The route the page bar's navigation takes for an app's rotation page.
pub fn route(app_object_id: &str) -> String {
    format!("{ROUTE_PREFIX}{app_object_id}")
}

/// Routes starting with this open the rotation page; the rest is the app's object ID.
pub const ROUTE_PREFIX: &str = "/rotate/";

#[cfg(test)]
mod tests;
