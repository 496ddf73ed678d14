//! Fetching the overview's data, sans-IO.
//!
//! - **Apps** ([`Loader`]): `GET /v1.0/applications?$select=id,appId,displayName,
//!   passwordCredentials,keyCredentials&$top=999`, then every `@odata.nextLink` until there is
//!   none. 5,000 apps take 6 requests, and that is the whole load.
//! - **Owned** ([`OwnedLoader`]): `GET /v1.0/me/ownedObjects/microsoft.graph.application?
//!   $select=id&$top=999` (object IDs only), paged the same way; usually 1 request. Sent only
//!   when "Only apps I own" is first ticked, so the overview costs no request it does not use.
//!
//! - **Owners** ([`OwnersLoader`]): once the first table is on screen, `GET /v1.0/applications?
//!   $select=id&$expand=owners($select=id,displayName,userPrincipalName)&$top=100` and its
//!   nextLinks (Graph returns at most 100 apps a page with `$expand`, and at most 20 owners an
//!   app, with no nextLink for the rest); then, for every app that came with 20 owners (maybe
//!   cut), its full list through JSON `$batch`es of 20 `GET /applications/{id}/owners` (each
//!   paged by its own nextLink). 5,000 apps: 51 pages, plus a batch per 20 such apps. Why a
//!   second chain rather than `$expand` on the apps chain: that chain would shrink from 999 to
//!   100 apps a page (6 → 51 requests before the first table); BENCHMARKS.md has both timings.
//!
//! Each `feed` takes a response and says what to send next. A failure of the apps chain ends
//! the load with its [`GraphError`]. A failure of the owned chain does not: the overview keeps
//! every app, and "owned by me" is turned off with a note. Nor does a failure of the owners
//! chain: the Owners column says they could not be loaded; an app whose full list could not be
//! read (after one retry of a throttled or failed batch request, sent after its `Retry-After`,
//! at most 10 s) keeps its first 20, marked incomplete.

use std::collections::{HashMap, HashSet, VecDeque};
use std::rc::Rc;

use chrono::{DateTime, FixedOffset};

use super::model::{build_rows, group_thousands, mark_owned, Row};
use crate::graph::owners::{
    overview_owners, owner_name, owners_batch, owners_url, parse_app_owners_page,
    parse_owners_batch, relative_url, BATCH_MAX, EXPAND_MAX_OWNERS,
};
use crate::graph::{next_page, parse_application_page, Application, GraphError};
use crate::net::{HttpRequest, HttpResponse};
use crate::retry::{parse_retry_after, BACKOFF_BASE_MS, MAX_WAIT_SECS};

mod owners;
pub use owners::*;

/// The first requests of the apps chain and the owned chain: the Graph client builds them
/// ([`crate::graph::overview_applications`], [`crate::graph::owned_application_ids`]).
pub use crate::graph::{
    overview_applications as all_apps, owned_application_ids as owned_apps, OVERVIEW_PAGE_SIZE,
};

/// What to do after a response of the apps chain.
#[derive(Debug)]
pub enum Next {
    /// Send this request.
    Send(HttpRequest),
    /// Every page is in: [`Loader::finish`].
    Done,
    /// The load failed.
    Failed(GraphError),
}

/// The state of one load of the apps.
#[derive(Debug, Default)]
pub struct Loader {
    apps: Vec<Application>,
    responses: u32,
}

impl Loader {
    /// A new load and its first request.
    pub fn start(graph_base: &str) -> (Loader, HttpRequest) {
        (Loader::default(), all_apps(graph_base))
    }

    /// Takes the response to `req` and says what comes next.
    pub fn feed(&mut self, req: &HttpRequest, res: &HttpResponse) -> Next {
        self.responses += 1;
        match parse_application_page(res) {
            Err(e) => Next::Failed(e),
            Ok(page) => {
                self.apps.extend(page.value);
                match page.next_link {
                    Some(link) => Next::Send(next_page(&link, req)),
                    None => Next::Done,
                }
            }
        }
    }

    /// Apps received so far.
    pub fn loaded_apps(&self) -> usize {
        self.apps.len()
    }

    /// Responses received so far.
    pub fn responses(&self) -> u32 {
        self.responses
    }

    /// "Loaded 2,997 apps…" while pages arrive.
    pub fn progress(&self) -> String {
        let n = self.apps.len();
        if n == 0 {
            "Loading app registrations…".into()
        } else {
            let noun = if n == 1 { "app" } else { "apps" };
            format!("Loaded {} {noun}…", group_thousands(n))
        }
    }

    /// The finished data, with the sorted rows for `now` ("owned by me" not looked up yet).
    pub fn finish(self, now: &DateTime<FixedOffset>) -> Loaded {
        Loaded {
            apps: self.apps.len(),
            rows: Rc::new(build_rows(&self.apps, now)),
            owned: Owned::NotLoaded,
            owners: OwnersStatus::NotLoaded,
        }
    }
}

/// What to do after a response of the owned chain.
#[derive(Debug)]
pub enum OwnedNext {
    /// Send this request.
    Send(HttpRequest),
    /// The object IDs (lower-cased) of every app the user owns.
    Done(HashSet<String>),
    /// The owned apps could not be listed; the details line of the error.
    Failed(String),
}

/// The state of one lookup of the apps the user owns.
#[derive(Debug, Default)]
pub struct OwnedLoader {
    owned: HashSet<String>,
}

impl OwnedLoader {
    /// A new lookup and its first request.
    pub fn start(graph_base: &str) -> (OwnedLoader, HttpRequest) {
        (OwnedLoader::default(), owned_apps(graph_base))
    }

    /// Takes the response to `req` and says what comes next.
    pub fn feed(&mut self, req: &HttpRequest, res: &HttpResponse) -> OwnedNext {
        match parse_application_page(res) {
            Err(e) => OwnedNext::Failed(e.details()),
            Ok(page) => {
                self.owned
                    .extend(page.value.into_iter().map(|a| a.id.to_ascii_lowercase()));
                match page.next_link {
                    Some(link) => OwnedNext::Send(next_page(&link, req)),
                    None => OwnedNext::Done(std::mem::take(&mut self.owned)),
                }
            }
        }
    }
}

/// Whether "owned by me" is known.
#[derive(Clone, Debug, PartialEq)]
pub enum Owned {
    /// Not looked up yet (nothing has asked for it).
    NotLoaded,
    /// Being looked up.
    Loading,
    /// Every row says whether the user owns its app.
    Loaded,
    /// The lookup failed ([`OWNED_UNAVAILABLE`]); `details` is the error's details line.
    Unavailable { details: String },
}

/// Shown next to the checkbox when the owned apps could not be looked up.
pub const OWNED_UNAVAILABLE: &str =
    "\"Only apps I own\" is unavailable: the list of apps you own could not be loaded.";

/// What the overview shows once loading is finished.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// Number of apps.
    pub apps: usize,
    /// Sorted by urgency (shared: the page hands them to its parts without copying).
    pub rows: Rc<Vec<Row>>,
    pub owned: Owned,
    /// Every app's owners (loaded after the rows are on screen).
    pub owners: OwnersStatus,
}

impl Loaded {
    /// The same data while the owned apps are being looked up.
    pub fn owned_loading(&self) -> Loaded {
        Loaded {
            owned: Owned::Loading,
            ..self.clone()
        }
    }

    /// The same rows, each marked owned or not.
    pub fn with_owned(&self, owned: &HashSet<String>) -> Loaded {
        let mut rows = (*self.rows).clone();
        mark_owned(&mut rows, owned);
        Loaded {
            apps: self.apps,
            rows: Rc::new(rows),
            owned: Owned::Loaded,
            owners: self.owners.clone(),
        }
    }

    /// The same data with the owners' status.
    pub fn with_owners(&self, owners: OwnersStatus) -> Loaded {
        Loaded {
            owners,
            ..self.clone()
        }
    }

    /// The same rows, "owned by me" unavailable because the lookup failed with `details`.
    pub fn without_owned(&self, details: &str) -> Loaded {
        Loaded {
            owned: Owned::Unavailable {
                details: details.to_string(),
            },
            ..self.clone()
        }
    }

    /// True when "Only apps I own" can filter now.
    pub fn owned_known(&self) -> bool {
        self.owned == Owned::Loaded
    }
}

/// The message for a failed load: listing-specific when access was denied, else Graph's own.
pub fn load_error_message(e: &GraphError) -> String {
    match e {
        GraphError::AuthorizationDenied(_) => {
            "You can't list the app registrations of this tenant. Ask an admin for read access \
             to applications (for example the Directory Readers role)."
                .into()
        }
        other => other.user_message(),
    }
}
