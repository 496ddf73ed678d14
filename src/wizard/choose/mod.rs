//! Step 1, Choose app: search by name (as you type, debounced) or client ID, and "My apps".
//!
//! [`ChooseState`] is the step's own reducer: [`ChooseState::update`] takes a [`ChooseMsg`],
//! [`ChooseState::answer`] a service answer, and both return [`ChooseEffect`]s as data. The state
//! is kept when the user goes on, so "Back to search" finds it as left. The component is
//! [`view::ChooseStep`].

use super::shared::Call;
use crate::graph::{self, AppQuery, Application};
use crate::net::HttpRequest;
use crate::runtime::{Outcome, Problem, Tokens};

#[cfg(target_arch = "wasm32")]
pub mod view;

/// Milliseconds between the last keystroke and the search.
pub const DEBOUNCE_MS: u32 = 250;

/// The two views of the Choose step.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Tab {
    #[default]
    Search,
    MyApps,
}

/// The user's actions on the Choose step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ChooseMsg {
    /// What is in the search field now.
    Input(String),
    /// The debounce timer `token` ran out.
    Due(u64),
    ShowTab(Tab),
    /// The next page of the visible list.
    More,
    /// Choose an application (object ID) from the visible results.
    Pick(String),
}

/// What the step asks of the wizard.
#[derive(Debug, PartialEq)]
pub enum ChooseEffect {
    Send(Call, HttpRequest),
    /// Wait, then [`ChooseMsg::Due`] with `token`.
    Debounce {
        token: u64,
        millis: u32,
    },
    /// Open this app on the Review step.
    Open(Application),
}

/// One list of applications, possibly paged.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listing {
    apps: Vec<Application>,
    loading: bool,
    /// Whether a first page has arrived.
    loaded: bool,
    problem: Option<Problem>,
    next_link: Option<String>,
    /// The request that produced the first page (its headers are re-sent for the next pages).
    request: Option<HttpRequest>,
}

impl Listing {
    pub fn apps(&self) -> &[Application] {
        &self.apps
    }

    /// A page is on its way.
    pub fn is_loading(&self) -> bool {
        self.loading
    }

    /// The next page's link, when there is one.
    pub fn next_link(&self) -> Option<&str> {
        self.next_link.as_deref()
    }

    /// Why the last page couldn't be listed.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    fn begin(&mut self, request: &HttpRequest) {
        self.loading = true;
        self.problem = None;
        self.request = Some(request.clone());
    }

    fn land(&mut self, outcome: Outcome, append: bool) {
        self.loading = false;
        match Problem::graph(outcome, graph::parse_application_page) {
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

/// The Choose step's state.
#[derive(Clone, Debug, Default)]
pub struct ChooseState {
    graph_base: String,
    tab: Tab,
    /// What the user typed.
    input: String,
    results: Listing,
    mine: Listing,
    /// The debounce timer that counts; the numbering outlives a sign-out (see `reset`).
    debounce: u64,
    tokens: Tokens,
}

impl ChooseState {
    /// `graph_base`: Graph's base URL (`WizardConfig::graph_base`).
    pub fn new(graph_base: &str) -> Self {
        Self {
            graph_base: graph_base.to_string(),
            ..Self::default()
        }
    }

    /// Fresh, for nobody; a timer already running stays stale.
    pub fn reset(&mut self) {
        let tokens = self.tokens;
        *self = Self::new(&self.graph_base);
        self.tokens = tokens;
    }

    pub fn tab(&self) -> Tab {
        self.tab
    }

    /// What the user typed (or a prepared run put there).
    pub fn input(&self) -> &str {
        &self.input
    }

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

    pub fn update(&mut self, msg: ChooseMsg) -> Vec<ChooseEffect> {
        match msg {
            ChooseMsg::Input(text) => {
                self.input = text;
                self.tab = Tab::Search;
                let token = self.tokens.fresh();
                self.debounce = token;
                vec![ChooseEffect::Debounce {
                    token,
                    millis: DEBOUNCE_MS,
                }]
            }
            // Another keystroke came after this one: its own timer counts.
            ChooseMsg::Due(token) if token != self.debounce => Vec::new(),
            ChooseMsg::Due(_) => self.search(),
            ChooseMsg::ShowTab(tab) => {
                self.tab = tab;
                if tab == Tab::MyApps && !self.mine.loaded && !self.mine.loading {
                    let request = graph::my_applications(&self.graph_base);
                    self.mine.begin(&request);
                    return vec![ChooseEffect::Send(Call::MyApps, request)];
                }
                Vec::new()
            }
            ChooseMsg::More => self.more(),
            ChooseMsg::Pick(object_id) => [&self.results.apps, &self.mine.apps]
                .into_iter()
                .flatten()
                .find(|a| a.id == object_id)
                .map(|app| ChooseEffect::Open(app.clone()))
                .into_iter()
                .collect(),
        }
    }

    /// Searches for the current input now.
    pub fn search(&mut self) -> Vec<ChooseEffect> {
        let request = graph::list_applications(&self.graph_base, &self.query());
        self.results.begin(&request);
        vec![ChooseEffect::Send(Call::Search, request)]
    }

    /// Searches for `text` now, on the Search tab (a prepared run's client ID).
    pub fn search_for(&mut self, text: &str) -> Vec<ChooseEffect> {
        self.tab = Tab::Search;
        self.input = text.to_string();
        self.search()
    }

    fn more(&mut self) -> Vec<ChooseEffect> {
        let (listing, call) = match self.tab {
            Tab::Search => (&mut self.results, Call::MoreResults),
            Tab::MyApps => (&mut self.mine, Call::MyApps),
        };
        let (Some(link), Some(first)) = (listing.next_link.as_deref(), listing.request.as_ref())
        else {
            return Vec::new();
        };
        if listing.loading {
            return Vec::new();
        }
        let request = graph::next_page(link, first);
        listing.loading = true;
        vec![ChooseEffect::Send(call, request)]
    }

    /// The answer to one of this step's calls (`Search`, `MoreResults`, `MyApps`).
    pub fn answer(&mut self, call: Call, outcome: Outcome) {
        match call {
            Call::Search => self.results.land(outcome, false),
            Call::MoreResults => self.results.land(outcome, true),
            _ => {
                let append = self.mine.loaded;
                self.mine.land(outcome, append)
            }
        }
    }

    /// The object ID of the search result with this client ID; `None` while the search runs.
    pub fn found(&self, client_id: &str) -> Option<Option<String>> {
        (!self.results.loading).then(|| {
            self.results
                .apps
                .iter()
                .find(|a| a.app_id.eq_ignore_ascii_case(client_id))
                .map(|a| a.id.clone())
        })
    }
}
