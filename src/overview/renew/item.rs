//! One renewal, as a small sans-IO machine: one request at a time, each answer deciding the
//! next step. Zero-reveal: the new value goes from addPassword's answer into the vault PUT's
//! zeroising body, and is dropped when the item leaves [`Step::Write`]. Steps 4 and 5 (the
//! vault half) are in `item/store.rs`.
//!
//! 1. [`Step::ReadVault`]: the vault secret's latest version. Still this secret's copy
//!    (`CredentialId` = K): go on. Already moved on to a renewal of K (`ReplacesCredentialId`
//!    = K): renewed earlier, if the app has that secret. Moved on to anything else: skipped.
//! 2. [`Step::ReadApp`]: K must still be there. A secret whose description says it renews K
//!    and which the vault does not hold is an orphan (an earlier attempt whose value was lost:
//!    a lost answer, a reload, a closed tab): nobody can know its value, so it is removed
//!    first ([`Step::RemoveOrphan`]). Never two new secrets for one old one.
//! 3. [`Step::Add`]: addPassword, described as renewing K. No answer, or 500/502/504: Graph may
//!    have acted, so back to 2 after [`LOST_WAIT_MS`] (never resend blind); at most [`MAX_LOST`]
//!    times.
//! 4. [`Step::Write`]: the vault PUT, a new version with the wizard's tags for the new secret,
//!    `ReplacesCredentialId` = K and `exp` = its end. No answer, or 500/502/504:
//!    [`Step::CheckWrite`] reads the version back; stored if it names the new keyId, else PUT
//!    again (at most [`MAX_PUTS`] in all). Refused: [`Step::RemoveNew`] removes the new secret,
//!    whose value can then be nowhere.
//! 5. Stored: the app is read once more ([`Step::ReadApp`]); another renewal of K besides the
//!    stored one (the browser itself repeats a POST whose reused connection closed before any
//!    answer) is removed.
//!
//! A policy refusal of the lifetime (`CredentialInvalidLifetimeAsPerAppPolicy`: nothing was
//! created, and Graph doesn't say the maximum) asks again with the next shorter lifetime the
//! site offers; the report says so.
//!
//! 429 and 503 (after the executor's own retries) and ARM's 409 from a concurrent change say
//! the service did nothing: the item waits ([`Next::Throttled`]) and sends the same step again,
//! at most [`MAX_THROTTLED`] times.

use chrono::{DateTime, Duration, Timelike, Utc};

use super::select::Candidate;
use crate::arm::{self, ArmError, ArmSecret};
use crate::domain::renewal::{self, REPLACES_TAG};
use crate::domain::tags::{tag, Tags};
use crate::graph::{self, Application, CreatedPassword, GraphError, NewPassword};
use crate::net::HttpRequest;
use crate::runtime::{Outcome, Problem};

mod answer;
mod store;

use answer::{busy, read, unclear, Read};

/// Lost addPassword answers per item before giving up (each one checked, orphans removed).
/// Five: server errors come in bursts, and a run of 200 meeting a few should still renew all
/// (`cargo xtask bench renew`'s "concentrated" scenario puts four on the first items).
pub const MAX_LOST: u32 = 5;
/// Vault PUTs per item at most.
pub const MAX_PUTS: u32 = 3;
/// Waits after a throttled or busy answer per item at most.
pub const MAX_THROTTLED: u32 = 5;
/// After a lost addPassword answer, the wait before the app is read: Graph's reads can lag its
/// writes, with no documented bound ("There are no documented replication SLAs",
/// microsoftgraph/msgraph-bicep-types#193; msgraph-sdk-powershell#1191), and a read that comes
/// too soon misses the secret the lost call made. A guess, so not the only guard: removing the
/// replaced secrets later also removes any renewal the vault doesn't hold.
pub const LOST_WAIT_MS: u64 = 5_000;

/// What every item of a run shares.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunSettings {
    pub graph_base: String,
    pub arm_base: String,
    /// The signed-in user's UPN (the description and the `CreatedBy` tag).
    pub upn: String,
    pub lifetime_days: u32,
    /// The lifetimes the site offers (days, shortest first): after a policy refusal the next
    /// shorter one is asked for.
    pub lifetimes: Vec<u32>,
}

/// How an item ended.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemResult {
    /// Renewed now: the new secret's keyId and end, the vault version written.
    Renewed {
        new_key_id: String,
        end: Option<DateTime<Utc>>,
        version: Option<String>,
        /// The organisation's policy refused the run's lifetime: the days it refused.
        refused_days: Option<u32>,
    },
    /// Renewed by an earlier run (the vault's tags say so, and the app has the new secret).
    Earlier {
        new_key_id: String,
    },
    Skipped(String),
    /// Not started: the run was cancelled.
    Cancelled,
}

impl ItemResult {
    /// The report's key: `renewed`, `earlier`, `skipped`, `cancelled`.
    pub fn key(&self) -> &'static str {
        match self {
            ItemResult::Renewed { .. } => "renewed",
            ItemResult::Earlier { .. } => "earlier",
            ItemResult::Skipped(_) => "skipped",
            ItemResult::Cancelled => "cancelled",
        }
    }

    /// The report's words for it.
    pub fn label(&self) -> &'static str {
        match self {
            ItemResult::Renewed { .. } => "Renewed",
            ItemResult::Earlier { .. } => "Renewed earlier",
            ItemResult::Skipped(_) => "Skipped",
            ItemResult::Cancelled => "Cancelled",
        }
    }
}

/// Where an item stands.
#[derive(Debug, Default)]
pub enum Step {
    #[default]
    Queued,
    ReadVault,
    ReadApp,
    /// Removing the first of `orphans`.
    RemoveOrphan,
    Add,
    /// The only step that holds the value.
    Write(CreatedPassword),
    CheckWrite(CreatedPassword),
    /// Removing the new secret (keyId) the vault refused; `why` is the refusal's words.
    RemoveNew {
        key_id: String,
        why: String,
    },
    Done(ItemResult),
}

/// What the run does after an answer.
#[derive(Debug, PartialEq, Eq)]
pub enum Next {
    /// Send [`Item::request`] for the new step.
    Send,
    /// The service was busy: wait, then send the same step again.
    Throttled { retry_after_secs: Option<u64> },
    /// Wait this long, then send the (new) step.
    Wait(u64),
    /// The item has ended ([`Step::Done`]).
    Done,
}

/// One renewal.
#[derive(Debug)]
pub struct Item {
    pub candidate: Candidate,
    pub step: Step,
    /// The vault secret's latest version as read: its tags (others' are kept) and whom it holds.
    vault_tags: Tags,
    vault_holds: Option<String>,
    orphans: Vec<String>,
    /// What was asked of addPassword (to describe the result).
    lost: u32,
    puts: u32,
    throttled: u32,
    /// The vault refused a write of this run: skip before creating anything.
    pub vault_refused: Option<String>,
    /// This item's vault write was refused for lack of a role or by Azure Policy: the words.
    pub write_refused: Option<String>,
    /// Stored: the result, while the app is read once more for extra copies.
    after: Option<ItemResult>,
    /// The policy refused the run's lifetime: (the shorter lifetime asked for now, the
    /// longest refused).
    shorter: Option<(u32, u32)>,
}

fn same(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

impl Item {
    pub fn new(candidate: Candidate) -> Self {
        Self {
            candidate,
            step: Step::Queued,
            vault_tags: Tags::new(),
            vault_holds: None,
            orphans: Vec::new(),
            lost: 0,
            puts: 0,
            throttled: 0,
            vault_refused: None,
            write_refused: None,
            after: None,
            shorter: None,
        }
    }

    pub fn is_done(&self) -> bool {
        matches!(self.step, Step::Done(_))
    }

    pub fn result(&self) -> Option<&ItemResult> {
        match &self.step {
            Step::Done(r) => Some(r),
            _ => None,
        }
    }

    /// Whether the item holds a value now (only between addPassword and the vault's answer).
    pub fn holds_value(&self) -> bool {
        matches!(self.step, Step::Write(_) | Step::CheckWrite(_))
    }

    /// Starts the item: the first request.
    pub fn start(&mut self, s: &RunSettings, now: DateTime<Utc>) -> Option<HttpRequest> {
        self.step = Step::ReadVault;
        self.request(s, now)
    }

    /// Ends an item that never started.
    pub fn cancel(&mut self) {
        if matches!(self.step, Step::Queued) {
            self.step = Step::Done(ItemResult::Cancelled);
        }
    }

    /// The request of the current step, sent at `now`.
    pub fn request(&self, s: &RunSettings, now: DateTime<Utc>) -> Option<HttpRequest> {
        let c = &self.candidate;
        let app = &c.object_id;
        Some(match &self.step {
            Step::ReadVault => arm::get_secret(&s.arm_base, &c.copy.vault_id, &c.copy.secret_name),
            Step::ReadApp => graph::get_application(&s.graph_base, app),
            Step::RemoveOrphan => graph::remove_password(&s.graph_base, app, self.orphans.first()?),
            Step::Add => graph::add_password(&s.graph_base, app, &self.new_password(s, now)),
            Step::Write(created) => self.put(s, created),
            Step::CheckWrite(_) => {
                arm::get_secret(&s.arm_base, &c.copy.vault_id, &c.copy.secret_name)
            }
            Step::RemoveNew { key_id, .. } => graph::remove_password(&s.graph_base, app, key_id),
            Step::Queued | Step::Done(_) => return None,
        })
    }

    /// What addPassword is asked for: described as renewing K, from now (whole seconds, as
    /// Graph stores them) for the run's lifetime.
    fn new_password(&self, s: &RunSettings, now: DateTime<Utc>) -> NewPassword {
        let start = now.with_nanosecond(0).unwrap_or(now);
        let days = self.shorter.map_or(s.lifetime_days, |(days, _)| days);
        NewPassword {
            display_name: renewal::description(&self.candidate.key_id, &s.upn, start.date_naive()),
            start,
            end: start + Duration::days(i64::from(days)),
        }
    }

    fn done(&mut self, result: ItemResult) -> Next {
        self.step = Step::Done(result);
        Next::Done
    }

    fn skip(&mut self, why: impl Into<String>) -> Next {
        self.done(ItemResult::Skipped(why.into()))
    }

    fn to(&mut self, step: Step) -> Next {
        self.step = step;
        Next::Send
    }

    /// Takes the answer to the current step's request.
    pub fn feed(&mut self, outcome: Outcome, s: &RunSettings) -> Next {
        // Busy or throttled: nothing was done; the same step again, later.
        if let Some(retry_after_secs) = busy(&outcome) {
            if self.throttled < MAX_THROTTLED {
                self.throttled += 1;
                return Next::Throttled { retry_after_secs };
            }
        }
        match std::mem::take(&mut self.step) {
            Step::ReadVault => self.on_vault(outcome),
            Step::ReadApp => self.on_app(outcome),
            Step::RemoveOrphan => self.on_orphan_removed(outcome),
            Step::Add => self.on_added(outcome, s),
            Step::Write(created) => self.on_written(outcome, created),
            Step::CheckWrite(created) => self.on_checked(outcome, created),
            Step::RemoveNew { key_id, why } => self.on_new_removed(outcome, key_id, why),
            other @ (Step::Queued | Step::Done(_)) => {
                self.step = other;
                Next::Done
            }
        }
    }

    fn on_vault(&mut self, outcome: Outcome) -> Next {
        let c = &self.candidate;
        let where_ = format!("{}/{}", c.copy.vault_name, c.copy.secret_name);
        let secret = match read(outcome, arm::parse_secret) {
            Ok(s) => s,
            Err(Read::Refused(ArmError::ResourceNotFound(_))) => {
                return self.skip(format!(
                    "The vault secret {where_} is gone: nothing was changed."
                ))
            }
            Err(e) => return self.skip(e.words_arm(&c.copy.vault_name, &c.copy.secret_name)),
        };
        self.absorb_vault(&secret);
        let key = self.candidate.key_id.clone();
        match (self.vault_holds.clone(), tag(&secret.tags, REPLACES_TAG)) {
            (Some(holds), _) if same(&holds, &key) => self.to(Step::ReadApp),
            // Renewed earlier: the app must still have the secret the vault holds.
            (Some(_), Some(old)) if same(old, &key) => self.to(Step::ReadApp),
            (holds, _) => self.skip(format!(
                "The vault secret {where_} now holds {}: nothing was changed.",
                holds.map_or_else(
                    || "a value without a CredentialId tag".to_string(),
                    |h| format!("another secret ({h})")
                )
            )),
        }
    }

    fn absorb_vault(&mut self, secret: &ArmSecret) {
        self.vault_tags = secret.tags.clone();
        self.vault_holds = tag(&secret.tags, "CredentialId").map(str::to_string);
    }

    fn on_app(&mut self, outcome: Outcome) -> Next {
        if self.after.is_some() {
            return self.on_verified(outcome);
        }
        let app: Application = match read(outcome, graph::parse_application) {
            Ok(app) => app,
            Err(Read::Refused(GraphError::NotFound(_))) => {
                return self.skip("The app registration is gone: nothing was changed.")
            }
            Err(e) => return self.skip(e.words_graph()),
        };
        let key = self.candidate.key_id.clone();
        let creds = &app.password_credentials;
        let holds = self.vault_holds.clone().unwrap_or_default();
        if !same(&holds, &key) {
            // The vault moved on to a renewal of K: done earlier, if the app has it.
            return match creds.iter().find(|c| same(&c.key_id, &holds)) {
                Some(c) => self.done(ItemResult::Earlier {
                    new_key_id: c.key_id.clone(),
                }),
                None => self.skip(format!(
                    "The vault says a renewal ({holds}) replaced it, but the app has no such \
                     secret: check the vault secret's versions."
                )),
            };
        }
        if !creds.iter().any(|c| same(&c.key_id, &key)) {
            return self.skip("The secret is no longer on the app: nothing was renewed.");
        }
        self.orphans = creds
            .iter()
            .filter(|c| renewal::renews(c.display_name.as_deref(), &key))
            .map(|c| c.key_id.clone())
            .collect();
        if !self.orphans.is_empty() {
            return self.to(Step::RemoveOrphan);
        }
        self.ready_to_add()
    }

    fn ready_to_add(&mut self) -> Next {
        if self.lost >= MAX_LOST {
            return self.skip(format!(
                "Microsoft Graph didn't answer {MAX_LOST} times. The app was checked after each: \
                 nothing was left behind. Try again later."
            ));
        }
        if let Some(why) = self.vault_refused.clone() {
            return self.skip(why);
        }
        self.to(Step::Add)
    }

    fn on_orphan_removed(&mut self, outcome: Outcome) -> Next {
        let orphan = self.orphans.remove(0);
        match read(outcome, graph::parse_remove_password) {
            // Gone already is what was wanted.
            Ok(()) | Err(Read::Refused(GraphError::NotFound(_))) => {}
            Err(Read::Unclear) => {
                // Removed or not: read the app again, which finds it if it is still there.
                return self.to(Step::ReadApp);
            }
            Err(e) => {
                return self.skip(format!(
                    "An earlier attempt left a new secret ({orphan}) whose value was never \
                     stored, and removing it failed: {} Remove it on the app's Review, then \
                     renew again.",
                    e.words_graph()
                ))
            }
        }
        if self.orphans.is_empty() {
            match self.after.take() {
                Some(result) => self.done(result),
                None => self.ready_to_add(),
            }
        } else {
            self.to(Step::RemoveOrphan)
        }
    }

    fn on_added(&mut self, outcome: Outcome, s: &RunSettings) -> Next {
        if unclear(&outcome) {
            // Graph may have created it: look (after a while) before anything is sent again.
            self.lost += 1;
            self.step = Step::ReadApp;
            return Next::Wait(LOST_WAIT_MS);
        }
        let res = match outcome {
            Ok(res) => res,
            Err(f) => return self.skip(Read::Failed(f).words_graph()),
        };
        match graph::parse_add_password(res) {
            Ok(created) => {
                self.puts = 0;
                self.to(Step::Write(created))
            }
            Err(GraphError::PolicyLifetime(_)) => {
                // Graph says the policy refuses this lifetime, not what it allows (nothing was
                // created): ask for the next shorter one the site offers.
                let asked = self.shorter.map_or(s.lifetime_days, |(days, _)| days);
                let refused = self.shorter.map_or(asked, |(_, first)| first);
                match s.lifetimes.iter().rev().find(|&&d| d < asked) {
                    Some(&days) => {
                        self.shorter = Some((days, refused));
                        self.to(Step::Add)
                    }
                    None => self.skip(format!(
                        "Your organisation's policy doesn't allow even {} for this app: renew \
                         it on its own in the wizard, with a shorter lifetime.",
                        crate::domain::lifetime::days_words(asked)
                    )),
                }
            }
            Err(e) => self.skip(Problem::from_graph(&e).message),
        }
    }
}
