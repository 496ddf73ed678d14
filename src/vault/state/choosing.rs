//! Choosing the vault: when Describe opens (prepared, remembered or config's default vault,
//! and the secret name's default), when the user picks one or confirms a hand-off link's
//! vault, and when the checks run again. Choosing only reads: nothing is written before Store.

use chrono::NaiveDate;

use super::{ForApp, NameField, Origin, PreparedVault, Selected, VaultState};
use crate::config::VaultRef;
use crate::domain::naming;
use crate::vault::msg::{VaultCall, VaultEffect};
use crate::vault::preflight::Check;
use crate::vault::push::Push;
use crate::vault::settings::VaultConfig;

impl VaultState {
    /// Describe opens for an app: default the name from the template (unless typed), choose
    /// the initial vault (prepared, remembered, config default) and start listing. A vault from
    /// a hand-off link that config.json does not vet is pre-selected awaiting confirmation.
    pub fn enter_describe(
        &mut self,
        app: &ForApp,
        today: NaiveDate,
        prepared_vault: Option<PreparedVault<'_>>,
        handoff_name: Option<&str>,
    ) -> Vec<VaultEffect> {
        let Some(config) = self.config.clone() else {
            return Vec::new();
        };
        self.app = app.clone();
        let (app_display_name, app_id) = (app.display_name.as_str(), app.client_id.as_str());
        self.push = Push::Idle;
        self.target = None;
        self.confirm_remove = false;
        self.remove_problem = None;
        if let Some(name) = handoff_name.filter(|_| !self.name.edited) {
            self.name = NameField {
                text: name.to_string(),
                edited: true,
                ..NameField::default()
            };
        } else if !self.name.edited || self.name.text.is_empty() {
            self.name = NameField {
                // Key Vault names ignore case; lower case reads best in references.
                text: naming::secret_name_from_template(
                    &config.settings.secret_name_template,
                    app_display_name,
                    app_id,
                    today,
                )
                .to_ascii_lowercase(),
                ..NameField::default()
            };
        }
        self.name.error = naming::validate_secret_name(&self.name.text)
            .err()
            .map(|e| e.user_message());
        let mut effects = self.load(false);
        let initial = match &self.selected {
            Some(s) => Some((s.vault.clone(), s.origin)),
            None => self.initial_choice(&config, prepared_vault),
        };
        match initial {
            Some((v, origin)) => effects.extend(self.select(&v.id, origin)),
            None => self.name.status = Check::NotStarted,
        }
        effects
    }

    /// The vault to pre-select, and whether it waits for the user's confirmation.
    fn initial_choice(
        &self,
        config: &VaultConfig,
        prepared: Option<PreparedVault<'_>>,
    ) -> Option<(VaultRef, Origin)> {
        let remembered = self.remembered.as_deref();
        let chosen = |v: VaultRef| (v, Origin::Chosen);
        match prepared {
            Some(PreparedVault::Link(id)) => {
                let Some(v) = VaultRef::parse(id).filter(|v| config.settings.allows(v)) else {
                    // Not usable here: as if the link named no vault.
                    return config.initial_vault(None, remembered).map(chosen);
                };
                let settings = &config.settings;
                let vetted = (!settings.allowed.is_empty() && settings.allows(&v))
                    || settings.default.as_ref().is_some_and(|d| d.same_as(&v));
                let origin = if vetted {
                    Origin::Chosen
                } else {
                    Origin::Link { confirmed: false }
                };
                Some((v, origin))
            }
            Some(PreparedVault::Trusted(id)) => {
                config.initial_vault(Some(id), remembered).map(chosen)
            }
            None => config.initial_vault(None, remembered).map(chosen),
        }
    }

    /// "Use this vault": the user confirms the vault a hand-off link named. Only now is it
    /// remembered for the session.
    pub(super) fn confirm_vault(&mut self) -> Vec<VaultEffect> {
        if self.push_locked() || !self.awaiting_vault_confirmation() {
            return Vec::new();
        }
        let Some(s) = self.selected.as_mut() else {
            return Vec::new();
        };
        s.origin = Origin::Link { confirmed: true };
        self.remembered = Some(s.vault.id.clone());
        vec![VaultEffect::Remember(s.vault.id.clone())]
    }

    /// Chooses a vault: remembers it (unless it awaits confirmation), and checks the caller's
    /// rights and the name there (reads only: nothing is written before the user's Store).
    pub(in crate::vault) fn select(&mut self, id: &str, origin: Origin) -> Vec<VaultEffect> {
        let Some(config) = self.config.clone() else {
            return Vec::new();
        };
        let Some(vault) = VaultRef::parse(id).filter(|v| config.settings.allows(v)) else {
            return Vec::new();
        };
        let info = match self.catalog.find(&vault.id) {
            Some(o) => Check::Done(o.clone()),
            None => Check::Checking,
        };
        let awaiting = origin == Origin::Link { confirmed: false };
        let mut effects = Vec::new();
        if !awaiting {
            effects.push(VaultEffect::Remember(vault.id.clone()));
            self.remembered = Some(vault.id.clone());
        }
        if info == Check::Checking {
            effects.push(VaultEffect::send(
                VaultCall::Vault,
                crate::arm::get_vault(&config.arm_base, &vault.id),
            ));
        }
        effects.push(VaultEffect::send(
            VaultCall::Permissions,
            crate::arm::vault_permissions(&config.arm_base, &vault.id),
        ));
        self.selected = Some(Selected {
            vault,
            info,
            permissions: Check::Checking,
            origin,
        });
        effects.extend(self.start_name_check());
        effects
    }

    pub(super) fn recheck(&mut self) -> Vec<VaultEffect> {
        // Checking again keeps where the vault came from (a link's stays unconfirmed).
        match self
            .selected
            .as_ref()
            .map(|s| (s.vault.id.clone(), s.origin))
        {
            Some((id, origin)) if !self.push_locked() => self.select(&id, origin),
            _ => Vec::new(),
        }
    }
}
