//! A small static file server for `dist/` (std::net + one thread per connection): GET and HEAD only,
//! content types by extension, `index.html` for extension-less unknown paths (SPA deep links),
//! per-path file overrides (config.json) and the headers from `deploy/headers.json`.

use crate::headers::HeaderRules;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

pub struct Site {
    pub root: PathBuf,
    pub headers: HeaderRules,
    /// URL path → file served instead of whatever `root` has there.
    pub overrides: Vec<(String, PathBuf)>,
    /// Print one line per request (method, path without query, status).
    pub log: bool,
}

/// Serves until the process ends; each connection gets its own thread.
pub fn spawn(listener: TcpListener, site: Site) -> std::thread::JoinHandle<()> {
    let site = Arc::new(site);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            let site = Arc::clone(&site);
            std::thread::spawn(move || {
                let _ = handle(stream, &site);
            });
        }
    })
}

pub fn content_type(path: &Path) -> &'static str {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "json" | "map" => "application/json",
        "webmanifest" => "application/manifest+json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "woff2" => "font/woff2",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// What a request path maps to.
#[derive(Debug, PartialEq)]
pub enum Target {
    File(PathBuf),
    NotFound,
    BadRequest,
}

pub fn resolve(site: &Site, raw_path: &str) -> Target {
    let Some(path) = decode_path(raw_path) else {
        return Target::BadRequest;
    };
    if let Some((_, file)) = site.overrides.iter().find(|(p, _)| *p == path) {
        return Target::File(file.clone());
    }
    let relative = path.trim_start_matches('/');
    let mut file = site.root.join(relative);
    if path.ends_with('/') {
        file = file.join("index.html");
    }
    if file.is_file() {
        return Target::File(file);
    }
    let last = path.rsplit('/').next().unwrap_or("");
    if !last.contains('.') {
        let index = site.root.join("index.html");
        if index.is_file() {
            return Target::File(index);
        }
    }
    Target::NotFound
}

/// Percent-decodes a request path and refuses anything that could leave the root.
fn decode_path(raw: &str) -> Option<String> {
    let raw = raw.split(['?', '#']).next().unwrap_or("");
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let unsafe_segment = path.split('/').any(|s| s == ".." || s == ".");
    if unsafe_segment || path.contains(['\\', '\0']) || path.contains("//") {
        return None;
    }
    Some(path)
}

fn handle(mut stream: TcpStream, site: &Site) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    // Drain the request headers; nothing in them changes a static answer.
    let mut total = request_line.len();
    loop {
        let mut line = String::new();
        let n = reader.read_line(&mut line)?;
        total += n;
        if n == 0 || line == "\r\n" || line == "\n" || total > 64 * 1024 {
            break;
        }
    }
    let mut parts = request_line.split_whitespace();
    let (method, target) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path_only = target.split(['?', '#']).next().unwrap_or("");
    let (status, mut headers, body): (&str, Vec<(String, String)>, Vec<u8>) =
        if method != "GET" && method != "HEAD" {
            let allow = vec![("Allow".to_string(), "GET, HEAD".to_string())];
            (
                "405 Method Not Allowed",
                allow,
                b"Only GET and HEAD are served here.\n".to_vec(),
            )
        } else {
            match resolve(site, target) {
                Target::File(file) => match std::fs::read(&file) {
                    Ok(body) => (
                        "200 OK",
                        vec![("Content-Type".into(), content_type(&file).into())],
                        body,
                    ),
                    Err(_) => ("404 Not Found", Vec::new(), b"Not found.\n".to_vec()),
                },
                Target::NotFound => ("404 Not Found", Vec::new(), b"Not found.\n".to_vec()),
                Target::BadRequest => (
                    "400 Bad Request",
                    Vec::new(),
                    b"Bad request path.\n".to_vec(),
                ),
            }
        };
    if !headers.iter().any(|(n, _)| n == "Content-Type") {
        headers.push(("Content-Type".into(), "text/plain; charset=utf-8".into()));
    }
    // All of headers.json, as deployed. Strict-Transport-Security among them does nothing here:
    // browsers honour it only over HTTPS (RFC 6797 section 8.1), and this server is plain
    // http://127.0.0.1, so the demo and the tests never pin a loopback name to HTTPS.
    headers.extend(site.headers.for_path(path_only));
    let mut head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    if site.log {
        println!("  [static] {method} {path_only} -> {status}");
    }
    // One write, without Nagle: a head and a body written separately wait out the client's
    // delayed ACK (~40 ms per file on loopback), which the bench would count as the app's time.
    let _ = stream.set_nodelay(true);
    let mut out = head.into_bytes();
    if method != "HEAD" {
        out.extend_from_slice(&body);
    }
    stream.write_all(&out)?;
    stream.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn temp_site() -> (PathBuf, Site) {
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let root = std::env::temp_dir().join(format!("xtask-serve-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(root.join("assets")).unwrap();
        std::fs::write(root.join("index.html"), "<!doctype html>index").unwrap();
        std::fs::write(root.join("redirect.html"), "bridge").unwrap();
        std::fs::write(root.join("app_bg.wasm"), b"\0asm").unwrap();
        std::fs::write(root.join("assets/site.css"), "body{}").unwrap();
        std::fs::write(root.join("config.json"), "{\"from\":\"dist\"}").unwrap();
        let sandbox_config = root.join("config.sandbox.json");
        std::fs::write(&sandbox_config, "{\"from\":\"sandbox\"}").unwrap();
        let headers = HeaderRules::parse(
            r#"{ "contentSecurityPolicy": ["default-src 'self'"],
                 "headers": { "/*": { "X-Content-Type-Options": "nosniff" },
                              "/redirect.html": { "Cache-Control": "no-store" } } }"#,
        )
        .unwrap();
        let site = Site {
            root: root.clone(),
            headers,
            overrides: vec![("/config.json".into(), sandbox_config)],
            log: false,
        };
        (root, site)
    }

    fn request(addr: std::net::SocketAddr, raw: &str) -> (String, Vec<u8>) {
        let mut s = TcpStream::connect(addr).unwrap();
        s.write_all(raw.as_bytes()).unwrap();
        let mut all = Vec::new();
        s.read_to_end(&mut all).unwrap();
        let split = all
            .windows(4)
            .position(|w| w == b"\r\n\r\n")
            .expect("header end");
        (
            String::from_utf8(all[..split].to_vec()).unwrap(),
            all[split + 4..].to_vec(),
        )
    }

    #[test]
    fn resolves_files_deep_links_overrides_and_refuses_escapes() {
        let (root, site) = temp_site();
        assert_eq!(resolve(&site, "/"), Target::File(root.join("index.html")));
        assert_eq!(
            resolve(&site, "/apps/123/rotate?x=1"),
            Target::File(root.join("index.html"))
        );
        assert_eq!(
            resolve(&site, "/assets/site.css"),
            Target::File(root.join("assets/site.css"))
        );
        assert_eq!(
            resolve(&site, "/config.json"),
            Target::File(root.join("config.sandbox.json"))
        );
        assert_eq!(resolve(&site, "/missing.js"), Target::NotFound);
        assert_eq!(resolve(&site, "/../etc/passwd"), Target::BadRequest);
        assert_eq!(resolve(&site, "/%2e%2e/etc/passwd"), Target::BadRequest);
        assert_eq!(resolve(&site, "/a%5c..%5cb"), Target::BadRequest);
        assert_eq!(resolve(&site, "relative"), Target::BadRequest);
        assert_eq!(resolve(&site, "/%zz"), Target::BadRequest);
    }

    #[test]
    fn content_types_by_extension() {
        assert_eq!(content_type(Path::new("a/app_bg.wasm")), "application/wasm");
        assert_eq!(
            content_type(Path::new("app.JS")),
            "text/javascript; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("s.css")), "text/css; charset=utf-8");
        assert_eq!(
            content_type(Path::new("index.html")),
            "text/html; charset=utf-8"
        );
        assert_eq!(content_type(Path::new("config.json")), "application/json");
        assert_eq!(content_type(Path::new("logo.svg")), "image/svg+xml");
        assert_eq!(content_type(Path::new("blob")), "application/octet-stream");
    }

    #[test]
    fn serves_over_tcp_with_headers_and_methods() {
        let (_root, site) = temp_site();
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = listener.local_addr().unwrap();
        spawn(listener, site);

        let (head, body) = request(addr, "GET /app_bg.wasm HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 200 OK"), "{head}");
        assert!(head.contains("Content-Type: application/wasm"), "{head}");
        assert!(
            head.contains("Content-Security-Policy: default-src 'self'"),
            "{head}"
        );
        assert!(head.contains("X-Content-Type-Options: nosniff"), "{head}");
        assert!(!head.contains("Cache-Control"), "{head}");
        assert_eq!(body, b"\0asm");

        let (head, body) = request(addr, "GET /redirect.html?code=abc HTTP/1.1\r\n\r\n");
        assert!(head.contains("Cache-Control: no-store"), "{head}");
        assert_eq!(body, b"bridge");

        let (head, body) = request(addr, "HEAD /wizard/new HTTP/1.1\r\n\r\n");
        assert!(head.contains("Content-Type: text/html"), "{head}");
        assert!(
            head.contains(&format!("Content-Length: {}", "<!doctype html>index".len())),
            "{head}"
        );
        assert!(body.is_empty());

        let (_, body) = request(addr, "GET /config.json HTTP/1.1\r\n\r\n");
        assert_eq!(body, b"{\"from\":\"sandbox\"}");

        let (head, _) = request(addr, "POST / HTTP/1.1\r\nContent-Length: 0\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 405"), "{head}");
        assert!(head.contains("Allow: GET, HEAD"), "{head}");

        let (head, _) = request(addr, "GET /nope.js HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 404"), "{head}");
        let (head, _) = request(addr, "GET /../secret HTTP/1.1\r\n\r\n");
        assert!(head.starts_with("HTTP/1.1 400"), "{head}");
    }
}
