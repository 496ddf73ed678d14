//! The directory objects the app reasons about, shared by the rules in [`crate::domain`] and the
//! Graph client ([`crate::graph`], which re-exports them): an app registration and its
//! credentials, its owners, role assignments with their definitions, app management policies,
//! and what to ask addPassword for. Plain data; their JSON shape is Microsoft Graph v1.0's
//! (camelCase, unknown fields ignored, a missing or `null` field read as "not stated"), so the
//! client reads them straight from a response and `domain` needs no client to use them.
//!
//! Sources (../shared/specs/graph-docs): application.md, passwordcredential.md,
//! keycredential.md, unifiedroleassignment.md, unifiedroledefinition.md,
//! unifiedrolepermission.md, tenantappmanagementpolicy.md, appmanagementpolicy.md,
//! passwordcredentialconfiguration.md.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::wire::null_as_default;

/// An app registration. `id` is the object ID, `app_id` the client ID.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub app_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub display_name: String,
    #[serde(default)]
    pub sign_in_audience: Option<String>,
    #[serde(default)]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub password_credentials: Vec<PasswordCredential>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub key_credentials: Vec<KeyCredential>,
}

impl Application {
    /// True when the app accepts personal Microsoft accounts, which caps it at two secrets.
    pub fn accepts_personal_accounts(&self) -> bool {
        matches!(
            self.sign_in_audience.as_deref(),
            Some("AzureADandPersonalMicrosoftAccount") | Some("PersonalMicrosoftAccount")
        )
    }
}

/// A client secret's metadata. The value is never part of this type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredential {
    pub key_id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// The first three characters of the secret (Graph's own hint).
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

/// A certificate credential. `custom_key_identifier` is the thumbprint, base64-encoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyCredential {
    pub key_id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub custom_key_identifier: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub usage: Option<String>,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

/// A federated identity credential: the app trusts tokens from `issuer` whose `sub` is `subject`
/// and whose `aud` is the one audience (graph-docs/federatedidentitycredential.md). `name` is
/// unique on the app and can't be changed; `id` is Graph's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FederatedIdentityCredential {
    pub id: String,
    pub name: String,
    pub issuer: String,
    pub subject: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub audiences: Vec<String>,
    #[serde(default)]
    pub description: Option<String>,
}

/// What to ask Graph for when creating a federated identity credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFederatedCredential {
    pub name: String,
    pub issuer: String,
    pub subject: String,
    pub audience: String,
    pub description: Option<String>,
}

/// What to ask addPassword for. Both dates are always sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPassword {
    pub display_name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// An app owner: a user or a service principal (`@odata.type` tells which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub id: String,
    #[serde(rename = "@odata.type", default)]
    pub odata_type: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
}

impl Owner {
    /// What to show for this owner: "Dev Dan (dan@contoso.example)", or whatever is known.
    pub fn label(&self) -> String {
        let contact = self.user_principal_name.as_ref().or(self.mail.as_ref());
        match (&self.display_name, contact) {
            (Some(name), Some(c)) if name != c => format!("{name} ({c})"),
            (Some(name), _) => name.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => self.id.clone(),
        }
    }
}

/// One entry of a role definition's `rolePermissions`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RolePermission {
    #[serde(default, deserialize_with = "null_as_default")]
    pub allowed_resource_actions: Vec<String>,
    /// A condition such as "owner of the resource": then the permission is not unconditional.
    #[serde(default)]
    pub condition: Option<String>,
    /// "Not yet supported" by Graph; honoured anyway when present.
    #[serde(default, deserialize_with = "null_as_default")]
    pub excluded_resource_actions: Vec<String>,
}

/// A role definition (built-in or custom).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleDefinition {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub template_id: Option<String>,
    #[serde(default)]
    pub is_built_in: Option<bool>,
    #[serde(default)]
    pub is_enabled: Option<bool>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub role_permissions: Vec<RolePermission>,
}

/// A role assignment: a principal holds a definition at a directory scope.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RoleAssignment {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub principal_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub role_definition_id: String,
    /// `/` for the tenant, `/{object ID}` for one object (an application, say).
    #[serde(default)]
    pub directory_scope_id: Option<String>,
    /// Set only for app-specific scopes (entitlement management); never an app registration.
    #[serde(default)]
    pub app_scope_id: Option<String>,
    /// Present with `$expand=roleDefinition`.
    #[serde(default)]
    pub role_definition: Option<RoleDefinition>,
}

/// One `passwordCredentialConfiguration`: a restriction on client secrets.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredentialConfiguration {
    /// `passwordAddition`, `passwordLifetime`, `customPasswordAddition`, … (kept as sent, so a
    /// value this app doesn't know is recognisably not one it acts on).
    #[serde(default)]
    pub restriction_type: Option<String>,
    /// An ISO 8601 duration such as `P180D` (`passwordLifetime` only).
    #[serde(default)]
    pub max_lifetime: Option<String>,
    /// Apps created on or after this date are restricted; `null`: every app.
    #[serde(default)]
    pub restrict_for_apps_created_after_date_time: Option<DateTime<Utc>>,
    /// `enabled` or `disabled` (absent in the docs' examples).
    #[serde(default)]
    pub state: Option<String>,
}

/// `appManagementConfiguration`: the restrictions on an object's credentials.
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppManagementConfiguration {
    #[serde(default, deserialize_with = "null_as_default")]
    pub password_credentials: Vec<PasswordCredentialConfiguration>,
}

/// The tenant default policy (`tenantAppManagementPolicy`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TenantAppManagementPolicy {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// "Denotes whether the policy is enabled. Default value is `false`."
    #[serde(default)]
    pub is_enabled: Option<bool>,
    /// Restrictions on application objects (the ones that govern app registrations).
    #[serde(default)]
    pub application_restrictions: Option<AppManagementConfiguration>,
}

/// An app management policy that can be assigned to an application (`appManagementPolicy`).
#[derive(Clone, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AppManagementPolicy {
    #[serde(default, deserialize_with = "null_as_default")]
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub is_enabled: Option<bool>,
    #[serde(default)]
    pub restrictions: Option<AppManagementConfiguration>,
}
