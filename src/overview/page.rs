//! The overview page: runs the overview's reducer (`overview::state`: the apps; every app's
//! owners once the first table is drawn; and, once "Only apps I own" is ticked, the apps the
//! user owns), then shows counts, filters, the month bars, a window of the table ("Show more",
//! with an Owners column once they are in) and the export buttons (owners included when known).
//!
//! Sorting happens once per load; filtering, counts and buckets are memoised on the filter, so
//! a filter change costs one pass over the rows and a redraw of at most [`PAGE`] lines.
//! Performance marks for `cargo xtask bench`: `overview-start` when loading starts,
//! `overview-loaded` when the last response is in, `overview-rendered` once the table is on
//! screen, `overview-owners-loaded` when the owners are in; `overview-filter-start` /
//! `overview-filter-rendered` around each filter change.

use std::rc::Rc;

use yew::prelude::*;

use super::browser::{download, mark};
use super::export::{file_name, to_csv_with, to_json_with};
use super::filter::{Counts, Filter};
use super::histogram::Histogram;
use super::ics::to_ics;
use super::load::{Loaded, Owned, OwnersStatus, OWNERS_UNAVAILABLE};
use super::model::group_thousands;
use super::parts::{counts_bar, filter_bar, month_bars, rows_table, RowsTable};
use super::renew::view::RenewPanel;
use super::renew::RenewConfig;
use super::state::{Effect, Msg, Overview, Phase};
use crate::app::use_app;
use crate::components::{loading, problem_panel};
use crate::runtime::{local_now, use_feature, use_session_sender, Ctx};

/// Rows drawn at first and added by each "Show more".
pub const PAGE: usize = 100;

fn run(effect: Effect, ctx: &Ctx<Msg>) {
    match effect {
        Effect::Send(out) => ctx.send(out, Msg::Response),
        Effect::Mark(name) => mark(name),
        Effect::Wake { token, ms } => {
            let d = ctx.dispatcher().clone();
            wasm_bindgen_futures::spawn_local(async move {
                gloo::timers::future::TimeoutFuture::new(ms.min(u64::from(u32::MAX)) as u32).await;
                d.emit(Msg::OwnersDue(token));
            });
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
    let graph_base = use_app().config.graph_base().to_string();
    let sender = use_session_sender();
    let handle = use_feature(move || Overview::new(&graph_base), Some(sender), run);
    let d = handle.dispatch;
    let on_need_owned = d.reform(|()| Msg::NeedOwned);
    let on_need_owners = d.reform(|()| Msg::NeedOwners);
    let on_retry = d.reform(|_: MouseEvent| Msg::Load);
    let state = handle.state.borrow();
    let version = state.version;
    html! {
        <main class="page page-wide" id="main">
            <h1>{ "Expiry overview" }</h1>
            <p class="lead">
                { "Every secret and certificate of the app registrations you can see, most urgent first. \
                   Narrow the list, then export what you see as CSV or JSON, or as calendar reminders \
                   (names and dates only: secret values are never readable after creation)." }
            </p>
            { match &state.phase {
                Phase::Loading(text) => html! {
                    <section class="panel" aria-busy="true">{ loading(text.clone().into()) }</section>
                },
                Phase::Failed(p) => problem_panel("Couldn't load the overview".into(), p, html! {
                    <button type="button" class="button button-secondary" onclick={on_retry}>{ "Try again" }</button>
                }),
                Phase::Ready(loaded) => html! {
                    <OverviewReady loaded={loaded.clone()} generation={version}
                                   on_open_app={props.on_open_app.clone()} {on_need_owned} {on_need_owners} />
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
    /// The first table is on screen: time to load the owners.
    on_need_owners: Callback<()>,
}

#[function_component(OverviewReady)]
fn overview_ready(props: &ReadyProps) -> Html {
    let app = use_app();
    let upn = app
        .account
        .as_ref()
        .map(|a| a.username.clone())
        .unwrap_or_default();
    let renew_config = use_memo((app.config.clone(), upn), |(config, upn)| {
        RenewConfig::from_config(config, upn)
    });
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
    // Marks once the first table is on screen (and then asks for the owners, so their chain
    // never delays it), and after each filter change is drawn.
    {
        let first = use_mut_ref(|| true);
        let need_owners = props.on_need_owners.clone();
        use_effect_with((filter.clone(), props.generation), move |_| {
            if std::mem::replace(&mut *first.borrow_mut(), false) {
                mark("overview-rendered");
                need_owners.emit(());
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
        let owners = loaded.clone();
        Callback::from(move |_: MouseEvent| {
            let view = visible.iter().map(|&i| &rows[i]);
            // The owners once loaded; until then (or if they failed) the exports leave them out.
            let names = owners.owners.names();
            let text = match ext {
                "csv" => to_csv_with(view, names),
                "ics" => {
                    let site = web_sys::window()
                        .and_then(|w| w.location().origin().ok())
                        .unwrap_or_default();
                    let of = |id: &str| names.and_then(|n| n.of(id)).map(<[String]>::to_vec);
                    to_ics(view, of, now.to_utc(), &site)
                }
                _ => to_json_with(view, names),
            };
            // Metadata only; nothing here is secret, so a failure is only shown, not hidden.
            if let Err(e) = download(&file_name(&now, ext), mime, &text) {
                web_sys::console::warn_1(&e);
            }
        })
    };
    let total = visible.len();
    let window = &visible[..total.min(*shown)];
    html! {
        <>
            { counts_bar(counts) }
            <section class="panel ov-controls" aria-label="Filters and export">
                { filter_bar(&chosen, counts, &loaded.owned, &on_filter) }
                <div class="ov-export actions">
                    <button type="button" class="button" onclick={export("csv", "text/csv;charset=utf-8")}
                            disabled={total == 0}>{ "Export CSV" }</button>
                    <button type="button" class="button" onclick={export("json", "application/json")}
                            disabled={total == 0}>{ "Export JSON" }</button>
                    <button type="button" class="button" onclick={export("ics", "text/calendar;charset=utf-8")}
                            disabled={total == 0}
                            title="One event per expiry, with reminders 90, 30 and 7 days before">
                        { "Add reminders to your calendar (.ics)" }</button>
                </div>
            </section>
            { month_bars(&histogram) }
            <RenewPanel key={props.generation} config={renew_config} rows={rows.clone()} />
            <section class="panel ov-rows" aria-labelledby="ov-rows-heading">
                <h2 id="ov-rows-heading">{ "Credentials" }</h2>
                <p class="hint" role="status" aria-live="polite" id="ov-showing">
                    { format!("Showing {} of {} ({} apps loaded).",
                        group_thousands(window.len()), group_thousands(total), group_thousands(loaded.apps)) }
                </p>
                <div class="hint" role="status" aria-live="polite" id="ov-owners-status">
                    { match &loaded.owners {
                        OwnersStatus::Loading => html! { <p>{ "Looking up every app's owners…" }</p> },
                        OwnersStatus::Unavailable { details } => html! {
                            <>
                                <p>{ OWNERS_UNAVAILABLE }</p>
                                <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
                            </>
                        },
                        OwnersStatus::NotLoaded | OwnersStatus::Loaded(_) => html! {},
                    } }
                </div>
                if total == 0 {
                    <p class="empty">{ "Nothing matches these filters." }</p>
                } else {
                    <div class="ov-table-wrap">
                        { rows_table(RowsTable {
                            rows: &rows,
                            visible: window,
                            now: *now,
                            on_open_app: props.on_open_app.as_ref(),
                            show_owned: loaded.owned_known(),
                            owners: loaded.owners.names(),
                        }) }
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
