//! `cargo xtask test`: every check, each timed; keeps going where later steps still make sense and
//! ends with exactly `N passed, N failed, N skipped`. One unit is one step: every step counts
//! once, e2e included (its own test counts go in its line's note). A step that could not run here
//! (a host that does not answer, `--skip-e2e`, no browser, no build) is SKIP and named in the
//! summary with why, never a pass; `--strict` makes any skip fail the run. Steps left out by
//! `--only` are not run, and not counted.

use crate::demo::build_app;
use crate::ensure::{ensure, ensure_browser};
use crate::json;
use crate::services::{app_url, build_sandbox, sandbox_url, start_sandbox, start_static};
use crate::util::{command, describe, install_stop_handler, run, secs, stop_requested, target_dir};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

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
    /// A skipped step fails the run.
    pub strict: bool,
}

/// How one step ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Passed; the note may be empty.
    Pass(String),
    /// Failed, and why.
    Fail(String),
    /// Could not run here, and why: neither a pass nor a failure.
    Skip(String),
}

impl Outcome {
    /// A step's `Result`: an error that starts with [`SKIPPED`] is a skip.
    pub fn of(result: Result<(), String>) -> Outcome {
        match result {
            Ok(()) => Outcome::Pass(String::new()),
            Err(e) => match e.strip_prefix(SKIPPED) {
                Some(why) => Outcome::Skip(why.to_string()),
                None => Outcome::Fail(e),
            },
        }
    }
}

/// A step that could not run here starts its `Err` with this (see [`Outcome::of`]).
pub const SKIPPED: &str = "skipped: ";

/// One line of the summary.
#[derive(Debug, Clone, PartialEq)]
struct Line {
    name: String,
    outcome: Outcome,
    /// None: decided without running anything.
    took: Option<Duration>,
}

impl Line {
    fn render(&self) -> String {
        let (verdict, note) = match &self.outcome {
            Outcome::Pass(note) => ("ok", note.as_str()),
            Outcome::Fail(why) => ("FAIL", why.as_str()),
            Outcome::Skip(why) => ("SKIP", why.as_str()),
        };
        let took = self.took.map_or_else(|| "-".to_string(), secs);
        let name = &self.name;
        let line = format!("{verdict:<5}{name:<12}{took:>8}");
        // Only the first line of a long failure: the step's own output above has the rest.
        match note.lines().next() {
            Some(first) if !first.is_empty() => format!("{line}  {first}"),
            _ => line,
        }
    }
}

#[derive(Debug, Default)]
pub struct Tally {
    lines: Vec<Line>,
}

impl Tally {
    /// Records a step and prints its line at once.
    fn record(&mut self, name: &str, outcome: Outcome, took: Option<Duration>) {
        let line = Line {
            name: name.to_string(),
            outcome,
            took,
        };
        println!("== {}", line.render());
        self.lines.push(line);
    }

    /// (passed, failed, skipped), one per step.
    pub fn counts(&self) -> (u32, u32, u32) {
        let mut c = (0, 0, 0);
        for line in &self.lines {
            match line.outcome {
                Outcome::Pass(_) => c.0 += 1,
                Outcome::Fail(_) => c.1 += 1,
                Outcome::Skip(_) => c.2 += 1,
            }
        }
        c
    }

    /// The closing line, the last one printed: `N passed, N failed, N skipped`.
    pub fn closing_line(&self) -> String {
        let (passed, failed, skipped) = self.counts();
        format!("{passed} passed, {failed} failed, {skipped} skipped")
    }

    /// The summary after the run: every step's line, the skipped steps by name, the closing line.
    pub fn summary(&self, took: Duration, strict: bool) -> Vec<String> {
        let mut out = vec![format!("== summary ({})", secs(took))];
        out.extend(self.lines.iter().map(|l| format!("   {}", l.render())));
        let skipped: Vec<&str> = self
            .lines
            .iter()
            .filter(|l| matches!(l.outcome, Outcome::Skip(_)))
            .map(|l| l.name.as_str())
            .collect();
        if !skipped.is_empty() {
            let verdict = if strict {
                "--strict: each fails this run"
            } else {
                "not checked by this run; --strict fails on a skip"
            };
            out.push(format!("   skipped: {} ({verdict})", skipped.join(", ")));
        }
        out.push(self.closing_line());
        out
    }

    /// 1 on any failure, and on any skip with `strict`; else 0.
    pub fn exit_code(&self, strict: bool) -> i32 {
        let (_, failed, skipped) = self.counts();
        i32::from(failed > 0 || (strict && skipped > 0))
    }
}

/// Why a selected step does not run, decided before it would start (None: it runs).
pub fn skip_reason(
    step: &str,
    skip_e2e: bool,
    browser_ok: bool,
    build_ok: Option<bool>,
) -> Option<&'static str> {
    match step {
        "e2e" if skip_e2e => Some("--skip-e2e"),
        "test-wasm" | "e2e" if !browser_ok => {
            Some("no browser: chromium could not be installed (counted as the browser failure)")
        }
        "budget" | "e2e" if build_ok == Some(false) => {
            Some("the app build failed (counted there); nothing to check")
        }
        _ => None,
    }
}

/// The steps `--only` selects (all without it), in run order; Err names an unknown one.
pub fn selected(only: &[String]) -> Result<Vec<&'static str>, String> {
    if let Some(unknown) = only.iter().find(|o| !STEPS.contains(&o.as_str())) {
        return Err(format!(
            "unknown step {unknown:?}; steps are: {}",
            STEPS.join(", ")
        ));
    }
    Ok(STEPS
        .into_iter()
        .filter(|s| only.is_empty() || only.iter().any(|o| o == s))
        .collect())
}

/// Returns the process exit code.
pub fn test(root: &Path, opts: &Options) -> i32 {
    install_stop_handler();
    let total = Instant::now();
    let steps = match selected(&opts.only) {
        Ok(steps) => steps,
        Err(e) => {
            eprintln!("{e}");
            return 2;
        }
    };
    let mut tally = Tally::default();
    let start = Instant::now();
    if let Err(e) = ensure(root, false) {
        eprintln!("{e}");
        tally.record("ensure", Outcome::Fail(e), Some(start.elapsed()));
        for step in &steps {
            let why = "not run: the tools could not be installed (ensure failed)";
            tally.record(step, Outcome::Skip(why.into()), None);
        }
        return finish(&tally, total.elapsed(), opts.strict);
    }
    // Without a browser the other checks still make sense: one failure, and the two skipped.
    let mut browser_ok = true;
    if steps
        .iter()
        .filter(|s| matches!(**s, "test-wasm" | "e2e"))
        .any(|s| skip_reason(s, opts.skip_e2e, true, None).is_none())
    {
        let start = Instant::now();
        if let Err(e) = ensure_browser(root) {
            eprintln!("{e}; skipping test-wasm and e2e");
            tally.record("browser", Outcome::Fail(e), Some(start.elapsed()));
            browser_ok = false;
        }
    }
    let chromedriver = Path::new("/usr/bin/chromedriver");
    let cargo = |args: &[&str]| command(root, "cargo", args);
    let mut build_ok = None;
    let mut interrupted = false;
    for step in steps.iter().copied() {
        if interrupted {
            tally.record(step, Outcome::Skip("not run: interrupted".into()), None);
            continue;
        }
        if stop_requested() {
            let why = format!("Ctrl-C or SIGTERM before {step}: it and later steps not run");
            tally.record("interrupted", Outcome::Fail(why), None);
            tally.record(step, Outcome::Skip("not run: interrupted".into()), None);
            interrupted = true;
            continue;
        }
        if let Some(why) = skip_reason(step, opts.skip_e2e, browser_ok, build_ok) {
            tally.record(step, Outcome::Skip(why.into()), None);
            continue;
        }
        println!("\n== {step}");
        let start = Instant::now();
        let outcome = match step {
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
                let r = build_app(root);
                build_ok = Some(r.is_ok());
                Outcome::of(r)
            }
            // The first-load size budget (xtask/src/perf.rs), on the dist/ just built.
            "budget" => Outcome::of(crate::perf::budget_step(root)),
            "e2e" => {
                // After `cargo test --workspace`, building every target reuses its artifacts;
                // `-p sandbox` alone would resolve features differently and compile again.
                let reuse = steps.contains(&"test");
                e2e_outcome(e2e(root, opts.grep.as_deref(), reuse))
            }
            "supply" | "advisories" | "npm-audit" => Outcome::of(crate::supply::step(root, step)),
            _ => unreachable!("steps come from STEPS"),
        };
        if let Outcome::Fail(e) = &outcome {
            eprintln!("{e}");
        }
        tally.record(step, outcome, Some(start.elapsed()));
    }
    finish(&tally, total.elapsed(), opts.strict)
}

fn simple(mut c: Command) -> Outcome {
    Outcome::of(run(&mut c))
}

/// The e2e step is one unit: it fails when any of its tests failed; the counts are its note.
pub fn e2e_outcome(result: Result<(u32, u32), String>) -> Outcome {
    match result {
        Ok((passed, 0)) => Outcome::Pass(format!("{passed} passed, 0 failed")),
        Ok((passed, failed)) => Outcome::Fail(format!("{passed} passed, {failed} failed")),
        Err(e) => Outcome::Fail(e),
    }
}

fn finish(tally: &Tally, took: Duration, strict: bool) -> i32 {
    println!();
    for line in tally.summary(took, strict) {
        println!("{line}");
    }
    tally.exit_code(strict)
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
#[path = "testing_tests.rs"]
mod tests;
