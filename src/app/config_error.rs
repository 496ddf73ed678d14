//! The full-page error shown when config.json is missing or wrong: never a blank page.

use yew::prelude::*;

use crate::components::ErrorPanel;
use crate::config::ConfigError;

#[derive(Properties, PartialEq)]
pub struct ConfigErrorPageProps {
    pub error: ConfigError,
}

#[function_component(ConfigErrorPage)]
pub fn config_error_page(props: &ConfigErrorPageProps) -> Html {
    let e = &props.error;
    let title = match e {
        ConfigError::Unreachable => "Settings couldn't be loaded",
        _ => "This site isn't configured yet",
    };
    html! {
        <main class="page page-narrow" id="main">
            <ErrorPanel
                title={title}
                message={e.user_message()}
                details={Some(AttrValue::from(e.to_string()))}
            >
                { super::setup_link() }
            </ErrorPanel>
        </main>
    }
}
