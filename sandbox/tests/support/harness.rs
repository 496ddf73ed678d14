//! A sandbox in the test process, called through its router (no sockets): every request comes
//! from 127.0.0.1, as the server would record it. Tokens are signed by the sandbox itself.
//!
//! Used as `support::harness`: the ARM and Key Vault tests call the sandbox through it.

use std::net::SocketAddr;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use sandbox::identity::personas::Persona;
use sandbox::identity::tokens::{ARM_AUDIENCE, GRAPH_AUDIENCE, KEY_VAULT_AUDIENCE};
use sandbox::{Options, Sandbox};
use serde_json::Value;
use tower::ServiceExt;

#[allow(unused_imports)]
pub use sandbox::identity::personas::{ADA, DAN, RITA};

pub const DEV_SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
pub const PROD_SUB: &str = "c0de0002-7d3e-4a5b-9c8d-00000000f401";
pub const BASE: &str = "http://127.0.0.1:8400";
pub const KV_API: &str = "api-version=7.5";
pub const ARM_KV_API: &str = "api-version=2025-05-01";

pub fn dev_vault_id() -> String {
    format!("/subscriptions/{DEV_SUB}/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev")
}

pub fn prod_vault_id() -> String {
    format!("/subscriptions/{PROD_SUB}/resourceGroups/rg-prod/providers/Microsoft.KeyVault/vaults/kv-contoso-prod")
}

pub fn locked_vault_id() -> String {
    format!("/subscriptions/{DEV_SUB}/resourceGroups/rg-sec/providers/Microsoft.KeyVault/vaults/kv-contoso-locked")
}

pub struct Harness {
    pub sandbox: Arc<Sandbox>,
    router: axum::Router,
}

/// A response, its body parsed as JSON (`Null` when empty).
#[derive(Debug)]
pub struct Reply {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub text: String,
    pub json: Value,
}

impl Reply {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// `error.code` and (Key Vault) `error.innererror.code`.
    pub fn codes(&self) -> (String, Option<String>) {
        let e = &self.json["error"];
        (
            e["code"].as_str().unwrap_or_default().to_owned(),
            e["innererror"]["code"].as_str().map(str::to_owned),
        )
    }

    pub fn message(&self) -> &str {
        self.json["error"]["message"].as_str().unwrap_or_default()
    }
}

impl Default for Harness {
    fn default() -> Self {
        Self::new(Options::default())
    }
}

impl Harness {
    pub fn new(options: Options) -> Self {
        let sandbox = Arc::new(Sandbox::new(options));
        let router = sandbox::router(sandbox.clone());
        Self { sandbox, router }
    }

    pub fn with_kv_cors() -> Self {
        Self::new(Options {
            kv_cors: true,
            ..Options::default()
        })
    }

    pub fn token(&self, who: Persona, audience: &str) -> String {
        sandbox::identity::tokens::issue_access_token(
            &self.sandbox,
            &who,
            audience,
            "user_impersonation",
        )
    }

    pub fn kv_token(&self, who: Persona) -> String {
        self.token(who, KEY_VAULT_AUDIENCE)
    }

    pub fn arm_token(&self, who: Persona) -> String {
        self.token(who, ARM_AUDIENCE)
    }

    pub fn graph_token(&self, who: Persona) -> String {
        self.token(who, GRAPH_AUDIENCE)
    }

    pub async fn send(&self, mut req: Request<Body>) -> Reply {
        let peer: SocketAddr = "127.0.0.1:50123".parse().unwrap();
        req.extensions_mut().insert(ConnectInfo(peer));
        let response = self.router.clone().oneshot(req).await.unwrap();
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.unwrap().to_bytes();
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let json = if text.trim().is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::Null)
        };
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    /// `method path` with an optional bearer token and JSON body.
    pub async fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<&Value>,
    ) -> Reply {
        let mut req = Request::builder().method(method).uri(path);
        if let Some(token) = token {
            req = req.header("authorization", format!("Bearer {token}"));
        }
        let body = match body {
            Some(b) => {
                req = req.header("content-type", "application/json");
                Body::from(b.to_string())
            }
            None => Body::empty(),
        };
        self.send(req.body(body).unwrap()).await
    }

    /// A raw body (for syntax errors).
    pub async fn call_raw(&self, method: Method, path: &str, token: &str, body: &str) -> Reply {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", format!("Bearer {token}"))
            .header("content-type", "application/json")
            .body(Body::from(body.to_owned()))
            .unwrap();
        self.send(req).await
    }

    /// Data plane of `vault`: `/kv/{vault}{rest}` with `api-version=7.5` appended.
    pub async fn kv(
        &self,
        who: Persona,
        method: Method,
        vault: &str,
        rest: &str,
        body: Option<&Value>,
    ) -> Reply {
        let sep = if rest.contains('?') { '&' } else { '?' };
        let path = format!("/kv/{vault}{rest}{sep}{KV_API}");
        self.call(method, &path, Some(&self.kv_token(who)), body)
            .await
    }

    /// Every page of a data-plane list, following each `nextLink` (sandbox URLs) to the end.
    pub async fn kv_pages(&self, who: Persona, vault: &str, rest: &str) -> Vec<Reply> {
        let mut pages = vec![self.kv(who, Method::GET, vault, rest, None).await];
        while let Some(next) = pages.last().unwrap().json["nextLink"].as_str() {
            let path = next
                .strip_prefix(BASE)
                .expect("a sandbox nextLink")
                .to_owned();
            assert!(pages.len() < 100, "runaway paging");
            let token = self.kv_token(who);
            pages.push(self.call(Method::GET, &path, Some(&token), None).await);
        }
        pages
    }

    /// The items of every page of a data-plane list.
    pub async fn kv_all(&self, who: Persona, vault: &str, rest: &str) -> Vec<Value> {
        self.kv_pages(who, vault, rest)
            .await
            .into_iter()
            .flat_map(|p| p.json["value"].as_array().cloned().unwrap_or_default())
            .collect()
    }

    /// ARM: `/arm{path}` with `api-version` appended (`api` like `api-version=2025-05-01`).
    pub async fn arm(
        &self,
        who: Persona,
        method: Method,
        path: &str,
        api: &str,
        body: Option<&Value>,
    ) -> Reply {
        let sep = if path.contains('?') { '&' } else { '?' };
        let path = format!("/arm{path}{sep}{api}");
        self.call(method, &path, Some(&self.arm_token(who)), body)
            .await
    }

    /// A CORS preflight for `method` with `authorization, content-type` headers.
    pub async fn preflight(&self, path: &str, method: &str) -> Reply {
        let req = Request::builder()
            .method(Method::OPTIONS)
            .uri(path)
            .header("origin", "http://127.0.0.1:8080")
            .header("access-control-request-method", method)
            .header(
                "access-control-request-headers",
                "authorization,content-type",
            )
            .body(Body::empty())
            .unwrap();
        self.send(req).await
    }

    /// `GET /_sandbox/state`'s `vaults` part.
    pub async fn vault_state(&self) -> Value {
        let reply = self.call(Method::GET, "/_sandbox/state", None, None).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.text);
        reply.json["vaults"].clone()
    }
}

/// The version of a secret bundle or item: the last segment of its `id`.
pub fn version_of(bundle: &Value) -> String {
    bundle["id"]
        .as_str()
        .unwrap()
        .rsplit('/')
        .next()
        .unwrap()
        .to_owned()
}

/// Whether any `access-control-*` header is present.
pub fn has_cors_headers(reply: &Reply) -> bool {
    reply
        .headers
        .keys()
        .any(|k| k.as_str().starts_with("access-control-"))
}
