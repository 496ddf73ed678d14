//! `POST /v1.0/$batch`: JSON batching, as ../shared/specs/graph-docs/json-batching.md describes it.
//!
//! - The body is `{"requests": [...]}`; each request has `id` (required, unique in the batch,
//!   not case-sensitive: a repeated one fails the whole batch with 400), `method`, `url` (relative
//!   to the version: `/users`, or `users?...` as the doc's example 5 writes it), optional
//!   `headers` (required with a `body`, which then needs a `Content-Type`), optional `body` and
//!   optional `dependsOn`.
//! - "JSON batch requests are currently limited to 20 individual requests" ("Batch size
//!   limitations"): more is a 400 for the whole batch. A malformed batch is a 400; a parseable one
//!   is a 200 whose `responses` carry each request's own `id`, `status`, `headers` and `body`.
//! - "Requests in a batch are evaluated individually against the applicable throttling limits
//!   and if any request exceeds the limits, it fails with a status of 429": each request runs
//!   through the same Graph router as it would alone — with the caller's token (authorisation
//!   per request), the fault injection the tests use for throttling and errors, and the
//!   `request-id` headers.
//! - `dependsOn`: "If an individual request fails, any request that depends on that request
//!   fails with status code 424 (Failed Dependency)". The sandbox runs requests in the order
//!   given (the doc allows any order; sequential is one of them).
//!
//! Strict where the doc says nothing (sandbox/README.md): an absolute `url`, a `$batch` inside a
//! batch, or a `dependsOn` naming an id not earlier in the batch fail the whole batch with 400;
//! an `Authorization` header inside a request is ignored (the batch's own token is used); the
//! 400s' wording is the sandbox's own.

use axum::body::{to_bytes, Body};
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{middleware, Extension, Json, Router};
use serde_json::{json, Map, Value};
use tower::ServiceExt;

use super::{authorize, bad_request, Need, RequestIds};
use crate::AppState;

/// "JSON batch requests are currently limited to 20 individual requests."
pub const MAX_REQUESTS: usize = 20;

/// The biggest answer of one request the sandbox copies into a batch response.
const MAX_BODY: usize = 16 * 1024 * 1024;

struct Step {
    id: String,
    method: Method,
    url: String,
    headers: Vec<(String, String)>,
    body: Option<Value>,
    depends_on: Vec<String>,
}

fn refuse(ids: &RequestIds, message: &str) -> Response {
    bad_request(ids, "BadRequest", message)
}

fn read_steps(body: &Value) -> Result<Vec<Step>, String> {
    let requests = body
        .get("requests")
        .and_then(Value::as_array)
        .ok_or("The batch body must be an object with a 'requests' array.")?;
    if requests.len() > MAX_REQUESTS {
        return Err(format!(
            "The batch has {} requests; JSON batch requests are limited to {MAX_REQUESTS}.",
            requests.len()
        ));
    }
    let mut steps: Vec<Step> = Vec::with_capacity(requests.len());
    for (i, r) in requests.iter().enumerate() {
        let text = |key: &str| r.get(key).and_then(Value::as_str).map(str::to_owned);
        let id = text("id").ok_or(format!("requests[{i}]: 'id' is required."))?;
        if steps.iter().any(|s| s.id.eq_ignore_ascii_case(&id)) {
            return Err(format!("The id '{id}' is used by more than one request."));
        }
        let method = text("method")
            .and_then(|m| Method::from_bytes(m.to_ascii_uppercase().as_bytes()).ok())
            .ok_or(format!("requests[{i}]: 'method' is required."))?;
        let url = text("url").ok_or(format!("requests[{i}]: 'url' is required."))?;
        if url.contains("://") {
            return Err(format!(
                "requests[{i}]: 'url' must be relative to the version (for example /users)."
            ));
        }
        let path = url.trim_start_matches('/');
        if path.split(['?', '/']).next() == Some("$batch") {
            return Err(format!("requests[{i}]: a batch cannot contain a batch."));
        }
        let headers: Vec<(String, String)> = match r.get("headers") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Object(h)) => h
                .iter()
                .filter_map(|(k, v)| v.as_str().map(|v| (k.clone(), v.to_owned())))
                .collect(),
            Some(_) => return Err(format!("requests[{i}]: 'headers' must be an object.")),
        };
        let body = r.get("body").filter(|b| !b.is_null()).cloned();
        if body.is_some()
            && !headers
                .iter()
                .any(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        {
            return Err(format!(
                "requests[{i}]: a request with a body needs a Content-Type header."
            ));
        }
        let depends_on: Vec<String> = match r.get("dependsOn") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::Array(d)) => d
                .iter()
                .map(|v| v.as_str().map(str::to_owned))
                .collect::<Option<_>>()
                .ok_or(format!("requests[{i}]: 'dependsOn' must list ids."))?,
            Some(_) => return Err(format!("requests[{i}]: 'dependsOn' must list ids.")),
        };
        if let Some(unknown) = depends_on
            .iter()
            .find(|d| !steps.iter().any(|s| s.id.eq_ignore_ascii_case(d)))
        {
            return Err(format!(
                "requests[{i}]: dependsOn '{unknown}' names no earlier request of the batch."
            ));
        }
        steps.push(Step {
            id,
            method,
            url: format!("/graph/v1.0/{path}"),
            headers,
            body,
            depends_on,
        });
    }
    Ok(steps)
}

/// The Graph router as a single request meets it: fault injection, then request IDs.
fn graph_service(state: &AppState) -> Router {
    let faults = middleware::from_fn_with_state(state.clone(), crate::faults::middleware);
    Router::new()
        .nest(
            "/graph",
            super::router()
                .layer(faults)
                .layer(middleware::from_fn(super::request_ids)),
        )
        .with_state(state.clone())
}

async fn run(service: &Router, step: &Step, authorization: Option<&HeaderValue>) -> Value {
    let mut req = Request::builder()
        .method(step.method.clone())
        .uri(&step.url);
    for (k, v) in &step.headers {
        if !k.eq_ignore_ascii_case("authorization") {
            req = req.header(k.as_str(), v.as_str());
        }
    }
    if let Some(auth) = authorization {
        req = req.header(header::AUTHORIZATION, auth.clone());
    }
    let body = match &step.body {
        Some(Value::String(s)) => Body::from(s.clone()),
        Some(v) => Body::from(v.to_string()),
        None => Body::empty(),
    };
    let answer = match req.body(body) {
        Ok(req) => service.clone().oneshot(req).await.ok(),
        Err(_) => None,
    };
    let Some(answer) = answer else {
        return json!({"id": step.id, "status": 400, "body": {"error": {
            "code": "BadRequest", "message": "The request's url or headers could not be read."}}});
    };
    let status = answer.status().as_u16();
    let mut headers = Map::new();
    for (name, value) in answer.headers() {
        if let Ok(v) = value.to_str() {
            headers.insert(name.as_str().to_owned(), json!(v));
        }
    }
    let bytes = to_bytes(answer.into_body(), MAX_BODY)
        .await
        .unwrap_or_default();
    let mut out = json!({"id": step.id, "status": status, "headers": headers});
    if !bytes.is_empty() {
        out["body"] = serde_json::from_slice(&bytes)
            .unwrap_or_else(|_| Value::String(String::from_utf8_lossy(&bytes).into_owned()));
    }
    out
}

pub async fn batch(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    // The batch itself needs a valid Graph token; what each request may do is decided per
    // request, by the same checks as alone.
    if let Err(r) = authorize(&state, &headers, &ids, Need::Profile) {
        if r.status() == StatusCode::UNAUTHORIZED {
            return r;
        }
    }
    let Ok(parsed) = serde_json::from_slice::<Value>(&body) else {
        return refuse(&ids, "The batch body is not valid JSON.");
    };
    let steps = match read_steps(&parsed) {
        Ok(steps) => steps,
        Err(message) => return refuse(&ids, &message),
    };
    let service = graph_service(&state);
    let authorization = headers.get(header::AUTHORIZATION);
    let mut responses: Vec<Value> = Vec::with_capacity(steps.len());
    for step in &steps {
        let failed_dependency = step.depends_on.iter().any(|d| {
            responses.iter().any(|r| {
                r["id"]
                    .as_str()
                    .is_some_and(|id| id.eq_ignore_ascii_case(d))
                    && !r["status"]
                        .as_u64()
                        .is_some_and(|s| (200..300).contains(&s))
            })
        });
        if failed_dependency {
            responses.push(json!({"id": step.id, "status": 424, "body": {"error": {
                "code": "FailedDependency",
                "message": "A request this one depends on failed."}}}));
            continue;
        }
        responses.push(run(&service, step, authorization).await);
    }
    (StatusCode::OK, Json(json!({ "responses": responses }))).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batches_are_read_as_the_doc_describes() {
        let get = |id: &str| json!({"id": id, "method": "GET", "url": "/me"});
        let twenty: Vec<Value> = (1..=20).map(|i| get(&i.to_string())).collect();
        assert_eq!(
            read_steps(&json!({ "requests": twenty })).unwrap().len(),
            20
        );
        let many: Vec<Value> = (1..=21).map(|i| get(&i.to_string())).collect();
        assert!(read_steps(&json!({ "requests": many })).is_err());
        assert!(read_steps(&json!({"requests": [get("a"), get("A")]})).is_err());
        assert!(read_steps(&json!({"nope": []})).is_err());
        let relative = read_steps(&json!({"requests": [
            {"id": "1", "method": "get", "url": "users?$select=id"}]}))
        .unwrap();
        assert_eq!(relative[0].url, "/graph/v1.0/users?$select=id");
        assert_eq!(relative[0].method, Method::GET);
        for bad in [
            json!({"id": "1", "method": "GET", "url": "https://graph.microsoft.com/v1.0/me"}),
            json!({"id": "1", "method": "GET", "url": "/$batch"}),
            json!({"id": "1", "method": "POST", "url": "/me", "body": {}}),
            json!({"id": "1", "method": "GET", "url": "/me", "dependsOn": ["2"]}),
            json!({"method": "GET", "url": "/me"}),
        ] {
            assert!(read_steps(&json!({ "requests": [bad] })).is_err(), "{bad}");
        }
        let chained = read_steps(&json!({"requests": [get("1"),
            {"id": "2", "method": "GET", "url": "/me", "dependsOn": ["1"]}]}))
        .unwrap();
        assert_eq!(chained[1].depends_on, ["1"]);
    }
}
