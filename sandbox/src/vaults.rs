//! Placeholder: the ARM + Key Vault engineer owns this file.

use serde_json::Value;

#[derive(Default)]
pub struct VaultState {}

impl VaultState {
    pub fn seed(_seed: &crate::seed::Seed) -> Self {
        Self::default()
    }

    /// Everything the vaults hold, for `GET /_sandbox/state` (values included: tests only).
    pub fn to_json(&self) -> Value {
        serde_json::json!([])
    }
}
