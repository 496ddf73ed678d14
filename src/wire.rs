//! What every service client (Graph, ARM, Key Vault) shares to read JSON answers, each helper
//! once: [`parse_json`] (a success body becomes a typed value, anything else the client's
//! error), [`next_page`] (follow a `nextLink`), the serde helpers of their wire types
//! ([`null_as_default`], [`is_default`], [`from_unix`], [`SecretAttributes`]), the reader of
//! their error bodies ([`Fields`]), and the text an error may show of a body ([`describe_serde`],
//! [`excerpt`]). Sans-IO like the clients: values in, values out.

use std::collections::BTreeMap;

use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};
use zeroize::Zeroize;

use crate::net::{HttpRequest, HttpResponse, Method};

/// A client's error type, as [`parse_json`] needs it.
pub trait ServiceError {
    /// Classifies a non-success response (the service's own error body, or a proxy's page).
    fn from_response(res: &HttpResponse) -> Self;
    /// A success status whose body does not have the expected shape.
    fn malformed(status: u16, detail: String) -> Self;
}

/// A success response's JSON body as `T`; an error status as the client's error, and a body of
/// the wrong shape as its `malformed` error (naming only a category and position: serde's own
/// messages may quote the body, which can hold a secret).
pub fn parse_json<T: DeserializeOwned, E: ServiceError>(res: &HttpResponse) -> Result<T, E> {
    if !res.is_success() {
        return Err(E::from_response(res));
    }
    serde_json::from_str(&res.body).map_err(|e| E::malformed(res.status, describe_serde(&e)))
}

/// A response without a body worth reading (`204 No Content`, say): success or the error.
pub fn expect_success<E: ServiceError>(res: &HttpResponse) -> Result<(), E> {
    if res.is_success() {
        Ok(())
    } else {
        Err(E::from_response(res))
    }
}

/// The next page of a Graph or ARM list: the `nextLink` verbatim, with the original request's
/// headers re-sent (Graph does not carry `ConsistencyLevel` over by itself).
pub fn next_page(next_link: &str, original: &HttpRequest) -> HttpRequest {
    HttpRequest {
        method: Method::Get,
        url: next_link.to_string(),
        headers: original.headers.clone(),
        body: None,
        resource: original.resource,
    }
}

/// `null` and a missing field both become the type's default (Graph and ARM send either). Use
/// with `#[serde(default, deserialize_with = "null_as_default")]`.
pub fn null_as_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// For `#[serde(skip_serializing_if = "is_default")]` on a borrowed field: leave it out of a
/// request body while it holds nothing (a vault write's empty attributes, say).
pub fn is_default<T: Default + PartialEq>(value: &&T) -> bool {
    **value == T::default()
}

/// A Unix time in seconds (Key Vault's and ARM's secret dates), `None` when absent or out of
/// range.
pub fn from_unix(t: Option<i64>) -> Option<DateTime<Utc>> {
    t.and_then(|s| Utc.timestamp_opt(s, 0).single())
}

/// A vault secret's `attributes`, as both ARM (`properties.attributes`) and the Key Vault data
/// plane send them: Unix times in seconds. ARM sends no `recoveryLevel`.
#[derive(Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SecretAttributes {
    pub enabled: Option<bool>,
    pub nbf: Option<i64>,
    pub exp: Option<i64>,
    pub created: Option<i64>,
    pub updated: Option<i64>,
    pub recovery_level: Option<String>,
}

/// Reads [`SecretAttributes`] (every member optional).
pub fn secret_attributes(m: Members<'_>) -> Result<SecretAttributes, Mismatch> {
    Ok(SecretAttributes {
        enabled: m.flag("enabled")?,
        nbf: m.integer("nbf")?,
        exp: m.integer("exp")?,
        created: m.integer("created")?,
        updated: m.integer("updated")?,
        recovery_level: m.text("recoveryLevel")?,
    })
}

/// A JSON body that is not the shape a reader expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongShape;

/// A success body read through [`Members`] (on the one `serde_json::Value` parser) into a
/// typed value by `read`; an error status is the client's error, text that is not JSON its
/// `malformed` error with serde's category and position, and a body of the wrong shape its
/// `malformed` error naming the member (`unexpected shape: value[3].endDateTime: expected a
/// string`), never a value from the body.
pub fn parse_with<T, E: ServiceError>(
    res: &HttpResponse,
    read: fn(Members<'_>) -> Result<T, Mismatch>,
) -> Result<T, E> {
    if !res.is_success() {
        return Err(E::from_response(res));
    }
    let body = read_body(&res.body).map_err(|detail| E::malformed(res.status, detail))?;
    Members::of(&body.0)
        .and_then(read)
        .map_err(|m| E::malformed(res.status, format!("unexpected shape: {m}")))
}

/// `text` as a JSON value that wipes its strings when dropped (no answer read this way should
/// carry a secret: Key Vault's SetSecret echo and addPassword are read by derived structs that
/// skip or zeroise the value; this is for one that does anyway), or serde's category and
/// position when it isn't JSON.
fn read_body(text: &str) -> Result<Wiped, String> {
    serde_json::from_str(text)
        .map(Wiped)
        .map_err(|e| describe_serde(&e))
}

/// A parsed body whose strings are zeroised when it is dropped.
struct Wiped(Value);

impl Drop for Wiped {
    fn drop(&mut self) {
        fn wipe(v: &mut Value) {
            match v {
                Value::String(s) => s.zeroize(),
                Value::Array(items) => items.iter_mut().for_each(wipe),
                Value::Object(members) => members.values_mut().for_each(wipe),
                _ => {}
            }
        }
        wipe(&mut self.0)
    }
}

/// Where a success body is not the shape its reader expects, and what was expected there:
/// shown as `value[3].endDateTime: expected a string`. Names only the reader's own member
/// names and positions, never text from the body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mismatch {
    at: String,
    expected: &'static str,
}

impl Mismatch {
    /// `key` is not `expected` (a required member missing, say).
    pub fn new(key: &str, expected: &'static str) -> Self {
        Mismatch {
            at: key.to_string(),
            expected,
        }
    }

    /// The same mismatch, one level up: inside `key` (and item `index` of it).
    fn within(mut self, key: &str, index: Option<usize>) -> Self {
        let item = index.map(|i| format!("[{i}]")).unwrap_or_default();
        let dot = if self.at.is_empty() || self.at.starts_with('[') {
            ""
        } else {
            "."
        };
        self.at = format!("{key}{item}{dot}{}", self.at);
        self
    }
}

impl std::fmt::Display for Mismatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.at.is_empty() {
            write!(f, "expected {}", self.expected)
        } else {
            write!(f, "{}: expected {}", self.at, self.expected)
        }
    }
}

/// One JSON object of a success body, read the way a derived `Deserialize` reads it: unknown
/// members are ignored; an optional member (`text`, `flag`, …) is `None` when missing or
/// `null`; a required one ([`Members::required_text`]) is a [`Mismatch`] then; a member of
/// another type is always a [`Mismatch`], which says where. Small non-generic readers over
/// the one `serde_json::Value` parser, instead of a derived `Deserialize` per type.
#[derive(Clone, Copy)]
pub struct Members<'a>(&'a Map<String, Value>);

impl<'a> Members<'a> {
    /// `value` as an object.
    pub fn of(value: &'a Value) -> Result<Self, Mismatch> {
        value
            .as_object()
            .map(Members)
            .ok_or(Mismatch::new("", "an object"))
    }

    /// A member that is there and not `null`.
    fn member(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A member read by `as_t`, which says `expected` when it is of another type.
    fn typed<T>(
        &self,
        key: &str,
        expected: &'static str,
        as_t: fn(&'a Value) -> Option<T>,
    ) -> Result<Option<T>, Mismatch> {
        self.member(key)
            .map(|v| as_t(v).ok_or_else(|| Mismatch::new(key, expected)))
            .transpose()
    }

    /// A string member.
    pub fn text(&self, key: &str) -> Result<Option<String>, Mismatch> {
        self.typed(key, "a string", |v| v.as_str().map(str::to_string))
    }

    /// A string member that must be there (and not `null`).
    pub fn required_text(&self, key: &str) -> Result<String, Mismatch> {
        self.text(key)?
            .ok_or_else(|| Mismatch::new(key, "a string"))
    }

    /// A `true`/`false` member.
    pub fn flag(&self, key: &str) -> Result<Option<bool>, Mismatch> {
        self.typed(key, "true or false", Value::as_bool)
    }

    /// A whole-number member (a Unix time, say).
    pub fn integer(&self, key: &str) -> Result<Option<i64>, Mismatch> {
        self.typed(key, "an integer", Value::as_i64)
    }

    /// A non-negative whole-number member (a count).
    pub fn count(&self, key: &str) -> Result<Option<u64>, Mismatch> {
        self.typed(key, "a non-negative integer", Value::as_u64)
    }

    /// An RFC 3339 date and time member, in UTC.
    pub fn date(&self, key: &str) -> Result<Option<DateTime<Utc>>, Mismatch> {
        self.typed(key, "an RFC 3339 date and time", |v| rfc3339(v.as_str()?))
    }

    /// An array of strings; `None` when missing or `null`.
    pub fn texts(&self, key: &str) -> Result<Option<Vec<String>>, Mismatch> {
        self.items(key, false)?
            .map(|items| {
                (items.iter().enumerate())
                    .map(|(i, v)| {
                        v.as_str()
                            .map(str::to_string)
                            .ok_or_else(|| Mismatch::new("", "a string").within(key, Some(i)))
                    })
                    .collect()
            })
            .transpose()
    }

    /// An object of string members (resource tags); `None` when missing or `null`.
    pub fn text_map(&self, key: &str) -> Result<Option<BTreeMap<String, String>>, Mismatch> {
        let Some(map) = self.typed(key, "an object", Value::as_object)? else {
            return Ok(None);
        };
        map.iter()
            .map(|(k, v)| match v.as_str() {
                Some(s) => Ok((k.clone(), s.to_string())),
                None => Err(Mismatch::new(key, "an object of strings")),
            })
            .collect::<Result<_, _>>()
            .map(Some)
    }

    /// An object member read by `read`; `None` when missing or `null`.
    pub fn object<T>(
        &self,
        key: &str,
        read: fn(Members<'a>) -> Result<T, Mismatch>,
    ) -> Result<Option<T>, Mismatch> {
        self.member(key)
            .map(|v| {
                Members::of(v)
                    .and_then(read)
                    .map_err(|m| m.within(key, None))
            })
            .transpose()
    }

    /// An array of objects, each read by `read`; `None` when missing or `null`.
    pub fn list<T>(
        &self,
        key: &str,
        read: fn(Members<'a>) -> Result<T, Mismatch>,
    ) -> Result<Option<Vec<T>>, Mismatch> {
        self.items(key, false)?
            .map(|items| {
                (items.iter().enumerate())
                    .map(|(i, v)| {
                        Members::of(v)
                            .and_then(read)
                            .map_err(|m| m.within(key, Some(i)))
                    })
                    .collect()
            })
            .transpose()
    }

    /// A page's `value`: an array of objects read by `read`, empty when missing; `null` is a
    /// [`Mismatch`] (as for a derived `#[serde(default)] value: Vec<T>`).
    pub fn page_value<T>(
        &self,
        key: &str,
        read: fn(Members<'a>) -> Result<T, Mismatch>,
    ) -> Result<Vec<T>, Mismatch> {
        self.items(key, true)?;
        Ok(self.list(key, read)?.unwrap_or_default())
    }

    /// An array member; with `null_is_wrong`, a `null` one is a [`Mismatch`].
    fn items(&self, key: &str, null_is_wrong: bool) -> Result<Option<&'a Vec<Value>>, Mismatch> {
        if null_is_wrong && self.0.get(key).is_some_and(Value::is_null) {
            return Err(Mismatch::new(key, "an array"));
        }
        self.typed(key, "an array", Value::as_array)
    }
}

/// An RFC 3339 date and time (`2025-01-31T09:00:00Z`, any fraction, any offset) in UTC:
/// chrono's dedicated parser, not its general format machinery.
pub fn rfc3339(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// One JSON object of an error body, read the way a derived `Deserialize` reads a struct whose
/// members are all `#[serde(default)]` and optional: a missing or `null` member is `None`, a
/// member of another type makes the whole body [`WrongShape`], other members are ignored. The
/// clients read error bodies through it, on the one `serde_json::Value` parser, rather than
/// each through a dozen derived structs: the same answers, a fraction of the code in the wasm.
#[derive(Clone, Copy)]
pub struct Fields<'a>(&'a Map<String, Value>);

impl<'a> Fields<'a> {
    /// `value` as an object.
    pub fn of(value: &'a Value) -> Result<Self, WrongShape> {
        value.as_object().map(Fields).ok_or(WrongShape)
    }

    /// A string member.
    pub fn text(&self, key: &str) -> Result<Option<String>, WrongShape> {
        Members(self.0).text(key).map_err(|_| WrongShape)
    }

    /// An object member.
    pub fn object(&self, key: &str) -> Result<Option<Fields<'a>>, WrongShape> {
        Members(self.0)
            .object(key, |m| Ok(Fields(m.0)))
            .map_err(|_| WrongShape)
    }

    /// An array of objects (`None` when missing or `null`).
    pub fn objects(&self, key: &str) -> Result<Option<Vec<Fields<'a>>>, WrongShape> {
        Members(self.0)
            .list(key, |m| Ok(Fields(m.0)))
            .map_err(|_| WrongShape)
    }
}

/// `value` as an array of objects.
pub fn objects(value: &Value) -> Result<Vec<Fields<'_>>, WrongShape> {
    value
        .as_array()
        .ok_or(WrongShape)?
        .iter()
        .map(Fields::of)
        .collect()
}

/// `text` parsed as JSON, for a [`Fields`] reader.
pub fn json_value(text: &str) -> Result<Value, WrongShape> {
    serde_json::from_str(text).map_err(|_| WrongShape)
}

/// A short, single-line excerpt of a non-JSON body, cut on a character boundary.
pub fn excerpt(body: &str) -> String {
    const MAX: usize = 120;
    let flat: String = body
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let flat = flat.trim();
    match flat.char_indices().nth(MAX) {
        Some((i, _)) => format!("{}…", &flat[..i]),
        None => flat.to_string(),
    }
}

/// A serde error reduced to its category and position: serde messages can quote body text.
pub fn describe_serde(e: &serde_json::Error) -> String {
    let kind = match e.classify() {
        serde_json::error::Category::Io => "I/O error",
        serde_json::error::Category::Syntax => "not valid JSON",
        serde_json::error::Category::Data => "unexpected shape",
        serde_json::error::Category::Eof => "truncated JSON",
    };
    format!("{kind} at line {} column {}", e.line(), e.column())
}

/// For the clients' tests: the readers against the derived `Deserialize` they replace.
#[cfg(test)]
pub(crate) mod oracle {
    use serde::de::DeserializeOwned;
    use serde_json::{json, Value};
    use std::fmt::Debug;

    /// What a member is replaced by in the variants.
    fn replacements() -> Vec<Value> {
        vec![
            Value::Null,
            json!(1),
            json!(-1),
            json!(1.5),
            json!("x"),
            json!("2024-01-01T00:00:00Z"),
            json!(true),
            json!([]),
            json!(["a"]),
            json!([{}]),
            json!({}),
            json!({"x": "y"}),
        ]
    }

    /// `doc` and each variant of it: one member somewhere (the first two items of an array
    /// deep) removed or replaced.
    pub fn variants(doc: &Value) -> Vec<Value> {
        let mut out = vec![doc.clone()];
        match doc {
            Value::Object(map) => {
                for (key, member) in map {
                    let mut without = map.clone();
                    without.remove(key);
                    out.push(Value::Object(without));
                    // A derived struct also reads an array positionally (`[]`: every member
                    // default); the readers don't (an object is an object).
                    let others = replacements()
                        .into_iter()
                        .filter(|r| !(member.is_object() && r.is_array()));
                    for r in others.chain(variants(member).into_iter().skip(1)) {
                        let mut changed = map.clone();
                        changed.insert(key.clone(), r);
                        out.push(Value::Object(changed));
                    }
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate().take(2) {
                    for r in variants(item).into_iter().skip(1) {
                        let mut changed = items.clone();
                        changed[i] = r;
                        out.push(Value::Array(changed));
                    }
                }
            }
            _ => {}
        }
        out
    }

    /// Every variant of `doc` reads the same through `ours` as through `T`'s derived
    /// `Deserialize`: the same value, or an error both (ours `malformed`).
    pub fn same_as_derived<T: DeserializeOwned + PartialEq + Debug, E: Debug>(
        doc: &str,
        ours: impl Fn(String) -> Result<T, E>,
        malformed: impl Fn(&E) -> bool,
    ) {
        let doc: Value = serde_json::from_str(doc).unwrap();
        let all = variants(&doc);
        let mut errors = 0;
        for v in &all {
            let text = v.to_string();
            match (ours(text.clone()), serde_json::from_str::<T>(&text)) {
                (Ok(a), Ok(b)) => assert_eq!(a, b, "{text}"),
                (Err(e), Err(_)) if malformed(&e) => errors += 1,
                (a, b) => panic!("{text}:\n ours {a:?}\n derived {b:?}"),
            }
        }
        assert!(
            all.len() > 10 && errors > 0,
            "{} variants, {errors} errors",
            all.len()
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::Resource;

    struct Failed(u16, Option<String>);

    impl ServiceError for Failed {
        fn from_response(res: &HttpResponse) -> Self {
            Failed(res.status, None)
        }
        fn malformed(status: u16, detail: String) -> Self {
            Failed(status, Some(detail))
        }
    }

    #[test]
    fn parse_json_reads_success_and_hands_errors_to_the_client() {
        let ok: Result<Vec<u8>, Failed> = parse_json(&HttpResponse::new(200, "[1,2]"));
        assert_eq!(ok.ok(), Some(vec![1, 2]));
        let Err(Failed(403, None)) = parse_json::<Vec<u8>, _>(&HttpResponse::new(403, "{}")) else {
            panic!("an error status is the client's own error");
        };
        let Err(Failed(200, Some(detail))) =
            parse_json::<Vec<u8>, _>(&HttpResponse::new(200, r#"["hunter2"]"#))
        else {
            panic!("a wrong shape is malformed");
        };
        assert_eq!(detail, "unexpected shape at line 1 column 10");
        assert!(!detail.contains("hunter2"));
        assert!(expect_success::<Failed>(&HttpResponse::new(204, "")).is_ok());
        assert!(matches!(
            expect_success::<Failed>(&HttpResponse::new(404, "")),
            Err(Failed(404, None))
        ));
    }

    #[test]
    fn next_page_keeps_the_headers_and_drops_the_body() {
        let first = HttpRequest::new(Method::Post, "https://x/a", Resource::Graph)
            .header("ConsistencyLevel", "eventual")
            .json("{}".into());
        let next = next_page("https://x/a?$skiptoken=1", &first);
        assert_eq!(next.method, Method::Get);
        assert_eq!(next.url, "https://x/a?$skiptoken=1");
        assert_eq!(next.headers, first.headers);
        assert_eq!(next.body, None);
        assert_eq!(next.resource, Resource::Graph);
    }

    #[test]
    fn null_and_missing_are_the_default() {
        #[derive(Deserialize)]
        struct S {
            #[serde(default, deserialize_with = "null_as_default")]
            a: Vec<String>,
            #[serde(default, deserialize_with = "null_as_default")]
            b: String,
        }
        let s: S = serde_json::from_str(r#"{"a":null}"#).unwrap();
        assert!(s.a.is_empty() && s.b.is_empty());
        let s: S = serde_json::from_str(r#"{"a":["x"],"b":"y"}"#).unwrap();
        assert_eq!((s.a, s.b), (vec!["x".to_string()], "y".to_string()));
        assert!(is_default(&&String::new()) && !is_default(&&"x".to_string()));
    }

    #[test]
    fn fields_read_like_optional_serde_members() {
        let v = json_value(
            r#"{"s":"x","n":null,"o":{"s":"y"},"l":[{"s":"z"}],"num":1,"bad":[1],"x":{}}"#,
        )
        .unwrap();
        let f = Fields::of(&v).unwrap();
        assert_eq!(f.text("s"), Ok(Some("x".into())));
        assert_eq!(f.text("n"), Ok(None));
        assert_eq!(f.text("missing"), Ok(None));
        assert_eq!(f.text("num"), Err(WrongShape));
        assert_eq!(
            f.object("o").unwrap().unwrap().text("s"),
            Ok(Some("y".into()))
        );
        assert!(f.object("n").unwrap().is_none());
        assert!(f.object("s").is_err());
        let l = f.objects("l").unwrap().unwrap();
        assert_eq!(l[0].text("s"), Ok(Some("z".into())));
        assert!(f.objects("n").unwrap().is_none());
        assert!(f.objects("bad").is_err() && f.objects("o").is_err());
        assert!(Fields::of(&Value::Null).is_err());
        assert_eq!(json_value("<html>").err(), Some(WrongShape));
    }

    #[derive(Debug, PartialEq)]
    struct Item {
        name: String,
        on: Option<bool>,
        tags: Vec<String>,
    }

    fn item(m: Members<'_>) -> Result<Item, Mismatch> {
        Ok(Item {
            name: m.required_text("name")?,
            on: m.flag("on")?,
            tags: m.texts("tags")?.unwrap_or_default(),
        })
    }

    #[derive(Debug, PartialEq)]
    struct Outer {
        items: Vec<Item>,
        inner: Option<Item>,
        when: Option<DateTime<Utc>>,
        n: Option<i64>,
        count: Option<u64>,
        labels: Option<BTreeMap<String, String>>,
    }

    fn outer(m: Members<'_>) -> Result<Outer, Mismatch> {
        Ok(Outer {
            items: m.page_value("value", item)?,
            inner: m.object("inner", item)?,
            when: m.date("when")?,
            n: m.integer("n")?,
            count: m.count("count")?,
            labels: m.text_map("labels")?,
        })
    }

    /// What `parse_with(…, outer)` says of `body`.
    fn read(body: &str) -> Result<Outer, String> {
        parse_with(&HttpResponse::new(200, body), outer).map_err(|Failed(status, detail)| {
            assert_eq!(status, 200);
            detail.expect("a success status with a bad body is malformed")
        })
    }

    #[test]
    fn members_read_present_missing_null_and_extra_members() {
        let full = read(
            r#"{"value":[{"name":"a","on":true,"tags":["x","y"],"extra":{"deep":[1]}}],
                "inner":{"name":"b","on":null,"tags":null},"when":"2025-01-31T09:00:00.1234567+01:00",
                "n":-5,"count":7,"labels":{"k":"v"},"unknown":[null,{}]}"#,
        )
        .unwrap();
        assert_eq!(
            full.items,
            [Item {
                name: "a".into(),
                on: Some(true),
                tags: vec!["x".into(), "y".into()]
            }]
        );
        let inner = full.inner.unwrap();
        assert_eq!(
            (inner.name.as_str(), inner.on, inner.tags.len()),
            ("b", None, 0)
        );
        assert_eq!(
            full.when,
            Some(
                Utc.with_ymd_and_hms(2025, 1, 31, 8, 0, 0).unwrap()
                    + chrono::Duration::nanoseconds(123_456_700)
            )
        );
        assert_eq!((full.n, full.count), (Some(-5), Some(7)));
        assert_eq!(full.labels.unwrap()["k"], "v");

        // Missing and null optional members are "not stated"; a missing page value is empty.
        let empty =
            read(r#"{"inner":null,"when":null,"n":null,"count":null,"labels":null}"#).unwrap();
        assert_eq!(
            empty,
            Outer {
                items: vec![],
                inner: None,
                when: None,
                n: None,
                count: None,
                labels: None
            }
        );
        assert_eq!(read("{}").unwrap(), empty);
        // Not an object at all.
        assert_eq!(
            read("[]").unwrap_err(),
            "unexpected shape: expected an object"
        );
        assert_eq!(
            read("null").unwrap_err(),
            "unexpected shape: expected an object"
        );
    }

    #[test]
    fn a_wrong_member_is_named_with_its_path() {
        let cases = [
            (r#"{"value":null}"#, "value: expected an array"),
            (r#"{"value":{}}"#, "value: expected an array"),
            (
                r#"{"value":[{"name":"a"},7]}"#,
                "value[1]: expected an object",
            ),
            (
                r#"{"value":[{"name":"a"},{}]}"#,
                "value[1].name: expected a string",
            ),
            (
                r#"{"value":[{"name":null}]}"#,
                "value[0].name: expected a string",
            ),
            (
                r#"{"value":[{"name":1}]}"#,
                "value[0].name: expected a string",
            ),
            (
                r#"{"value":[{"name":"a","on":"yes"}]}"#,
                "value[0].on: expected true or false",
            ),
            (
                r#"{"value":[{"name":"a","tags":["x",2]}]}"#,
                "value[0].tags[1]: expected a string",
            ),
            (
                r#"{"value":[{"name":"a","tags":"x"}]}"#,
                "value[0].tags: expected an array",
            ),
            (
                r#"{"inner":{"name":"b","tags":[null]}}"#,
                "inner.tags[0]: expected a string",
            ),
            (r#"{"inner":[]}"#, "inner: expected an object"),
            (
                r#"{"when":"soon"}"#,
                "when: expected an RFC 3339 date and time",
            ),
            (
                r#"{"when":1700000000}"#,
                "when: expected an RFC 3339 date and time",
            ),
            (r#"{"n":1.5}"#, "n: expected an integer"),
            (r#"{"n":"1"}"#, "n: expected an integer"),
            (r#"{"count":-1}"#, "count: expected a non-negative integer"),
            (
                r#"{"labels":{"k":1}}"#,
                "labels: expected an object of strings",
            ),
            (r#"{"labels":["k"]}"#, "labels: expected an object"),
        ];
        for (body, at) in cases {
            assert_eq!(
                read(body).unwrap_err(),
                format!("unexpected shape: {at}"),
                "{body}"
            );
        }
    }

    #[test]
    fn readers_keep_serdes_position_for_text_that_is_not_json_and_quote_no_body() {
        assert_eq!(
            read("{\n  \"value\": [1,,]").unwrap_err(),
            "not valid JSON at line 2 column 15"
        );
        assert_eq!(
            read(r#"{"value":["#).unwrap_err(),
            "truncated JSON at line 1 column 10"
        );
        assert_eq!(
            read("<html>").unwrap_err(),
            "not valid JSON at line 1 column 1"
        );
        // A wrong value is never quoted, only where it was.
        let e = read(r#"{"value":[{"name":"a","on":"hunter2"}]}"#).unwrap_err();
        assert!(!e.contains("hunter2"), "{e}");
        // An error status is the client's own error, not a shape.
        assert!(matches!(
            parse_with::<_, Failed>(&HttpResponse::new(404, "{}"), outer),
            Err(Failed(404, None))
        ));
    }

    #[test]
    fn rfc3339_reads_offsets_and_fractions_and_refuses_the_rest() {
        let t = |s| rfc3339(s).map(|d| d.to_rfc3339());
        assert_eq!(
            t("2024-01-01T00:00:00Z").as_deref(),
            Some("2024-01-01T00:00:00+00:00")
        );
        assert_eq!(
            t("2024-01-01T02:00:00+02:00").as_deref(),
            Some("2024-01-01T00:00:00+00:00")
        );
        assert!(t("2024-01-01T00:00:00.1234567Z").is_some());
        for bad in [
            "",
            "soon",
            "2024-01-01",
            "2024-13-01T00:00:00Z",
            "2024-01-01T00:00:00",
        ] {
            assert_eq!(t(bad), None, "{bad}");
        }
    }

    #[test]
    fn unix_times_and_excerpts() {
        assert_eq!(from_unix(Some(0)), Some(Utc.timestamp_opt(0, 0).unwrap()));
        assert_eq!(from_unix(None), None);
        assert_eq!(from_unix(Some(i64::MAX)), None);
        assert_eq!(excerpt("  a\nb  "), "a b");
        let long = "é".repeat(130);
        assert_eq!(excerpt(&long).chars().count(), 121);
    }
}
