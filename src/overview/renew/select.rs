//! What can be renewed, from the overview's rows and the vault scan (`rotation::scan`): a client
//! secret whose copy is a vault secret's latest version, by its `CredentialId` tag (and no app
//! tag naming another app: `domain::tags::tagged_for`). A secret held by two vault secrets is
//! not offered: a renewal writes one vault, and the other copy would be left behind.
//!
//! Also what a renewal left to remove: a vault secret whose latest version says
//! `ReplacesCredentialId` K and `CredentialId` N, where the app still has K and has N (as the
//! overview read it, or as a renewal of this session made it) — "replaced".

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use super::super::model::{Kind, Row};
use crate::arm::ArmSecret;
use crate::domain::renewal::REPLACES_TAG;
use crate::domain::tags::{tag, tagged_for, TaggedFor};
use crate::rotation::{VaultScan, VaultScanState};

/// A vault secret, by where it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultSecretRef {
    pub vault_id: String,
    pub vault_name: String,
    pub secret_name: String,
}

/// A client secret with a vault copy: what a renewal starts from.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub app_name: String,
    pub client_id: String,
    pub object_id: String,
    pub key_id: String,
    pub description: Option<String>,
    pub end: Option<DateTime<Utc>>,
    /// Calendar days left (negative once expired), in the user's time zone.
    pub days_left: Option<i64>,
    pub copy: VaultSecretRef,
}

/// A secret whose vault copy has moved on to the secret that renewed it.
#[derive(Clone, Debug, PartialEq)]
pub struct Replaced {
    pub app_name: String,
    pub object_id: String,
    pub old_key_id: String,
    pub old_description: Option<String>,
    pub old_end: Option<DateTime<Utc>>,
    pub new_key_id: String,
    pub copy: VaultSecretRef,
}

/// A secret with a vault copy that is not offered, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct NotOffered {
    pub app_name: String,
    pub key_id: String,
    pub reason: String,
}

/// What the scan found for the rows.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    /// Every client secret with exactly one vault copy, most urgent first (the rows' order).
    pub candidates: Vec<Candidate>,
    pub replaced: Vec<Replaced>,
    pub not_offered: Vec<NotOffered>,
}

impl Found {
    /// The candidates that have expired or expire within `days` days.
    pub fn within(&self, days: i64) -> impl Iterator<Item = &Candidate> {
        self.candidates
            .iter()
            .filter(move |c| c.days_left.is_some_and(|d| d <= days))
    }
}

/// Every listed vault secret whose latest version is enabled, with where it is.
fn listed(vaults: &[VaultScan]) -> impl Iterator<Item = (VaultSecretRef, &ArmSecret)> {
    vaults.iter().flat_map(|v| {
        let secrets: &[ArmSecret] = match &v.state {
            VaultScanState::Listed(s) => s,
            _ => &[],
        };
        secrets
            .iter()
            .filter(|s| s.enabled != Some(false))
            .map(move |s| {
                let at = VaultSecretRef {
                    vault_id: v.id.clone(),
                    vault_name: v.name.clone(),
                    secret_name: s.name.clone(),
                };
                (at, s)
            })
    })
}

/// What can be renewed and what was replaced. `renewed` are this session's renewals
/// (old keyId, new keyId): the rows were read before them.
pub fn find(rows: &[Row], vaults: &[VaultScan], renewed: &[(String, String)]) -> Found {
    // The client secrets, by lower-case keyId.
    let secrets: HashMap<String, &Row> = rows
        .iter()
        .filter(|r| r.kind == Kind::Secret)
        .filter_map(|r| r.key_id.as_ref().map(|k| (k.to_ascii_lowercase(), r)))
        .collect();
    let mine = |s: &ArmSecret, row: &Row| {
        !matches!(
            tagged_for(&s.tags, &row.client_id, &row.object_id),
            TaggedFor::OtherApp(_)
        )
    };
    let mut copies: HashMap<String, Vec<VaultSecretRef>> = HashMap::new();
    let mut replaced = Vec::new();
    for (at, s) in listed(vaults) {
        let Some(key) = tag(&s.tags, "CredentialId").map(str::to_ascii_lowercase) else {
            continue;
        };
        if let Some(row) = secrets.get(&key).filter(|r| mine(s, r)) {
            copies.entry(key.clone()).or_default().push(at.clone());
            let old = tag(&s.tags, REPLACES_TAG).map(str::to_ascii_lowercase);
            if let Some(old_row) = old.and_then(|o| secrets.get(&o)) {
                if old_row.object_id.eq_ignore_ascii_case(&row.object_id) {
                    replaced.push(replaced_row(old_row, &key, at));
                }
            }
            continue;
        }
        // N is not in the rows: renewed in this session?
        let Some(old) = tag(&s.tags, REPLACES_TAG) else {
            continue;
        };
        let this_session = renewed
            .iter()
            .any(|(o, n)| o.eq_ignore_ascii_case(old) && n.eq_ignore_ascii_case(&key));
        if let Some(old_row) = secrets.get(&old.to_ascii_lowercase()) {
            if this_session && mine(s, old_row) {
                replaced.push(replaced_row(old_row, &key, at));
            }
        }
    }
    let mut found = Found {
        replaced,
        ..Found::default()
    };
    for row in rows.iter().filter(|r| r.kind == Kind::Secret) {
        let Some(key) = &row.key_id else { continue };
        let Some(at) = copies.get(&key.to_ascii_lowercase()) else {
            continue;
        };
        if at.len() > 1 {
            let names: Vec<String> = at
                .iter()
                .map(|a| format!("{}/{}", a.vault_name, a.secret_name))
                .collect();
            found.not_offered.push(NotOffered {
                app_name: row.app_name.clone(),
                key_id: key.clone(),
                reason: format!(
                    "Its value is in {} vault secrets ({}): renew it on its Rotate page, then \
                     update each copy.",
                    at.len(),
                    names.join(", ")
                ),
            });
            continue;
        }
        found.candidates.push(Candidate {
            app_name: row.app_name.clone(),
            client_id: row.client_id.clone(),
            object_id: row.object_id.clone(),
            key_id: key.clone(),
            description: row.description.clone(),
            end: row.end,
            days_left: row.days_left,
            copy: at[0].clone(),
        });
    }
    found
}

fn replaced_row(old: &Row, new_key: &str, at: VaultSecretRef) -> Replaced {
    Replaced {
        app_name: old.app_name.clone(),
        object_id: old.object_id.clone(),
        old_key_id: old.key_id.clone().unwrap_or_default(),
        old_description: old.description.clone(),
        old_end: old.end,
        new_key_id: new_key.to_string(),
        copy: at,
    }
}
