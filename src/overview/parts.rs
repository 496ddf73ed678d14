//! The overview's pieces on screen: counts, filters, the month bars (with a table alternative)
//! and the table of rows. Plain functions of their arguments: no hooks, no context.

use chrono::{DateTime, FixedOffset};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::filter::{Chip, Counts, Filter};
use super::histogram::Histogram;
use super::load::{Owned, OwnerNames, OWNED_UNAVAILABLE};
use super::model::{group_thousands, Kind, Row};
use crate::components::status_badge;
use crate::domain::expiry::expiry_phrase;

/// The numbers at the top: one badge (with text) and a count per status.
pub fn counts_bar(c: Counts) -> Html {
    html! {
        <ul class="ov-counts" aria-label="Credentials by status">
            { for Chip::ALL.iter().map(|&chip| html! {
                <li class={chip.count_class()} data-status={chip.key()}>
                    <span class="ov-count-number">{ group_thousands(c.get(chip)) }</span>
                    <span class={chip.badge_class()}>{ chip.label() }</span>
                </li>
            }) }
            <li class="ov-count ov-count-none" data-status="none">
                <span class="ov-count-number">{ group_thousands(c.without_credentials) }</span>
                <span class="badge badge-no-expiry">{ "Apps without credentials" }</span>
            </li>
        </ul>
    }
}

/// Status checkboxes (with their counts), "Owned by me" (`owned`: whether the apps the user
/// owns are known, being looked up, or unavailable), and the search box.
pub fn filter_bar(
    filter: &Filter,
    counts: Counts,
    owned: &Owned,
    on_change: &Callback<Filter>,
) -> Html {
    let chip_box = |chip: Chip| {
        let (current, on_change) = (filter.clone(), on_change.clone());
        let onchange = Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut f = current.clone();
            f.set_chip(chip, on);
            on_change.emit(f);
        });
        let id = format!("ov-chip-{}", chip.key());
        html! {
            <label class="ov-chip" for={id.clone()}>
                <input type="checkbox" id={id} checked={filter.chip(chip)} {onchange} />
                { format!("{} ({})", chip.label(), group_thousands(counts.get(chip))) }
            </label>
        }
    };
    let on_owned = {
        let (filter, on_change) = (filter.clone(), on_change.clone());
        Callback::from(move |e: Event| {
            let mut f = filter.clone();
            f.owned_only = e.target_unchecked_into::<HtmlInputElement>().checked();
            on_change.emit(f);
        })
    };
    let unavailable = matches!(owned, Owned::Unavailable { .. });
    let on_search = {
        let (filter, on_change) = (filter.clone(), on_change.clone());
        Callback::from(move |e: InputEvent| {
            let mut f = filter.clone();
            f.query = e.target_unchecked_into::<HtmlInputElement>().value();
            on_change.emit(f);
        })
    };
    html! {
        <div class="ov-filters">
            <fieldset class="ov-chips">
                <legend>{ "Show credentials that are" }</legend>
                { for Chip::ALL.iter().map(|&c| chip_box(c)) }
            </fieldset>
            <div class="ov-owned">
                <label for="ov-owned">
                    <input type="checkbox" id="ov-owned"
                           checked={filter.owned_only && !unavailable}
                           disabled={unavailable} onchange={on_owned} />
                    { "Only apps I own" }
                </label>
                <div class="hint" role="status" aria-live="polite">
                    { match owned {
                        Owned::Loading => html! { <p>{ "Looking up the apps you own…" }</p> },
                        Owned::Unavailable { details } => html! {
                            <>
                                <p>{ OWNED_UNAVAILABLE }</p>
                                <p class="error-details">{ "Details: " }<code>{ details.clone() }</code></p>
                            </>
                        },
                        Owned::NotLoaded | Owned::Loaded => html! {},
                    } }
                </div>
            </div>
            <div class="ov-search">
                <label for="ov-search">{ "Search" }</label>
                <input type="search" id="ov-search" value={filter.query.clone()}
                       placeholder="App name, client ID, description or key ID"
                       autocomplete="off" spellcheck="false" oninput={on_search} />
            </div>
        </div>
    }
}

/// The bar's width as a class `ov-w-0` … `ov-w-20` (5 % steps; anything above zero shows at
/// least one step): the site's CSP allows no inline `style` attributes.
fn width_class(count: usize, max: usize) -> String {
    let steps = if count == 0 {
        0
    } else {
        ((count as f64 / max.max(1) as f64) * 20.0)
            .round()
            .clamp(1.0, 20.0) as u32
    };
    format!("ov-w-{steps}")
}

/// A bar per bucket with its label and number; the same numbers as a table for screen readers
/// and anyone who prefers one.
pub fn month_bars(histogram: &Histogram) -> Html {
    let max = histogram.max();
    let bars = histogram.bars();
    html! {
        <section class="panel ov-months" aria-labelledby="ov-months-heading">
            <h2 id="ov-months-heading">{ "When credentials expire" }</h2>
            <div class="ov-bars" aria-hidden="true">
                { for bars.iter().enumerate().map(|(i, (label, count))| {
                    let kind = if i == 0 { "ov-bar-expired" } else { "ov-bar-month" };
                    html! {
                        <div class="ov-bar-row">
                            <span class="ov-bar-label">{ label.clone() }</span>
                            <span class="ov-bar-track">
                                <span class={format!("ov-bar {kind} {}", width_class(*count, max))}></span>
                            </span>
                            <span class="ov-bar-count">{ group_thousands(*count) }</span>
                        </div>
                    }
                }) }
            </div>
            <details class="ov-months-table">
                <summary>{ "Show these numbers as a table" }</summary>
                <table class="table">
                    <caption class="visually-hidden">{ "Credentials expiring per month" }</caption>
                    <thead><tr><th scope="col">{ "When" }</th><th scope="col" class="num">{ "Credentials" }</th></tr></thead>
                    <tbody>
                        { for bars.iter().map(|(label, count)| html! {
                            <tr><th scope="row">{ label.clone() }</th><td class="num">{ group_thousands(*count) }</td></tr>
                        }) }
                    </tbody>
                </table>
            </details>
        </section>
    }
}

/// What the table shows.
pub struct RowsTable<'a> {
    pub rows: &'a [Row],
    /// Indexes into `rows`, in order; only these are drawn.
    pub visible: &'a [usize],
    pub now: DateTime<FixedOffset>,
    /// When set, each app name is a button that emits the app's client ID (opens it in the
    /// wizard).
    pub on_open_app: Option<&'a Callback<String>>,
    /// Adds the "Yours" column (once the owned apps have been looked up).
    pub show_owned: bool,
    /// Adds the "Owners" column (once every app's owners are in).
    pub owners: Option<&'a OwnerNames>,
}

/// Names shown before "and N more" (the rest behind a disclosure).
const OWNERS_SHOWN: usize = 3;

/// An app's owners in a cell: up to [`OWNERS_SHOWN`] names, more behind "and N more"; "None"
/// for an app without owners; a note when the list may be cut at 20.
fn owners_cell(owners: &OwnerNames, object_id: &str) -> Html {
    let Some(names) = owners.of(object_id) else {
        return Html::default();
    };
    let note = if owners.is_incomplete(object_id) {
        " (and maybe more)"
    } else {
        ""
    };
    if names.is_empty() {
        return html! { { "None" } };
    }
    if names.len() <= OWNERS_SHOWN {
        return html! { { format!("{}{note}", names.join(", ")) } };
    }
    html! {
        <details>
            <summary>{ format!("{}, and {} more", names[..OWNERS_SHOWN - 1].join(", "), names.len() + 1 - OWNERS_SHOWN) }</summary>
            { format!("{}{note}", names.join(", ")) }
        </details>
    }
}

/// The credentials, one per line.
pub fn rows_table(props: RowsTable) -> Html {
    let row = |r: &Row| {
        let expires = match r.kind {
            Kind::None => "–".to_string(),
            _ => expiry_phrase(r.end, &props.now),
        };
        let name = match props.on_open_app {
            Some(open) => {
                let (open, id) = (open.clone(), r.client_id.clone());
                let onclick = Callback::from(move |_: MouseEvent| open.emit(id.clone()));
                html! { <button type="button" class="link-button" {onclick}>{ r.app_name.clone() }</button> }
            }
            None => html! { { r.app_name.clone() } },
        };
        html! {
            <tr data-status={super::export::status_key(r)} data-kind={r.kind.key()}>
                <th scope="row" class="app-name">
                    { name }
                    <code class="id ov-client-id">{ r.client_id.clone() }</code>
                </th>
                <td>{ r.kind.label() }</td>
                <td>{ r.description.clone().unwrap_or_default() }</td>
                <td><code class="id">{ r.key_id.clone().unwrap_or_default() }</code></td>
                <td><code class="id">{ r.identifier.clone().unwrap_or_default() }</code></td>
                <td>{ expires }</td>
                <td>
                    if r.kind != Kind::None { { status_badge(r.status) } }
                </td>
                if props.show_owned {
                    <td>{ if r.owned_by_me == Some(true) { "Yes" } else { "" } }</td>
                }
                if let Some(owners) = props.owners {
                    <td class="ov-owners">{ owners_cell(owners, &r.object_id) }</td>
                }
            </tr>
        }
    };
    html! {
        <table class="table ov-table">
            <thead>
                <tr>
                    <th scope="col">{ "App" }</th>
                    <th scope="col">{ "Kind" }</th>
                    <th scope="col">{ "Description" }</th>
                    <th scope="col">{ "Key ID" }</th>
                    <th scope="col">{ "Hint or thumbprint" }</th>
                    <th scope="col">{ "Expires" }</th>
                    <th scope="col">{ "Status" }</th>
                    if props.show_owned {
                        <th scope="col">{ "Yours" }</th>
                    }
                    if props.owners.is_some() {
                        <th scope="col">{ "Owners" }</th>
                    }
                </tr>
            </thead>
            <tbody>
                { for props.visible.iter().map(|&i| row(&props.rows[i])) }
            </tbody>
        </table>
    }
}
