//! `ensure`: installs exactly what is missing or at the wrong version, and says what it skipped.
//! Idempotent: on a machine that has everything it only runs a few `--version` commands.

use crate::util::{command, describe, is_root, run, secs, stdout_of};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Instant;

pub const TRUNK_VERSION: &str = "0.21.14";

/// Runs every ensure step; `chromium` adds the browser and its driver (tests only).
pub fn ensure(root: &Path, chromium: bool) -> Result<(), String> {
    println!("== ensure: tools");
    let start = Instant::now();
    step("wasm32 target", || wasm_target(root))?;
    step("trunk", || trunk(root))?;
    step("wasm-bindgen-cli", || wasm_bindgen(root))?;
    step("npm packages", || npm(root))?;
    if chromium {
        ensure_browser(root)?;
    }
    println!("== ensure: done in {}", secs(start.elapsed()));
    Ok(())
}

/// Debian's chromium and chromedriver (for the browser tests only).
pub fn ensure_browser(root: &Path) -> Result<(), String> {
    step("chromium + chromedriver", || browser(root))
}

/// What a step did, for the log line.
enum Done {
    Skipped(String),
    Installed(String),
}

fn step(name: &str, f: impl FnOnce() -> Result<Done, String>) -> Result<(), String> {
    let start = Instant::now();
    match f() {
        Ok(Done::Skipped(why)) => println!("  {name}: skipped ({why}) [{}]", secs(start.elapsed())),
        Ok(Done::Installed(what)) => {
            println!("  {name}: installed {what} [{}]", secs(start.elapsed()))
        }
        Err(e) => {
            println!("  {name}: FAILED after {}", secs(start.elapsed()));
            return Err(format!("ensure {name}: {e}"));
        }
    }
    Ok(())
}

fn wasm_target(root: &Path) -> Result<Done, String> {
    let installed =
        stdout_of("rustup", &["target", "list", "--installed"]).ok_or("rustup is not available")?;
    if installed
        .lines()
        .any(|l| l.trim() == "wasm32-unknown-unknown")
    {
        return Ok(Done::Skipped("already installed".into()));
    }
    run(&mut command(
        root,
        "rustup",
        &["target", "add", "wasm32-unknown-unknown"],
    ))?;
    Ok(Done::Installed("wasm32-unknown-unknown".into()))
}

/// The version a `<tool> --version` line reports ("trunk 0.21.14" → "0.21.14").
pub fn reported_version(output: &str) -> Option<&str> {
    output.split_whitespace().nth(1)
}

fn trunk(root: &Path) -> Result<Done, String> {
    let current = stdout_of("trunk", &["--version"]);
    if current.as_deref().and_then(reported_version) == Some(TRUNK_VERSION) {
        return Ok(Done::Skipped(format!("trunk {TRUNK_VERSION} present")));
    }
    println!(
        "  trunk: have {}, need {TRUNK_VERSION} (takes ~6 min on 2 cores)",
        current.as_deref().unwrap_or("none")
    );
    let mut args = vec!["install", "trunk", "--locked", "--version", TRUNK_VERSION];
    if current.is_some() {
        args.push("--force");
    }
    run(&mut command(root, "cargo", &args))?;
    Ok(Done::Installed(format!("trunk {TRUNK_VERSION}")))
}

/// The version of `package` recorded in a Cargo.lock text.
pub fn locked_version(lock: &str, package: &str) -> Option<String> {
    let wanted = format!("name = \"{package}\"");
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line.trim() == wanted {
            let version = lines
                .next()?
                .trim()
                .strip_prefix("version = \"")?
                .strip_suffix('"')?;
            return Some(version.to_string());
        }
    }
    None
}

fn wasm_bindgen(root: &Path) -> Result<Done, String> {
    let lock =
        std::fs::read_to_string(root.join("Cargo.lock")).map_err(|e| format!("Cargo.lock: {e}"))?;
    let want =
        locked_version(&lock, "wasm-bindgen").ok_or("Cargo.lock has no wasm-bindgen package")?;
    let current = stdout_of("wasm-bindgen", &["--version"]);
    let runner = stdout_of("wasm-bindgen-test-runner", &["--version"]);
    let have = current.as_deref().and_then(reported_version);
    if have == Some(want.as_str())
        && runner.as_deref().and_then(reported_version) == Some(want.as_str())
    {
        return Ok(Done::Skipped(format!(
            "wasm-bindgen {want} matches Cargo.lock"
        )));
    }
    println!(
        "  wasm-bindgen-cli: have {}, Cargo.lock wants {want} (takes ~2 min)",
        have.unwrap_or("none")
    );
    // --locked: the dependency versions wasm-bindgen's own Cargo.lock was released with.
    let mut args = vec![
        "install",
        "wasm-bindgen-cli",
        "--locked",
        "--version",
        want.as_str(),
    ];
    if current.is_some() || runner.is_some() {
        args.push("--force");
    }
    let stderr = match run_keeping_stderr(&mut command(root, "cargo", &args)) {
        Ok(()) => {
            return Ok(Done::Installed(format!(
                "wasm-bindgen-cli {want} (--locked)"
            )))
        }
        Err(stderr) => stderr,
    };
    // Only when the registry this machine uses lacks a version that lock names (seen: a mirror
    // without webpki-roots 1.0.11) does it install without --locked, and it says so.
    let Some(missing) = missing_locked_version(&stderr) else {
        return Err(format!(
            "`cargo install wasm-bindgen-cli --locked --version {want}` failed (above)"
        ));
    };
    println!(
        "  wasm-bindgen-cli: WARNING: its Cargo.lock wants {missing}, which this machine's \
         registry does not have; installing WITHOUT --locked (its dependencies resolved anew)"
    );
    args.retain(|a| *a != "--locked");
    run(&mut command(root, "cargo", &args))?;
    Ok(Done::Installed(format!(
        "wasm-bindgen-cli {want} WITHOUT --locked ({missing} is not in the registry)"
    )))
}

/// The locked dependency cargo could not find, from its error
/// "failed to select a version for the requirement `webpki-roots = "^1.0.10"` (locked to 1.0.11)"
/// → "webpki-roots 1.0.11". None for any other failure.
pub fn missing_locked_version(stderr: &str) -> Option<String> {
    let line = stderr
        .lines()
        .find(|l| l.contains("failed to select a version for the requirement `"))?;
    let (_, requirement) = line.split_once('`')?;
    let name = requirement.split_whitespace().next()?;
    let (_, locked) = line.split_once("(locked to ")?;
    let version = locked.strip_suffix(')')?;
    Some(format!("{name} {version}"))
}

/// Runs a command with its stdout inherited and its stderr shown line by line as it comes;
/// Err carries that stderr, to tell why it failed.
fn run_keeping_stderr(c: &mut Command) -> Result<(), String> {
    println!("  $ {}", describe(c));
    let mut child = c
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("could not start `{}`: {e}", describe(c)))?;
    let mut kept = String::new();
    for line in BufReader::new(child.stderr.take().expect("piped")).lines() {
        let Ok(line) = line else { break };
        eprintln!("{line}");
        kept.push_str(&line);
        kept.push('\n');
    }
    match child.wait() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{kept}exited with {status}")),
        Err(e) => Err(format!("{kept}{e}")),
    }
}

fn npm(root: &Path) -> Result<Done, String> {
    let lock = root.join("package-lock.json");
    let marker = root.join("node_modules/.package-lock.json");
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    let fresh = match (modified(&marker), modified(&lock)) {
        (Some(installed), Some(locked)) => installed >= locked,
        _ => false,
    };
    if fresh
        && root.join("node_modules/.bin/wasm-opt").exists()
        && root.join("node_modules/playwright-core").is_dir()
    {
        return Ok(Done::Skipped(
            "node_modules is newer than package-lock.json".into(),
        ));
    }
    if stdout_of("npm", &["--version"]).is_none() {
        return Err(
            "npm is not installed (Node.js 20 with npm is expected on this machine)".into(),
        );
    }
    run(&mut command(
        root,
        "npm",
        &["ci", "--no-audit", "--no-fund"],
    ))?;
    Ok(Done::Installed(
        "node_modules from package-lock.json".into(),
    ))
}

fn browser(root: &Path) -> Result<Done, String> {
    let driver = stdout_of("chromedriver", &["--version"]);
    if Path::new("/usr/bin/chromium").exists() && driver.is_some() {
        return Ok(Done::Skipped(
            "/usr/bin/chromium and chromedriver present".into(),
        ));
    }
    let sudo = if is_root() { vec![] } else { vec!["sudo"] };
    let apt = |args: &[&str]| {
        let all: Vec<&str> = sudo
            .iter()
            .copied()
            .chain(["apt-get"])
            .chain(args.iter().copied())
            .collect();
        let mut c = command(root, all[0], &all[1..]);
        c.env("DEBIAN_FRONTEND", "noninteractive");
        run(&mut c)
    };
    apt(&["update", "-q"])?;
    apt(&[
        "install",
        "-y",
        "-q",
        "--no-install-recommends",
        "chromium",
        "chromium-driver",
    ])?;
    Ok(Done::Installed("Debian chromium + chromium-driver".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_versions() {
        assert_eq!(reported_version("trunk 0.21.14"), Some("0.21.14"));
        assert_eq!(reported_version("wasm-bindgen 0.2.130"), Some("0.2.130"));
        assert_eq!(reported_version(""), None);
    }

    #[test]
    fn finds_a_package_version_in_a_lock_file() {
        let lock = "[[package]]\nname = \"wasm-bindgen-macro\"\nversion = \"0.2.1\"\n\n[[package]]\nname = \"wasm-bindgen\"\nversion = \"0.2.130\"\nsource = \"x\"\n";
        assert_eq!(
            locked_version(lock, "wasm-bindgen").as_deref(),
            Some("0.2.130")
        );
        assert_eq!(locked_version(lock, "yew"), None);
    }

    #[test]
    fn tells_a_locked_version_missing_from_the_registry_from_other_failures() {
        let missing = "    Updating crates.io index\n  Installing wasm-bindgen-cli v0.2.130\n\
            error: failed to select a version for the requirement `webpki-roots = \"^1.0.10\"` (locked to 1.0.11)\n\
            candidate versions found which didn't match: 1.0.10, 1.0.9, 1.0.8, ...\n\
            location searched: crates.io index\n";
        assert_eq!(
            missing_locked_version(missing).as_deref(),
            Some("webpki-roots 1.0.11")
        );
        let compile = "error[E0425]: cannot find value `x` in this scope\nerror: failed to compile `wasm-bindgen-cli v0.2.130`\n";
        assert_eq!(missing_locked_version(compile), None);
        assert_eq!(missing_locked_version(""), None);
    }

    #[test]
    fn the_workspace_lock_pins_the_wasm_bindgen_the_app_asks_for() {
        let root = crate::util::root();
        let lock = std::fs::read_to_string(root.join("Cargo.lock")).unwrap();
        let manifest = std::fs::read_to_string(root.join("Cargo.toml")).unwrap();
        let locked = locked_version(&lock, "wasm-bindgen").expect("wasm-bindgen in Cargo.lock");
        assert!(
            manifest.contains(&format!("wasm-bindgen = \"={locked}\"")),
            "Cargo.toml pins another wasm-bindgen than {locked}"
        );
    }
}
