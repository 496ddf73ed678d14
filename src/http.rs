//! The one executor: [`HttpRequest`] → `fetch` → [`HttpResponse`].
//!
//! It adds the bearer token for `req.resource`, sends with `mode: cors`, `credentials: omit`,
//! `referrerPolicy: no-referrer`, `cache: no-store`, `redirect: error` (a redirect fails the
//! request: it is never followed) and a deadline, lower-cases response header names, and retries
//! as [`crate::retry::decide`] says (401 → renew the token once; 429/503 and a 409 from a
//! concurrent change → honour `Retry-After` when the browser may read it, else back off
//! exponentially with jitter from `Math.random()`; unsure outcomes only for idempotent
//! requests). Bodies are never logged.

use std::time::Duration;

use gloo::timers::future::sleep;
use js_sys::Reflect;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    AbortController, Headers, ReferrerPolicy, RequestCache, RequestCredentials, RequestInit,
    RequestMode, RequestRedirect, Response,
};
use zeroize::Zeroizing;

use crate::auth::{service_name, AuthError, Interaction, Session, TokenOptions};
use crate::net::{HttpRequest, HttpResponse, Method, Resource};
use crate::retry::{decide, Decision, Outcome, RetryPolicy};

/// Default deadline of one send, body included.
pub const DEFAULT_TIMEOUT_MS: u32 = 30_000;

/// Why no HTTP answer came back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetError {
    /// fetch failed: offline, DNS, TLS, or a CORS refusal (the browser hides which).
    Network { resource: Option<Resource> },
    /// No answer before the deadline.
    Timeout { resource: Option<Resource> },
    /// No token for the service.
    Auth(AuthError),
    /// The URL is not the service's own origin (e.g. a tampered `nextLink`): no token, no send.
    ForeignDestination { resource: Resource },
}

impl NetError {
    pub fn user_message(&self) -> String {
        let name = |r: &Option<Resource>| r.map_or("the server", service_name);
        match self {
            NetError::Network { resource } => format!(
                "{} couldn't be reached. Check your connection and try again; if it keeps failing, the service may not accept calls from this site.",
                capitalise(name(resource))
            ),
            NetError::Timeout { resource } => format!(
                "{} didn't answer in time. Try again in a minute.",
                capitalise(name(resource))
            ),
            NetError::Auth(e) => e.user_message(),
            NetError::ForeignDestination { resource } => format!(
                "{} answered with a link to another site, which was not followed. Try again; if it keeps happening, tell your administrator.",
                capitalise(service_name(*resource))
            ),
        }
    }

    pub fn details(&self) -> String {
        match self {
            NetError::Network { .. } => "fetch failed (network or CORS)".into(),
            NetError::Timeout { .. } => "no answer before the deadline".into(),
            NetError::Auth(e) => e.details(),
            NetError::ForeignDestination { .. } => {
                "refused: URL outside the service's origin".into()
            }
        }
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
        .unwrap_or_default()
}

/// A wait before a retry, for "Microsoft Graph is busy; retrying in N s…".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryNotice {
    pub resource: Resource,
    /// The status that caused the wait (0 after a network error or timeout).
    pub status: u16,
    /// The wait, rounded up to whole seconds (for "retrying in N s").
    pub wait_secs: u64,
    pub wait_millis: u64,
    /// The send that failed (1-based).
    pub attempt: u32,
}

/// How to send one request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SendOptions {
    pub retry: RetryPolicy,
    pub timeout_ms: u32,
    pub interaction: Interaction,
}

impl SendOptions {
    /// Retries by the request's method; popup-then-redirect if a token needs the user.
    pub fn for_request(req: &HttpRequest) -> Self {
        SendOptions {
            retry: RetryPolicy::for_method(req.method),
            timeout_ms: DEFAULT_TIMEOUT_MS,
            interaction: Interaction::default(),
        }
    }
}

/// Sends with the defaults for the request's method.
pub async fn send(session: &Session, req: &HttpRequest) -> Result<HttpResponse, NetError> {
    send_with(session, req, SendOptions::for_request(req), |_| {}).await
}

/// Sends, retrying as `opts.retry` allows; `on_wait` hears about every wait before it starts.
pub async fn send_with(
    session: &Session,
    req: &HttpRequest,
    opts: SendOptions,
    on_wait: impl Fn(RetryNotice),
) -> Result<HttpResponse, NetError> {
    if !session.may_send_token(req.resource, &req.url) {
        return Err(NetError::ForeignDestination {
            resource: req.resource,
        });
    }
    let mut attempt = 0;
    let mut renewed = false;
    let mut force_refresh = false;
    loop {
        attempt += 1;
        let token_opts = TokenOptions {
            force_refresh,
            interaction: opts.interaction,
        };
        let token = Zeroizing::new(
            session
                .token_with(req.resource, token_opts)
                .await
                .map_err(NetError::Auth)?,
        );
        force_refresh = false;
        let result = fetch_once(req, Some(&token), opts.timeout_ms).await;
        let outcome = match &result {
            Ok(res) => Outcome::of(res),
            Err(NetError::Timeout { .. }) => Outcome::Timeout,
            Err(_) => Outcome::NetworkError,
        };
        let jitter = js_sys::Math::random();
        match decide(&opts.retry, attempt, outcome, renewed, jitter) {
            Decision::Done => return result,
            Decision::RenewTokenAndRetry => {
                renewed = true;
                force_refresh = true;
            }
            Decision::Wait { millis } => {
                on_wait(RetryNotice {
                    resource: req.resource,
                    status: result.as_ref().map_or(0, |r| r.status),
                    wait_secs: millis.div_ceil(1000),
                    wait_millis: millis,
                    attempt,
                });
                sleep(Duration::from_millis(millis)).await;
            }
        }
    }
}

/// GET without a token (the site's own files, such as config.json), never cached.
pub async fn get_anonymous(url: &str, timeout_ms: u32) -> Result<HttpResponse, NetError> {
    let req = HttpRequest::new(Method::Get, url, Resource::Graph);
    fetch_once(&req, None, timeout_ms)
        .await
        .map_err(|e| match e {
            NetError::Network { .. } => NetError::Network { resource: None },
            NetError::Timeout { .. } => NetError::Timeout { resource: None },
            other => other,
        })
}

/// One `fetch`, body read included, under one deadline.
async fn fetch_once(
    req: &HttpRequest,
    token: Option<&str>,
    timeout_ms: u32,
) -> Result<HttpResponse, NetError> {
    let network = NetError::Network {
        resource: Some(req.resource),
    };
    let window = web_sys::window().ok_or_else(|| network.clone())?;
    let init = RequestInit::new();
    init.set_method(req.method.as_str());
    init.set_mode(RequestMode::Cors);
    init.set_credentials(RequestCredentials::Omit);
    init.set_cache(RequestCache::NoStore);
    init.set_referrer_policy(ReferrerPolicy::NoReferrer);
    // Never follow a redirect: a 307/308 would resend the body (a vault write carries the
    // secret) to a URL `destinations` never saw. The browser fails the fetch instead, which
    // reads here as a network error (no answer).
    init.set_redirect(RequestRedirect::Error);
    let headers = Headers::new().map_err(|_| network.clone())?;
    for (name, value) in &req.headers {
        headers.set(name, value).map_err(|_| network.clone())?;
    }
    if let Some(token) = token {
        let bearer = Zeroizing::new(format!("Bearer {token}"));
        headers
            .set("Authorization", &bearer)
            .map_err(|_| network.clone())?;
    }
    init.set_headers(&headers);
    if let Some(body) = &req.body {
        init.set_body(&JsValue::from_str(body));
    }
    let controller = AbortController::new().map_err(|_| network.clone())?;
    init.set_signal(Some(&controller.signal()));
    // Dropping the timer cancels it; until then it aborts the fetch and the body read.
    let _deadline = gloo::timers::callback::Timeout::new(timeout_ms, move || controller.abort());

    let classify = |e: JsValue| {
        if is_abort(&e) {
            NetError::Timeout {
                resource: Some(req.resource),
            }
        } else {
            NetError::Network {
                resource: Some(req.resource),
            }
        }
    };
    let response: Response = JsFuture::from(window.fetch_with_str_and_init(&req.url, &init))
        .await
        .map_err(classify)?
        .unchecked_into();
    let text = response.text().map_err(|_| network.clone())?;
    let body = JsFuture::from(text).await.map_err(classify)?;
    let mut out = HttpResponse::new(response.status(), body.as_string().unwrap_or_default());
    out.headers = header_pairs(&response.headers());
    Ok(out)
}

fn is_abort(e: &JsValue) -> bool {
    Reflect::get(e, &JsValue::from_str("name"))
        .ok()
        .and_then(|n| n.as_string())
        .is_some_and(|n| n == "AbortError" || n == "TimeoutError")
}

/// The response headers the browser lets us read, names lower-cased.
fn header_pairs(headers: &Headers) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let Ok(Some(iter)) = js_sys::try_iter(headers) else {
        return out;
    };
    for entry in iter.flatten() {
        let pair: js_sys::Array = entry.unchecked_into();
        if let (Some(k), Some(v)) = (pair.get(0).as_string(), pair.get(1).as_string()) {
            out.push((k.to_ascii_lowercase(), v));
        }
    }
    out
}
