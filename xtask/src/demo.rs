//! `cargo xtask demo`: build the app, start the sandbox and the static server, print how to use it,
//! and stop everything on Ctrl-C.

use crate::ensure::ensure;
use crate::services::{app_url, build_sandbox, sandbox_url, start_sandbox, start_static};
use crate::util::{command, install_stop_handler, run, secs, stop_requested};
use std::path::Path;
use std::time::{Duration, Instant};

pub const PERSONAS: [(&str, &str, &str); 3] = [
    (
        "Ada Admin",
        "ada@contoso.example",
        "Application Administrator: can add secrets to any app",
    ),
    (
        "Dev Dan",
        "dan@contoso.example",
        "owns Payroll API and Onboarding Portal",
    ),
    (
        "Rita Reader",
        "rita@contoso.example",
        "read only: can look, cannot add secrets",
    ),
];

pub fn build_app(root: &Path) -> Result<(), String> {
    run(&mut command(root, "trunk", &["build", "--release"]))?;
    // The MSAL.js files Trunk copied are the pinned ones (xtask/src/msal_pin.rs), or no build.
    println!("  {}", crate::msal_pin::check(root)?);
    // No inline script or style may stay: the CSP (deploy/headers.json) has no 'unsafe-inline'.
    for line in crate::dist::externalize_inline(&root.join("dist"))? {
        println!("  {line}");
    }
    // Trunk built the boot module; the full app (loaded after sign-in) is built next to it.
    let url = crate::app_module::build(root)?;
    println!("  full app module: {url}");
    Ok(())
}

pub fn demo(root: &Path, skip_build: bool) -> Result<(), String> {
    install_stop_handler();
    let start = Instant::now();
    ensure(root, false)?;
    if skip_build {
        println!("== build: skipped (--skip-build); serving dist/ as it is");
    } else {
        println!("== build: trunk build --release");
        build_app(root)?;
    }
    println!("== sandbox: cargo build -p sandbox");
    build_sandbox(root)?;
    let mut sandbox = start_sandbox(root, None)?;
    start_static(root, true)?;
    let app = app_url();
    println!();
    println!(
        "secret-wizard demo is running (ready in {}):",
        secs(start.elapsed())
    );
    println!("  app      {app}/");
    println!(
        "  sandbox  {}/  (Entra ID, Graph, ARM and Key Vault stand-in)",
        sandbox_url()
    );
    println!(
        "Sign in as one of the demo personas (no password; pick one on the sandbox sign-in page):"
    );
    for (name, upn, what) in PERSONAS {
        println!("  {name:<12} {upn:<22} {what}");
    }
    println!(
        "Reset the sandbox's data: curl -X POST {}/_sandbox/reset",
        sandbox_url()
    );
    println!("Press Ctrl-C to stop.");
    loop {
        std::thread::sleep(Duration::from_millis(200));
        if stop_requested() {
            println!("\nstopping…");
            drop(sandbox);
            return Ok(());
        }
        if let Some(status) = sandbox.exited() {
            return Err(format!("the sandbox stopped unexpectedly ({status})"));
        }
    }
}
