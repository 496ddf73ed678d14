use super::*;
use chrono::FixedOffset;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 42, 7).unwrap()
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

#[test]
fn presets_end_exactly_n_days_later() {
    for p in LifetimePreset::ALL {
        let e = validate(LifetimeChoice::Preset(p), &now(), 730).unwrap();
        assert_eq!(e.end, now() + Duration::days(p.days().into()));
        assert_eq!(e.days, p.days());
    }
    let two_years = validate(LifetimeChoice::Preset(LifetimePreset::Years2), &now(), 730);
    assert_eq!(
        two_years.unwrap().end,
        Utc.with_ymd_and_hms(2028, 11, 25, 10, 42, 7).unwrap()
    );
}

#[test]
fn presets_beyond_the_maximum_are_refused() {
    let e = validate(LifetimeChoice::Preset(LifetimePreset::Year1), &now(), 180);
    assert_eq!(
        e,
        Err(LifetimeError::BeyondMax {
            max_days: 180,
            latest: date(2027, 5, 25),
            reason: LimitReason::Site,
        })
    );
    assert_eq!(
        e.unwrap_err().user_message(),
        "Your organisation allows secrets to last at most 180 days. Choose 25 May 2027 or earlier."
    );
    assert_eq!(
        LifetimePreset::within(365),
        vec![
            LifetimePreset::Days90,
            LifetimePreset::Days180,
            LifetimePreset::Year1
        ]
    );
}

#[test]
fn custom_dates_must_be_at_least_a_day_ahead_and_within_max() {
    let c = |d| validate(LifetimeChoice::Custom(d), &now(), 180);
    assert_eq!(c(date(2026, 11, 26)), Err(LifetimeError::NotInFuture));
    assert_eq!(c(date(2020, 1, 1)), Err(LifetimeError::NotInFuture));
    let tomorrow = c(date(2026, 11, 27)).unwrap();
    assert_eq!(tomorrow.days, 1);
    assert_eq!(tomorrow.end, now() + Duration::days(1));
    assert_eq!(c(date(2027, 5, 25)).unwrap().days, 180);
    assert!(matches!(
        c(date(2027, 5, 26)),
        Err(LifetimeError::BeyondMax { .. })
    ));
}

#[test]
fn custom_dates_count_in_the_users_time_zone() {
    // 10:42Z on the 26th is already 20:42 on the 26th in UTC+10, but 23:42 on the 25th in
    // UTC-11: the same picked date is one day further away there.
    let syd = now().with_timezone(&FixedOffset::east_opt(10 * 3600).unwrap());
    let pago = now().with_timezone(&FixedOffset::west_opt(11 * 3600).unwrap());
    let pick = LifetimeChoice::Custom(date(2026, 12, 6));
    assert_eq!(validate(pick, &syd, 730).unwrap().days, 10);
    assert_eq!(validate(pick, &pago, 730).unwrap().days, 11);
    assert_eq!(
        validate(pick, &pago, 730).unwrap().end,
        now() + Duration::days(11)
    );
}

#[test]
fn default_is_clipped_to_the_maximum() {
    assert_eq!(
        default_choice(730, 730, &now()),
        LifetimeChoice::Preset(LifetimePreset::Years2)
    );
    assert_eq!(
        default_choice(730, 180, &now()),
        LifetimeChoice::Preset(LifetimePreset::Days180)
    );
    assert_eq!(
        default_choice(730, 200, &now()),
        LifetimeChoice::Custom(date(2027, 6, 14))
    );
    let clipped = default_choice(730, 200, &now());
    assert_eq!(validate(clipped, &now(), 200).unwrap().days, 200);
}

#[test]
fn the_built_in_default_is_the_180_day_preset_and_a_lower_limit_clips_it() {
    let default = crate::config::DEFAULT_LIFETIME_DAYS;
    assert_eq!(default, 180, "under 12 months, as Microsoft advises");
    assert!(default < crate::config::DEFAULT_MAX_LIFETIME_DAYS);
    assert_eq!(
        default_choice(default, 730, &now()),
        LifetimeChoice::Preset(LifetimePreset::Days180)
    );
    // An app management policy (or config) allowing 90 days clips it.
    let policy = Limit::of(730, Some(90), None);
    assert_eq!(
        default_choice(default, policy.max_days, &now()),
        LifetimeChoice::Preset(LifetimePreset::Days90)
    );
    assert_eq!(
        default_choice(default, 120, &now()),
        LifetimeChoice::Custom(date(2027, 3, 26))
    );
}

#[test]
fn the_limit_is_the_smallest_stated_one_and_says_where_it_comes_from() {
    assert_eq!(Limit::of(730, None, None), Limit::site(730));
    let policy = Limit::of(730, Some(180), None);
    assert_eq!((policy.max_days, policy.reason), (180, LimitReason::Policy));
    assert_eq!(
        policy.sentence("Your organisation's policy"),
        "Your organisation's policy allows secrets for this app to last at most 180 days."
    );
    // The site's own cap still applies when it is smaller.
    assert_eq!(Limit::of(90, Some(180), None), Limit::site(90));
    assert_eq!(
        Limit::site(90).sentence("ignored"),
        "Secrets here can last at most 90 days."
    );
    // On a tie the policy is named.
    assert_eq!(Limit::of(180, Some(180), None).reason, LimitReason::Policy);
    // A refusal of 1 year: shorter than that, and no number claimed as the maximum.
    let refused = Limit::of(730, None, Some(365));
    assert_eq!(refused.max_days, 364);
    assert_eq!(refused.reason, LimitReason::Refused { tried_days: 365 });
    let words = refused.sentence("Your organisation's policy");
    assert_eq!(
        words,
        "Your organisation's policy allows secrets for this app to last less than 1 year; \
         Microsoft Graph doesn't say how much less, so only shorter lifetimes are offered."
    );
    assert!(!words.contains("364"));
    assert_eq!(
        LifetimePreset::within(refused.max_days).last(),
        Some(&LifetimePreset::Days180)
    );
    // A policy shorter than a day offers nothing, and says so.
    let tiny = Limit::of(730, Some(0), None);
    assert!(LifetimePreset::within(tiny.max_days).is_empty());
    assert!(tiny
        .sentence("Your organisation's policy")
        .contains("less than a day"));
    assert_eq!(days_words(365), "1 year");
    assert_eq!(days_words(200), "200 days");
    assert_eq!(days_words(1), "1 day");
}

#[test]
fn beyond_the_limit_the_words_follow_its_reason() {
    let refused = Limit::of(730, None, Some(365));
    let e = validate_within(
        LifetimeChoice::Preset(LifetimePreset::Year1),
        &now(),
        refused,
    )
    .unwrap_err();
    assert_eq!(
        e.user_message(),
        "Your organisation's policy allows secrets for this app to last less than 1 year. \
         Choose 25 Nov 2027 or earlier."
    );
    let ok = validate_within(LifetimeChoice::Custom(date(2027, 11, 25)), &now(), refused);
    assert_eq!(ok.unwrap().days, 364);
    let policy = Limit::of(730, Some(180), None);
    let e = validate_within(
        LifetimeChoice::Preset(LifetimePreset::Year1),
        &now(),
        policy,
    )
    .unwrap_err();
    assert_eq!(
        e.user_message(),
        "Your organisation's policy allows secrets for this app to last at most 180 days. \
         Choose 25 May 2027 or earlier."
    );
    assert!(validate_within(
        LifetimeChoice::Preset(LifetimePreset::Days180),
        &now(),
        policy
    )
    .is_ok());
}
