//! The two local services the demo and the e2e tests need: the sandbox (Entra ID, Graph, ARM,
//! Key Vault stand-in) as a child process, and the static server for `dist/` in a thread.

use crate::serve::{self, Site};
use crate::util::{command, http_answers, run, target_dir, wait_ready, ChildGuard};
use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

pub const SANDBOX_PORT: u16 = 8400;
pub const APP_PORT: u16 = 8080;

pub fn sandbox_url() -> String {
    format!("http://127.0.0.1:{SANDBOX_PORT}")
}

pub fn app_url() -> String {
    format!("http://127.0.0.1:{APP_PORT}")
}

pub fn build_sandbox(root: &Path) -> Result<(), String> {
    run(&mut command(root, "cargo", &["build", "-p", "sandbox"]))
}

/// Starts `target/debug/sandbox` and waits until it answers. `log`: where its output goes
/// (None: this terminal).
pub fn start_sandbox(root: &Path, log: Option<&Path>) -> Result<ChildGuard, String> {
    let addr = SocketAddr::from(([127, 0, 0, 1], SANDBOX_PORT));
    if http_answers(addr, "/_sandbox/health") {
        return Err(format!(
            "something already answers on {} (a `cargo xtask demo` still running?); stop it first",
            sandbox_url()
        ));
    }
    let bin = target_dir(root).join("debug/sandbox");
    let port = SANDBOX_PORT.to_string();
    let origin = app_url();
    let mut c = command(
        root,
        &bin.to_string_lossy(),
        &["--port", &port, "--app-origin", &origin],
    );
    if let Some(log) = log {
        if let Some(dir) = log.parent() {
            std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        }
        let file = std::fs::File::create(log).map_err(|e| format!("{}: {e}", log.display()))?;
        let copy = file.try_clone().map_err(|e| e.to_string())?;
        c.stdout(Stdio::from(file)).stderr(Stdio::from(copy));
    }
    c.stdin(Stdio::null());
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
        Duration::from_secs(30),
    )?;
    Ok(guard)
}

/// Binds the app port and serves `dist/` with the sandbox's config.json and deploy/headers.json.
pub fn start_static(root: &Path, log: bool) -> Result<(), String> {
    let dist = root.join("dist");
    if !dist.join("index.html").is_file() {
        return Err(format!(
            "{} has no index.html: run `trunk build --release` first",
            dist.display()
        ));
    }
    // deploy/headers.json, with the served config.json's cloud endpoints in the CSP.
    let headers = crate::csp::served_rules(root)?;
    let listener = TcpListener::bind(("127.0.0.1", APP_PORT)).map_err(|e| {
        format!(
            "cannot listen on {}: {e} (a `cargo xtask demo` still running?)",
            app_url()
        )
    })?;
    let site = Site {
        root: dist,
        headers,
        overrides: config_override(root),
        log,
    };
    serve::spawn(listener, site);
    Ok(())
}

/// `/config.json` comes from `static/config.sandbox.json` when that file exists.
fn config_override(root: &Path) -> Vec<(String, PathBuf)> {
    let sandbox_config = root.join("static/config.sandbox.json");
    if sandbox_config.is_file() {
        vec![("/config.json".to_string(), sandbox_config)]
    } else {
        println!("  note: static/config.sandbox.json not found; serving dist/config.json as built");
        Vec::new()
    }
}
