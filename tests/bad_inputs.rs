#![cfg(not(target_arch = "wasm32"))]
//! The bad-input catalogue: hostile or broken input through the crate's pure
//! APIs — config.json, descriptions, lifetimes, vault and secret names, hand-off links, and what
//! Graph, ARM and Key Vault (or something pretending to be them) answer. Every row names its input
//! and the expected outcome (Ok, or an error variant whose message says a key phrase); every row
//! runs under `catch_unwind`, so a panic is a failed row, not a crashed suite. The tables live in
//! tests/fixtures/hostile/; generated inputs (huge, deep, 10,000 items) are built here.

#[path = "bad_inputs/services.rs"]
mod services;
#[path = "bad_inputs/text.rs"]
mod text;
#[path = "bad_inputs/urls.rs"]
mod urls;

use std::fmt::Debug;
use std::panic::{catch_unwind, AssertUnwindSafe};

use chrono::{DateTime, TimeZone, Utc};
use secret_wizard::config::Config;
use serde_json::{json, Value};

pub const HOSTILE: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/hostile");
/// Longest user message or details line any hostile response may produce.
pub const SHORT: usize = 600;

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!("{HOSTILE}/{name}")).unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 10, 42, 7).unwrap()
}

/// Runs every row, each under `catch_unwind`; fails listing every row that did not behave.
/// `check` returns a description of what was wrong, or None.
pub struct Catalogue {
    area: &'static str,
    rows: usize,
    failures: Vec<String>,
}

impl Catalogue {
    pub fn new(area: &'static str) -> Self {
        Catalogue {
            area,
            rows: 0,
            failures: Vec::new(),
        }
    }

    pub fn row(&mut self, name: &str, check: impl FnOnce() -> Option<String>) {
        self.rows += 1;
        match catch_unwind(AssertUnwindSafe(check)) {
            Ok(None) => {}
            Ok(Some(problem)) => self.failures.push(format!("{name}: {problem}")),
            Err(_) => self.failures.push(format!("{name}: PANICKED")),
        }
    }

    pub fn finish(self, at_least: usize) {
        println!("{}: {} bad inputs tried", self.area, self.rows);
        assert!(
            self.failures.is_empty(),
            "{}:\n  {}",
            self.area,
            self.failures.join("\n  ")
        );
        assert!(
            self.rows >= at_least,
            "{}: only {} rows",
            self.area,
            self.rows
        );
    }
}

/// Compares an outcome with `expected` (`Ok`, `Ok:<value>`, `Variant` or `Variant:<phrase>`).
/// The variant is read from the error's Debug form; the phrase from its user message.
pub fn judge<T: Debug, E: Debug>(
    got: Result<T, E>,
    expected: &str,
    ok_text: impl Fn(&T) -> String,
    message: impl Fn(&E) -> String,
) -> Option<String> {
    let (want, phrase) = expected.split_once(':').unwrap_or((expected, ""));
    match (&got, want) {
        (Ok(v), "Ok") if phrase.is_empty() || ok_text(v) == phrase => None,
        (Err(e), _) if want != "Ok" => {
            let debug = format!("{e:?}");
            let msg = message(e);
            if !debug.starts_with(want) {
                Some(format!("expected {want}, got {debug}"))
            } else if !msg.contains(phrase) {
                Some(format!("message {msg:?} does not say {phrase:?}"))
            } else if msg.len() > SHORT {
                Some(format!("message is {} bytes long", msg.len()))
            } else {
                None
            }
        }
        _ => Some(format!("expected {expected}, got {got:?}")),
    }
}

fn set_pointer(doc: &mut Value, pointer: &str, value: Value) {
    let (parent, key) = pointer.rsplit_once('/').unwrap();
    let key = key.replace("~1", "/").replace("~0", "~");
    let target = if parent.is_empty() {
        &mut *doc
    } else {
        doc.pointer_mut(parent).unwrap()
    };
    target.as_object_mut().unwrap().insert(key, value);
}

#[test]
fn config_json() {
    let cases: Value = serde_json::from_str(&fixture("config-cases.json")).unwrap();
    let sandbox: Value =
        serde_json::from_str(include_str!("../static/config.sandbox.json")).unwrap();
    let minimal = json!({ "tenantId": "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d",
                          "clientId": "5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c" });
    let mut cat = Catalogue::new("config.json");
    for case in cases["cases"].as_array().unwrap() {
        let name = case["name"].as_str().unwrap();
        let mut doc = if case["base"] == "sandbox" {
            sandbox.clone()
        } else {
            minimal.clone()
        };
        for p in case["remove"].as_array().into_iter().flatten() {
            let (parent, key) = p.as_str().unwrap().rsplit_once('/').unwrap();
            let parent = if parent.is_empty() {
                &mut doc
            } else {
                doc.pointer_mut(parent).unwrap()
            };
            parent.as_object_mut().unwrap().remove(key);
        }
        for (pointer, value) in case["set"].as_object().into_iter().flatten() {
            set_pointer(&mut doc, pointer, value.clone());
        }
        let text = doc.to_string();
        cat.row(name, || {
            let got = Config::parse(&text);
            if case["ok"] == true {
                return got.err().map(|e| format!("expected Ok, got {e}"));
            }
            let (variant, field) = (
                case["err"].as_str().unwrap(),
                case["field"].as_str().unwrap(),
            );
            let says = case["says"].as_str().unwrap();
            let e = match got {
                Ok(_) => return Some("expected an error, got Ok".into()),
                Err(e) => e,
            };
            let shown = e.to_string();
            if !format!("{e:?}").starts_with(variant) {
                Some(format!("expected {variant}, got {e:?}"))
            } else if e.field() != Some(field) || !shown.contains(field) {
                Some(format!("error does not name field {field:?}: {shown}"))
            } else if !shown.contains(says) || !shown.starts_with("config.json") {
                Some(format!("{shown:?} does not say {says:?}"))
            } else if !e.user_message().contains(field) {
                Some(format!(
                    "the page's message does not name {field}: {}",
                    e.user_message()
                ))
            } else {
                None
            }
        });
    }
    // Generated: garbage, empty, huge and deep documents.
    let huge_value = format!(
        r#"{{"tenantId":"{}","clientId":"5b0c6a1e-2f3d-4e5a-8b7c-9d0e1f2a3b4c"}}"#,
        "A".repeat(2_000_000)
    );
    let huge_key = format!(r#"{{"{}":1}}"#, "k".repeat(1_000_000));
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let generated: Vec<(&str, String, &str)> = vec![
        ("empty file", String::new(), "NotJson"),
        ("whitespace only", " \n\t ".into(), "NotJson"),
        ("garbage", "tenantId=8d2c; clientId=5b0c".into(), "NotJson"),
        (
            "an HTML 404 page served as config.json",
            fixture("proxy-502.html"),
            "NotJson",
        ),
        (
            "truncated JSON",
            r#"{"tenantId": "8d2c7e1a-4b5f"#.into(),
            "NotJson",
        ),
        (
            "byte-order mark first",
            format!("\u{feff}{}", minimal),
            "NotJson",
        ),
        ("a list", "[]".into(), "NotAnObject"),
        ("null", "null".into(), "NotAnObject"),
        ("a string", r#""config""#.into(), "NotAnObject"),
        ("2 MB tenantId", huge_value, "Invalid"),
        ("1 MB key", huge_key, "Invalid"),
        ("100,000 nested lists", deep, "NotJson"),
    ];
    for (name, text, variant) in generated {
        cat.row(name, || {
            let e = match Config::parse(&text) {
                Ok(_) => return Some("expected an error".into()),
                Err(e) => e,
            };
            let (debug, shown) = (format!("{e:?}"), e.user_message());
            if !debug.starts_with(variant) {
                Some(format!(
                    "expected {variant}, got {}",
                    &debug[..debug.len().min(80)]
                ))
            } else if shown.len() > SHORT || debug.len() > SHORT {
                Some(format!(
                    "message echoes the input ({} bytes)",
                    shown.len().max(debug.len())
                ))
            } else {
                None
            }
        });
    }
    cat.finish(50);
}
