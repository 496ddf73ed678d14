//! Where the real services differ from a friendly reading of their docs: Graph and ARM do not
//! expose `Retry-After` to a browser (unless a fault says so for one answer), and Graph throttles
//! application lists that select keyCredentials per tenant. Each test names the source of the
//! rule it checks.

mod support;

use serde_json::{json, Value};
use support::*;

const ORIGIN: &str = "http://127.0.0.1:8080";

async fn add_fault(s: &Running, fault: Value) {
    assert_eq!(s.add_fault(&fault).await, 201, "{fault}");
}

/// `Access-Control-Expose-Headers` of an answer, lower-cased names.
fn exposed(res: &reqwest::Response) -> Vec<String> {
    res.headers()
        .get_all("access-control-expose-headers")
        .iter()
        .flat_map(|v| v.to_str().unwrap().split(','))
        .map(|n| n.trim().to_ascii_lowercase())
        .filter(|n| !n.is_empty())
        .collect()
}

async fn get_from_browser(s: &Running, path: &str) -> reqwest::Response {
    s.http
        .get(s.url(path))
        .header("Origin", ORIGIN)
        .header("Authorization", "Bearer x")
        .send()
        .await
        .unwrap()
}

fn throttled(retry_after: &str) -> Value {
    // Graph's sample throttling answer (../shared/specs/graph-docs/throttling.md).
    json!({"method": "GET", "path": "/graph/v1.0/applications", "status": 429,
        "headers": {"Retry-After": retry_after},
        "body": {"error": {"code": "TooManyRequests", "message": "Please retry again later.",
            "innerError": {"code": "429", "message": "Please retry after", "status": "429"}}}})
}

/// Graph does not list `Retry-After` in `Access-Control-Expose-Headers`
/// (microsoft-graph-docs-contrib issues #2011 and #17488): a browser cannot read it, even on a 429.
#[tokio::test]
async fn a_graph_429_does_not_expose_retry_after() {
    let s = start().await;
    add_fault(&s, throttled("2.128")).await;
    let res = get_from_browser(&s, "/graph/v1.0/applications").await;
    assert_eq!(res.status().as_u16(), 429);
    assert_eq!(
        res.headers().get("retry-after").unwrap(),
        "2.128",
        "sent on the wire, as Graph does"
    );
    assert_eq!(
        res.headers().get("access-control-allow-origin").unwrap(),
        ORIGIN
    );
    let names = exposed(&res);
    assert!(names.contains(&"request-id".to_string()), "{names:?}");
    assert!(!names.contains(&"retry-after".to_string()), "{names:?}");

    // Ordinary answers do not expose it either.
    let res = get_from_browser(&s, "/graph/v1.0/me").await;
    assert_eq!(res.status().as_u16(), 401);
    assert!(!exposed(&res).contains(&"retry-after".to_string()));
}

/// ARM's exposed headers are not documented: strict, `Retry-After` is not exposed there either.
#[tokio::test]
async fn an_arm_429_does_not_expose_retry_after() {
    let s = start().await;
    add_fault(
        &s,
        json!({"method": "GET", "path": "/arm/subscriptions", "status": 429,
            "headers": {"Retry-After": "17"},
            "body": {"error": {"code": "TooManyRequests", "message": "m"}}}),
    )
    .await;
    let res = get_from_browser(&s, "/arm/subscriptions?api-version=2022-12-01").await;
    assert_eq!(res.status().as_u16(), 429);
    assert_eq!(res.headers().get("retry-after").unwrap(), "17");
    let names = exposed(&res);
    assert!(names.contains(&"x-ms-request-id".to_string()), "{names:?}");
    assert!(!names.contains(&"retry-after".to_string()), "{names:?}");
}

/// A fault may expose a header for one answer, to test an app that honours a readable
/// `Retry-After`; the next answer is back to Graph's list.
#[tokio::test]
async fn a_fault_can_expose_retry_after_for_one_answer() {
    let s = start().await;
    let mut fault = throttled("3");
    fault["exposeHeaders"] = json!(["Retry-After"]);
    add_fault(&s, fault).await;
    let res = get_from_browser(&s, "/graph/v1.0/applications").await;
    assert_eq!(res.status().as_u16(), 429);
    let names = exposed(&res);
    assert!(names.contains(&"retry-after".to_string()), "{names:?}");
    assert!(
        names.contains(&"request-id".to_string()),
        "Graph's own list is kept: {names:?}"
    );
    let again = get_from_browser(&s, "/graph/v1.0/applications").await;
    assert_eq!(again.status().as_u16(), 401, "the fault was used up");
    assert!(!exposed(&again).contains(&"retry-after".to_string()));

    // Without an Origin there is no CORS answer, and nothing is added.
    let mut fault = throttled("3");
    fault["exposeHeaders"] = json!(["Retry-After"]);
    add_fault(&s, fault).await;
    let res = s
        .http
        .get(s.url("/graph/v1.0/applications"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status().as_u16(), 429);
    assert!(res.headers().get("access-control-allow-origin").is_none());
    assert!(!exposed(&res).contains(&"retry-after".to_string()));

    let bad = json!({"path": "/graph/**", "status": 429, "exposeHeaders": ["Retry After"]});
    assert_eq!(s.add_fault(&bad).await, 400);
}

/// "The use of `$select` to get **keyCredentials** for applications has a throttling limit of
/// 150 requests per minute for every tenant." (../shared/specs/graph-docs/application-list.md):
/// the fault mode answers 429 to list requests that select keyCredentials, and only to those.
#[tokio::test]
async fn key_credentials_list_throttling_hits_only_lists_that_select_them() {
    let s = start().await;
    let token = s.graph_token(&sandbox::identity::personas::DAN).await;
    add_fault(
        &s,
        json!({"method": "GET", "path": "/graph/v1.0/applications", "count": 100,
            "selectIncludes": "keyCredentials", "status": 429,
            "headers": {"Retry-After": "20"},
            "body": {"error": {"code": "TooManyRequests", "message": "Please retry again later."}}}),
    )
    .await;
    let get = |path: &'static str| {
        let s = &s;
        let token = token.clone();
        async move {
            s.http
                .get(s.url(path))
                .bearer_auth(token)
                .header("Origin", ORIGIN)
                .send()
                .await
                .unwrap()
        }
    };
    for throttled in [
        "/graph/v1.0/applications?$select=id,appId,keyCredentials&$top=999",
        "/graph/v1.0/applications?$select=id%2CappId%2CpasswordCredentials%2CkeyCredentials",
    ] {
        let res = get(throttled).await;
        assert_eq!(res.status().as_u16(), 429, "{throttled}");
        assert!(!exposed(&res).contains(&"retry-after".to_string()));
        let body: Value = res.json().await.unwrap();
        assert_eq!(body["error"]["code"], "TooManyRequests");
    }
    for served in [
        "/graph/v1.0/applications?$select=id,appId,displayName,passwordCredentials&$top=100",
        "/graph/v1.0/applications?$filter=startsWith(displayName,'Pay')&$select=id,displayName",
        "/graph/v1.0/applications",
    ] {
        let res = get(served).await;
        assert_eq!(res.status().as_u16(), 200, "{served}");
        let page: Value = res.json().await.unwrap();
        assert!(!page["value"].as_array().unwrap().is_empty(), "{served}");
    }
    // One application by ID is not a list: the fault does not apply.
    let (_, list) = s
        .get_json("/graph/v1.0/applications?$select=id&$top=1", &token)
        .await;
    let id = list["value"][0]["id"].as_str().unwrap().to_string();
    let one = s
        .http
        .get(s.url(&format!(
            "/graph/v1.0/applications/{id}?$select=id,keyCredentials"
        )))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(one.status().as_u16(), 200);
    let armed = s.hook_json("faults").await;
    assert_eq!(
        armed[0]["count"], 98,
        "only the two throttled lists used it"
    );
    assert_eq!(armed[0]["selectIncludes"], "keyCredentials");
}
