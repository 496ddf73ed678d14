//! Fault injection: the next N requests matching a method and a path pattern get a given status
//! and body, extra latency, extra headers, or a connection closed after the action ran.
//!
//! `POST /_sandbox/faults` body (camelCase):
//! `{"method":"POST","path":"/graph/v1.0/applications/*/addPassword","count":1,"status":429,
//!   "body":{…}|null,"headers":{"Retry-After":"1"},"latencyMs":0,"dropAfterAction":false}`
//! - `method`: an HTTP method or `*` (default `*`).
//! - `path`: matched against the percent-decoded request path, query excluded. A `*` inside a
//!   segment matches any characters but `/`; a segment `**` matches any number of segments.
//! - `selectIncludes`: only requests whose `$select` query option names this property
//!   (case-insensitive). With `"keyCredentials"`, `"status":429` and a large `count` it is the
//!   per-tenant throttling of application lists that select keyCredentials ("The use of `$select`
//!   to get **keyCredentials** for applications has a throttling limit of 150 requests per minute
//!   for every tenant.", ../shared/specs/graph-docs/application-list.md).
//! - `count`: how many matching requests the fault affects (default 1).
//! - `status`: answer with this status (and `body`, JSON, or nothing when null) without running
//!   the handler. Without `status` the handler runs and `headers`/`latencyMs` are added.
//! - `dropAfterAction`: the handler runs and its effect is kept, then the connection is closed
//!   with no response at all.
//! - `exposeHeaders`: header names added to the answer's `Access-Control-Expose-Headers` (Graph
//!   and ARM answers only; cors.rs). Graph does not expose `Retry-After`, so by default a browser
//!   cannot read it (microsoft-graph-docs-contrib #2011, #17488); a test that wants the app to
//!   honour a readable `Retry-After` says so here.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use axum::body::Body;
use axum::extract::{OriginalUri, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::server::ConnectionKill;
use crate::AppState;

#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Fault {
    #[serde(default = "any_method")]
    pub method: String,
    pub path: String,
    #[serde(default = "one")]
    pub count: u32,
    #[serde(default)]
    pub status: Option<u16>,
    #[serde(default)]
    pub body: Option<Value>,
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    #[serde(default)]
    pub latency_ms: u64,
    #[serde(default)]
    pub drop_after_action: bool,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub expose_headers: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_includes: Option<String>,
}

/// A response extension: names a fault asked to expose to the browser (see cors.rs).
#[derive(Clone, Debug)]
pub struct ExtraExposed(pub Vec<String>);

fn any_method() -> String {
    "*".into()
}

fn one() -> u32 {
    1
}

impl Fault {
    /// Checks the fields a request cannot check by itself.
    pub fn validate(&self) -> Result<(), String> {
        if !self.path.starts_with('/') {
            return Err("path must start with '/'".into());
        }
        if self.count == 0 {
            return Err("count must be at least 1".into());
        }
        if let Some(status) = self.status {
            if StatusCode::from_u16(status).is_err() || status < 200 {
                return Err(format!("status {status} is not a final HTTP status"));
            }
        }
        if self.status.is_some() && self.drop_after_action {
            return Err("status and dropAfterAction exclude each other".into());
        }
        if self
            .select_includes
            .as_deref()
            .is_some_and(|p| p.is_empty() || p.contains([',', '&', '=']))
        {
            return Err("selectIncludes must be one property name".into());
        }
        if self.latency_ms > 120_000 {
            return Err("latencyMs must be at most 120000".into());
        }
        if self.method != "*" && axum::http::Method::from_bytes(self.method.as_bytes()).is_err() {
            return Err(format!("method {:?} is not an HTTP method", self.method));
        }
        for (name, value) in &self.headers {
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("bad header name {name:?}"))?;
            HeaderValue::from_str(value).map_err(|_| format!("bad value for header {name:?}"))?;
        }
        for name in &self.expose_headers {
            HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| format!("bad header name {name:?} in exposeHeaders"))?;
        }
        Ok(())
    }

    fn matches(&self, method: &str, path: &str, query: Option<&str>) -> bool {
        (self.method == "*" || self.method.eq_ignore_ascii_case(method))
            && path_matches(&self.path, path)
            && self
                .select_includes
                .as_deref()
                .is_none_or(|property| selects(query, property))
    }
}

/// Armed faults, first added first matched.
#[derive(Default)]
pub struct FaultRegistry {
    armed: Mutex<Vec<Fault>>,
}

impl FaultRegistry {
    pub fn add(&self, fault: Fault) -> Result<(), String> {
        fault.validate()?;
        crate::lock(&self.armed).push(fault);
        Ok(())
    }

    pub fn clear(&self) {
        crate::lock(&self.armed).clear();
    }

    /// The armed faults with their remaining counts.
    pub fn list(&self) -> Vec<Fault> {
        crate::lock(&self.armed).clone()
    }

    /// Takes one use of the first fault matching a request without a query, if any.
    pub fn take(&self, method: &str, path: &str) -> Option<Fault> {
        self.take_for(method, path, None)
    }

    /// Takes one use of the first fault matching the request (`query`: its raw query string).
    pub fn take_for(&self, method: &str, path: &str, query: Option<&str>) -> Option<Fault> {
        let mut armed = crate::lock(&self.armed);
        let index = armed.iter().position(|f| f.matches(method, path, query))?;
        let fault = armed[index].clone();
        if armed[index].count <= 1 {
            armed.remove(index);
        } else {
            armed[index].count -= 1;
        }
        Some(fault)
    }
}

/// True when the raw query's `$select` (its name possibly percent-encoded) lists `property`.
fn selects(query: Option<&str>, property: &str) -> bool {
    let decode = |s: &str| {
        percent_encoding::percent_decode_str(&s.replace('+', " "))
            .decode_utf8_lossy()
            .into_owned()
    };
    query
        .unwrap_or_default()
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .filter(|(name, _)| decode(name).eq_ignore_ascii_case("$select"))
        .any(|(_, value)| {
            decode(value)
                .split(',')
                .any(|p| p.trim().eq_ignore_ascii_case(property))
        })
}

/// `*` within a segment matches any run of non-`/` characters; a whole `**` segment matches any
/// number (including zero) of segments.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    let pattern: Vec<&str> = pattern.trim_start_matches('/').split('/').collect();
    let path: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    segments_match(&pattern, &path)
}

fn segments_match(pattern: &[&str], path: &[&str]) -> bool {
    match pattern.split_first() {
        None => path.is_empty(),
        Some((&"**", rest)) => (0..=path.len()).any(|skip| segments_match(rest, &path[skip..])),
        Some((first, rest)) => match path.split_first() {
            Some((segment, path_rest)) => glob(first, segment) && segments_match(rest, path_rest),
            None => false,
        },
    }
}

fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((prefix, rest)) => {
            let Some(text) = text.strip_prefix(prefix) else {
                return false;
            };
            (0..=text.len())
                .filter(|i| text.is_char_boundary(*i))
                .any(|i| glob(rest, &text[i..]))
        }
    }
}

/// The middleware wrapped around every service router.
pub async fn middleware(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let raw_path = req
        .extensions()
        .get::<OriginalUri>()
        .map(|u| u.0.path().to_owned())
        .unwrap_or_else(|| req.uri().path().to_owned());
    let path = percent_encoding::percent_decode_str(&raw_path)
        .decode_utf8_lossy()
        .into_owned();
    let query = req
        .extensions()
        .get::<OriginalUri>()
        .map(|u| u.0.query().map(str::to_owned))
        .unwrap_or_else(|| req.uri().query().map(str::to_owned));
    let Some(fault) = state
        .faults
        .take_for(req.method().as_str(), &path, query.as_deref())
    else {
        return next.run(req).await;
    };
    if fault.latency_ms > 0 {
        tokio::time::sleep(Duration::from_millis(fault.latency_ms)).await;
    }
    if fault.drop_after_action {
        let kill = req.extensions().get::<ConnectionKill>().cloned();
        // The handler runs to completion, so its effect is kept; only the answer is lost.
        let _lost = next.run(req).await;
        return match kill {
            Some(kill) => {
                kill.kill();
                std::future::pending().await
            }
            // Served by something other than `server::serve`: abort the body instead.
            None => aborted_response(),
        };
    }
    let mut response = match fault.status {
        Some(status) => {
            let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            match fault.body {
                Some(body) if !body.is_null() => (status, axum::Json(body)).into_response(),
                _ => status.into_response(),
            }
        }
        None => next.run(req).await,
    };
    for (name, value) in &fault.headers {
        if let (Ok(name), Ok(value)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            response.headers_mut().insert(name, value);
        }
    }
    if !fault.expose_headers.is_empty() {
        response
            .extensions_mut()
            .insert(ExtraExposed(fault.expose_headers.clone()));
    }
    response
}

/// A response whose body fails at once, so the server aborts the connection mid-response.
fn aborted_response() -> Response {
    struct Broken;
    impl http_body::Body for Broken {
        type Data = axum::body::Bytes;
        type Error = std::io::Error;
        fn poll_frame(
            self: std::pin::Pin<&mut Self>,
            _cx: &mut std::task::Context<'_>,
        ) -> std::task::Poll<Option<Result<http_body::Frame<Self::Data>, Self::Error>>> {
            std::task::Poll::Ready(Some(Err(std::io::Error::other(
                "response dropped by a fault",
            ))))
        }
    }
    Response::new(Body::new(Broken))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_segments() {
        let p = "/graph/v1.0/applications/*/addPassword";
        assert!(path_matches(p, "/graph/v1.0/applications/abc/addPassword"));
        assert!(!path_matches(p, "/graph/v1.0/applications/a/b/addPassword"));
        assert!(!path_matches(
            p,
            "/graph/v1.0/applications/abc/removePassword"
        ));
        assert!(path_matches(
            "/graph/v1.0/applications*/addPassword",
            "/graph/v1.0/applications(appId='x')/addPassword"
        ));
        assert!(path_matches("/kv/**", "/kv/kv-contoso-dev/secrets/a"));
        assert!(path_matches("/kv/**/secrets/*", "/kv/v/secrets/a"));
        assert!(!path_matches("/kv/**/secrets/*", "/kv/v/secrets"));
        assert!(path_matches("/**", "/"));
    }

    #[test]
    fn counts_down_and_validates() {
        let registry = FaultRegistry::default();
        let fault: Fault = serde_json::from_value(serde_json::json!(
            {"method": "POST", "path": "/graph/**", "count": 2, "status": 429}
        ))
        .unwrap();
        registry.add(fault).unwrap();
        assert!(registry.take("GET", "/graph/v1.0/me").is_none());
        assert!(registry.take("post", "/graph/v1.0/me").is_some());
        assert_eq!(registry.list()[0].count, 1);
        assert!(registry.take("POST", "/graph/v1.0/me").is_some());
        assert!(registry.take("POST", "/graph/v1.0/me").is_none());

        let bad = |v| {
            serde_json::from_value::<Fault>(v)
                .map_err(|e| e.to_string())
                .and_then(|f| f.validate())
        };
        assert!(bad(serde_json::json!({"path": "graph"})).is_err());
        assert!(bad(serde_json::json!({"path": "/x", "count": 0})).is_err());
        assert!(bad(serde_json::json!({"path": "/x", "status": 99})).is_err());
        assert!(
            bad(serde_json::json!({"path": "/x", "status": 500, "dropAfterAction": true})).is_err()
        );
        assert!(bad(serde_json::json!({"path": "/x", "headers": {"Retry After": "1"}})).is_err());
        assert!(bad(serde_json::json!({"path": "/x", "bogus": 1})).is_err());
        assert!(bad(serde_json::json!({"path": "/x", "selectIncludes": ""})).is_err());
        assert!(bad(serde_json::json!({"path": "/x", "selectIncludes": "a,b"})).is_err());
    }

    #[test]
    fn select_includes_matches_the_select_list_only() {
        let registry = FaultRegistry::default();
        let fault: Fault = serde_json::from_value(serde_json::json!(
            {"method": "GET", "path": "/graph/v1.0/applications", "count": 9, "status": 429,
             "selectIncludes": "keyCredentials"}
        ))
        .unwrap();
        registry.add(fault).unwrap();
        let apps = "/graph/v1.0/applications";
        for miss in [
            None,
            Some("$top=100"),
            Some("$select=id,appId,displayName,passwordCredentials&$top=100"),
            Some("$select=id,keyCredentialsX"),
            Some("$filter=keyCredentials"),
        ] {
            assert!(registry.take_for("GET", apps, miss).is_none(), "{miss:?}");
        }
        for hit in [
            "$select=id,appId,keyCredentials&$top=999",
            "$select=id%2CappId%2CkeyCredentials",
            "%24select=keycredentials",
            "$top=1&$select=%20keyCredentials%20",
        ] {
            assert!(registry.take_for("GET", apps, Some(hit)).is_some(), "{hit}");
        }
        assert!(registry
            .take_for(
                "GET",
                "/graph/v1.0/applications/x",
                Some("$select=keyCredentials")
            )
            .is_none());
    }
}
