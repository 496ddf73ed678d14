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
mod tests;
