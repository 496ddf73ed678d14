//! OData query options as Graph's directory supports them for applications: `$select`, `$filter`
//! (`startsWith(displayName,'…')`, `appId eq '…'`, `displayName eq '…'`, `id eq '…'`),
//! `$search="displayName:…"`, `$top`, `$count`, `$skiptoken`, and on applications
//! `$expand=owners` with a nested `$select` ([`parse_expand`]).

use axum::http::HeaderMap;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use crate::graph::directory::Application;

/// A refused query: (Graph error code, message). Always a 400.
pub type QueryError = (&'static str, String);

/// `$top`: 1 to [`MAX_PAGE`] ("The default and maximum page sizes are 100 and 999 application
/// objects", ../shared/specs/graph-docs/application-list.md). Over the maximum Graph answers
/// 400 `Request_UnsupportedQuery` (azure-apis.md §7.4); zero or not a number gets the generic
/// `Request_BadRequest` (undocumented, sandbox/README.md). The message is Graph's wording.
pub fn parse_top(value: &str) -> Result<usize, QueryError> {
    let message =
        || format!("Invalid page size specified: '{value}'. Must be between 1 and 999 inclusive.");
    match value.parse::<usize>() {
        Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(n),
        Ok(n) if n > MAX_PAGE => Err(("Request_UnsupportedQuery", message())),
        // A number too large for usize is over the maximum too.
        Err(_) if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
            Err(("Request_UnsupportedQuery", message()))
        }
        _ => Err(("Request_BadRequest", message())),
    }
}

pub const DEFAULT_PAGE: usize = 100;
pub const MAX_PAGE: usize = 999;

/// "With Microsoft Entra resources that derive from directoryObject, like user and group,
/// `$expand` typically returns a maximum of 20 items for the expanded relationship and has no
/// @odata.nextLink" (microsoftgraph/microsoft-graph-docs-contrib `concepts/query-parameters.md`,
/// "expand parameter"; quoted in microsoftgraph/msgraph-sdk-powershell#2936, seen as 20 in
/// microsoftgraph/microsoft-graph-docs#15109). Strict: exactly 20, never a nextLink.
pub const EXPAND_MAX_ITEMS: usize = 20;
/// A list with `$expand` on directory objects returns at most 100 objects a page, whatever
/// `$top` says: Graph's known issues ("Max page size with $expand is 100. Confirmed with Dev
/// from code.", microsoftgraph/microsoft-graph-docs#21506) and the query-parameters page
/// ("$expand: For directory objects, returns a maximum of 100 objects",
/// microsoftgraph/microsoft-graph-docs#21516).
pub const EXPAND_MAX_PAGE: usize = 100;

/// `$expand=owners` (the one relationship the sandbox expands), with its nested `$select`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Expand {
    /// Properties of each owner (`owners($select=id,displayName)`); `None`: all of them.
    pub select: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Filter {
    StartsWithDisplayName(String),
    DisplayNameEq(String),
    AppIdEq(String),
    IdEq(String),
}

impl Filter {
    pub fn matches(&self, app: &Application) -> bool {
        match self {
            Filter::StartsWithDisplayName(p) => app
                .display_name
                .to_lowercase()
                .starts_with(&p.to_lowercase()),
            Filter::DisplayNameEq(v) => app.display_name.to_lowercase() == v.to_lowercase(),
            Filter::AppIdEq(v) => app.app_id.eq_ignore_ascii_case(v),
            Filter::IdEq(v) => app.id.eq_ignore_ascii_case(v),
        }
    }
}

/// `$search` clauses joined by OR (any) or AND (all).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Search {
    pub terms: Vec<String>,
    pub all: bool,
}

impl Search {
    /// Directory search tokenizes the display name and matches term prefixes per token.
    pub fn matches(&self, app: &Application) -> bool {
        let name = app.display_name.to_lowercase();
        let tokens: Vec<&str> = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|t| !t.is_empty())
            .collect();
        let hit = |term: &String| {
            let term = term.to_lowercase();
            name.starts_with(&term) || tokens.iter().any(|t| t.starts_with(&term))
        };
        if self.all {
            self.terms.iter().all(hit)
        } else {
            self.terms.iter().any(hit)
        }
    }
}

/// The parsed query of a collection or entity request.
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub select: Option<Vec<String>>,
    pub filter: Option<Filter>,
    pub search: Option<Search>,
    pub top: Option<usize>,
    /// `$count=true` with `ConsistencyLevel: eventual` (without the header it is ignored).
    pub count: bool,
    pub skip: usize,
    /// Whether a `$skiptoken` was given (later pages carry no `@odata.count`).
    pub continued: bool,
    /// `$expand=owners(...)` (applications only).
    pub expand: Option<Expand>,
    /// The query pairs as received, to rebuild `@odata.nextLink`.
    pub pairs: Vec<(String, String)>,
}

impl Query {
    /// `$top` (default 100); with `$expand` at most [`EXPAND_MAX_PAGE`].
    pub fn page_size(&self) -> usize {
        let size = self.top.unwrap_or(DEFAULT_PAGE);
        if self.expand.is_some() {
            size.min(EXPAND_MAX_PAGE)
        } else {
            size
        }
    }

    /// The query string of the next page: every option as received, with a new `$skiptoken`.
    pub fn next_query(&self, next_skip: usize) -> String {
        let mut parts: Vec<String> = self
            .pairs
            .iter()
            .filter(|(k, _)| !option_is(k, "skiptoken"))
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        parts.push(format!("$skiptoken={}", skiptoken(next_skip)));
        parts.join("&")
    }
}

fn encode(s: &str) -> String {
    const KEEP: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'$')
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b',')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, KEEP).to_string()
}

fn skiptoken(offset: usize) -> String {
    URL_SAFE_NO_PAD.encode(format!("sandbox-page:{offset}"))
}

fn parse_skiptoken(token: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(token).ok()?;
    String::from_utf8(bytes)
        .ok()?
        .strip_prefix("sandbox-page:")?
        .parse()
        .ok()
}

/// Graph accepts query options with or without the `$` prefix, in any case.
fn option_is(key: &str, name: &str) -> bool {
    key.strip_prefix('$')
        .unwrap_or(key)
        .eq_ignore_ascii_case(name)
}

pub fn eventual(headers: &HeaderMap) -> bool {
    headers
        .get("consistencylevel")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("eventual"))
}

/// Parses the query string. `selectable` lists the entity's property names.
pub fn parse(
    raw: Option<&str>,
    headers: &HeaderMap,
    selectable: &[&str],
    entity: &str,
) -> Result<Query, QueryError> {
    let pairs: Vec<(String, String)> =
        serde_urlencoded::from_str(raw.unwrap_or("")).map_err(|_| {
            (
                "BadRequest",
                "The query string could not be parsed.".to_owned(),
            )
        })?;
    let mut q = Query {
        pairs: pairs.clone(),
        ..Query::default()
    };
    for (key, value) in &pairs {
        if option_is(key, "select") {
            let mut names = Vec::new();
            for name in value.split(',').map(str::trim).filter(|n| !n.is_empty()) {
                let Some(known) = selectable.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
                    return Err(("BadRequest", format!(
                        "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type 'microsoft.graph.{entity}'."
                    )));
                };
                names.push((*known).to_owned());
            }
            q.select = Some(names);
        } else if option_is(key, "filter") {
            q.filter = Some(parse_filter(value)?);
        } else if option_is(key, "search") {
            if !eventual(headers) {
                return Err(("Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'".into()));
            }
            q.search = Some(parse_search(value)?);
        } else if option_is(key, "top") {
            q.top = Some(parse_top(value)?);
        } else if option_is(key, "count") {
            let on = match value.to_ascii_lowercase().as_str() {
                "true" => true,
                "false" => false,
                _ => return Err(("BadRequest", format!("Invalid value '{value}' for $count query option found. The $count query option requires a Boolean value."))),
            };
            q.count = on && eventual(headers);
        } else if option_is(key, "skiptoken") {
            q.skip = parse_skiptoken(value)
                .ok_or(("Request_BadRequest", "Invalid skip token.".to_owned()))?;
            q.continued = true;
        } else if option_is(key, "expand") && entity == "application" {
            q.expand = Some(parse_expand(value)?);
        } else if key.starts_with('$') {
            return Err((
                "BadRequest",
                format!("Query option '{key}' is not supported by the sandbox for this resource."),
            ));
        }
    }
    Ok(q)
}

/// `$expand` on applications: `owners` or `owners($select=a,b)`. "Only one relationship can be
/// expanded in a single request" (query-parameters.md); the nested `$select` as the group
/// resource documents it for `owners` ("Supports `$expand` including nested `$select`. For
/// example, …`$expand=owners($select=id,userPrincipalName,displayName)`", group.md in
/// microsoftgraph/microsoft-graph-docs-contrib). Any other relationship, a second one, or another
/// nested option (`$filter`, `$top`, a nested `$expand`: "No support for more than 1 level of
/// expand", known-issues.md) is refused (strict: sandbox/README.md).
pub fn parse_expand(value: &str) -> Result<Expand, QueryError> {
    let value = value.trim();
    let (name, nested) = match value.split_once('(') {
        Some((name, rest)) => {
            let inner = rest.strip_suffix(')').ok_or_else(|| {
                (
                    "BadRequest",
                    format!("Invalid $expand clause: syntax error in '{value}'."),
                )
            })?;
            (name.trim(), Some(inner))
        }
        None => (value, None),
    };
    if name.contains(',') || nested.is_some_and(|n| n.contains('(')) {
        return Err((
            "BadRequest",
            "Only one relationship can be expanded in a single request, one level deep.".into(),
        ));
    }
    if !name.eq_ignore_ascii_case("owners") {
        return Err(("BadRequest", format!(
            "Parsing OData Select and Expand failed: Could not find a property named '{name}' on type 'microsoft.graph.application'."
        )));
    }
    let mut expand = Expand::default();
    for option in nested.into_iter().flat_map(|n| n.split(';')) {
        let option = option.trim();
        if option.is_empty() {
            continue;
        }
        match option.split_once('=') {
            Some((k, v)) if option_is(k.trim(), "select") && k.trim().starts_with('$') => {
                expand.select =
                    Some(super::owners::parse_owner_select(v).map_err(|m| ("BadRequest", m))?);
            }
            _ => {
                return Err((
                    "BadRequest",
                    format!(
                        "Query option '{option}' inside $expand is not supported by the sandbox."
                    ),
                ))
            }
        }
    }
    Ok(expand)
}

/// Reads a single-quoted OData string literal (`''` escapes a quote); returns it and the rest.
pub(crate) fn literal(s: &str) -> Option<(String, &str)> {
    let s = s.trim_start().strip_prefix('\'')?;
    let mut out = String::new();
    let mut chars = s.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '\'' {
            if chars.peek().is_some_and(|(_, n)| *n == '\'') {
                chars.next();
                out.push('\'');
            } else {
                return Some((out, &s[i + 1..]));
            }
        } else {
            out.push(c);
        }
    }
    None
}

/// Graph's answer to a `$filter` it can't read.
pub(crate) fn invalid_filter(filter: &str) -> QueryError {
    (
        "BadRequest",
        format!("Invalid filter clause: syntax error in '{filter}'."),
    )
}

fn unsupported_property(property: &str) -> QueryError {
    ("Request_UnsupportedQuery", format!(
        "Unsupported or invalid query filter clause specified for property '{property}' of resource 'Application'."
    ))
}

pub fn parse_filter(filter: &str) -> Result<Filter, QueryError> {
    let f = filter.trim();
    if f.len() > 11 && f[..11].eq_ignore_ascii_case("startswith(") {
        let inner = &f[11..];
        let (property, rest) = inner
            .split_once(',')
            .ok_or_else(|| invalid_filter(filter))?;
        let (value, rest) = literal(rest).ok_or_else(|| invalid_filter(filter))?;
        if rest.trim() != ")" {
            return Err(invalid_filter(filter));
        }
        return match property.trim() {
            p if p.eq_ignore_ascii_case("displayName") => Ok(Filter::StartsWithDisplayName(value)),
            p => Err(unsupported_property(p)),
        };
    }
    let mut words = f.splitn(3, ' ');
    let (Some(property), Some(op), Some(rest)) = (words.next(), words.next(), words.next()) else {
        return Err(invalid_filter(filter));
    };
    if !op.eq_ignore_ascii_case("eq") {
        return Err(("Request_UnsupportedQuery", format!(
            "Unsupported query: operator '{op}' needs an advanced query (ConsistencyLevel: eventual and $count=true), which the sandbox does not serve."
        )));
    }
    let (value, tail) = literal(rest).ok_or_else(|| invalid_filter(filter))?;
    if !tail.trim().is_empty() {
        return Err((
            "Request_UnsupportedQuery",
            format!("Unsupported query: the sandbox serves one filter clause, not '{filter}'."),
        ));
    }
    match property {
        p if p.eq_ignore_ascii_case("appId") => Ok(Filter::AppIdEq(value)),
        p if p.eq_ignore_ascii_case("displayName") => Ok(Filter::DisplayNameEq(value)),
        p if p.eq_ignore_ascii_case("id") => Ok(Filter::IdEq(value)),
        p => Err(unsupported_property(p)),
    }
}

/// `"displayName:term"` clauses, joined by `OR` or `AND`.
pub fn parse_search(search: &str) -> Result<Search, QueryError> {
    let syntax = || {
        ("Request_UnsupportedQuery", format!(
        "Unsupported or invalid $search clause '{search}': use \"displayName:term\" clauses in double quotes, joined by OR or AND."
    ))
    };
    let mut terms = Vec::new();
    let mut joiners = Vec::new();
    let mut rest = search.trim();
    loop {
        let body = rest.strip_prefix('"').ok_or_else(syntax)?;
        let end = body.find('"').ok_or_else(syntax)?;
        let (property, term) = body[..end].split_once(':').ok_or_else(syntax)?;
        if !property.trim().eq_ignore_ascii_case("displayName") {
            return Err(syntax());
        }
        terms.push(term.trim().to_owned());
        rest = body[end + 1..].trim_start();
        if rest.is_empty() {
            break;
        }
        let (joiner, after) = rest.split_once(' ').ok_or_else(syntax)?;
        match joiner {
            "OR" | "AND" => joiners.push(joiner),
            _ => return Err(syntax()),
        }
        rest = after.trim_start();
    }
    if joiners.windows(2).any(|w| w[0] != w[1]) {
        return Err(syntax());
    }
    Ok(Search {
        terms,
        all: joiners.first() == Some(&"AND"),
    })
}

#[cfg(test)]
mod tests;
