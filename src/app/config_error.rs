//! The full-page error shown when config.json is missing or wrong: never a blank page.

use yew::prelude::*;

use crate::components::error_panel;
use crate::config::ConfigError;

pub fn config_error_page(e: &ConfigError) -> Html {
    let title = match e {
        ConfigError::Unreachable => "Settings couldn't be loaded",
        _ => "This site isn't configured yet",
    };
    html! {
        <main class="page page-narrow" id="main">
            { error_panel(
                title.into(),
                e.user_message().into(),
                Some(e.to_string().into()),
                super::setup_link(),
            ) }
        </main>
    }
}
