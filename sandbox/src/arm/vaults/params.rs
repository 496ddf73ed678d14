//! Reading request bodies that describe a secret version (data plane `SecretSetParameters` and
//! `SecretUpdateParameters`, ARM `SecretCreateOrUpdateParameters`), checked against the spec's
//! types. Errors name the field and never quote the body, so a secret value cannot leak into
//! an error message.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// Why a body does not fit its schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ParamError {
    /// Not JSON at all (the category and position only).
    Syntax(String),
    /// A required property is absent.
    Missing(String),
    /// A property has the wrong JSON type.
    WrongType {
        path: String,
        expected: &'static str,
    },
}

impl std::fmt::Display for ParamError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamError::Syntax(s) => write!(f, "the body is not valid JSON ({s})"),
            ParamError::Missing(p) => write!(f, "the property '{p}' is required"),
            ParamError::WrongType { path, expected } => {
                write!(f, "the property '{path}' must be {expected}")
            }
        }
    }
}

/// `attributes` as a client may send them (`created`, `updated` and the rest are read-only and
/// ignored, as the service does).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Attributes {
    pub enabled: Option<bool>,
    pub nbf: Option<i64>,
    pub exp: Option<i64>,
}

/// The parts of a secret a request may set.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretParams {
    pub value: Option<String>,
    pub content_type: Option<String>,
    pub tags: Option<BTreeMap<String, String>>,
    pub attributes: Option<Attributes>,
}

impl std::fmt::Debug for SecretParams {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SecretParams")
            .field("value", &self.value.as_ref().map(|_| "<redacted>"))
            .field("content_type", &self.content_type)
            .field("tags", &self.tags)
            .field("attributes", &self.attributes)
            .finish()
    }
}

/// Parses a JSON object body; an empty body counts as `{}` only if `allow_empty`.
pub fn parse_object(body: &[u8], allow_empty: bool) -> Result<Map<String, Value>, ParamError> {
    if allow_empty && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(Map::new());
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(ParamError::WrongType {
            path: "(body)".into(),
            expected: "a JSON object",
        }),
        Err(e) => Err(ParamError::Syntax(format!(
            "{:?} error at line {} column {}",
            e.classify(),
            e.line(),
            e.column()
        ))),
    }
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_owned()
    } else {
        format!("{prefix}.{name}")
    }
}

/// Reads `value`, `contentType`, `tags` and `attributes` from `object` (paths under `prefix`).
/// `tags_at` says where the tags live (ARM keeps them at the top level).
pub fn read_secret_params(
    object: &Map<String, Value>,
    prefix: &str,
    tags: Option<&Value>,
    tags_path: &str,
) -> Result<SecretParams, ParamError> {
    let string = |name: &str| -> Result<Option<String>, ParamError> {
        match object.get(name) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(ParamError::WrongType {
                path: join(prefix, name),
                expected: "a string",
            }),
        }
    };
    Ok(SecretParams {
        value: string("value")?,
        content_type: string("contentType")?,
        tags: read_tags(tags, tags_path)?,
        attributes: read_attributes(object.get("attributes"), &join(prefix, "attributes"))?,
    })
}

fn read_tags(
    tags: Option<&Value>,
    path: &str,
) -> Result<Option<BTreeMap<String, String>>, ParamError> {
    match tags {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Object(map)) => map
            .iter()
            .map(|(k, v)| match v {
                Value::String(s) => Ok((k.clone(), s.clone())),
                _ => Err(ParamError::WrongType {
                    path: format!("{path}.{k}"),
                    expected: "a string",
                }),
            })
            .collect::<Result<_, _>>()
            .map(Some),
        Some(_) => Err(ParamError::WrongType {
            path: path.to_owned(),
            expected: "an object of strings",
        }),
    }
}

fn read_attributes(v: Option<&Value>, path: &str) -> Result<Option<Attributes>, ParamError> {
    let map = match v {
        None | Some(Value::Null) => return Ok(None),
        Some(Value::Object(map)) => map,
        Some(_) => {
            return Err(ParamError::WrongType {
                path: path.to_owned(),
                expected: "an object",
            })
        }
    };
    let int = |name: &str| match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) if n.is_i64() => Ok(n.as_i64()),
        Some(_) => Err(ParamError::WrongType {
            path: format!("{path}.{name}"),
            expected: "an integer (Unix seconds)",
        }),
    };
    let enabled = match map.get("enabled") {
        None | Some(Value::Null) => None,
        Some(Value::Bool(b)) => Some(*b),
        Some(_) => {
            return Err(ParamError::WrongType {
                path: format!("{path}.enabled"),
                expected: "a boolean",
            })
        }
    };
    Ok(Some(Attributes {
        enabled,
        nbf: int("nbf")?,
        exp: int("exp")?,
    }))
}

/// The opaque `$skiptoken` of a list page that starts at item `offset`.
pub fn encode_skip_token(offset: usize) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(format!("{{\"offset\":{offset}}}"))
}

pub fn decode_skip_token(token: &str) -> Option<usize> {
    use base64::Engine;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(token.trim_end_matches('='))
        .ok()?;
    let value: Value = serde_json::from_slice(&bytes).ok()?;
    usize::try_from(value.get("offset")?.as_u64()?).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_and_refuses_without_quoting_the_value() {
        let body = br#"{"value":"s3cr3t-value","contentType":"text/plain","tags":{"a":"b"},
                        "attributes":{"enabled":false,"exp":1767225600,"created":1}}"#;
        let object = parse_object(body, false).unwrap();
        let p = read_secret_params(&object, "", object.get("tags"), "tags").unwrap();
        assert_eq!(p.value.as_deref(), Some("s3cr3t-value"));
        assert_eq!(p.tags.unwrap()["a"], "b");
        let a = p.attributes.unwrap();
        assert_eq!(
            (a.enabled, a.nbf, a.exp),
            (Some(false), None, Some(1767225600))
        );

        let bad = br#"{"value":"s3cr3t-value","tags":{"a":1}}"#;
        let object = parse_object(bad, false).unwrap();
        let e = read_secret_params(&object, "", object.get("tags"), "tags").unwrap_err();
        assert_eq!(e.to_string(), "the property 'tags.a' must be a string");

        let e = parse_object(br#"{"value":"s3cr3t-value""#, false).unwrap_err();
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        let e = parse_object(br#"["s3cr3t-value"]"#, false).unwrap_err();
        assert!(!e.to_string().contains("s3cr3t"), "{e}");
        let p = SecretParams {
            value: Some("s3cr3t-value".into()),
            ..Default::default()
        };
        assert!(!format!("{p:?}").contains("s3cr3t"));

        let object = parse_object(br#"{"attributes":{"nbf":"soon"}}"#, false).unwrap();
        let e = read_secret_params(&object, "properties", None, "tags").unwrap_err();
        assert_eq!(
            e,
            ParamError::WrongType {
                path: "properties.attributes.nbf".into(),
                expected: "an integer (Unix seconds)"
            }
        );
        assert!(parse_object(b"  ", true).unwrap().is_empty());
    }

    #[test]
    fn skip_tokens_round_trip() {
        assert_eq!(decode_skip_token(&encode_skip_token(25)), Some(25));
        assert_eq!(decode_skip_token("not a token"), None);
    }
}
