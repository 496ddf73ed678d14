//! Access tokens: what the identity endpoints issue and what every service checks.
//!
//! `authenticate` is the one gate every sandbox API goes through. Each service turns a
//! [`TokenError`] into its own 401 shape (Graph `InvalidAuthenticationToken`, ARM
//! `InvalidAuthenticationToken`, Key Vault `Unauthorized`).

use std::fmt;

use axum::http::{header, HeaderMap};
use chrono::Utc;
use serde_json::{json, Value};

use crate::identity::keys::JwsError;
use crate::identity::personas::{Persona, TENANT_ID};
use crate::Sandbox;

/// The real resources, used as `aud`.
pub const GRAPH_AUDIENCE: &str = "https://graph.microsoft.com";
pub const ARM_AUDIENCE: &str = "https://management.azure.com";
pub const KEY_VAULT_AUDIENCE: &str = "https://vault.azure.net";

/// The signed-in user behind a valid access token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caller {
    pub oid: String,
    pub upn: String,
    pub name: String,
    pub tid: String,
    /// Directory role template IDs from the token's `wids` (only there with `--wids`; nothing in
    /// the sandbox authorizes from them).
    pub wids: Vec<String>,
    /// Space-separated delegated scopes.
    pub scp: String,
}

impl Caller {
    /// Whether the caller holds the built-in role `template_id` tenant-wide, directly or through
    /// a role-assignable group: decided from the directory's role assignments (`graph::directory::roles`), as Entra
    /// decides, not from the token's `wids` (which a token carries only when the app asks).
    pub fn has_role(&self, template_id: &str) -> bool {
        let roles = crate::graph::directory::roles::demo();
        roles.effective_assignments(&self.oid).any(|a| {
            a.directory_scope_id == "/"
                && roles.definition(&a.role_definition_id).is_some_and(|d| {
                    d.is_built_in && d.template_id.eq_ignore_ascii_case(template_id)
                })
        })
    }

    /// Whether the token's `scp` carries `permission` (a resource decides from its token's `scp`:
    /// access token claims reference, ../shared/specs/entra-docs/access-token-claims-reference.md).
    pub fn has_scope(&self, permission: &str) -> bool {
        self.scp
            .split_whitespace()
            .any(|s| s.eq_ignore_ascii_case(permission))
    }
}

/// Why a bearer token was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// No `Authorization: Bearer …` header.
    Missing,
    /// Not a compact JWS, or claims of the wrong type.
    Malformed,
    /// Not signed by the sandbox's key (wrong key, unknown `kid`, tampered, or not RS256).
    BadSignature,
    /// `exp` is in the past.
    Expired,
    /// `nbf` is in the future.
    NotYetValid,
    /// `aud` is another resource's.
    WrongAudience { expected: String, found: String },
    /// `iss` is not the sandbox tenant's issuer.
    WrongIssuer,
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::Missing => f.write_str("Access token is empty."),
            TokenError::Malformed => {
                f.write_str("Access token validation failure. Token is malformed.")
            }
            TokenError::BadSignature => {
                f.write_str("Access token validation failure. Invalid signature.")
            }
            TokenError::Expired => f.write_str("Access token has expired or is not yet valid."),
            TokenError::NotYetValid => f.write_str("Access token has expired or is not yet valid."),
            TokenError::WrongAudience { .. } => {
                f.write_str("Access token validation failure. Invalid audience.")
            }
            TokenError::WrongIssuer => {
                f.write_str("Access token validation failure. Invalid issuer.")
            }
        }
    }
}

impl std::error::Error for TokenError {}

/// The issuer of every sandbox token: `{base}/{tenant}/v2.0`.
pub fn issuer(state: &Sandbox) -> String {
    format!("{}/{}/v2.0", state.options.base_url, TENANT_ID)
}

/// Checks the bearer token's signature, issuer, expiry and audience.
pub fn authenticate(
    state: &Sandbox,
    headers: &HeaderMap,
    audience: &str,
) -> Result<Caller, TokenError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            let (scheme, rest) = v.split_once(' ')?;
            scheme.eq_ignore_ascii_case("bearer").then(|| rest.trim())
        })
        .filter(|t| !t.is_empty())
        .ok_or(TokenError::Missing)?;
    validate(state, token, audience)
}

/// Validates a raw access token for `audience`.
pub fn validate(state: &Sandbox, token: &str, audience: &str) -> Result<Caller, TokenError> {
    let claims = state.keys.verify_jwt(token).map_err(|e| match e {
        JwsError::Malformed => TokenError::Malformed,
        JwsError::UnsupportedAlgorithm | JwsError::UnknownKey | JwsError::BadSignature => {
            TokenError::BadSignature
        }
    })?;
    let str_claim = |name: &str| claims.get(name).and_then(Value::as_str);
    let num_claim = |name: &str| claims.get(name).and_then(Value::as_i64);

    if str_claim("iss") != Some(issuer(state).as_str()) {
        return Err(TokenError::WrongIssuer);
    }
    let now = Utc::now().timestamp();
    let exp = num_claim("exp").ok_or(TokenError::Malformed)?;
    if exp <= now {
        return Err(TokenError::Expired);
    }
    if num_claim("nbf").is_some_and(|nbf| nbf > now) {
        return Err(TokenError::NotYetValid);
    }
    let aud = str_claim("aud").unwrap_or_default();
    if aud != audience {
        return Err(TokenError::WrongAudience {
            expected: audience.to_owned(),
            found: aud.to_owned(),
        });
    }
    let required = |name: &str| {
        str_claim(name)
            .map(str::to_owned)
            .ok_or(TokenError::Malformed)
    };
    let wids = match claims.get("wids") {
        None => Vec::new(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|w| w.as_str().map(str::to_owned).ok_or(TokenError::Malformed))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err(TokenError::Malformed),
    };
    Ok(Caller {
        oid: required("oid")?,
        upn: required("preferred_username")?,
        name: required("name")?,
        tid: required("tid")?,
        wids,
        scp: str_claim("scp").unwrap_or_default().to_owned(),
    })
}

/// The claims of an access token for `persona` at `audience`, valid from `iat` for `lifetime_secs`.
pub fn access_claims(
    state: &Sandbox,
    persona: &Persona,
    audience: &str,
    scp: &str,
    iat: i64,
    lifetime_secs: i64,
) -> Value {
    let mut claims = json!({
        "aud": audience,
        "iss": issuer(state),
        "iat": iat,
        "nbf": iat,
        "exp": iat + lifetime_secs,
        "tid": TENANT_ID,
        "oid": persona.oid,
        "sub": subject(persona.oid, audience),
        "name": persona.name,
        "preferred_username": persona.upn,
        "upn": persona.upn,
        "given_name": persona.given_name,
        "family_name": persona.surname,
        "scp": scp,
        "ver": "2.0",
        "azp": crate::identity::personas::CLIENT_ID,
        "azpacr": "0",
        "uti": uuid::Uuid::new_v4().simple().to_string(),
    });
    if let Some(wids) = wids_claim(state, persona) {
        claims["wids"] = wids;
    }
    claims
}

/// The `wids` claim, only when the sandbox was started with `--wids`: the access-token claims
/// reference (../shared/specs/entra-docs/access-token-claims-reference.md) says the app's
/// `groupMembershipClaims` (`All` or `DirectoryRole`) configures it, and secret-wizard's
/// registration does not set it by default (azure-apis.md §7.2). Tenant-wide built-in roles
/// assigned to the user, then the member template (`graph::directory::roles::RoleDirectory::wids`).
pub fn wids_claim(state: &Sandbox, persona: &Persona) -> Option<Value> {
    state
        .options
        .wids
        .then(|| json!(crate::graph::directory::roles::demo().wids(persona.oid)))
}

/// A signed access token for `persona` at `audience`, valid now for the configured lifetime.
pub fn issue_access_token(state: &Sandbox, persona: &Persona, audience: &str, scp: &str) -> String {
    let claims = access_claims(
        state,
        persona,
        audience,
        scp,
        Utc::now().timestamp(),
        state.options.token_lifetime_secs,
    );
    state.keys.sign_jwt(&claims)
}

/// Entra's `sub` is pairwise (per user and application); a stable hash stands in for it.
pub fn subject(oid: &str, audience: &str) -> String {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("{oid}|{audience}").as_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&digest[..32])
}
