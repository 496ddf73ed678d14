//! What every service client (Graph, ARM, Key Vault) shares to read JSON answers, each helper
//! once: [`parse_json`] (a success body becomes a typed value, anything else the client's
//! error), [`next_page`] (follow a `nextLink`), the serde helpers of their wire types
//! ([`null_as_default`], [`is_default`], [`from_unix`], [`SecretAttributes`]), the reader of
//! their error bodies ([`Fields`]), and the text an error may show of a body ([`describe_serde`],
//! [`excerpt`]). Sans-IO like the clients: values in, values out.

use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::{Map, Value};

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
#[derive(Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretAttributes {
    #[serde(default)]
    pub enabled: Option<bool>,
    #[serde(default)]
    pub nbf: Option<i64>,
    #[serde(default)]
    pub exp: Option<i64>,
    #[serde(default)]
    pub created: Option<i64>,
    #[serde(default)]
    pub updated: Option<i64>,
    #[serde(default)]
    pub recovery_level: Option<String>,
}

/// A JSON body that is not the shape a reader expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongShape;

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

    fn member(&self, key: &str) -> Option<&'a Value> {
        self.0.get(key).filter(|v| !v.is_null())
    }

    /// A string member.
    pub fn text(&self, key: &str) -> Result<Option<String>, WrongShape> {
        self.member(key)
            .map(|v| v.as_str().map(str::to_string).ok_or(WrongShape))
            .transpose()
    }

    /// An object member.
    pub fn object(&self, key: &str) -> Result<Option<Fields<'a>>, WrongShape> {
        self.member(key).map(Fields::of).transpose()
    }

    /// An array of objects (`None` when missing or `null`).
    pub fn objects(&self, key: &str) -> Result<Option<Vec<Fields<'a>>>, WrongShape> {
        self.member(key).map(objects).transpose()
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
