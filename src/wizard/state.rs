//! The wizard as one pure reducer: no browser types, no I/O, natively tested.
//!
//! [`Wizard::update`] takes a [`Msg`] (a user action or a service result) and the current time,
//! changes the state, and returns [`Effect`]s as data: HTTP requests built with `graph::…`,
//! timers, the sign-out. The thin hook in `wizard::hook` executes them and feeds each result back
//! as a message, so a native test can drive a whole flow with canned `HttpResponse`s.
//!
//! Steps: Choose app → Review credentials → Describe → Creating → Show once → Done, plus
//! Recovery when addPassword's response was lost. The secret value exists only inside
//! [`ShowOnceState`]; leaving that step (Finish, back, sign-out, unmount) drops it.

use std::collections::HashMap;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, Utc};

use super::app::AppContext;
use super::create::{Attempt, DescribeState, ShowOnceState};
use super::recovery::RecoveryState;
use super::search::SearchState;
use crate::graph::{PasswordCredential, User};
use crate::net::HttpRequest;

pub use super::effects::{Call, Effect, Failure, Fingerprint, Outcome};
pub use super::msg::{Leave, Msg, WizardConfig};
pub use super::problem::Problem;

/// The current time in the user's time zone (calendar days and "10:42" are counted in it).
pub type Now = DateTime<FixedOffset>;

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

/// After Finish: what was created, without its value.
#[derive(Clone, Debug, PartialEq)]
pub struct DoneState {
    pub credential: PasswordCredential,
    /// Duplicates of the new secret (from a browser resend) still on the app.
    pub leftover_duplicates: Vec<PasswordCredential>,
    /// Where the secret was stored in Key Vault, if it was.
    pub stored: Option<crate::vault::StoredRef>,
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
    pub config: WizardConfig,
    pub me: Option<User>,
    pub me_problem: Option<Problem>,
    /// The directory role template IDs of the sign-in's ID token (`wids`), empty when it has
    /// none (`Msg::TokenRoles`).
    pub token_roles: Vec<String>,
    /// The user's role assignments, as far as read (`wizard::roles`).
    pub roles: super::roles::RoleLookup,
    pub search: SearchState,
    /// The chosen app, from Review on.
    pub app: Option<AppContext>,
    pub step: Step,
    /// A leave the user must confirm (the value is neither copied nor stored).
    pub leave_pending: Option<Leave>,
    /// A request the executor will retry, and the seconds it waits first ("Microsoft Graph is
    /// busy; retrying in N s…").
    pub retrying: Option<(Call, u64)>,
    /// The last prepared run (kept: its vault and secret name are for the Key Vault step).
    pub prepared: Option<super::prepared::Prepared>,
    pub(super) prepare_pending: bool,
    pub(super) seq: u64,
    pub(super) latest: HashMap<Call, u64>,
    pub(super) tokens: u64,
    /// Keys the copied value's fingerprint (`Effect::ClipboardHolds`).
    pub(super) salt: u64,
    /// The Key Vault step: vault, name, pre-flight and push (no value: see `vault_step`).
    pub vault: crate::vault::VaultState,
    pub(super) vault_in_describe: bool,
    /// The Graph permissions the tenant granted, once known (`Msg::GraphPermissions`).
    pub graph_permissions: Option<Vec<String>>,
}

impl Wizard {
    /// `salt` keys the clipboard fingerprint: pass something random per page load.
    pub fn new(config: WizardConfig, salt: u64) -> Self {
        Self {
            config,
            me: None,
            me_problem: None,
            token_roles: Vec::new(),
            roles: Default::default(),
            search: SearchState::default(),
            app: None,
            step: Step::Choose,
            leave_pending: None,
            retrying: None,
            prepared: None,
            prepare_pending: false,
            seq: 0,
            latest: HashMap::new(),
            tokens: 0,
            salt,
            vault: crate::vault::VaultState::disabled(),
            vault_in_describe: false,
            graph_permissions: None,
        }
    }

    /// Applies one message; returns the work to do.
    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        let mut effects = self.apply(msg, now);
        effects.extend(self.sync_vault(now));
        // Once who is signed in and the granted permissions are known (`wizard::roles`).
        effects.extend(self.start_role_lookup());
        effects
    }

    fn apply(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Start => self.start(),
            Msg::Response { call, seq, outcome } => {
                if self.latest.get(&call) != Some(&seq) {
                    return Vec::new(); // superseded or unknown: ignore
                }
                self.latest.remove(&call);
                if self.retrying.is_some_and(|(c, _)| c == call) {
                    self.retrying = None;
                }
                let mut effects = self.on_response(call, outcome, now);
                effects.extend(self.advance_prepared(now));
                effects
            }
            Msg::Retrying { call, seq, secs } => {
                if self.latest.get(&call) == Some(&seq) {
                    self.retrying = Some((call, secs));
                }
                Vec::new()
            }
            Msg::SearchInput(text) => self.search_input(text),
            Msg::SearchDue(token) => self.search_due(token),
            Msg::ShowTab(tab) => self.show_tab(tab),
            Msg::MoreResults => self.more_results(),
            Msg::Pick(id) => self.pick(&id),
            Msg::Reload => self.reload_app(),
            Msg::StartDescribe => self.start_describe(now),
            Msg::DescriptionInput(text) => self.with_describe(|d| d.set_description(text)),
            Msg::Lifetime(choice) => self.with_describe(|d| d.set_choice(choice)),
            Msg::CustomDate(text) => self.with_describe(|d| d.set_custom_date(&text)),
            Msg::Create => self.create(now),
            Msg::Copied => self.copied(),
            Msg::CopyFailed => self.copy_failed(),
            Msg::RemoveOrphan => self.remove_orphan(),
            Msg::ConfirmRemove => self.confirm_remove(),
            Msg::CancelRemove => self.cancel_remove(),
            Msg::CheckAgain => self.check_again(),
            Msg::RemoveDuplicates => self.remove_duplicates(),
            Msg::CreateAnother => self.create_another(now),
            Msg::Leave(leave) => {
                if self.needs_leave_guard() {
                    self.leave_pending = Some(leave);
                    Vec::new()
                } else {
                    self.leave(leave)
                }
            }
            Msg::ConfirmLeave => match self.leave_pending.take() {
                // Creating can't be left: its response must land somewhere.
                Some(leave)
                    if !matches!(self.step, Step::Creating(_))
                        && !self.vault.push.in_progress() =>
                {
                    self.leave(leave)
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
            Msg::Prepare(p) => self.prepare(p),
            Msg::Vault(m) => self.vault_msg(m),
            Msg::TokenRoles(wids) => {
                self.token_roles = wids;
                Vec::new()
            }
            Msg::GraphPermissions(granted) => self.on_graph_permissions(granted, now),
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

    /// A new request: remembers it as the latest of its kind.
    pub(super) fn send(&mut self, call: Call, request: HttpRequest) -> Effect {
        self.seq += 1;
        self.latest.insert(call, self.seq);
        Effect::Send {
            call,
            seq: self.seq,
            request,
        }
    }

    /// Whether a request of this kind is in flight.
    pub fn is_pending(&self, call: Call) -> bool {
        self.latest.contains_key(&call)
    }

    pub(super) fn next_token(&mut self) -> u64 {
        self.tokens += 1;
        self.tokens
    }

    fn start(&mut self) -> Vec<Effect> {
        let base = self.config.graph_base.clone();
        let mut effects = vec![
            self.send(Call::Me, crate::graph::me(&base)),
            Effect::ReadGraphPermissions,
        ];
        effects.extend(self.run_search());
        effects
    }

    fn on_response(&mut self, call: Call, outcome: Outcome, now: Now) -> Vec<Effect> {
        match call {
            Call::Me => {
                match outcome
                    .map_err(Problem::from_failure)
                    .and_then(|r| crate::graph::parse_me(&r).map_err(|e| Problem::from_graph(&e)))
                {
                    Ok(me) => {
                        self.me = Some(me);
                        self.me_problem = None;
                    }
                    Err(p) => self.me_problem = Some(p),
                }
                self.refresh_default_description(now);
                Vec::new()
            }
            Call::Roles | Call::Groups | Call::GroupRoles => self.on_roles(call, outcome),
            Call::Search | Call::MoreResults | Call::MyApps => self.on_list(call, outcome),
            Call::App | Call::Owners => self.on_app(call, outcome),
            Call::AddPassword => self.on_add_password(outcome),
            Call::Recheck | Call::Remove => self.on_recovery(call, outcome),
            Call::Verify | Call::RemoveDuplicate => self.on_duplicates(call, outcome),
            Call::Vault(call) => self.vault_msg(crate::vault::VaultMsg::Response { call, outcome }),
            Call::DefaultPolicy | Call::AppPolicies => self.on_policy(call, outcome, now),
        }
    }

    fn leave(&mut self, leave: Leave) -> Vec<Effect> {
        match leave {
            Leave::BackToSearch => {
                self.step = Step::Choose;
                self.app = None;
                Vec::new()
            }
            Leave::BackToApp => {
                self.step = Step::Review;
                self.reload_app()
            }
            Leave::Finish => {
                let step = std::mem::replace(&mut self.step, Step::Choose);
                let mut effects = Vec::new();
                self.step = match step {
                    Step::ShowOnce(s) => {
                        // Done with the value: off the clipboard too (if it is still there).
                        if s.copied && self.config.clipboard_clear_secs > 0 {
                            effects.push(Effect::ClearClipboard);
                        }
                        let mut done = s.finish();
                        done.stored = self.vault.stored().cloned();
                        Step::Done(done)
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
                self.app = None;
                vec![Effect::Navigate(route)]
            }
        }
    }

    /// Back to a fresh wizard for nobody: drops the value, the user and every pending answer.
    fn reset(&mut self) {
        let config = self.config.clone();
        let (salt, seq, tokens) = (self.salt, self.seq, self.tokens);
        let vault = crate::vault::VaultState::new(self.vault.config.clone(), None);
        // The shell's account keeps them (it reports them again only when they change).
        let token_roles = std::mem::take(&mut self.token_roles);
        *self = Wizard::new(config, salt);
        self.vault = vault;
        self.token_roles = token_roles;
        self.seq = seq;
        self.tokens = tokens;
    }

    /// The signed-in user's UPN (or mail), for the default description.
    pub fn upn(&self) -> String {
        self.me
            .as_ref()
            .and_then(|m| m.user_principal_name.clone().or_else(|| m.mail.clone()))
            .unwrap_or_default()
    }

    /// Current time as UTC, whole seconds (what Graph stores).
    pub(super) fn utc_secs(now: Now) -> DateTime<Utc> {
        use chrono::Timelike;
        let t = now.with_timezone(&Utc);
        t.with_nanosecond(0).unwrap_or(t)
    }

    /// The secret shared with the Show-once component (only while on that step).
    pub fn secret(&self) -> Option<Rc<crate::domain::SecretValue>> {
        self.show_once().map(|s| s.secret.clone())
    }
}
