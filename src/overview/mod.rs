//! The expiry overview: every credential of every app the user can see, sorted by urgency,
//! with filters, counts, a per-month picture and CSV/JSON export.
//!
//! Pure core (no browser types, tested natively): [`model`] (rows and urgency order),
//! [`filter`] (status chips, owned by me, search; counts), [`histogram`] (expiries per month),
//! [`export`] (CSV with a formula-injection guard, JSON), [`ics`] (an iCalendar file of
//! reminders: one event per expiry, alarms 90/30/7 days before, stable UIDs) and [`load`] (the sans-IO request
//! chains: `$select`, `$top=999`, `@odata.nextLink`; every app's owners with `$expand=owners`
//! in pages of 100, and the full lists of apps with 20 owners through `$batch`) and [`state`] (the page's reducer on the
//! runtime: which chain runs, stale answers dropped, failures in words). The browser shell
//! (`page`, `parts`, `browser`) only renders, runs the effects and offers the downloads.
//!
//! Decisions: one row per credential; an app without credentials has one "none" row that is
//! listed only in the "all" view (every status chip on) and exported only then; the counts
//! and the picture ignore the status chips (see [`filter`]).

pub mod export;
pub mod filter;
pub mod histogram;
pub mod ics;
pub mod load;
pub mod model;
pub mod renew;
pub mod state;

#[cfg(target_arch = "wasm32")]
mod browser;
#[cfg(target_arch = "wasm32")]
mod page;
#[cfg(target_arch = "wasm32")]
pub mod parts;
#[cfg(target_arch = "wasm32")]
pub use page::{OverviewPage, OverviewPageProps, PAGE};

pub use filter::{Chip, Counts, Filter};
pub use histogram::{Histogram, MonthBucket};
pub use load::{Loaded, Loader, Next, Owned, OwnedLoader, OwnedNext};
pub use model::{build_rows, mark_owned, Kind, Row};

#[cfg(test)]
mod tests;
