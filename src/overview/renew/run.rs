//! A run of renewals: which items are in flight, pause, resume and cancel, waits after a busy
//! answer, and the pace of Graph writes.
//!
//! At most [`MAX_IN_FLIGHT`] items at once, each with one request at a time. Pause and cancel
//! start nothing new; an item already started goes on to its end, so a value fetched from
//! addPassword always reaches the vault (or its secret is removed) before the run stops. After
//! a busy answer (429, 503) the item waits — `Retry-After` when readable, else a backoff
//! doubling from [`BACKOFF_MS`] to [`MAX_BACKOFF_MS`] — and no new item starts meanwhile.
//!
//! Graph's write limit for an app in a tenant is 3,000 writes per 2 minutes 30 seconds (and
//! 18,000 per 5 minutes per tenant), every POST counting one ("Identity and access service
//! limits", ../shared/specs/graph-docs/throttling.md): a run never sends more than
//! [`GRAPH_WRITES`] Graph writes in any [`GRAPH_WINDOW_MS`]; one that would waits.

use std::collections::VecDeque;

use chrono::{DateTime, Utc};

use super::item::{Item, ItemResult, Next, RunSettings, Step};
use super::select::Candidate;
use crate::net::{HttpRequest, Method, Resource};
use crate::runtime::Outcome;

/// Items in flight at once.
pub const MAX_IN_FLIGHT: usize = 4;
/// The first wait after a busy answer without a readable `Retry-After`.
pub const BACKOFF_MS: u64 = 2_000;
pub const MAX_BACKOFF_MS: u64 = 60_000;
/// Graph writes per window at most (the app+tenant write quota).
pub const GRAPH_WRITES: usize = 3_000;
pub const GRAPH_WINDOW_MS: i64 = 150_000;

/// What the run asks of the reducer.
#[derive(Debug)]
pub enum Work {
    /// Send item `index`'s request.
    Send(usize, HttpRequest),
    /// Wake the run after `ms` (a wait for a busy service, or for Graph's write window).
    Wait(u64),
}

/// Counts for the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub renewed: usize,
    pub earlier: usize,
    pub skipped: usize,
    pub cancelled: usize,
    /// Not ended yet.
    pub left: usize,
}

impl Counts {
    pub fn ended(&self) -> usize {
        self.renewed + self.earlier + self.skipped + self.cancelled
    }
}

/// One run.
#[derive(Debug)]
pub struct Run {
    pub settings: RunSettings,
    pub items: Vec<Item>,
    /// The next item to start.
    next: usize,
    /// Items started and not ended.
    active: Vec<usize>,
    /// Items waiting to send their step again after a busy answer (or for the write window).
    held: Vec<usize>,
    /// A wait is under way: nothing new starts until [`Run::wake`].
    waiting: bool,
    backoff_ms: u64,
    pub paused: bool,
    pub cancelled: bool,
    /// When recent Graph writes were sent (ms since the epoch).
    writes: VecDeque<i64>,
    pub started: DateTime<Utc>,
    pub finished: Option<DateTime<Utc>>,
}

fn graph_write(req: &HttpRequest) -> bool {
    req.method == Method::Post && req.resource == Resource::Graph
}

impl Run {
    pub fn new(settings: RunSettings, picked: Vec<Candidate>, now: DateTime<Utc>) -> Self {
        Self {
            settings,
            items: picked.into_iter().map(Item::new).collect(),
            next: 0,
            active: Vec::new(),
            held: Vec::new(),
            waiting: false,
            backoff_ms: BACKOFF_MS,
            paused: false,
            cancelled: false,
            writes: VecDeque::new(),
            started: now,
            finished: None,
        }
    }

    pub fn counts(&self) -> Counts {
        let mut c = Counts::default();
        for item in &self.items {
            match item.result() {
                Some(ItemResult::Renewed { .. }) => c.renewed += 1,
                Some(ItemResult::Earlier { .. }) => c.earlier += 1,
                Some(ItemResult::Skipped(_)) => c.skipped += 1,
                Some(ItemResult::Cancelled) => c.cancelled += 1,
                None => c.left += 1,
            }
        }
        c
    }

    /// Items started and not ended.
    pub fn in_flight(&self) -> usize {
        self.active.len()
    }

    pub fn is_finished(&self) -> bool {
        self.finished.is_some()
    }

    /// Starts what may start now.
    pub fn pump(&mut self, now: DateTime<Utc>) -> Vec<Work> {
        let mut work = Vec::new();
        while !self.paused
            && !self.cancelled
            && !self.waiting
            && self.active.len() < MAX_IN_FLIGHT
            && self.next < self.items.len()
        {
            let i = self.next;
            self.next += 1;
            self.active.push(i);
            if let Some(req) = self.items[i].start(&self.settings, now) {
                work.push(Work::Send(i, req));
            }
        }
        self.check_finished(now);
        work
    }

    fn check_finished(&mut self, now: DateTime<Utc>) {
        let nothing_left = self.next >= self.items.len() || self.cancelled;
        if self.active.is_empty() && nothing_left && self.finished.is_none() {
            for item in &mut self.items {
                item.cancel();
            }
            self.finished = Some(now);
        }
    }

    /// The request of item `i`'s step, unless Graph's write window is full (then it waits).
    fn send(&mut self, i: usize, now: DateTime<Utc>, work: &mut Vec<Work>) {
        let Some(req) = self.items[i].request(&self.settings, now) else {
            return;
        };
        if graph_write(&req) {
            let t = now.timestamp_millis();
            while self
                .writes
                .front()
                .is_some_and(|&w| w <= t - GRAPH_WINDOW_MS)
            {
                self.writes.pop_front();
            }
            if self.writes.len() >= GRAPH_WRITES {
                let oldest = self.writes.front().copied().unwrap_or(t);
                self.hold(
                    i,
                    u64::try_from(oldest + GRAPH_WINDOW_MS - t).unwrap_or(0),
                    work,
                );
                return;
            }
            self.writes.push_back(t);
        }
        work.push(Work::Send(i, req));
    }

    fn hold(&mut self, i: usize, ms: u64, work: &mut Vec<Work>) {
        self.held.push(i);
        if !self.waiting {
            self.waiting = true;
            work.push(Work::Wait(ms.max(1)));
        }
    }

    /// Item `i`'s answer.
    pub fn answer(&mut self, i: usize, outcome: Outcome, now: DateTime<Utc>) -> Vec<Work> {
        if !self.active.contains(&i) {
            return Vec::new();
        }
        let mut work = Vec::new();
        match self.items[i].feed(outcome, &self.settings) {
            Next::Send => {
                self.backoff_ms = BACKOFF_MS;
                self.send(i, now, &mut work);
            }
            Next::Wait(ms) => self.hold(i, ms, &mut work),
            Next::Throttled { retry_after_secs } => {
                let ms = retry_after_secs
                    .map(|s| s.saturating_mul(1000).min(MAX_BACKOFF_MS))
                    .unwrap_or(self.backoff_ms);
                self.backoff_ms = (self.backoff_ms * 2).min(MAX_BACKOFF_MS);
                self.hold(i, ms, &mut work);
            }
            Next::Done => {
                self.active.retain(|&a| a != i);
                if let Some(why) = self.refused_vault(i) {
                    self.skip_vault(i, &why);
                }
            }
        }
        work.extend(self.pump(now));
        work
    }

    /// The vault refused item `i`'s write: the words, to skip the vault's other items with.
    fn refused_vault(&self, i: usize) -> Option<String> {
        self.items[i].write_refused.clone()
    }

    /// Items of the same vault not yet past their reads skip before creating anything.
    fn skip_vault(&mut self, i: usize, why: &str) {
        let vault = self.items[i].candidate.copy.vault_id.clone();
        for item in &mut self.items {
            if item.candidate.copy.vault_id.eq_ignore_ascii_case(&vault)
                && item.vault_refused.is_none()
            {
                item.vault_refused = Some(format!(
                    "Not tried: storing an earlier secret in this vault was refused. {why}"
                ));
            }
        }
    }

    /// A wait is over: the held items send their steps again, then new items may start.
    pub fn wake(&mut self, now: DateTime<Utc>) -> Vec<Work> {
        self.waiting = false;
        let mut work = Vec::new();
        for i in std::mem::take(&mut self.held) {
            self.send(i, now, &mut work);
        }
        if !self.waiting {
            work.extend(self.pump(now));
        }
        work
    }

    pub fn pause(&mut self) {
        self.paused = true;
    }

    pub fn resume(&mut self, now: DateTime<Utc>) -> Vec<Work> {
        self.paused = false;
        if self.waiting {
            return Vec::new();
        }
        self.pump(now)
    }

    /// Starts nothing more; the items under way end as they would.
    pub fn cancel(&mut self, now: DateTime<Utc>) {
        self.cancelled = true;
        for item in &mut self.items[self.next..] {
            item.cancel();
        }
        self.next = self.items.len();
        self.check_finished(now);
    }

    /// Whether any item holds a value now.
    pub fn holds_values(&self) -> bool {
        self.items.iter().any(Item::holds_value)
    }

    /// (old keyId, new keyId) of every renewal this run found or made.
    pub fn renewals(&self) -> impl Iterator<Item = (&Item, &str)> {
        self.items.iter().filter_map(|item| match &item.step {
            Step::Done(ItemResult::Renewed { new_key_id, .. })
            | Step::Done(ItemResult::Earlier { new_key_id }) => Some((item, new_key_id.as_str())),
            _ => None,
        })
    }
}
