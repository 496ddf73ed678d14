//! The rotation page as one pure reducer: messages in (user actions, service answers), effects
//! out as data (requests, "remember this", "open the wizard"). No browser types, no I/O.

use super::crosscheck::{cross_check, CrossCheck};
use super::guide::{choose_target, default_old, guide, Guide, RotationSession, Target};
use super::removal::{removal_guard, Confirmations, Removal, RemovalBlock};
use super::scan::Scan;
use crate::config::VaultSettings;
use crate::graph::{self, Application};
use crate::net::HttpRequest;
use crate::runtime::{Answer, Feature, Now, Outcome, Outgoing, Problem, Requests};
use crate::wizard::Prepared;

/// What the page needs from config.json.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RotationConfig {
    pub graph_base: String,
    pub arm_base: String,
    pub vault: VaultSettings,
}

/// Which request an answer belongs to. Only the latest of each kind counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Call {
    App,
    /// A vault-scan request (the scan's ticket).
    Scan(u64),
    Remove,
    /// Re-reading the app after a removal.
    Verify,
}

/// Work for the browser shell, as data.
#[derive(Debug)]
pub enum Effect {
    /// Send, then answer with `Msg::Response`.
    Send(Outgoing<Call>),
    /// Keep this in sessionStorage (identifiers and a tick only).
    SaveSession(RotationSession),
    /// Open the wizard's create flow prepared (step 1).
    OpenWizard(Prepared),
}

#[derive(Debug)]
pub enum Msg {
    Start,
    Response(Answer<Call>),
    Reload,
    Rescan,
    /// Choose the secret to replace (keyId).
    SelectOld(String),
    /// Step 1: open the wizard for this app with the vault and secret name chosen.
    StartCreate,
    /// Step 3: "I've updated every consumer of the old secret."
    ConsumersUpdated(bool),
    /// Open the removal dialog for a keyId.
    AskRemove(String),
    /// The open dialog's tick box.
    Tick(bool),
    Confirm,
    Cancel,
    /// After a removal that didn't show: read the app again.
    CheckAgain,
    /// Forget this rotation and start a new one.
    StartOver,
}

#[derive(Debug)]
pub struct Rotation {
    pub config: RotationConfig,
    pub app_object_id: String,
    pub app: Option<Application>,
    pub app_loading: bool,
    pub app_problem: Option<Problem>,
    pub scan: Option<Scan>,
    pub session: RotationSession,
    pub removal: Removal,
    requests: Requests<Call>,
}

impl Rotation {
    /// `stored` is what sessionStorage held; it is used only if it is for this app.
    pub fn new(
        config: RotationConfig,
        app_object_id: &str,
        stored: Option<RotationSession>,
    ) -> Self {
        let session = stored
            .filter(|s| s.app_object_id.eq_ignore_ascii_case(app_object_id))
            .unwrap_or_else(|| RotationSession::new(app_object_id));
        Self {
            config,
            app_object_id: app_object_id.to_string(),
            app: None,
            app_loading: false,
            app_problem: None,
            scan: None,
            session,
            removal: Removal::Idle,
            requests: Requests::new(),
        }
    }

    pub(super) fn send(&mut self, call: Call, request: HttpRequest) -> Effect {
        Effect::Send(self.requests.send(call, request))
    }

    pub fn is_pending(&self, call: Call) -> bool {
        self.requests.is_pending(call)
    }

    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Start => {
                let mut effects = self.read_app(Call::App);
                effects.extend(self.rescan());
                effects
            }
            Msg::Response(Answer { call, seq, outcome }) => {
                if !self.requests.accept(call, seq) {
                    return Vec::new(); // superseded: ignore
                }
                self.on_response(call, outcome)
            }
            Msg::Reload => self.read_app(Call::App),
            Msg::Rescan => self.rescan(),
            Msg::SelectOld(key) => self.select_old(key, now),
            Msg::StartCreate => self.start_create(now),
            Msg::ConsumersUpdated(yes) => self.consumers_updated(yes, now),
            Msg::AskRemove(key) => self.ask_remove(&key, now),
            Msg::Tick(ticked) => {
                match &mut self.removal {
                    Removal::Confirm { ticked: t, .. } | Removal::ConfirmLast { ticked: t, .. } => {
                        *t = ticked
                    }
                    _ => {}
                }
                Vec::new()
            }
            Msg::Confirm => self.confirm(now),
            Msg::Cancel => {
                if matches!(
                    self.removal,
                    Removal::Confirm { .. } | Removal::ConfirmLast { .. }
                ) {
                    self.removal = Removal::Idle;
                }
                Vec::new()
            }
            Msg::CheckAgain => match self.removal.clone() {
                Removal::StillThere { credential } => {
                    self.removal = Removal::Verifying {
                        credential,
                        unanswered: false,
                    };
                    self.read_app(Call::Verify)
                }
                _ => Vec::new(),
            },
            Msg::StartOver => {
                if self.removal.is_busy() {
                    return Vec::new();
                }
                self.session = RotationSession::new(&self.app_object_id);
                self.removal = Removal::Idle;
                vec![Effect::SaveSession(self.session.clone())]
            }
        }
    }

    pub(super) fn read_app(&mut self, call: Call) -> Vec<Effect> {
        self.app_loading = true;
        let req = graph::get_application(&self.config.graph_base, &self.app_object_id);
        vec![self.send(call, req)]
    }

    fn rescan(&mut self) -> Vec<Effect> {
        self.requests.forget(|c| matches!(c, Call::Scan(_)));
        let (scan, first) = Scan::start(&self.config.arm_base, &self.config.vault.allowed);
        self.scan = Some(scan);
        self.scan_sends(first)
    }

    fn scan_sends(&mut self, reqs: Vec<(u64, HttpRequest)>) -> Vec<Effect> {
        reqs.into_iter()
            .map(|(ticket, req)| self.send(Call::Scan(ticket), req))
            .collect()
    }

    fn on_response(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        match call {
            Call::Scan(ticket) => {
                let more = match self.scan.as_mut() {
                    Some(scan) => scan.feed(ticket, outcome),
                    None => Vec::new(),
                };
                self.scan_sends(more)
            }
            Call::App => {
                self.on_app(outcome);
                Vec::new()
            }
            Call::Remove => self.on_removed(outcome),
            Call::Verify => {
                let read = self.on_app(outcome);
                self.on_verified(read);
                Vec::new()
            }
        }
    }

    /// Takes a re-read app; returns whether it was read.
    fn on_app(&mut self, outcome: Outcome) -> bool {
        self.app_loading = false;
        match Problem::graph(outcome, graph::parse_application) {
            Ok(app) => {
                self.app = Some(app);
                self.app_problem = None;
                true
            }
            Err(p) => {
                self.app_problem = Some(p);
                false
            }
        }
    }

    /// The secret being replaced: the one chosen, else the working one that expires first.
    pub fn old_key(&self, now: &Now) -> Option<String> {
        self.session
            .old_key_id
            .clone()
            .or_else(|| self.app.as_ref().and_then(|a| default_old(a, now)))
    }

    /// The session as the guide reads it (the default secret to replace filled in).
    pub fn effective_session(&self, now: &Now) -> RotationSession {
        RotationSession {
            old_key_id: self.old_key(now),
            ..self.session.clone()
        }
    }

    /// The cross-check from what has been listed so far.
    pub fn cross_check(&self, now: &Now) -> Option<CrossCheck> {
        Some(cross_check(
            self.app.as_ref()?,
            &self.scan.as_ref()?.vaults,
            now,
        ))
    }

    pub fn scan_done(&self) -> bool {
        self.scan.as_ref().is_some_and(Scan::is_done)
    }

    /// Where the new version goes; known once the vault check has finished.
    pub fn target(&self, now: &Now) -> Option<Target> {
        if !self.scan_done() {
            return None;
        }
        let app = self.app.as_ref()?;
        let check = self.cross_check(now)?;
        let old = self.old_key(now);
        choose_target(
            app,
            &check,
            old.as_deref(),
            &self.config.vault,
            now.date_naive(),
        )
    }

    pub fn guide(&self, now: &Now) -> Option<Guide> {
        let app = self.app.as_ref()?;
        let check = self.cross_check(now);
        let target = self.target(now);
        let session = self.effective_session(now);
        Some(guide(
            app,
            check.as_ref(),
            self.scan_done(),
            &session,
            target.as_ref(),
        ))
    }

    /// Whether removing `key_id` is offered, and with how many confirmations.
    pub fn guard(&self, key_id: &str, now: &Now) -> Result<Confirmations, RemovalBlock> {
        let creds = self
            .app
            .as_ref()
            .map_or(&[][..], |a| &a.password_credentials);
        let old = self.old_key(now);
        removal_guard(
            creds,
            key_id,
            old.as_deref(),
            self.session.consumers_confirmed,
            now,
        )
    }

    fn save(&self) -> Effect {
        Effect::SaveSession(self.session.clone())
    }

    fn select_old(&mut self, key: String, now: Now) -> Vec<Effect> {
        let active = self.app.as_ref().is_some_and(|a| {
            crate::domain::rotation::active_secrets(&a.password_credentials, &now)
                .iter()
                .any(|c| c.key_id.eq_ignore_ascii_case(&key))
        });
        if !active || self.removal.is_busy() {
            return Vec::new();
        }
        if self
            .old_key(&now)
            .is_some_and(|o| o.eq_ignore_ascii_case(&key))
        {
            return Vec::new();
        }
        self.session.old_key_id = Some(key);
        self.session.consumers_confirmed = false;
        vec![self.save()]
    }

    fn start_create(&mut self, now: Now) -> Vec<Effect> {
        let Some(app) = self.app.as_ref() else {
            return Vec::new();
        };
        if !self.scan_done() || self.guide(&now).is_some_and(|g| g.at_cap) {
            return Vec::new();
        }
        let target = self.target(&now);
        let prepared = Prepared {
            app_id: app.app_id.clone(),
            choice: None,
            describe: true,
            vault_id: target.as_ref().map(|t| t.vault_id.clone()),
            vault_from_link: false,
            secret_name: target.map(|t| t.secret_name),
            note: None,
        };
        self.session.old_key_id = self.old_key(&now);
        let started = self
            .session
            .started_at
            .unwrap_or_else(|| now.with_timezone(&chrono::Utc));
        self.session.started_at = Some(started);
        vec![self.save(), Effect::OpenWizard(prepared)]
    }

    fn consumers_updated(&mut self, yes: bool, now: Now) -> Vec<Effect> {
        let has_new = self.guide(&now).is_some_and(|g| g.new.is_some());
        if (yes && !has_new) || self.removal.is_busy() {
            return Vec::new();
        }
        self.session.old_key_id = self.old_key(&now);
        self.session.consumers_confirmed = yes;
        vec![self.save()]
    }
}

impl Feature for Rotation {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        Rotation::update(self, msg, now)
    }

    fn start(&mut self, now: Now) -> Vec<Effect> {
        Rotation::update(self, Msg::Start, now)
    }
}
