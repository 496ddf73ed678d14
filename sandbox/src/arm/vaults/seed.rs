//! The demo tenant's Azure side: two subscriptions, three vaults, role assignments and a few
//! secrets, one of them tied by tags to a Payroll API credential of the Graph seed.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::{json, Value};

use crate::arm::rbac::{
    RoleDefinition, KEY_VAULT_ADMINISTRATOR, KEY_VAULT_CONTRIBUTOR, KEY_VAULT_SECRETS_OFFICER,
    KEY_VAULT_SECRETS_USER, OWNER, READER,
};
use crate::arm::vaults::{
    secret_state_json, DeletedSecret, NetworkAcls, NewVersion, RoleAssignment, SecretText,
    Subscription, Vault, VaultState,
};
use crate::graph::directory::seed::{password_key_id, stable_guid};
use crate::identity::personas::{ADA, DAN, RITA, TENANT_ID};
use crate::seed::Seed;

pub const CONTOSO_DEV: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
pub const CONTOSO_PROD: &str = "c0de0002-7d3e-4a5b-9c8d-00000000f401";
pub const DEV_VAULT: &str = "kv-contoso-dev";
pub const PROD_VAULT: &str = "kv-contoso-prod";
pub const LOCKED_VAULT: &str = "kv-contoso-locked";
pub const LOCATION: &str = "westeurope";

/// The object ID the Graph seed gives app `app` (as `graph::directory::seed::build` derives it).
pub fn app_object_id(app: &str) -> String {
    stable_guid(&format!("{app}|object"))
}

/// The application (client) ID the Graph seed gives app `app`.
pub fn app_client_id(app: &str) -> String {
    stable_guid(&format!("{app}|app"))
}

fn vault(
    name: &str,
    subscription: &str,
    rg: &str,
    firewall: bool,
    created: DateTime<Utc>,
) -> Vault {
    let mut network_acls = NetworkAcls::open();
    if firewall {
        network_acls.default_action = "Deny".into();
        network_acls.ip_rules = vec!["203.0.113.0/24".into()];
    }
    Vault {
        name: name.into(),
        subscription_id: subscription.into(),
        resource_group: rg.into(),
        location: LOCATION.into(),
        tags: BTreeMap::from([("environment".into(), rg.trim_start_matches("rg-").into())]),
        created,
        created_by: ADA.upn.into(),
        sku: "standard".into(),
        network_acls,
        soft_delete_retention_days: 90,
        secrets: BTreeMap::new(),
        deleted: BTreeMap::new(),
    }
}

fn assign(principal: &str, role: RoleDefinition, scope: String) -> RoleAssignment {
    RoleAssignment {
        id: stable_guid(&format!("{principal}|{}|{scope}", role.id)),
        principal_id: principal.into(),
        role,
        scope,
    }
}

/// Tags like the ones secret-wizard writes (`src/domain/tags.rs`); also used by the renewals
/// test hook (`hooks::renewals`).
pub(crate) fn wizard_tags(
    app: &str,
    credential_id: &str,
    validity_days: i64,
) -> BTreeMap<String, String> {
    [
        ("AppDisplayName", app.to_owned()),
        ("ClientId", app_client_id(app)),
        ("AppObjectId", app_object_id(app)),
        ("CredentialId", credential_id.to_owned()),
        ("ProviderAddress", app_object_id(app)),
        ("ValidityPeriodDays", validity_days.to_string()),
        ("CreatedBy", DAN.upn.to_owned()),
        ("CreatedWith", "secret-wizard".to_owned()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect()
}

/// A stand-in value (never a real credential): `sandbox-` and 32 random hex digits.
fn filler_value() -> SecretText {
    SecretText::new(format!("sandbox-{}", uuid::Uuid::new_v4().simple()))
}

fn put(
    vault: &mut Vault,
    name: &str,
    tags: BTreeMap<String, String>,
    exp: Option<DateTime<Utc>>,
    at: DateTime<Utc>,
) {
    let new = NewVersion {
        value: filler_value(),
        content_type: Some("text/plain".into()),
        tags,
        enabled: Some(true),
        nbf: None,
        exp: exp.map(|e| e.timestamp()),
    };
    vault
        .set_secret(name, new, at.timestamp())
        .expect("seed names are valid and not deleted");
}

pub fn seed(_seed: &Seed, now: DateTime<Utc>) -> VaultState {
    let created = Utc.with_ymd_and_hms(2023, 5, 2, 8, 15, 0).unwrap();
    let subscriptions = vec![
        Subscription {
            id: CONTOSO_DEV.into(),
            display_name: "Contoso Dev".into(),
            resource_groups: vec!["rg-dev".into(), "rg-sec".into()],
        },
        Subscription {
            id: CONTOSO_PROD.into(),
            display_name: "Contoso Prod".into(),
            resource_groups: vec!["rg-prod".into()],
        },
    ];
    let mut dev = vault(DEV_VAULT, CONTOSO_DEV, "rg-dev", false, created);
    let mut prod = vault(PROD_VAULT, CONTOSO_PROD, "rg-prod", false, created);
    let mut locked = vault(LOCKED_VAULT, CONTOSO_DEV, "rg-sec", true, created);

    // Payroll API's "payroll-2025" credential ends 200 days from now (graph::directory::seed).
    let payroll_key = password_key_id("Payroll API", "payroll-2025");
    put(
        &mut dev,
        "payroll-api-client-secret",
        wizard_tags("Payroll API", &payroll_key, 365),
        Some(now + Duration::days(200)),
        now - Duration::days(165),
    );
    // Points at an Onboarding Portal credential that was removed from the app since.
    let gone = stable_guid("Onboarding Portal|password|removed-2023");
    put(
        &mut dev,
        "onboarding-portal-client-secret",
        wizard_tags("Onboarding Portal", &gone, 365),
        Some(now - Duration::days(30)),
        now - Duration::days(395),
    );
    put(
        &mut dev,
        "legacy-reporting-secret",
        wizard_tags(
            "Legacy Reporting",
            &password_key_id("Legacy Reporting", "reporting"),
            730,
        ),
        Some(now - Duration::days(10)),
        now - Duration::days(740),
    );
    dev.delete_secret(
        "legacy-reporting-secret",
        (now - Duration::days(3)).timestamp(),
    )
    .expect("just created");
    put(
        &mut prod,
        "reporting-db-password",
        BTreeMap::new(),
        None,
        now - Duration::days(60),
    );
    put(
        &mut locked,
        "break-glass-secret",
        BTreeMap::new(),
        None,
        now - Duration::days(20),
    );

    let sub = |s: &str| format!("/subscriptions/{s}");
    let mut role_assignments = Vec::new();
    for s in [CONTOSO_DEV, CONTOSO_PROD] {
        role_assignments.push(assign(ADA.oid, OWNER, sub(s)));
        role_assignments.push(assign(ADA.oid, KEY_VAULT_ADMINISTRATOR, sub(s)));
    }
    role_assignments.push(assign(RITA.oid, READER, sub(CONTOSO_DEV)));
    for v in [&dev, &locked] {
        role_assignments.push(assign(DAN.oid, KEY_VAULT_CONTRIBUTOR, v.id()));
        role_assignments.push(assign(DAN.oid, KEY_VAULT_SECRETS_OFFICER, v.id()));
    }
    // Reader lets Dan see the prod vault in ARM's lists (Secrets User alone has no control-plane
    // read), the usual pairing for "may read the app's secrets, may not write them".
    role_assignments.push(assign(DAN.oid, READER, prod.id()));
    role_assignments.push(assign(DAN.oid, KEY_VAULT_SECRETS_USER, prod.id()));

    VaultState {
        subscriptions,
        vaults: vec![dev, prod, locked],
        role_assignments,
    }
}

/// `GET /_sandbox/state`'s `vaults` part: subscriptions, vaults with the role assignments that
/// apply to them (direct or inherited), secrets with every version's value, deleted secrets.
pub fn state_json(state: &VaultState) -> Value {
    let subscriptions: Vec<Value> = state
        .subscriptions
        .iter()
        .map(|s| {
            json!({"subscriptionId": s.id, "displayName": s.display_name,
                        "tenantId": TENANT_ID, "resourceGroups": s.resource_groups})
        })
        .collect();
    let vaults: Vec<Value> = state
        .vaults
        .iter()
        .map(|v| {
            let id = v.id();
            let assignments: Vec<Value> = state
                .role_assignments
                .iter()
                .filter(|a| {
                    crate::arm::rbac::scope_within(&id, &a.scope)
                        || crate::arm::rbac::scope_within(&a.scope, &id)
                })
                .map(|a| json!({"id": a.id, "principalId": a.principal_id,
                                "roleDefinitionId": a.role.id, "roleName": a.role.name,
                                "scope": a.scope, "inherited": !crate::arm::rbac::scope_within(&a.scope, &id)}))
                .collect();
            let deleted: Vec<Value> = v.deleted.values().map(deleted_state_json).collect();
            json!({
                "id": id,
                "name": v.name,
                "subscriptionId": v.subscription_id,
                "resourceGroup": v.resource_group,
                "location": v.location,
                "enableRbacAuthorization": true,
                "networkAcls": {"defaultAction": v.network_acls.default_action,
                                "bypass": v.network_acls.bypass, "ipRules": v.network_acls.ip_rules},
                "roleAssignments": assignments,
                "secrets": v.secrets.values().map(secret_state_json).collect::<Vec<_>>(),
                "deletedSecrets": deleted,
            })
        })
        .collect();
    json!({"subscriptions": subscriptions, "vaults": vaults})
}

fn deleted_state_json(d: &DeletedSecret) -> Value {
    let mut v = secret_state_json(&d.secret);
    v["deletedDate"] = json!(d.deleted_date);
    v["scheduledPurgeDate"] = json!(d.scheduled_purge_date);
    v
}
