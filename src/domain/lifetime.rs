//! How long a new secret lives: presets, a custom date, and the policy maximum.
//!
//! A preset's end is `now + days` exactly. A custom date keeps `now`'s time of day, counted in
//! `now`'s time zone, so "the 25th" means the user's 25th. Nothing may end in the past, less
//! than a day ahead, or beyond the configured maximum.

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
    /// Longer than the policy allows; `latest` is the last allowed date.
    BeyondMax { max_days: u32, latest: NaiveDate },
}

impl LifetimeError {
    pub fn user_message(&self) -> String {
        match self {
            LifetimeError::NotInFuture => "Choose a date at least one day from today.".into(),
            LifetimeError::BeyondMax { max_days, latest } => format!(
                "Your organisation allows secrets to last at most {max_days} days. \
                 Choose {} or earlier.",
                super::expiry::day_month_year(*latest)
            ),
        }
    }
}

impl std::fmt::Display for LifetimeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for LifetimeError {}

/// Checks a choice against `now` and the policy maximum, and gives the end to request.
pub fn validate<Tz: TimeZone>(
    choice: LifetimeChoice,
    now: &DateTime<Tz>,
    max_days: u32,
) -> Result<EndDate, LifetimeError> {
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
                latest: date(2027, 5, 25)
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
}
