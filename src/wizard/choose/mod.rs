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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use serde_json::json;

    const BASE: &str = "https://graph.test";

    fn page(names: &[&str], next: Option<&str>) -> Outcome {
        let value: Vec<_> = names
            .iter()
            .enumerate()
            .map(|(i, n)| json!({ "id": format!("obj-{n}"), "appId": format!("app-{i}"), "displayName": n }))
            .collect();
        let body = json!({ "value": value, "@odata.nextLink": next });
        Ok(HttpResponse::new(200, body.to_string()))
    }

    fn sent(effects: &[ChooseEffect]) -> Vec<(Call, &str)> {
        effects
            .iter()
            .filter_map(|e| match e {
                ChooseEffect::Send(call, r) => Some((*call, r.url.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn only_the_last_keystrokes_timer_searches_and_a_guid_is_a_client_id() {
        let mut c = ChooseState::new(BASE);
        let first = c.update(ChooseMsg::Input("Pay".into()));
        let [ChooseEffect::Debounce { token: t1, millis }] = first[..] else {
            panic!("{first:?}")
        };
        assert_eq!(millis, DEBOUNCE_MS);
        let guid = "22222222-2222-4222-8222-22222222ABCD";
        let [ChooseEffect::Debounce { token: t2, .. }] =
            c.update(ChooseMsg::Input(guid.into()))[..]
        else {
            panic!("one timer")
        };
        assert!(
            c.update(ChooseMsg::Due(t1)).is_empty(),
            "a later keystroke came"
        );
        let search = c.update(ChooseMsg::Due(t2));
        let [(Call::Search, url)] = sent(&search)[..] else {
            panic!("{search:?}")
        };
        assert!(url.contains(&guid.to_ascii_lowercase()), "{url}");
        assert_eq!(c.query(), AppQuery::AppId(guid.to_ascii_lowercase()));
        assert!(c.visible().is_loading());
        assert_eq!(c.found("app-0"), None, "still searching");
        c.answer(Call::Search, page(&["Payroll API"], None));
        assert_eq!(c.found("APP-0"), Some(Some("obj-Payroll API".to_string())));
        assert_eq!(c.found("app-9"), Some(None));
    }

    #[test]
    fn more_pages_are_appended_and_only_a_listed_app_opens() {
        let mut c = ChooseState::new(BASE);
        c.search();
        c.answer(
            Call::Search,
            page(&["A"], Some("https://graph.test/next?skiptoken=1")),
        );
        assert_eq!(
            c.visible().next_link(),
            Some("https://graph.test/next?skiptoken=1")
        );
        let more = c.update(ChooseMsg::More);
        assert_eq!(
            sent(&more),
            [(Call::MoreResults, "https://graph.test/next?skiptoken=1")]
        );
        assert!(c.update(ChooseMsg::More).is_empty(), "one page at a time");
        c.answer(Call::MoreResults, page(&["B"], None));
        assert_eq!(c.visible().apps().len(), 2);
        assert!(c.update(ChooseMsg::More).is_empty(), "no more pages");
        assert!(c.update(ChooseMsg::Pick("obj-Z".into())).is_empty());
        let open = c.update(ChooseMsg::Pick("obj-B".into()));
        assert!(matches!(&open[..], [ChooseEffect::Open(app)] if app.display_name == "B"));
        // My apps: read once, on first showing.
        let mine = c.update(ChooseMsg::ShowTab(Tab::MyApps));
        assert_eq!(sent(&mine).len(), 1);
        assert_eq!(sent(&mine)[0].0, Call::MyApps);
        c.answer(Call::MyApps, page(&[], None));
        assert!(c.update(ChooseMsg::ShowTab(Tab::MyApps)).is_empty());
        assert_eq!(c.tab(), Tab::MyApps);
        // Typing goes back to Search; a reset keeps the timers' numbering.
        let [ChooseEffect::Debounce { token, .. }] = c.update(ChooseMsg::Input("x".into()))[..]
        else {
            panic!("one timer")
        };
        assert_eq!(c.tab(), Tab::Search);
        c.reset();
        assert_eq!(c.input(), "");
        assert!(
            c.update(ChooseMsg::Due(token)).is_empty(),
            "stale after a reset"
        );
    }
}
