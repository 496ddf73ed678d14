//! Descriptions, secret and vault names, lifetimes and dates, hand-off links.

use chrono::{FixedOffset, NaiveDate};
use secret_wizard::domain::description::validate_description;
use secret_wizard::domain::lifetime::{validate, LifetimeChoice, LifetimeError, LifetimePreset};
use secret_wizard::domain::naming::{
    same_secret_name, sanitize_secret_name, secret_name_from_template, validate_secret_name,
    validate_vault_name,
};
use secret_wizard::handoff::{self, Limits};
use serde_json::Value;

use super::{fixture, judge, now, Catalogue};

#[test]
fn descriptions_and_names() {
    let cases: Value = serde_json::from_str(&fixture("text-cases.json")).unwrap();
    let rows = |key: &str| -> Vec<(String, String, String)> {
        serde_json::from_value(cases[key].clone()).unwrap()
    };
    let mut cat = Catalogue::new("descriptions and names");
    for (name, input, expected) in rows("descriptions") {
        cat.row(&format!("description: {name}"), || {
            judge(
                validate_description(&input),
                &expected,
                |s| s.clone(),
                |e| e.user_message(),
            )
        });
    }
    for (name, input, expected) in rows("secretNames") {
        cat.row(&format!("secret name: {name}"), || {
            judge(
                validate_secret_name(&input),
                &expected,
                |_| String::new(),
                |e| e.user_message(),
            )
        });
    }
    for (name, input, expected) in rows("sanitised") {
        cat.row(&format!("sanitised: {name}"), || {
            let got = sanitize_secret_name(&input);
            if got != expected {
                return Some(format!("got {got:?}, expected {expected:?}"));
            }
            (!got.is_empty() && validate_secret_name(&got).is_err())
                .then(|| format!("sanitised {got:?} is still invalid"))
        });
    }
    for (name, input, expected) in rows("vaultNames") {
        cat.row(&format!("vault name: {name}"), || {
            judge(
                validate_vault_name(&input),
                &expected,
                |_| String::new(),
                |e| e.user_message().into(),
            )
        });
    }
    let d = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let templates: [(&str, &str, &str); 4] = [
        (
            "hostile app name",
            "<img src=x onerror=alert(1)>",
            "img-src-x-onerror-alert-1-client-secret",
        ),
        (
            "app name that sanitises to nothing",
            "日本語",
            "client-secret",
        ),
        ("300-character app name", &"p".repeat(300), ""),
        (
            "app name with a slash and dots",
            "../../payroll",
            "payroll-client-secret",
        ),
    ];
    for (name, app, expected) in templates {
        cat.row(&format!("template: {name}"), || {
            let got = secret_name_from_template("{app}-client-secret", app, "x", d);
            if let Err(e) = validate_secret_name(&got) {
                return Some(format!("{got:?} is invalid: {e}"));
            }
            (!expected.is_empty() && got != expected).then(|| format!("got {got:?}"))
        });
    }
    cat.row("names compare without case", || {
        (!same_secret_name("Payroll-API", "PAYROLL-api")
            || same_secret_name("payroll-api", "payroll-api2"))
        .then(|| "Key Vault names are case-insensitive".to_string())
    });
    cat.finish(40);
}

#[test]
fn lifetimes_and_dates() {
    let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
    let custom = LifetimeChoice::Custom;
    let cases: Vec<(&str, LifetimeChoice, u32, &str)> = vec![
        ("yesterday", custom(date(2026, 11, 25)), 730, "NotInFuture"),
        ("today", custom(date(2026, 11, 26)), 730, "NotInFuture"),
        ("long past", custom(date(1970, 1, 1)), 730, "NotInFuture"),
        (
            "earliest date chrono knows",
            custom(NaiveDate::MIN),
            730,
            "NotInFuture",
        ),
        ("tomorrow", custom(date(2026, 11, 27)), 730, "Ok"),
        ("exactly the maximum", custom(date(2028, 11, 25)), 730, "Ok"),
        (
            "one day beyond the maximum",
            custom(date(2028, 11, 26)),
            730,
            "BeyondMax:at most 730 days",
        ),
        (
            "far future",
            custom(date(9999, 12, 31)),
            730,
            "BeyondMax:Choose 25 Nov 2028 or earlier",
        ),
        (
            "latest date chrono knows",
            custom(NaiveDate::MAX),
            3650,
            "BeyondMax",
        ),
        (
            "two-year preset under a 1-year policy",
            LifetimeChoice::Preset(LifetimePreset::Years2),
            365,
            "BeyondMax:at most 365 days",
        ),
        (
            "a policy of zero days",
            LifetimeChoice::Preset(LifetimePreset::Days90),
            0,
            "BeyondMax",
        ),
    ];
    let mut cat = Catalogue::new("lifetimes and dates");
    for (name, choice, max, expected) in cases {
        cat.row(name, || {
            let got = validate(choice, &now(), max);
            judge(
                got,
                expected,
                |_| String::new(),
                LifetimeError::user_message,
            )
        });
    }
    cat.row("time zones: the user's date decides", || {
        let kiritimati = now().with_timezone(&FixedOffset::east_opt(14 * 3600).unwrap());
        let r = validate(custom(date(2026, 11, 27)), &kiritimati, 730);
        (r != Err(LifetimeError::NotInFuture))
            .then(|| format!("{r:?}: it is already the 27th there"))
    });
    cat.finish(12);
}

fn limits(today: NaiveDate) -> Limits<'static> {
    Limits {
        max_days: 730,
        today,
        allowed_vaults: &[],
    }
}

#[test]
fn handoff_links() {
    let cases: Value = serde_json::from_str(&fixture("text-cases.json")).unwrap();
    let rows: Vec<(String, String, String)> =
        serde_json::from_value(cases["handoff"].clone()).unwrap();
    let today = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
    let mut cat = Catalogue::new("hand-off links");
    for (name, query, expected) in rows {
        cat.row(&name, || {
            let got = handoff::parse(&query, &limits(today));
            if expected == "None" {
                return match got {
                    Ok(None) => None,
                    other => Some(format!("not a hand-off link, yet {other:?}")),
                };
            }
            let got = match got {
                Ok(None) => return Some("not read as a hand-off link".into()),
                Ok(Some(h)) => Ok(h),
                Err(e) => Err(e),
            };
            judge(got, &expected, |_| String::new(), |e| e.user_message())
        });
    }
    let long_name = format!("?handoff=v1&{}=1", "x".repeat(1500));
    cat.row("a 1,500-character parameter name is quoted short", || {
        let e = handoff::parse(&long_name, &limits(today)).expect_err("expected an error, got Ok");
        (e.user_message().len() > 300).then(|| format!("{} bytes", e.user_message().len()))
    });
    let too_long = format!(
        "?handoff=v1&app=5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c&name={}",
        "a".repeat(3000)
    );
    cat.row("longer than any link the site makes", || {
        judge(
            handoff::parse(&too_long, &limits(today)),
            "TooLong",
            |_| String::new(),
            |e| e.user_message(),
        )
    });
    let allowed = secret_wizard::config::VaultRef::parse(
        "/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-one",
    )
    .unwrap();
    cat.row("a vault config.json does not allow", || {
        let only = [allowed.clone()];
        let l = Limits { allowed_vaults: &only, ..limits(today) };
        let q = "?handoff=v1&app=5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c&vault=/subscriptions/11111111-2222-4333-8444-555555555555/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-other";
        judge(handoff::parse(q, &l), "VaultNotAllowed:\"kv-other\"", |_| String::new(), |e| e.user_message())
    });
    cat.finish(40);
}
