//! The HTML the identity endpoints render: the persona picker, error pages, the signed-out page
//! and the `form_post` auto-submit form. Everything interpolated is HTML-escaped.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};

use crate::identity::personas::{self, Persona};

/// Escapes text for HTML element content and double-quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,sans-serif;background:#f3f2f1;color:#1b1b1b;margin:0}\
main{max-width:28rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:.5rem;box-shadow:0 2px 6px #0002}\
h1{font-size:1.4rem;margin-top:0}ul{list-style:none;padding:0}li{margin:.5rem 0}\
button{width:100%;text-align:left;padding:.75rem 1rem;border:1px solid #8a8886;border-radius:.25rem;background:#fff;font:inherit;cursor:pointer}\
button:hover,button:focus-visible{border-color:#0067b8;outline:2px solid #0067b8;outline-offset:1px}\
.name{display:block;font-weight:600}.detail{display:block;font-size:.9rem;color:#484644}\
.cancel{margin-top:1rem;text-align:center;border-color:transparent}.error{color:#a4262c}\
code{word-break:break-all}";

fn page(status: StatusCode, title: &str, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{title}</title>\
<style>{STYLE}</style></head><body><main>{body}</main></body></html>",
        title = escape(title),
    );
    let mut response = (status, Html(html)).into_response();
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    response
}

/// The sign-in page: one button per persona. Each posts the authorize parameters back.
pub fn sign_in(hidden: &[(String, String)], login_hint: Option<&str>) -> Response {
    let fields: String = hidden
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    let buttons: String = personas::ALL
        .iter()
        .map(|p: &Persona| {
            let hinted = login_hint.is_some_and(|h| h.eq_ignore_ascii_case(p.upn));
            format!(
                "<li><button type=\"submit\" name=\"persona\" value=\"{oid}\"{autofocus}>\
<span class=\"name\">{name}</span><span class=\"detail\">{upn}</span>\
<span class=\"detail\">{role}</span></button></li>",
                oid = escape(p.oid),
                autofocus = if hinted { " autofocus" } else { "" },
                name = escape(p.name),
                upn = escape(p.upn),
                role = escape(p.role_label),
            )
        })
        .collect();
    let body = format!(
        "<h1>Sign in to the secret-wizard sandbox</h1>\
<p>This is a local stand-in for Microsoft Entra ID. Pick who you want to be.</p>\
<form method=\"post\" aria-label=\"Choose an account\">{fields}\
<ul aria-label=\"Demo accounts\">{buttons}</ul>\
<button class=\"cancel\" type=\"submit\" name=\"cancel\" value=\"1\">Cancel</button></form>"
    );
    let mut response = page(
        StatusCode::OK,
        "Sign in to the secret-wizard sandbox",
        &body,
    );
    // Entra sends COOP on its sign-in pages; MSAL 5 returns through its redirect bridge because of it.
    response.headers_mut().insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    response
}

/// An error that cannot be sent back to the app (unknown client, unregistered redirect URI).
pub fn error(status: StatusCode, description: &str) -> Response {
    let body = format!(
        "<h1>Sorry, but we're having trouble signing you in.</h1>\
<p class=\"error\" role=\"alert\"><code>{}</code></p>\
<p>Request Id: <code>{}</code><br>Timestamp: <code>{}</code></p>",
        escape(description),
        uuid::Uuid::new_v4(),
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ"),
    );
    page(status, "Sign in error", &body)
}

pub fn signed_out() -> Response {
    page(
        StatusCode::OK,
        "You have signed out",
        "<h1>You have signed out of your account</h1><p>It's a good idea to close all browser windows.</p>",
    )
}

/// `response_mode=form_post`: a form that posts the response to the redirect URI at once.
pub fn form_post(redirect_uri: &str, fields: &[(&str, String)]) -> Response {
    let inputs: String = fields
        .iter()
        .map(|(k, v)| {
            format!(
                "<input type=\"hidden\" name=\"{}\" value=\"{}\">",
                escape(k),
                escape(v)
            )
        })
        .collect();
    let html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Working...</title></head>\
<body onload=\"document.forms[0].submit()\"><form method=\"post\" action=\"{}\">{inputs}\
<noscript><p>Script is disabled. Click Submit to continue.</p><input type=\"submit\" value=\"Submit\"></noscript>\
</form></body></html>",
        escape(redirect_uri)
    );
    let mut response = Html(html).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<img src=x onerror=\"a('b')\">&"),
            "&lt;img src=x onerror=&quot;a(&#39;b&#39;)&quot;&gt;&amp;"
        );
    }
}
