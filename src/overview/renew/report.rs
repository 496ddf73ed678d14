//! The run's report as CSV (RFC 4180, the overview export's formula guard): one line per
//! picked secret, what happened to it and why. Names and identifiers only: a value is never
//! part of a result.

use chrono::SecondsFormat;

use super::item::{Item, ItemResult};
use crate::overview::export::text_cell;

pub const CSV_COLUMNS: [&str; 11] = [
    "app_name",
    "app_object_id",
    "key_id",
    "description",
    "vault",
    "vault_secret",
    "result",
    "new_key_id",
    "new_end",
    "vault_version",
    "reason",
];

/// `secret-renewals-2026-12-04.csv` (the date in the user's calendar).
pub fn file_name(now: &chrono::DateTime<chrono::FixedOffset>) -> String {
    format!("secret-renewals-{}.csv", now.date_naive())
}

/// The words a result is shown with (and the CSV's `reason`).
pub fn reason(result: &ItemResult) -> std::borrow::Cow<'_, str> {
    match result {
        ItemResult::Renewed {
            refused_days: Some(days),
            ..
        } => format!(
            "The organisation's policy refused {}: renewed for less.",
            crate::domain::lifetime::days_words(*days)
        )
        .into(),
        ItemResult::Renewed { .. } => "".into(),
        ItemResult::Earlier { .. } => "Renewed by an earlier run (the vault's tags say so).".into(),
        ItemResult::Skipped(why) => why.as_str().into(),
        ItemResult::Cancelled => "Not started: the run was cancelled.".into(),
    }
}

/// The report: a header, then one line per item (CRLF line ends).
pub fn to_csv<'a>(items: impl IntoIterator<Item = &'a Item>) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for item in items {
        let c = &item.candidate;
        let (key, new_key, end, version, why) = match item.result() {
            Some(
                r @ ItemResult::Renewed {
                    new_key_id,
                    end,
                    version,
                    ..
                },
            ) => (
                r.key(),
                new_key_id.as_str(),
                end.map(|e| e.to_rfc3339_opts(SecondsFormat::Secs, true)),
                version.as_deref(),
                reason(r),
            ),
            Some(r @ ItemResult::Earlier { new_key_id }) => {
                (r.key(), new_key_id.as_str(), None, None, reason(r))
            }
            Some(r) => (r.key(), "", None, None, reason(r)),
            None => ("unfinished", "", None, None, "".into()),
        };
        let cells = [
            text_cell(&c.app_name),
            text_cell(&c.object_id),
            text_cell(&c.key_id),
            text_cell(c.description.as_deref().unwrap_or("")),
            text_cell(&c.copy.vault_name),
            text_cell(&c.copy.secret_name),
            key.to_string(),
            text_cell(new_key),
            end.unwrap_or_default(),
            text_cell(version.unwrap_or("")),
            text_cell(&why),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}
