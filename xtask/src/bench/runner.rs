//! What every browser part of `cargo xtask bench` does alike: run its node script against the
//! sandbox and the static server, echo its lines, take its one result line (`{marker} {json}`),
//! stop the sandbox; and write a section of BENCHMARKS.md, leaving the others alone.

use crate::json::{self, Json};
use crate::services::{app_url, sandbox_url, start_static, APP_PORT};
use crate::util::{command, describe, http_answers, ChildGuard};
use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::path::Path;
use std::process::Stdio;

/// Starts the static server unless one already answers (an earlier part started it).
pub fn ensure_static(root: &Path) -> Result<(), String> {
    if !http_answers(SocketAddr::from(([127, 0, 0, 1], APP_PORT)), "/") {
        start_static(root, false)?;
    }
    Ok(())
}

/// Runs `script` (BENCH_RUNS = `runs` when given) and returns its result; `sandbox` is stopped
/// once the script has ended, and its `log` named when there is no result.
pub fn run_script(
    root: &Path,
    script: &str,
    marker: &str,
    runs: Option<u32>,
    sandbox: ChildGuard,
    log: &Path,
) -> Result<Json, String> {
    let mut c = command(root, "node", &[script]);
    c.env("E2E_APP_URL", app_url())
        .env("E2E_SANDBOX_URL", sandbox_url())
        .stdout(Stdio::piped());
    if let Some(runs) = runs {
        c.env("BENCH_RUNS", runs.to_string());
    }
    let times = runs.map(|r| format!(" ({r} runs)")).unwrap_or_default();
    println!("== browser: {}{times}", describe(&c));
    let mut child = c
        .spawn()
        .map_err(|e| format!("could not start node: {e}"))?;
    let mut result = None;
    let prefix = format!("{marker} ");
    for line in BufReader::new(child.stdout.take().expect("piped")).lines() {
        let Ok(line) = line else { break };
        match line.strip_prefix(&prefix) {
            Some(rest) => result = Some(json::parse(rest)?),
            None => println!("  {line}"),
        }
    }
    let status = child.wait().map_err(|e| e.to_string())?;
    drop(sandbox);
    match result {
        Some(r) if status.success() => Ok(r),
        _ => Err(format!(
            "{script} exited with {status} without a result (sandbox log: {})",
            log.display()
        )),
    }
}

/// Rewrites BENCHMARKS.md with `replace` (given its text, returns the new text).
pub fn write_benchmarks(root: &Path, replace: impl FnOnce(&str) -> String) -> Result<(), String> {
    let path = root.join("BENCHMARKS.md");
    let old = std::fs::read_to_string(&path).unwrap_or_default();
    std::fs::write(&path, replace(&old)).map_err(|e| format!("{}: {e}", path.display()))?;
    println!("written to {}", path.display());
    Ok(())
}
