//! The signed-in home page: the app registrations the user can see, with secret counts and the
//! worst credential status of each.

use std::rc::Rc;

use chrono::{DateTime, Local};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::context::{use_app, AppContext};
use crate::components::{ErrorPanel, Loading, StatusBadge};
use crate::domain::expiry::worst_status;
use crate::graph::{self, AppQuery, Application, GraphError};
use crate::http::{send, NetError};

/// Pages followed at most (100 apps each); beyond that the list says it is partial.
pub const MAX_PAGES: usize = 20;

/// Why a list could not be loaded.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    Net(NetError),
    Graph(GraphError),
}

impl LoadError {
    pub fn message(&self) -> String {
        match self {
            LoadError::Net(e) => e.user_message(),
            LoadError::Graph(e) => e.user_message(),
        }
    }

    pub fn details(&self) -> String {
        match self {
            LoadError::Net(e) => e.details(),
            LoadError::Graph(e) => e.details(),
        }
    }
}

#[derive(Clone, PartialEq, Default)]
struct ListState {
    apps: Rc<Vec<Application>>,
    loading: bool,
    truncated: bool,
    error: Option<LoadError>,
}

/// Reads every page of `GET /applications` (at most [`MAX_PAGES`]), reporting progress after
/// each page. Returns the apps and whether more pages were left unread.
async fn load_all(
    ctx: &AppContext,
    on_progress: impl Fn(&[Application]),
) -> Result<(Vec<Application>, bool), LoadError> {
    let first = graph::list_applications(ctx.config.graph_base(), &AppQuery::All);
    let mut req = first.clone();
    let mut all = Vec::new();
    for _ in 0..MAX_PAGES {
        let res = send(&ctx.session, &req).await.map_err(LoadError::Net)?;
        let page = graph::parse_application_page(&res).map_err(LoadError::Graph)?;
        all.extend(page.value);
        match page.next_link {
            Some(link) => {
                on_progress(&all);
                req = graph::next_page(&link, &first);
            }
            None => return Ok((all, false)),
        }
    }
    Ok((all, true))
}

#[function_component(AppsPage)]
pub fn apps_page() -> Html {
    let ctx = use_app();
    let state = use_state(|| ListState {
        loading: true,
        ..Default::default()
    });
    let reload = use_state(|| 0u32);
    // Bumped by every new load and on unmount, so a stale load never writes its result.
    let generation = use_mut_ref(|| 0u32);
    {
        let (ctx, state, generation) = (ctx.clone(), state.clone(), generation.clone());
        use_effect_with(*reload, move |_| {
            *generation.borrow_mut() += 1;
            let mine = *generation.borrow();
            state.set(ListState {
                loading: true,
                ..Default::default()
            });
            let current = {
                let generation = generation.clone();
                move || *generation.borrow() == mine
            };
            spawn_local(async move {
                let progress = {
                    let (state, current) = (state.clone(), current.clone());
                    move |apps: &[Application]| {
                        if current() {
                            state.set(ListState {
                                apps: Rc::new(apps.to_vec()),
                                loading: true,
                                ..Default::default()
                            });
                        }
                    }
                };
                let result = load_all(&ctx, progress).await;
                if !current() {
                    return;
                }
                state.set(match result {
                    Ok((apps, truncated)) => ListState {
                        apps: Rc::new(apps),
                        truncated,
                        ..Default::default()
                    },
                    Err(e) => ListState {
                        error: Some(e),
                        ..Default::default()
                    },
                });
            });
            move || *generation.borrow_mut() += 1
        });
    }
    let on_retry = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    let s = &*state;
    let count = s.apps.len();
    html! {
        <main class="page" id="main">
            <h1>{ "App registrations" }</h1>
            <p class="lead">{ "The app registrations you can see in this tenant, with the state of their secrets and certificates." }</p>
            <section class="panel" aria-busy={s.loading.to_string()} aria-labelledby="apps-heading">
                <h2 id="apps-heading" class="visually-hidden">{ "App registrations" }</h2>
                if s.loading {
                    <Loading text={if count == 0 { "Loading app registrations…".to_string() } else { format!("Loading app registrations… {count} so far") }} />
                }
                if let Some(e) = &s.error {
                    <ErrorPanel title="Couldn't load app registrations" message={e.message()} details={Some(AttrValue::from(e.details()))}>
                        <button type="button" class="button button-secondary" onclick={on_retry}>{ "Try again" }</button>
                    </ErrorPanel>
                }
                if !s.loading && s.error.is_none() && count == 0 {
                    <p class="empty">{ "No app registrations are visible to you in this tenant." }</p>
                }
                if count > 0 {
                    <AppTable apps={s.apps.clone()} now={Local::now()} />
                }
                if s.truncated {
                    <p class="hint">{ format!("Showing the first {count} app registrations.") }</p>
                }
            </section>
        </main>
    }
}

#[derive(Properties, PartialEq)]
pub struct AppTableProps {
    pub apps: Rc<Vec<Application>>,
    /// The time statuses are computed at, in the user's time zone.
    pub now: DateTime<Local>,
}

/// Name, client ID, number of secrets and certificates, and the worst status.
#[function_component(AppTable)]
pub fn app_table(props: &AppTableProps) -> Html {
    html! {
        <table class="table">
            <thead>
                <tr>
                    <th scope="col">{ "Name" }</th>
                    <th scope="col">{ "Client ID" }</th>
                    <th scope="col" class="num">{ "Secrets" }</th>
                    <th scope="col" class="num">{ "Certificates" }</th>
                    <th scope="col">{ "Status" }</th>
                </tr>
            </thead>
            <tbody>
                { for props.apps.iter().map(|app| html! {
                    <tr key={app.id.clone()}>
                        <th scope="row" class="app-name">{ app.display_name.clone() }</th>
                        <td><code class="id">{ app.app_id.clone() }</code></td>
                        <td class="num">{ app.password_credentials.len() }</td>
                        <td class="num">{ app.key_credentials.len() }</td>
                        <td><StatusBadge status={worst_status(app, &props.now)} /></td>
                    </tr>
                }) }
            </tbody>
        </table>
    }
}
