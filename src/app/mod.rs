//! The Yew application root.
use yew::prelude::*;

#[function_component(App)]
pub fn app() -> Html {
    html! { <main><h1>{ "secret-wizard" }</h1></main> }
}
