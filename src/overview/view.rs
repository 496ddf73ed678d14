//! The overview page: loads both request chains, then shows counts, filters, the month bars,
//! a window of the table ("Show more") and the export buttons.
//!
//! Sorting happens once per load; filtering, counts and buckets are memoised on the filter, so
//! a filter change costs one pass over the rows and a redraw of at most [`PAGE`] lines.
//! Performance marks for `cargo xtask bench`: `overview-start` when loading starts,
//! `overview-loaded` when the last response is in, `overview-rendered` once the table is on
//! screen; `overview-filter-start` /
//! `overview-filter-rendered` around each filter change.

use std::cell::RefCell;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, Local};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::browser::{download, mark};
use super::export::{file_name, to_csv, to_json};
use super::filter::{Counts, Filter};
use super::histogram::Histogram;
use super::load::{load_error_message, Chain, Loaded, Loader, Next};
use super::model::group_thousands;
use super::parts::{CountsBar, FilterBar, MonthBars, RowsTable, SharedRows};
use crate::app::use_app;
use crate::auth::Session;
use crate::components::{ErrorPanel, Loading};
use crate::http::send;
use crate::net::HttpRequest;

/// Rows drawn at first and added by each "Show more".
pub const PAGE: usize = 100;

fn local_now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

#[derive(Clone, PartialEq)]
enum Phase {
    Loading(String),
    Failed { message: String, details: String },
    Ready(Rc<Loaded>),
}

/// Runs one chain to its end. `Err` carries (message, details) when the apps chain fails.
async fn run_chain(
    session: Rc<Session>,
    loader: Rc<RefCell<Loader>>,
    chain: Chain,
    mut req: HttpRequest,
    live: impl Fn() -> bool,
    on_progress: impl Fn(String),
) -> Result<(), (String, String)> {
    loop {
        let res = match send(&session, &req).await {
            Ok(res) => res,
            Err(e) if chain == Chain::Owned => {
                loader.borrow_mut().fail_owned(e.details());
                return Ok(());
            }
            Err(e) => return Err((e.user_message(), e.details())),
        };
        if !live() {
            return Ok(());
        }
        let next = loader.borrow_mut().feed(chain, &req, &res);
        match next {
            Next::Send(r) => {
                on_progress(loader.borrow().progress());
                req = r;
            }
            Next::ChainDone => return Ok(()),
            Next::Failed(e) => return Err((load_error_message(&e), e.details())),
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct OverviewPageProps {
    /// Opens an app (client ID) in the wizard; without it, app names are plain text.
    #[prop_or_default]
    pub on_open_app: Option<Callback<String>>,
}

/// The expiry overview.
#[function_component(OverviewPage)]
pub fn overview_page(props: &OverviewPageProps) -> Html {
    let ctx = use_app();
    let phase = use_state(|| Phase::Loading("Loading app registrations…".into()));
    let reload = use_state(|| 0u32);
    let generation = use_mut_ref(|| 0u32);
    {
        let (ctx, phase, generation) = (ctx.clone(), phase.clone(), generation.clone());
        use_effect_with(*reload, move |_| {
            *generation.borrow_mut() += 1;
            let mine = *generation.borrow();
            let live = {
                let generation = generation.clone();
                move || *generation.borrow() == mine
            };
            mark("overview-start");
            phase.set(Phase::Loading("Loading app registrations…".into()));
            let (loader, first) = Loader::start(ctx.config.graph_base());
            let loader = Rc::new(RefCell::new(loader));
            for (chain, req) in first {
                let (session, loader, phase, live, generation) = (
                    ctx.session.clone(),
                    loader.clone(),
                    phase.clone(),
                    live.clone(),
                    generation.clone(),
                );
                spawn_local(async move {
                    let progress = {
                        let (phase, live) = (phase.clone(), live.clone());
                        move |text: String| {
                            if live() {
                                phase.set(Phase::Loading(text));
                            }
                        }
                    };
                    let result =
                        run_chain(session, loader.clone(), chain, req, live.clone(), progress)
                            .await;
                    if !live() {
                        return;
                    }
                    match result {
                        Err((message, details)) => {
                            // Stop the other chain from writing anything further.
                            *generation.borrow_mut() += 1;
                            phase.set(Phase::Failed { message, details });
                        }
                        Ok(()) if loader.borrow().is_done() => {
                            mark("overview-loaded");
                            let done = std::mem::take(&mut *loader.borrow_mut());
                            phase.set(Phase::Ready(Rc::new(done.finish(&local_now()))));
                        }
                        Ok(()) => {}
                    }
                });
            }
            move || *generation.borrow_mut() += 1
        });
    }
    let on_retry = {
        let reload = reload.clone();
        Callback::from(move |_: MouseEvent| reload.set(*reload + 1))
    };
    html! {
        <main class="page page-wide" id="main">
            <h1>{ "Expiry overview" }</h1>
            <p class="lead">
                { "Every secret and certificate of the app registrations you can see, most urgent first. \
                   Narrow the list, then export what you see as CSV or JSON (names and dates only: \
                   secret values are never readable after creation)." }
            </p>
            { match &*phase {
                Phase::Loading(text) => html! {
                    <section class="panel" aria-busy="true"><Loading text={text.clone()} /></section>
                },
                Phase::Failed { message, details } => html! {
                    <ErrorPanel title="Couldn't load the overview" message={message.clone()}
                                details={Some(AttrValue::from(details.clone()))}>
                        <button type="button" class="button button-secondary" onclick={on_retry}>{ "Try again" }</button>
                    </ErrorPanel>
                },
                Phase::Ready(loaded) => html! {
                    <OverviewReady loaded={loaded.clone()} generation={*reload}
                                   on_open_app={props.on_open_app.clone()} />
                },
            } }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ReadyProps {
    loaded: Rc<Loaded>,
    /// Changes with every load (the memo key for the rows).
    generation: u32,
    on_open_app: Option<Callback<String>>,
}

#[function_component(OverviewReady)]
fn overview_ready(props: &ReadyProps) -> Html {
    let filter = use_state(Filter::default);
    let shown = use_state(|| PAGE);
    let now = use_memo(props.generation, |_| local_now());
    let loaded = props.loaded.clone();
    let rows = loaded.rows.clone();
    let visible = use_memo(((*filter).clone(), props.generation), {
        let rows = rows.clone();
        move |(f, _)| f.apply(&rows)
    });
    let scope_key = (filter.owned_only, filter.query.clone(), props.generation);
    let (counts, histogram) = {
        let rows = rows.clone();
        let now = *now;
        let summary = use_memo(scope_key, move |(owned_only, query, _)| {
            let f = Filter {
                owned_only: *owned_only,
                query: query.clone(),
                ..Filter::default()
            };
            let scope = f.scope(&rows);
            (
                Counts::of(&rows, &scope),
                Histogram::of(&rows, &scope, &now),
            )
        });
        (summary.0, summary.1.clone())
    };
    // Marks once the first table is on screen, and after each filter change is drawn.
    {
        let first = use_mut_ref(|| true);
        use_effect_with(((*filter).clone(), props.generation), move |_| {
            if std::mem::replace(&mut *first.borrow_mut(), false) {
                mark("overview-rendered");
            } else {
                mark("overview-filter-rendered");
            }
        });
    }
    let on_filter = {
        let (filter, shown) = (filter.clone(), shown.clone());
        Callback::from(move |f: Filter| {
            mark("overview-filter-start");
            shown.set(PAGE);
            filter.set(f);
        })
    };
    let on_more = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(*shown + PAGE))
    };
    let export = |ext: &'static str, mime: &'static str| {
        let (rows, visible, now) = (rows.clone(), visible.clone(), *now);
        Callback::from(move |_: MouseEvent| {
            let view = visible.iter().map(|&i| &rows[i]);
            let text = if ext == "csv" {
                to_csv(view)
            } else {
                to_json(view)
            };
            // Metadata only; nothing here is secret, so a failure is only shown, not hidden.
            if let Err(e) = download(&file_name(&now, ext), mime, &text) {
                web_sys::console::warn_1(&e);
            }
        })
    };
    let total = visible.len();
    let window: Rc<Vec<usize>> = Rc::new(visible.iter().take(*shown).copied().collect());
    html! {
        <>
            <CountsBar counts={counts} />
            <section class="panel ov-controls" aria-label="Filters and export">
                <FilterBar filter={(*filter).clone()} counts={counts} on_change={on_filter}
                           owned_available={loaded.owned_available}
                           owned_note={loaded.owned_note.clone().map(AttrValue::from)} />
                <div class="ov-export actions">
                    <button type="button" class="button" onclick={export("csv", "text/csv;charset=utf-8")}
                            disabled={total == 0}>{ "Export CSV" }</button>
                    <button type="button" class="button" onclick={export("json", "application/json")}
                            disabled={total == 0}>{ "Export JSON" }</button>
                </div>
            </section>
            <MonthBars histogram={histogram} />
            <section class="panel ov-rows" aria-labelledby="ov-rows-heading">
                <h2 id="ov-rows-heading">{ "Credentials" }</h2>
                <p class="hint" role="status" aria-live="polite" id="ov-showing">
                    { format!("Showing {} of {} ({} apps loaded).",
                        group_thousands(window.len()), group_thousands(total), group_thousands(loaded.apps)) }
                </p>
                if total == 0 {
                    <p class="empty">{ "Nothing matches these filters." }</p>
                } else {
                    <div class="ov-table-wrap">
                        <RowsTable rows={SharedRows(rows.clone())} visible={window.clone()} now={*now}
                                   on_open_app={props.on_open_app.clone()} />
                    </div>
                }
                if window.len() < total {
                    <div class="actions">
                        <button type="button" class="button" onclick={on_more}>
                            { format!("Show {} more", group_thousands(PAGE.min(total - window.len()))) }
                        </button>
                    </div>
                }
            </section>
        </>
    }
}
