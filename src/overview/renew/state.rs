//! The "Renew many at once" panel as one pure reducer on the runtime: find the vault copies
//! (the rotation page's vault scan, `rotation::scan`), pick, run, report; then remove the
//! replaced secrets. Effects out as data; the panel (`view`) renders and runs them.

use std::collections::HashSet;
use std::rc::Rc;

use chrono::{DateTime, Utc};

use super::config::RenewConfig;
use super::item::{ItemResult, RunSettings};
use super::replaced::Removal;
use super::run::{Run, Work};
use super::select::{find, Candidate, Found, Replaced};
use crate::overview::model::Row;
use crate::rotation::Scan;
use crate::runtime::{Answer, Feature, Now, Outgoing, Requests, Tokens};

/// The windows offered: expired, or expiring within this many days.
pub const WINDOWS: [i64; 3] = [30, 60, 90];

/// Which request an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    Scan(u64),
    Item(usize),
    Remove,
}

#[derive(Debug)]
pub enum Msg {
    /// Scan the vaults (again).
    Find,
    Window(i64),
    /// Tick or untick a candidate (keyId).
    Pick(String, bool),
    /// Tick or untick every candidate in the window.
    PickAll(bool),
    Lifetime(u32),
    Start,
    Pause,
    Resume,
    Cancel,
    /// A wait asked for by [`Effect::Wake`] is over.
    Due(u64),
    /// Open, close and confirm the removal of the replaced secrets.
    AskRemove,
    CancelRemove,
    ConfirmRemove,
    Response(Answer<Call>),
}

#[derive(Debug)]
pub enum Effect {
    Send(Outgoing<Call>),
    Wake { token: u64, ms: u64 },
}

/// The panel's phase, as `data-phase` says it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Idle,
    Scanning,
    Ready,
    Running,
    /// Paused by the user; items under way still ending.
    Pausing,
    Paused,
    Finished,
    Removing,
    Removed,
}

impl Phase {
    pub fn key(self) -> &'static str {
        match self {
            Phase::Idle => "idle",
            Phase::Scanning => "scanning",
            Phase::Ready => "ready",
            Phase::Running => "running",
            Phase::Pausing => "pausing",
            Phase::Paused => "paused",
            Phase::Finished => "finished",
            Phase::Removing => "removing",
            Phase::Removed => "removed",
        }
    }
}

/// The panel.
#[derive(Debug)]
pub struct Renewal {
    pub config: RenewConfig,
    rows: Rc<Vec<Row>>,
    pub scan: Option<Scan>,
    pub found: Found,
    pub window: i64,
    /// Candidates unticked by the user (lower-case keyIds); every other one in the window is
    /// ticked.
    unpicked: HashSet<String>,
    pub lifetime: u32,
    pub run: Option<Run>,
    /// (old, new) keyIds renewed (or found renewed) in this session.
    renewed: Vec<(String, String)>,
    /// The confirmation's list is open.
    pub confirming: bool,
    pub removal: Option<Removal>,
    wait: Option<u64>,
    waits: Tokens,
    requests: Requests<Call>,
}

fn utc(now: Now) -> DateTime<Utc> {
    now.with_timezone(&Utc)
}

impl Renewal {
    pub fn new(config: RenewConfig, rows: Rc<Vec<Row>>) -> Self {
        let lifetime = config.default_lifetime;
        Self {
            config,
            rows,
            scan: None,
            found: Found::default(),
            window: WINDOWS[0],
            unpicked: HashSet::new(),
            lifetime,
            run: None,
            renewed: Vec::new(),
            confirming: false,
            removal: None,
            wait: None,
            waits: Tokens::default(),
            requests: Requests::new(),
        }
    }

    pub fn phase(&self) -> Phase {
        if let Some(r) = &self.removal {
            return if r.is_done() {
                Phase::Removed
            } else {
                Phase::Removing
            };
        }
        if let Some(run) = &self.run {
            return match (run.is_finished(), run.paused, run.in_flight()) {
                (true, _, _) => Phase::Finished,
                (false, true, 0) => Phase::Paused,
                (false, true, _) => Phase::Pausing,
                (false, false, _) => Phase::Running,
            };
        }
        match &self.scan {
            None => Phase::Idle,
            Some(s) if !s.is_done() => Phase::Scanning,
            Some(_) => Phase::Ready,
        }
    }

    /// The candidates in the window, each with whether it is ticked.
    pub fn in_window(&self) -> impl Iterator<Item = (&Candidate, bool)> {
        self.found
            .within(self.window)
            .map(|c| (c, !self.unpicked.contains(&c.key_id.to_ascii_lowercase())))
    }

    pub fn picked(&self) -> usize {
        self.in_window().filter(|(_, p)| *p).count()
    }

    /// The replaced secrets the second action would remove: from the vault's tags, and from
    /// this session's renewals.
    pub fn replaced(&self) -> Vec<Replaced> {
        let mut list = self.found.replaced.clone();
        if let Some(run) = &self.run {
            for (item, new_key) in run.renewals() {
                let c = &item.candidate;
                if !list
                    .iter()
                    .any(|r| r.old_key_id.eq_ignore_ascii_case(&c.key_id))
                {
                    list.push(Replaced {
                        app_name: c.app_name.clone(),
                        object_id: c.object_id.clone(),
                        old_key_id: c.key_id.clone(),
                        old_description: c.description.clone(),
                        old_end: c.end,
                        new_key_id: new_key.to_string(),
                        copy: c.copy.clone(),
                    });
                }
            }
        }
        if let Some(removal) = &self.removal {
            // Already removed (or found gone) in this session: not offered again.
            list.retain(|r| {
                !removal.items.iter().any(|(x, done)| {
                    x.old_key_id.eq_ignore_ascii_case(&r.old_key_id)
                        && matches!(
                            done,
                            Some(
                                super::replaced::Removed::Removed
                                    | super::replaced::Removed::AlreadyGone
                            )
                        )
                })
            });
        }
        list
    }

    fn busy(&self) -> bool {
        matches!(
            self.phase(),
            Phase::Scanning | Phase::Running | Phase::Pausing | Phase::Paused | Phase::Removing
        )
    }

    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        let t = utc(now);
        match msg {
            Msg::Find => self.find(),
            Msg::Window(days) if WINDOWS.contains(&days) && !self.busy() => {
                self.window = days;
                Vec::new()
            }
            Msg::Pick(key, on) => {
                let key = key.to_ascii_lowercase();
                if on {
                    self.unpicked.remove(&key);
                } else {
                    self.unpicked.insert(key);
                }
                Vec::new()
            }
            Msg::PickAll(on) => {
                let keys: Vec<String> = self
                    .found
                    .within(self.window)
                    .map(|c| c.key_id.to_ascii_lowercase())
                    .collect();
                for k in keys {
                    if on {
                        self.unpicked.remove(&k);
                    } else {
                        self.unpicked.insert(k);
                    }
                }
                Vec::new()
            }
            Msg::Lifetime(days) if self.config.lifetimes.contains(&days) => {
                self.lifetime = days;
                Vec::new()
            }
            Msg::Start => self.start(t),
            Msg::Pause => {
                if let Some(run) = &mut self.run {
                    run.pause();
                }
                Vec::new()
            }
            Msg::Resume => {
                let work = match &mut self.run {
                    Some(run) if !run.is_finished() => run.resume(t),
                    _ => Vec::new(),
                };
                self.work(work)
            }
            Msg::Cancel => {
                if let Some(run) = &mut self.run {
                    run.cancel(t);
                }
                self.after_run();
                Vec::new()
            }
            Msg::Due(token) if self.wait == Some(token) => {
                self.wait = None;
                let work = match &mut self.run {
                    Some(run) => run.wake(t),
                    None => Vec::new(),
                };
                self.work(work)
            }
            Msg::AskRemove if !self.busy() && !self.replaced().is_empty() => {
                self.confirming = true;
                Vec::new()
            }
            Msg::CancelRemove => {
                self.confirming = false;
                Vec::new()
            }
            Msg::ConfirmRemove if self.confirming => self.remove(),
            Msg::Response(Answer { call, seq, outcome }) => {
                if !self.requests.accept(call, seq) {
                    return Vec::new();
                }
                match call {
                    Call::Scan(ticket) => {
                        let more = match &mut self.scan {
                            Some(scan) => scan.feed(ticket, outcome),
                            None => Vec::new(),
                        };
                        let effects = self.scan_sends(more);
                        if self.scan.as_ref().is_some_and(Scan::is_done) {
                            self.refresh_found();
                        }
                        effects
                    }
                    Call::Item(i) => {
                        let work = match &mut self.run {
                            Some(run) => run.answer(i, outcome, t),
                            None => Vec::new(),
                        };
                        let effects = self.work(work);
                        self.after_run();
                        effects
                    }
                    Call::Remove => {
                        let next = match &mut self.removal {
                            Some(r) => r.answer(outcome, t),
                            None => None,
                        };
                        next.map(|req| vec![Effect::Send(self.requests.send(Call::Remove, req))])
                            .unwrap_or_default()
                    }
                }
            }
            _ => Vec::new(),
        }
    }

    fn find(&mut self) -> Vec<Effect> {
        if self.busy() || self.config.data_plane_only {
            return Vec::new();
        }
        self.run = None;
        self.removal = None;
        self.confirming = false;
        self.requests.forget_all();
        let (scan, first) = Scan::start(&self.config.arm_base, &self.config.allowed);
        self.scan = Some(scan);
        self.found = Found::default();
        let effects = self.scan_sends(first);
        if self.scan.as_ref().is_some_and(Scan::is_done) {
            self.refresh_found();
        }
        effects
    }

    fn scan_sends(&mut self, reqs: Vec<(u64, crate::net::HttpRequest)>) -> Vec<Effect> {
        reqs.into_iter()
            .map(|(ticket, req)| Effect::Send(self.requests.send(Call::Scan(ticket), req)))
            .collect()
    }

    fn refresh_found(&mut self) {
        if let Some(scan) = &self.scan {
            self.found = find(&self.rows, &scan.vaults, &self.renewed);
        }
    }

    fn start(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        if self.phase() != Phase::Ready && self.phase() != Phase::Finished {
            return Vec::new();
        }
        let picked: Vec<Candidate> = self
            .in_window()
            .filter(|(_, p)| *p)
            .map(|(c, _)| c.clone())
            .collect();
        if picked.is_empty() {
            return Vec::new();
        }
        let settings = RunSettings {
            graph_base: self.config.graph_base.clone(),
            arm_base: self.config.arm_base.clone(),
            upn: self.config.upn.clone(),
            lifetime_days: self.lifetime,
            lifetimes: self.config.lifetimes.clone(),
        };
        let mut run = Run::new(settings, picked, now);
        let work = run.pump(now);
        self.run = Some(run);
        self.removal = None;
        self.work(work)
    }

    fn work(&mut self, work: Vec<Work>) -> Vec<Effect> {
        work.into_iter()
            .map(|w| match w {
                Work::Send(i, req) => Effect::Send(self.requests.send(Call::Item(i), req)),
                Work::Wait(ms) => {
                    let token = self.waits.fresh();
                    self.wait = Some(token);
                    Effect::Wake { token, ms }
                }
            })
            .collect()
    }

    /// Once a run has ended: its renewals join the session's, and the candidates it renewed
    /// leave the list (their vault copies have moved on).
    fn after_run(&mut self) {
        let Some(run) = &self.run else { return };
        if !run.is_finished() {
            return;
        }
        for (item, new_key) in run.renewals() {
            let old = item.candidate.key_id.clone();
            if !self
                .renewed
                .iter()
                .any(|(o, _)| o.eq_ignore_ascii_case(&old))
            {
                self.renewed.push((old, new_key.to_string()));
            }
        }
        let done: Vec<String> = run
            .items
            .iter()
            .filter(|i| {
                matches!(
                    i.result(),
                    Some(ItemResult::Renewed { .. } | ItemResult::Earlier { .. })
                )
            })
            .map(|i| i.candidate.key_id.to_ascii_lowercase())
            .collect();
        self.found
            .candidates
            .retain(|c| !done.contains(&c.key_id.to_ascii_lowercase()));
    }

    fn remove(&mut self) -> Vec<Effect> {
        self.confirming = false;
        let list = self.replaced();
        let mut removal = Removal::new(&self.config.graph_base, &self.config.arm_base, list);
        let first = removal.start();
        self.removal = Some(removal);
        first
            .map(|req| vec![Effect::Send(self.requests.send(Call::Remove, req))])
            .unwrap_or_default()
    }
}

impl Feature for Renewal {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        Renewal::update(self, msg, now)
    }
}
