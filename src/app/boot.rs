//! Start-up: read `./config.json` (never cached) into a [`Config`].

use js_sys::{Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::config::{Config, ConfigError};
use crate::http::{get_anonymous, NetError};
use crate::net::HttpResponse;

/// Where the site's configuration lives, next to index.html.
pub const CONFIG_URL: &str = "./config.json";

/// Where index.html's `config-prefetch.js` leaves its answer: a Promise of `{ status, body }` or
/// `{ failed: true }` (it never rejects).
pub const PREFETCH_GLOBAL: &str = "secretWizardConfig";

/// Fetches and parses config.json (or takes the answer `config-prefetch.js` already has, once);
/// every failure names the file.
pub async fn load_config() -> Result<Config, ConfigError> {
    let res = match take_prefetched() {
        Some(answer) => prefetched(answer).await?,
        None => get_anonymous(CONFIG_URL, 15_000)
            .await
            .map_err(|e| match e {
                NetError::Network { .. }
                | NetError::Timeout { .. }
                | NetError::Auth(_)
                | NetError::ForeignDestination { .. } => ConfigError::Unreachable,
            })?,
    };
    if !res.is_success() {
        return Err(ConfigError::NotFound { status: res.status });
    }
    Config::parse(&res.body)
}

/// The prefetch's promise, taken off `window` (so a later start, the full app's, asks itself).
fn take_prefetched() -> Option<Promise> {
    let window = JsValue::from(web_sys::window()?);
    let key = JsValue::from_str(PREFETCH_GLOBAL);
    let promise = Reflect::get(&window, &key)
        .ok()?
        .dyn_into::<Promise>()
        .ok()?;
    let _ = Reflect::delete_property(window.unchecked_ref::<js_sys::Object>(), &key);
    Some(promise)
}

async fn prefetched(answer: Promise) -> Result<HttpResponse, ConfigError> {
    let answer = JsFuture::from(answer)
        .await
        .map_err(|_| ConfigError::Unreachable)?;
    let field = |name: &str| Reflect::get(&answer, &JsValue::from_str(name)).ok();
    let status = field("status").and_then(|s| s.as_f64());
    let body = field("body").and_then(|b| b.as_string());
    match (status, body) {
        (Some(status), Some(body)) if (0.0..=999.0).contains(&status) => Ok(HttpResponse {
            status: status as u16,
            headers: Vec::new(),
            body: body.into(),
        }),
        _ => Err(ConfigError::Unreachable),
    }
}
