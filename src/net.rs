//! Sans-IO HTTP values shared by every service client.
//!
//! The Graph, ARM and Key Vault modules build [`HttpRequest`]s and parse [`HttpResponse`]s;
//! they never perform I/O. Only `http.rs` (the executor) turns a request into a `fetch`.
//! Bodies are [`Zeroizing`] because an addPassword response and a vault write carry a secret.
//! What the clients share to read the bodies (`parse_json`, `next_page`, serde helpers) is
//! [`crate::wire`].

use zeroize::Zeroizing;

/// Which access token a request needs. The executor asks `auth` for a token for this resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Resource {
    Graph,
    Arm,
    KeyVault,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    Get,
    Post,
    Put,
    Patch,
    Delete,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
        }
    }
}

/// A request as data. `body` is JSON text when present.
#[derive(Clone, PartialEq)]
pub struct HttpRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Zeroizing<String>>,
    pub resource: Resource,
}

// Deliberately does not print the body: it may hold a secret value.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("resource", &self.resource)
            .field("body", &self.body.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl HttpRequest {
    pub fn new(method: Method, url: impl Into<String>, resource: Resource) -> Self {
        Self {
            method,
            url: url.into(),
            headers: Vec::new(),
            body: None,
            resource,
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Sets a JSON body and the matching content type.
    pub fn json(mut self, body: String) -> Self {
        self.headers
            .push(("Content-Type".into(), "application/json".into()));
        self.body = Some(Zeroizing::new(body));
        self
    }
}

/// A response as data. Header names are stored lower-case.
#[derive(Clone, PartialEq)]
pub struct HttpResponse {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Zeroizing<String>,
}

impl std::fmt::Debug for HttpResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &"<redacted>")
            .finish()
    }
}

impl HttpResponse {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Zeroizing::new(body.into()),
        }
    }

    pub fn with_header(mut self, name: &str, value: &str) -> Self {
        self.headers
            .push((name.to_ascii_lowercase(), value.to_string()));
        self
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        let name = name.to_ascii_lowercase();
        self.headers
            .iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// `Retry-After` in whole seconds from now, when the service sent one the browser may read
    /// (seconds, fractional seconds or an HTTP-date: [`crate::retry::parse_retry_after`]).
    pub fn retry_after_secs(&self) -> Option<u64> {
        self.header("retry-after")
            .and_then(|v| crate::retry::parse_retry_after(v, chrono::Utc::now()))
    }
}

/// Percent-encodes a value for a query string or path segment (RFC 3986 unreserved kept).
pub fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for b in value.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Lower case for case-insensitive search and sorting. ASCII text is folded here; other text
/// goes to the browser's `toLowerCase`, because `str::to_lowercase` would link about 24 KB of
/// Unicode case tables into the bundle (9 KB gzip, measured). Native builds use `str::to_lowercase`.
pub fn lowercase(s: &str) -> String {
    if s.is_ascii() {
        return s.to_ascii_lowercase();
    }
    #[cfg(target_arch = "wasm32")]
    {
        String::from(js_sys::JsString::from(s).to_lower_case())
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        s.to_lowercase()
    }
}

#[cfg(all(test, target_arch = "wasm32"))]
mod web_tests {
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn lowercase_folds_unicode_through_the_browser() {
        assert_eq!(super::lowercase("Gehälter ÄÖÜ ΣΑΣ"), "gehälter äöü σας");
        assert_eq!(super::lowercase("Payroll API"), "payroll api");
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn lowercase_folds_ascii_and_unicode() {
        assert_eq!(super::lowercase("Payroll API 01"), "payroll api 01");
        assert_eq!(super::lowercase("Gehälter ÄÖÜ ΣΑΣ"), "gehälter äöü σας");
        assert_eq!(super::lowercase(""), "");
    }

    use super::*;

    #[test]
    fn debug_never_prints_bodies() {
        let req = HttpRequest::new(Method::Put, "https://x/secrets/a", Resource::Arm)
            .json(r#"{"value":"hunter2"}"#.into());
        assert!(!format!("{req:?}").contains("hunter2"));
        let res = HttpResponse::new(200, r#"{"secretText":"hunter2"}"#);
        assert!(!format!("{res:?}").contains("hunter2"));
    }

    #[test]
    fn encode_keeps_unreserved_and_escapes_the_rest() {
        assert_eq!(encode("a b'c/é"), "a%20b%27c%2F%C3%A9");
        assert_eq!(encode("Az09-_.~"), "Az09-_.~");
    }

    #[test]
    fn retry_after_parses_seconds() {
        let r = HttpResponse::new(429, "").with_header("Retry-After", " 7 ");
        assert_eq!(r.retry_after_secs(), Some(7));
    }
}
