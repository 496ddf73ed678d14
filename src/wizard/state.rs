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
//! to Choose), Describe and Creating (`wizard::describe`), Show once (`wizard::show_once`),
//! Recovery (`wizard::recovery`, when addPassword's answer was lost), Done (`wizard::done`), and
//! the Key Vault step (`crate::vault`). This module routes messages and answers to them, turns
//! their effects into the wizard's, and moves between steps; it also holds what no one step
//! owns: who is signed in (and their roles, `wizard::roles`), leaving, the prepared run
//! (`wizard::prepared`) and the Key Vault step's glue. The secret value exists only inside
//! [`ShowOnceState`]; leaving that step (Finish, back, sign-out, unmount) drops it, and it is
//! lent to the Key Vault step for one update at a time (see [`Wizard::vault_msg`]).

use std::rc::Rc;

use super::choose::{ChooseEffect, ChooseMsg, ChooseState};
use super::describe::{AddAnswer, Attempt, DescribeEffect, DescribeMsg, DescribeState};
use super::done::DoneState;
use super::msg::Msg;
use super::prepared::Prepared;
use super::recovery::{RecoveryEffect, RecoveryState};
use super::review::{ReviewEffect, ReviewMsg, ReviewState, Viewer};
use super::roles::{self, RoleLookup};
use super::shared::{Call, Effect, Leave, WizardConfig};
use super::show_once::{ShowOnceEffect, ShowOnceSetup, ShowOnceState};
use crate::domain::access::{Access, RoleKnowledge};
use crate::graph::User;
use crate::net::HttpRequest;
use crate::runtime::{Now, Problem, Requests};
use crate::vault::{ForApp, PreparedVault, StoreContext, VaultEffect, VaultMsg, VaultState};

/// The wizard's steps. Only [`ShowOnceState`] holds a secret value.
#[derive(Debug)]
pub enum Step {
    Choose,
    Review,
    Describe(DescribeState),
    Creating(Attempt),
    ShowOnce(Box<ShowOnceState>),
    Recovery(Box<RecoveryState>),
    Done(DoneState),
}

/// The stepper's labels, in order.
pub const STEP_LABELS: [&str; 6] = [
    "Choose app",
    "Review credentials",
    "Describe",
    "Creating",
    "Show once",
    "Done",
];

impl Step {
    /// Position in [`STEP_LABELS`] (Recovery sits where Creating does).
    pub fn index(&self) -> usize {
        match self {
            Step::Choose => 0,
            Step::Review => 1,
            Step::Describe(_) => 2,
            Step::Creating(_) | Step::Recovery(_) => 3,
            Step::ShowOnce(_) => 4,
            Step::Done(_) => 5,
        }
    }
}

/// The whole wizard.
#[derive(Debug)]
pub struct Wizard {
    config: WizardConfig,
    me: Option<User>,
    me_problem: Option<Problem>,
    /// The directory role template IDs of the sign-in's ID token (`wids`), empty when it has
    /// none (`Msg::TokenRoles`).
    token_roles: Vec<String>,
    /// The user's role assignments, as far as read (`wizard::roles`).
    roles: RoleLookup,
    /// The Graph permissions the tenant granted, once known (`Msg::GraphPermissions`).
    graph_permissions: Option<Vec<String>>,
    /// The Choose step; kept when the user goes on, so "Back to search" finds it as left.
    choose: ChooseState,
    /// The chosen app (the Review step's state), from Review on.
    review: Option<ReviewState>,
    step: Step,
    /// A leave the user must confirm (the value is neither copied nor stored).
    leave_pending: Option<Leave>,
    /// A request the executor will retry, and the seconds it waits first ("Microsoft Graph is
    /// busy; retrying in N s…").
    retrying: Option<(Call, u64)>,
    /// The last prepared run (kept: its vault and secret name are for the Key Vault step).
    prepared: Option<Prepared>,
    prepare_pending: bool,
    requests: Requests<Call>,
    /// Keys the copied value's fingerprint (`Effect::ClipboardHolds`).
    salt: u64,
    /// The Key Vault step: vault, name, pre-flight and push (no value: see `vault_msg`).
    vault: VaultState,
    vault_in_describe: bool,
}

impl Wizard {
    /// `salt` keys the clipboard fingerprint: pass something random per page load. Without
    /// [`Wizard::with_vault`] there is no Key Vault step.
    pub fn new(config: WizardConfig, salt: u64) -> Self {
        Self {
            choose: ChooseState::new(&config.graph_base),
            config,
            me: None,
            me_problem: None,
            token_roles: Vec::new(),
            roles: RoleLookup::default(),
            graph_permissions: None,
            review: None,
            step: Step::Choose,
            leave_pending: None,
            retrying: None,
            prepared: None,
            prepare_pending: false,
            requests: Requests::new(),
            salt,
            vault: VaultState::disabled(),
            vault_in_describe: false,
        }
    }

    /// With the Key Vault step in this state.
    pub fn with_vault(mut self, vault: VaultState) -> Self {
        self.vault = vault;
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
        &self.vault
    }

    /// The signed-in user, once `/me` answered.
    pub fn me(&self) -> Option<&User> {
        self.me.as_ref()
    }

    /// Why `/me` couldn't be read.
    pub fn me_problem(&self) -> Option<&Problem> {
        self.me_problem.as_ref()
    }

    /// The sign-in's `wids`.
    pub fn token_roles(&self) -> &[String] {
        &self.token_roles
    }

    /// The user's role assignments, as far as read.
    pub fn roles(&self) -> &RoleKnowledge {
        self.roles.knowledge()
    }

    /// A leave waiting for the user's confirmation.
    pub fn leave_pending(&self) -> Option<&Leave> {
        self.leave_pending.as_ref()
    }

    /// A request the executor will retry, and the seconds it waits first.
    pub fn retrying(&self) -> Option<(Call, u64)> {
        self.retrying
    }

    /// The last prepared run.
    pub fn prepared(&self) -> Option<&Prepared> {
        self.prepared.as_ref()
    }

    /// Applies one message; returns the work to do.
    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        let mut effects = self.apply(msg, now);
        effects.extend(self.sync_vault(now));
        // Once who is signed in and the granted permissions are known (`wizard::roles`).
        let me = self.me.as_ref().map(|m| m.id.as_str());
        let next = self.roles.start(
            &self.config.graph_base,
            me,
            self.graph_permissions.as_deref(),
        );
        effects.extend(self.send_next(next));
        effects
    }

    fn apply(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Start => self.start(now),
            Msg::Response { call, seq, outcome } => {
                if !self.requests.accept(call, seq) {
                    return Vec::new(); // superseded or unknown: ignore
                }
                if self.retrying.is_some_and(|(c, _)| c == call) {
                    self.retrying = None;
                }
                let mut effects = self.on_response(call, outcome, now);
                effects.extend(self.advance_prepared(now));
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
                let may_read = self.may_read_policies();
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
            Msg::Leave(leave) => {
                if self.needs_leave_guard() {
                    self.leave_pending = Some(leave);
                    Vec::new()
                } else {
                    self.leave(leave, now)
                }
            }
            Msg::ConfirmLeave => match self.leave_pending.take() {
                // Creating can't be left: its response must land somewhere.
                Some(leave)
                    if !matches!(self.step, Step::Creating(_))
                        && !self.vault.push.in_progress() =>
                {
                    self.leave(leave, now)
                }
                _ => Vec::new(),
            },
            Msg::CancelLeave => {
                self.leave_pending = None;
                Vec::new()
            }
            Msg::SignedOut => {
                self.reset();
                Vec::new()
            }
            Msg::Prepare(p) => self.prepare(p, now),
            Msg::Vault(m) => self.vault_msg(m),
            Msg::TokenRoles(wids) => {
                self.token_roles = wids;
                Vec::new()
            }
            Msg::GraphPermissions(granted) => {
                self.graph_permissions = Some(granted);
                // Read the policy of an app already open.
                let may_read = self.may_read_policies();
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

    /// True while leaving would lose something: a secret being created, or a value shown but
    /// neither copied nor stored. The hook arms `beforeunload` while this holds.
    pub fn needs_leave_guard(&self) -> bool {
        match &self.step {
            Step::Creating(_) => true,
            Step::ShowOnce(s) => {
                !(s.is_safe_to_leave() || self.vault.stored().is_some())
                    || self.vault.push.in_progress()
            }
            _ => false,
        }
    }

    /// The Show-once step's state, when the value is on screen.
    pub fn show_once(&self) -> Option<&ShowOnceState> {
        match &self.step {
            Step::ShowOnce(s) => Some(s),
            _ => None,
        }
    }

    /// The secret shared with the Show-once component (only while on that step).
    pub fn secret(&self) -> Option<Rc<crate::domain::SecretValue>> {
        self.show_once().map(|s| s.secret().clone())
    }

    /// Whether a request of this kind is in flight.
    pub fn is_pending(&self, call: Call) -> bool {
        self.requests.is_pending(call)
    }

    /// The signed-in user's UPN (or mail), for the default description.
    pub fn upn(&self) -> String {
        self.me
            .as_ref()
            .and_then(|m| m.user_principal_name.clone().or_else(|| m.mail.clone()))
            .unwrap_or_default()
    }

    /// Whether the granted Graph permissions let the wizard read the policy.
    pub fn may_read_policies(&self) -> bool {
        self.graph_permissions
            .as_deref()
            .is_some_and(crate::graph::policy::may_read_policies)
    }

    /// The access verdict for the chosen app (`ReviewState::access`).
    pub fn access(&self) -> Access {
        let Some(review) = self.review.as_ref() else {
            return Access::Checking;
        };
        review.access(&Viewer {
            me: self.me.as_ref(),
            me_failed: self.me.is_none() && self.me_problem.is_some(),
            token_roles: &self.token_roles,
            roles: self.roles.knowledge(),
        })
    }

    /// Whether Create can be offered: allowed, not at the cap, and not blocked by the
    /// organisation's policy (when that is known).
    pub fn can_create(&self) -> bool {
        self.review
            .as_ref()
            .is_some_and(|r| r.can_create(&self.access()))
    }

    /// A new request: remembers it as the latest of its kind.
    fn send(&mut self, call: Call, request: HttpRequest) -> Effect {
        let out = self.requests.send(call, request);
        Effect::Send {
            call: out.call,
            seq: out.seq,
            request: out.request,
        }
    }

    fn send_next(&mut self, next: roles::Next) -> Vec<Effect> {
        next.map(|(call, request)| self.send(call, request))
            .into_iter()
            .collect()
    }

    fn start(&mut self, now: Now) -> Vec<Effect> {
        let me = crate::graph::me(&self.config.graph_base);
        let mut effects = vec![self.send(Call::Me, me), Effect::ReadGraphPermissions];
        let search = self.choose.search();
        effects.extend(self.choose_effects(search, now));
        effects
    }

    fn on_response(
        &mut self,
        call: Call,
        outcome: crate::runtime::Outcome,
        now: Now,
    ) -> Vec<Effect> {
        match call {
            Call::Me => {
                match Problem::graph(outcome, crate::graph::parse_me) {
                    Ok(me) => {
                        self.me = Some(me);
                        self.me_problem = None;
                    }
                    Err(p) => self.me_problem = Some(p),
                }
                self.refresh_default_description(now);
                Vec::new()
            }
            Call::Roles | Call::Groups | Call::GroupRoles => {
                let next = self.roles.answer(&self.config.graph_base, call, outcome);
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
                let owners = self.owner_labels();
                match &mut self.step {
                    Step::Recovery(r) => {
                        let effects = r.answer(call, outcome, &owners);
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

    fn owner_labels(&self) -> Vec<String> {
        self.review
            .as_ref()
            .map(ReviewState::owner_labels)
            .unwrap_or_default()
    }

    /// The chosen app's object ID ("" before one is chosen).
    fn app_object_id(&self) -> String {
        self.review
            .as_ref()
            .map_or_else(String::new, |r| r.app().id.clone())
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
                    let reload = review.update(ReviewMsg::Reload, self.may_read_policies());
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
        let upn = self.upn();
        let taken = self.taken_descriptions();
        self.step = Step::Describe(DescribeState::new(&self.config, &upn, now, &taken));
        self.sync_describe_policy(now);
        Vec::new()
    }

    fn describe_msg(&mut self, msg: DescribeMsg, now: Now) -> Vec<Effect> {
        if msg == DescribeMsg::Create && self.vault.create_blocker().is_some() {
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

    /// The descriptions the chosen app's secrets have.
    fn taken_descriptions(&self) -> Vec<String> {
        self.review
            .as_ref()
            .map(ReviewState::taken_descriptions)
            .unwrap_or_default()
    }

    /// A newly known user name replaces a default description the user hasn't touched.
    fn refresh_default_description(&mut self, now: Now) {
        let upn = self.upn();
        let taken = self.taken_descriptions();
        if let Step::Describe(d) = &mut self.step {
            d.refresh_default(&upn, now, &taken);
        }
    }

    /// Copies the app's policy knowledge into the Describe form, when it is on screen.
    fn sync_describe_policy(&mut self, now: Now) {
        let (Step::Describe(d), Some(review)) = (&mut self.step, self.review.as_ref()) else {
            return;
        };
        let created = review.app().created_date_time;
        d.sync_policy(review.policy(), created, &self.config, now);
    }

    fn on_add_password(&mut self, outcome: crate::runtime::Outcome, now: Now) -> Vec<Effect> {
        let attempt = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::Creating(attempt) => attempt,
            other => {
                // Only awaited while Creating, which can't be left; keep whatever is there.
                self.step = other;
                return Vec::new();
            }
        };
        match attempt.answer(outcome) {
            AddAnswer::Created(attempt, created) => {
                if let Some(review) = self.review.as_mut() {
                    review.credential_added(created.credential.clone());
                }
                let setup = ShowOnceSetup {
                    graph_base: self.config.graph_base.clone(),
                    app_object_id: self.app_object_id(),
                    salt: self.salt,
                    clipboard_clear_secs: self.config.clipboard_clear_secs,
                };
                let show = Box::new(ShowOnceState::new(setup, created, attempt));
                let verify = show.verify();
                self.step = Step::ShowOnce(show);
                let mut effects = self.show_once_effects(verify);
                if self.vault.zero_reveal {
                    effects.extend(self.vault_msg(VaultMsg::Store));
                }
                effects
            }
            // The answer is lost, not the request: never resend addPassword. Look first.
            AddAnswer::Lost(attempt, cause) => {
                let id = self.app_object_id();
                let mut recovery = Box::new(RecoveryState::checking(
                    &self.config.graph_base,
                    &id,
                    attempt,
                    cause,
                ));
                let recheck = recovery.recheck();
                self.step = Step::Recovery(recovery);
                self.recovery_effects(recheck, now)
            }
            AddAnswer::Rejected(attempt, e) => {
                let tried = attempt.days();
                let form = match self.review.as_mut() {
                    Some(review) => {
                        let owners = review.graph_refused(&e, tried);
                        attempt.refused(&e, &owners, Some(review.policy()))
                    }
                    None => attempt.refused(&e, &[], None),
                };
                self.step = Step::Describe(form);
                Vec::new()
            }
            AddAnswer::NotSent(form) => {
                self.step = Step::Describe(form);
                Vec::new()
            }
        }
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
                    let (upn, taken) = (self.upn(), self.taken_descriptions());
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

    fn leave(&mut self, leave: Leave, now: Now) -> Vec<Effect> {
        match leave {
            Leave::BackToSearch => {
                self.step = Step::Choose;
                self.review = None;
                Vec::new()
            }
            Leave::BackToApp => {
                self.step = Step::Review;
                let may_read = self.may_read_policies();
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let effects = review.update(ReviewMsg::Reload, may_read);
                self.review_effects(effects, now)
            }
            Leave::Finish => {
                let step = std::mem::replace(&mut self.step, Step::Choose);
                let mut effects = Vec::new();
                self.step = match step {
                    Step::ShowOnce(s) => {
                        // Done with the value: off the clipboard too (if it is still there).
                        if s.is_copied() && self.config.clipboard_clear_secs > 0 {
                            effects.push(Effect::ClearClipboard);
                        }
                        Step::Done(s.finish(self.vault.stored().cloned()))
                    }
                    other => other,
                };
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

    /// Back to a fresh wizard for nobody: drops the value, the user and every pending answer
    /// (the numbering goes on, so those answers stay stale).
    fn reset(&mut self) {
        let config = self.config.clone();
        let salt = self.salt;
        let mut requests = std::mem::take(&mut self.requests);
        requests.forget_all();
        let mut choose = std::mem::take(&mut self.choose);
        choose.reset();
        let vault = VaultState::new(self.vault.config.clone(), None);
        // The shell's account keeps them (it reports them again only when they change).
        let token_roles = std::mem::take(&mut self.token_roles);
        *self = Wizard::new(config, salt).with_vault(vault);
        self.token_roles = token_roles;
        self.requests = requests;
        self.choose = choose;
    }
}

/// The prepared run: a hand-off link or the overview opens an app (`wizard::prepared`).
impl Wizard {
    /// Starts a prepared run. Only from Choose: it never disturbs a step in progress.
    fn prepare(&mut self, p: Prepared, now: Now) -> Vec<Effect> {
        if !matches!(self.step, Step::Choose) {
            return Vec::new();
        }
        let search = self.choose.search_for(&p.app_id);
        self.prepared = Some(p);
        self.prepare_pending = true;
        self.choose_effects(search, now)
    }

    /// The prepared run's note, while that run lasts ([`Wizard::in_prepared_run`]).
    pub fn prepared_note(&self) -> Option<&str> {
        self.in_prepared_run()
            .then(|| self.prepared.as_ref()?.note.as_deref())
            .flatten()
    }

    /// Is the app on screen the one the prepared run opened, with that run not over (back to
    /// Choose, or Done)? The prepared run's note shows only then.
    pub fn in_prepared_run(&self) -> bool {
        let (Some(p), Some(review)) = (&self.prepared, &self.review) else {
            return false;
        };
        review.app().app_id.eq_ignore_ascii_case(&p.app_id)
            && !matches!(self.step, Step::Choose | Step::Done(_))
    }

    /// Moves a pending prepared run on after a response, as far as what is known allows.
    fn advance_prepared(&mut self, now: Now) -> Vec<Effect> {
        if !self.prepare_pending {
            return Vec::new();
        }
        let Some(p) = self.prepared.clone() else {
            return Vec::new();
        };
        match &self.step {
            Step::Choose => {
                let Some(found) = self.choose.found(&p.app_id) else {
                    return Vec::new(); // still searching
                };
                self.prepare_pending = found.is_some();
                match found {
                    Some(id) => {
                        let effects = self.choose.update(ChooseMsg::Pick(id));
                        self.choose_effects(effects, now)
                    }
                    None => Vec::new(),
                }
            }
            Step::Review => {
                let loading = self.review.as_ref().is_none_or(ReviewState::is_loading);
                if !p.describe {
                    self.prepare_pending = false;
                    return Vec::new();
                }
                if loading || self.access() == Access::Checking {
                    return Vec::new();
                }
                self.prepare_pending = false;
                // On only when known to be allowed: otherwise Review says what is known
                // ("probably not", unknown, the cap), and offers Create where Graph decides.
                if !self.access().is_known_allowed() || !self.can_create() {
                    return Vec::new();
                }
                let mut effects = self.start_describe(now);
                if let Some(choice) = p.choice {
                    effects.extend(self.describe_msg(DescribeMsg::Lifetime(choice), now));
                }
                effects
            }
            _ => {
                self.prepare_pending = false;
                Vec::new()
            }
        }
    }
}

/// The glue to the Key Vault step (`crate::vault`): messages go to the vault state, its effects
/// come back as the wizard's, and the secret value is lent to it only while the Show-once step
/// holds it, for one update at a time.
///
/// The value's whole path: addPassword → `ShowOnceState::secret` → `StoreContext` (a borrow)
/// → `arm::put_secret` / `keyvault::set_secret` (zeroising body) → the executor. Once stored,
/// leaving is safe; Finish (or, in zero-reveal mode, the store itself) drops the value and Done
/// shows the references.
impl Wizard {
    /// Applies a vault message, lending the value when the Show-once step holds it.
    fn vault_msg(&mut self, msg: VaultMsg) -> Vec<Effect> {
        let upn = self.upn();
        let effects = match (&self.step, &self.review) {
            (Step::ShowOnce(s), Some(review)) => {
                let app = review.app();
                let ctx = StoreContext {
                    secret: s.secret(),
                    credential: s.credential(),
                    app_display_name: &app.display_name,
                    client_id: &app.app_id,
                    app_object_id: &app.id,
                    created_by: &upn,
                };
                self.vault.update(msg, Some(&ctx))
            }
            _ => self.vault.update(msg, None),
        };
        let mut out = Vec::new();
        for effect in effects {
            out.extend(self.vault_effect(effect));
        }
        out
    }

    fn vault_effect(&mut self, effect: VaultEffect) -> Option<Effect> {
        match effect {
            VaultEffect::Send { call, request } => Some(self.send(Call::Vault(call), request)),
            VaultEffect::Remember(id) => Some(Effect::RememberVault(id)),
            VaultEffect::Timer { token, millis } => Some(Effect::VaultTimer { token, millis }),
            // Stored: Show once stays (the value may still be copied) until Finish, which
            // takes the references along. Zero-reveal never shows it, so it ends here.
            VaultEffect::Stored(_) if !self.vault.zero_reveal => None,
            VaultEffect::Stored(stored) => {
                let step = std::mem::replace(&mut self.step, Step::Choose);
                self.step = match step {
                    Step::ShowOnce(s) => Step::Done(s.finish(Some(stored))),
                    other => other,
                };
                self.leave_pending = None;
                None
            }
            VaultEffect::CredentialRemoved { key_id } => {
                // Given up deliberately: drop the value, back to the form.
                let step = std::mem::replace(&mut self.step, Step::Choose);
                self.step = match step {
                    Step::ShowOnce(s) => Step::Describe(s.into_form()),
                    other => other,
                };
                self.credential_removed(&key_id);
                let app = self
                    .review
                    .as_ref()
                    .map_or_else(String::new, |r| r.app().display_name.clone());
                self.vault.notice = Some(format!(
                    "The new secret (Secret ID {key_id}) was removed from {app}, and its value \
                     discarded; nothing was stored. You can create another."
                ));
                None
            }
        }
    }

    /// Entering Describe (from Review, a hand-off, a refusal or recovery) sets up the vault
    /// section: the default name, the initial vault and its pre-flight checks.
    fn sync_vault(&mut self, now: Now) -> Vec<Effect> {
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
        let Some(app) = self.review.as_ref().map(|r| r.app().clone()) else {
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
        let mut out = Vec::new();
        for effect in effects {
            out.extend(self.vault_effect(effect));
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
