//! Filters of the overview and the counts shown above the table.
//!
//! Three filters combine with AND: the status chips, "owned by me", and a text search over
//! app name, client ID, description and keyId (case-insensitive, substring).
//!
//! - The **OK** chip covers credentials ending in more than 90 days and credentials without an
//!   end date ("No expiry": Graph allows them, the table says so).
//! - Apps **without credentials** have one "none" row. It is shown only in the "all" view
//!   (every status chip on): narrowing to a status means "credentials with that status", and
//!   such an app has none. It is never counted in a status count; [`Counts::without_credentials`]
//!   counts those apps instead.
//! - The **counts** are taken over the rows that pass "owned by me" and the search, not the
//!   status chips, so each chip shows how many rows it would add.

use super::model::{Kind, Row};
use crate::domain::ExpiryStatus;

/// A status chip.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Chip {
    Expired,
    Critical,
    Warning,
    Ok,
}

impl Chip {
    pub const ALL: [Chip; 4] = [Chip::Expired, Chip::Critical, Chip::Warning, Chip::Ok];

    /// The chip a credential's status falls under; `None` for an app without credentials.
    pub fn of(row: &Row) -> Option<Chip> {
        if row.kind == Kind::None {
            return None;
        }
        Some(match row.status {
            ExpiryStatus::Expired => Chip::Expired,
            ExpiryStatus::Critical => Chip::Critical,
            ExpiryStatus::Warning => Chip::Warning,
            ExpiryStatus::Ok | ExpiryStatus::NoExpiry => Chip::Ok,
        })
    }

    pub fn label(self) -> &'static str {
        match self {
            Chip::Expired => "Expired",
            Chip::Critical => "Within 30 days",
            Chip::Warning => "Within 90 days",
            Chip::Ok => "OK",
        }
    }

    /// Stable key for CSS classes and tests (the same as [`ExpiryStatus::key`]).
    pub fn key(self) -> &'static str {
        match self {
            Chip::Expired => "expired",
            Chip::Critical => "critical",
            Chip::Warning => "warning",
            Chip::Ok => "ok",
        }
    }

    /// The classes of its count at the top: `ov-count ov-count-{key}`.
    pub fn count_class(self) -> &'static str {
        match self {
            Chip::Expired => "ov-count ov-count-expired",
            Chip::Critical => "ov-count ov-count-critical",
            Chip::Warning => "ov-count ov-count-warning",
            Chip::Ok => "ov-count ov-count-ok",
        }
    }

    /// The classes of its badge: `badge badge-{key}`.
    pub fn badge_class(self) -> &'static str {
        match self {
            Chip::Expired => "badge badge-expired",
            Chip::Critical => "badge badge-critical",
            Chip::Warning => "badge badge-warning",
            Chip::Ok => "badge badge-ok",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// What the user narrowed the overview to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    pub(super) chips: [bool; 4],
    pub owned_only: bool,
    /// As typed; trimmed and lower-cased when applied.
    pub query: String,
}

impl Default for Filter {
    /// Everything: every chip on, all apps, no search.
    fn default() -> Self {
        Filter {
            chips: [true; 4],
            owned_only: false,
            query: String::new(),
        }
    }
}

impl Filter {
    pub fn chip(&self, chip: Chip) -> bool {
        self.chips[chip.index()]
    }

    pub fn set_chip(&mut self, chip: Chip, on: bool) {
        self.chips[chip.index()] = on;
    }

    /// True when every status chip is on (the "all" view, which also lists apps without
    /// credentials).
    pub fn all_statuses(&self) -> bool {
        self.chips.iter().all(|c| *c)
    }

    fn needle(&self) -> String {
        crate::net::lowercase(self.query.trim())
    }

    fn passes_scope(&self, row: &Row, needle: &str) -> bool {
        (!self.owned_only || row.owned_by_me == Some(true)) && row.matches_text(needle)
    }

    fn passes_status(&self, row: &Row) -> bool {
        match Chip::of(row) {
            Some(chip) => self.chip(chip),
            None => self.all_statuses(),
        }
    }

    /// Indexes of the rows that pass every filter, in the rows' (urgency) order.
    pub fn apply(&self, rows: &[Row]) -> Vec<usize> {
        let needle = self.needle();
        rows.iter()
            .enumerate()
            .filter(|(_, r)| self.passes_scope(r, &needle) && self.passes_status(r))
            .map(|(i, _)| i)
            .collect()
    }

    /// Indexes of the rows that pass "owned by me" and the search (the counts' base).
    pub fn scope(&self, rows: &[Row]) -> Vec<usize> {
        let needle = self.needle();
        rows.iter()
            .enumerate()
            .filter(|(_, r)| self.passes_scope(r, &needle))
            .map(|(i, _)| i)
            .collect()
    }
}

/// The numbers above the table.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub expired: usize,
    pub critical: usize,
    pub warning: usize,
    /// More than 90 days left, or no end date.
    pub ok: usize,
    /// Of which without an end date.
    pub no_expiry: usize,
    /// Apps without any credential.
    pub without_credentials: usize,
}

impl Counts {
    /// Counts over `indexes` into `rows` (usually [`Filter::scope`]).
    pub fn of(rows: &[Row], indexes: &[usize]) -> Counts {
        let mut c = Counts::default();
        for row in indexes.iter().map(|&i| &rows[i]) {
            match Chip::of(row) {
                Some(Chip::Expired) => c.expired += 1,
                Some(Chip::Critical) => c.critical += 1,
                Some(Chip::Warning) => c.warning += 1,
                Some(Chip::Ok) => {
                    c.ok += 1;
                    if row.status == ExpiryStatus::NoExpiry {
                        c.no_expiry += 1;
                    }
                }
                None => c.without_credentials += 1,
            }
        }
        c
    }

    pub fn get(&self, chip: Chip) -> usize {
        match chip {
            Chip::Expired => self.expired,
            Chip::Critical => self.critical,
            Chip::Warning => self.warning,
            Chip::Ok => self.ok,
        }
    }

    /// Credentials counted (every chip).
    pub fn credentials(&self) -> usize {
        self.expired + self.critical + self.warning + self.ok
    }
}
