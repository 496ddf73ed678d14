//! Graph's JSON read into the model ([`crate::model`]) and this client's envelopes: one small
//! reader a type over [`Members`] (the one `serde_json::Value` parser), rather than a derived
//! `Deserialize` each. Each reads as the type's derived `Deserialize` does (which the model
//! keeps, and `tests/read.rs` compares them on): camelCase members, unknown ones ignored, a
//! missing or `null` optional member "not stated", a required one (`id`, `keyId`) an error.

use super::roles::ObjectId;
use super::types::{Page, User};
use crate::model::{
    AppManagementConfiguration, AppManagementPolicy, Application, KeyCredential, Owner,
    PasswordCredential, PasswordCredentialConfiguration, RoleAssignment, RoleDefinition,
    RolePermission, TenantAppManagementPolicy,
};
use crate::wire::{Members, Mismatch};

type Read<T> = fn(Members<'_>) -> Result<T, Mismatch>;

/// One page of a collection: `value` (each item read by `item`), `@odata.nextLink`,
/// `@odata.count`.
pub(super) fn page<T>(m: Members<'_>, item: Read<T>) -> Result<Page<T>, Mismatch> {
    Ok(Page {
        value: m.page_value("value", item)?,
        next_link: m.text("@odata.nextLink")?,
        count: m.count("@odata.count")?,
    })
}

pub(super) fn application(m: Members<'_>) -> Result<Application, Mismatch> {
    Ok(Application {
        id: m.required_text("id")?,
        app_id: m.text("appId")?.unwrap_or_default(),
        display_name: m.text("displayName")?.unwrap_or_default(),
        sign_in_audience: m.text("signInAudience")?,
        created_date_time: m.date("createdDateTime")?,
        password_credentials: m
            .list("passwordCredentials", password_credential)?
            .unwrap_or_default(),
        key_credentials: m
            .list("keyCredentials", key_credential)?
            .unwrap_or_default(),
    })
}

pub(super) fn password_credential(m: Members<'_>) -> Result<PasswordCredential, Mismatch> {
    Ok(PasswordCredential {
        key_id: m.required_text("keyId")?,
        display_name: m.text("displayName")?,
        hint: m.text("hint")?,
        start_date_time: m.date("startDateTime")?,
        end_date_time: m.date("endDateTime")?,
    })
}

fn key_credential(m: Members<'_>) -> Result<KeyCredential, Mismatch> {
    Ok(KeyCredential {
        key_id: m.required_text("keyId")?,
        display_name: m.text("displayName")?,
        custom_key_identifier: m.text("customKeyIdentifier")?,
        kind: m.text("type")?,
        usage: m.text("usage")?,
        start_date_time: m.date("startDateTime")?,
        end_date_time: m.date("endDateTime")?,
    })
}

pub(super) fn user(m: Members<'_>) -> Result<User, Mismatch> {
    Ok(User {
        id: m.required_text("id")?,
        display_name: m.text("displayName")?,
        user_principal_name: m.text("userPrincipalName")?,
        mail: m.text("mail")?,
    })
}

pub(super) fn owner(m: Members<'_>) -> Result<Owner, Mismatch> {
    Ok(Owner {
        id: m.required_text("id")?,
        odata_type: m.text("@odata.type")?,
        display_name: m.text("displayName")?,
        user_principal_name: m.text("userPrincipalName")?,
        mail: m.text("mail")?,
    })
}

pub(super) fn object_id(m: Members<'_>) -> Result<ObjectId, Mismatch> {
    Ok(ObjectId {
        id: m.required_text("id")?,
    })
}

pub(super) fn role_assignment(m: Members<'_>) -> Result<RoleAssignment, Mismatch> {
    Ok(RoleAssignment {
        id: m.text("id")?.unwrap_or_default(),
        principal_id: m.text("principalId")?.unwrap_or_default(),
        role_definition_id: m.text("roleDefinitionId")?.unwrap_or_default(),
        directory_scope_id: m.text("directoryScopeId")?,
        app_scope_id: m.text("appScopeId")?,
        role_definition: m.object("roleDefinition", role_definition)?,
    })
}

fn role_definition(m: Members<'_>) -> Result<RoleDefinition, Mismatch> {
    Ok(RoleDefinition {
        id: m.text("id")?.unwrap_or_default(),
        display_name: m.text("displayName")?,
        template_id: m.text("templateId")?,
        is_built_in: m.flag("isBuiltIn")?,
        is_enabled: m.flag("isEnabled")?,
        role_permissions: m
            .list("rolePermissions", role_permission)?
            .unwrap_or_default(),
    })
}

fn role_permission(m: Members<'_>) -> Result<RolePermission, Mismatch> {
    Ok(RolePermission {
        allowed_resource_actions: m.texts("allowedResourceActions")?.unwrap_or_default(),
        condition: m.text("condition")?,
        excluded_resource_actions: m.texts("excludedResourceActions")?.unwrap_or_default(),
    })
}

pub(super) fn tenant_policy(m: Members<'_>) -> Result<TenantAppManagementPolicy, Mismatch> {
    Ok(TenantAppManagementPolicy {
        id: m.text("id")?.unwrap_or_default(),
        display_name: m.text("displayName")?,
        is_enabled: m.flag("isEnabled")?,
        application_restrictions: m.object("applicationRestrictions", configuration)?,
    })
}

pub(super) fn app_policy(m: Members<'_>) -> Result<AppManagementPolicy, Mismatch> {
    Ok(AppManagementPolicy {
        id: m.text("id")?.unwrap_or_default(),
        display_name: m.text("displayName")?,
        is_enabled: m.flag("isEnabled")?,
        restrictions: m.object("restrictions", configuration)?,
    })
}

fn configuration(m: Members<'_>) -> Result<AppManagementConfiguration, Mismatch> {
    Ok(AppManagementConfiguration {
        password_credentials: m
            .list("passwordCredentials", password_configuration)?
            .unwrap_or_default(),
    })
}

fn password_configuration(m: Members<'_>) -> Result<PasswordCredentialConfiguration, Mismatch> {
    Ok(PasswordCredentialConfiguration {
        restriction_type: m.text("restrictionType")?,
        max_lifetime: m.text("maxLifetime")?,
        restrict_for_apps_created_after_date_time: m.date("restrictForAppsCreatedAfterDateTime")?,
        state: m.text("state")?,
    })
}
