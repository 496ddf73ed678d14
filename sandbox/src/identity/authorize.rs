//! `GET|POST /{tenant}/oauth2/v2.0/authorize` and `GET /{tenant}/oauth2/v2.0/logout`.
//!
//! Errors that cannot safely go back to the app (unknown tenant or client, unregistered redirect
//! URI) are shown as a page; all others are sent to the redirect URI as `error` and
//! `error_description`, in the requested response mode, like Entra.

use std::collections::HashMap;

use axum::extract::{Path, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{Duration, Utc};

use super::{pages, scopes, AuthCode, SESSION_COOKIE};
use crate::identity::personas::{self, CLIENT_ID};
use crate::{lock, AppState};

type Params = HashMap<String, String>;

fn parse(raw: &str) -> Params {
    serde_urlencoded::from_str::<Vec<(String, String)>>(raw)
        .unwrap_or_default()
        .into_iter()
        .collect()
}

pub async fn get(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Response {
    let params = parse(query.as_deref().unwrap_or(""));
    handle(&state, &tenant, &headers, params, false)
}

pub async fn post(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    let params = parse(std::str::from_utf8(&body).unwrap_or(""));
    handle(&state, &tenant, &headers, params, true)
}

/// Where and how to send the answer once the redirect URI is known to be registered.
struct Reply<'a> {
    redirect_uri: &'a str,
    mode: &'a str,
    state: Option<&'a str>,
}

impl Reply<'_> {
    fn send(&self, mut fields: Vec<(&'static str, String)>) -> Response {
        if let Some(s) = self.state {
            fields.push(("state", s.to_owned()));
        }
        if self.mode == "form_post" {
            return pages::form_post(self.redirect_uri, &fields);
        }
        let encoded = serde_urlencoded::to_string(&fields).unwrap_or_default();
        let location = match self.mode {
            "fragment" => format!("{}#{encoded}", self.redirect_uri),
            _ if self.redirect_uri.contains('?') => format!("{}&{encoded}", self.redirect_uri),
            _ => format!("{}?{encoded}", self.redirect_uri),
        };
        let mut response = StatusCode::FOUND.into_response();
        if let Ok(value) = HeaderValue::from_str(&location) {
            response.headers_mut().insert(header::LOCATION, value);
        }
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        response
    }

    fn error(&self, error: &str, description: &str) -> Response {
        let description = format!(
            "{description}\r\nTrace ID: {}\r\nCorrelation ID: {}\r\nTimestamp: {}",
            uuid::Uuid::new_v4(),
            uuid::Uuid::new_v4(),
            Utc::now().format("%Y-%m-%d %H:%M:%SZ")
        );
        self.send(vec![
            ("error", error.to_owned()),
            ("error_description", description),
        ])
    }
}

fn missing(name: &str) -> String {
    format!("AADSTS900144: The request body must contain the following parameter: '{name}'.")
}

fn handle(
    state: &AppState,
    tenant: &str,
    headers: &HeaderMap,
    params: Params,
    posted: bool,
) -> Response {
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };

    if !super::known_tenant(tenant) {
        return pages::error(StatusCode::BAD_REQUEST, &super::tenant_not_found(tenant));
    }
    let Some(client_id) = param("client_id") else {
        return pages::error(StatusCode::BAD_REQUEST, &missing("client_id"));
    };
    if client_id != CLIENT_ID {
        return pages::error(StatusCode::BAD_REQUEST, &unknown_client(client_id));
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return pages::error(StatusCode::BAD_REQUEST, &missing("redirect_uri"));
    };
    if !state
        .options
        .redirect_uris()
        .iter()
        .any(|r| r == redirect_uri)
    {
        return pages::error(
            StatusCode::BAD_REQUEST,
            &format!(
                "AADSTS50011: The redirect URI '{redirect_uri}' specified in the request does not match the \
                 redirect URIs configured for the application '{CLIENT_ID}'. Make sure the redirect URI sent in \
                 the request matches one added to your application in the Azure portal. Navigate to \
                 https://aka.ms/redirectUriMismatchError to learn more about how to fix this."
            ),
        );
    }
    let mode = param("response_mode").unwrap_or("query");
    let reply = Reply {
        redirect_uri,
        mode: if matches!(mode, "query" | "fragment" | "form_post") {
            mode
        } else {
            "query"
        },
        state: param("state"),
    };
    if reply.mode != mode {
        return reply.error(
            "invalid_request",
            &format!(
                "The response_mode '{mode}' is not supported. Use query, fragment or form_post."
            ),
        );
    }
    match param("response_type") {
        None => return reply.error("invalid_request", &missing("response_type")),
        Some("code") => {}
        Some(other) => {
            return reply.error(
                "unsupported_response_type",
                &format!(
                    "AADSTS700054: response_type '{other}' is not enabled for the application."
                ),
            )
        }
    }
    let Some(scope) = param("scope") else {
        return reply.error("invalid_request", &missing("scope"));
    };
    if let Err((error, description)) = scopes::resources_for_authorize(scope) {
        return reply.error(error, &description);
    }
    let Some(challenge) = param("code_challenge") else {
        return reply.error("invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.");
    };
    if param("code_challenge_method") != Some("S256") {
        return reply.error("invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption. \
             The sandbox accepts code_challenge_method=S256 only.");
    }
    if challenge.len() != 43
        || !challenge
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    {
        return reply.error("invalid_request",
            "AADSTS501491: Invalid size of Code_Challenge parameter: an S256 challenge is 43 base64url characters.");
    }
    let client_info = param("client_info") == Some("1");
    // Nothing here grants consent: what an admin granted is all there is (`consent.rs`). An
    // interactive request for more stops at Entra's "Need admin approval" page (AADSTS90094, the
    // consent experience for permissions a user may not consent to); a silent one gets
    // `consent_required` (OpenID Connect prompt=none errors; AADSTS65001).
    let consented = scopes::consented_for_authorize(scope, &state.consent());
    let issue = |oid: &str| -> Response {
        let code = super::random_token(48);
        let now = Utc::now();
        {
            let mut identity = lock(&state.identity);
            identity.purge(now);
            identity.codes.insert(
                code.clone(),
                AuthCode {
                    client_id: client_id.to_owned(),
                    redirect_uri: redirect_uri.to_owned(),
                    code_challenge: challenge.to_owned(),
                    oid: oid.to_owned(),
                    scope: scope.to_owned(),
                    nonce: param("nonce").map(str::to_owned),
                    expires: now + Duration::seconds(super::CODE_LIFETIME_SECS),
                    redeemed: false,
                },
            );
        }
        let mut fields = vec![("code", code)];
        if client_info {
            fields.push(("client_info", super::client_info(oid)));
        }
        fields.push(("session_state", session_state(oid)));
        let mut response = reply.send(fields);
        let cookie = format!("{SESSION_COOKIE}={oid}; Path=/; HttpOnly; SameSite=Lax");
        if let Ok(value) = HeaderValue::from_str(&cookie) {
            response.headers_mut().append(header::SET_COOKIE, value);
        }
        response
    };

    if posted {
        if param("cancel").is_some() {
            return reply.error(
                "access_denied",
                "AADSTS65004: User declined to consent to access the app.",
            );
        }
        if let Some(persona) = param("persona").and_then(personas::by_oid) {
            if !consented {
                return pages::error(StatusCode::FORBIDDEN, NEEDS_ADMIN_APPROVAL);
            }
            return issue(persona.oid);
        }
        // No persona picked: show the page again.
    }
    if param("prompt") == Some("none") {
        return match session_persona(headers) {
            Some(_) if !consented => {
                let (_, description) = scopes::not_consented();
                reply.error("consent_required", &description)
            }
            Some(persona) => issue(persona.oid),
            None => reply.error(
                "login_required",
                "AADSTS50058: A silent sign-in request was sent but no user is signed in.",
            ),
        };
    }
    let hidden: Vec<(String, String)> = params
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "persona" | "cancel"))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    pages::sign_in(&hidden, param("login_hint"))
}

/// Entra's page when the request needs permissions nobody has granted.
const NEEDS_ADMIN_APPROVAL: &str = "Need admin approval. secret-wizard needs permission to access \
    resources in your organization that only an admin can grant. Please ask an admin to grant \
    permission to this app before you can use it. AADSTS90094: The grant requires admin permission.";

fn unknown_client(client_id: &str) -> String {
    format!(
        "AADSTS700016: Application with identifier '{client_id}' was not found in the directory 'Contoso'. \
         This can happen if the application has not been installed by the administrator of the tenant or \
         consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
    )
}

/// A stable, opaque session identifier for the signed-in persona.
fn session_state(oid: &str) -> String {
    crate::graph::directory::seed::stable_guid(&format!("session|{oid}"))
}

/// The persona of the browser session cookie, if any.
fn session_persona(headers: &HeaderMap) -> Option<personas::Persona> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .and_then(|(_, oid)| personas::by_oid(oid))
}

/// Ends the browser session and goes back to the app when the URI is registered.
pub async fn logout(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> Response {
    if !super::known_tenant(&tenant) {
        return pages::error(StatusCode::BAD_REQUEST, &super::tenant_not_found(&tenant));
    }
    let params = parse(query.as_deref().unwrap_or(""));
    let target = params.get("post_logout_redirect_uri").filter(|uri| {
        let registered = state.options.redirect_uris();
        let roots = state.options.app_origins.iter().map(|o| format!("{o}/"));
        registered.iter().any(|r| r == *uri) || roots.into_iter().any(|r| r == **uri)
    });
    let mut response = match target {
        Some(uri) => {
            let location = match params.get("state") {
                Some(s) => {
                    let sep = if uri.contains('?') { '&' } else { '?' };
                    format!(
                        "{uri}{sep}{}",
                        serde_urlencoded::to_string([("state", s)]).unwrap_or_default()
                    )
                }
                None => uri.clone(),
            };
            let mut r = StatusCode::FOUND.into_response();
            if let Ok(v) = HeaderValue::from_str(&location) {
                r.headers_mut().insert(header::LOCATION, v);
            }
            r
        }
        None => pages::signed_out(),
    };
    response.headers_mut().append(
        header::SET_COOKIE,
        HeaderValue::from_static("sandbox_session=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0"),
    );
    response
}
