//! The demo tenant's app registrations, relative to "now" at seeding time.

use chrono::{DateTime, Duration, TimeZone, Utc};
use sha2::{Digest, Sha256};

use crate::graph::directory::{
    AppManagementPolicy, Application, GraphState, KeyCredential, MaxLifetime, PasswordCredential,
    PasswordRestriction, PasswordRestrictionType, TenantAppManagementPolicy,
};
use crate::graph::owners;
use crate::identity::personas::{ADA, DAN};
use crate::seed::Seed;

const MY_ORG: &str = "AzureADMyOrg";

/// A GUID derived from a label, so seeded objects keep their IDs across starts and resets.
pub fn stable_guid(label: &str) -> String {
    let d = Sha256::digest(label.as_bytes());
    let mut b = [0u8; 16];
    b.copy_from_slice(&d[..16]);
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    uuid::Uuid::from_bytes(b).to_string()
}

/// The keyId of seeded credential `credential` of app `app` (stable across starts and resets).
pub fn password_key_id(app: &str, credential: &str) -> String {
    stable_guid(&format!("{app}|password|{credential}"))
}

struct AppSpec<'a> {
    name: &'a str,
    created: (i32, u32, u32),
    audience: &'a str,
    owners: &'a [&'a str],
    /// (display name, days from now the secret started, days from now it ends)
    secrets: &'a [(&'a str, i64, i64)],
    /// (display name, days from now the certificate ends)
    certificates: &'a [(&'a str, i64)],
    description: Option<&'a str>,
}

fn build(spec: &AppSpec<'_>, now: DateTime<Utc>) -> Application {
    let (y, m, d) = spec.created;
    let created = Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap();
    let password_credentials = spec
        .secrets
        .iter()
        .map(|(name, start, end)| {
            let start = now + Duration::days(*start);
            let end = now + Duration::days(*end);
            let mut credential = PasswordCredential::generate(Some((*name).to_owned()), start, end);
            // Stable, so the vault seed can tag secrets with the credential they hold.
            credential.key_id = password_key_id(spec.name, name);
            credential
        })
        .collect();
    let key_credentials = spec
        .certificates
        .iter()
        .enumerate()
        .map(|(i, (name, end))| {
            let label = format!("{}|cert|{i}", spec.name);
            let thumbprint = Sha256::digest(label.as_bytes());
            KeyCredential {
                key_id: stable_guid(&label),
                display_name: Some(format!("CN={name}")),
                start: now + Duration::days(end - 365),
                end: now + Duration::days(*end),
                custom_key_identifier: b64(&thumbprint[..20]),
                key: b64(format!("sandbox certificate for {name}").as_bytes()),
            }
        })
        .collect();
    Application {
        id: stable_guid(&format!("{}|object", spec.name)),
        app_id: stable_guid(&format!("{}|app", spec.name)),
        display_name: spec.name.to_owned(),
        description: spec.description.map(str::to_owned),
        created,
        sign_in_audience: spec.audience.to_owned(),
        notes: None,
        tags: Vec::new(),
        owners: spec.owners.iter().map(|o| (*o).to_owned()).collect(),
        password_credentials,
        key_credentials,
        federated: Vec::new(),
    }
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

fn demo_specs() -> Vec<AppSpec<'static>> {
    let dan: &'static [&'static str] = &[DAN.oid];
    let ada: &'static [&'static str] = &[ADA.oid];
    vec![
        AppSpec { name: "Payroll API", created: (2022, 3, 14), audience: MY_ORG, owners: dan,
            secrets: &[("payroll-2024", -345, 20), ("payroll-2025", -165, 200)], certificates: &[],
            description: Some("Pays people on time.") },
        AppSpec { name: "Onboarding Portal", created: (2023, 2, 1), audience: MY_ORG, owners: dan,
            secrets: &[("portal", -290, 75)], certificates: &[], description: None },
        AppSpec { name: "Legacy Reporting", created: (2019, 6, 10), audience: MY_ORG, owners: &[],
            secrets: &[("reporting", -740, -10)], certificates: &[], description: Some("Nightly reports, due for retirement.") },
        AppSpec { name: "Consumer Mobile App", created: (2021, 8, 23), audience: "AzureADandPersonalMicrosoftAccount",
            owners: ada, secrets: &[("mobile-a", -200, 100), ("mobile-b", -60, 300)], certificates: &[], description: None },
        AppSpec { name: "Build Agent", created: (2020, 11, 5), audience: MY_ORG, owners: ada,
            secrets: &[], certificates: &[("build-agent.contoso.example", 400)], description: None },
        AppSpec { name: "Policy Restricted Service", created: (2024, 6, 3), audience: MY_ORG, owners: dan,
            secrets: &[("restricted", -30, 90)], certificates: &[],
            description: Some("Created after the tenant's app management policy date: secrets live at most 180 days.") },
        AppSpec { name: "<img src=x onerror=alert(1)> Widget", created: (2023, 9, 9), audience: MY_ORG, owners: dan,
            secrets: &[("widget", -10, 150)], certificates: &[], description: Some("<script>alert('description')</script>") },
        AppSpec { name: "Customer Support Bot", created: (2023, 4, 18), audience: MY_ORG, owners: ada,
            secrets: &[], certificates: &[], description: None },
        AppSpec { name: "Data Warehouse Sync", created: (2020, 1, 20), audience: MY_ORG, owners: ada,
            secrets: &[("dw-2022", -1100, -370), ("dw-2023", -700, -5), ("dw-blue", -300, 14), ("dw-green", -100, 260), ("dw-break-glass", -20, 700)],
            certificates: &[], description: None },
        AppSpec { name: "HR Analytics", created: (2021, 2, 2), audience: MY_ORG, owners: ada,
            secrets: &[("hr-analytics", -100, 500)], certificates: &[("hr-analytics", 30)], description: None },
        AppSpec { name: "Marketing Site", created: (2022, 10, 30), audience: MY_ORG, owners: ada,
            secrets: &[("marketing", -362, 3)], certificates: &[], description: None },
        AppSpec { name: "Inventory Service", created: (2021, 5, 12), audience: MY_ORG, owners: &[],
            secrets: &[("inventory", -320, 45)], certificates: &[("inventory", -40)], description: None },
        AppSpec { name: "Partner Integration", created: (2022, 7, 7), audience: "AzureADMultipleOrgs",
            owners: &[DAN.oid, ADA.oid], secrets: &[("partner", -1, 365)], certificates: &[], description: None },
        AppSpec { name: "Mail Relay", created: (2019, 12, 1), audience: MY_ORG, owners: &[],
            secrets: &[("relay-old", -800, -400), ("relay", -335, 30)], certificates: &[], description: None },
        AppSpec { name: "Ops Dashboard", created: (2023, 11, 20), audience: MY_ORG, owners: ada,
            secrets: &[("ops-next", 10, 190)], certificates: &[], description: Some("Its only secret is not valid yet.") },
        AppSpec { name: "Test Harness", created: (2023, 3, 3), audience: "PersonalMicrosoftAccount", owners: dan,
            secrets: &[("harness", -50, 130)], certificates: &[], description: None },
        AppSpec { name: SECRETLESS_SERVICE, created: (2025, 3, 10), audience: MY_ORG, owners: dan,
            secrets: &[], certificates: &[("secretless.contoso.example", 200)],
            description: Some("Its app management policy blocks new client secrets: certificates or federated credentials only.") },
    ]
}

/// Extra owners beside the personas, so the overview meets every case of `$expand=owners`
/// (capped at 20, query::EXPAND_MAX_ITEMS): several owners, a service principal as owner, exactly
/// 20 (cut or not, a client can't tell) and more than 20. Generated colleagues and the Payroll
/// Worker service principal are in `graph::owners`.
fn extra_owners(i: u32) -> Vec<String> {
    let colleague = |k: u32| owners::directory_user((i + k) as usize).to_owned();
    let mut extra = Vec::new();
    if i.is_multiple_of(7) {
        extra.extend((0..2).map(colleague));
    }
    if i.is_multiple_of(11) {
        extra.push(payroll_worker());
    }
    match i % 500 {
        0 => extra = (0..25).map(colleague).collect(),
        250 => extra = (0..20).map(colleague).collect(),
        _ => {}
    }
    extra
}

/// The Payroll Worker app's service principal (`graph::service_principals`).
fn payroll_worker() -> String {
    stable_guid("Payroll Worker|sp")
}

/// `Filler App 0001`…: 0–3 secrets of varied expiry; every fifth is owned by Dev Dan; others
/// by colleagues and a service principal ([`extra_owners`]).
fn filler(i: u32, now: DateTime<Utc>) -> Application {
    let name = format!("Filler App {i:04}");
    let secrets: Vec<(String, i64, i64)> = (0..i % 4)
        .map(|k| {
            let end = ((i as i64 * 37 + k as i64 * 113) % 430) - 30;
            (format!("filler-{k}"), end - 365, end)
        })
        .collect();
    let secret_refs: Vec<(&str, i64, i64)> = secrets
        .iter()
        .map(|(n, s, e)| (n.as_str(), *s, *e))
        .collect();
    let owners: &[&str] = if i.is_multiple_of(5) { &[DAN.oid] } else { &[] };
    let spec = AppSpec {
        name: &name,
        created: (2018 + (i % 6) as i32, 1 + i % 12, 1 + i % 28),
        audience: MY_ORG,
        owners,
        secrets: &secret_refs,
        certificates: &[],
        description: None,
    };
    let mut app = build(&spec, now);
    app.owners.extend(extra_owners(i));
    app
}

/// The demo app with more owners than `$expand=owners` returns.
pub const PARTNER_INTEGRATION: &str = "Partner Integration";

/// The demo app whose own app management policy blocks new secrets (`passwordAddition`).
pub const SECRETLESS_SERVICE: &str = "Secretless Service";

/// The tenant default app management policy: enabled, secrets of apps created on or after
/// 2024-01-01 live at most 180 days. Its ID, names and description are the docs' example's
/// (tenantappmanagementpolicy-get.md).
pub fn default_policy() -> TenantAppManagementPolicy {
    TenantAppManagementPolicy {
        id: "00000000-0000-0000-0000-000000000000".into(),
        display_name: "Default app management tenant policy".into(),
        description: "Default tenant policy that enforces app management restrictions on applications and service principals. To apply policy to targeted resources, create a new policy under appManagementPolicies collection.".into(),
        is_enabled: true,
        application_passwords: vec![PasswordRestriction {
            restriction_type: PasswordRestrictionType::PasswordLifetime,
            enabled: true,
            max_lifetime: Some(MaxLifetime::days(180)),
            restrict_for_apps_created_after: Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()),
        }],
    }
}

/// "No client secrets": blocks new secrets (`passwordAddition`) for apps created on or after
/// 2025-01-01, assigned to Secretless Service only.
fn no_secrets_policy(applications: &[Application]) -> AppManagementPolicy {
    AppManagementPolicy {
        id: stable_guid("app-policy|no-client-secrets"),
        display_name: "No client secrets".into(),
        description:
            "Apps under this policy authenticate with certificates or federated credentials.".into(),
        is_enabled: true,
        passwords: vec![PasswordRestriction {
            restriction_type: PasswordRestrictionType::PasswordAddition,
            enabled: true,
            max_lifetime: None,
            restrict_for_apps_created_after: Some(
                Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0).unwrap(),
            ),
        }],
        applies_to: applications
            .iter()
            .filter(|a| a.display_name == SECRETLESS_SERVICE)
            .map(|a| a.id.clone())
            .collect(),
    }
}

impl GraphState {
    pub fn seed(seed: &Seed, now: DateTime<Utc>) -> Self {
        let mut applications: Vec<Application> =
            demo_specs().iter().map(|s| build(s, now)).collect();
        // Partner Integration has more owners than `$expand` returns (20): Dev Dan, Ada Admin,
        // 21 colleagues and the Payroll Worker service principal.
        if let Some(partner) = applications
            .iter_mut()
            .find(|a| a.display_name == PARTNER_INTEGRATION)
        {
            partner
                .owners
                .extend((1..=21).map(|k| owners::directory_user(k).to_owned()));
            partner.owners.push(payroll_worker());
        }
        applications.extend((1..=seed.filler_apps()).map(|i| filler(i, now)));
        let app_policies = vec![no_secrets_policy(&applications)];
        Self {
            applications,
            policy: default_policy(),
            app_policies,
            audit: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn demo_seed_has_the_named_apps_and_stable_ids() {
        let now = Utc::now();
        let a = GraphState::seed(&Seed::Demo, now);
        let b = GraphState::seed(&Seed::Scale(12), now);
        assert!(a.applications.len() >= 15);
        assert_eq!(b.applications.len(), a.applications.len() + 12);
        assert_eq!(a.applications[0].id, b.applications[0].id);
        let find = |n: &str| a.applications.iter().find(|x| x.display_name == n).unwrap();
        let payroll = find("Payroll API");
        assert_eq!(payroll.owners, [DAN.oid]);
        let days: Vec<i64> = payroll
            .password_credentials
            .iter()
            .map(|p| (p.end - now).num_days())
            .collect();
        assert_eq!(days, [20, 200]);
        assert!(find("Consumer Mobile App").allows_personal_accounts());
        assert_eq!(find("Consumer Mobile App").password_credentials.len(), 2);
        let lifetime = |app: &Application| {
            a.policy_in_force(app)
                .and_then(|p| p.restriction(PasswordRestrictionType::PasswordLifetime, app))
                .and_then(|r| r.max_lifetime.clone())
                .map(|m| m.iso)
        };
        let addition_blocked = |app: &Application| {
            a.policy_in_force(app)
                .and_then(|p| p.restriction(PasswordRestrictionType::PasswordAddition, app))
                .is_some()
        };
        assert_eq!(
            lifetime(find("Policy Restricted Service")).as_deref(),
            Some("P180D")
        );
        assert_eq!(lifetime(payroll), None, "created before the policy date");
        let secretless = find(SECRETLESS_SERVICE);
        assert!(addition_blocked(secretless));
        assert_eq!(
            lifetime(secretless),
            None,
            "its own policy replaces the default"
        );
        assert!(!addition_blocked(find("Policy Restricted Service")));
        assert!(secretless.password_credentials.is_empty());
        assert_eq!(secretless.owners, [DAN.oid]);
        let ids: std::collections::HashSet<_> =
            b.applications.iter().map(|x| x.id.clone()).collect();
        assert_eq!(ids.len(), b.applications.len());
        assert_eq!(
            b.applications.last().unwrap().display_name,
            "Filler App 0012"
        );
        assert_eq!(
            payroll.password_credentials[0].key_id,
            password_key_id("Payroll API", "payroll-2024")
        );
        let keys: std::collections::HashSet<_> = b
            .applications
            .iter()
            .flat_map(|a| a.password_credentials.iter().map(|p| p.key_id.clone()))
            .collect();
        let total: usize = b
            .applications
            .iter()
            .map(|a| a.password_credentials.len())
            .sum();
        assert_eq!(keys.len(), total, "seeded keyIds are unique");
    }

    #[test]
    fn owners_vary_from_none_to_more_than_expand_returns() {
        let g = GraphState::seed(&Seed::Scale(1000), Utc::now());
        let count = |n: &str| {
            let app = g.applications.iter().find(|a| a.display_name == n).unwrap();
            assert!(
                app.owners.iter().all(|o| owners::owner_name(o).is_some()),
                "{n}"
            );
            app.owners.len()
        };
        assert_eq!(count(PARTNER_INTEGRATION), 24);
        assert_eq!(count("Legacy Reporting"), 0);
        assert_eq!(count("Payroll API"), 1);
        assert_eq!(count("Filler App 0001"), 0);
        assert_eq!(count("Filler App 0005"), 1, "Dev Dan");
        assert_eq!(count("Filler App 0007"), 2, "two colleagues");
        assert_eq!(count("Filler App 0035"), 3, "Dev Dan and two colleagues");
        assert_eq!(count("Filler App 0011"), 1, "the service principal");
        assert_eq!(count("Filler App 0250"), 21, "Dev Dan and 20 colleagues");
        assert_eq!(count("Filler App 0500"), 26, "Dev Dan and 25 colleagues");
        let over_20 = g
            .applications
            .iter()
            .filter(|a| a.owners.len() >= 20)
            .count();
        assert_eq!(
            over_20,
            1 + 4,
            "Partner Integration, 0250, 0500, 0750, 1000"
        );
        let dan = |n: &str| {
            let app = g.applications.iter().find(|a| a.display_name == n).unwrap();
            app.owners.contains(&DAN.oid.to_owned())
        };
        assert!(dan("Filler App 0500") && !dan("Filler App 0007"));
    }
}
