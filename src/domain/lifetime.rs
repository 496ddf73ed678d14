//! How long a new secret lives: presets, a custom date, and the longest lifetime allowed.
//!
//! A preset's end is `now + days` exactly. A custom date keeps `now`'s time of day, counted in
//! `now`'s time zone, so "the 25th" means the user's 25th. Nothing may end in the past, less
//! than a day ahead, or beyond the [`Limit`]: the smallest of the site's
//! `policy.maxLifetimeDays`, the organisation's policy when it could be read beforehand, and
//! "shorter than what Graph refused" after a refusal. A refusal never says the maximum, so the
//! last one is worded without a number of its own (no invented limits).

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};

/// The lifetimes offered as radio buttons.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LifetimePreset {
    Days90,
    Days180,
    Year1,
    Months18,
    Years2,
}

impl LifetimePreset {
    /// All presets, shortest first.
    pub const ALL: [LifetimePreset; 5] = [
        LifetimePreset::Days90,
        LifetimePreset::Days180,
        LifetimePreset::Year1,
        LifetimePreset::Months18,
        LifetimePreset::Years2,
    ];

    pub fn days(self) -> u32 {
        match self {
            LifetimePreset::Days90 => 90,
            LifetimePreset::Days180 => 180,
            LifetimePreset::Year1 => 365,
            LifetimePreset::Months18 => 548,
            LifetimePreset::Years2 => 730,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LifetimePreset::Days90 => "90 days",
            LifetimePreset::Days180 => "180 days",
            LifetimePreset::Year1 => "1 year",
            LifetimePreset::Months18 => "18 months",
            LifetimePreset::Years2 => "2 years",
        }
    }

    /// The presets a policy maximum allows.
    pub fn within(max_days: u32) -> Vec<LifetimePreset> {
        Self::ALL
            .into_iter()
            .filter(|p| p.days() <= max_days)
            .collect()
    }
}

/// Where the longest offered lifetime comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LimitReason {
    /// `policy.maxLifetimeDays` in config.json.
    Site,
    /// The organisation's app management policy, read beforehand (it states its maximum).
    Policy,
    /// Microsoft Graph refused a secret of `tried_days`: the policy allows less, by an amount it
    /// doesn't say.
    Refused { tried_days: u32 },
}

/// The longest lifetime to offer, in whole days, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub max_days: u32,
    pub reason: LimitReason,
}

impl Limit {
    pub fn site(max_days: u32) -> Self {
        Self {
            max_days,
            reason: LimitReason::Site,
        }
    }

    /// The smallest of the site's maximum, the policy's (whole days) and, after a refusal,
    /// one day less than what was refused. On a tie the policy's reason is given, then the
    /// refusal's, then the site's: the most informative one.
    pub fn of(site_days: u32, policy_days: Option<u32>, refused_days: Option<u32>) -> Self {
        let candidates = [
            policy_days.map(|d| (d, LimitReason::Policy)),
            refused_days.map(|t| (t.saturating_sub(1), LimitReason::Refused { tried_days: t })),
            Some((site_days, LimitReason::Site)),
        ];
        let (max_days, reason) = candidates
            .into_iter()
            .flatten()
            .min_by_key(|(d, _)| *d)
            .unwrap_or((site_days, LimitReason::Site));
        Self { max_days, reason }
    }

    /// The sentence beside the lifetimes. `policy_who` names the policy ("Your organisation's
    /// policy"), for [`LimitReason::Policy`].
    pub fn sentence(&self, policy_who: &str) -> String {
        let n = self.max_days;
        match self.reason {
            LimitReason::Site => format!("Secrets here can last at most {n} days."),
            LimitReason::Policy if n == 0 => format!(
                "{policy_who} allows secrets for this app to last less than a day, shorter than \
                 any lifetime offered here."
            ),
            LimitReason::Policy => {
                format!("{policy_who} allows secrets for this app to last at most {n} days.")
            }
            LimitReason::Refused { tried_days } => format!(
                "Your organisation's policy allows secrets for this app to last less than {}; \
                 Microsoft Graph doesn't say how much less, so only shorter lifetimes are offered.",
                days_words(tried_days)
            ),
        }
    }
}

/// "1 year", "180 days": a preset's label when `days` is one, else "N days".
pub fn days_words(days: u32) -> String {
    LifetimePreset::ALL
        .into_iter()
        .find(|p| p.days() == days)
        .map(|p| p.label().to_string())
        .unwrap_or_else(|| {
            if days == 1 {
                "1 day".into()
            } else {
                format!("{days} days")
            }
        })
}

/// What the user picked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LifetimeChoice {
    Preset(LifetimePreset),
    /// A calendar date in the user's time zone.
    Custom(NaiveDate),
}

/// A valid end: the instant to send as `endDateTime`, and the whole days it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EndDate {
    pub end: DateTime<Utc>,
    pub days: u32,
}

/// Why a lifetime was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LifetimeError {
    /// A custom date today or earlier.
    NotInFuture,
    /// Longer than the limit allows; `latest` is the last allowed date.
    BeyondMax {
        max_days: u32,
        latest: NaiveDate,
        reason: LimitReason,
    },
}

impl LifetimeError {
    pub fn user_message(&self) -> String {
        match self {
            LifetimeError::NotInFuture => "Choose a date at least one day from today.".into(),
            LifetimeError::BeyondMax {
                max_days,
                latest,
                reason,
            } => {
                let latest = super::expiry::day_month_year(*latest);
                match reason {
                    LimitReason::Site => format!(
                        "Your organisation allows secrets to last at most {max_days} days. \
                         Choose {latest} or earlier."
                    ),
                    LimitReason::Policy if *max_days == 0 => {
                        "Your organisation's policy allows secrets for this app to last less \
                         than a day, shorter than any lifetime offered here."
                            .into()
                    }
                    LimitReason::Policy => format!(
                        "Your organisation's policy allows secrets for this app to last at most \
                         {max_days} days. Choose {latest} or earlier."
                    ),
                    LimitReason::Refused { tried_days } => format!(
                        "Your organisation's policy allows secrets for this app to last less than \
                         {}. Choose {latest} or earlier.",
                        days_words(*tried_days)
                    ),
                }
            }
        }
    }
}

impl std::fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for LifetimeError {}

/// Checks a choice against `now` and the site's maximum, and gives the end to request.
pub fn validate<Tz: TimeZone>(
    choice: LifetimeChoice,
    now: &DateTime<Tz>,
    max_days: u32,
) -> Result<EndDate, LifetimeError> {
    validate_within(choice, now, Limit::site(max_days))
}

/// Checks a choice against `now` and a [`Limit`], and gives the end to request.
pub fn validate_within<Tz: TimeZone>(
    choice: LifetimeChoice,
    now: &DateTime<Tz>,
    limit: Limit,
) -> Result<EndDate, LifetimeError> {
    let Limit { max_days, reason } = limit;
    let days: i64 = match choice {
        LifetimeChoice::Preset(p) => p.days().into(),
        LifetimeChoice::Custom(date) => (date - now.date_naive()).num_days(),
    };
    if days < 1 {
        return Err(LifetimeError::NotInFuture);
    }
    if days > i64::from(max_days) {
        return Err(LifetimeError::BeyondMax {
            max_days,
            latest: now.date_naive() + Duration::days(max_days.into()),
            reason,
        });
    }
    Ok(EndDate {
        end: now.with_timezone(&Utc) + Duration::days(days),
        days: days as u32,
    })
}

/// The pre-selected choice: the configured default, clipped to the maximum. A preset when one
/// matches, otherwise the matching custom date.
pub fn default_choice<Tz: TimeZone>(
    default_days: u32,
    max_days: u32,
    now: &DateTime<Tz>,
) -> LifetimeChoice {
    let days = default_days.min(max_days).max(1);
    LifetimePreset::ALL
        .into_iter()
        .find(|p| p.days() == days)
        .map(LifetimeChoice::Preset)
        .unwrap_or_else(|| LifetimeChoice::Custom(now.date_naive() + Duration::days(days.into())))
}

#[cfg(test)]
mod tests {
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
}
