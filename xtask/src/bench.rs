//! `cargo xtask bench`: the expiry overview with 5,000 apps, measured in headless Chromium.
//!
//! Builds the app (release) and the sandbox, starts the sandbox with `--seed scale:5000` and the
//! static server, runs `tests/e2e/bench_overview.mjs` (sign in as Ada Admin, open the overview
//! N times, read the app's performance marks and count Graph requests), prints a table and
//! writes it to BENCHMARKS.md under "## Overview (5,000 apps)", leaving other sections alone.
//! Then first load and flows (`perf::bench`) and renewing 200 secrets at once ([`renew`], also
//! alone: `cargo xtask bench renew`).

pub mod renew;
pub mod runner;

use crate::demo::build_app;
use crate::ensure::ensure;
use crate::json::Json;
use crate::services::{build_sandbox, sandbox_url, start_static, APP_PORT, SANDBOX_PORT};
use crate::util::{command, http_answers, target_dir, wait_ready, ChildGuard};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;
use std::time::Duration;

/// Filler apps on top of the demo tenant's 16.
pub const SCALE: u32 = 5000;
pub const SECTION: &str = "## Overview (5,000 apps)";

/// (JSON key, label, unit, budget text).
const METRICS: [(&str, &str, &str, &str); 17] = [
    (
        "graphRequests",
        "Graph requests to show the overview",
        "",
        "≤ 6",
    ),
    (
        "appPages",
        "… of which /applications pages ($top=999)",
        "",
        "6",
    ),
    (
        "ownedPages",
        "… of which /me/ownedObjects pages (only once \"Only apps I own\" is ticked)",
        "",
        "0",
    ),
    ("toTableMs", "Open → table on screen", "ms", ""),
    ("fetchMs", "… fetching every page", "ms", ""),
    (
        "networkMs",
        "… … of which waiting for the sandbox's answers",
        "ms",
        "",
    ),
    (
        "renderMs",
        "… sorting, filtering and drawing",
        "ms",
        "≤ 200 ms",
    ),
    (
        "chipFilterMs",
        "Filter change: a status chip off",
        "ms",
        "≤ 50 ms",
    ),
    ("searchFilterMs", "Filter change: a search", "ms", "≤ 50 ms"),
    (
        "ownersRequests",
        "Graph requests for every app's owners (sent once the table is drawn)",
        "",
        "",
    ),
    (
        "ownersPages",
        "… of which /applications pages with $expand=owners (100 apps a page)",
        "",
        "",
    ),
    (
        "ownersBatches",
        "… of which $batch requests (the full lists of apps with 20 owners, 20 a batch)",
        "",
        "",
    ),
    (
        "ownersMs",
        "Table on screen → every app's owners in",
        "ms",
        "",
    ),
    (
        "altExpandRequests",
        "Not chosen: credentials and owners in one $expand chain — requests before the table",
        "",
        "",
    ),
    (
        "altExpandMs",
        "… its pages fetched (node, no drawing)",
        "ms",
        "",
    ),
    (
        "altPlainRequests",
        "… against the credentials chain alone (999 a page) — requests",
        "",
        "",
    ),
    (
        "altPlainMs",
        "… its pages fetched (node, no drawing)",
        "ms",
        "",
    ),
];

/// The tools, then the app's release build unless `skip_build`.
fn prepare(root: &Path, skip_build: bool) -> Result<(), String> {
    ensure(root, false)?;
    if skip_build {
        println!("== build: skipped (--skip-build)");
        Ok(())
    } else {
        println!("== build: trunk build --release");
        build_app(root)
    }
}

pub fn bench(root: &Path, runs: u32, skip_build: bool) -> Result<(), String> {
    prepare(root, skip_build)?;
    println!("== sandbox: cargo build -p sandbox, seed scale:{SCALE}");
    build_sandbox(root)?;
    let log = target_dir(root).join("xtask/sandbox-bench.log");
    let sandbox = start_scaled_sandbox(root, &log)?;
    start_static(root, false)?;
    let result = runner::run_script(
        root,
        "tests/e2e/bench_overview.mjs",
        "BENCH-RESULT",
        Some(runs),
        sandbox,
        &log,
    )?;
    let table = table(&result)?;
    println!("\n{table}");
    runner::write_benchmarks(root, |old| replace_section(old, &section(&result, &table)))?;
    crate::perf::bench(root, runs)?;
    renew::bench(root)
}

/// `cargo xtask bench renew`: only "Renewing many at once" (build, sandbox, browser).
pub fn renew_only(root: &Path, skip_build: bool) -> Result<(), String> {
    prepare(root, skip_build)?;
    println!("== sandbox: cargo build -p sandbox");
    build_sandbox(root)?;
    renew::bench(root)
}

fn start_scaled_sandbox(root: &Path, log: &Path) -> Result<ChildGuard, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], SANDBOX_PORT));
    if http_answers(addr, "/_sandbox/health") {
        return Err(format!(
            "something already answers on {} (a `cargo xtask demo` still running?); stop it first",
            sandbox_url()
        ));
    }
    let bin = target_dir(root).join("debug/sandbox");
    let (port, origin, seed) = (
        SANDBOX_PORT.to_string(),
        format!("http://127.0.0.1:{APP_PORT}"),
        format!("scale:{SCALE}"),
    );
    let args = ["--port", &port, "--app-origin", &origin, "--seed", &seed];
    let mut c = command(root, &bin.to_string_lossy(), &args);
    if let Some(dir) = log.parent() {
        std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    }
    let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
    let copy = file.try_clone().map_err(|e| e.to_string())?;
    c.stdout(Stdio::from(file))
        .stderr(Stdio::from(copy))
        .stdin(Stdio::null());
    let child = c
        .spawn()
        .map_err(|e| format!("could not start {}: {e}", bin.display()))?;
    let mut guard = ChildGuard {
        name: "sandbox",
        child,
    };
    wait_ready(
        &mut guard,
        addr,
        "/_sandbox/health",
        Duration::from_secs(60),
    )?;
    Ok(guard)
}

fn number(v: Option<&Json>) -> Option<f64> {
    match v {
        Some(Json::Number(n)) => Some(*n),
        _ => None,
    }
}

fn fmt(n: f64, unit: &str) -> String {
    if unit.is_empty() {
        format!("{n:.0}")
    } else {
        format!("{n:.1} {unit}")
    }
}

/// The Markdown table: metric, median, min–max, budget.
pub fn table(result: &Json) -> Result<String, String> {
    let summary = result.get("summary").ok_or("the result has no summary")?;
    let mut out = String::from("| metric | median | min – max | budget |\n|---|---:|---:|---|\n");
    for (key, label, unit, budget) in METRICS {
        let m = summary.get(key).ok_or(format!("no {key} in the result"))?;
        let (med, min, max) = (
            number(m.get("median")).ok_or(format!("{key}.median"))?,
            number(m.get("min")).ok_or(format!("{key}.min"))?,
            number(m.get("max")).ok_or(format!("{key}.max"))?,
        );
        out.push_str(&format!(
            "| {label} | {} | {} – {} | {budget} |\n",
            fmt(med, unit),
            fmt(min, unit),
            fmt(max, unit)
        ));
    }
    Ok(out)
}

fn section(result: &Json, table: &str) -> String {
    let runs = result.get("runs").and_then(Json::as_u64).unwrap_or(0);
    let showing = result.get("showing").and_then(Json::as_str).unwrap_or("");
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    format!(
        "{SECTION}\n\n\
         `cargo xtask bench`: sandbox `--seed scale:{SCALE}` (the demo tenant plus {SCALE} filler \
         apps; the sandbox is a debug build, so its answers dominate the fetch), app release build, headless Chromium on {cores} cores over loopback; signed in as Ada \
         Admin, median of {runs} runs (each a reload: a cold app with a warm token cache). Times \
         come from the app's own `performance.mark`s (`overview-start`, `overview-loaded`, \
         `overview-rendered`, `overview-filter-start`/`-rendered`); Graph requests are counted \
         with `page.on('request')` (CORS preflights not included). The table draws 100 rows at \
         a time (\"Show more\"); first view: {showing}\n\n\
         Owners: once the table is drawn, `GET /applications?$select=id&$expand=owners($select=\
         id,displayName,userPrincipalName)&$top=100` page by page (Graph returns at most 100 apps a \
         page with `$expand`, and at most 20 owners an app), then the full lists of the apps that \
         came with 20 owners through `$batch` (20 a batch); timed from `overview-rendered` to \
         `overview-owners-loaded`. The one-chain alternative (`$expand` on the credentials chain) \
         and the credentials chain alone are fetched to the end from node with the app's token, \
         after each run: the alternative would put all its requests before the first table.\n\n{table}"
    )
}

/// `old` with the section replaced (or appended); other sections are kept as they are.
pub fn replace_section(old: &str, new_section: &str) -> String {
    let body = if old.trim().is_empty() {
        "# Benchmarks\n\n".to_string()
    } else {
        old.to_string()
    };
    let Some(start) = body.find(SECTION) else {
        let mut out = body.trim_end().to_string();
        out.push_str("\n\n");
        out.push_str(new_section.trim_end());
        out.push('\n');
        return out;
    };
    let rest = &body[start + SECTION.len()..];
    let end = rest
        .find("\n## ")
        .map_or(body.len(), |i| start + SECTION.len() + i + 1);
    let mut out = body[..start].to_string();
    out.push_str(new_section.trim_end());
    out.push('\n');
    if end < body.len() {
        out.push('\n');
        out.push_str(&body[end..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    #[test]
    fn the_section_is_replaced_and_the_others_kept() {
        let new = format!("{SECTION}\n\nnew table\n");
        let fresh = replace_section("", &new);
        assert_eq!(fresh, format!("# Benchmarks\n\n{SECTION}\n\nnew table\n"));
        let old =
            format!("# Benchmarks\n\n## First load\n\nx\n\n{SECTION}\n\nold\n\n## Later\n\ny\n");
        let out = replace_section(&old, &new);
        assert_eq!(
            out,
            format!(
                "# Benchmarks\n\n## First load\n\nx\n\n{SECTION}\n\nnew table\n\n## Later\n\ny\n"
            )
        );
        let appended = replace_section("# Benchmarks\n\n## First load\n\nx\n", &new);
        assert!(appended.ends_with(&format!("x\n\n{SECTION}\n\nnew table\n")));
    }

    #[test]
    fn the_table_reads_the_runner_result() {
        let mut parts = vec![];
        for (key, ..) in METRICS {
            parts.push(format!(r#""{key}":{{"median":7,"min":6.5,"max":9}}"#));
        }
        let text = format!(
            r#"{{"runs":10,"showing":"x","summary":{{{}}}}}"#,
            parts.join(",")
        );
        let t = table(&json::parse(&text).unwrap()).unwrap();
        assert!(
            t.contains("| Graph requests to show the overview | 7 | 6 – 9 |"),
            "{t}"
        );
        assert!(
            t.contains("| Open → table on screen | 7.0 ms | 6.5 ms – 9.0 ms |"),
            "{t}"
        );
        assert!(table(&json::parse(r#"{"summary":{}}"#).unwrap()).is_err());
    }
}
