//! The directory as Microsoft Graph sees it: application objects, their credentials and owners,
//! and the app management policies (the tenant default and app-specific ones). Property names
//! follow the Graph v1.0 CSDL.
//!
//! The directory's roles (definitions, assignments, role-assignable groups) are in [`roles`]; the
//! demo tenant's applications in [`seed`].

pub mod roles;
pub mod seed;

use chrono::{DateTime, Duration, SecondsFormat, Utc};
use rand::Rng;
use serde_json::{json, Map, Value};

/// Everything Graph serves. Seeded by [`seed`].
#[derive(Debug)]
pub struct GraphState {
    pub applications: Vec<Application>,
    /// The tenant default app management policy (`/policies/defaultAppManagementPolicy`).
    pub policy: TenantAppManagementPolicy,
    /// App management policies (`/policies/appManagementPolicies`), each with the applications
    /// it is assigned to.
    pub app_policies: Vec<AppManagementPolicy>,
    /// The directory audit log (`/auditLogs/directoryAudits`), written by credential changes.
    pub audit: Vec<crate::graph::audit::AuditRecord>,
}

// App management policies, in Graph's shape, so that addPassword and the policy endpoints read
// the same data. Sources: ../shared/specs/graph-docs/tenantappmanagementpolicy.md,
// appmanagementpolicy.md, passwordcredentialconfiguration.md; `state` from the v1.0 CSDL
// (passwordCredentialConfiguration, appManagementRestrictionState); precedence from the
// "application authentication methods API overview" (microsoftgraph/microsoft-graph-docs-contrib
// api-reference/v1.0/resources/applicationauthenticationmethodpolicy.md): "When both the tenant
// default policy and an app management policy exist, the app management policy takes precedence
// and the assigned application ... doesn't inherit from the tenant default policy. Only one policy
// can be assigned to an application".

/// The `restrictionType`s of `passwordCredentials` restrictions the sandbox enforces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PasswordRestrictionType {
    /// Blocks new password secrets altogether.
    PasswordAddition,
    /// Caps a new secret's lifetime at `maxLifetime`.
    PasswordLifetime,
}

impl PasswordRestrictionType {
    pub fn as_str(self) -> &'static str {
        match self {
            PasswordRestrictionType::PasswordAddition => "passwordAddition",
            PasswordRestrictionType::PasswordLifetime => "passwordLifetime",
        }
    }
}

/// `maxLifetime`: the ISO 8601 duration as Graph returns it, and its length.
#[derive(Debug, Clone)]
pub struct MaxLifetime {
    pub iso: String,
    pub duration: Duration,
}

impl MaxLifetime {
    pub fn days(days: i64) -> Self {
        Self {
            iso: format!("P{days}D"),
            duration: Duration::days(days),
        }
    }
}

/// One `passwordCredentialConfiguration`.
#[derive(Debug, Clone)]
pub struct PasswordRestriction {
    pub restriction_type: PasswordRestrictionType,
    /// `state`: `enabled` (true) or `disabled`.
    pub enabled: bool,
    /// Required for `passwordLifetime`, `null` otherwise.
    pub max_lifetime: Option<MaxLifetime>,
    /// `restrictForAppsCreatedAfterDateTime`: "Enforces the policy for an app created on or after
    /// the enforcement date ... To apply to all applications, enforcement datetime would be
    /// `null`" (passwordcredentialconfiguration.md).
    pub restrict_for_apps_created_after: Option<DateTime<Utc>>,
}

impl PasswordRestriction {
    /// Whether this restriction governs `app`: enabled, and the app created on or after the date.
    pub fn applies_to(&self, app: &Application) -> bool {
        self.enabled
            && self
                .restrict_for_apps_created_after
                .is_none_or(|date| app.created >= date)
    }

    pub fn to_json(&self) -> Value {
        json!({
            "restrictionType": self.restriction_type.as_str(),
            "state": if self.enabled { "enabled" } else { "disabled" },
            "maxLifetime": self.max_lifetime.as_ref().map(|m| m.iso.clone()),
            "restrictForAppsCreatedAfterDateTime": self.restrict_for_apps_created_after.map(graph_time),
            "excludeActors": null,
        })
    }
}

fn restrictions_json(passwords: &[PasswordRestriction]) -> Value {
    json!({
        "passwordCredentials": passwords.iter().map(PasswordRestriction::to_json).collect::<Vec<_>>(),
        "keyCredentials": [],
    })
}

/// The tenant default policy: "a single object that always exists and is disabled by default"
/// (`isEnabled`); its `applicationRestrictions` govern every application without a policy of
/// its own.
#[derive(Debug, Clone)]
pub struct TenantAppManagementPolicy {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub is_enabled: bool,
    /// `applicationRestrictions.passwordCredentials`.
    pub application_passwords: Vec<PasswordRestriction>,
}

impl TenantAppManagementPolicy {
    /// Graph's shape (tenantappmanagementpolicy-get.md's example response).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "description": self.description,
            "isEnabled": self.is_enabled,
            "applicationRestrictions": restrictions_json(&self.application_passwords),
            "servicePrincipalRestrictions": {"passwordCredentials": [], "keyCredentials": []},
        })
    }
}

/// An app management policy that can be assigned to applications (`appliesTo`).
#[derive(Debug, Clone)]
pub struct AppManagementPolicy {
    pub id: String,
    pub display_name: String,
    pub description: String,
    pub is_enabled: bool,
    /// `restrictions.passwordCredentials`.
    pub passwords: Vec<PasswordRestriction>,
    /// Object IDs of the applications it is assigned to.
    pub applies_to: Vec<String>,
}

impl AppManagementPolicy {
    /// Graph's shape (appmanagementpolicy.md).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "displayName": self.display_name,
            "description": self.description,
            "isEnabled": self.is_enabled,
            "restrictions": restrictions_json(&self.passwords),
        })
    }
}

/// The policy in force for one application's password credentials.
#[derive(Debug, Clone, Copy)]
pub struct PolicyInForce<'a> {
    /// The policy's ID (what Graph's refusals name).
    pub id: &'a str,
    /// Its restrictions that govern this app (enabled, app created on or after the date).
    pub restrictions: &'a [PasswordRestriction],
}

impl<'a> PolicyInForce<'a> {
    /// The first restriction of `kind` that governs `app`.
    pub fn restriction(
        &self,
        kind: PasswordRestrictionType,
        app: &Application,
    ) -> Option<&'a PasswordRestriction> {
        self.restrictions
            .iter()
            .find(|r| r.restriction_type == kind && r.applies_to(app))
    }
}

impl GraphState {
    /// The app management policies assigned to `app` (at most one, per the overview page).
    pub fn policies_of(&self, app: &Application) -> Vec<&AppManagementPolicy> {
        self.app_policies
            .iter()
            .filter(|p| {
                p.applies_to
                    .iter()
                    .any(|id| id.eq_ignore_ascii_case(&app.id))
            })
            .collect()
    }

    /// The policy that governs `app`'s secrets: its own app management policy when it has one
    /// (the tenant default is then not inherited), otherwise the tenant default. `None` when
    /// that policy is not enabled (`isEnabled: false`).
    pub fn policy_in_force(&self, app: &Application) -> Option<PolicyInForce<'_>> {
        match self.policies_of(app).first() {
            Some(own) => own.is_enabled.then_some(PolicyInForce {
                id: &own.id,
                restrictions: &own.passwords,
            }),
            None => self.policy.is_enabled.then_some(PolicyInForce {
                id: &self.policy.id,
                restrictions: &self.policy.application_passwords,
            }),
        }
    }
}

/// An application object (app registration).
#[derive(Debug, Clone)]
pub struct Application {
    /// Object ID.
    pub id: String,
    /// Application (client) ID.
    pub app_id: String,
    pub display_name: String,
    pub description: Option<String>,
    pub created: DateTime<Utc>,
    pub sign_in_audience: String,
    pub notes: Option<String>,
    pub tags: Vec<String>,
    /// Object IDs of the owning users.
    pub owners: Vec<String>,
    pub password_credentials: Vec<PasswordCredential>,
    pub key_credentials: Vec<KeyCredential>,
    /// Its federated identity credentials (`crate::graph::federated`).
    pub federated: Vec<crate::graph::federated::FederatedCredential>,
}

impl Application {
    /// Whether `signInAudience` admits personal Microsoft accounts (at most 2 secrets then).
    pub fn allows_personal_accounts(&self) -> bool {
        matches!(
            self.sign_in_audience.as_str(),
            "AzureADandPersonalMicrosoftAccount" | "PersonalMicrosoftAccount"
        )
    }

    /// Every property the sandbox serves, as Graph names them. `with_key` includes the
    /// certificates' `key` bytes (only when `keyCredentials` is `$select`ed).
    pub fn to_graph_json(&self, with_key: bool) -> Map<String, Value> {
        let value = json!({
            "id": self.id,
            "deletedDateTime": null,
            "appId": self.app_id,
            "applicationTemplateId": null,
            "createdDateTime": graph_time(self.created),
            "description": self.description,
            "disabledByMicrosoftStatus": null,
            "displayName": self.display_name,
            "groupMembershipClaims": null,
            "identifierUris": [],
            "isDeviceOnlyAuthSupported": null,
            "isFallbackPublicClient": null,
            "notes": self.notes,
            "publisherDomain": crate::identity::personas::DOMAIN,
            "serviceManagementReference": null,
            "signInAudience": self.sign_in_audience,
            "tags": self.tags,
            "tokenEncryptionKeyId": null,
            "keyCredentials": self.key_credentials.iter().map(|k| k.to_graph_json(with_key)).collect::<Vec<_>>(),
            "passwordCredentials": self.password_credentials.iter().map(|p| p.to_graph_json(false)).collect::<Vec<_>>(),
            "addIns": [],
            "api": {
                "acceptMappedClaims": null,
                "knownClientApplications": [],
                "requestedAccessTokenVersion": 2,
                "oauth2PermissionScopes": [],
                "preAuthorizedApplications": [],
            },
            "appRoles": [],
            "certification": null,
            "defaultRedirectUri": null,
            "info": {
                "logoUrl": null,
                "marketingUrl": null,
                "privacyStatementUrl": null,
                "supportUrl": null,
                "termsOfServiceUrl": null,
            },
            "optionalClaims": null,
            "parentalControlSettings": {"countriesBlockedForMinors": [], "legalAgeGroupRule": "Allow"},
            "publicClient": {"redirectUris": []},
            "requiredResourceAccess": [],
            "samlMetadataUrl": null,
            "spa": {"redirectUris": []},
            "verifiedPublisher": {"displayName": null, "verifiedPublisherId": null, "addedDateTime": null},
            "web": {
                "homePageUrl": null,
                "logoutUrl": null,
                "redirectUris": [],
                "implicitGrantSettings": {"enableAccessTokenIssuance": false, "enableIdTokenIssuance": false},
            },
        });
        match value {
            Value::Object(map) => map,
            _ => unreachable!("json! object literal"),
        }
    }
}

/// A client secret. The value is kept only so `/_sandbox/state` can show tests what was issued;
/// Graph itself returns it once, from addPassword.
#[derive(Clone)]
pub struct PasswordCredential {
    pub key_id: String,
    pub display_name: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub hint: String,
    secret_text: String,
}

impl std::fmt::Debug for PasswordCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordCredential")
            .field("key_id", &self.key_id)
            .field("display_name", &self.display_name)
            .field("start", &self.start)
            .field("end", &self.end)
            .field("hint", &self.hint)
            .finish_non_exhaustive()
    }
}

impl PasswordCredential {
    /// A new credential with a freshly generated secret value.
    pub fn generate(
        display_name: Option<String>,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
    ) -> Self {
        let secret_text = generate_secret_text();
        Self {
            key_id: uuid::Uuid::new_v4().to_string(),
            display_name,
            start,
            end,
            hint: secret_text.chars().take(3).collect(),
            secret_text,
        }
    }

    /// The secret value (for addPassword's response and the test-only state dump).
    pub fn secret_text(&self) -> &str {
        &self.secret_text
    }

    /// Graph's shape. `reveal` puts the value in `secretText` (addPassword only).
    pub fn to_graph_json(&self, reveal: bool) -> Value {
        json!({
            "customKeyIdentifier": null,
            "displayName": self.display_name,
            "endDateTime": graph_time(self.end),
            "hint": self.hint,
            "keyId": self.key_id,
            "secretText": if reveal { Value::from(self.secret_text.as_str()) } else { Value::Null },
            "startDateTime": graph_time(self.start),
        })
    }
}

/// A certificate credential.
#[derive(Debug, Clone)]
pub struct KeyCredential {
    pub key_id: String,
    pub display_name: Option<String>,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Thumbprint, base64.
    pub custom_key_identifier: String,
    /// The public certificate, base64.
    pub key: String,
}

impl KeyCredential {
    pub fn to_graph_json(&self, with_key: bool) -> Value {
        json!({
            "customKeyIdentifier": self.custom_key_identifier,
            "displayName": self.display_name,
            "endDateTime": graph_time(self.end),
            "key": if with_key { Value::from(self.key.as_str()) } else { Value::Null },
            "keyId": self.key_id,
            "startDateTime": graph_time(self.start),
            "type": "AsymmetricX509Cert",
            "usage": "Verify",
        })
    }
}

/// Graph's DateTimeOffset format: UTC with `Z`, fractional seconds only when present.
pub fn graph_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Entra-like client secret: 40 characters from `[A-Za-z0-9._~-]`, shaped like current Entra
/// secrets (three characters, a digit, `Q~`, then 34 more).
pub fn generate_secret_text() -> String {
    const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    const CHARSET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-";
    let mut rng = rand::thread_rng();
    let mut s = String::with_capacity(40);
    for _ in 0..3 {
        s.push(ALNUM[rng.gen_range(0..ALNUM.len())] as char);
    }
    s.push(char::from(b'0' + rng.gen_range(0..10u8)));
    s.push_str("Q~");
    for _ in 0..34 {
        s.push(CHARSET[rng.gen_range(0..CHARSET.len())] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_look_like_entra_secrets() {
        let a = generate_secret_text();
        assert_eq!(a.len(), 40);
        assert_eq!(&a[4..6], "Q~");
        assert!(a
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._~-".contains(&b)));
        assert_ne!(a, generate_secret_text());
        let c = PasswordCredential::generate(None, Utc::now(), Utc::now());
        assert_eq!(c.hint, &c.secret_text()[..3]);
        assert!(c.to_graph_json(false)["secretText"].is_null());
        assert!(!format!("{c:?}").contains(c.secret_text()));
    }
}
