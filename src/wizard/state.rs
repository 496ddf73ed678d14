//! The wizard as one pure reducer that routes between its steps: no browser types, no I/O,
//! natively tested.
//!
//! [`Wizard::update`] takes a [`Msg`] (a user action or a service answer) and the current
//! time, and returns [`Effect`]s as data: HTTP requests (numbered by `runtime::Requests`, so a
//! stale answer is dropped here), timers, the sign-out. The hook (`wizard::hook`, on
//! `crate::runtime`) executes them and feeds each result back as a message, so a native test
//! can drive a whole flow with canned `HttpResponse`s.
//!
//! Each step is its own reducer with its own state, messages and effects: Choose
//! (`wizard::choose`), Review (`wizard::review`, the chosen app, kept until the user goes back
//! to Choose), Describe (`wizard::describe`), Creating (`wizard::creating`), Show once
//! (`wizard::show_once`), Recovery (`wizard::recovery`, when addPassword's answer was lost), Done
//! (`wizard::done`), and the Key Vault step (`wizard::vault_step`, around `crate::vault`). So are the parts no one
//! step owns: who is signed in (`wizard::user`), the prepared run (`wizard::prepared`) and
//! leaving (`wizard::leaving`). This module routes messages and answers to them; its `effects`
//! turns their effects into the wizard's and moves between steps ([`Step`]). The secret value exists only
//! inside `ShowOnceState`; leaving that step (Finish, back, sign-out, unmount) drops it, and it
//! is lent to the Key Vault step for one update at a time (`vault_step::Lend`).

use std::rc::Rc;

use super::choose::ChooseState;
use super::leaving::{self, Leaving};
use super::msg::Msg;
use super::prepared::{At, Prepared, PreparedRun};
use super::review::{Grants, ReviewState};
use super::shared::{Call, Effect, Leave, WizardConfig};
use super::show_once::ShowOnceState;
use super::step::Step;
use super::user::SignedIn;
use super::vault_step::VaultStep;
use crate::domain::access::Access;
use crate::runtime::{Now, Requests};
use crate::vault::{VaultMsg, VaultState};

mod certificate;
mod effects;
mod federated;

/// The whole wizard.
#[derive(Debug)]
pub struct Wizard {
    config: WizardConfig,
    user: SignedIn,
    /// The Choose step; kept when the user goes on, so "Back to search" finds it as left.
    choose: ChooseState,
    /// The chosen app (the Review step's state), from Review on.
    review: Option<ReviewState>,
    step: Step,
    leaving: Leaving,
    /// A request the executor will retry, and the seconds it waits first ("Microsoft Graph is
    /// busy; retrying in N s…").
    retrying: Option<(Call, u64)>,
    prepared: PreparedRun,
    requests: Requests<Call>,
    /// Keys the copied value's fingerprint (`Effect::ClipboardHolds`).
    salt: u64,
    vault: VaultStep,
}

impl Wizard {
    /// `salt` keys the clipboard fingerprint: pass something random per page load. Without
    /// [`Wizard::with_vault`] there is no Key Vault step.
    pub fn new(config: WizardConfig, salt: u64) -> Self {
        Self {
            choose: ChooseState::new(&config.graph_base),
            config,
            user: SignedIn::default(),
            review: None,
            step: Step::Choose,
            leaving: Leaving::default(),
            retrying: None,
            prepared: PreparedRun::default(),
            requests: Requests::new(),
            salt,
            vault: VaultStep::new(VaultState::disabled()),
        }
    }

    /// With the Key Vault step in this state.
    pub fn with_vault(mut self, vault: VaultState) -> Self {
        self.vault = VaultStep::new(vault);
        self
    }

    pub fn config(&self) -> &WizardConfig {
        &self.config
    }

    pub fn step(&self) -> &Step {
        &self.step
    }

    /// The Choose step (kept while later steps run).
    pub fn choose(&self) -> &ChooseState {
        &self.choose
    }

    /// The chosen app, from Review on.
    pub fn review(&self) -> Option<&ReviewState> {
        self.review.as_ref()
    }

    /// The Key Vault step.
    pub fn vault(&self) -> &VaultState {
        self.vault.state()
    }

    /// Who is signed in: the user, their roles, the granted permissions.
    pub fn user(&self) -> &SignedIn {
        &self.user
    }

    /// A leave waiting for the user's confirmation.
    pub fn leave_pending(&self) -> Option<&Leave> {
        self.leaving.pending()
    }

    /// True while leaving would lose something (`leaving::at_risk`). The hook arms
    /// `beforeunload` while this holds.
    pub fn needs_leave_guard(&self) -> bool {
        leaving::at_risk(&self.step, self.vault.state())
    }

    /// A request the executor will retry, and the seconds it waits first.
    pub fn retrying(&self) -> Option<(Call, u64)> {
        self.retrying
    }

    /// The last prepared run.
    pub fn prepared(&self) -> Option<&Prepared> {
        self.prepared.last()
    }

    /// Is the app on screen the one the prepared run opened, with that run not over?
    pub fn in_prepared_run(&self) -> bool {
        self.prepared.is_on(&self.step, self.app_id())
    }

    /// The prepared run's note, while that run lasts.
    pub fn prepared_note(&self) -> Option<&str> {
        self.prepared.note(&self.step, self.app_id())
    }

    /// The Show-once step's state, when the value is on screen.
    pub fn show_once(&self) -> Option<&ShowOnceState> {
        self.step.show_once()
    }

    /// The secret shared with the Show-once component (only while on that step).
    pub fn secret(&self) -> Option<Rc<crate::domain::SecretValue>> {
        self.show_once().map(|s| s.secret().clone())
    }

    /// Whether a request of this kind is in flight.
    pub fn is_pending(&self, call: Call) -> bool {
        self.requests.is_pending(call)
    }

    /// The access verdict for the chosen app (`ReviewState::access`).
    pub fn access(&self) -> Access {
        self.review
            .as_ref()
            .map_or(Access::Checking, |r| r.access(&self.user.viewer()))
    }

    /// Whether Create can be offered: allowed, not at the cap, and not blocked by the
    /// organisation's policy (when that is known).
    pub fn can_create(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.can_create(&self.access()))
    }

    /// Applies one message; returns the work to do.
    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        let mut effects = self.apply(msg, now);
        let app = self.review.as_ref().map(ReviewState::app);
        let today = now.date_naive();
        let synced = self.vault.sync(&self.step, app, &self.prepared, today);
        effects.extend(self.vault_effects(synced));
        // A certificate's default vault name, also when Describe is entered again.
        effects.extend(self.sync_certificate_name());
        // Once who is signed in and the granted permissions are known (`wizard::roles`).
        let next = self.user.next(&self.config.graph_base);
        effects.extend(self.send_next(next));
        effects
    }

    fn apply(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Start => {
                let me = crate::graph::me(&self.config.graph_base);
                let mut effects = vec![self.send(Call::Me, me), Effect::ReadGraphPermissions];
                let search = self.choose.search();
                effects.extend(self.choose_effects(search, now));
                effects
            }
            Msg::Response { call, seq, outcome } => {
                if !self.requests.accept(call, seq) {
                    return Vec::new(); // superseded or unknown: ignore
                }
                if self.retrying.is_some_and(|(c, _)| c == call) {
                    self.retrying = None;
                }
                let mut effects = self.on_response(call, outcome, now);
                if self.prepared.is_pending() {
                    let at = match self.step {
                        Step::Choose => At::Choose(&self.choose),
                        Step::Review => self.on_review(),
                        _ => At::Elsewhere,
                    };
                    let effect = self.prepared.advance(at);
                    effects.extend(self.prepared_effect(effect, now));
                }
                effects
            }
            Msg::Retrying { call, seq, secs } => {
                if self.requests.is_latest(call, seq) {
                    self.retrying = Some((call, secs));
                }
                Vec::new()
            }
            Msg::Choose(msg) => {
                let effects = self.choose.update(msg);
                self.choose_effects(effects, now)
            }
            Msg::Review(msg) => {
                let grants = Grants {
                    policies: self.user.may_read_policies(),
                    history: self.user.may_read_history(),
                };
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let effects = review.update(msg, grants);
                self.review_effects(effects, now)
            }
            Msg::RemoveSecret(msg) => {
                let review = self.review.as_mut();
                let Some(review) = review.filter(|_| matches!(self.step, Step::Review)) else {
                    return Vec::new();
                };
                let effects = review.remove_secret(msg, &now);
                self.review_effects(effects, now)
            }
            Msg::Describe(msg) => self.describe_msg(msg, now),
            Msg::ShowOnce(msg) => match &mut self.step {
                Step::ShowOnce(s) => {
                    let effects = s.update(msg);
                    self.show_once_effects(effects)
                }
                _ => Vec::new(),
            },
            Msg::Recovery(msg) => match &mut self.step {
                Step::Recovery(r) => {
                    let effects = r.update(msg);
                    self.recovery_effects(effects, now)
                }
                _ => Vec::new(),
            },
            Msg::Leave(leave) => match self.leaving.ask(leave, self.needs_leave_guard()) {
                Some(leave) => self.leave(leave, now),
                None => Vec::new(),
            },
            Msg::ConfirmLeave => match self.leaving.confirm(&self.step, self.vault.state()) {
                Some(leave) => self.leave(leave, now),
                None => Vec::new(),
            },
            Msg::CancelLeave => {
                self.leaving.cancel();
                Vec::new()
            }
            Msg::SignedOut => {
                self.reset();
                Vec::new()
            }
            Msg::Prepare(p) => {
                let effect = self.prepared.start(p, &self.step);
                self.prepared_effect(effect, now)
            }
            Msg::Vault(m) => self.vault_msg(m),
            Msg::Certificate(m) => self.certificate_msg(m),
            Msg::Done(m) => self.done_msg(m),
            Msg::Federated(m) => self.federated_msg(m, now),
            Msg::TokenRoles(wids) => {
                self.user.set_token_roles(wids);
                Vec::new()
            }
            Msg::GraphPermissions(granted) => {
                self.user.set_granted(granted);
                // Read the policy of an app already open.
                let may_read = self.user.may_read_policies();
                let effects = match self.review.as_mut() {
                    Some(review) => review.read_policy(may_read),
                    None => Vec::new(),
                };
                let effects = self.review_effects(effects, now);
                self.sync_describe_policy(now);
                effects
            }
        }
    }

    fn on_response(
        &mut self,
        call: Call,
        outcome: crate::runtime::Outcome,
        now: Now,
    ) -> Vec<Effect> {
        match call {
            Call::Me => {
                self.user.answer_me(outcome);
                // A newly known user name replaces a default description the user hasn't touched.
                let (upn, taken) = (self.user.upn(), self.taken_descriptions());
                if let Step::Describe(d) = &mut self.step {
                    d.refresh_default(&upn, now, &taken);
                }
                Vec::new()
            }
            Call::Roles | Call::Groups | Call::GroupRoles => {
                let next = self
                    .user
                    .answer_roles(&self.config.graph_base, call, outcome);
                self.send_next(next)
            }
            Call::Search | Call::MoreResults | Call::MyApps => {
                self.choose.answer(call, outcome);
                Vec::new()
            }
            Call::App | Call::Owners | Call::DefaultPolicy | Call::AppPolicies | Call::History => {
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                review.answer(call, outcome);
                if matches!(call, Call::DefaultPolicy | Call::AppPolicies) {
                    self.sync_describe_policy(now);
                }
                Vec::new()
            }
            Call::AddPassword => self.on_add_password(outcome, now),
            Call::RemoveSecret => match self.review.as_mut() {
                Some(review) => {
                    let effects = review.remove_answer(outcome);
                    self.review_effects(effects, now)
                }
                None => Vec::new(),
            },
            Call::Recheck | Call::Remove => {
                let owners = self.review.as_ref().map(ReviewState::owner_labels);
                match &mut self.step {
                    Step::Recovery(r) => {
                        let effects = r.answer(call, outcome, &owners.unwrap_or_default());
                        self.recovery_effects(effects, now)
                    }
                    _ => Vec::new(),
                }
            }
            Call::Verify | Call::RemoveDuplicate => match &mut self.step {
                Step::ShowOnce(s) => {
                    let effects = s.answer(call, outcome);
                    self.show_once_effects(effects)
                }
                _ => Vec::new(),
            },
            Call::Vault(call) => self.vault_msg(VaultMsg::Response { call, outcome }),
            Call::Certificate(call) => self.certificate_answer(call, outcome),
            Call::Done(call) => self.done_msg(super::done::DoneMsg::Response { call, outcome }),
            Call::Federated(call) => self.federated_answer(call, outcome),
        }
    }
}

/// The browser shell runs the wizard on the one feature runtime (`runtime::use_feature`).
impl crate::runtime::Feature for Wizard {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        Wizard::update(self, msg, now)
    }

    /// Who is signed in, what was granted, and the first page of apps.
    fn start(&mut self, now: Now) -> Vec<Effect> {
        Wizard::update(self, Msg::Start, now)
    }
}
