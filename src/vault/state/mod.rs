//! The Key Vault step's own pure state: messages in, effects out (as data), no I/O.
//!
//! It lives beside the wizard's steps: the vault and secret name are chosen on Describe (with
//! the pre-flight result inline), the push runs from Show once (or right after Create in
//! zero-reveal mode), and the result is shown on Done. The wizard forwards [`VaultMsg`]s here,
//! runs the [`VaultEffect`]s, and hands in a [`StoreContext`] (which borrows the secret value
//! from the Show-once state) only where a request must carry the value.

use chrono::NaiveDate;

use crate::config::VaultRef;
use crate::domain::naming;
use crate::runtime::{Outcome, Tokens};

pub use super::msg::{VaultCall, VaultEffect, VaultMsg};

use super::catalog::{Catalog, VaultOption};
use super::preflight::{Check, NameStatus, Permissions};
use super::problem::VaultProblem;
use super::push::{Push, PushTarget, StoreContext};
use super::settings::VaultConfig;
use super::stored::{StoredRef, WritePath};

mod checking;
mod listing;
mod storing;

/// The chosen vault and what is known about the caller's rights there.
#[derive(Clone, Debug, PartialEq)]
pub struct Selected {
    pub vault: VaultRef,
    pub info: Check<VaultOption>,
    pub permissions: Check<Permissions>,
    pub origin: Origin,
}

/// Where the chosen vault came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// Chosen by the user, vetted by the site (`vault.default`, `vault.allowed`), remembered
    /// from the user's own choice in this session, or named by the user's own data (the
    /// rotation guide's vault copy).
    Chosen,
    /// Named by a hand-off link and not vetted by the site's config. Anyone can write a link,
    /// so the vault is shown with its subscription and resource group, and nothing is created
    /// for it or stored in it (nor is it remembered) until the user confirms it.
    Link { confirmed: bool },
}

/// A vault the wizard was started with (`wizard::Prepared`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PreparedVault<'a> {
    /// From the user's own data (the rotation guide): pre-selected like a remembered vault.
    Trusted(&'a str),
    /// From a hand-off link: pre-selected, but it waits for the user's confirmation unless
    /// config.json vets it (`vault.allowed` lists it, or it is `vault.default`).
    Link(&'a str),
}

/// The app the secret is for, as the vault step needs it (names and tags are compared with it).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ForApp {
    pub display_name: String,
    /// The client ID (`appId`).
    pub client_id: String,
    /// The application object's ID.
    pub object_id: String,
}

/// What the page shows about a vault named by a hand-off link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkVault {
    pub name: String,
    pub subscription_id: String,
    /// The subscription's display name, once listed (`None`: not among the user's, or still
    /// loading).
    pub subscription_name: Option<String>,
    pub resource_group: String,
    pub location: Option<String>,
    /// The user said "Use this vault".
    pub confirmed: bool,
}

impl LinkVault {
    /// "Contoso Dev (c0de0001-…)", or the bare ID when its name is unknown.
    pub fn subscription(&self) -> String {
        match &self.subscription_name {
            Some(n) if !n.eq_ignore_ascii_case(&self.subscription_id) => {
                format!("{n} ({})", self.subscription_id)
            }
            _ => self.subscription_id.clone(),
        }
    }

    /// The warning shown beside the vault until it is confirmed.
    pub fn warning(&self, app: &str) -> String {
        let app = if app.is_empty() { "this app" } else { app };
        format!(
            "Anyone can write a hand-off link, and this site's settings don't list {}. Store \
             {app}'s secret here only if you know this vault is meant for it: whoever can read \
             the vault can read the secret.",
            self.name
        )
    }
}

/// The secret name field.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct NameField {
    pub text: String,
    /// Typed by the user (a new default won't replace it).
    pub edited: bool,
    pub error: Option<String>,
    pub status: Check<NameStatus>,
}

/// The vault step's whole state.
#[derive(Clone, Debug, PartialEq)]
pub struct VaultState {
    /// `None`: the app runs without the Key Vault step.
    pub config: Option<VaultConfig>,
    pub remembered: Option<String>,
    pub catalog: Catalog,
    pub selected: Option<Selected>,
    pub name: NameField,
    /// The path in use: config's mode, until the user switches to ARM.
    pub path: WritePath,
    /// Store without ever showing the value.
    pub zero_reveal: bool,
    pub push: Push,
    /// What is being pushed (frozen at the Store click).
    pub target: Option<PushTarget>,
    /// The removal of the credential awaits the user's confirmation.
    pub confirm_remove: bool,
    pub remove_problem: Option<VaultProblem>,
    /// A calm note for the Describe step (e.g. "the credential was removed").
    pub notice: Option<String>,
    /// The app the secret is for (set when Describe opens).
    pub app: ForApp,
    /// The user agreed to store over another app's secret (this vault, name and holder only).
    pub replace_consent: Option<super::preflight::ReplaceConsent>,
    pub(super) tokens: Tokens,
    pub(super) name_token: Option<u64>,
    /// The data-plane name check's reading of the name's versions (every page).
    pub(super) versions: crate::keyvault::VersionScan,
}

/// How long typing must pause before the name is checked.
pub const NAME_DEBOUNCE_MS: u64 = 400;

impl VaultState {
    /// `remembered`: the vault ID from sessionStorage, if any.
    pub fn new(config: Option<VaultConfig>, remembered: Option<String>) -> Self {
        let path = match config.as_ref().map(VaultConfig::mode) {
            Some(crate::config::VaultMode::DataPlane) => WritePath::DataPlane,
            _ => WritePath::Arm,
        };
        Self {
            config,
            remembered,
            catalog: Catalog::default(),
            selected: None,
            name: NameField::default(),
            path,
            zero_reveal: false,
            push: Push::Idle,
            target: None,
            confirm_remove: false,
            remove_problem: None,
            notice: None,
            app: ForApp::default(),
            replace_consent: None,
            tokens: Tokens::default(),
            name_token: None,
            versions: Default::default(),
        }
    }

    /// A state without a Key Vault step.
    pub fn disabled() -> Self {
        Self::new(None, None)
    }

    pub fn enabled(&self) -> bool {
        self.config.is_some()
    }

    pub(super) fn next_token(&mut self) -> u64 {
        self.tokens.fresh()
    }

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

    /// True while the chosen vault came from a hand-off link and the user has not confirmed it.
    pub fn awaiting_vault_confirmation(&self) -> bool {
        self.selected
            .as_ref()
            .is_some_and(|s| s.origin == Origin::Link { confirmed: false })
    }

    /// The chosen vault's details when a hand-off link named it (and the site did not vet it).
    pub fn link_vault(&self) -> Option<LinkVault> {
        let s = self.selected.as_ref()?;
        let Origin::Link { confirmed } = s.origin else {
            return None;
        };
        let listed = self
            .catalog
            .subscriptions
            .iter()
            .find(|x| {
                x.subscription_id
                    .eq_ignore_ascii_case(&s.vault.subscription_id)
            })
            .map(|x| x.display_name.clone());
        Some(LinkVault {
            name: s.vault.name.clone(),
            subscription_id: s.vault.subscription_id.clone(),
            subscription_name: listed,
            resource_group: s.vault.resource_group.clone(),
            location: s
                .info
                .done()
                .map(|o| o.location.clone())
                .filter(|l| !l.is_empty()),
            confirmed,
        })
    }

    /// "Use this vault": the user confirms the vault a hand-off link named. Only now is it
    /// remembered for the session.
    fn confirm_vault(&mut self) -> Vec<VaultEffect> {
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

    /// While a push is under way or done, the target can't change.
    fn push_locked(&self) -> bool {
        matches!(
            self.push,
            Push::Sending { .. } | Push::Waiting { .. } | Push::Checking { .. } | Push::Stored(_)
        )
    }

    /// Chooses a vault: remembers it (unless it awaits confirmation), and checks the caller's
    /// rights and the name there (reads only: nothing is written before the user's Store).
    pub(super) fn select(&mut self, id: &str, origin: Origin) -> Vec<VaultEffect> {
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

    fn recheck(&mut self) -> Vec<VaultEffect> {
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

    /// Where the data plane is reached for the selected vault (gateway or vault URI).
    pub(super) fn data_plane_base(&self) -> Option<String> {
        let config = self.config.as_ref()?;
        let uri = match &self.selected.as_ref()?.info {
            Check::Done(o) => o.vault_uri.clone(),
            _ => None,
        };
        config.data_plane_base(&self.selected.as_ref()?.vault.name, uri.as_deref())
    }

    /// The selected vault's name, for messages.
    pub fn vault_name(&self) -> String {
        self.selected
            .as_ref()
            .map_or_else(|| "the vault".to_string(), |s| s.vault.name.clone())
    }

    /// Whether the Show-once step may render the value field at all: always, except in
    /// zero-reveal mode, where only a failed store offers it (so nothing is lost).
    pub fn may_show_value(&self) -> bool {
        !self.zero_reveal || self.push.failed().is_some()
    }

    /// The stored result, once the push succeeded.
    pub fn stored(&self) -> Option<&StoredRef> {
        match &self.push {
            Push::Stored(s) => Some(s),
            _ => None,
        }
    }
}
