//! The vault scan behind the cross-check, sans-IO: `GET /subscriptions` → each enabled
//! subscription's vaults → each vault's secrets (`Microsoft.KeyVault/vaults/secrets`, metadata
//! and tags only), following `nextLink`s.
//!
//! Bounded: at most [`MAX_IN_FLIGHT`] requests at a time, [`MAX_VAULTS`] vaults and
//! [`MAX_SECRET_PAGES`] pages per vault. Only vaults ARM lists for the user are asked (ARM lists
//! the vaults the caller may read); when config.json names `vault.allowed`, only those are asked,
//! without listing anything else. A vault whose secrets can't be listed is "not checked", with
//! the reason; a subscription whose vaults can't be listed likewise.

use std::collections::{BTreeMap, VecDeque};

use crate::arm::{self, ArmError, ArmSecret, Subscription};
use crate::config::VaultRef;
use crate::net::{HttpRequest, HttpResponse};
use crate::runtime::{Failure, Outcome};

/// Requests in flight at once.
pub const MAX_IN_FLIGHT: usize = 4;
/// Vaults checked at most; more are counted as skipped.
pub const MAX_VAULTS: usize = 50;
/// Pages of secrets read per vault at most.
pub const MAX_SECRET_PAGES: usize = 20;

/// Where one vault's check stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum VaultScanState {
    Waiting,
    /// Pages read so far.
    Listing(Vec<ArmSecret>),
    Listed(Vec<ArmSecret>),
    NotChecked {
        message: String,
        details: Option<String>,
    },
}

/// One vault and its check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultScan {
    pub id: String,
    pub name: String,
    pub subscription_name: String,
    pub state: VaultScanState,
    /// More pages than [`MAX_SECRET_PAGES`]: the rest was not read.
    pub truncated: bool,
}

/// A subscription whose vaults couldn't be listed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SubscriptionProblem {
    pub subscription_name: String,
    pub message: String,
    pub details: Option<String>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Job {
    Subscriptions,
    Vaults(usize),
    Secrets { vault: usize, page: usize },
}

/// The scan's state. Feed every answer to [`Scan::feed`]; send what it returns.
#[derive(Debug)]
pub struct Scan {
    arm_base: String,
    pub subscriptions: Vec<Subscription>,
    pub vaults: Vec<VaultScan>,
    /// Vaults found beyond [`MAX_VAULTS`].
    pub skipped: usize,
    /// The subscription list itself failed: nothing could be checked.
    pub failed: Option<(String, Option<String>)>,
    pub subscription_problems: Vec<SubscriptionProblem>,
    queue: VecDeque<(Job, HttpRequest)>,
    in_flight: BTreeMap<u64, (Job, HttpRequest)>,
    next_ticket: u64,
}

/// A request to send, with the ticket its answer must come back with.
pub type Ticketed = (u64, HttpRequest);

fn problem(outcome_error: Result<ArmError, Failure>, what: &str) -> (String, Option<String>) {
    match outcome_error {
        Err(Failure::Network) => (
            format!(
                "Not checked: Azure Resource Manager couldn't be reached while listing {what}."
            ),
            None,
        ),
        Err(Failure::Auth(message)) => (format!("Not checked: {message}"), None),
        Ok(e) => {
            let details = Some(e.details()).filter(|d| !d.is_empty());
            let message = match &e {
                ArmError::AuthorizationFailed { .. } => {
                    format!("Not checked: you can't list {what}. Reader (or Key Vault Contributor) on it would allow it.")
                }
                other => format!("Not checked: {}", other.user_message()),
            };
            (message, details)
        }
    }
}

impl Scan {
    /// Starts a scan; send the returned requests.
    pub fn start(arm_base: &str, allowed: &[VaultRef]) -> (Self, Vec<Ticketed>) {
        let mut scan = Scan {
            arm_base: arm_base.to_string(),
            subscriptions: Vec::new(),
            vaults: Vec::new(),
            skipped: 0,
            failed: None,
            subscription_problems: Vec::new(),
            queue: VecDeque::new(),
            in_flight: BTreeMap::new(),
            next_ticket: 0,
        };
        if allowed.is_empty() {
            let req = arm::list_subscriptions(arm_base);
            scan.queue.push_back((Job::Subscriptions, req));
        } else {
            // Only the allowed vaults may be used: ask them directly.
            for v in allowed.iter().take(MAX_VAULTS) {
                scan.add_vault(&v.id, &v.name, "");
            }
            scan.skipped = allowed.len().saturating_sub(MAX_VAULTS);
        }
        let first = scan.pump();
        (scan, first)
    }

    fn add_vault(&mut self, id: &str, name: &str, subscription_name: &str) {
        if self.vaults.iter().any(|v| v.id.eq_ignore_ascii_case(id)) {
            return;
        }
        if self.vaults.len() >= MAX_VAULTS {
            self.skipped += 1;
            return;
        }
        let vault = self.vaults.len();
        self.vaults.push(VaultScan {
            id: id.to_string(),
            name: name.to_string(),
            subscription_name: subscription_name.to_string(),
            state: VaultScanState::Waiting,
            truncated: false,
        });
        let req = arm::list_secrets(&self.arm_base, id, None);
        self.queue.push_back((Job::Secrets { vault, page: 1 }, req));
    }

    fn pump(&mut self) -> Vec<Ticketed> {
        let mut out = Vec::new();
        while self.in_flight.len() < MAX_IN_FLIGHT {
            let Some((job, req)) = self.queue.pop_front() else {
                break;
            };
            if let Job::Secrets { vault, .. } = job {
                if self.vaults[vault].state == VaultScanState::Waiting {
                    self.vaults[vault].state = VaultScanState::Listing(Vec::new());
                }
            }
            self.next_ticket += 1;
            self.in_flight.insert(self.next_ticket, (job, req.clone()));
            out.push((self.next_ticket, req));
        }
        out
    }

    /// Takes the answer for `ticket` (unknown tickets are ignored); returns what to send next.
    pub fn feed(&mut self, ticket: u64, outcome: Outcome) -> Vec<Ticketed> {
        let Some((job, req)) = self.in_flight.remove(&ticket) else {
            return Vec::new();
        };
        let res = outcome.map_err(Err);
        match job {
            Job::Subscriptions => self.on_subscriptions(&req, res),
            Job::Vaults(sub) => self.on_vaults(sub, &req, res),
            Job::Secrets { vault, page } => self.on_secrets(vault, page, &req, res),
        }
        self.pump()
    }

    fn on_subscriptions(
        &mut self,
        req: &HttpRequest,
        res: Result<HttpResponse, Result<ArmError, Failure>>,
    ) {
        match res.and_then(|r| arm::parse_subscriptions(&r).map_err(Ok)) {
            Ok(page) => {
                for s in page.value.into_iter().filter(Subscription::is_enabled) {
                    let index = self.subscriptions.len();
                    let list = arm::list_vaults(&self.arm_base, &s.subscription_id);
                    self.subscriptions.push(s);
                    self.queue.push_back((Job::Vaults(index), list));
                }
                if let Some(next) = page.next_link {
                    let req = arm::next_page(&next, req);
                    self.queue.push_back((Job::Subscriptions, req));
                }
            }
            Err(e) => self.failed = Some(problem(e, "your subscriptions")),
        }
    }

    fn on_vaults(
        &mut self,
        sub: usize,
        req: &HttpRequest,
        res: Result<HttpResponse, Result<ArmError, Failure>>,
    ) {
        let sub_name = self.subscriptions[sub].display_name.clone();
        match res.and_then(|r| arm::parse_vaults(&r).map_err(Ok)) {
            Ok(page) => {
                for v in page.value {
                    self.add_vault(&v.id, &v.name, &sub_name);
                }
                if let Some(next) = page.next_link {
                    let req = arm::next_page(&next, req);
                    self.queue.push_back((Job::Vaults(sub), req));
                }
            }
            Err(e) => {
                let (message, details) = problem(e, &format!("the vaults in {sub_name}"));
                self.subscription_problems.push(SubscriptionProblem {
                    subscription_name: sub_name,
                    message,
                    details,
                });
            }
        }
    }

    fn on_secrets(
        &mut self,
        vault: usize,
        page: usize,
        req: &HttpRequest,
        res: Result<HttpResponse, Result<ArmError, Failure>>,
    ) {
        let name = self.vaults[vault].name.clone();
        let v = &mut self.vaults[vault];
        match res.and_then(|r| arm::parse_secret_list(&r).map_err(Ok)) {
            Ok(list) => {
                let mut got = match std::mem::replace(&mut v.state, VaultScanState::Waiting) {
                    VaultScanState::Listing(s) => s,
                    _ => Vec::new(),
                };
                got.extend(list.value);
                match list.next_link {
                    Some(next) if page < MAX_SECRET_PAGES => {
                        v.state = VaultScanState::Listing(got);
                        let req = arm::next_page(&next, req);
                        self.queue.push_back((
                            Job::Secrets {
                                vault,
                                page: page + 1,
                            },
                            req,
                        ));
                    }
                    rest => {
                        v.truncated = rest.is_some();
                        v.state = VaultScanState::Listed(got);
                    }
                }
            }
            Err(e) => {
                let (message, details) = problem(e, &format!("secrets in {name}"));
                v.state = VaultScanState::NotChecked { message, details };
            }
        }
    }

    /// Nothing in flight and nothing left to send.
    pub fn is_done(&self) -> bool {
        self.in_flight.is_empty() && self.queue.is_empty()
    }

    /// Vaults whose check has ended (listed or not checked).
    pub fn vaults_done(&self) -> usize {
        self.vaults
            .iter()
            .filter(|v| {
                matches!(
                    v.state,
                    VaultScanState::Listed(_) | VaultScanState::NotChecked { .. }
                )
            })
            .count()
    }

    /// The progress line: "Listing your subscriptions…", "Checked 1 of 3 vaults…", "Checked 3 vaults."
    pub fn progress(&self) -> String {
        let n = self.vaults.len();
        let plural = |n: usize| if n == 1 { "vault" } else { "vaults" };
        if self.is_done() {
            return format!(
                "Checked {} of {n} {} you can see.",
                self.vaults_done(),
                plural(n)
            );
        }
        let listing = self
            .in_flight
            .values()
            .map(|(j, _)| j)
            .chain(self.queue.iter().map(|(j, _)| j))
            .any(|j| matches!(j, Job::Subscriptions | Job::Vaults(_)));
        if listing {
            format!("Finding your key vaults… ({n} found so far)")
        } else {
            format!("Checked {} of {n} {}…", self.vaults_done(), plural(n))
        }
    }
}
