//! The readers of JSON bodies over the one `serde_json::Value` parser: [`Members`] for success
//! bodies (a wrong member is a [`Mismatch`] naming where), [`Fields`] for error bodies (a wrong
//! member is [`WrongShape`]), and [`rfc3339`] for their dates.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

/// A JSON body that is not the shape a reader expects.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WrongShape;

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
