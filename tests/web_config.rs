//! Browser tests: the config error page says what is wrong, and names the field; `load_config`
//! takes index.html's prefetched answer (config-prefetch.js) once, with the same verdicts.
#![cfg(target_arch = "wasm32")]

mod support;

use secret_wizard::app::{config_error_page, load_config, PREFETCH_GLOBAL};
use secret_wizard::config::{Config, ConfigError};
use support::web::mount;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

#[derive(Properties, PartialEq)]
struct Props {
    error: ConfigError,
}

#[function_component(Harness)]
fn harness(props: &Props) -> Html {
    config_error_page(&props.error)
}

/// Mounts the page for `error` into a fresh div and returns the div after rendering settles.
async fn render(error: ConfigError) -> web_sys::Element {
    let div = mount::<Harness>(Props { error });
    yew::scheduler::flush().await;
    div
}

#[wasm_bindgen_test]
async fn missing_client_id_is_named_in_an_alert() {
    let error =
        Config::parse(r#"{"tenantId":"8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d"}"#).unwrap_err();
    let div = render(error).await;
    let alert = div
        .query_selector("[role=alert]")
        .unwrap()
        .expect("an alert");
    let text = alert.text_content().unwrap();
    assert!(
        text.contains("This site isn't configured yet: config.json is missing field \"clientId\". See the README's deployment section."),
        "{text}"
    );
    assert!(
        text.contains("Details: config.json: field \"clientId\" is missing"),
        "{text}"
    );
    assert_eq!(div.query_selector_all("[role=alert]").unwrap().length(), 1);
    assert!(
        div.query_selector("button").unwrap().is_none(),
        "no Sign in button"
    );
}

#[wasm_bindgen_test]
async fn an_unknown_cloud_lists_the_choices() {
    let error = Config::parse(
        r#"{"tenantId":"8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d","clientId":"5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c","cloud":"mars"}"#,
    )
    .unwrap_err();
    let div = render(error).await;
    let text = div.text_content().unwrap();
    assert!(
        text.contains("cloud \"mars\" is unknown: use public, usgov, usgovdod, china or custom"),
        "{text}"
    );
}

#[wasm_bindgen_test]
async fn a_missing_file_says_so() {
    let div = render(ConfigError::NotFound { status: 404 }).await;
    let text = div.text_content().unwrap();
    assert!(text.contains("config.json was not found"), "{text}");
    assert!(text.contains("HTTP 404"), "{text}");
}

/// Leaves `answer` where index.html's config-prefetch.js would, as a resolved promise.
fn prefetched(answer: &str) {
    let value = js_sys::JSON::parse(answer).unwrap();
    let window = wasm_bindgen::JsValue::from(web_sys::window().unwrap());
    js_sys::Reflect::set(
        &window,
        &PREFETCH_GLOBAL.into(),
        &js_sys::Promise::resolve(&value),
    )
    .unwrap();
}

fn prefetch_left() -> bool {
    let window = wasm_bindgen::JsValue::from(web_sys::window().unwrap());
    js_sys::Reflect::has(window.unchecked_ref(), &PREFETCH_GLOBAL.into()).unwrap()
}

#[wasm_bindgen_test]
async fn the_prefetched_answer_is_used_once() {
    prefetched(
        r#"{"status":200,"body":"{\"tenantId\":\"8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d\",\"clientId\":\"5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c\"}"}"#,
    );
    let config = load_config().await.expect("the prefetched config.json");
    assert_eq!(config.client_id, "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c");
    assert!(
        !prefetch_left(),
        "taken off window, so a later start asks itself"
    );
}

#[wasm_bindgen_test]
async fn a_prefetched_404_is_a_missing_config() {
    prefetched(r#"{"status":404,"body":"not found"}"#);
    assert_eq!(
        load_config().await.unwrap_err(),
        ConfigError::NotFound { status: 404 }
    );
}

#[wasm_bindgen_test]
async fn a_failed_or_malformed_prefetch_is_unreachable() {
    for answer in [
        r#"{"failed":true}"#,
        r#"{"status":"200","body":"{}"}"#,
        r#"{"status":200}"#,
        r#"{"status":70000,"body":"{}"}"#,
        r#"null"#,
    ] {
        prefetched(answer);
        assert_eq!(
            load_config().await.unwrap_err(),
            ConfigError::Unreachable,
            "{answer}"
        );
    }
}
