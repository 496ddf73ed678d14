//! Shared helpers for the sandbox's integration tests: a sandbox on a free loopback port, a
//! non-redirecting HTTP client, and sign-in through the real authorize + token endpoints.
//!
//! [`harness`] calls a sandbox through its router, without sockets (the ARM and Key Vault tests);
//! [`swagger`] checks responses against the Swagger specs in tests/fixtures/specs; [`csdl`]
//! checks Graph's property names against the v1.0 CSDL.
#![allow(dead_code)] // each test binary uses a different subset

pub mod csdl;
pub mod harness;
pub mod swagger;

use std::collections::HashMap;
use std::sync::Arc;

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use sandbox::identity::personas::{Persona, CLIENT_ID, TENANT_ID};
use sandbox::identity::tokens::{issue_access_token, GRAPH_AUDIENCE};
use sandbox::{AppState, Options, Sandbox};
use serde_json::Value;
use sha2::{Digest, Sha256};

pub const APP_ORIGIN: &str = "http://127.0.0.1:8080";
pub const REDIRECT_URI: &str = "http://127.0.0.1:8080/redirect.html";
pub const GRAPH_SCOPE: &str = "https://graph.microsoft.com/.default openid profile offline_access";

pub struct Running {
    pub base: String,
    pub state: AppState,
    pub http: reqwest::Client,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A demo sandbox on a free port.
pub async fn start() -> Running {
    start_with(|_| {}).await
}

/// A sandbox on a free port, with options adjusted by `adjust` (the base URL is set afterwards).
pub async fn start_with(adjust: impl FnOnce(&mut Options)) -> Running {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut options = Options::default();
    adjust(&mut options);
    options.base_url = base.clone();
    let state: AppState = Arc::new(Sandbox::new(options));
    let app = sandbox::router(state.clone());
    let server = tokio::spawn(async move {
        let _ = sandbox::server::serve(listener, app).await;
    });
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap();
    Running {
        base,
        state,
        http,
        server,
    }
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier = format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    );
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce {
        verifier,
        challenge,
    }
}

/// Splits the query or fragment of a redirect `Location` into its parameters.
pub fn location_params(location: &str) -> HashMap<String, String> {
    let tail = location
        .split_once(['#', '?'])
        .map(|(_, t)| t)
        .unwrap_or("");
    serde_urlencoded::from_str::<Vec<(String, String)>>(tail)
        .unwrap()
        .into_iter()
        .collect()
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn authorize_url(&self) -> String {
        self.url(&format!("/{TENANT_ID}/oauth2/v2.0/authorize"))
    }

    pub fn token_url(&self) -> String {
        self.url(&format!("/{TENANT_ID}/oauth2/v2.0/token"))
    }

    /// The parameters MSAL sends to authorize.
    pub fn authorize_params(&self, challenge: &str, scope: &str) -> Vec<(String, String)> {
        [
            ("client_id", CLIENT_ID),
            ("scope", scope),
            ("redirect_uri", REDIRECT_URI),
            ("response_type", "code"),
            ("response_mode", "fragment"),
            ("state", "opaque-state"),
            ("nonce", "n-0S6_WzA2Mj"),
            ("code_challenge", challenge),
            ("code_challenge_method", "S256"),
            ("client_info", "1"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
    }

    /// Picks `persona` on the sign-in page; returns the redirect's `Location`.
    pub async fn pick(&self, params: &[(String, String)], persona: &Persona) -> reqwest::Response {
        let mut form = params.to_vec();
        form.push(("persona".into(), persona.oid.into()));
        self.http
            .post(self.authorize_url())
            .form(&form)
            .send()
            .await
            .unwrap()
    }

    /// Signs in through authorize and returns (code, verifier).
    pub async fn code_for(&self, persona: &Persona, scope: &str) -> (String, String) {
        let p = pkce();
        let response = self
            .pick(&self.authorize_params(&p.challenge, scope), persona)
            .await;
        assert_eq!(response.status(), 302, "authorize should redirect");
        let location = response.headers()["location"].to_str().unwrap().to_owned();
        assert!(
            location.starts_with(&format!("{REDIRECT_URI}#")),
            "{location}"
        );
        let params = location_params(&location);
        assert_eq!(params["state"], "opaque-state");
        (params["code"].clone(), p.verifier)
    }

    /// Posts a form to the token endpoint from the app's origin.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> (u16, Value) {
        let response = self
            .http
            .post(self.token_url())
            .header("origin", APP_ORIGIN)
            .form(form)
            .send()
            .await
            .unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap())
    }

    /// Redeems a code for `scope`.
    pub async fn redeem(&self, code: &str, verifier: &str, scope: &str) -> (u16, Value) {
        self.token_request(&[
            ("client_id", CLIENT_ID),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("code_verifier", verifier),
            ("redirect_uri", REDIRECT_URI),
            ("scope", scope),
            ("client_info", "1"),
        ])
        .await
    }

    /// Full sign-in: an access token for `scope` (plus the rest of the token response).
    pub async fn sign_in(&self, persona: &Persona, scope: &str) -> Value {
        let (code, verifier) = self.code_for(persona, scope).await;
        let (status, body) = self.redeem(&code, &verifier, scope).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// A Graph access token for `persona`, through the real sign-in flow.
    pub async fn graph_token(&self, persona: &Persona) -> String {
        self.sign_in(persona, GRAPH_SCOPE).await["access_token"]
            .as_str()
            .unwrap()
            .to_owned()
    }

    /// A Graph access token for `persona` with exactly the permissions `scp`, signed by the
    /// sandbox without a sign-in (for permissions the tenant has not consented to).
    pub fn graph_token_with(&self, persona: &Persona, scp: &str) -> String {
        issue_access_token(&self.state, persona, GRAPH_AUDIENCE, scp)
    }

    /// The sign-in page (the persona picker) for a Graph sign-in.
    pub async fn sign_in_page(&self) -> reqwest::Response {
        let p = pkce();
        self.http
            .get(self.authorize_url())
            .query(&self.authorize_params(&p.challenge, GRAPH_SCOPE))
            .send()
            .await
            .unwrap()
    }

    /// Exchanges the refresh token of `signed_in` for an access token at another resource.
    pub async fn token_for(&self, signed_in: &Value, scope: &str) -> String {
        let rt = signed_in["refresh_token"].as_str().unwrap();
        let (status, body) = self
            .token_request(&[
                ("client_id", CLIENT_ID),
                ("grant_type", "refresh_token"),
                ("refresh_token", rt),
                ("scope", scope),
            ])
            .await;
        assert_eq!(status, 200, "{body}");
        body["access_token"].as_str().unwrap().to_owned()
    }

    pub async fn get_json(&self, path: &str, token: &str) -> (u16, Value) {
        let r = self
            .http
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    pub async fn post_json(&self, path: &str, token: &str, body: &Value) -> (u16, Value) {
        let r = self
            .http
            .post(self.url(path))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        let body = r.json().await.unwrap_or(Value::Null);
        (status, body)
    }

    /// `GET /_sandbox/{hook}` (test hooks need no token), as JSON.
    pub async fn hook_json(&self, hook: &str) -> Value {
        self.http
            .get(self.url(&format!("/_sandbox/{hook}")))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap()
    }

    /// `GET /_sandbox/state`.
    pub async fn sandbox_state(&self) -> Value {
        self.hook_json("state").await
    }

    /// `POST /_sandbox/faults` with `fault`; the status of the answer.
    pub async fn add_fault(&self, fault: &Value) -> u16 {
        self.http
            .post(self.url("/_sandbox/faults"))
            .json(fault)
            .send()
            .await
            .unwrap()
            .status()
            .as_u16()
    }
}

/// Decodes a JWT's claims without checking anything.
pub fn claims(jwt: &str) -> Value {
    let payload = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap()
}

/// The display names of a Graph collection page.
pub fn names(page: &Value) -> Vec<String> {
    page["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["displayName"].as_str().unwrap().to_owned())
        .collect()
}

/// `error.code` of an error body (Graph's, ARM's and Key Vault's shape), or "".
pub fn error_code(body: &Value) -> &str {
    body["error"]["code"].as_str().unwrap_or_default()
}

/// The application named `name` in `/_sandbox/state`.
pub fn app_of(state: &Value, name: &str) -> Value {
    state["applications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["displayName"] == name)
        .unwrap_or_else(|| panic!("no application {name}"))
        .clone()
}

/// Now plus `days`, as Graph writes a date-time (RFC 3339, seconds).
pub fn iso_in_days(days: i64) -> String {
    (chrono::Utc::now() + chrono::Duration::days(days))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// (object ID, app ID) of a seeded app, from `/_sandbox/state`.
pub fn app_id_of(state: &Value, name: &str) -> (String, String) {
    let app = app_of(state, name);
    (
        app["id"].as_str().unwrap().to_owned(),
        app["appId"].as_str().unwrap().to_owned(),
    )
}
