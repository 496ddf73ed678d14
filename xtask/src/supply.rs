//! Supply-chain steps of `cargo xtask test`:
//! - `supply`: versions pinned (package.json exact, wasm-bindgen `=`), lock files committed, and
//!   `cargo deny check licenses bans sources` (deny.toml);
//! - `advisories`: `cargo deny check advisories` (RustSec database, fetched with git);
//! - `npm-audit`: `npm audit --omit=dev` (the registry's audit endpoint).
//!
//! A check that cannot run here (database or endpoint unreachable) is reported as SKIP with the
//! reason, never as a pass (`cargo xtask test --strict` fails on it); real findings fail the step.

use crate::json::{self, Json};
use crate::testing::SKIPPED;
use crate::util::{command, describe, run, secs, stdout_of};
use std::path::Path;
use std::process::Output;
use std::time::Instant;

/// The cargo-deny this repository is checked with (builds on rustc 1.88 and later).
pub const CARGO_DENY_VERSION: &str = "0.20.2";

/// One step; an `Err` that starts with [`SKIPPED`] is a check that could not run here.
pub fn step(root: &Path, name: &str) -> Result<(), String> {
    match name {
        "supply" => supply(root),
        "advisories" => advisories(root),
        "npm-audit" => npm_audit(root),
        other => Err(format!("unknown supply-chain step {other}")),
    }
}

fn supply(root: &Path) -> Result<(), String> {
    let read = |f: &str| std::fs::read_to_string(root.join(f)).map_err(|e| format!("{f}: {e}"));
    let problems = pin_problems(&read("package.json")?, &read("Cargo.toml")?);
    let tracked = stdout_of(
        "git",
        &[
            "-C",
            &root.to_string_lossy(),
            "ls-files",
            "Cargo.lock",
            "package-lock.json",
        ],
    )
    .unwrap_or_default();
    let mut problems = problems;
    for lock in ["Cargo.lock", "package-lock.json"] {
        if !tracked.lines().any(|l| l == lock) {
            problems.push(format!("{lock} is not committed"));
        }
    }
    if !problems.is_empty() {
        return Err(format!("pins: {}", problems.join("; ")));
    }
    println!("  pins: package.json versions exact, wasm-bindgen pinned, both lock files committed");
    ensure_cargo_deny(root)?;
    let mut c = command(
        root,
        "cargo",
        &["deny", "--locked", "check", "--hide-inclusion-graph"],
    );
    c.args(["licenses", "bans", "sources"]);
    run(&mut c)
}

/// Problems with version pinning: every npm dependency exact, wasm-bindgen `=x.y.z`.
pub fn pin_problems(package_json: &str, cargo_toml: &str) -> Vec<String> {
    let mut out = Vec::new();
    match json::parse(package_json) {
        Err(e) => out.push(format!("package.json: {e}")),
        Ok(pkg) => {
            for section in ["dependencies", "devDependencies", "optionalDependencies"] {
                let Some(Json::Object(deps)) = pkg.get(section) else {
                    continue;
                };
                for (name, v) in deps {
                    let v = v.as_str().unwrap_or("");
                    if !is_exact_version(v) {
                        out.push(format!(
                            "package.json {section}.{name} is {v:?}, not an exact version"
                        ));
                    }
                }
            }
        }
    }
    let pinned = cargo_toml.lines().any(|l| {
        let l = l.trim();
        l.starts_with("wasm-bindgen ") && l.contains("\"=") || l.starts_with("wasm-bindgen=\"=")
    });
    if !pinned {
        out.push(
            "Cargo.toml: wasm-bindgen must be pinned with \"=x.y.z\" (the CLI must match)".into(),
        );
    }
    out
}

/// `1.2.3` (optionally with a pre-release), not a range, tag, URL or path.
fn is_exact_version(v: &str) -> bool {
    let core = v.split(['-', '+']).next().unwrap_or("");
    let parts: Vec<&str> = core.split('.').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

/// Installs the pinned cargo-deny when it is missing or another version (about 6 minutes on
/// two cores), and says how long it took.
fn ensure_cargo_deny(root: &Path) -> Result<(), String> {
    let have = stdout_of("cargo", &["deny", "--version"]).unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(CARGO_DENY_VERSION) {
        println!("  cargo-deny: {have}");
        return Ok(());
    }
    let start = Instant::now();
    println!(
        "  cargo-deny: {} found, installing {CARGO_DENY_VERSION}",
        if have.is_empty() { "none" } else { &have }
    );
    let mut c = command(
        root,
        "cargo",
        &[
            "install",
            "cargo-deny",
            "--locked",
            "--version",
            CARGO_DENY_VERSION,
        ],
    );
    c.env_remove("CARGO_TARGET_DIR");
    run(&mut c)?;
    println!("  cargo-deny: installed in {}", secs(start.elapsed()));
    Ok(())
}

fn output(root: &Path, program: &str, args: &[&str]) -> Result<Output, String> {
    let mut c = command(root, program, args);
    println!("  $ {}", describe(&c));
    c.output()
        .map_err(|e| format!("could not start {program}: {e}"))
}

fn advisories(root: &Path) -> Result<(), String> {
    ensure_cargo_deny(root)?;
    let args = [
        "deny",
        "--locked",
        "check",
        "--hide-inclusion-graph",
        "advisories",
    ];
    let out = output(root, "cargo", &args)?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{}", tail(&stderr, 40));
    if out.status.success() {
        return Ok(());
    }
    match advisory_db_problem(&stderr) {
        Some(why) => Err(format!("{SKIPPED}advisory database unreachable ({why})")),
        None => Err("cargo deny check advisories found problems (above)".into()),
    }
}

/// Why the RustSec database could not be fetched, when that is what failed.
pub fn advisory_db_problem(stderr: &str) -> Option<String> {
    if !stderr.contains("failed to fetch advisory database") {
        return None;
    }
    let reason = stderr
        .lines()
        .find_map(|l| l.trim().strip_prefix("fatal: "))
        .map(|l| {
            l.split_once("': ")
                .map_or(l, |(_, why)| why)
                .trim()
                .to_string()
        })
        .unwrap_or_else(|| "fetch failed".into());
    Some(format!("git could not fetch it: {reason}"))
}

fn npm_audit(root: &Path) -> Result<(), String> {
    let out = output(root, "npm", &["audit", "--omit=dev", "--json"])?;
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    match judge_npm_audit(out.status.success(), &stdout, &stderr) {
        Audit::Clean(n) => {
            println!("  npm audit: no known vulnerabilities in {n} production packages");
            Ok(())
        }
        Audit::Unavailable(why) => Err(format!("{SKIPPED}npm audit endpoint unavailable ({why})")),
        Audit::Findings(summary) => Err(format!("npm audit: {summary}")),
        Audit::Broken(why) => Err(format!("npm audit did not run: {why}")),
    }
}

#[derive(Debug, PartialEq)]
pub enum Audit {
    /// No vulnerabilities; the number of production dependencies audited.
    Clean(u64),
    Unavailable(String),
    Findings(String),
    Broken(String),
}

/// Reads `npm audit --json`: its report, or the error npm printed about the endpoint.
pub fn judge_npm_audit(success: bool, stdout: &str, stderr: &str) -> Audit {
    let report = json::parse(stdout.trim()).ok();
    let num = |v: Option<&Json>| v.and_then(Json::as_u64).unwrap_or(0);
    if let Some(counts) = report
        .as_ref()
        .and_then(|r| r.get("metadata")?.get("vulnerabilities"))
    {
        let total = num(counts.get("total"));
        let deps = report
            .as_ref()
            .and_then(|r| r.get("metadata")?.get("dependencies"));
        let prod = deps.map_or(0, |d| num(d.get("prod")).max(num(d.get("total"))));
        if total == 0 && success {
            return Audit::Clean(prod);
        }
        let levels = ["critical", "high", "moderate", "low", "info"]
            .iter()
            .filter_map(|l| Some((l, num(counts.get(l)))).filter(|(_, n)| *n > 0))
            .map(|(l, n)| format!("{n} {l}"))
            .collect::<Vec<_>>();
        return Audit::Findings(format!("{total} vulnerabilities ({})", levels.join(", ")));
    }
    let status = report
        .as_ref()
        .and_then(|r| r.get("statusCode"))
        .and_then(Json::as_u64);
    let message = report
        .as_ref()
        .and_then(|r| r.get("message"))
        .and_then(Json::as_str)
        .map(|m| m.split(" - ").next().unwrap_or(m).to_string());
    let offline = [
        "ENOTFOUND",
        "EAI_AGAIN",
        "ECONNREFUSED",
        "ETIMEDOUT",
        "ECONNRESET",
    ]
    .iter()
    .find(|c| stderr.contains(*c) || stdout.contains(*c));
    if stderr.contains("audit endpoint returned an error") || status.is_some() || offline.is_some()
    {
        let why = message
            .or(offline.map(|c| c.to_string()))
            .unwrap_or_else(|| "audit endpoint returned an error".into());
        return Audit::Unavailable(why);
    }
    Audit::Broken(tail(stderr, 3).trim().to_string())
}

fn tail(text: &str, lines: usize) -> String {
    let all: Vec<&str> = text.lines().collect();
    let mut out = all[all.len().saturating_sub(lines)..].join("\n");
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_versions_only() {
        for ok in ["5.30.0", "1.65.1", "132.0.0", "1.0.0-beta.2"] {
            assert!(is_exact_version(ok), "{ok}");
        }
        for bad in [
            "^5.30.0",
            "~1.65.1",
            "*",
            "latest",
            "1.x",
            ">=1.0.0",
            "1.2",
            "git+https://x/y.git",
            "file:../x",
            "",
        ] {
            assert!(!is_exact_version(bad), "{bad}");
        }
    }

    #[test]
    fn pins_are_checked_in_both_manifests() {
        let cargo = "[dependencies]\nwasm-bindgen = \"=0.2.130\"\n";
        assert!(pin_problems(
            r#"{"dependencies":{"a":"1.2.3"},"devDependencies":{"b":"4.5.6"}}"#,
            cargo
        )
        .is_empty());
        let p = pin_problems(
            r#"{"dependencies":{"a":"^1.2.3"},"devDependencies":{"b":"latest"}}"#,
            "wasm-bindgen = \"0.2\"",
        );
        assert_eq!(p.len(), 3, "{p:?}");
        assert!(
            p[0].contains("dependencies.a")
                && p[1].contains("devDependencies.b")
                && p[2].contains("wasm-bindgen")
        );
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |f: &str| std::fs::read_to_string(repo.join(f)).unwrap();
        assert_eq!(
            pin_problems(&read("package.json"), &read("Cargo.toml")),
            Vec::<String>::new()
        );
    }

    #[test]
    fn npm_audit_outcomes() {
        let clean = r#"{"auditReportVersion":2,"vulnerabilities":{},"metadata":{"vulnerabilities":{"info":0,"low":0,"moderate":0,"high":0,"critical":0,"total":0},"dependencies":{"prod":2,"dev":40,"total":41}}}"#;
        assert_eq!(judge_npm_audit(true, clean, ""), Audit::Clean(41));
        let found = clean
            .replace(r#""high":0"#, r#""high":2"#)
            .replace(r#""total":0"#, r#""total":2"#);
        assert_eq!(
            judge_npm_audit(false, &found, ""),
            Audit::Findings("2 vulnerabilities (2 high)".into())
        );
        let refused = r#"{"message":"405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk","statusCode":405}"#;
        let err =
            "npm warn audit 405 Method Not Allowed\nnpm error audit endpoint returned an error\n";
        assert_eq!(
            judge_npm_audit(false, refused, err),
            Audit::Unavailable("405 Method Not Allowed".into())
        );
        assert_eq!(
            judge_npm_audit(
                false,
                "",
                "npm error code ENOTFOUND\nnpm error network request failed"
            ),
            Audit::Unavailable("ENOTFOUND".into())
        );
        assert!(matches!(
            judge_npm_audit(false, "", "npm error something else"),
            Audit::Broken(_)
        ));
    }

    #[test]
    fn advisory_fetch_failures_are_told_apart_from_findings() {
        let offline = "2026-11-26 [ERROR] failed to fetch advisory database https://x/advisory-db with cli: failed to clone\nCloning into '/root/.cargo/advisory-dbs/a'...\nfatal: unable to access 'https://x/advisory-db/': Could not resolve host: x\n";
        assert_eq!(
            advisory_db_problem(offline).as_deref(),
            Some("git could not fetch it: Could not resolve host: x")
        );
        let finding = "error[vulnerability]: Use-after-free in some-crate\n  ID: RUSTSEC-2099-0001\nadvisories FAILED\n";
        assert_eq!(advisory_db_problem(finding), None);
    }
}
