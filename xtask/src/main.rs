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
mod perf;
mod serve;
mod services;
mod supply;
mod testing;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command> [options]

commands:
  demo [--skip-build]   build the app, start the sandbox (:8400) and serve dist/ at :8080
  test [options]        run every check; ends with `N passed, N failed`
      --only <steps>    comma-separated subset of: fmt, supply, advisories, npm-audit,
                        clippy, clippy-wasm, test, test-wasm, build, budget, e2e
      --skip-e2e        everything but the browser end-to-end tests
      --grep <text>     only e2e tests whose name contains <text>
  build                 the release dist/ to deploy: boot module (trunk) + full app (dist/app/)
  ensure [--chromium]   install missing tools (wasm32 target, trunk, wasm-bindgen-cli, npm packages)
  serve                 serve dist/ at :8080 with deploy/headers.json (no sandbox, no build)
  csp --config <file> [--path <p>]  the Content-Security-Policy header for that config.json
  bench [--runs N] [--skip-build]  the expiry overview with 5,000 apps, then first load and flows
                        (sizes, Sign-in time, requests, clicks); writes BENCHMARKS.md
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
            };
            return ExitCode::from(testing::test(&root, &opts) as u8);
        }
        Some("ensure") => ensure::ensure(&root, flag("--chromium")),
        Some("build") => ensure::ensure(&root, false).and_then(|()| demo::build_app(&root)),
        Some("serve") => serve_only(&root),
        Some("csp") => csp::command(&root, value("--config"), value("--path")),
        Some("bench") => bench::bench(
            &root,
            value("--runs").and_then(|n| n.parse().ok()).unwrap_or(10),
            flag("--skip-build"),
        ),
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
