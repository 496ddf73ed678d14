//! encode/parse round trips and every way a link is refused, hostile ones included.

use chrono::NaiveDate;

use crate::config::VaultRef;
use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
use crate::domain::naming::SecretNameError;
use crate::handoff::error::HandoffError;
use crate::handoff::link::{encode, link, parse, Handoff, Lifetime, Limits};

mod state;

pub(super) const APP: &str = "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f";
pub(super) const VAULT: &str = "/subscriptions/2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f/resourceGroups/rg-secrets/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

fn limits() -> Limits<'static> {
    Limits {
        max_days: 730,
        today: today(),
        allowed_vaults: &[],
    }
}

fn full() -> Handoff {
    Handoff {
        app: APP.into(),
        lifetime: Some(Lifetime::Days(180)),
        vault: VaultRef::parse(VAULT),
        name: Some("payroll-api-client-secret".into()),
    }
}

fn refused(query: &str) -> HandoffError {
    parse(query, &limits()).expect_err(query)
}

#[test]
fn encode_makes_the_documented_link_and_parse_reads_it_back() {
    let q = encode(&full());
    assert_eq!(
        q,
        format!(
            "?handoff=v1&app={APP}&days=180&vault=%2Fsubscriptions%2F2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f%2FresourceGroups%2Frg-secrets%2Fproviders%2FMicrosoft.KeyVault%2Fvaults%2Fkv-contoso-dev&name=payroll-api-client-secret"
        )
    );
    assert_eq!(parse(&q, &limits()), Ok(Some(full())));
    assert_eq!(
        link("https://wizard.contoso.example/?old=1#frag", &full()),
        format!("https://wizard.contoso.example/{q}")
    );
}

#[test]
fn minimal_and_until_links_round_trip() {
    let minimal = Handoff {
        app: APP.into(),
        lifetime: None,
        vault: None,
        name: None,
    };
    assert_eq!(encode(&minimal), format!("?handoff=v1&app={APP}"));
    assert_eq!(parse(&encode(&minimal), &limits()), Ok(Some(minimal)));
    let until = Handoff {
        lifetime: Some(Lifetime::Until(
            NaiveDate::from_ymd_opt(2027, 5, 25).unwrap(),
        )),
        ..full()
    };
    assert!(encode(&until).contains("&until=2027-05-25&"));
    assert_eq!(parse(&encode(&until), &limits()), Ok(Some(until)));
}

#[test]
fn pages_without_hand_off_parameters_are_not_hand_offs() {
    assert_eq!(parse("", &limits()), Ok(None));
    assert_eq!(parse("?", &limits()), Ok(None));
    assert_eq!(parse("?utm_source=mail&x=1", &limits()), Ok(None));
}

#[test]
fn the_client_id_is_lower_cased_and_the_provider_is_case_insensitive() {
    let q = format!(
        "handoff=v1&app={}&vault={}",
        APP.to_uppercase(),
        VAULT.replace("Microsoft.KeyVault", "microsoft.keyvault")
    );
    let h = parse(&q, &limits()).unwrap().unwrap();
    assert_eq!(h.app, APP);
    assert_eq!(h.vault.unwrap().name, "kv-contoso-dev");
}

#[test]
fn unknown_parameters_are_refused_by_name() {
    let e = refused(&format!(
        "?handoff=v1&app={APP}&redirect=https%3A%2F%2Fevil.example"
    ));
    assert_eq!(e, HandoffError::UnknownParameter("redirect".into()));
    assert!(e.user_message().contains("\"redirect\""));
    // Names are case-sensitive: APP is not app.
    assert_eq!(
        refused(&format!("?handoff=v1&APP={APP}")),
        HandoffError::UnknownParameter("APP".into())
    );
    // A hostile name is shortened and made printable in the message.
    let e = refused(&format!(
        "?handoff=v1&app={APP}&%3Cscript%3E%0Aalert(1)%3C%2Fscript%3E{}=1",
        "x".repeat(60)
    ));
    match &e {
        HandoffError::UnknownParameter(n) => {
            assert!(n.starts_with("<script>?alert(1)</script>xx") && n.ends_with('…'));
            assert_eq!(n.chars().count(), 41);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn secrets_and_tokens_are_refused_as_such() {
    for key in [
        "secret",
        "access_token",
        "id_token",
        "code",
        "client_secret",
        "password",
    ] {
        let e = refused(&format!("?handoff=v1&app={APP}&{key}=abc~123"));
        assert_eq!(e, HandoffError::CarriesCredential(key.into()), "{key}");
        assert!(e.user_message().contains("never carry secrets or tokens"));
    }
}

#[test]
fn duplicated_parameters_are_refused() {
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&app={APP}")),
        HandoffError::Duplicate("app")
    );
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&days=90&days=730")),
        HandoffError::Duplicate("days")
    );
    assert_eq!(
        refused(&format!("?handoff=v1&handoff=v1&app={APP}")),
        HandoffError::Duplicate("handoff")
    );
}

#[test]
fn the_version_must_be_v1_and_present() {
    assert_eq!(
        refused(&format!("?app={APP}&days=90")),
        HandoffError::MissingVersion
    );
    assert_eq!(
        refused(&format!("?handoff=v2&app={APP}")),
        HandoffError::UnsupportedVersion("v2".into())
    );
    assert_eq!(
        refused(&format!("?handoff=V1&app={APP}")),
        HandoffError::UnsupportedVersion("V1".into())
    );
}

#[test]
fn the_app_must_be_a_guid() {
    assert_eq!(refused("?handoff=v1"), HandoffError::MissingApp);
    for bad in [
        "",
        "Payroll%20API",
        "7c1d2e3f4a5b4c6d8e9f0a1b2c3d4e5f",
        "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5g",
        "7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f%27%20or%201%3D1",
        "%7B7c1d2e3f-4a5b-4c6d-8e9f-0a1b2c3d4e5f%7D",
    ] {
        assert_eq!(
            refused(&format!("?handoff=v1&app={bad}")),
            HandoffError::InvalidApp,
            "{bad}"
        );
    }
}

#[test]
fn days_are_whole_numbers_within_the_policy_maximum() {
    let ok = |d: &str| parse(&format!("?handoff=v1&app={APP}&days={d}"), &limits());
    assert_eq!(ok("1").unwrap().unwrap().lifetime, Some(Lifetime::Days(1)));
    assert_eq!(
        ok("730").unwrap().unwrap().lifetime,
        Some(Lifetime::Days(730))
    );
    for bad in [
        "0",
        "731",
        "-5",
        "+90",
        "090",
        "90.5",
        "1e3",
        "%2090",
        "",
        "99999999999",
    ] {
        assert_eq!(
            ok(bad),
            Err(HandoffError::InvalidDays { max_days: 730 }),
            "{bad}"
        );
    }
    let strict = Limits {
        max_days: 180,
        ..limits()
    };
    let e = parse(&format!("?handoff=v1&app={APP}&days=365"), &strict).unwrap_err();
    assert_eq!(e, HandoffError::InvalidDays { max_days: 180 });
    assert!(e.user_message().contains("from 1 to 180"));
}

#[test]
fn until_dates_are_checked_and_exclusive_with_days() {
    let q = |u: &str| parse(&format!("?handoff=v1&app={APP}&until={u}"), &limits());
    assert_eq!(
        q("2026-11-26"),
        Err(HandoffError::DateOutOfRange { max_days: 730 })
    );
    assert_eq!(
        q("2028-11-26"),
        Err(HandoffError::DateOutOfRange { max_days: 730 })
    );
    assert!(q("2028-11-25").is_ok());
    for bad in [
        "2027-02-30",
        "27-05-25",
        "2027-5-25",
        "2027-05-25T00:00",
        "+2027-05-2",
    ] {
        assert_eq!(q(bad), Err(HandoffError::InvalidDate), "{bad}");
    }
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&days=90&until=2027-01-01")),
        HandoffError::BothDaysAndUntil
    );
}

#[test]
fn vaults_must_be_key_vault_resource_ids_and_allowed() {
    let q = |v: &str| parse(&format!("?handoff=v1&app={APP}&vault={v}"), &limits());
    for bad in [
        "kv-contoso-dev",
        "https%3A%2F%2Fkv-contoso-dev.vault.azure.net%2F",
        "/subscriptions/not-a-guid/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a",
        "/subscriptions/2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/sa1",
        "/subscriptions/2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a/secrets/s",
        "/subscriptions/2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f/resourceGroups/%3Cb%3E/providers/Microsoft.KeyVault/vaults/kv-a",
        "/subscriptions/2f4a9c1e-0b3d-4e6f-8a7c-5d9e1b2c3a4f/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-a/",
    ] {
        assert_eq!(q(bad), Err(HandoffError::InvalidVault), "{bad}");
    }
    let other = VaultRef::parse(&VAULT.replace("kv-contoso-dev", "kv-other")).unwrap();
    let allowed = [other];
    let only_other = Limits {
        allowed_vaults: &allowed,
        ..limits()
    };
    let e = parse(&encode(&full()), &only_other).unwrap_err();
    assert_eq!(e, HandoffError::VaultNotAllowed("kv-contoso-dev".into()));
    let mine = [VaultRef::parse(&VAULT.to_lowercase()).unwrap()];
    let only_mine = Limits {
        allowed_vaults: &mine,
        ..limits()
    };
    assert!(parse(&encode(&full()), &only_mine).is_ok());
}

#[test]
fn secret_names_must_be_valid_for_key_vault() {
    let q = |n: &str| parse(&format!("?handoff=v1&app={APP}&name={n}"), &limits());
    assert_eq!(
        q(""),
        Err(HandoffError::InvalidName(SecretNameError::Empty))
    );
    assert_eq!(
        q("my_secret%2F..%2Fx"),
        Err(HandoffError::InvalidName(
            SecretNameError::InvalidCharacters("_/.".into())
        ))
    );
    assert!(matches!(
        q(&"a".repeat(128)),
        Err(HandoffError::InvalidName(SecretNameError::TooLong {
            chars: 128
        }))
    ));
    let e = q("a+b").unwrap_err();
    assert!(
        e.user_message().contains("remove spaces."),
        "{}",
        e.user_message()
    );
}

#[test]
fn broken_encoding_and_oversized_links_are_refused() {
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&name=%ZZ")),
        HandoffError::Malformed
    );
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&name=%C3")),
        HandoffError::Malformed
    );
    assert_eq!(
        refused(&format!("?handoff=v1&app={APP}&name=abc%")),
        HandoffError::Malformed
    );
    let long = format!("?handoff=v1&app={APP}&name={}", "a".repeat(2100));
    assert_eq!(refused(&long), HandoffError::TooLong);
}

#[test]
fn the_lifetime_becomes_the_wizards_choice() {
    let with = |l| Handoff {
        lifetime: l,
        ..full()
    };
    assert_eq!(
        with(Some(Lifetime::Days(180))).lifetime_choice(today()),
        Some(LifetimeChoice::Preset(LifetimePreset::Days180))
    );
    assert_eq!(
        with(Some(Lifetime::Days(45))).lifetime_choice(today()),
        Some(LifetimeChoice::Custom(
            NaiveDate::from_ymd_opt(2027, 1, 10).unwrap()
        ))
    );
    let d = NaiveDate::from_ymd_opt(2027, 3, 1).unwrap();
    assert_eq!(
        with(Some(Lifetime::Until(d))).lifetime_choice(today()),
        Some(LifetimeChoice::Custom(d))
    );
    assert_eq!(with(None).lifetime_choice(today()), None);
}

#[test]
fn messages_say_what_is_wrong_and_what_to_do() {
    let e = refused(&format!("?handoff=v1&app={APP}&days=9000"));
    assert_eq!(
        e.user_message(),
        "This hand-off link can't be used: its lifetime (\"days\") must be a whole number of days \
         from 1 to 730. Ask the person who sent it for a new link; nothing was prepared."
    );
}
