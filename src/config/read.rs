//! A JSON object being read, with the dotted path every error message names.

use serde_json::{Map, Value};

use super::ConfigError;
use crate::cloud::{check_endpoint, check_https};
use crate::graph::is_guid;

/// A JSON object being read, with the dotted path used in error messages.
pub(super) struct Obj<'a> {
    pub(super) map: &'a Map<String, Value>,
    prefix: String,
}

impl<'a> Obj<'a> {
    pub(super) fn root(map: &'a Map<String, Value>) -> Self {
        Obj {
            map,
            prefix: String::new(),
        }
    }

    pub(super) fn path(&self, key: &str) -> String {
        if self.prefix.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.prefix)
        }
    }

    /// A value, with `null` read as absent.
    pub(super) fn get(&self, key: &str) -> Option<&'a Value> {
        self.map.get(key).filter(|v| !v.is_null())
    }

    pub(super) fn invalid(&self, key: &str, problem: impl Into<String>) -> ConfigError {
        ConfigError::Invalid {
            field: self.path(key),
            problem: problem.into(),
        }
    }

    /// Refuses keys other than `known` (comments: keys starting with `$` or `_`).
    pub(super) fn only(&self, known: &[&str]) -> Result<(), ConfigError> {
        match self
            .map
            .keys()
            .find(|k| !known.contains(&k.as_str()) && !k.starts_with('$') && !k.starts_with('_'))
        {
            // Quoted short: the key is whatever the file holds, possibly megabytes of it.
            Some(k) => Err(self.invalid(
                &super::error::short(k),
                "is not a known setting (check its spelling)",
            )),
            None => Ok(()),
        }
    }

    pub(super) fn string(&self, key: &str) -> Result<Option<&'a str>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::String(s)) if s.trim().is_empty() => Err(self.invalid(key, "is empty")),
            Some(Value::String(s)) => Ok(Some(s.trim())),
            Some(_) => Err(self.invalid(key, "must be a string")),
        }
    }

    pub(super) fn required_string(&self, key: &str) -> Result<&'a str, ConfigError> {
        self.string(key)?.ok_or_else(|| ConfigError::Missing {
            field: self.path(key),
        })
    }

    pub(super) fn number(&self, key: &str) -> Result<Option<u64>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .map(Some)
                .ok_or_else(|| self.invalid(key, "must be a whole number")),
        }
    }

    pub(super) fn object(&self, key: &str) -> Result<Option<Obj<'a>>, ConfigError> {
        match self.get(key) {
            None => Ok(None),
            Some(Value::Object(map)) => Ok(Some(Obj {
                map,
                prefix: self.path(key),
            })),
            Some(_) => Err(self.invalid(key, "must be an object")),
        }
    }

    pub(super) fn required_object(&self, key: &str) -> Result<Obj<'a>, ConfigError> {
        self.object(key)?.ok_or_else(|| ConfigError::Missing {
            field: self.path(key),
        })
    }

    /// An endpoint URL: https, or http only on loopback.
    pub(super) fn endpoint(&self, key: &str) -> Result<String, ConfigError> {
        check_endpoint(self.required_string(key)?).map_err(|_| ConfigError::BadUrl {
            field: self.path(key),
            https_only: false,
        })
    }

    /// A URL that must be https whatever its host.
    pub(super) fn https(&self, key: &str) -> Result<String, ConfigError> {
        check_https(self.required_string(key)?).map_err(|_| ConfigError::BadUrl {
            field: self.path(key),
            https_only: true,
        })
    }

    pub(super) fn guid(&self, key: &str) -> Result<String, ConfigError> {
        let s = self.required_string(key)?;
        if s.bytes().all(|b| b == b'0' || b == b'-') && is_guid(s) {
            Err(self.invalid(key, "is still the all-zero placeholder GUID"))
        } else if is_guid(s) {
            Ok(s.to_ascii_lowercase())
        } else {
            Err(self.invalid(key, "is not a GUID"))
        }
    }
}
