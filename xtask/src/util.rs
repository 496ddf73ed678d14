//! Shared plumbing: where the repository is, PATH for the tools, running commands with timing,
//! child processes that die with us, and Ctrl-C / SIGTERM handling without extra crates.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

/// The workspace root (xtask lives one level below it).
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest
        .parent()
        .expect("xtask sits inside the workspace")
        .to_path_buf()
}

pub fn target_dir(root: &Path) -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root.join(dir),
        None => root.join("target"),
    }
}

/// Puts `node_modules/.bin` (wasm-opt from npm binaryen) and cargo's bin dir first on PATH, so
/// every child (trunk above all) finds the pinned tools. Called once, before any thread starts.
pub fn setup_path(root: &Path) {
    let mut dirs = vec![root.join("node_modules/.bin")];
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    if let Some(home) = cargo_home {
        dirs.push(home.join("bin"));
    }
    let old = std::env::var_os("PATH").unwrap_or_default();
    dirs.extend(std::env::split_paths(&old));
    let joined = std::env::join_paths(dirs).expect("PATH entries without ':'");
    std::env::set_var("PATH", joined);
    // Trunk must never try to download a tool: a version mismatch becomes a clear error instead.
    std::env::set_var("TRUNK_OFFLINE", "true");
}

pub fn command(root: &Path, program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args).current_dir(root);
    c
}

/// Runs a command with inherited output; Err says what failed.
pub fn run(c: &mut Command) -> Result<(), String> {
    let shown = describe(c);
    println!("  $ {shown}");
    let status = c
        .status()
        .map_err(|e| format!("could not start `{shown}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{shown}` exited with {status}"))
    }
}

/// Trimmed stdout of a command that succeeded, or None (missing tool, failure).
pub fn stdout_of(program: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(program).args(args).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

pub fn describe(c: &Command) -> String {
    let mut s = c.get_program().to_string_lossy().into_owned();
    for a in c.get_args() {
        s.push(' ');
        s.push_str(&a.to_string_lossy());
    }
    s
}

pub fn secs(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s >= 60.0 {
        format!("{}m{:02.0}s", (s / 60.0).floor(), s % 60.0)
    } else {
        format!("{s:.1}s")
    }
}

/// A child process that is killed (and reaped) when this guard goes away, even on panic.
pub struct ChildGuard {
    pub name: &'static str,
    pub child: Child,
}

impl ChildGuard {
    /// Some(description) once the child has exited.
    pub fn exited(&mut self) -> Option<String> {
        match self.child.try_wait() {
            Ok(Some(status)) => Some(status.to_string()),
            Ok(None) => None,
            Err(e) => Some(e.to_string()),
        }
    }
}

impl Drop for ChildGuard {
    fn drop(&mut self) {
        if let Ok(None) = self.child.try_wait() {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

/// True when something answers HTTP on `addr` (any status).
pub fn http_answers(addr: SocketAddr, path: &str) -> bool {
    let Ok(mut s) = TcpStream::connect_timeout(&addr, Duration::from_millis(300)) else {
        return false;
    };
    let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
    let req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if s.write_all(req.as_bytes()).is_err() {
        return false;
    }
    let mut buf = [0u8; 12];
    matches!(s.read(&mut buf), Ok(n) if n >= 5 && buf.starts_with(b"HTTP/"))
}

/// Waits until `addr` answers HTTP, the child dies, or the timeout passes.
pub fn wait_ready(
    guard: &mut ChildGuard,
    addr: SocketAddr,
    path: &str,
    timeout: Duration,
) -> Result<(), String> {
    let start = Instant::now();
    loop {
        if let Some(status) = guard.exited() {
            return Err(format!(
                "{} exited before it was ready ({status})",
                guard.name
            ));
        }
        if http_answers(addr, path) {
            return Ok(());
        }
        if start.elapsed() > timeout || stop_requested() {
            return Err(format!(
                "{} did not answer on http://{addr}{path} within {}",
                guard.name,
                secs(timeout)
            ));
        }
        std::thread::sleep(Duration::from_millis(150));
    }
}

static STOP: AtomicBool = AtomicBool::new(false);

extern "C" fn on_signal(_signum: i32) {
    STOP.store(true, Ordering::SeqCst);
}

extern "C" {
    fn signal(signum: i32, handler: extern "C" fn(i32)) -> usize;
    fn geteuid() -> u32;
}

/// Ctrl-C (SIGINT) and SIGTERM set a flag instead of killing xtask at once, so guards can stop
/// the children. Children are in our process group, so a terminal's Ctrl-C reaches them too.
pub fn install_stop_handler() {
    const SIGINT: i32 = 2;
    const SIGTERM: i32 = 15;
    // SAFETY: the handler only stores to an atomic, which is async-signal-safe.
    unsafe {
        signal(SIGINT, on_signal);
        signal(SIGTERM, on_signal);
    }
}

pub fn stop_requested() -> bool {
    STOP.load(Ordering::SeqCst)
}

pub fn is_root() -> bool {
    // SAFETY: geteuid has no preconditions and cannot fail.
    unsafe { geteuid() == 0 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_read_well() {
        assert_eq!(secs(Duration::from_millis(2500)), "2.5s");
        assert_eq!(secs(Duration::from_secs(125)), "2m05s");
    }

    #[test]
    fn guard_kills_its_child_on_drop() {
        let child = Command::new("sleep").arg("30").spawn().unwrap();
        let pid = child.id();
        drop(ChildGuard {
            name: "sleep",
            child,
        });
        let alive = Path::new(&format!("/proc/{pid}")).exists()
            && !std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .unwrap_or_default()
                .contains(") Z");
        assert!(!alive, "child {pid} still running");
    }
}
