//! Step 1, Choose app: search by name or client ID as you type, or "My apps".

use yew::prelude::*;

use super::{ChooseMsg, Listing, Tab};
use crate::domain::expiry::worst_status;
use crate::runtime::Now;

#[derive(Properties, PartialEq)]
pub struct ChooseProps {
    pub tab: Tab,
    pub input: AttrValue,
    pub listing: Listing,
    pub now: Now,
    pub dispatch: Callback<ChooseMsg>,
}

#[function_component(ChooseStep)]
pub fn choose_step(props: &ChooseProps) -> Html {
    let d = &props.dispatch;
    let on_input = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        ChooseMsg::Input(input.value())
    });
    let tab = |t: Tab, label: &'static str, id: &'static str| {
        let selected = props.tab == t;
        html! {
            <button type="button" role="tab" id={id} class="tab"
                aria-selected={selected.to_string()} aria-controls="app-results"
                tabindex={if selected { "0" } else { "-1" }}
                onclick={d.reform(move |_| ChooseMsg::ShowTab(t))}>
                { label }
            </button>
        }
    };
    let retry = {
        let input = props.input.to_string();
        let tab = props.tab;
        d.reform(move |_: MouseEvent| match tab {
            Tab::Search => ChooseMsg::Input(input.clone()),
            Tab::MyApps => ChooseMsg::ShowTab(Tab::MyApps),
        })
    };
    let l = &props.listing;
    let empty_text = match (props.tab, props.input.trim().is_empty()) {
        (Tab::MyApps, _) => "You don't own any app registrations.".to_string(),
        (Tab::Search, true) => "There are no app registrations in this directory.".to_string(),
        (Tab::Search, false) => format!(
            "No app's name starts with \"{}\", and it isn't a client ID we know.",
            props.input.trim()
        ),
    };
    html! {
        <section class="wizard-step" aria-labelledby="choose-title">
            <h2 id="choose-title">{ "Choose the app" }</h2>
            <div class="tabs" role="tablist" aria-label="Find an app">
                { tab(Tab::Search, "Search", "tab-search") }
                { tab(Tab::MyApps, "My apps", "tab-mine") }
            </div>
            if props.tab == Tab::Search {
                <div class="field">
                    <label for="app-search">{ "App name or Application (client) ID" }</label>
                    <input id="app-search" type="search" autocomplete="off" spellcheck="false"
                        value={props.input.clone()} oninput={on_input}
                        aria-describedby="app-search-hint" />
                    <p class="hint" id="app-search-hint">
                        { "Type the start of the app's name, or paste its client ID." }
                    </p>
                </div>
            }
            <div id="app-results" role="tabpanel"
                aria-labelledby={if props.tab == Tab::Search { "tab-search" } else { "tab-mine" }}>
                if let Some(p) = &l.problem {
                    { crate::components::error_panel(AttrValue::from("The apps couldn't be listed"), AttrValue::from(p.message.clone()), p.details.clone().map(AttrValue::from), html! { <><button type="button" class="button button-secondary" onclick={retry}>
                            { "Try again" }
                        </button></> }) }
                }
                if l.loading && l.apps.is_empty() {
                    { crate::components::loading(AttrValue::from("Looking for apps…")) }
                } else if l.loaded && l.apps.is_empty() && l.problem.is_none() {
                    <p class="empty">{ empty_text }</p>
                } else if !l.apps.is_empty() {
                    { app_table(l, &props.now, d) }
                }
            </div>
        </section>
    }
}

fn app_table(l: &Listing, now: &Now, d: &Callback<ChooseMsg>) -> Html {
    html! {
        <>
            <table class="table app-list">
                <thead>
                    <tr>
                        <th scope="col">{ "Name" }</th>
                        <th scope="col">{ "Application (client) ID" }</th>
                        <th scope="col">{ "Secrets" }</th>
                        <th scope="col">{ "Status" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for l.apps.iter().map(|app| {
                        let id = app.id.clone();
                        html! {
                            <tr>
                                <td>
                                    <button type="button" class="link-button"
                                        onclick={d.reform(move |_| ChooseMsg::Pick(id.clone()))}>
                                        { app.display_name.clone() }
                                    </button>
                                </td>
                                <td><code class="copyable">{ app.app_id.clone() }</code></td>
                                <td>{ app.password_credentials.len() }</td>
                                <td>{ crate::components::status_badge(worst_status(app, now)) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            if l.next_link.is_some() {
                <button type="button" class="button button-secondary" disabled={l.loading}
                    onclick={d.reform(|_| ChooseMsg::More)}>
                    { if l.loading { "Loading more…" } else { "Show more apps" } }
                </button>
            }
        </>
    }
}
