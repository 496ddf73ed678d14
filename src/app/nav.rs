//! The signed-in pages and the bar between them: Create a secret (the wizard), Expiry overview,
//! Hand-off link. No URLs (see the module docs of `app`): the page is state.
//!
//! Also where a hand-off link is picked up: on load, a valid link is kept in `sessionStorage`
//! (it survives a redirect sign-in), a refused one is explained and nothing else happens; once
//! signed in, the wizard starts prepared and the link is removed from storage and address bar.

use chrono::Local;
use yew::prelude::*;

use super::context::use_app;
use crate::components::error_panel;
use crate::handoff::pending::{choose_query, limits, prepared};
use crate::handoff::{browser, parse, Handoff, HandoffError};
use crate::overview::OverviewPage;
use crate::rotation::{RotationConfig, RotationFlow};
use crate::runtime::use_session_sender;
use crate::wizard::{Leave, LeaveGuard, Prepared};

/// A signed-in page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Page {
    Create,
    Overview,
    Handoff,
    /// One app's rotation guide and vault cross-check (opened from the wizard's Review step).
    Rotate,
}

impl Page {
    const ALL: [Page; 3] = [Page::Create, Page::Overview, Page::Handoff];

    /// The name the wizard's `Leave::Navigate` carries.
    pub fn route(self) -> &'static str {
        match self {
            Page::Create => "/create",
            Page::Overview => "/overview",
            Page::Handoff => "/handoff",
            Page::Rotate => crate::rotation::ROUTE_PREFIX,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Page::Create => "Create a secret",
            Page::Overview => "Expiry overview",
            Page::Handoff => "Hand-off link",
            Page::Rotate => "Rotate a secret",
        }
    }

    fn from_route(route: &str) -> Page {
        Page::ALL
            .into_iter()
            .find(|p| p.route() == route)
            .unwrap_or(Page::Create)
    }
}

/// What pages read: where to go, and how the wizard should start.
#[derive(Clone, PartialEq)]
pub struct Nav {
    pub page: Page,
    /// Go to a route without asking (the wizard calls it after the user confirmed leaving).
    pub go: Callback<String>,
    /// The wizard starts prepared with this, when set.
    pub prepared: Option<Prepared>,
}

/// What the page's link asked for.
#[derive(Clone, PartialEq)]
enum Link {
    None,
    Valid(Handoff),
    Refused(HandoffError),
}

fn read_link(config: &crate::config::Config) -> Link {
    let l = limits(config, Local::now().date_naive());
    let (page, stored) = (browser::page_query(), browser::stored());
    let Some(query) = choose_query(&page, stored.as_deref(), &l) else {
        return Link::None;
    };
    match parse(query, &l) {
        Ok(Some(h)) => {
            browser::store(query);
            Link::Valid(h)
        }
        Ok(None) => Link::None,
        Err(e) => {
            browser::forget();
            Link::Refused(e)
        }
    }
}

/// The rotation page's settings, from config.json.
fn rotation_config(config: &crate::config::Config) -> RotationConfig {
    RotationConfig {
        graph_base: config.graph_base().to_string(),
        arm_base: config.arm_base().to_string(),
        vault: config.vault.clone(),
    }
}

/// What a refused link, or a valid one before sign-in, tells the user.
fn link_notice(link: &Link, signed_in: bool) -> Html {
    match (link, signed_in) {
        (Link::Refused(e), _) => html! {
            <div class="page handoff-notice">
                { error_panel("Hand-off link not used".into(), e.user_message().into(), None, html! {}) }
            </div>
        },
        (Link::Valid(h), false) => html! {
            <div class="page handoff-notice">
                <p class="notice" role="status">
                    { format!("You opened a hand-off link to create a client secret for the app with \
                               client ID {}. Sign in to continue; the prepared step opens next.", h.app) }
                </p>
            </div>
        },
        _ => html! {},
    }
}

#[derive(Properties, PartialEq)]
pub struct SignedOutLinkProps {
    pub children: Html,
}

/// The boot module's stand-in for [`Navigation`] (signed out only): the hand-off link's notice
/// above the sign-in page. A valid link is kept in `sessionStorage` for the full app, which
/// reads it again once signed in.
#[function_component(SignedOutLink)]
pub fn signed_out_link(props: &SignedOutLinkProps) -> Html {
    let ctx = use_app();
    let link = use_state(|| read_link(&ctx.config));
    html! { <>{ link_notice(&link, false) }{ props.children.clone() }</> }
}

#[derive(Properties, PartialEq)]
pub struct NavigationProps {
    pub signed_in: bool,
    /// The Create page (the wizard) when signed in; the sign-in page otherwise.
    pub children: Html,
}

#[function_component(Navigation)]
pub fn navigation(props: &NavigationProps) -> Html {
    let ctx = use_app();
    let link = use_state(|| read_link(&ctx.config));
    let page = use_state(|| Page::Create);
    let prepared = use_state(|| None::<Prepared>);
    let rotate_app = use_state(|| None::<String>);
    // Signed in with a valid link: start the wizard prepared, once, and tidy up.
    {
        let (link, prepared, page) = (link.clone(), prepared.clone(), page.clone());
        use_effect_with(props.signed_in, move |signed_in| {
            if let (true, Link::Valid(h)) = (*signed_in, &*link) {
                prepared.set(Some(self::prepared(h, Local::now().date_naive())));
                page.set(Page::Create);
                browser::forget();
                browser::clear_query();
            }
        });
    }
    let go = {
        let (page, prepared, rotate_app) = (page.clone(), prepared.clone(), rotate_app.clone());
        use_callback((), move |route: String, _| {
            prepared.set(None);
            match route.strip_prefix(crate::rotation::ROUTE_PREFIX) {
                Some(app) => {
                    rotate_app.set(Some(app.to_string()));
                    page.set(Page::Rotate);
                }
                None => page.set(Page::from_route(&route)),
            }
        })
    };
    let guard = use_context::<LeaveGuard>();
    // How the rotation page sends its requests (the app's executor).
    let sender = use_session_sender();
    let on_nav = |target: Page| {
        let (go, guard, current) = (go.clone(), guard.clone(), *page);
        Callback::from(move |_: MouseEvent| {
            if target == current {
                return;
            }
            // Leaving the wizard while a value would be lost: the wizard asks, then calls `go`.
            let leave = Leave::Navigate(target.route().to_string());
            if current == Page::Create && guard.as_ref().is_some_and(|g| g.intercept(leave)) {
                return;
            }
            go.emit(target.route().to_string());
        })
    };
    let on_open_app = {
        let (page, prepared) = (page.clone(), prepared.clone());
        Callback::from(move |client_id: String| {
            prepared.set(Some(Prepared {
                app_id: client_id,
                choice: None,
                describe: false,
                vault_id: None,
                vault_from_link: false,
                secret_name: None,
                note: None,
            }));
            page.set(Page::Create);
        })
    };
    let on_prepare = {
        let (page, prepared) = (page.clone(), prepared.clone());
        Callback::from(move |p: Prepared| {
            prepared.set(Some(p));
            page.set(Page::Create);
        })
    };
    let notice = match (&*link, props.signed_in) {
        // Signed in, the link is the wizard's to mention (`Prepared::note`), and to stop mentioning.
        (Link::Valid(_), true) => html! {},
        (link, signed_in) => link_notice(link, signed_in),
    };
    if !props.signed_in {
        return html! { <>{ notice }{ props.children.clone() }</> };
    }
    let nav = Nav {
        page: *page,
        go: go.clone(),
        prepared: (*prepared).clone(),
    };
    html! {
        <ContextProvider<Nav> context={nav}>
            <nav class="appnav" aria-label="Pages">
                <ul>
                    { for Page::ALL.into_iter().map(|p| html! {
                        <li>
                            <button type="button" class="appnav-item"
                                    aria-current={(p == *page).then_some("page")}
                                    onclick={on_nav(p)}>{ p.label() }</button>
                        </li>
                    }) }
                </ul>
            </nav>
            { notice }
            { match *page {
                Page::Create => props.children.clone(),
                Page::Overview => html! { <OverviewPage on_open_app={on_open_app} /> },
                Page::Handoff => html! { <crate::handoff::HandoffPage /> },
                Page::Rotate => match &*rotate_app {
                    Some(app) => html! {
                        <RotationFlow config={rotation_config(&ctx.config)} app_object_id={AttrValue::from(app.clone())}
                            sender={sender} on_prepare={on_prepare} />
                    },
                    None => html! {},
                },
            } }
        </ContextProvider<Nav>>
    }
}
