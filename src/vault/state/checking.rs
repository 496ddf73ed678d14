//! The pre-flight's transitions (what `vault::preflight` decides, asked and answered):
//! the vault's properties, the caller's permissions there, and whether the name is free.

use crate::arm;
use crate::domain::tags::{tagged_for, OtherApp, TaggedFor, Tags};
use crate::keyvault;
use crate::runtime::{Failure, Outcome};

use super::{ForApp, VaultState};
use crate::vault::msg::{VaultCall, VaultEffect};
use crate::vault::preflight::{Ask, Check, NameStatus, Permissions, ReplaceConsent, Verdict};
use crate::vault::problem::{self, Remedy, VaultProblem};
use crate::vault::push::Push;
use crate::vault::stored::WritePath;

impl VaultState {
    /// Starts the name check for the path in use (when the name is valid and a vault chosen).
    pub(in crate::vault) fn start_name_check(&mut self) -> Vec<VaultEffect> {
        let Some(config) = self.config.clone() else {
            return Vec::new();
        };
        let Some(selected) = &self.selected else {
            self.name.status = Check::NotStarted;
            return Vec::new();
        };
        if self.name.error.is_some() {
            self.name.status = Check::NotStarted;
            return Vec::new();
        }
        self.name_token = None;
        self.name.status = Check::Checking;
        let name = self.name.text.clone();
        match self.path {
            WritePath::Arm => {
                let request = arm::get_secret(&config.arm_base, &selected.vault.id, &name);
                vec![VaultEffect::send(VaultCall::NameExists, request)]
            }
            WritePath::DataPlane => match self.data_plane_base() {
                // Waits for the vault's URI (see `on_vault_info`).
                None => Vec::new(),
                Some(base) => vec![VaultEffect::send(
                    VaultCall::NameDeleted,
                    keyvault::get_deleted_secret(&base, &name),
                )],
            },
        }
    }

    pub(in crate::vault) fn on_vault_info(&mut self, outcome: Outcome) -> Vec<VaultEffect> {
        let vault_name = self.vault_name();
        let parsed = outcome
            .map_err(|f| problem::from_failure(&f, "Azure Resource Manager"))
            .and_then(|r| arm::parse_vault(&r).map_err(|e| problem::from_arm(&e, &vault_name, "")));
        let info = match parsed {
            Ok(v) => Check::Done(self.option_for(&v)),
            Err(p) => Check::Failed(p),
        };
        let Some(selected) = self.selected.as_mut() else {
            return Vec::new();
        };
        selected.info = info;
        self.after_info()
    }

    /// A vault list arrived: fill in the selected vault's properties if they were missing.
    pub(in crate::vault) fn refresh_selected_info(&mut self) -> Vec<VaultEffect> {
        let found = self
            .selected
            .as_ref()
            .filter(|s| s.info.done().is_none())
            .and_then(|s| self.catalog.find(&s.vault.id).cloned());
        match (found, self.selected.as_mut()) {
            (Some(o), Some(s)) => {
                s.info = Check::Done(o);
                self.after_info()
            }
            _ => Vec::new(),
        }
    }

    /// The data-plane name check waits for the vault URI; start it once known.
    fn after_info(&mut self) -> Vec<VaultEffect> {
        let waiting = self.path == WritePath::DataPlane
            && self.name.status == Check::Checking
            && self.name_token.is_none();
        if !waiting {
            return Vec::new();
        }
        if self.data_plane_base().is_some() {
            return self.start_name_check();
        }
        if let Some(Check::Failed(p)) = self.selected.as_ref().map(|s| s.info.clone()) {
            self.name.status = Check::Failed(p);
        }
        Vec::new()
    }

    pub(in crate::vault) fn on_permissions(&mut self, outcome: Outcome) -> Vec<VaultEffect> {
        let vault_name = self.vault_name();
        let parsed = outcome
            .map_err(|f| problem::from_failure(&f, "Azure Resource Manager"))
            .and_then(|r| {
                arm::parse_permissions(&r).map_err(|e| problem::from_arm(&e, &vault_name, ""))
            });
        if let Some(s) = self.selected.as_mut() {
            s.permissions = match parsed {
                Ok(page) => Check::Done(Permissions::from_entries(&page.value)),
                Err(p) => Check::Failed(p),
            };
        }
        Vec::new()
    }

    pub(in crate::vault) fn on_name(
        &mut self,
        call: VaultCall,
        outcome: Outcome,
    ) -> Vec<VaultEffect> {
        if self.name.status != Check::Checking || self.name_token.is_some() {
            return Vec::new(); // a newer name is on its way
        }
        let vault = self.vault_name();
        let name = self.name.text.clone();
        let status = match (call, self.path) {
            (VaultCall::NameExists, WritePath::Arm) => arm_name(outcome, &vault, &name, &self.app),
            (VaultCall::NameDeleted, WritePath::DataPlane) => {
                match data_plane(outcome, &vault, &name, keyvault::parse_deleted_secret) {
                    Ok(Some(d)) => Check::Done(NameStatus::Deleted {
                        purge: d.scheduled_purge,
                    }),
                    Ok(None) => {
                        let Some(base) = self.data_plane_base() else {
                            return Vec::new();
                        };
                        let (scan, request) = keyvault::VersionScan::start(&base, &name);
                        self.versions = scan;
                        return vec![VaultEffect::send(VaultCall::NameExists, request)];
                    }
                    Err(p) => Check::Failed(p),
                }
            }
            (VaultCall::NameExists, WritePath::DataPlane) => {
                let versions = &mut self.versions;
                match data_plane(outcome, &vault, &name, |r| versions.feed(&r)) {
                    // Another page (possibly after an empty one): the newest may be on it.
                    Ok(keyvault::VersionsNext::Send(request)) => {
                        return vec![VaultEffect::send(VaultCall::NameExists, request)]
                    }
                    Ok(keyvault::VersionsNext::Done(Some(s))) => Check::Done(NameStatus::Exists {
                        expires: s.expires,
                        other_app: other_app(&s.tags, &self.app),
                    }),
                    Ok(keyvault::VersionsNext::Done(None)) => Check::Done(NameStatus::Free),
                    Err(p) => Check::Failed(p),
                }
            }
            _ => return Vec::new(), // an answer for the other path: superseded
        };
        self.name.status = status;
        Vec::new()
    }

    /// The pre-flight verdict for what is chosen now.
    pub fn verdict(&self) -> Verdict {
        let Some(selected) = &self.selected else {
            return Verdict::NotChosen;
        };
        if let Some(e) = &self.name.error {
            return Verdict::Blocked(VaultProblem::new(e.clone()));
        }
        let vault = &selected.vault.name;
        let perms = match &selected.permissions {
            Check::Done(p) => *p,
            Check::Failed(p) => return Verdict::Blocked(p.clone()),
            Check::NotStarted | Check::Checking => return Verdict::Checking,
        };
        let arm_offer = |mut p: VaultProblem| {
            if self.path == WritePath::Arm || !perms.arm_write {
                p.remedies.retain(|r| *r != Remedy::UseArmPath);
            }
            p
        };
        let rbac = selected.info.done().is_none_or(|o| o.rbac);
        let mut notes = Vec::new();
        match self.path {
            WritePath::Arm if !perms.arm_write => {
                return Verdict::Blocked(problem::missing_arm_role(vault))
            }
            WritePath::DataPlane if rbac && !perms.data_write => {
                let mut p = problem::missing_data_role(vault);
                p.remedies.push(Remedy::UseArmPath);
                return Verdict::Blocked(arm_offer(p));
            }
            WritePath::DataPlane if !rbac => notes.push(format!(
                "{vault} uses access policies, which can't be checked from here: Key Vault decides \
                 when the secret is stored."
            )),
            _ => {}
        }
        let name = &self.name.text;
        let mut replace = None;
        match &self.name.status {
            Check::NotStarted | Check::Checking => return Verdict::Checking,
            Check::Failed(p) => return Verdict::Blocked(arm_offer(p.clone())),
            Check::Done(NameStatus::Deleted { .. }) => {
                return Verdict::Blocked(problem::deleted_name(vault, name))
            }
            Check::Done(NameStatus::Exists {
                other_app: Some(other),
                ..
            }) => {
                if self.replace_consented(other) {
                    notes.push(format!(
                        "\"{name}\" in {vault} holds the secret of {}; you chose to replace it: \
                         a new version will be added, and that app will read it.",
                        other.describe()
                    ));
                } else {
                    replace = Some(Ask::Replace {
                        vault: vault.clone(),
                        name: name.clone(),
                        other: other.clone(),
                    });
                }
            }
            Check::Done(NameStatus::Exists { .. }) => notes.push(format!(
                "A secret named \"{name}\" already exists in {vault}: a new version will be added \
                 (the current one stays until you disable it)."
            )),
            Check::Done(NameStatus::Free) => {
                notes.push(format!("\"{name}\" is a new secret in {vault}."));
                if self.path == WritePath::Arm {
                    notes.push(
                        "Azure Resource Manager can't see deleted secrets: if a deleted secret \
                         still holds this name, storing will be refused and we'll explain, with \
                         your value kept."
                            .into(),
                    );
                }
            }
        }
        notes.insert(
            0,
            format!(
                "You can store secrets in {vault} through {}.",
                self.path.label()
            ),
        );
        let mut asks = Vec::new();
        if self.awaiting_vault_confirmation() {
            asks.push(Ask::LinkVault {
                vault: vault.clone(),
            });
        }
        asks.extend(replace);
        if asks.is_empty() {
            Verdict::Ready { notes }
        } else {
            Verdict::Confirm { asks, notes }
        }
    }

    /// Has the user agreed to replace `other`'s secret under the current vault and name?
    fn replace_consented(&self, other: &OtherApp) -> bool {
        let Some(s) = &self.selected else {
            return false;
        };
        self.replace_consent.as_ref().is_some_and(|c| {
            c.vault_id.eq_ignore_ascii_case(&s.vault.id)
                && c.name.eq_ignore_ascii_case(&self.name.text)
                && c.other == *other
        })
    }

    /// "Replace it": the user agrees to store over the other app's secret the name holds now.
    pub(in crate::vault) fn consent_to_replace(&mut self) -> Vec<VaultEffect> {
        if matches!(self.push, Push::Stored(_)) || self.push.in_progress() {
            return Vec::new();
        }
        let (
            Some(s),
            Check::Done(NameStatus::Exists {
                other_app: Some(other),
                ..
            }),
        ) = (&self.selected, &self.name.status)
        else {
            return Vec::new();
        };
        self.replace_consent = Some(ReplaceConsent {
            vault_id: s.vault.id.clone(),
            name: self.name.text.clone(),
            other: other.clone(),
        });
        Vec::new()
    }

    /// Why Create must wait, if it must.
    pub fn create_blocker(&self) -> Option<String> {
        match self.verdict() {
            Verdict::NotChosen | Verdict::Ready { .. } => None,
            Verdict::Checking => Some("Checking the vault… one moment.".into()),
            Verdict::Confirm { asks, .. } => {
                let what: Vec<String> = asks.iter().map(Ask::instruction).collect();
                let another = if asks.iter().any(|a| matches!(a, Ask::Replace { .. })) {
                    "another name or vault"
                } else {
                    "another vault"
                };
                Some(format!(
                    "{} Or choose {another}, or \"Don't store it; I'll copy the value myself\".",
                    what.join(" ")
                ))
            }
            Verdict::Blocked(_) => Some(
                "Fix the Key Vault problem above, or choose \"Don't store it; I'll copy the value\"."
                    .into(),
            ),
        }
    }
}

/// The other app an existing secret's tags name, if any (this app's, or no app tags: `None`).
fn other_app(tags: &Tags, app: &ForApp) -> Option<OtherApp> {
    match tagged_for(tags, &app.client_id, &app.object_id) {
        TaggedFor::OtherApp(o) => Some(o),
        TaggedFor::ThisApp | TaggedFor::Unknown => None,
    }
}

fn arm_name(outcome: Outcome, vault: &str, name: &str, app: &ForApp) -> Check<NameStatus> {
    let res = match outcome {
        Ok(r) => r,
        Err(f) => return Check::Failed(problem::from_failure(&f, "Azure Resource Manager")),
    };
    match arm::parse_secret(&res) {
        Ok(s) => Check::Done(NameStatus::Exists {
            expires: s.expires,
            other_app: other_app(&s.tags, app),
        }),
        Err(arm::ArmError::ResourceNotFound(_)) => Check::Done(NameStatus::Free),
        Err(e) => Check::Failed(problem::from_arm(&e, vault, name)),
    }
}

/// A data-plane answer; no answer at all is the browser's CORS refusal (or a lost network).
fn data_plane<T>(
    outcome: Outcome,
    vault: &str,
    name: &str,
    parse: impl FnOnce(crate::net::HttpResponse) -> Result<T, keyvault::KeyVaultError>,
) -> Result<T, VaultProblem> {
    match outcome {
        Ok(r) => parse(r).map_err(|e| problem::from_keyvault(&e, vault, name)),
        Err(Failure::Network) => Err(problem::unreachable_data_plane()),
        Err(f) => Err(problem::from_failure(&f, "Key Vault")),
    }
}
