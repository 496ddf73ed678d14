//! Which resource a scope string asks for, and what the sandbox grants for it.
//!
//! Every persona has admin consent for secret-wizard's permissions: Graph `User.Read` and
//! `Application.ReadWrite.All`, Azure Service Management `user_impersonation`, Azure Key Vault
//! `user_impersonation`.

use crate::tokens::{ARM_AUDIENCE, GRAPH_AUDIENCE, KEY_VAULT_AUDIENCE};

/// OpenID Connect scopes, which name no resource.
pub const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

/// The consented delegated permissions per resource.
fn consented(resource: &str) -> &'static [&'static str] {
    match resource {
        GRAPH_AUDIENCE => &["Application.ReadWrite.All", "User.Read"],
        ARM_AUDIENCE | KEY_VAULT_AUDIENCE => &["user_impersonation"],
        _ => &[],
    }
}

/// What a token request is granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    /// The resource, used as the access token's `aud`.
    pub resource: &'static str,
    /// The `scp` claim: permission names, space-separated.
    pub scp: String,
    /// The token response's `scope`: full scope URIs (and the requested OIDC scopes).
    pub response_scope: String,
    /// Whether `openid` was asked for (an `id_token` is returned then).
    pub openid: bool,
    pub offline_access: bool,
}

/// Why a scope string was refused: (OAuth error, AADSTS description).
pub type ScopeError = (&'static str, String);

fn resource_of(uri: &str) -> Option<&'static str> {
    [GRAPH_AUDIENCE, ARM_AUDIENCE, KEY_VAULT_AUDIENCE]
        .into_iter()
        .find(|r| uri.trim_end_matches('/').eq_ignore_ascii_case(r))
}

/// Splits `https://graph.microsoft.com/User.Read` into (resource, permission). A bare permission
/// (`User.Read`) means Graph, as on Entra.
fn split_scope(scope: &str) -> Result<(&'static str, &str), ScopeError> {
    if let Some(index) = scope.rfind('/') {
        let (uri, permission) = (&scope[..index], &scope[index + 1..]);
        match resource_of(uri) {
            Some(resource) if !permission.is_empty() => Ok((resource, permission)),
            _ => Err(("invalid_scope", format!(
                "AADSTS500011: The resource principal named {uri} was not found in the tenant named Contoso. \
                 This can happen if the application has not been installed by the administrator of the tenant \
                 or consented to by any user in the tenant."
            ))),
        }
    } else {
        Ok((GRAPH_AUDIENCE, scope))
    }
}

/// The resources named by an authorize request's scope (several are allowed there, for
/// `extraScopesToConsent`), checking that each permission is one the app may ask for.
pub fn resources_for_authorize(scope: &str) -> Result<Vec<&'static str>, ScopeError> {
    let mut resources = Vec::new();
    for s in scope.split_whitespace().filter(|s| !is_oidc(s)) {
        let (resource, permission) = split_scope(s)?;
        check_permission(resource, permission)?;
        if !resources.contains(&resource) {
            resources.push(resource);
        }
    }
    Ok(resources)
}

fn is_oidc(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(scope))
}

fn check_permission(resource: &str, permission: &str) -> Result<(), ScopeError> {
    if permission == ".default"
        || consented(resource)
            .iter()
            .any(|p| p.eq_ignore_ascii_case(permission))
    {
        Ok(())
    } else {
        Err(("invalid_scope", format!(
            "AADSTS650053: The application 'secret-wizard' asked for scope '{permission}' that doesn't exist \
             on the resource '{resource}'. Contact the app vendor."
        )))
    }
}

/// Resolves a token request's scope to one resource and its granted permissions.
pub fn grant_for_token(scope: &str) -> Result<Grant, ScopeError> {
    let scopes: Vec<&str> = scope.split_whitespace().collect();
    if scopes.is_empty() {
        return Err((
            "invalid_request",
            "AADSTS900144: The request body must contain the following parameter: 'scope'.".into(),
        ));
    }
    let openid = scopes.iter().any(|s| s.eq_ignore_ascii_case("openid"));
    let offline_access = scopes
        .iter()
        .any(|s| s.eq_ignore_ascii_case("offline_access"));
    let mut resource: Option<&'static str> = None;
    let mut permissions: Vec<String> = Vec::new();
    let mut default_requested = false;
    for s in scopes.iter().filter(|s| !is_oidc(s)) {
        let (r, permission) = split_scope(s)?;
        check_permission(r, permission)?;
        if resource.is_some_and(|existing| existing != r) {
            return Err((
                "invalid_scope",
                "AADSTS28000: Provided value for the input parameter scope is not valid \
                because it contains more than one resource. Scope "
                    .to_owned()
                    + scope
                    + " is not valid.",
            ));
        }
        resource = Some(r);
        if permission == ".default" {
            default_requested = true;
            permissions.extend(consented(r).iter().map(|p| (*p).to_owned()));
        } else if let Some(p) = consented(r)
            .iter()
            .find(|p| p.eq_ignore_ascii_case(permission))
        {
            permissions.push((*p).to_owned());
        }
    }
    // Only OIDC scopes: Entra issues a Graph token for User.Read.
    let resource = resource.unwrap_or(GRAPH_AUDIENCE);
    if permissions.is_empty() {
        permissions.push("User.Read".into());
    }
    permissions.sort();
    permissions.dedup();

    let mut response: Vec<String> = scopes
        .iter()
        .filter(|s| is_oidc(s) && !s.eq_ignore_ascii_case("offline_access"))
        .map(|s| s.to_ascii_lowercase())
        .collect();
    response.extend(permissions.iter().map(|p| format!("{resource}/{p}")));
    if default_requested {
        response.push(format!("{resource}/.default"));
    }
    Ok(Grant {
        resource,
        scp: permissions.join(" "),
        response_scope: response.join(" "),
        openid,
        offline_access,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_pick_one_resource() {
        let g =
            grant_for_token("https://graph.microsoft.com/.default openid profile offline_access")
                .unwrap();
        assert_eq!(g.resource, GRAPH_AUDIENCE);
        assert_eq!(g.scp, "Application.ReadWrite.All User.Read");
        assert!(g
            .response_scope
            .ends_with("https://graph.microsoft.com/.default"));
        assert!(g.openid && g.offline_access);

        let g = grant_for_token("https://management.azure.com/user_impersonation").unwrap();
        assert_eq!(
            (g.resource, g.scp.as_str()),
            (ARM_AUDIENCE, "user_impersonation")
        );
        assert_eq!(
            grant_for_token("https://vault.azure.net/.default")
                .unwrap()
                .resource,
            KEY_VAULT_AUDIENCE
        );
        assert_eq!(grant_for_token("User.Read").unwrap().scp, "User.Read");
        assert_eq!(
            grant_for_token("openid profile offline_access")
                .unwrap()
                .resource,
            GRAPH_AUDIENCE
        );

        let two = grant_for_token(
            "https://graph.microsoft.com/.default https://vault.azure.net/.default",
        );
        assert!(two.unwrap_err().1.starts_with("AADSTS28000"));
        assert!(grant_for_token("https://example.com/.default")
            .unwrap_err()
            .1
            .starts_with("AADSTS500011"));
        assert!(grant_for_token("Mail.Send")
            .unwrap_err()
            .1
            .starts_with("AADSTS650053"));
        assert!(grant_for_token("").is_err());

        let many = resources_for_authorize(
            "https://graph.microsoft.com/.default openid https://management.azure.com/.default https://vault.azure.net/.default",
        );
        assert_eq!(many.unwrap().len(), 3);
    }
}
