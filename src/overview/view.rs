//! The overview page: loads the apps (and, once "Only apps I own" is ticked, the apps the user
//! owns), then shows counts, filters, the month bars,
//! a window of the table ("Show more") and the export buttons.
//!
//! Sorting happens once per load; filtering, counts and buckets are memoised on the filter, so
//! a filter change costs one pass over the rows and a redraw of at most [`PAGE`] lines.
//! Performance marks for `cargo xtask bench`: `overview-start` when loading starts,
//! `overview-loaded` when the last response is in, `overview-rendered` once the table is on
//! screen; `overview-filter-start` /
//! `overview-filter-rendered` around each filter change.

use std::collections::HashSet;
use std::rc::Rc;

use chrono::{DateTime, FixedOffset, Local};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::browser::{download, mark};
use super::export::{file_name, to_csv, to_json};
use super::filter::{Counts, Filter};
use super::histogram::Histogram;
use super::load::{load_error_message, Loaded, Loader, Next, Owned, OwnedLoader, OwnedNext};
use super::model::group_thousands;
use super::parts::{CountsBar, FilterBar, MonthBars, RowsTable, SharedRows};
use crate::app::use_app;
use crate::auth::Session;
use crate::components::{ErrorPanel, Loading};
use crate::http::send;

/// Rows drawn at first and added by each "Show more".
pub const PAGE: usize = 100;

fn local_now() -> DateTime<FixedOffset> {
    Local::now().fixed_offset()
}

#[derive(Clone, PartialEq)]
enum Phase {
    Loading(String),
    Failed {
        message: String,
        details: String,
    },
    /// The data and its version (bumped whenever the rows change, for the memos below).
    Ready(Rc<Loaded>, u32),
}

/// Runs the apps chain to its end. `Ok(None)` when a newer load took over; `Err` carries
/// (message, details).
async fn load_apps(
    session: Rc<Session>,
    graph_base: String,
    live: impl Fn() -> bool,
    on_progress: impl Fn(String),
) -> Result<Option<Loader>, (String, String)> {
    let (mut loader, mut req) = Loader::start(&graph_base);
    loop {
        let res = send(&session, &req)
            .await
            .map_err(|e| (e.user_message(), e.details()))?;
        if !live() {
            return Ok(None);
        }
        match loader.feed(&req, &res) {
            Next::Send(r) => {
                on_progress(loader.progress());
                req = r;
            }
            Next::Done => return Ok(Some(loader)),
            Next::Failed(e) => return Err((load_error_message(&e), e.details())),
        }
    }
}

/// Looks up the apps the user owns; `Err` carries the details line.
async fn load_owned(session: Rc<Session>, graph_base: String) -> Result<HashSet<String>, String> {
    let (mut loader, mut req) = OwnedLoader::start(&graph_base);
    loop {
        let res = send(&session, &req).await.map_err(|e| e.details())?;
        match loader.feed(&req, &res) {
            OwnedNext::Send(r) => req = r,
            OwnedNext::Done(set) => return Ok(set),
            OwnedNext::Failed(details) => return Err(details),
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
            let (session, graph_base) = (ctx.session.clone(), ctx.config.graph_base().to_string());
            let ready = phase.clone();
            spawn_local(async move {
                let progress = {
                    let (phase, live) = (phase.clone(), live.clone());
                    move |text: String| {
                        if live() {
                            phase.set(Phase::Loading(text));
                        }
                    }
                };
                let result = load_apps(session, graph_base, live.clone(), progress).await;
                if !live() {
                    return;
                }
                match result {
                    Err((message, details)) => ready.set(Phase::Failed { message, details }),
                    Ok(Some(loader)) => {
                        mark("overview-loaded");
                        ready.set(Phase::Ready(Rc::new(loader.finish(&local_now())), mine));
                    }
                    Ok(None) => {}
                }
            });
            move || *generation.borrow_mut() += 1
        });
    }
    // "Only apps I own", first ticked: look the owned apps up (once per load).
    let on_need_owned = {
        let (ctx, phase, generation) = (ctx.clone(), phase.clone(), generation.clone());
        Callback::from(move |()| {
            let Phase::Ready(loaded, version) = (*phase).clone() else {
                return;
            };
            if loaded.owned != Owned::NotLoaded {
                return;
            }
            phase.set(Phase::Ready(Rc::new(loaded.owned_loading()), version));
            let mine = *generation.borrow();
            let (session, graph_base) = (ctx.session.clone(), ctx.config.graph_base().to_string());
            let (phase, generation) = (phase.clone(), generation.clone());
            spawn_local(async move {
                let result = load_owned(session, graph_base).await;
                if *generation.borrow() != mine {
                    return;
                }
                phase.set(match result {
                    Ok(set) => Phase::Ready(Rc::new(loaded.with_owned(&set)), version + 1),
                    Err(details) => Phase::Ready(Rc::new(loaded.without_owned(&details)), version),
                });
            });
        })
    };
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
                Phase::Ready(loaded, version) => html! {
                    <OverviewReady loaded={loaded.clone()} generation={*version}
                                   on_open_app={props.on_open_app.clone()} {on_need_owned} />
                },
            } }
        </main>
    }
}

#[derive(Properties, PartialEq)]
struct ReadyProps {
    loaded: Rc<Loaded>,
    /// Changes whenever the rows change (the memo key for everything computed from them).
    generation: u32,
    on_open_app: Option<Callback<String>>,
    /// "Only apps I own" was ticked before the owned apps were looked up.
    on_need_owned: Callback<()>,
}

#[function_component(OverviewReady)]
fn overview_ready(props: &ReadyProps) -> Html {
    let chosen = use_state(Filter::default);
    let shown = use_state(|| PAGE);
    let now = use_memo(props.generation, |_| local_now());
    let loaded = props.loaded.clone();
    let rows = loaded.rows.clone();
    // "Only apps I own" filters once the owned apps are known; until then it waits (checked,
    // with a status line) and every app stays listed.
    let filter = Filter {
        owned_only: chosen.owned_only && loaded.owned_known(),
        ..(*chosen).clone()
    };
    let visible = use_memo((filter.clone(), props.generation), {
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
        use_effect_with((filter.clone(), props.generation), move |_| {
            if std::mem::replace(&mut *first.borrow_mut(), false) {
                mark("overview-rendered");
            } else {
                mark("overview-filter-rendered");
            }
        });
    }
    let on_filter = {
        let (chosen, shown) = (chosen.clone(), shown.clone());
        let (owned, need_owned) = (loaded.owned.clone(), props.on_need_owned.clone());
        Callback::from(move |f: Filter| {
            mark("overview-filter-start");
            if f.owned_only && owned == Owned::NotLoaded {
                need_owned.emit(());
            }
            shown.set(PAGE);
            chosen.set(f);
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
                <FilterBar filter={(*chosen).clone()} counts={counts} on_change={on_filter}
                           owned={loaded.owned.clone()} />
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
                                   on_open_app={props.on_open_app.clone()}
                                   show_owned={loaded.owned_known()} />
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
