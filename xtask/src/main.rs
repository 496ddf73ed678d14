//! Project automation: `cargo xtask demo`, `cargo xtask test`, `cargo xtask ensure`,
//! `cargo xtask serve`. Std only, so it compiles in a second or two.

mod app_module;
mod bench;
mod csp;
mod demo;
mod dist;
mod ensure;
mod headers;
mod json;
mod msal_pin;
mod perf;
mod serve;
mod services;
mod size;
mod supply;
mod testing;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  demo [--skip-build]   build the app, start the sandbox (:8400) and serve dist/ at :8080
  test [options]        run every check; ends with `N passed, N failed, N skipped` (each step
                        counts once; a skipped step is named in the summary with why)
      --only <steps>    run only these, comma-separated (the others are not run, and are not
                        counted or listed as skipped): fmt, supply, advisories, npm-audit,
                        clippy, clippy-wasm, test, test-wasm, build, budget, e2e
      --skip-e2e        everything but the browser end-to-end tests (e2e shows as skipped)
      --grep <text>     only e2e tests whose name contains <text>
      --strict          fail (exit 1) on any skipped step too, e.g. advisories or npm-audit
                        when their hosts do not answer; for a machine with full network access
  build                 the release dist/ to deploy: boot module (trunk) + full app (dist/app/)
  ensure [--chromium]   install missing tools (wasm32 target, trunk, wasm-bindgen-cli, npm packages)
  serve                 serve dist/ at :8080 with deploy/headers.json (no sandbox, no build)
  csp --config <file> [--path <p>]  the Content-Security-Policy header for that config.json
  bench [--runs N] [--skip-build]  the expiry overview with 5,000 apps, then first load and flows
                        (sizes, Sign-in time, requests, clicks), then renewing 200 secrets at
                        once (requests, time, with and without faults); writes BENCHMARKS.md
  bench renew [--skip-build]       only renewing 200 secrets at once
  size                  what the bytes of each wasm module are (by crate and by our module);
                        writes BENCHMARKS.md
";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = util::root();
    util::setup_path(&root);
    let flag = |name: &str| args.iter().any(|a| a == name);
    let value = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let result = match args.first().map(String::as_str) {
        Some("demo") => demo::demo(&root, flag("--skip-build")),
        Some("test") => {
            if let Some(problem) = test_option_problem(&args[1..]) {
                eprintln!("{problem}\n");
                eprint!("{USAGE}");
                return ExitCode::from(2);
            }
            let only = value("--only")
                .map(|s| {
                    s.split(',')
                        .map(|p| p.trim().to_string())
                        .filter(|p| !p.is_empty())
                        .collect()
                })
                .unwrap_or_default();
            let opts = testing::Options {
                only,
                skip_e2e: flag("--skip-e2e"),
                grep: value("--grep"),
                strict: flag("--strict"),
            };
            return ExitCode::from(testing::test(&root, &opts) as u8);
        }
        Some("ensure") => ensure::ensure(&root, flag("--chromium")),
        Some("build") => ensure::ensure(&root, false).and_then(|()| demo::build_app(&root)),
        Some("serve") => serve_only(&root),
        Some("csp") => csp::command(&root, value("--config"), value("--path")),
        Some("bench") if args.get(1).map(String::as_str) == Some("renew") => {
            bench::renew_only(&root, flag("--skip-build"))
        }
        Some("bench") => bench::bench(
            &root,
            value("--runs").and_then(|n| n.parse().ok()).unwrap_or(10),
            flag("--skip-build"),
        ),
        Some("size") => ensure::ensure(&root, false).and_then(|()| size::size(&root)),
        Some("-h" | "--help" | "help") => {
            print!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        _ => {
            eprint!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// What is wrong with `test`'s arguments, if anything: a mistyped `--strict` must not quietly
/// give a run that passes on skips, nor a bare `--only` one that runs everything.
fn test_option_problem(args: &[String]) -> Option<String> {
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match arg.as_str() {
            "--skip-e2e" | "--strict" => {}
            "--only" | "--grep" => {
                if rest.next().is_none() {
                    return Some(format!("{arg} needs a value"));
                }
            }
            other => return Some(format!("unknown option {other:?} for test")),
        }
    }
    None
}

/// Serves an existing dist/ until Ctrl-C: for checking a build or the headers by hand.
fn serve_only(root: &std::path::Path) -> Result<(), String> {
    util::install_stop_handler();
    services::start_static(root, true)?;
    println!("serving dist/ at {}/ (Ctrl-C stops)", services::app_url());
    while !util::stop_requested() {
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_refuses_options_it_does_not_know() {
        let problem =
            |a: &[&str]| test_option_problem(&a.iter().map(|s| s.to_string()).collect::<Vec<_>>());
        let ok = [
            "--only",
            "fmt,e2e",
            "--grep",
            "--strict",
            "--skip-e2e",
            "--strict",
        ];
        assert_eq!(problem(&ok), None, "--grep's value may look like a flag");
        assert_eq!(problem(&[]), None);
        assert_eq!(
            problem(&["--stict"]).as_deref(),
            Some("unknown option \"--stict\" for test")
        );
        assert!(problem(&["fmt"]).unwrap().contains("\"fmt\""));
        assert_eq!(
            problem(&["--only"]).as_deref(),
            Some("--only needs a value")
        );
    }
}
