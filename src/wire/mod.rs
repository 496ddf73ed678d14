//! What every service client (Graph, ARM, Key Vault) shares to read JSON answers, each helper
//! once: [`parse_json`] (a success body becomes a typed value, anything else the client's
//! error), [`next_page`] (follow a `nextLink`), the serde helpers of their wire types
//! ([`null_as_default`], [`is_default`], [`from_unix`], [`SecretAttributes`]), the reader of
//! their error bodies ([`Fields`]), and the text an error may show of a body ([`describe_serde`],
//! [`excerpt`]). Sans-IO like the clients: values in, values out.
//!
//! The readers of success and error bodies ([`Members`], [`Fields`], [`rfc3339`]) live in
//! `members`; the clients' test oracle in `oracle`.

use chrono::{DateTime, TimeZone, Utc};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};
use serde_json::Value;
use zeroize::Zeroize;

use crate::net::{HttpRequest, HttpResponse, Method};

mod members;
#[cfg(test)]
pub(crate) mod oracle;
#[cfg(test)]
mod tests;

pub use members::{json_value, objects, rfc3339, Fields, Members, Mismatch, WrongShape};

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
