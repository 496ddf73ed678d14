//! The full app's module. `trunk build` builds only what index.html loads: the small boot module
//! (`secret-wizard-boot`: config, MSAL, the signed-out page). After it, this builds the full app
//! (`secret-wizard`) the same way Trunk does (release, wasm-bindgen 0.2.130, wasm-opt -Oz) into
//! `dist/app/`, names it by a hash of its wasm (so a new build is never served from a stale
//! cache), and writes its URL into index.html's `<meta name="secret-wizard-app">`, which the boot
//! module reads to load it once someone is signed in.

use std::path::Path;

use crate::util::{command, run, target_dir};

pub const META: &str = "secret-wizard-app";

/// FNV-1a, 64 bits: a content fingerprint for the file name (not a security property).
pub fn fingerprint(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// `<meta name="secret-wizard-app" content="">` with the URL filled in; Err if the tag is missing.
pub fn fill_meta(html: &str, url: &str) -> Result<String, String> {
    let empty = format!("<meta name=\"{META}\" content=\"\">");
    if !html.contains(&empty) {
        return Err(format!("dist/index.html has no {empty}"));
    }
    Ok(html.replacen(
        &empty,
        &format!("<meta name=\"{META}\" content=\"{url}\">"),
        1,
    ))
}

/// The URL in `<meta name="secret-wizard-app" content="…">`, when filled in.
pub fn url_in(html: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{}\"", META))?;
    let tag_end = at + html[at..].find('>')?;
    let tag = &html[at..tag_end];
    let content = tag.split("content=\"").nth(1)?.split('"').next()?;
    (!content.is_empty()).then(|| content.to_string())
}

/// `cargo build --release` of these binaries of the app for wasm32.
pub fn cargo_build(root: &Path, bins: &[&str]) -> Result<(), String> {
    let mut args = vec![
        "build",
        "--release",
        "--target",
        "wasm32-unknown-unknown",
        "-p",
        "secret-wizard",
    ];
    for bin in bins {
        args.extend(["--bin", bin]);
    }
    run(&mut command(root, "cargo", &args))
}

/// wasm-bindgen (`--target web`) of `wasm` into `out` as `name.js` and `name_bg.wasm`.
pub fn bindgen(root: &Path, wasm: &Path, out: &Path, name: &str) -> Result<(), String> {
    let out_s = out.to_string_lossy().to_string();
    let wasm_s = wasm.to_string_lossy().to_string();
    run(&mut command(
        root,
        "wasm-bindgen",
        &[
            "--target",
            "web",
            "--no-typescript",
            "--out-dir",
            &out_s,
            "--out-name",
            name,
            &wasm_s,
        ],
    ))
}

/// Builds the full app into `dist/app/` and points index.html at it; returns its URL.
pub fn build(root: &Path) -> Result<String, String> {
    cargo_build(root, &["secret-wizard"])?;
    let wasm = target_dir(root).join("wasm32-unknown-unknown/release/secret-wizard.wasm");
    let bytes = std::fs::read(&wasm).map_err(|e| format!("{}: {e}", wasm.display()))?;
    let name = format!("secret-wizard-{}", fingerprint(&bytes));
    let out = root.join("dist/app");
    let _ = std::fs::remove_dir_all(&out);
    std::fs::create_dir_all(&out).map_err(|e| format!("{}: {e}", out.display()))?;
    bindgen(root, &wasm, &out, &name)?;
    let bg = out.join(format!("{name}_bg.wasm"));
    let bg_s = bg.to_string_lossy().to_string();
    run(&mut command(root, "wasm-opt", &["-Oz", &bg_s, "-o", &bg_s]))?;
    let url = format!("/app/{name}.js");
    let index = root.join("dist/index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("{}: {e}", index.display()))?;
    std::fs::write(&index, fill_meta(&html, &url)?)
        .map_err(|e| format!("{}: {e}", index.display()))?;
    Ok(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_meta_tag_gets_the_url_once() {
        let html = "<head><meta name=\"secret-wizard-app\" content=\"\"></head>";
        assert_eq!(
            fill_meta(html, "/app/secret-wizard-0123.js").unwrap(),
            "<head><meta name=\"secret-wizard-app\" content=\"/app/secret-wizard-0123.js\"></head>"
        );
        assert!(fill_meta("<head></head>", "/app/x.js").is_err());
    }

    #[test]
    fn the_fingerprint_follows_the_bytes() {
        assert_eq!(fingerprint(b""), "cbf29ce484222325");
        assert_ne!(fingerprint(b"a"), fingerprint(b"b"));
        assert_eq!(fingerprint(b"a").len(), 16);
    }
}
