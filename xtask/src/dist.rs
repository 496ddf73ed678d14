//! The post-build step that makes `dist/` work under a strict Content-Security-Policy (no
//! `'unsafe-inline'`): Trunk writes an inline `<script type="module">` that imports the wasm glue
//! and calls `init`. After `trunk build`, every inline script and inline `<style>` in the HTML
//! pages of `dist/` moves into a file next to them (`init-<hash>.js`, `inline-<hash>.css`) that
//! the page loads by URL, build-time `nonce` attributes go, and the pages are then checked: an
//! inline event handler, a `style` attribute or a `javascript:` URL left over fails the build,
//! because the CSP would refuse it in the browser.
//! It also drops the `integrity` Trunk puts on the wasm's `fetch` preload, which browsers ignore
//! there (Chrome warns about it on every visit).

use std::path::Path;

/// Rewrites every `*.html` directly in `dist` (index.html, redirect.html). Returns a line per
/// change, for the build log. Running it again on its own output changes nothing.
pub fn externalize_inline(dist: &Path) -> Result<Vec<String>, String> {
    let entries = std::fs::read_dir(dist).map_err(|e| format!("{}: {e}", dist.display()))?;
    let mut pages: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    pages.sort();
    if pages.is_empty() {
        return Err(format!("{} has no HTML pages: build first", dist.display()));
    }
    let mut log = Vec::new();
    for page in pages {
        let name = page.file_name().unwrap_or_default().to_string_lossy();
        let html = std::fs::read_to_string(&page).map_err(|e| format!("{name}: {e}"))?;
        let out = rewrite(&html).map_err(|e| format!("dist/{name}: {e}"))?;
        for asset in &out.assets {
            std::fs::write(dist.join(&asset.file), &asset.text)
                .map_err(|e| format!("dist/{}: {e}", asset.file))?;
            log.push(format!(
                "dist/{name}: inline {} → /{}",
                asset.kind, asset.file
            ));
        }
        if out.html != html {
            std::fs::write(&page, &out.html).map_err(|e| format!("dist/{name}: {e}"))?;
        }
        check_strict(&out.html).map_err(|e| format!("dist/{name}: {e}"))?;
    }
    Ok(log)
}

/// A file split out of a page.
#[derive(Debug, PartialEq)]
pub struct Asset {
    pub file: String,
    pub text: String,
    pub kind: &'static str,
}

#[derive(Debug)]
pub struct Rewritten {
    pub html: String,
    pub assets: Vec<Asset>,
}

/// The pure part: the page's new text and the files to write next to it.
pub fn rewrite(html: &str) -> Result<Rewritten, String> {
    let mut out = String::with_capacity(html.len());
    let mut assets = Vec::new();
    let mut rest = html;
    while let Some(start) = find_tag(rest) {
        out.push_str(&rest[..start.at]);
        rest = &rest[start.at..];
        let Some(tag_end) = rest.find('>') else {
            return Err("a tag is never closed".into());
        };
        let open = &rest[..=tag_end];
        let attrs = attributes(open);
        let clean_open = strip_nonce(open);
        match start.name {
            "script" | "style" => {
                let close = format!("</{}", start.name);
                let body_end = find_ci(&rest[tag_end + 1..], &close)
                    .ok_or_else(|| format!("<{}> without {close}>", start.name))?
                    + tag_end
                    + 1;
                let after_close = rest[body_end..]
                    .find('>')
                    .map(|i| body_end + i + 1)
                    .ok_or("a closing tag is never closed")?;
                let body = &rest[tag_end + 1..body_end];
                if start.name == "script" && attr(&attrs, "src").is_some() {
                    out.push_str(&clean_open);
                    out.push_str(body);
                    out.push_str(&rest[body_end..after_close]);
                } else if body.trim().is_empty() {
                    // An empty inline element does nothing; drop it.
                } else {
                    let asset = split_out(start.name, &attrs, body)?;
                    out.push_str(&asset_tag(start.name, &attrs, &asset.file));
                    assets.push(asset);
                }
                rest = &rest[after_close..];
            }
            "link" => {
                out.push_str(&strip_fetch_preload_integrity(&clean_open, &attrs));
                rest = &rest[tag_end + 1..];
            }
            _ => {
                out.push_str(&clean_open);
                rest = &rest[tag_end + 1..];
            }
        }
    }
    out.push_str(rest);
    Ok(Rewritten { html: out, assets })
}

fn split_out(kind: &'static str, attrs: &[(String, String)], body: &str) -> Result<Asset, String> {
    let text = format!("{}\n", body.trim());
    let hash = format!("{:016x}", fnv1a(text.as_bytes()));
    match kind {
        "style" => Ok(Asset {
            file: format!("inline-{hash}.css"),
            text,
            kind: "<style>",
        }),
        _ => match attr(attrs, "type").map(str::to_ascii_lowercase).as_deref() {
            None | Some("") | Some("module") | Some("text/javascript") => Ok(Asset {
                file: format!("init-{hash}.js"),
                text,
                kind: "<script>",
            }),
            Some(other) => Err(format!(
                "an inline <script type=\"{other}\"> cannot be moved to a file; the CSP would block it"
            )),
        },
    }
}

fn asset_tag(kind: &str, attrs: &[(String, String)], file: &str) -> String {
    if kind == "style" {
        return format!("<link rel=\"stylesheet\" href=\"/{file}\">");
    }
    match attr(attrs, "type") {
        Some(t) if t.eq_ignore_ascii_case("module") => {
            // `async`: the wasm starts as soon as it is fetched, not after the page is parsed
            // (the app waits for MSAL's classic script itself: `auth::msal_raw::msal_ready`).
            format!("<script type=\"module\" async src=\"/{file}\"></script>")
        }
        _ => format!("<script src=\"/{file}\"></script>"),
    }
}

struct TagStart {
    at: usize,
    name: &'static str,
}

/// The next start tag (comments skipped). Every start tag is reported so `nonce` can go.
fn find_tag(s: &str) -> Option<TagStart> {
    let bytes = s.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] != b'<' {
            i += 1;
            continue;
        }
        if s[i..].starts_with("<!--") {
            i += s[i..].find("-->").map_or(s.len() - i, |e| e + 3);
            continue;
        }
        let name_start = i + 1;
        let name_len = s[name_start..]
            .bytes()
            .take_while(|b| b.is_ascii_alphanumeric())
            .count();
        if name_len == 0 {
            i += 1;
            continue;
        }
        let name = s[name_start..name_start + name_len].to_ascii_lowercase();
        let name = match name.as_str() {
            "script" => "script",
            "style" => "style",
            "link" => "link",
            _ => "other",
        };
        return Some(TagStart { at: i, name });
    }
    None
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    hay.to_ascii_lowercase().find(&needle.to_ascii_lowercase())
}

/// `(name, value)` pairs of a start tag, names lower-cased.
pub fn attributes(open: &str) -> Vec<(String, String)> {
    let inner = open.trim_start_matches('<').trim_end_matches('>');
    let inner = inner.trim_end_matches('/');
    let mut chars = inner.char_indices().peekable();
    // Skip the tag name.
    while chars.next_if(|(_, c)| !c.is_whitespace()).is_some() {}
    let mut out = Vec::new();
    loop {
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut name = String::new();
        while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace() && *c != '=') {
            name.push(c);
        }
        if name.is_empty() {
            break;
        }
        while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if chars.next_if(|(_, c)| *c == '=').is_some() {
            while chars.next_if(|(_, c)| c.is_whitespace()).is_some() {}
            match chars.peek().map(|(_, c)| *c) {
                Some(q @ ('"' | '\'')) => {
                    chars.next();
                    for (_, c) in chars.by_ref() {
                        if c == q {
                            break;
                        }
                        value.push(c);
                    }
                }
                _ => {
                    while let Some((_, c)) = chars.next_if(|(_, c)| !c.is_whitespace()) {
                        value.push(c);
                    }
                }
            }
        }
        out.push((name.to_ascii_lowercase(), value));
    }
    out
}

fn attr<'a>(attrs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    attrs
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, v)| v.as_str())
}

/// The start tag without its `nonce="…"` attribute (a nonce baked into static files is no
/// secret, so the CSP never uses one).
fn strip_nonce(open: &str) -> String {
    strip_attr(open, "nonce")
}

/// The start tag without the attribute `name` (lower case), wherever and however often it is.
fn strip_attr(open: &str, name: &str) -> String {
    let n = name.len();
    let lower = open.to_ascii_lowercase();
    let Some(at) = lower.match_indices(name).map(|(i, _)| i).find(|&i| {
        open[..i].ends_with(char::is_whitespace)
            && open[i + n..]
                .starts_with(|c: char| c == '=' || c == '>' || c == '/' || c.is_whitespace())
    }) else {
        return open.to_string();
    };
    let after = &open[at + n..];
    let trimmed = after.trim_start();
    let end = if let Some(v) = trimmed.strip_prefix('=') {
        let v = v.trim_start();
        let skipped = open.len() - v.len();
        match v.chars().next() {
            Some(q @ ('"' | '\'')) => v[1..].find(q).map_or(open.len() - 1, |e| skipped + e + 2),
            _ => {
                skipped
                    + v.find(|c: char| c.is_whitespace() || c == '>')
                        .unwrap_or(v.len())
            }
        }
    } else {
        at + n
    };
    let start = open[..at].trim_end().len();
    strip_attr(&format!("{}{}", &open[..start], &open[end..]), name)
}

/// A `fetch` preload (Trunk's for the wasm) keeps no `integrity`: browsers ignore it there (and
/// Chrome says so on the console of every visit), and the wasm's own fetch carries none anyway.
fn strip_fetch_preload_integrity(open: &str, attrs: &[(String, String)]) -> String {
    let is =
        |name: &str, value: &str| attr(attrs, name).is_some_and(|v| v.eq_ignore_ascii_case(value));
    if is("rel", "preload") && is("as", "fetch") {
        strip_attr(open, "integrity")
    } else {
        open.to_string()
    }
}

/// Fails on what a strict CSP refuses: inline scripts or styles, `on…=` handlers, `style`
/// attributes and `javascript:` URLs.
pub fn check_strict(html: &str) -> Result<(), String> {
    let mut rest = html;
    while let Some(t) = find_tag(rest) {
        rest = &rest[t.at..];
        let end = rest.find('>').ok_or("a tag is never closed")?;
        let attrs = attributes(&rest[..=end]);
        for (name, value) in &attrs {
            if name.starts_with("on") && name.len() > 2 {
                return Err(format!("inline event handler {name}=… (CSP blocks it)"));
            }
            if name == "style" {
                return Err("a style=\"…\" attribute (CSP blocks it; use a class)".into());
            }
            if name == "nonce" {
                return Err("a nonce attribute is left".into());
            }
            let v = value.trim().to_ascii_lowercase();
            if v.starts_with("javascript:") {
                return Err(format!("a javascript: URL in {name}= (CSP blocks it)"));
            }
        }
        if t.name == "style" || (t.name == "script" && attr(&attrs, "src").is_none()) {
            let close = format!("</{}", t.name);
            let body_end = find_ci(&rest[end + 1..], &close).unwrap_or(0);
            if !rest[end + 1..end + 1 + body_end].trim().is_empty() {
                return Err(format!("an inline <{}> is left", t.name));
            }
        }
        rest = &rest[end + 1..];
    }
    Ok(())
}

/// 64-bit FNV-1a: enough to give changed content a new file name (not a security hash; the
/// files are same-origin and covered by `script-src 'self'`).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    })
}

#[cfg(test)]
#[path = "dist_tests.rs"]
mod tests;
