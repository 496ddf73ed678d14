//! Response parsers: a success body becomes a typed value, anything else a [`GraphError`].

use chrono::{DateTime, Utc};
use serde::de::{Deserializer, Visitor};
use serde::Deserialize;
use zeroize::Zeroizing;

use super::error::GraphError;
use super::read;
use super::types::{CreatedPassword, Me, Page};
use crate::domain::SecretValue;
use crate::model::{Application, Owner, PasswordCredential};
use crate::net::HttpResponse;
use crate::wire::{expect_success, parse_json, parse_with};

/// `GET /me`.
pub fn parse_me(res: &HttpResponse) -> Result<Me, GraphError> {
    parse_with(res, read::user)
}

/// `GET /applications` and `GET /me/ownedObjects/microsoft.graph.application` (one page).
pub fn parse_application_page(res: &HttpResponse) -> Result<Page<Application>, GraphError> {
    parse_with(res, |m| read::page(m, read::application))
}

/// `GET /applications/{id}` or `/applications(appId='…')`.
pub fn parse_application(res: &HttpResponse) -> Result<Application, GraphError> {
    parse_with(res, read::application)
}

/// `GET /applications/{id}/owners` (one page).
pub fn parse_owners(res: &HttpResponse) -> Result<Page<Owner>, GraphError> {
    parse_with(res, |m| read::page(m, read::owner))
}

/// `POST …/removePassword`: 204 No Content.
pub fn parse_remove_password(res: &HttpResponse) -> Result<(), GraphError> {
    expect_success(res)
}

/// addPassword's body. The secret goes straight into a zeroising string; no plain `String`
/// copy of it is made here (the response body itself is zeroised when it is dropped).
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AddPasswordBody {
    key_id: String,
    #[serde(default)]
    display_name: Option<String>,
    #[serde(default)]
    hint: Option<String>,
    #[serde(default)]
    start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    end_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "zeroizing_string")]
    secret_text: Option<Zeroizing<String>>,
}

fn zeroizing_string<'de, D: Deserializer<'de>>(
    d: D,
) -> Result<Option<Zeroizing<String>>, D::Error> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Option<Zeroizing<String>>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("a string or null")
        }
        fn visit_none<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_str(self)
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            // Exact capacity: the string never reallocates, so no stale copy is left behind.
            let mut s = Zeroizing::new(String::with_capacity(v.len()));
            s.push_str(v);
            Ok(Some(s))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(Zeroizing::new(v)))
        }
    }
    d.deserialize_option(V)
}

/// `POST …/addPassword`: the new credential and its value (shown once, never again).
pub fn parse_add_password(res: HttpResponse) -> Result<CreatedPassword, GraphError> {
    // Errors name only a category and position: serde messages may quote the body.
    let body: AddPasswordBody = parse_json(&res)?;
    let secret = match body.secret_text {
        Some(s) if !s.is_empty() => s,
        _ => {
            return Err(GraphError::Malformed {
                status: res.status,
                detail: "the response has no secretText".into(),
            })
        }
    };
    Ok(CreatedPassword {
        credential: PasswordCredential {
            key_id: body.key_id,
            display_name: body.display_name,
            hint: body.hint,
            start_date_time: body.start_date_time,
            end_date_time: body.end_date_time,
        },
        secret: SecretValue::new(secret),
    })
}
