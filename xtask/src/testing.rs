//! `cargo xtask test`: every check, each timed; keeps going where later steps still make sense and
//! ends with exactly `N passed, N failed` (each e2e test counts, every other step counts as one).

use crate::demo::build_app;
use crate::ensure::{ensure, ensure_browser};
use crate::json;
use crate::services::{app_url, build_sandbox, sandbox_url, start_sandbox, start_static};
use crate::util::{command, describe, install_stop_handler, run, secs, stop_requested, target_dir};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

pub const STEPS: [&str; 11] = [
    "fmt",
    "supply",
    "advisories",
    "npm-audit",
    "clippy",
    "clippy-wasm",
    "test",
    "test-wasm",
    "build",
    "budget",
    "e2e",
];

pub struct Options {
    pub only: Vec<String>,
    pub skip_e2e: bool,
    pub grep: Option<String>,
}

#[derive(Default)]
struct Tally {
    passed: u32,
    failed: u32,
    lines: Vec<String>,
}

impl Tally {
    fn record(
        &mut self,
        name: &str,
        passed: u32,
        failed: u32,
        took: std::time::Duration,
        note: &str,
    ) {
        self.passed += passed;
        self.failed += failed;
        let verdict = match (passed, failed) {
            (_, 1..) => "FAIL",
            (0, 0) => "SKIP",
            _ => "ok",
        };
        let mut line = format!("{verdict:<5}{name:<12}{:>8}", secs(took));
        if !note.is_empty() {
            line = format!("{line}  {note}");
        }
        println!("== {line}");
        self.lines.push(line);
    }
}

/// Returns the process exit code.
pub fn test(root: &Path, opts: &Options) -> i32 {
    install_stop_handler();
    let total = Instant::now();
    for only in &opts.only {
        if !STEPS.contains(&only.as_str()) {
            eprintln!("unknown step {only:?}; steps are: {}", STEPS.join(", "));
            return 2;
        }
    }
    let mut browser_ok = true;
    let wanted = |s: &str, browser_ok: bool| {
        (opts.only.is_empty() || opts.only.iter().any(|o| o == s))
            && !(s == "e2e" && opts.skip_e2e)
            && (browser_ok || !matches!(s, "test-wasm" | "e2e"))
    };
    let mut tally = Tally::default();
    let start = Instant::now();
    if let Err(e) = ensure(root, false) {
        eprintln!("{e}");
        tally.record("ensure", 0, 1, start.elapsed(), &e);
        return finish(&tally, total.elapsed());
    }
    // Without a browser the other checks still make sense: count one failure, skip the two.
    if wanted("test-wasm", true) || wanted("e2e", true) {
        let start = Instant::now();
        if let Err(e) = ensure_browser(root) {
            eprintln!("{e}; skipping test-wasm and e2e");
            tally.record("browser", 0, 1, start.elapsed(), &e);
            browser_ok = false;
        }
    }
    let wanted = |s: &str| wanted(s, browser_ok);
    let chromedriver = Path::new("/usr/bin/chromedriver");
    let cargo = |args: &[&str]| command(root, "cargo", args);
    let mut build_ok = None;
    for step in STEPS.into_iter().filter(|s| wanted(s)) {
        if stop_requested() {
            println!("== interrupted: not running {step} and later steps");
            tally.failed += 1;
            break;
        }
        println!("\n== {step}");
        let start = Instant::now();
        let result = match step {
            "fmt" => simple(cargo(&["fmt", "--all", "--", "--check"])),
            "clippy" => simple(cargo(&[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])),
            "clippy-wasm" => simple(cargo(&[
                "clippy",
                "-p",
                "secret-wizard",
                "--target",
                "wasm32-unknown-unknown",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ])),
            "test" => simple(cargo(&["test", "--workspace", "--no-fail-fast"])),
            "test-wasm" => {
                let mut c = cargo(&[
                    "test",
                    "-p",
                    "secret-wizard",
                    "--target",
                    "wasm32-unknown-unknown",
                    "--no-fail-fast",
                ]);
                if chromedriver.exists() {
                    c.env("CHROMEDRIVER", chromedriver);
                }
                simple(c)
            }
            "build" => {
                let r = build_app(root).map(|()| (1, 0));
                build_ok = Some(r.is_ok());
                r
            }
            // The first-load size budget (xtask/src/perf.rs), on the dist/ just built.
            "budget" if build_ok == Some(false) => {
                println!("== skip budget: the app build failed (counted there)");
                continue;
            }
            "budget" => crate::perf::budget_step(root),
            "e2e" => {
                if build_ok == Some(false) {
                    println!("== skip e2e: the app build failed (counted there)");
                    continue;
                }
                // After `cargo test --workspace`, building every target reuses its artifacts;
                // `-p sandbox` alone would resolve features differently and compile again.
                let reuse = wanted("test");
                e2e(root, opts.grep.as_deref(), reuse)
            }
            "supply" | "advisories" | "npm-audit" => crate::supply::step(root, step),
            _ => unreachable!("steps come from STEPS"),
        };
        match result {
            Ok((passed, failed)) => {
                let note = if passed + failed > 1 {
                    format!("{passed} passed, {failed} failed")
                } else {
                    String::new()
                };
                tally.record(step, passed, failed, start.elapsed(), &note);
            }
            // A check that could not run here (and says why) is neither a pass nor a failure.
            Err(e) if e.starts_with(crate::supply::SKIPPED) => {
                tally.record(step, 0, 0, start.elapsed(), &e);
            }
            Err(e) => {
                eprintln!("{e}");
                tally.record(step, 0, 1, start.elapsed(), &e);
            }
        }
    }
    finish(&tally, total.elapsed())
}

fn simple(mut c: Command) -> Result<(u32, u32), String> {
    run(&mut c).map(|()| (1, 0))
}

fn finish(tally: &Tally, took: std::time::Duration) -> i32 {
    println!("\n== summary ({})", secs(took));
    for line in &tally.lines {
        println!("   {line}");
    }
    println!("{} passed, {} failed", tally.passed, tally.failed);
    i32::from(tally.failed > 0)
}

/// Builds and starts the sandbox and the static server, runs the node e2e runner, stops them.
fn e2e(root: &Path, grep: Option<&str>, reuse_test_build: bool) -> Result<(u32, u32), String> {
    if reuse_test_build {
        // Something else in the workspace may not compile; the sandbox alone may still.
        let all = ["build", "--workspace", "--all-targets"];
        run(&mut command(root, "cargo", &all)).or_else(|_| build_sandbox(root))?;
    } else {
        build_sandbox(root)?;
    }
    let log = target_dir(root).join("xtask/sandbox-e2e.log");
    let sandbox = start_sandbox(root, Some(&log))?;
    start_static(root, false)?;
    let mut c = command(root, "node", &["tests/e2e/run.mjs"]);
    c.env("E2E_APP_URL", app_url())
        .env("E2E_SANDBOX_URL", sandbox_url())
        .stdout(Stdio::piped());
    if let Some(grep) = grep {
        c.env("E2E_GREP", grep);
    }
    println!("  $ {}", describe(&c));
    let mut child = c
        .spawn()
        .map_err(|e| format!("could not start node: {e}"))?;
    let mut summary = None;
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let Ok(line) = line else { break };
        println!("{line}");
        if let Some(counts) = parse_summary(&line) {
            summary = Some(counts);
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    drop(sandbox);
    match summary {
        Some((passed, failed)) if status.success() || failed > 0 => {
            if failed > 0 {
                println!("  sandbox log: {}", log.display());
            }
            Ok((passed, failed))
        }
        Some(_) => Err(format!(
            "the e2e runner reported no failure but exited with {status}"
        )),
        None => Err(format!(
            "the e2e runner exited with {status} without a summary line (sandbox log: {})",
            log.display()
        )),
    }
}

/// The runner's machine-readable line: `E2E-SUMMARY {"passed":N,"failed":M}`.
pub fn parse_summary(line: &str) -> Option<(u32, u32)> {
    let value = json::parse(line.strip_prefix("E2E-SUMMARY ")?).ok()?;
    let count = |k: &str| {
        value
            .get(k)
            .and_then(json::Json::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    Some((count("passed")?, count("failed")?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_runner_summary_line() {
        assert_eq!(
            parse_summary(r#"E2E-SUMMARY {"passed":4,"failed":1,"total":5}"#),
            Some((4, 1))
        );
        assert_eq!(parse_summary(r#"E2E-SUMMARY {"passed":4}"#), None);
        assert_eq!(parse_summary("ok 4 passed, 1 failed"), None);
        assert_eq!(parse_summary("E2E-SUMMARY {broken"), None);
    }
}
