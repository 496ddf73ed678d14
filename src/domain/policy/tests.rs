use super::*;
use chrono::TimeZone;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/graph/",
            $name
        ))
    };
}

fn at(y: i32, m: u32, d: u32) -> Option<DateTime<Utc>> {
    Some(Utc.with_ymd_and_hms(y, m, d, 9, 30, 0).unwrap())
}

// The model's JSON shape is Graph's: the docs' bodies are read as the Graph client reads them
// (graph::policy's tests check its parsers on the same files).
fn default_from(body: &str) -> TenantAppManagementPolicy {
    serde_json::from_str(body).unwrap()
}

/// The `value` of a Graph list of policies.
fn policies_from(body: &str) -> Vec<AppManagementPolicy> {
    #[derive(serde::Deserialize)]
    struct List {
        value: Vec<AppManagementPolicy>,
    }
    serde_json::from_str::<List>(body).unwrap().value
}

fn restriction(
    kind: &str,
    max: Option<&str>,
    after: Option<&str>,
    state: Option<&str>,
) -> serde_json::Value {
    serde_json::json!({"restrictionType": kind, "maxLifetime": max,
        "restrictForAppsCreatedAfterDateTime": after, "state": state})
}

fn enabled_default(restrictions: Vec<serde_json::Value>) -> TenantAppManagementPolicy {
    default_from(
        &serde_json::json!({"id": "00000000-0000-0000-0000-000000000000", "isEnabled": true,
            "applicationRestrictions": {"passwordCredentials": restrictions}})
        .to_string(),
    )
}

#[test]
fn durations_read_days_hours_minutes_and_seconds_only() {
    let d = |s| MaxLifetime::parse(s).map(|m| m.seconds);
    assert_eq!(d("P180D"), Some(180 * DAY_SECS));
    assert_eq!(
        d("P4DT12H30M5S"),
        Some(4 * DAY_SECS + 12 * 3600 + 30 * 60 + 5)
    );
    assert_eq!(d("PT12H"), Some(12 * 3600));
    assert_eq!(d("PT1.75S"), Some(1), "a fraction of a second is dropped");
    assert_eq!(d("P0D"), Some(0));
    for unreadable in [
        "",
        "P",
        "PT",
        "180D",
        "P1Y",
        "P6M",
        "P2W",
        "P1DT",
        "P1H",
        "PT1D",
        "P1.5D",
        "PT5S3M",
        "P-1D",
        "PxD",
        "P99999999999999999999D",
    ] {
        assert_eq!(d(unreadable), None, "{unreadable}");
    }
    let m = MaxLifetime::parse("P4DT12H30M5S").unwrap();
    assert_eq!(m.whole_days(), 4);
    assert_eq!(m.words(), "P4DT12H30M5S (4 days and 12 hours)");
    assert_eq!(MaxLifetime::parse("P180D").unwrap().words(), "180 days");
    assert_eq!(MaxLifetime::parse("P1D").unwrap().words(), "1 day");
    assert_eq!(MaxLifetime::parse("PT12H").unwrap().whole_days(), 0);
}

#[test]
fn the_docs_examples_as_policies_in_force() {
    // The docs' tenant default is disabled: nothing applies.
    let off = default_from(fixture!("policy-tenant-default-get.json"));
    let p = secret_policy(&off, &[], at(2024, 6, 3));
    assert_eq!(
        p,
        SecretPolicy {
            source: PolicySource::TenantDefault,
            blocked: false,
            max_lifetime: None
        }
    );
    // The docs' enabled default: passwords blocked for apps created on or after 2021-01-01,
    // and at most P4DT12H30M5S for those created on or after 2017-01-01.
    let on = default_from(fixture!("policy-tenant-default-update-request.json"));
    let new_app = secret_policy(&on, &[], at(2024, 6, 3));
    assert!(new_app.blocked);
    assert_eq!(new_app.max_lifetime.unwrap().whole_days(), 4);
    let older = secret_policy(&on, &[], at(2018, 5, 1));
    assert!(!older.blocked);
    assert_eq!(older.max_lifetime.unwrap().iso, "P4DT12H30M5S");
    let oldest = secret_policy(&on, &[], at(2016, 5, 1));
    assert_eq!((oldest.blocked, oldest.max_lifetime), (false, None));
    // The docs' assigned policy is disabled (`isEnabled: false`): it replaces the default,
    // and restricts nothing.
    let list = policies_from(fixture!("policy-app-policies-list.json"));
    let p = secret_policy(&on, &list, at(2024, 6, 3));
    assert_eq!(
        p.source,
        PolicySource::AppPolicy {
            name: Some("Custom app management policy".into())
        }
    );
    assert_eq!((p.blocked, p.max_lifetime), (false, None));
}

#[test]
fn an_assigned_policy_replaces_the_default_and_does_not_inherit_it() {
    let default = enabled_default(vec![restriction(
        "passwordLifetime",
        Some("P180D"),
        Some("2024-01-01T00:00:00Z"),
        Some("enabled"),
    )]);
    let mut list = policies_from(fixture!("policy-app-policies-list.json"));
    list[0].is_enabled = Some(true);
    let p = secret_policy(&default, &list, at(2024, 6, 3));
    assert!(p.blocked, "its passwordAddition (2019-10-19) applies");
    assert_eq!(p.max_lifetime.as_ref().unwrap().iso, "P4DT12H30M5S");
    assert_eq!(
        p.blocked_message(),
        "Your organisation's policy for this app (“Custom app management policy”) doesn't \
         allow new client secrets for this app. Use a certificate or a federated credential \
         instead; an administrator of your organisation can tell you which."
    );
    // Without an assignment the default's P180D governs an app created after its date…
    let p = secret_policy(&default, &[], at(2024, 6, 3));
    assert_eq!(p.max_lifetime.as_ref().unwrap().whole_days(), 180);
    assert_eq!(p.who(), "Your organisation's policy");
    // …on the date itself too ("created on or after"), and not before it.
    let on_the_day = Some(Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap());
    assert!(secret_policy(&default, &[], on_the_day)
        .max_lifetime
        .is_some());
    assert!(secret_policy(&default, &[], at(2023, 12, 31))
        .max_lifetime
        .is_none());
}

#[test]
fn nothing_is_assumed_that_the_policy_does_not_state() {
    let created = at(2024, 6, 3);
    // A disabled restriction, a disabled or unset policy, an unknown state or kind.
    for (enabled, r) in [
        (
            true,
            restriction("passwordLifetime", Some("P30D"), None, Some("disabled")),
        ),
        (
            true,
            restriction(
                "passwordLifetime",
                Some("P30D"),
                None,
                Some("unknownFutureValue"),
            ),
        ),
        (
            true,
            restriction("symmetricKeyLifetime", Some("P30D"), None, None),
        ),
        (
            true,
            restriction("customPasswordAddition", None, None, None),
        ),
        (
            true,
            restriction("passwordLifetime", Some("P1Y"), None, None),
        ),
        (true, restriction("passwordLifetime", None, None, None)),
    ] {
        let d = if enabled {
            enabled_default(vec![r.clone()])
        } else {
            unreachable!()
        };
        let p = secret_policy(&d, &[], created);
        assert_eq!((p.blocked, p.max_lifetime), (false, None), "{r}");
    }
    let mut unset = enabled_default(vec![restriction("passwordAddition", None, None, None)]);
    assert!(
        secret_policy(&unset, &[], created).blocked,
        "no state: enabled"
    );
    unset.is_enabled = None;
    assert!(
        !secret_policy(&unset, &[], created).blocked,
        "isEnabled defaults to false"
    );
    // A dated restriction on an app whose creation date is unknown is not applied…
    let dated = enabled_default(vec![restriction(
        "passwordAddition",
        None,
        Some("2020-01-01T00:00:00Z"),
        Some("enabled"),
    )]);
    assert!(!secret_policy(&dated, &[], None).blocked);
    // …but an undated one applies to every app.
    let undated = enabled_default(vec![restriction(
        "passwordLifetime",
        Some("P90D"),
        None,
        Some("Enabled"),
    )]);
    assert_eq!(
        secret_policy(&undated, &[], None)
            .max_lifetime
            .unwrap()
            .whole_days(),
        90
    );
    // Two lifetimes: the shorter governs.
    let two = enabled_default(vec![
        restriction("passwordLifetime", Some("P90D"), None, None),
        restriction("passwordLifetime", Some("P60D"), None, None),
    ]);
    assert_eq!(
        secret_policy(&two, &[], created)
            .max_lifetime
            .unwrap()
            .whole_days(),
        60
    );
}
