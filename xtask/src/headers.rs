//! `deploy/headers.json`: the security headers every deployment of `dist/` sends. The file's own
//! `$comment` explains the format; this module reads it and answers "which headers for this path".

use crate::json::{self, Json};
use std::path::Path;

#[derive(Debug, Clone, Default)]
pub struct HeaderRules {
    csp: Option<String>,
    rules: Vec<Rule>,
}

#[derive(Debug, Clone)]
struct Rule {
    pattern: String,
    /// `None` removes the header for matching paths.
    headers: Vec<(String, Option<String>)>,
}

impl HeaderRules {
    pub fn load(path: &Path) -> Result<Self, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        Self::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let root = json::parse(text)?;
        if !matches!(root, Json::Object(_)) {
            return Err("expected a JSON object at the top".into());
        }
        let csp = match root.get("contentSecurityPolicy") {
            None | Some(Json::Null) => None,
            Some(Json::String(s)) if s.trim().is_empty() => None,
            Some(Json::String(s)) => Some(s.trim().to_string()),
            Some(Json::Array(items)) => {
                let mut directives = Vec::new();
                for item in items {
                    let d = item
                        .as_str()
                        .ok_or("contentSecurityPolicy: every directive must be a string")?;
                    let d = d.trim().trim_end_matches(';').trim();
                    if !d.is_empty() {
                        directives.push(d.to_string());
                    }
                }
                (!directives.is_empty()).then(|| directives.join("; "))
            }
            Some(_) => return Err("contentSecurityPolicy must be a list of directives".into()),
        };
        let mut rules = Vec::new();
        match root.get("headers") {
            None | Some(Json::Null) => {}
            Some(Json::Object(entries)) => {
                for (pattern, value) in entries {
                    if !pattern.starts_with('/') {
                        return Err(format!("headers: pattern {pattern:?} must start with '/'"));
                    }
                    let Json::Object(pairs) = value else {
                        return Err(format!(
                            "headers.{pattern}: expected an object of header: value"
                        ));
                    };
                    let mut headers = Vec::new();
                    for (name, v) in pairs {
                        if name.is_empty()
                            || !name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                        {
                            return Err(format!(
                                "headers.{pattern}: {name:?} is not a header name"
                            ));
                        }
                        let v = match v {
                            Json::Null => None,
                            Json::String(s) if !s.contains(['\r', '\n']) => Some(s.clone()),
                            _ => {
                                return Err(format!(
                                    "headers.{pattern}.{name}: expected a one-line string or null"
                                ))
                            }
                        };
                        headers.push((name.clone(), v));
                    }
                    rules.push(Rule {
                        pattern: pattern.clone(),
                        headers,
                    });
                }
            }
            Some(_) => return Err("headers must be an object of path pattern -> headers".into()),
        }
        Ok(HeaderRules { csp, rules })
    }

    /// The headers for a request path (without query), in a stable order.
    pub fn for_path(&self, path: &str) -> Vec<(String, String)> {
        let mut out: Vec<(String, Option<String>)> = Vec::new();
        if let Some(csp) = &self.csp {
            out.push(("Content-Security-Policy".into(), Some(csp.clone())));
        }
        for rule in self.rules.iter().filter(|r| matches(&r.pattern, path)) {
            for (name, value) in &rule.headers {
                match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                    Some(slot) => slot.1 = value.clone(),
                    None => out.push((name.clone(), value.clone())),
                }
            }
        }
        out.into_iter()
            .filter_map(|(n, v)| v.map(|v| (n, v)))
            .collect()
    }
}

fn matches(pattern: &str, path: &str) -> bool {
    match pattern.strip_suffix('*') {
        Some(prefix) => path.starts_with(prefix),
        None => pattern == path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get<'a>(h: &'a [(String, String)], name: &str) -> Option<&'a str> {
        h.iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    #[test]
    fn the_repository_file_parses_and_gives_the_required_headers() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/headers.json");
        let rules = HeaderRules::load(&path).unwrap();
        let index = rules.for_path("/index.html");
        assert_eq!(get(&index, "Referrer-Policy"), Some("no-referrer"));
        assert_eq!(get(&index, "X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(get(&index, "Cache-Control"), None);
        let redirect = rules.for_path("/redirect.html");
        assert_eq!(get(&redirect, "Cache-Control"), Some("no-store"));
        assert_eq!(get(&redirect, "Referrer-Policy"), Some("no-referrer"));
    }

    #[test]
    fn csp_lines_join_and_paths_override_or_remove() {
        let rules = HeaderRules::parse(
            r#"{ "contentSecurityPolicy": ["default-src 'self';", "  ", "img-src data:"],
                 "headers": { "/*": { "X-A": "1", "X-B": "2" },
                              "/assets/*": { "x-a": "3" },
                              "/redirect.html": { "Content-Security-Policy": null, "X-B": null } } }"#,
        )
        .unwrap();
        let root = rules.for_path("/");
        assert_eq!(
            get(&root, "Content-Security-Policy"),
            Some("default-src 'self'; img-src data:")
        );
        assert_eq!(get(&root, "X-A"), Some("1"));
        assert_eq!(get(&rules.for_path("/assets/app.css"), "X-A"), Some("3"));
        let redirect = rules.for_path("/redirect.html");
        assert_eq!(get(&redirect, "Content-Security-Policy"), None);
        assert_eq!(get(&redirect, "X-B"), None);
        assert_eq!(get(&redirect, "X-A"), Some("1"));
    }

    #[test]
    fn rejects_what_a_server_could_not_send() {
        assert!(
            HeaderRules::parse(r#"{ "headers": { "/*": { "X-A": "a\r\nSet-Cookie: x" } } }"#)
                .is_err()
        );
        assert!(HeaderRules::parse(r#"{ "headers": { "/*": { "Bad Name": "x" } } }"#).is_err());
        assert!(HeaderRules::parse(r#"{ "headers": { "nope": {} } }"#).is_err());
        assert!(HeaderRules::parse(r#"{ "contentSecurityPolicy": 3 }"#).is_err());
        assert!(HeaderRules::parse("[]").is_err());
        assert!(HeaderRules::parse(r#"{ "contentSecurityPolicy": [] }"#)
            .unwrap()
            .for_path("/")
            .is_empty());
    }
}
