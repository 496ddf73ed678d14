//! Choose app: search by name (as you type, debounced) or client ID, and "My apps".

use super::app::AppContext;
use super::state::{Call, Effect, Outcome, Problem, Step, Wizard};
use crate::graph::{self, AppQuery, Application};
use crate::net::HttpRequest;

/// Milliseconds between the last keystroke and the search.
pub const DEBOUNCE_MS: u32 = 250;

/// The two views of the Choose step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Search,
    MyApps,
}

/// One list of applications, possibly paged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    pub apps: Vec<Application>,
    pub loading: bool,
    /// Whether a first page has arrived.
    pub loaded: bool,
    pub problem: Option<Problem>,
    pub next_link: Option<String>,
    /// The request that produced the first page (its headers are re-sent for the next pages).
    request: Option<HttpRequest>,
}

impl Listing {
    fn begin(&mut self, request: &HttpRequest) {
        self.loading = true;
        self.problem = None;
        self.request = Some(request.clone());
    }

    fn land(&mut self, outcome: Outcome, append: bool) {
        self.loading = false;
        let page = outcome
            .map_err(Problem::from_failure)
            .and_then(|r| graph::parse_application_page(&r).map_err(|e| Problem::from_graph(&e)));
        match page {
            Ok(page) => {
                if append {
                    self.apps.extend(page.value);
                } else {
                    self.apps = page.value;
                }
                self.next_link = page.next_link;
                self.loaded = true;
            }
            Err(p) => self.problem = Some(p),
        }
    }
}

/// The Choose step's state; kept when the user goes on, so "back to search" finds it as left.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchState {
    pub tab: Tab,
    /// What the user typed.
    pub input: String,
    pub results: Listing,
    pub mine: Listing,
    debounce: u64,
}

impl SearchState {
    /// The listing the current tab shows.
    pub fn visible(&self) -> &Listing {
        match self.tab {
            Tab::Search => &self.results,
            Tab::MyApps => &self.mine,
        }
    }

    /// The query for the current input: a GUID is a client ID, anything else a name prefix.
    pub fn query(&self) -> AppQuery {
        let input = self.input.trim();
        if input.is_empty() {
            AppQuery::All
        } else if graph::is_guid(input) {
            AppQuery::AppId(input.to_ascii_lowercase())
        } else {
            AppQuery::NameStartsWith(input.to_string())
        }
    }
}

impl Wizard {
    pub(super) fn search_input(&mut self, text: String) -> Vec<Effect> {
        self.search.input = text;
        self.search.tab = Tab::Search;
        let token = self.next_token();
        self.search.debounce = token;
        vec![Effect::Debounce {
            token,
            millis: DEBOUNCE_MS,
        }]
    }

    pub(super) fn search_due(&mut self, token: u64) -> Vec<Effect> {
        if token != self.search.debounce {
            return Vec::new(); // another keystroke came after this one
        }
        self.run_search()
    }

    pub(super) fn run_search(&mut self) -> Vec<Effect> {
        let request = graph::list_applications(&self.config.graph_base, &self.search.query());
        self.search.results.begin(&request);
        vec![self.send(Call::Search, request)]
    }

    pub(super) fn show_tab(&mut self, tab: Tab) -> Vec<Effect> {
        self.search.tab = tab;
        if tab == Tab::MyApps && !self.search.mine.loaded && !self.search.mine.loading {
            let request = graph::my_applications(&self.config.graph_base);
            self.search.mine.begin(&request);
            return vec![self.send(Call::MyApps, request)];
        }
        Vec::new()
    }

    pub(super) fn more_results(&mut self) -> Vec<Effect> {
        let listing = match self.search.tab {
            Tab::Search => &mut self.search.results,
            Tab::MyApps => &mut self.search.mine,
        };
        let (Some(link), Some(first)) = (listing.next_link.clone(), listing.request.clone()) else {
            return Vec::new();
        };
        if listing.loading {
            return Vec::new();
        }
        listing.loading = true;
        let call = match self.search.tab {
            Tab::Search => Call::MoreResults,
            Tab::MyApps => Call::MyApps,
        };
        vec![self.send(call, graph::next_page(&link, &first))]
    }

    pub(super) fn on_list(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        match call {
            Call::Search => self.search.results.land(outcome, false),
            Call::MoreResults => self.search.results.land(outcome, true),
            _ => {
                let append = self.search.mine.loaded;
                self.search.mine.land(outcome, append)
            }
        }
        Vec::new()
    }

    /// Opens an app from the visible results on its Review page.
    pub(super) fn pick(&mut self, object_id: &str) -> Vec<Effect> {
        let found = [&self.search.results.apps, &self.search.mine.apps]
            .into_iter()
            .flatten()
            .find(|a| a.id == object_id)
            .cloned();
        let Some(app) = found else {
            return Vec::new();
        };
        if !matches!(self.step, Step::Choose) {
            return Vec::new();
        }
        self.app = Some(AppContext::new(app));
        self.step = Step::Review;
        self.reload_app()
    }
}
