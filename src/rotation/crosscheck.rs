//! The vault cross-check: which of an app's client secrets have a copy in Key Vault, and which
//! vault secrets point at a credential that no longer exists or has expired.
//!
//! A vault secret belongs to the app when its tags say so: `ProviderAddress` or `AppObjectId`
//! equal to the app's object ID, `ClientId` equal to its client ID, or `CredentialId` equal to
//! one of its keyIds (Microsoft's rotation functions write `CredentialId` and `ProviderAddress`;
//! secret-wizard writes all four, see `domain::tags`). Tag names are matched without regard to
//! case, as ARM treats them; GUIDs too. Only metadata is read: ARM never returns a value.

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::scan::{VaultScan, VaultScanState};
use crate::arm::ArmSecret;
use crate::domain::expiry::{status_of, ExpiryStatus};
use crate::domain::rotation::is_active;
use crate::graph::{Application, PasswordCredential};

/// Dates closer than this count as the same (Graph and Key Vault store whole seconds; a
/// hand-made copy may be a little off).
pub const EXP_TOLERANCE_SECS: i64 = 60;

/// A tag's value, the name compared without regard to case.
pub fn tag<'a>(secret: &'a ArmSecret, name: &str) -> Option<&'a str> {
    crate::domain::tags::tag(&secret.tags, name)
}

fn same_id(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// Whether a vault secret's tags tie it to `app`.
pub fn belongs_to(secret: &ArmSecret, app: &Application) -> bool {
    let by_object = ["ProviderAddress", "AppObjectId"]
        .iter()
        .filter_map(|t| tag(secret, t))
        .any(|v| same_id(v, &app.id));
    let by_client = tag(secret, "ClientId").is_some_and(|v| same_id(v, &app.app_id));
    let by_key = tag(secret, "CredentialId").is_some_and(|k| {
        app.password_credentials
            .iter()
            .any(|c| same_id(&c.key_id, k))
    });
    by_object || by_client || by_key
}

/// How a vault secret's `exp` compares with its credential's end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExpMatch {
    /// Within [`EXP_TOLERANCE_SECS`].
    Matches,
    /// The vault says another date (or the credential has no end).
    Differs,
    /// The vault secret has no expiry date.
    NotSet,
}

/// One vault secret as the cross-check shows it (metadata only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultCopy {
    pub vault_id: String,
    pub vault_name: String,
    pub secret_name: String,
    /// The latest version (ARM lists only the latest).
    pub version: Option<String>,
    pub updated: Option<DateTime<Utc>>,
    pub expires: Option<DateTime<Utc>>,
    /// `false` when the version is disabled (it can't be read).
    pub enabled: bool,
    /// The `CredentialId` tag, when present.
    pub credential_id: Option<String>,
    pub exp: ExpMatch,
}

impl VaultCopy {
    fn new(vault_id: &str, vault_name: &str, s: &ArmSecret, end: Option<DateTime<Utc>>) -> Self {
        let exp = match (s.expires, end) {
            (None, _) => ExpMatch::NotSet,
            (Some(v), Some(e)) if (v - e).abs() <= Duration::seconds(EXP_TOLERANCE_SECS) => {
                ExpMatch::Matches
            }
            _ => ExpMatch::Differs,
        };
        Self {
            vault_id: vault_id.to_string(),
            vault_name: vault_name.to_string(),
            secret_name: s.name.clone(),
            version: s.version().map(str::to_string),
            updated: s.updated.or(s.created),
            expires: s.expires,
            enabled: s.enabled != Some(false),
            credential_id: tag(s, "CredentialId").map(str::to_string),
            exp,
        }
    }

    /// True when this is the vault secret `secret_name` in the vault `vault_id`.
    pub fn is_at(&self, vault_id: &str, secret_name: &str) -> bool {
        self.vault_id.eq_ignore_ascii_case(vault_id)
            && self.secret_name.eq_ignore_ascii_case(secret_name)
    }
}

/// One of the app's client secrets and its copies in Key Vault.
#[derive(Clone, Debug, PartialEq)]
pub struct CredentialRow {
    pub credential: PasswordCredential,
    pub status: ExpiryStatus,
    pub active: bool,
    /// Empty: no vault copy (in the vaults that were checked).
    pub copies: Vec<VaultCopy>,
}

/// Why a vault secret of the app needs attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FindingKind {
    /// Its `CredentialId` names a credential the app no longer has.
    CredentialGone,
    /// It points at a credential that has expired.
    CredentialExpired,
    /// Tagged as the app's, but without `CredentialId`: which secret it holds is unknown.
    NoCredentialId,
}

impl FindingKind {
    pub fn label(self) -> &'static str {
        match self {
            FindingKind::CredentialGone => "Points at a credential that no longer exists",
            FindingKind::CredentialExpired => "Points at an expired credential",
            FindingKind::NoCredentialId => "No CredentialId tag: can't tell which secret it holds",
        }
    }

    /// A stable key for tests and CSS.
    pub fn key(self) -> &'static str {
        match self {
            FindingKind::CredentialGone => "gone",
            FindingKind::CredentialExpired => "expired",
            FindingKind::NoCredentialId => "untagged",
        }
    }
}

/// A vault secret of the app that needs attention.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub kind: FindingKind,
    pub copy: VaultCopy,
}

/// A vault that was not checked, and why, in the user's words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotChecked {
    pub vault_name: String,
    pub message: String,
    pub details: Option<String>,
}

/// The whole cross-check for one app.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossCheck {
    /// One row per client secret, in the app's order.
    pub rows: Vec<CredentialRow>,
    pub findings: Vec<Finding>,
    pub not_checked: Vec<NotChecked>,
    /// Vaults whose secrets were listed.
    pub vaults_checked: usize,
}

impl CrossCheck {
    /// The row of a credential (keyId compared without regard to case).
    pub fn row(&self, key_id: &str) -> Option<&CredentialRow> {
        self.rows
            .iter()
            .find(|r| same_id(&r.credential.key_id, key_id))
    }

    /// Every vault secret of the app (copies and findings), for choosing where a new version goes.
    pub fn app_secrets(&self) -> impl Iterator<Item = &VaultCopy> {
        self.rows
            .iter()
            .flat_map(|r| r.copies.iter())
            .chain(self.findings.iter().map(|f| &f.copy))
    }
}

/// Classifies the app's credentials and vault secrets from what the scan has listed so far.
pub fn cross_check<Tz: TimeZone>(
    app: &Application,
    vaults: &[VaultScan],
    now: &DateTime<Tz>,
) -> CrossCheck {
    let creds = &app.password_credentials;
    let mut rows: Vec<CredentialRow> = creds
        .iter()
        .map(|c| CredentialRow {
            credential: c.clone(),
            status: status_of(c.end_date_time, now),
            active: is_active(c, now),
            copies: Vec::new(),
        })
        .collect();
    let mut findings = Vec::new();
    let mut not_checked = Vec::new();
    let mut vaults_checked = 0;
    for v in vaults {
        let secrets = match &v.state {
            VaultScanState::Listed(secrets) => {
                vaults_checked += 1;
                secrets
            }
            VaultScanState::NotChecked { message, details } => {
                not_checked.push(NotChecked {
                    vault_name: v.name.clone(),
                    message: message.clone(),
                    details: details.clone(),
                });
                continue;
            }
            VaultScanState::Waiting | VaultScanState::Listing(_) => continue,
        };
        for s in secrets.iter().filter(|s| belongs_to(s, app)) {
            let key = tag(s, "CredentialId");
            let idx = key.and_then(|k| creds.iter().position(|c| same_id(&c.key_id, k)));
            match idx {
                Some(i) => {
                    let copy = VaultCopy::new(&v.id, &v.name, s, creds[i].end_date_time);
                    if rows[i].status == ExpiryStatus::Expired {
                        findings.push(Finding {
                            kind: FindingKind::CredentialExpired,
                            copy: copy.clone(),
                        });
                    }
                    rows[i].copies.push(copy);
                }
                None => findings.push(Finding {
                    kind: if key.is_some() {
                        FindingKind::CredentialGone
                    } else {
                        FindingKind::NoCredentialId
                    },
                    copy: VaultCopy::new(&v.id, &v.name, s, None),
                }),
            }
        }
    }
    CrossCheck {
        rows,
        findings,
        not_checked,
        vaults_checked,
    }
}
