//! Export of the current view as CSV (RFC 4180) and JSON. Metadata only: no secret value
//! exists in the overview, so none can be exported.
//!
//! CSV cells that a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a
//! tab or a carriage return) get a leading `'`, so an app named `=HYPERLINK(…)` stays text.
//! Only text that comes from the directory is guarded; the numbers the app writes itself
//! (days left, which may be negative) are not text and stay numbers.
//!
//! `owned_by_me` is `true` or `false` once "Only apps I own" has been used in this load (the
//! owned apps are looked up only then), and empty in CSV / `null` in JSON before that.
//!
//! `owners` (the last column, so earlier positions keep their meaning): the app's owners' names
//! (a user's display name, else UPN; a service principal's display name) joined by `"; "` in
//! CSV, an array in JSON; empty / `null` while the owners are not known, `[]` for an app
//! without owners.

use chrono::{DateTime, FixedOffset, SecondsFormat, Utc};
use serde::Serialize;

use super::load::OwnerNames;
use super::model::{Kind, Row};

/// The CSV header, in column order (the JSON keys are the camelCase forms).
pub const CSV_COLUMNS: [&str; 13] = [
    "app_name",
    "client_id",
    "app_object_id",
    "kind",
    "description",
    "key_id",
    "hint_or_thumbprint",
    "start",
    "end",
    "status",
    "days_left",
    "owned_by_me",
    "owners",
];

/// The status written to exports: `expired`, `critical`, `warning`, `ok`, `no-expiry`, or
/// `none` for an app without credentials.
pub fn status_key(row: &Row) -> &'static str {
    if row.kind == Kind::None {
        "none"
    } else {
        row.status.key()
    }
}

fn iso(t: Option<DateTime<Utc>>) -> Option<String> {
    t.map(|t| t.to_rfc3339_opts(SecondsFormat::Secs, true))
}

/// A text cell from the directory: guarded against formula injection, then quoted.
pub(crate) fn text_cell(value: &str) -> String {
    let guarded = if value.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{value}")
    } else {
        value.to_string()
    };
    quote(&guarded)
}

/// RFC 4180: a field with a comma, quote, CR or LF is enclosed in quotes, quotes doubled.
fn quote(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The rows as CSV, owners not known.
pub fn to_csv<'a>(rows: impl IntoIterator<Item = &'a Row>) -> String {
    to_csv_with(rows, None)
}

/// The rows as CSV: a header line, then one line per row, each ended by CRLF; `owners` when
/// known.
pub fn to_csv_with<'a>(
    rows: impl IntoIterator<Item = &'a Row>,
    owners: Option<&OwnerNames>,
) -> String {
    let mut out = CSV_COLUMNS.join(",");
    out.push_str("\r\n");
    for r in rows {
        let text = |v: Option<&str>| text_cell(v.unwrap_or(""));
        let cells = [
            text_cell(&r.app_name),
            text_cell(&r.client_id),
            text_cell(&r.object_id),
            r.kind.key().to_string(),
            text(r.description.as_deref()),
            text(r.key_id.as_deref()),
            text(r.identifier.as_deref()),
            iso(r.start).unwrap_or_default(),
            iso(r.end).unwrap_or_default(),
            status_key(r).to_string(),
            r.days_left.map(|d| d.to_string()).unwrap_or_default(),
            r.owned_by_me.map(|b| b.to_string()).unwrap_or_default(),
            text_cell(
                &owners
                    .and_then(|o| o.of(&r.object_id))
                    .map(|names| names.join("; "))
                    .unwrap_or_default(),
            ),
        ];
        out.push_str(&cells.join(","));
        out.push_str("\r\n");
    }
    out
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct JsonRow<'a> {
    app_name: &'a str,
    client_id: &'a str,
    app_object_id: &'a str,
    kind: &'static str,
    description: Option<&'a str>,
    key_id: Option<&'a str>,
    hint_or_thumbprint: Option<&'a str>,
    start: Option<String>,
    end: Option<String>,
    status: &'static str,
    days_left: Option<i64>,
    owned_by_me: Option<bool>,
    owners: Option<&'a [String]>,
}

/// The rows as JSON, owners not known.
pub fn to_json<'a>(rows: impl IntoIterator<Item = &'a Row>) -> String {
    to_json_with(rows, None)
}

/// The rows as a JSON array of objects (ISO 8601 dates in UTC, `null` where unknown); `owners`
/// when known.
pub fn to_json_with<'a>(
    rows: impl IntoIterator<Item = &'a Row>,
    owners: Option<&'a OwnerNames>,
) -> String {
    let rows: Vec<JsonRow> = rows
        .into_iter()
        .map(|r| JsonRow {
            app_name: &r.app_name,
            client_id: &r.client_id,
            app_object_id: &r.object_id,
            kind: r.kind.key(),
            description: r.description.as_deref(),
            key_id: r.key_id.as_deref(),
            hint_or_thumbprint: r.identifier.as_deref(),
            start: iso(r.start),
            end: iso(r.end),
            status: status_key(r),
            days_left: r.days_left,
            owned_by_me: r.owned_by_me,
            owners: owners.and_then(|o| o.of(&r.object_id)),
        })
        .collect();
    // Serialising plain strings, numbers and booleans cannot fail.
    serde_json::to_string_pretty(&rows).unwrap_or_else(|_| "[]".into())
}

/// `secret-expiry-2026-11-26.csv` (the date in the user's calendar).
pub fn file_name(now: &DateTime<FixedOffset>, extension: &str) -> String {
    format!("secret-expiry-{}.{extension}", now.date_naive())
}
