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
//! leaving (`wizard::leaving`). This module routes messages and answers to them, turns their
//! effects into the wizard's, and moves between steps ([`Step`]). The secret value exists only
//! inside `ShowOnceState`; leaving that step (Finish, back, sign-out, unmount) drops it, and it
//! is lent to the Key Vault step for one update at a time (`vault_step::Lend`).

use std::rc::Rc;

use super::choose::{ChooseEffect, ChooseMsg, ChooseState};
use super::creating::{self, Landing};
use super::describe::{DescribeEffect, DescribeMsg, DescribeState};
use super::leaving::{self, Leaving};
use super::msg::Msg;
use super::prepared::{At, Prepared, PreparedEffect, PreparedRun};
use super::recovery::RecoveryEffect;
use super::review::{ReviewEffect, ReviewMsg, ReviewState};
use super::roles::Next;
use super::shared::{Call, Effect, Leave, WizardConfig};
use super::show_once::{ShowOnceEffect, ShowOnceSetup, ShowOnceState};
use super::step::Step;
use super::user::SignedIn;
use super::vault_step::{Lend, VaultStep};
use crate::domain::access::Access;
use crate::net::HttpRequest;
use crate::runtime::{Now, Requests};
use crate::vault::{VaultEffect, VaultMsg, VaultState};

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
                let may_read = self.user.may_read_policies();
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let effects = review.update(msg, may_read);
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
            Call::App | Call::Owners | Call::DefaultPolicy | Call::AppPolicies => {
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
        }
    }

    /// Creating → Show once, Recovery or back to Describe (`wizard::creating`).
    fn on_add_password(&mut self, outcome: crate::runtime::Outcome, now: Now) -> Vec<Effect> {
        let attempt = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::Creating(attempt) => attempt,
            other => {
                // Only awaited while Creating, which can't be left; keep whatever is there.
                self.step = other;
                return Vec::new();
            }
        };
        let setup = ShowOnceSetup {
            graph_base: self.config.graph_base.clone(),
            app_object_id: self.app_object_id(),
            salt: self.salt,
            clipboard_clear_secs: self.config.clipboard_clear_secs,
        };
        match creating::land(attempt, outcome, self.review.as_mut(), setup) {
            Landing::ShowOnce(show, verify) => {
                self.step = Step::ShowOnce(show);
                let mut effects = self.show_once_effects(verify);
                if self.vault.zero_reveal() {
                    effects.extend(self.vault_msg(VaultMsg::Store));
                }
                effects
            }
            Landing::Recovery(recovery, recheck) => {
                self.step = Step::Recovery(recovery);
                self.recovery_effects(recheck, now)
            }
            Landing::Describe(form) => {
                self.step = Step::Describe(*form);
                Vec::new()
            }
        }
    }

    fn leave(&mut self, leave: Leave, now: Now) -> Vec<Effect> {
        match leave {
            Leave::BackToSearch => {
                self.step = Step::Choose;
                self.review = None;
                Vec::new()
            }
            Leave::BackToApp => {
                self.step = Step::Review;
                let may_read = self.user.may_read_policies();
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let effects = review.update(ReviewMsg::Reload, may_read);
                self.review_effects(effects, now)
            }
            Leave::Finish => {
                // Done with the value: off the clipboard too (if it is still there).
                let copied = self.show_once().is_some_and(ShowOnceState::is_copied);
                let stored = self.vault.state().stored().cloned();
                self.finish(stored);
                let mut effects = Vec::new();
                if copied && self.config.clipboard_clear_secs > 0 {
                    effects.push(Effect::ClearClipboard);
                }
                effects
            }
            Leave::SignOut => {
                self.reset();
                vec![Effect::SignOut]
            }
            Leave::Navigate(route) => {
                self.step = Step::Choose;
                self.review = None;
                vec![Effect::Navigate(route)]
            }
        }
    }

    /// Show once → Done, dropping the value.
    fn finish(&mut self, stored: Option<crate::vault::StoredRef>) {
        self.step = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::ShowOnce(s) => Step::Done(s.finish(stored)),
            other => other,
        };
    }

    /// Back to a fresh wizard for nobody: drops the value, the user and every pending answer
    /// (the numbering goes on, so those answers stay stale).
    fn reset(&mut self) {
        let mut requests = std::mem::take(&mut self.requests);
        requests.forget_all();
        let mut choose = std::mem::take(&mut self.choose);
        choose.reset();
        let user = self.user.signed_out();
        let vault = self.vault.signed_out();
        *self = Wizard::new(self.config.clone(), self.salt);
        (self.requests, self.choose, self.user, self.vault) = (requests, choose, user, vault);
    }
}

/// Each step's and part's effects, turned into the wizard's; the moves between steps.
impl Wizard {
    /// A new request: remembers it as the latest of its kind.
    fn send(&mut self, call: Call, request: HttpRequest) -> Effect {
        let out = self.requests.send(call, request);
        Effect::Send {
            call: out.call,
            seq: out.seq,
            request: out.request,
        }
    }

    fn send_next(&mut self, next: Next) -> Vec<Effect> {
        next.map(|(call, request)| self.send(call, request))
            .into_iter()
            .collect()
    }

    /// The chosen app's client ID.
    fn app_id(&self) -> Option<&str> {
        self.review.as_ref().map(|r| r.app().app_id.as_str())
    }

    /// The chosen app's object ID ("" before one is chosen).
    fn app_object_id(&self) -> String {
        self.review
            .as_ref()
            .map_or_else(String::new, |r| r.app().id.clone())
    }

    /// The descriptions the chosen app's secrets have.
    fn taken_descriptions(&self) -> Vec<String> {
        self.review
            .as_ref()
            .map(ReviewState::taken_descriptions)
            .unwrap_or_default()
    }

    /// What the prepared run needs to know on Review.
    fn on_review(&self) -> At<'static> {
        At::Review {
            loading: self.review.as_ref().is_none_or(ReviewState::is_loading),
            access: self.access(),
            can_create: self.can_create(),
        }
    }

    fn prepared_effect(&mut self, effect: Option<PreparedEffect>, now: Now) -> Vec<Effect> {
        match effect {
            Some(PreparedEffect::Search(client_id)) => {
                let search = self.choose.search_for(&client_id);
                self.choose_effects(search, now)
            }
            Some(PreparedEffect::Pick(id)) => {
                let effects = self.choose.update(ChooseMsg::Pick(id));
                self.choose_effects(effects, now)
            }
            Some(PreparedEffect::Describe(choice)) => {
                let mut effects = self.start_describe(now);
                if let Some(choice) = choice {
                    effects.extend(self.describe_msg(DescribeMsg::Lifetime(choice), now));
                }
                effects
            }
            None => Vec::new(),
        }
    }

    fn choose_effects(&mut self, effects: Vec<ChooseEffect>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ChooseEffect::Send(call, request) => out.push(self.send(call, request)),
                ChooseEffect::Debounce { token, millis } => {
                    out.push(Effect::Debounce { token, millis })
                }
                // Opens the app on its Review page (only from Choose).
                ChooseEffect::Open(app) if matches!(self.step, Step::Choose) => {
                    let mut review = ReviewState::new(&self.config.graph_base, app);
                    let reload = review.update(ReviewMsg::Reload, self.user.may_read_policies());
                    self.review = Some(review);
                    self.step = Step::Review;
                    out.extend(self.review_effects(reload, now));
                }
                ChooseEffect::Open(_) => {}
            }
        }
        out
    }

    fn review_effects(&mut self, effects: Vec<ReviewEffect>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ReviewEffect::Send(call, request) => out.push(self.send(call, request)),
                ReviewEffect::StartDescribe => out.extend(self.start_describe(now)),
            }
        }
        out
    }

    fn start_describe(&mut self, now: Now) -> Vec<Effect> {
        if !matches!(self.step, Step::Review) || !self.can_create() {
            return Vec::new();
        }
        let (upn, taken) = (self.user.upn(), self.taken_descriptions());
        self.step = Step::Describe(DescribeState::new(&self.config, &upn, now, &taken));
        self.sync_describe_policy(now);
        Vec::new()
    }

    fn describe_msg(&mut self, msg: DescribeMsg, now: Now) -> Vec<Effect> {
        if msg == DescribeMsg::Create && self.vault.state().create_blocker().is_some() {
            return Vec::new(); // Describe says why (pre-flight)
        }
        let (Step::Describe(form), Some(review)) = (&mut self.step, self.review.as_ref()) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for effect in form.update(msg, &self.config, review.app(), now) {
            match effect {
                DescribeEffect::Create(attempt, request) => {
                    self.step = Step::Creating(attempt);
                    out.push(self.send(Call::AddPassword, request));
                }
            }
        }
        out
    }

    /// Copies the app's policy knowledge into the Describe form, when it is on screen.
    fn sync_describe_policy(&mut self, now: Now) {
        let (Step::Describe(d), Some(review)) = (&mut self.step, self.review.as_ref()) else {
            return;
        };
        let created = review.app().created_date_time;
        d.sync_policy(review.policy(), created, &self.config, now);
    }

    fn show_once_effects(&mut self, effects: Vec<ShowOnceEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ShowOnceEffect::Send(call, request) => out.push(self.send(call, request)),
                ShowOnceEffect::ClipboardHolds(f) => out.push(Effect::ClipboardHolds(f)),
                ShowOnceEffect::AppRead(app) => self.app_read(app),
                ShowOnceEffect::Removed(key_id) => self.credential_removed(&key_id),
            }
        }
        out
    }

    fn recovery_effects(&mut self, effects: Vec<RecoveryEffect>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                RecoveryEffect::Send(call, request) => out.push(self.send(call, request)),
                RecoveryEffect::AppRead(app) => self.app_read(app),
                RecoveryEffect::Removed(key_id) => self.credential_removed(&key_id),
                // Back to the form, with a fresh default description unless the user wrote
                // their own.
                RecoveryEffect::CreateAnother => {
                    let (upn, taken) = (self.user.upn(), self.taken_descriptions());
                    self.step = match std::mem::replace(&mut self.step, Step::Choose) {
                        Step::Recovery(r) => Step::Describe(r.into_form(&upn, now, taken)),
                        other => other,
                    };
                }
            }
        }
        out
    }

    fn app_read(&mut self, app: crate::graph::Application) {
        if let Some(review) = self.review.as_mut() {
            review.replace_app(app);
        }
    }

    fn credential_removed(&mut self, key_id: &str) {
        if let Some(review) = self.review.as_mut() {
            review.credential_removed(key_id);
        }
    }

    /// Applies a vault message, lending the value when the Show-once step holds it.
    fn vault_msg(&mut self, msg: VaultMsg) -> Vec<Effect> {
        let upn = self.user.upn();
        let lend = match (&self.step, &self.review) {
            (Step::ShowOnce(show), Some(review)) => Some(Lend {
                show,
                app: review.app(),
                upn: &upn,
            }),
            _ => None,
        };
        let effects = self.vault.update(msg, lend);
        self.vault_effects(effects)
    }

    fn vault_effects(&mut self, effects: Vec<VaultEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                VaultEffect::Send { call, request } => {
                    out.push(self.send(Call::Vault(call), request))
                }
                VaultEffect::Remember(id) => out.push(Effect::RememberVault(id)),
                VaultEffect::Timer { token, millis } => {
                    out.push(Effect::VaultTimer { token, millis })
                }
                // Stored: Show once stays (the value may still be copied) until Finish, which
                // takes the references along. Zero-reveal never shows it, so it ends here.
                VaultEffect::Stored(_) if !self.vault.zero_reveal() => {}
                VaultEffect::Stored(stored) => {
                    self.finish(Some(stored));
                    self.leaving.cancel();
                }
                // Given up deliberately: drop the value, back to the form.
                VaultEffect::CredentialRemoved { key_id } => {
                    self.step = match std::mem::replace(&mut self.step, Step::Choose) {
                        Step::ShowOnce(s) => Step::Describe(s.into_form()),
                        other => other,
                    };
                    self.credential_removed(&key_id);
                    let app = self.review.as_ref().map(|r| r.app().display_name.as_str());
                    self.vault.gave_up(&key_id, app.unwrap_or_default());
                }
            }
        }
        out
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
