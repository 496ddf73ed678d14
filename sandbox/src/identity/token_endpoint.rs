//! `POST /{tenant}/oauth2/v2.0/token`: authorization code + PKCE, and refresh tokens, for the
//! single-page-app client. Answers CORS for the app's origins (see `cors::token_endpoint`).

use std::collections::HashMap;

use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use super::tokens;
use super::{oauth_error, scopes, RefreshGrant};
use crate::identity::personas::{self, Persona, CLIENT_ID};
use crate::{lock, AppState};

fn bad(error: &str, description: &str) -> Response {
    oauth_error(StatusCode::BAD_REQUEST, error, description)
}

/// A refused scope; AADSTS65001 carries `suberror: consent_required`, as Entra's answer does
/// (O365/python-o365 issue #323), which MSAL reads as an interaction-required error.
fn refused(error: &str, description: &str) -> Response {
    let suberror = description
        .starts_with("AADSTS65001")
        .then_some("consent_required");
    super::oauth_error_with(StatusCode::BAD_REQUEST, error, description, suberror)
}

fn missing(name: &str) -> Response {
    bad(
        "invalid_request",
        &format!("AADSTS900144: The request body must contain the following parameter: '{name}'."),
    )
}

pub async fn token(
    State(state): State<AppState>,
    Path(tenant): Path<String>,
    headers: HeaderMap,
    body: axum::body::Bytes,
) -> Response {
    if !super::known_tenant(&tenant) {
        return bad("invalid_request", &super::tenant_not_found(&tenant));
    }
    let params: HashMap<String, String> = std::str::from_utf8(&body)
        .ok()
        .and_then(|b| serde_urlencoded::from_str::<Vec<(String, String)>>(b).ok())
        .map(|pairs| pairs.into_iter().collect())
        .unwrap_or_default();
    let param = |name: &str| {
        params
            .get(name)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    };

    let Some(client_id) = param("client_id") else {
        return missing("client_id");
    };
    if client_id != CLIENT_ID {
        return bad("unauthorized_client", &format!(
            "AADSTS700016: Application with identifier '{client_id}' was not found in the directory 'Contoso'. \
             This can happen if the application has not been installed by the administrator of the tenant or \
             consented to by any user in the tenant. You might have sent your authentication request to the wrong tenant."
        ));
    }
    // The app's redirect URIs are of the single-page-application type.
    if !headers.contains_key(header::ORIGIN) {
        return bad("invalid_request",
            "AADSTS9002327: Tokens issued for the 'Single-Page Application' client-type may only be redeemed via cross-origin requests.");
    }
    match param("grant_type") {
        None => missing("grant_type"),
        Some("authorization_code") => authorization_code(&state, &param),
        Some("refresh_token") => refresh_token(&state, &param),
        Some(other) => bad(
            "unsupported_grant_type",
            &format!("AADSTS70003: The app requested an unsupported grant type '{other}'."),
        ),
    }
}

fn authorization_code<'a>(state: &AppState, param: &impl Fn(&str) -> Option<&'a str>) -> Response {
    let Some(code) = param("code") else {
        return missing("code");
    };
    let now = Utc::now();
    let mut identity = lock(&state.identity);
    let Some(grant) = identity.codes.get_mut(code) else {
        return bad(
            "invalid_grant",
            "AADSTS70000: The provided value for the 'code' parameter is not valid.",
        );
    };
    if grant.redeemed {
        return bad("invalid_grant",
            "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a new valid code or use an existing refresh token.");
    }
    if grant.expires <= now {
        return bad("invalid_grant",
            "AADSTS70008: The provided authorization code or refresh token has expired due to inactivity. \
             Send a new interactive authorization request for this user and resource.");
    }
    if param("client_id") != Some(grant.client_id.as_str()) {
        return bad("invalid_grant", "AADSTS70000: The provided value for the 'code' parameter is not valid. The code was issued to another client.");
    }
    let Some(redirect_uri) = param("redirect_uri") else {
        return missing("redirect_uri");
    };
    if redirect_uri != grant.redirect_uri {
        return bad("invalid_grant", &format!(
            "AADSTS500112: The reply address '{redirect_uri}' does not match the reply address '{}' provided when requesting Authorization code.",
            grant.redirect_uri
        ));
    }
    let Some(verifier) = param("code_verifier") else {
        return bad("invalid_request",
            "AADSTS9002325: Proof Key for Code Exchange is required for cross-origin authorization code redemption.");
    };
    if super::s256(verifier) != grant.code_challenge {
        return bad("invalid_grant",
            "AADSTS501481: The Code_Verifier does not match the code_challenge supplied in the authorization request.");
    }
    let scope = param("scope").unwrap_or(grant.scope.as_str()).to_owned();
    let granted = match scopes::grant_for_token(&scope, &state.consent()) {
        Ok(g) => g,
        Err((error, description)) => return refused(error, &description),
    };
    let Some(persona) = personas::by_oid(&grant.oid) else {
        return bad(
            "invalid_grant",
            "AADSTS50020: User account does not exist in tenant 'Contoso'.",
        );
    };
    grant.redeemed = true;
    let nonce = grant.nonce.clone();
    let refresh_expires = now + Duration::seconds(super::SPA_REFRESH_TOKEN_LIFETIME_SECS);
    let response = token_response(
        state,
        &persona,
        &granted,
        nonce.as_deref(),
        refresh_expires,
        param("client_info") == Some("1"),
    );
    if let Some(rt) = &response.1 {
        identity.refresh_tokens.insert(
            rt.clone(),
            RefreshGrant {
                oid: persona.oid.to_owned(),
                client_id: CLIENT_ID.to_owned(),
                expires: refresh_expires,
            },
        );
    }
    response.0
}

fn refresh_token<'a>(state: &AppState, param: &impl Fn(&str) -> Option<&'a str>) -> Response {
    let Some(token) = param("refresh_token") else {
        return missing("refresh_token");
    };
    let Some(scope) = param("scope") else {
        return missing("scope");
    };
    let now = Utc::now();
    let mut identity = lock(&state.identity);
    let Some(grant) = identity.refresh_tokens.get(token).cloned() else {
        return bad(
            "invalid_grant",
            "AADSTS9002313: Invalid request. Request is malformed or invalid.",
        );
    };
    if grant.expires <= now {
        return bad("invalid_grant",
            "AADSTS700084: The refresh token was issued to a single page app (SPA), and therefore has a fixed, \
             limited lifetime of 1.00:00:00, which cannot be extended. It is now expired and a new sign in request \
             must be sent by the SPA to the sign in page.");
    }
    if param("client_id") != Some(grant.client_id.as_str()) {
        return bad("invalid_grant", "AADSTS70000: Provided grant is invalid or malformed. The refresh token was issued to another client.");
    }
    let granted = match scopes::grant_for_token(scope, &state.consent()) {
        Ok(g) => g,
        Err((error, description)) => return refused(error, &description),
    };
    let Some(persona) = personas::by_oid(&grant.oid) else {
        return bad(
            "invalid_grant",
            "AADSTS50020: User account does not exist in tenant 'Contoso'.",
        );
    };
    // A SPA refresh token's lifetime is fixed at sign-in: the new one inherits the old expiry.
    let response = token_response(
        state,
        &persona,
        &granted,
        None,
        grant.expires,
        param("client_info") == Some("1"),
    );
    if let Some(rt) = &response.1 {
        identity.purge(now);
        identity.refresh_tokens.insert(rt.clone(), grant);
    }
    response.0
}

/// Builds Entra's token response; returns the new refresh token too, for the caller to store.
fn token_response(
    state: &AppState,
    persona: &Persona,
    granted: &scopes::Grant,
    nonce: Option<&str>,
    refresh_expires: DateTime<Utc>,
    client_info: bool,
) -> (Response, Option<String>) {
    let lifetime = state.options.token_lifetime_secs;
    let access_token = tokens::issue_access_token(state, persona, granted.resource, &granted.scp);
    let mut body = json!({
        "token_type": "Bearer",
        "scope": granted.response_scope,
        "expires_in": lifetime,
        "ext_expires_in": lifetime,
        "access_token": access_token,
    });
    let mut refresh = None;
    if granted.offline_access {
        let rt = super::random_token(64);
        body["refresh_token"] = json!(rt);
        body["refresh_token_expires_in"] =
            json!((refresh_expires - Utc::now()).num_seconds().max(0));
        refresh = Some(rt);
    }
    if granted.openid {
        body["id_token"] = json!(id_token(state, persona, nonce));
    }
    if client_info {
        body["client_info"] = json!(super::client_info(persona.oid));
    }
    let mut response = Json(body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-store, no-cache"),
    );
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    (response, refresh)
}

fn id_token(state: &AppState, persona: &Persona, nonce: Option<&str>) -> String {
    let now = Utc::now().timestamp();
    let mut claims = json!({
        "aud": CLIENT_ID,
        "iss": tokens::issuer(state),
        "iat": now,
        "nbf": now,
        "exp": now + 3600,
        "name": persona.name,
        "oid": persona.oid,
        "preferred_username": persona.upn,
        "sub": tokens::subject(persona.oid, CLIENT_ID),
        "tid": crate::identity::personas::TENANT_ID,
        "uti": uuid::Uuid::new_v4().simple().to_string(),
        "ver": "2.0",
    });
    if let Some(n) = nonce {
        claims["nonce"] = Value::from(n);
    }
    // Only with `--wids` (the ID token's optional group claims follow groupMembershipClaims too).
    if let Some(wids) = tokens::wids_claim(state, persona) {
        claims["wids"] = wids;
    }
    state.keys.sign_jwt(&claims)
}
