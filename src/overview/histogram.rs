//! When things expire: one bucket per calendar month for the next 12 months (the current
//! month first, counted from now), plus "expired" and "later".
//!
//! Months are calendar months in the user's time zone (the offset of `now`). Credentials
//! without an end date and apps without credentials are not in any bucket. The overview
//! builds it from the same rows as the counts (owned-by-me and search applied, status chips
//! not), so the picture stays put while the chips change.

use chrono::{DateTime, Datelike, FixedOffset};

use super::model::Row;

/// How many month buckets follow "expired".
pub const MONTHS: usize = 12;

/// One calendar month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MonthBucket {
    pub year: i32,
    /// 1–12.
    pub month: u32,
    pub count: usize,
}

impl MonthBucket {
    /// "Dec 2026".
    pub fn label(&self) -> String {
        const NAMES: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        format!("{} {}", NAMES[(self.month - 1) as usize], self.year)
    }
}

/// The picture's data.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Histogram {
    /// Already expired (end at or before now).
    pub expired: usize,
    /// The current month and the 11 after it.
    pub months: Vec<MonthBucket>,
    /// Ending after the last month bucket.
    pub later: usize,
}

impl Histogram {
    /// Buckets for `indexes` into `rows`, seen at `now`.
    pub fn of(rows: &[Row], indexes: &[usize], now: &DateTime<FixedOffset>) -> Histogram {
        let first = month_number(now.year(), now.month());
        let mut months: Vec<MonthBucket> = (0..MONTHS as i64)
            .map(|k| {
                let n = first + k;
                MonthBucket {
                    year: n.div_euclid(12) as i32,
                    month: n.rem_euclid(12) as u32 + 1,
                    count: 0,
                }
            })
            .collect();
        let (mut expired, mut later) = (0, 0);
        let now_utc = now.to_utc();
        for end in indexes.iter().filter_map(|&i| rows[i].end) {
            if end <= now_utc {
                expired += 1;
                continue;
            }
            let local = end.with_timezone(&now.timezone());
            let k = month_number(local.year(), local.month()) - first;
            match months.get_mut(k as usize) {
                Some(bucket) if k >= 0 => bucket.count += 1,
                _ => later += 1,
            }
        }
        Histogram {
            expired,
            months,
            later,
        }
    }

    /// The largest bucket (for scaling bars); at least 1.
    pub fn max(&self) -> usize {
        self.months
            .iter()
            .map(|m| m.count)
            .chain([self.expired, self.later])
            .max()
            .unwrap_or(0)
            .max(1)
    }

    /// Every bucket as (label, count), in display order: expired, the months, later.
    pub fn bars(&self) -> Vec<(String, usize)> {
        let mut out = vec![("Expired".to_string(), self.expired)];
        out.extend(self.months.iter().map(|m| (m.label(), m.count)));
        let after = self
            .months
            .last()
            .map_or_else(String::new, |m| format!("After {}", m.label()));
        out.push((after, self.later));
        out
    }
}

fn month_number(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}
