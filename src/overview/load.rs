//! Fetching the overview's data, sans-IO: two request chains run side by side.
//!
//! - **Apps**: `GET /v1.0/applications?$select=id,appId,displayName,passwordCredentials,
//!   keyCredentials&$top=999`, then every `@odata.nextLink` until there is none. 5,000 apps
//!   take 6 requests.
//! - **Owned**: `GET /v1.0/me/ownedObjects/microsoft.graph.application?$select=id&$top=999`
//!   (object IDs only), paged the same way; usually 1 request.
//!
//! [`Loader::feed`] takes each response and says what to send next. A failure of the apps
//! chain ends the load with its [`GraphError`]. A failure of the owned chain does not: the
//! overview still shows every app, and "owned by me" is turned off with a note.

use std::collections::HashSet;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset};

use super::model::{build_rows, group_thousands, Row};
use crate::graph::{next_page, parse_application_page, Application, GraphError};
use crate::net::{encode, HttpRequest, HttpResponse, Method, Resource};

/// The only fields the overview reads.
pub const OVERVIEW_SELECT: &str = "id,appId,displayName,passwordCredentials,keyCredentials";
/// Graph's largest page.
pub const OVERVIEW_PAGE_SIZE: u32 = 999;

fn get(base: &str, path_and_query: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Get,
        format!("{}/v1.0{path_and_query}", base.trim_end_matches('/')),
        Resource::Graph,
    )
}

/// The first request of the apps chain.
pub fn all_apps(graph_base: &str) -> HttpRequest {
    get(
        graph_base,
        &format!(
            "/applications?$select={}&$top={OVERVIEW_PAGE_SIZE}",
            encode(OVERVIEW_SELECT)
        ),
    )
}

/// The first request of the owned chain.
pub fn owned_apps(graph_base: &str) -> HttpRequest {
    get(
        graph_base,
        &format!(
            "/me/ownedObjects/microsoft.graph.application?$select=id&$top={OVERVIEW_PAGE_SIZE}"
        ),
    )
}

/// Which chain a request belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chain {
    Apps,
    Owned,
}

/// What to do after a response.
#[derive(Debug)]
pub enum Next {
    /// Send this request (same chain).
    Send(HttpRequest),
    /// This chain is finished (check [`Loader::is_done`]).
    ChainDone,
    /// The apps chain failed: the load is over.
    Failed(GraphError),
}

/// The state of one load.
#[derive(Debug, Default)]
pub struct Loader {
    apps: Vec<Application>,
    owned: HashSet<String>,
    apps_done: bool,
    owned_done: bool,
    /// Why the owned chain failed (the details line of the error).
    owned_error: Option<String>,
    failed: bool,
    responses: u32,
}

impl Loader {
    /// A new load and the two first requests.
    pub fn start(graph_base: &str) -> (Loader, [(Chain, HttpRequest); 2]) {
        (
            Loader::default(),
            [
                (Chain::Apps, all_apps(graph_base)),
                (Chain::Owned, owned_apps(graph_base)),
            ],
        )
    }

    /// Takes the response to `req` (of `chain`) and says what comes next.
    pub fn feed(&mut self, chain: Chain, req: &HttpRequest, res: &HttpResponse) -> Next {
        self.responses += 1;
        let page = match parse_application_page(res) {
            Ok(page) => page,
            Err(e) => {
                return match chain {
                    Chain::Apps => {
                        self.failed = true;
                        Next::Failed(e)
                    }
                    Chain::Owned => {
                        self.fail_owned(e.details());
                        Next::ChainDone
                    }
                };
            }
        };
        match chain {
            Chain::Apps => self.apps.extend(page.value),
            Chain::Owned => self
                .owned
                .extend(page.value.into_iter().map(|a| a.id.to_ascii_lowercase())),
        }
        match page.next_link {
            Some(link) => Next::Send(next_page(&link, req)),
            None => {
                match chain {
                    Chain::Apps => self.apps_done = true,
                    Chain::Owned => self.owned_done = true,
                }
                Next::ChainDone
            }
        }
    }

    /// Ends the owned chain as failed (a Graph error, or no answer at all): the overview
    /// goes on without "owned by me".
    pub fn fail_owned(&mut self, details: String) {
        self.owned_done = true;
        self.owned.clear();
        self.owned_error = Some(details);
    }

    /// True when both chains are finished and the apps chain did not fail.
    pub fn is_done(&self) -> bool {
        self.apps_done && self.owned_done && !self.failed
    }

    /// Apps received so far.
    pub fn loaded_apps(&self) -> usize {
        self.apps.len()
    }

    /// Responses received so far, both chains.
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

    /// Why "owned by me" is unavailable, if the owned chain failed.
    pub fn owned_error(&self) -> Option<&str> {
        self.owned_error.as_deref()
    }

    /// The finished data, with the sorted rows for `now`.
    pub fn finish(self, now: &DateTime<FixedOffset>) -> Loaded {
        let rows = build_rows(&self.apps, &self.owned, now);
        Loaded {
            apps: self.apps.len(),
            rows: Rc::new(rows),
            owned_available: self.owned_error.is_none(),
            owned_note: self.owned_error.map(|details| {
                format!(
                    "\"Owned by me\" is unavailable: the list of your apps could not be loaded ({details})."
                )
            }),
        }
    }
}

/// What the overview shows once loading is finished.
#[derive(Clone, Debug, PartialEq)]
pub struct Loaded {
    /// Number of apps.
    pub apps: usize,
    /// Sorted by urgency (shared: the page hands them to its parts without copying).
    pub rows: Rc<Vec<Row>>,
    pub owned_available: bool,
    /// Shown next to the "Owned by me" checkbox when it is unavailable.
    pub owned_note: Option<String>,
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
