//! `VaultState::update`: routes each [`VaultMsg`] (and each answer) to its transition. The
//! small transitions with no flow of their own live here too: typing the secret name (and its
//! debounce timer) and switching to the ARM path.

use super::{Origin, VaultState, NAME_DEBOUNCE_MS};
use crate::domain::naming;
use crate::runtime::Outcome;
use crate::vault::msg::{VaultCall, VaultEffect, VaultMsg};
use crate::vault::preflight::Check;
use crate::vault::push::{Push, StoreContext};
use crate::vault::stored::WritePath;

impl VaultState {
    /// Applies one message. `ctx` carries the value and the credential; the wizard passes it
    /// only while the Show-once step holds them.
    pub fn update(&mut self, msg: VaultMsg, ctx: Option<&StoreContext<'_>>) -> Vec<VaultEffect> {
        if self.config.is_none() {
            return Vec::new();
        }
        match msg {
            VaultMsg::Reload => self.load(true),
            VaultMsg::Query(q) => {
                self.catalog.query = q;
                Vec::new()
            }
            VaultMsg::Select(id) => {
                if self.push_locked() {
                    return Vec::new();
                }
                self.select(&id, Origin::Chosen)
            }
            VaultMsg::ConfirmVault => self.confirm_vault(),
            VaultMsg::ConfirmReplace => self.consent_to_replace(),
            VaultMsg::DontStore => {
                if self.push_locked() {
                    return Vec::new();
                }
                self.selected = None;
                self.zero_reveal = false;
                self.name.status = Check::NotStarted;
                Vec::new()
            }
            VaultMsg::NameInput(text) => self.name_input(text),
            VaultMsg::ZeroReveal(on) => {
                self.zero_reveal = on && self.selected.is_some();
                Vec::new()
            }
            VaultMsg::UseArmPath => self.use_arm_path(),
            VaultMsg::Recheck => self.recheck(),
            VaultMsg::TimerDue(token) => self.timer_due(token, ctx),
            VaultMsg::Store => self.store(ctx),
            VaultMsg::RemoveCredential => {
                self.confirm_remove = self.push.failed().is_some();
                Vec::new()
            }
            VaultMsg::CancelRemove => {
                self.confirm_remove = false;
                Vec::new()
            }
            VaultMsg::ConfirmRemove => self.confirm_remove(ctx),
            VaultMsg::Response { call, outcome } => self.on_response(call, outcome, ctx),
        }
    }

    fn on_response(
        &mut self,
        call: VaultCall,
        outcome: Outcome,
        ctx: Option<&StoreContext<'_>>,
    ) -> Vec<VaultEffect> {
        match call {
            VaultCall::Subscriptions => self.on_subscriptions(outcome),
            VaultCall::Vaults(i) => self.on_vaults(i, outcome),
            VaultCall::Vault => self.on_vault_info(outcome),
            VaultCall::Permissions => self.on_permissions(outcome),
            VaultCall::NameExists | VaultCall::NameDeleted => self.on_name(call, outcome),
            VaultCall::Push => self.on_push(outcome, ctx),
            VaultCall::Check => self.on_check(outcome, ctx),
            VaultCall::RemoveCredential => self.on_removed(outcome),
        }
    }

    fn name_input(&mut self, text: String) -> Vec<VaultEffect> {
        if matches!(
            self.push,
            Push::Sending { .. } | Push::Waiting { .. } | Push::Checking { .. } | Push::Stored(_)
        ) {
            return Vec::new();
        }
        self.name.text = text;
        self.name.edited = true;
        self.name.error = naming::validate_secret_name(&self.name.text)
            .err()
            .map(|e| e.user_message());
        if self.name.error.is_some() || self.selected.is_none() {
            self.name.status = Check::NotStarted;
            self.name_token = None;
            return Vec::new();
        }
        self.name.status = Check::Checking;
        let token = self.next_token();
        self.name_token = Some(token);
        vec![VaultEffect::Timer {
            token,
            millis: NAME_DEBOUNCE_MS,
        }]
    }

    fn timer_due(&mut self, token: u64, ctx: Option<&StoreContext<'_>>) -> Vec<VaultEffect> {
        if self.name_token == Some(token) {
            self.name_token = None;
            return self.start_name_check();
        }
        self.retry_due(token, ctx)
    }

    fn use_arm_path(&mut self) -> Vec<VaultEffect> {
        if self.path == WritePath::Arm || self.push_locked() {
            return Vec::new();
        }
        self.path = WritePath::Arm;
        if let Push::Failed { .. } = self.push {
            self.push = Push::Idle;
        }
        self.start_name_check()
    }
}
