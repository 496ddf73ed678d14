//! The Key Vault step inside the wizard ([`VaultStep`]): the vault state (`crate::vault`) and
//! what ties it to the wizard's steps. Entering Describe sets up the vault section (the default
//! name, the initial vault, a hand-off link's vault and name when the link was for this app);
//! vault messages go to the vault state, with the secret value lent to it only while the
//! Show-once step holds it, for one update at a time ([`Lend`]); its effects (`VaultEffect`)
//! go to the router (`wizard::state`), which sends the requests and moves the steps.
//!
//! The value's whole path: addPassword → `ShowOnceState::secret` → `StoreContext` (a borrow)
//! → `arm::put_secret` / `keyvault::set_secret` (zeroising body) → the executor. Once stored,
//! leaving is safe; Finish (or, in zero-reveal mode, the store itself) drops the value and Done
//! shows the references.
//!
//! When Describe said not to store it, Show once can still choose a vault ("Store in Key
//! Vault", `ShowOnceMsg::StoreInVault`): the same messages, pre-flight and push, except that
//! zero-reveal, a Describe choice, can't be turned on once the value is on screen.

use chrono::NaiveDate;

use super::prepared::PreparedRun;
use super::step::Step;
use crate::graph::Application;
use crate::vault::{ForApp, StoreContext, VaultEffect, VaultMsg, VaultState};

/// The Key Vault step: vault, name, pre-flight and push (no value: see [`Lend`]).
#[derive(Debug)]
pub struct VaultStep {
    state: VaultState,
    /// Describe was on screen at the last [`VaultStep::sync`].
    in_describe: bool,
}

/// The secret value and what goes with it, lent for one update while Show once holds it (or,
/// for a certificate, the PEM while `wizard::certificate` stores it).
pub struct Lend<'a> {
    pub secret: &'a crate::domain::SecretValue,
    pub credential: &'a crate::graph::PasswordCredential,
    /// A certificate's thumbprint: the value is its PEM (content type and tag).
    pub thumbprint: Option<&'a str>,
    /// The chosen app.
    pub app: &'a Application,
    /// The signed-in user's UPN.
    pub upn: &'a str,
}

impl VaultStep {
    pub fn new(state: VaultState) -> Self {
        Self {
            state,
            in_describe: false,
        }
    }

    pub fn state(&self) -> &VaultState {
        &self.state
    }

    /// The same settings for the next user, with nothing remembered.
    pub fn signed_out(&self) -> Self {
        Self::new(VaultState::new(self.state.config.clone(), None))
    }

    /// The value is never shown: it goes straight to the vault after Create.
    pub fn zero_reveal(&self) -> bool {
        self.state.zero_reveal
    }

    /// Applies a vault message, with the value when it is lent.
    pub fn update(&mut self, msg: VaultMsg, lend: Option<Lend<'_>>) -> Vec<VaultEffect> {
        match lend {
            // The value is on screen already: "without showing it" no longer applies.
            Some(_) if matches!(msg, VaultMsg::ZeroReveal(true)) => Vec::new(),
            Some(Lend {
                secret,
                credential,
                thumbprint,
                app,
                upn,
            }) => {
                let ctx = StoreContext {
                    secret,
                    credential,
                    certificate_thumbprint: thumbprint,
                    app_display_name: &app.display_name,
                    client_id: &app.app_id,
                    app_object_id: &app.id,
                    created_by: upn,
                };
                self.state.update(msg, Some(&ctx))
            }
            None => self.state.update(msg, None),
        }
    }

    /// After every message: entering Describe (from Review, a hand-off, a refusal or recovery)
    /// sets up the vault section for `app`, with the prepared run's vault and name when the run
    /// was for that app. The notice of a given-up secret lasts until the value's steps are left.
    pub fn sync(
        &mut self,
        step: &Step,
        app: Option<&Application>,
        prepared: &PreparedRun,
        today: NaiveDate,
    ) -> Vec<VaultEffect> {
        if !matches!(step, Step::Describe(_)) {
            self.in_describe = false;
            if !matches!(step, Step::Creating(_) | Step::ShowOnce(_)) {
                self.state.notice = None;
            }
            return Vec::new();
        }
        if self.in_describe {
            return Vec::new();
        }
        self.in_describe = true;
        let Some(app) = app else {
            return Vec::new();
        };
        // A hand-off link's (or the rotation guide's) vault and name, when it was for this app.
        let handoff = prepared.for_app(&app.app_id);
        let for_app = ForApp {
            display_name: app.display_name.clone(),
            client_id: app.app_id.clone(),
            object_id: app.id.clone(),
        };
        self.state.enter_describe(
            &for_app,
            today,
            handoff.and_then(|p| p.vault()),
            handoff.and_then(|p| p.secret_name.as_deref()),
        )
    }

    /// The name in the field is still the default (renamed for a certificate, not by the
    /// user): a later choice may rename it again.
    pub fn keep_name_default(&mut self) {
        self.state.name.edited = false;
    }

    /// Says what became of a certificate given up (its private key was never stored).
    pub fn gave_up_certificate(&mut self, thumbprint: &str, app: &str) {
        self.state.notice = Some(format!(
            "The new certificate (thumbprint {thumbprint}) was removed from {app}, and its \
             private key discarded; nothing was stored. You can create another."
        ));
    }

    /// Says what became of a secret given up (`VaultEffect::CredentialRemoved`) from `app`.
    pub fn gave_up(&mut self, key_id: &str, app: &str) {
        self.state.notice = Some(format!(
            "The new secret (Secret ID {key_id}) was removed from {app}, and its value \
             discarded; nothing was stored. You can create another."
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{VaultMode, VaultSettings};
    use crate::vault::{VaultCall, VaultConfig};
    use crate::wizard::describe::tests::{app, config, now};
    use crate::wizard::prepared::Prepared;
    use crate::wizard::DescribeState;

    const DEV: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";

    fn vault_step() -> VaultStep {
        let config = VaultConfig {
            arm_base: "https://arm.test".into(),
            graph_base: "https://graph.test".into(),
            tenant_id: "t".into(),
            settings: VaultSettings {
                default: None,
                allowed: Vec::new(),
                secret_name_template: "{app}-client-secret".into(),
                mode: VaultMode::Arm,
                gateway: None,
            },
            vault_hosts: crate::destinations::VaultHosts::new(".vault.test", None),
        };
        VaultStep::new(VaultState::new(Some(config), None))
    }

    fn describe() -> Step {
        Step::Describe(DescribeState::new(
            &config(),
            "dan@contoso.example",
            now(),
            &[],
        ))
    }

    fn today() -> NaiveDate {
        now().date_naive()
    }

    fn sends(effects: &[VaultEffect]) -> Vec<VaultCall> {
        effects
            .iter()
            .filter_map(|e| match e {
                VaultEffect::Send { call, .. } => Some(*call),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn entering_describe_sets_the_vault_section_up_once_and_leaving_ends_the_notice() {
        let mut v = vault_step();
        let none = PreparedRun::default();
        let effects = v.sync(&describe(), Some(&app()), &none, today());
        assert_eq!(sends(&effects), [VaultCall::Subscriptions]);
        assert_eq!(v.state().name.text, "payroll-api-client-secret");
        assert!(
            v.sync(&describe(), Some(&app()), &none, today()).is_empty(),
            "once"
        );
        v.gave_up("k-new", "Payroll API");
        assert!(v
            .sync(&Step::Review, Some(&app()), &none, today())
            .is_empty());
        assert_eq!(v.state().notice, None, "left the value's steps");
        v.gave_up("k-new", "Payroll API");
        let notice = v.state().notice.clone().unwrap();
        assert!(notice.contains("Secret ID k-new") && notice.contains("from Payroll API"));
        let showing = Step::ShowOnce(Box::new(crate::wizard::show_once::tests::shown(60)));
        v.sync(&showing, Some(&app()), &none, today());
        assert_eq!(
            v.state().notice.as_ref(),
            Some(&notice),
            "the value's steps keep it"
        );
        v.sync(&describe(), Some(&app()), &none, today());
        assert_eq!(
            v.state().notice,
            Some(notice),
            "back on the form, it still says so"
        );
        assert!(vault_step()
            .sync(&describe(), None, &none, today())
            .is_empty());
    }

    #[test]
    fn signing_out_keeps_the_settings_and_forgets_the_rest() {
        let mut v = vault_step();
        v.sync(&describe(), Some(&app()), &PreparedRun::default(), today());
        v.gave_up("k-new", "Payroll API");
        let fresh = v.signed_out();
        assert!(fresh.state().enabled() && !fresh.zero_reveal());
        assert!(fresh.state().notice.is_none() && fresh.state().name.text.is_empty());
    }

    #[test]
    fn a_hand_off_links_vault_and_name_apply_to_its_own_app_only() {
        let mut run = PreparedRun::default();
        run.start(
            Prepared {
                app_id: "APP-1".into(),
                choice: None,
                describe: true,
                vault_id: Some(DEV.into()),
                vault_from_link: true,
                secret_name: Some("from-the-link".into()),
                note: None,
            },
            &Step::Choose,
        );
        let mut v = vault_step();
        v.sync(&describe(), Some(&app()), &run, today());
        assert!(
            v.state().awaiting_vault_confirmation(),
            "a link's vault waits"
        );
        assert_eq!(v.state().name.text, "from-the-link");
        let mut other = vault_step();
        let mut elsewhere = app();
        elsewhere.app_id = "app-2".into();
        other.sync(&describe(), Some(&elsewhere), &run, today());
        assert!(!other.state().awaiting_vault_confirmation());
        assert_eq!(other.state().name.text, "payroll-api-client-secret");
    }
}
