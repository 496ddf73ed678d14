//! `ConfigError`: what is wrong with config.json, naming the file and the field.

use std::fmt;

use crate::cloud::CLOUD_NAMES;

/// Quotes at most 40 characters of something the site owner wrote.
pub(crate) fn short(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
}

/// Why the site's configuration could not be used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ConfigError {
    /// The server answered config.json with an error status (404: not deployed).
    NotFound {
        status: u16,
    },
    /// config.json could not be fetched at all.
    Unreachable,
    NotJson {
        line: usize,
        column: usize,
    },
    NotAnObject,
    Missing {
        field: String,
    },
    Invalid {
        field: String,
        problem: String,
    },
    UnknownCloud {
        name: String,
    },
    BadUrl {
        field: String,
        https_only: bool,
    },
}

impl ConfigError {
    /// The dotted path of the field at fault, when there is one.
    pub fn field(&self) -> Option<&str> {
        match self {
            ConfigError::Missing { field }
            | ConfigError::Invalid { field, .. }
            | ConfigError::BadUrl { field, .. } => Some(field),
            ConfigError::UnknownCloud { .. } => Some("cloud"),
            _ => None,
        }
    }

    /// The sentence the error page shows (docs/ux.md).
    pub fn user_message(&self) -> String {
        const SEE: &str = "See the README's deployment section.";
        match self {
            ConfigError::Missing { field } => format!(
                "This site isn't configured yet: config.json is missing field \"{field}\". {SEE}"
            ),
            ConfigError::NotFound { status: 404 } => {
                format!("This site isn't configured yet: config.json was not found. {SEE}")
            }
            ConfigError::Unreachable => "This site couldn't load its settings: config.json could not be fetched. Check your connection and reload the page.".into(),
            other => format!("This site isn't configured correctly: {other}. {SEE}"),
        }
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::NotFound { status } => {
                write!(f, "config.json could not be loaded (HTTP {status})")
            }
            ConfigError::Unreachable => write!(f, "config.json could not be fetched"),
            ConfigError::NotJson { line, column } => write!(
                f,
                "config.json is not valid JSON (line {line}, column {column})"
            ),
            ConfigError::NotAnObject => write!(f, "config.json must hold a JSON object"),
            ConfigError::Missing { field } => {
                write!(f, "config.json: field \"{field}\" is missing")
            }
            ConfigError::Invalid { field, problem } => {
                write!(f, "config.json: field \"{field}\" {problem}")
            }
            ConfigError::UnknownCloud { name } => write!(
                f,
                "config.json: cloud \"{name}\" is unknown: use {}",
                CLOUD_NAMES
            ),
            ConfigError::BadUrl {
                field,
                https_only: false,
            } => write!(
                f,
                "config.json: {field} must be an https URL, or http only on 127.0.0.1/localhost"
            ),
            ConfigError::BadUrl {
                field,
                https_only: true,
            } => write!(f, "config.json: {field} must be an https URL"),
        }
    }
}

impl std::error::Error for ConfigError {}
