//! A short first-run tour for the demo (the sandbox): four cards above the page, dismissible, not
//! modal. Once closed it stays closed for the browser tab: only the word "done" is kept, in
//! sessionStorage under [`TOUR_KEY`] (never anything about the user or a secret).

use yew::prelude::*;

/// sessionStorage key; its value is "done" once the tour was closed or finished.
pub const TOUR_KEY: &str = "secret-wizard.tour";

/// (title, text) of each card.
const CARDS: [(&str, &str); 4] = [
    (
        "Welcome to the demo",
        "Everything here talks to a local stand-in for Microsoft Entra ID, Graph and Azure, so \
         nothing real changes. Sign in as Dev Dan (a developer who owns two apps) or Ada Admin \
         (an Application Administrator); no password is needed.",
    ),
    (
        "Pick the app, then describe the secret",
        "Search for an app, look at its secrets and certificates, and choose how long the new \
         secret lasts and which key vault it goes to. The check next to the vault tells you \
         before anything is created whether you may store it there.",
    ),
    (
        "The value, once",
        "The new secret is shown one time only. Store it in Key Vault with one click, or copy \
         it; leaving without doing either asks first.",
    ),
    (
        "Done, and what next",
        "You get the Key Vault reference for the app's settings and the next steps. The Expiry \
         overview lists every secret that needs rotating soon.",
    ),
];

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok()?
}

fn dismissed() -> bool {
    storage()
        .and_then(|s| s.get_item(TOUR_KEY).ok().flatten())
        .is_some_and(|v| v == "done")
}

#[derive(Properties, PartialEq)]
pub struct TourProps {
    /// Only the demo shows the tour.
    pub demo: bool,
}

#[function_component(Tour)]
pub fn tour(props: &TourProps) -> Html {
    let open = {
        let demo = props.demo;
        use_state(move || demo && !dismissed())
    };
    let card = use_state(|| 0usize);
    if !*open {
        return html! {};
    }
    let close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(s) = storage() {
                // Best effort: without storage the tour just comes back on the next load.
                let _ = s.set_item(TOUR_KEY, "done");
            }
            open.set(false);
        })
    };
    let go = |to: usize| {
        let card = card.clone();
        Callback::from(move |_: MouseEvent| card.set(to))
    };
    let i = (*card).min(CARDS.len() - 1);
    let (title, text) = CARDS[i];
    let last = i + 1 == CARDS.len();
    html! {
        <section class="tour" aria-label="Quick tour of the demo">
            <div class="tour-card" aria-live="polite">
                <p class="tour-count">{ format!("Quick tour · {} of {}", i + 1, CARDS.len()) }</p>
                <p class="tour-title"><strong>{ title }</strong></p>
                <p>{ text }</p>
            </div>
            <div class="actions">
                if i > 0 {
                    <button type="button" class="button button-secondary" onclick={go(i - 1)}>
                        { "Back" }
                    </button>
                }
                if last {
                    <button type="button" class="button button-primary" onclick={close.clone()}>
                        { "Start" }
                    </button>
                } else {
                    <button type="button" class="button button-primary" onclick={go(i + 1)}>
                        { "Next" }
                    </button>
                    <button type="button" class="button button-link" onclick={close}>
                        { "Skip the tour" }
                    </button>
                }
            </div>
        </section>
    }
}
