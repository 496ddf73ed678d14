//! The glue between the wizard and the Key Vault step (`crate::vault`): messages go to the
//! vault state, its effects come back as the wizard's, and the secret value is lent to it
//! only while the Show-once step holds it, for one update at a time.
//!
//! The value's whole path: addPassword → `ShowOnceState::secret` → `StoreContext` (a borrow)
//! → `arm::put_secret` / `keyvault::set_secret` (zeroising body) → the executor. Once stored,
//! leaving is safe; Finish (or, in zero-reveal mode, the store itself) drops the value and Done
//! shows the references.

use super::state::{Effect, Now, Step, Wizard};
use crate::vault::{ForApp, PreparedVault, StoreContext, VaultEffect, VaultMsg};

impl Wizard {
    /// Applies a vault message, lending the value when the Show-once step holds it.
    pub(super) fn vault_msg(&mut self, msg: VaultMsg) -> Vec<Effect> {
        let upn = self.upn();
        let effects = match (&self.step, &self.app) {
            (Step::ShowOnce(s), Some(app)) => {
                let ctx = StoreContext {
                    secret: &s.secret,
                    credential: &s.credential,
                    app_display_name: &app.app.display_name,
                    client_id: &app.app.app_id,
                    app_object_id: &app.app.id,
                    created_by: &upn,
                };
                self.vault.update(msg, Some(&ctx))
            }
            _ => self.vault.update(msg, None),
        };
        effects
            .into_iter()
            .flat_map(|e| self.vault_effect(e))
            .collect()
    }

    fn vault_effect(&mut self, effect: VaultEffect) -> Vec<Effect> {
        match effect {
            VaultEffect::Send { call, request } => {
                vec![self.send(super::state::Call::Vault(call), request)]
            }
            VaultEffect::Remember(id) => vec![Effect::RememberVault(id)],
            VaultEffect::Timer { token, millis } => vec![Effect::VaultTimer { token, millis }],
            // Stored: Show once stays (the value may still be copied) until Finish, which
            // takes the references along. Zero-reveal never shows it, so it ends here.
            VaultEffect::Stored(_) if !self.vault.zero_reveal => Vec::new(),
            VaultEffect::Stored(stored) => {
                let step = std::mem::replace(&mut self.step, Step::Choose);
                self.step = match step {
                    Step::ShowOnce(s) => {
                        let mut done = s.finish();
                        done.stored = Some(stored);
                        Step::Done(done)
                    }
                    other => other,
                };
                self.leave_pending = None;
                Vec::new()
            }
            VaultEffect::CredentialRemoved { key_id } => {
                // Given up deliberately: drop the value, back to the form.
                let step = std::mem::replace(&mut self.step, Step::Choose);
                self.step = match step {
                    Step::ShowOnce(s) => Step::Describe(s.attempt.describe.clone()),
                    other => other,
                };
                if let Some(ctx) = self.app.as_mut() {
                    ctx.app.password_credentials.retain(|c| c.key_id != key_id);
                }
                let app = self
                    .app
                    .as_ref()
                    .map_or_else(String::new, |a| a.app.display_name.clone());
                self.vault.notice = Some(format!(
                    "The new secret (Secret ID {key_id}) was removed from {app}, and its value \
                     discarded; nothing was stored. You can create another."
                ));
                Vec::new()
            }
        }
    }

    /// Entering Describe (from Review, a hand-off, a refusal or recovery) sets up the vault
    /// section: the default name, the initial vault and its pre-flight checks.
    pub(super) fn sync_vault(&mut self, now: Now) -> Vec<Effect> {
        let in_describe = matches!(self.step, Step::Describe(_));
        if !in_describe {
            self.vault_in_describe = false;
            if !matches!(self.step, Step::Creating(_) | Step::ShowOnce(_)) {
                self.vault.notice = None;
            }
            return Vec::new();
        }
        if self.vault_in_describe {
            return Vec::new();
        }
        self.vault_in_describe = true;
        let Some(app) = self.app.as_ref().map(|a| a.app.clone()) else {
            return Vec::new();
        };
        // A hand-off link's (or the rotation guide's) vault and name, when it was for this app.
        let handoff = self
            .prepared
            .as_ref()
            .filter(|p| p.app_id.eq_ignore_ascii_case(&app.app_id));
        let vault = handoff.and_then(|p| {
            let id = p.vault_id.as_deref()?;
            Some(if p.vault_from_link {
                PreparedVault::Link(id)
            } else {
                PreparedVault::Trusted(id)
            })
        });
        let for_app = ForApp {
            display_name: app.display_name.clone(),
            client_id: app.app_id.clone(),
            object_id: app.id.clone(),
        };
        let effects = self.vault.enter_describe(
            &for_app,
            now.date_naive(),
            vault,
            handoff.and_then(|p| p.secret_name.as_deref()),
        );
        effects
            .into_iter()
            .flat_map(|e| self.vault_effect(e))
            .collect()
    }
}
