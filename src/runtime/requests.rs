//! The request tracker: every request is numbered, and only the answer to the latest request
//! of its kind counts (a newer search, reload or scan makes the older answers stale).

use crate::net::HttpRequest;

use super::Outcome;

/// A request to send, with the number its answer must come back with.
#[derive(Debug)]
pub struct Outgoing<C> {
    pub call: C,
    pub seq: u64,
    pub request: HttpRequest,
}

/// The answer to an [`Outgoing`] request.
#[derive(Debug)]
pub struct Answer<C> {
    pub call: C,
    pub seq: u64,
    pub outcome: Outcome,
}

/// The requests in flight: the latest number of each kind of call (`C`: the feature's `Call`).
#[derive(Clone, Debug)]
pub struct Requests<C> {
    seq: u64,
    latest: Vec<(C, u64)>,
}

impl<C> Default for Requests<C> {
    fn default() -> Self {
        Self {
            seq: 0,
            latest: Vec::new(),
        }
    }
}

impl<C: Copy + PartialEq> Requests<C> {
    pub fn new() -> Self {
        Self::default()
    }

    /// Numbers a new request; it becomes the latest of its kind (an older one's answer will be
    /// dropped).
    pub fn send(&mut self, call: C, request: HttpRequest) -> Outgoing<C> {
        self.seq += 1;
        let seq = self.seq;
        match self.latest.iter_mut().find(|(c, _)| *c == call) {
            Some(slot) => slot.1 = seq,
            None => self.latest.push((call, seq)),
        }
        Outgoing { call, seq, request }
    }

    /// Whether `seq` is the latest request of its kind, still waiting for its answer.
    pub fn is_latest(&self, call: C, seq: u64) -> bool {
        self.latest.iter().any(|&(c, s)| c == call && s == seq)
    }

    /// Takes the answer to request `seq`: true (and no longer pending) when it is the latest of
    /// its kind; false for a stale or unknown answer, which the caller drops.
    pub fn accept(&mut self, call: C, seq: u64) -> bool {
        let before = self.latest.len();
        self.latest.retain(|&(c, s)| !(c == call && s == seq));
        self.latest.len() != before
    }

    /// Whether a request of this kind is in flight.
    pub fn is_pending(&self, call: C) -> bool {
        self.latest.iter().any(|&(c, _)| c == call)
    }

    /// Whether any request is in flight.
    pub fn any_pending(&self) -> bool {
        !self.latest.is_empty()
    }

    /// Drops the requests `stale` picks: their answers will be ignored.
    pub fn forget(&mut self, stale: impl Fn(&C) -> bool) {
        self.latest.retain(|(c, _)| !stale(c));
    }

    /// Drops every request in flight. The numbering goes on, so their answers stay stale.
    pub fn forget_all(&mut self) {
        self.latest.clear();
    }
}

/// Numbers for timers: a timer's message carries its token, and only the token still expected
/// counts (a newer keystroke restarts a debounce, for example).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Tokens(u64);

impl Tokens {
    pub fn fresh(&mut self) -> u64 {
        self.0 += 1;
        self.0
    }
}
