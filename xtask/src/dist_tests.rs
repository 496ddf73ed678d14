//! Tests of the post-build step (inline scripts and styles out of dist/'s pages).

use super::*;

const TRUNK: &str = r#"<!doctype html>
<html><head>
<link rel="stylesheet" href="/app-1.css" integrity="sha384-x"/>
<!-- a comment with <script>alert(1)</script> stays as it is -->
<script src="/msal-browser.min.js"></script>
<script type="module" nonce="abc123">
import init, * as bindings from '/secret-wizard-1.js';
const wasm = await init({ module_or_path: '/secret-wizard-1_bg.wasm' });
window.wasmBindings = bindings;
</script>
<style nonce='n'>.x{color:red}</style>
<link rel="modulepreload" href="/secret-wizard-1.js" crossorigin="anonymous"></head>
<body><div id="app"></div></body></html>"#;

#[test]
fn moves_trunks_inline_module_and_styles_into_files() {
    let out = rewrite(TRUNK).unwrap();
    assert_eq!(out.assets.len(), 2, "{:?}", out.assets);
    let js = &out.assets[0];
    assert!(
        js.file.starts_with("init-") && js.file.ends_with(".js"),
        "{}",
        js.file
    );
    assert!(js
        .text
        .contains("await init({ module_or_path: '/secret-wizard-1_bg.wasm' })"));
    let css = &out.assets[1];
    assert!(css.file.starts_with("inline-") && css.file.ends_with(".css"));
    assert_eq!(css.text, ".x{color:red}\n");
    let tag = format!(
        "<script type=\"module\" async src=\"/{}\"></script>",
        js.file
    );
    assert!(out.html.contains(&tag), "{}", out.html);
    assert!(out
        .html
        .contains(&format!("<link rel=\"stylesheet\" href=\"/{}\">", css.file)));
    assert!(!out.html.contains("nonce"), "{}", out.html);
    assert!(!out.html.contains("import init"), "{}", out.html);
    assert!(out
        .html
        .contains("<script src=\"/msal-browser.min.js\"></script>"));
    assert!(out
        .html
        .contains("<!-- a comment with <script>alert(1)</script> stays as it is -->"));
    assert!(out.html.contains(r#"integrity="sha384-x""#));
    check_strict(&out.html).unwrap();
    // Idempotent: the output has nothing left to move.
    let again = rewrite(&out.html).unwrap();
    assert!(again.assets.is_empty());
    assert_eq!(again.html, out.html);
}

#[test]
fn same_content_same_name_changed_content_new_name() {
    let a = rewrite("<script>one()</script>").unwrap();
    let b = rewrite("<script>\n  one()\n</script>").unwrap();
    let c = rewrite("<script>two()</script>").unwrap();
    assert_eq!(a.assets[0].file, b.assets[0].file);
    assert_ne!(a.assets[0].file, c.assets[0].file);
    assert_eq!(
        a.html,
        format!("<script src=\"/{}\"></script>", a.assets[0].file)
    );
}

#[test]
fn refuses_what_cannot_be_moved_or_would_be_blocked() {
    assert!(
        rewrite(r#"<script type="importmap">{"imports":{}}</script>"#)
            .unwrap_err()
            .contains("importmap")
    );
    assert!(rewrite("<script>never closed").is_err());
    let blocked = [
        (r#"<button onclick="go()">x</button>"#, "onclick"),
        (r#"<span style="width: 3%"></span>"#, "style"),
        (r#"<a href=" JavaScript:alert(1)">x</a>"#, "javascript:"),
        ("<script>inline()</script>", "inline <script>"),
        ("<STYLE>b{}</STYLE>", "inline <style>"),
        (r#"<script nonce="x" src="/a.js"></script>"#, "nonce"),
    ];
    for (html, why) in blocked {
        let e = check_strict(html).unwrap_err();
        assert!(e.contains(why), "{html}: {e}");
    }
    check_strict(r#"<script src="/a.js"></script><p class="onboarding" data-on="1">x</p>"#)
        .unwrap();
}

#[test]
fn nonce_attributes_go_in_every_spelling() {
    assert_eq!(
        strip_nonce(r#"<script nonce="a b" src="/x.js">"#),
        r#"<script src="/x.js">"#
    );
    assert_eq!(strip_nonce("<link NONCE=abc rel=x>"), "<link rel=x>");
    assert_eq!(strip_nonce("<script nonce>"), "<script>");
    assert_eq!(
        strip_nonce(r#"<meta name="nonces">"#),
        r#"<meta name="nonces">"#
    );
}

#[test]
fn attributes_read_quoted_bare_and_empty_values() {
    let a = attributes(r#"<script type="module" data-x='1 2' defer SRC=/a.js>"#);
    assert_eq!(attr(&a, "type"), Some("module"));
    assert_eq!(attr(&a, "data-x"), Some("1 2"));
    assert_eq!(attr(&a, "defer"), Some(""));
    assert_eq!(attr(&a, "src"), Some("/a.js"));
}

#[test]
fn rewrites_a_dist_directory_in_place() {
    let dir = std::env::temp_dir().join(format!("xtask-dist-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("index.html"), TRUNK).unwrap();
    std::fs::write(
        dir.join("redirect.html"),
        r#"<script src="/r.js"></script>"#,
    )
    .unwrap();
    let log = externalize_inline(&dir).unwrap();
    assert_eq!(log.len(), 2, "{log:?}");
    let index = std::fs::read_to_string(dir.join("index.html")).unwrap();
    check_strict(&index).unwrap();
    let init = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(Result::ok)
        .find(|e| e.file_name().to_string_lossy().starts_with("init-"))
        .expect("init file written");
    assert!(std::fs::read_to_string(init.path())
        .unwrap()
        .contains("wasmBindings"));
    assert!(
        externalize_inline(&dir).unwrap().is_empty(),
        "second run changes nothing"
    );
    std::fs::write(dir.join("bad.html"), r#"<div onload="x()"></div>"#).unwrap();
    assert!(externalize_inline(&dir).unwrap_err().contains("bad.html"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_fetch_preload_loses_its_ignored_integrity_and_nothing_else_does() {
    let page = r#"<head><link rel="preload" href="/w_bg.wasm" crossorigin="anonymous" integrity="sha384-abc" as="fetch" type="application/wasm">
<link rel="modulepreload" href="/w.js" crossorigin="anonymous" integrity="sha384-def">
<link rel="stylesheet" href="/a.css" integrity="sha384-ghi"/>
<LINK REL="Preload" AS="Fetch" HREF="/x_bg.wasm" INTEGRITY='sha384-jkl'></head>"#;
    let out = rewrite(page).unwrap().html;
    assert!(out.contains(r#"<link rel="preload" href="/w_bg.wasm" crossorigin="anonymous" as="fetch" type="application/wasm">"#), "{out}");
    assert!(
        out.contains(r#"<LINK REL="Preload" AS="Fetch" HREF="/x_bg.wasm">"#),
        "{out}"
    );
    // Where browsers check it, it stays.
    assert!(out.contains(r#"integrity="sha384-def""#), "{out}");
    assert!(out.contains(r#"integrity="sha384-ghi""#), "{out}");
    assert_eq!(rewrite(&out).unwrap().html, out, "idempotent");
}
