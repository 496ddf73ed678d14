//! Which resource a scope string asks for, and what the sandbox grants for it.
//!
//! What is granted comes from the tenant's consent ([`super::consent::Consent`]): a `.default`
//! scope gets every consented permission of its resource, a named one only if it is consented.

use super::consent::{known_permissions, Consent};
use crate::identity::tokens::{ARM_AUDIENCE, GRAPH_AUDIENCE, KEY_VAULT_AUDIENCE};

/// OpenID Connect scopes, which name no resource.
pub const OIDC_SCOPES: [&str; 4] = ["openid", "profile", "offline_access", "email"];

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

/// The resources named by an authorize request's scope, checking that each permission is one
/// the resource exposes.
///
/// Named scopes of several resources may share one authorize request (consent up front, MSAL's
/// `extraScopesToConsent`), but a `.default` scope can't sit next to any scope of another
/// resource: Entra answers AADSTS70011 ".default scope can't be combined with resource-specific
/// scopes" (AzureAD/microsoft-authentication-library-for-js issue #1063), and with two
/// resources' `.default` scopes "static scope limit exceeded" (dotnet/aspnetcore issue #60868);
/// ../shared/docs/azure-apis.md §7.1.
pub fn resources_for_authorize(scope: &str) -> Result<Vec<&'static str>, ScopeError> {
    let mut resources = Vec::new();
    let mut defaults = Vec::new();
    for s in scope.split_whitespace().filter(|s| !is_oidc(s)) {
        let (resource, permission) = split_scope(s)?;
        check_permission(resource, permission)?;
        if permission == ".default" && !defaults.contains(&resource) {
            defaults.push(resource);
        }
        if !resources.contains(&resource) {
            resources.push(resource);
        }
    }
    let why = if defaults.len() > 1 {
        Some("static scope limit exceeded.")
    } else if !defaults.is_empty() && resources.len() > 1 {
        Some(".default scope can't be combined with resource-specific scopes.")
    } else {
        None
    };
    match why {
        Some(why) => Err((
            "invalid_scope",
            format!(
                "AADSTS70011: The provided request must include a 'scope' input parameter. The provided value \
                 for the input parameter 'scope' is not valid. The scope {scope} is not valid. {why}"
            ),
        )),
        None => Ok(resources),
    }
}

/// AADSTS65001, as the token endpoint words it when a resource's permission was never consented
/// (O365/python-o365 issue #323 quotes the whole body, `suberror: consent_required` included).
pub fn not_consented() -> ScopeError {
    (
        "invalid_grant",
        format!(
            "AADSTS65001: The user or administrator has not consented to use the application with ID '{}' \
             named 'secret-wizard'. Send an interactive authorization request for this user and resource.",
            crate::identity::personas::CLIENT_ID
        ),
    )
}

/// Whether everything an authorize request names has been consented (a `.default` scope needs
/// at least one consented permission of its resource).
pub fn consented_for_authorize(scope: &str, consent: &Consent) -> bool {
    scope
        .split_whitespace()
        .filter(|s| !is_oidc(s))
        .all(|s| match split_scope(s) {
            Ok((resource, ".default")) => !consent.for_resource(resource).is_empty(),
            Ok((resource, permission)) => consent.allows(resource, permission),
            Err(_) => false,
        })
}

fn is_oidc(scope: &str) -> bool {
    OIDC_SCOPES.iter().any(|o| o.eq_ignore_ascii_case(scope))
}

fn check_permission(resource: &str, permission: &str) -> Result<(), ScopeError> {
    if permission == ".default"
        || known_permissions(resource)
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
///
/// One resource per token request: AADSTS28000 otherwise (Earlybyte/aad_oauth issue #328;
/// ../shared/docs/azure-apis.md §7.1). Nothing consented for it: AADSTS65001 ([`not_consented`]).
pub fn grant_for_token(scope: &str, consent: &Consent) -> Result<Grant, ScopeError> {
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
            if consent.for_resource(r).is_empty() {
                return Err(not_consented());
            }
            permissions.extend(consent.for_resource(r).iter().cloned());
        } else if let Some(p) = consent
            .for_resource(r)
            .iter()
            .find(|p| p.eq_ignore_ascii_case(permission))
        {
            permissions.push(p.clone());
        } else {
            return Err(not_consented());
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

    fn grant(scope: &str) -> Result<Grant, ScopeError> {
        grant_for_token(scope, &Consent::default())
    }

    #[test]
    fn scopes_pick_one_resource() {
        let g =
            grant("https://graph.microsoft.com/.default openid profile offline_access").unwrap();
        assert_eq!(g.resource, GRAPH_AUDIENCE);
        assert_eq!(g.scp, "Application.ReadWrite.All User.Read");
        assert!(g
            .response_scope
            .ends_with("https://graph.microsoft.com/.default"));
        assert!(g.openid && g.offline_access);

        let g = grant("https://management.azure.com/user_impersonation").unwrap();
        assert_eq!(
            (g.resource, g.scp.as_str()),
            (ARM_AUDIENCE, "user_impersonation")
        );
        assert_eq!(
            grant("https://vault.azure.net/.default").unwrap().resource,
            KEY_VAULT_AUDIENCE
        );
        assert_eq!(grant("User.Read").unwrap().scp, "User.Read");
        assert_eq!(
            grant("openid profile offline_access").unwrap().resource,
            GRAPH_AUDIENCE
        );

        let two = grant("https://graph.microsoft.com/.default https://vault.azure.net/.default");
        assert!(two.unwrap_err().1.starts_with("AADSTS28000"));
        assert!(grant("https://example.com/.default")
            .unwrap_err()
            .1
            .starts_with("AADSTS500011"));
        assert!(grant("Mail.Send")
            .unwrap_err()
            .1
            .starts_with("AADSTS650053"));
        assert!(grant("").is_err());
    }

    #[test]
    fn a_default_scope_carries_exactly_what_was_consented() {
        let mut consent = Consent::default();
        // Known but not consented: refused as Entra refuses a silent request (AADSTS65001).
        let (error, text) =
            grant_for_token("https://graph.microsoft.com/Policy.Read.All", &consent).unwrap_err();
        assert_eq!(error, "invalid_grant");
        assert!(text.starts_with("AADSTS65001"));
        consent.graph.push("Policy.Read.All".into());
        let g = grant_for_token("https://graph.microsoft.com/.default", &consent).unwrap();
        assert_eq!(g.scp, "Application.ReadWrite.All Policy.Read.All User.Read");
        // Nothing consented for ARM: its .default is refused too.
        consent.arm.clear();
        let (error, text) =
            grant_for_token("https://management.azure.com/.default", &consent).unwrap_err();
        assert_eq!(
            (error, text.starts_with("AADSTS65001")),
            ("invalid_grant", true)
        );
        assert!(!consented_for_authorize(
            "https://management.azure.com/.default openid",
            &consent
        ));
        assert!(consented_for_authorize(
            "https://graph.microsoft.com/.default openid profile offline_access",
            &consent
        ));
    }

    #[test]
    fn a_default_scope_stands_alone_in_an_authorize_request() {
        // Named scopes of several resources: consent up front, allowed.
        let many = resources_for_authorize(
            "https://graph.microsoft.com/User.Read openid https://management.azure.com/user_impersonation \
             https://vault.azure.net/user_impersonation",
        );
        assert_eq!(many.unwrap().len(), 3);
        // One .default with OIDC scopes, or with named scopes of its own resource: allowed.
        assert!(resources_for_authorize(
            "https://graph.microsoft.com/.default openid profile offline_access"
        )
        .is_ok());
        assert!(resources_for_authorize(
            "https://graph.microsoft.com/.default https://graph.microsoft.com/User.Read openid"
        )
        .is_ok());
        // What secret-wizard used to send: AADSTS70011.
        let (error, text) = resources_for_authorize(
            "https://graph.microsoft.com/.default openid https://management.azure.com/.default \
             https://vault.azure.net/.default",
        )
        .unwrap_err();
        assert_eq!(error, "invalid_scope");
        assert!(text.starts_with("AADSTS70011") && text.contains("static scope limit exceeded"));
        let (_, text) = resources_for_authorize(
            "https://graph.microsoft.com/.default https://management.azure.com/user_impersonation",
        )
        .unwrap_err();
        assert!(text.contains(".default scope can't be combined with resource-specific scopes"));
        let (_, text) =
            resources_for_authorize("User.Read https://management.azure.com/.default").unwrap_err();
        assert!(text.starts_with("AADSTS70011"));
    }
}
