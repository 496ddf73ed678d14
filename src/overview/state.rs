//! The overview as one pure reducer: load every page of the apps, then every app's owners (a
//! second chain, asked for by the page once the first table is drawn, so it never delays
//! it: [`Msg::NeedOwners`]), and (once
//! "Only apps I own" is first ticked) the apps the user owns; effects out as data (requests,
//! performance marks). No browser types, no I/O; the page (`overview::page`) runs it with the
//! runtime.
//!
//! A new load ("Try again") makes every answer of the previous one stale, the owned lookup's
//! included. A failure of the apps chain ends the load with a [`Problem`]; a failure of the
//! owned lookup does not: every app stays listed and "owned by me" is turned off with a note;
//! nor does a failure of the owners chain (the Owners column says so).

use std::rc::Rc;

use super::load::{
    load_error_message, Loaded, Loader, Next, Owned, OwnedLoader, OwnedNext, OwnersLoader,
    OwnersNext, OwnersStatus,
};
use crate::net::HttpRequest;
use crate::runtime::{Answer, Failure, Feature, Now, Outcome, Outgoing, Problem, Requests, Tokens};

/// Performance marks for `cargo xtask bench`.
pub const MARK_START: &str = "overview-start";
pub const MARK_LOADED: &str = "overview-loaded";
/// Every app's owners are in (or the owners chain failed).
pub const MARK_OWNERS: &str = "overview-owners-loaded";

/// Which chain an answer belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// A page of the apps.
    Apps,
    /// A page of the apps the user owns.
    Owned,
    /// A page of the apps with their owners, or a batch of full owner lists.
    Owners,
}

#[derive(Debug)]
pub enum Msg {
    /// Load everything (on mount, and "Try again").
    Load,
    /// "Only apps I own" was ticked before the owned apps were looked up.
    NeedOwned,
    /// The first table is on screen: load every app's owners (once per load).
    NeedOwners,
    /// The wait asked for by [`Effect::Wake`] with this token is over.
    OwnersDue(u64),
    Response(Answer<Call>),
}

/// Work for the page, as data.
#[derive(Debug)]
pub enum Effect {
    /// Send, then answer with `Msg::Response`.
    Send(Outgoing<Call>),
    /// `performance.mark(name)`.
    Mark(&'static str),
    /// After `ms` milliseconds, answer with `Msg::OwnersDue(token)`.
    Wake { token: u64, ms: u64 },
}

/// What the page shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Loading, with the progress line.
    Loading(String),
    Failed(Problem),
    Ready(Rc<Loaded>),
}

/// The whole overview.
#[derive(Debug)]
pub struct Overview {
    graph_base: String,
    pub phase: Phase,
    /// Changes whenever the rows change (the page's memo key for everything computed from them).
    pub version: u32,
    /// The apps chain and the request its next answer is for.
    apps: Option<(Loader, HttpRequest)>,
    /// The owned lookup and the request its next answer is for.
    owned: Option<(OwnedLoader, HttpRequest)>,
    /// The owners chain and the request its next answer is for.
    owners: Option<(OwnersLoader, HttpRequest)>,
    /// While the owners chain waits before its next request: the wait's token.
    owners_due: Option<u64>,
    waits: Tokens,
    requests: Requests<Call>,
}

/// The details line of an owned lookup that got no answer.
const NO_ANSWER: &str = "fetch failed (network or CORS)";

impl Overview {
    pub fn new(graph_base: &str) -> Self {
        Self {
            graph_base: graph_base.to_string(),
            phase: Phase::Loading(Loader::default().progress()),
            version: 0,
            apps: None,
            owned: None,
            owners: None,
            owners_due: None,
            waits: Tokens::default(),
            requests: Requests::new(),
        }
    }

    /// Whether a request of this chain is in flight.
    pub fn is_pending(&self, call: Call) -> bool {
        self.requests.is_pending(call)
    }

    pub fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        match msg {
            Msg::Load => self.load(),
            Msg::NeedOwned => self.need_owned(),
            Msg::NeedOwners => self.need_owners(),
            Msg::OwnersDue(token) => self.owners_due(token),
            Msg::Response(Answer { call, seq, outcome }) => {
                if !self.requests.accept(call, seq) {
                    return Vec::new(); // an earlier load's: ignore
                }
                match call {
                    Call::Apps => self.on_apps(outcome, now),
                    Call::Owned => self.on_owned(outcome),
                    Call::Owners => self.on_owners(outcome, now),
                }
            }
        }
    }

    fn load(&mut self) -> Vec<Effect> {
        self.requests.forget_all();
        self.owned = None;
        self.owners = None;
        self.owners_due = None;
        let (loader, req) = Loader::start(&self.graph_base);
        self.phase = Phase::Loading(loader.progress());
        self.apps = Some((loader, req.clone()));
        vec![
            Effect::Mark(MARK_START),
            Effect::Send(self.requests.send(Call::Apps, req)),
        ]
    }

    fn on_apps(&mut self, outcome: Outcome, now: Now) -> Vec<Effect> {
        let Some((mut loader, req)) = self.apps.take() else {
            return Vec::new();
        };
        let res = match outcome {
            Ok(res) => res,
            Err(f) => {
                self.phase = Phase::Failed(Problem::from_failure(f));
                return Vec::new();
            }
        };
        match loader.feed(&req, &res) {
            Next::Send(next) => {
                self.phase = Phase::Loading(loader.progress());
                self.apps = Some((loader, next.clone()));
                vec![Effect::Send(self.requests.send(Call::Apps, next))]
            }
            Next::Done => {
                self.version += 1;
                self.phase = Phase::Ready(Rc::new(loader.finish(&now)));
                vec![Effect::Mark(MARK_LOADED)]
            }
            Next::Failed(e) => {
                let details = e.details();
                self.phase = Phase::Failed(Problem {
                    message: load_error_message(&e),
                    details: (!details.is_empty()).then_some(details),
                });
                Vec::new()
            }
        }
    }

    fn need_owned(&mut self) -> Vec<Effect> {
        let Phase::Ready(loaded) = &self.phase else {
            return Vec::new();
        };
        if loaded.owned != Owned::NotLoaded {
            return Vec::new();
        }
        self.phase = Phase::Ready(Rc::new(loaded.owned_loading()));
        let (lookup, req) = OwnedLoader::start(&self.graph_base);
        self.owned = Some((lookup, req.clone()));
        vec![Effect::Send(self.requests.send(Call::Owned, req))]
    }

    fn on_owned(&mut self, outcome: Outcome) -> Vec<Effect> {
        let (Some((mut lookup, req)), Phase::Ready(loaded)) = (self.owned.take(), &self.phase)
        else {
            return Vec::new();
        };
        let next = match outcome {
            Ok(res) => lookup.feed(&req, &res),
            Err(Failure::Network) => OwnedNext::Failed(NO_ANSWER.into()),
            Err(Failure::Auth(message)) => OwnedNext::Failed(message),
        };
        match next {
            OwnedNext::Send(next) => {
                self.owned = Some((lookup, next.clone()));
                vec![Effect::Send(self.requests.send(Call::Owned, next))]
            }
            OwnedNext::Done(set) => {
                self.phase = Phase::Ready(Rc::new(loaded.with_owned(&set)));
                self.version += 1;
                Vec::new()
            }
            OwnedNext::Failed(details) => {
                self.phase = Phase::Ready(Rc::new(loaded.without_owned(&details)));
                Vec::new()
            }
        }
    }
}

impl Overview {
    fn need_owners(&mut self) -> Vec<Effect> {
        let Phase::Ready(loaded) = &self.phase else {
            return Vec::new();
        };
        if loaded.owners != OwnersStatus::NotLoaded {
            return Vec::new();
        }
        self.phase = Phase::Ready(Rc::new(loaded.with_owners(OwnersStatus::Loading)));
        let (owners, req) = OwnersLoader::start(&self.graph_base);
        self.owners = Some((owners, req.clone()));
        vec![Effect::Send(self.requests.send(Call::Owners, req))]
    }

    /// An answer of the owners chain: the next page or batch, or the names on the rows. The
    /// rows themselves do not change (`version` stays), so the table is not re-sorted.
    /// The wait is over: send the request it held (unless a reload made it stale).
    fn owners_due(&mut self, token: u64) -> Vec<Effect> {
        match (&self.owners, self.owners_due) {
            (Some((_, req)), Some(due)) if due == token => {
                self.owners_due = None;
                let req = req.clone();
                vec![Effect::Send(self.requests.send(Call::Owners, req))]
            }
            _ => Vec::new(),
        }
    }

    fn on_owners(&mut self, outcome: Outcome, now: Now) -> Vec<Effect> {
        let (Some((mut loader, req)), Phase::Ready(loaded)) = (self.owners.take(), &self.phase)
        else {
            return Vec::new();
        };
        let next = match outcome {
            Ok(res) => loader.feed(&req, &res, now.to_utc()),
            Err(Failure::Network) => OwnersNext::Failed(NO_ANSWER.into()),
            Err(Failure::Auth(message)) => OwnersNext::Failed(message),
        };
        let status = match next {
            OwnersNext::Wait(ms, next) => {
                let token = self.waits.fresh();
                self.owners = Some((loader, next));
                self.owners_due = Some(token);
                return vec![Effect::Wake { token, ms }];
            }
            OwnersNext::Send(next) => {
                self.owners = Some((loader, next.clone()));
                return vec![Effect::Send(self.requests.send(Call::Owners, next))];
            }
            OwnersNext::Done(names) => OwnersStatus::Loaded(Rc::new(names)),
            OwnersNext::Failed(details) => OwnersStatus::Unavailable { details },
        };
        self.phase = Phase::Ready(Rc::new(loaded.with_owners(status)));
        vec![Effect::Mark(MARK_OWNERS)]
    }
}

impl Feature for Overview {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, now: Now) -> Vec<Effect> {
        Overview::update(self, msg, now)
    }

    fn start(&mut self, now: Now) -> Vec<Effect> {
        Overview::update(self, Msg::Load, now)
    }
}
