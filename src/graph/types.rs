//! Graph v1.0 resources as the app needs them (camelCase JSON, unknown fields ignored).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::net::null_as_default;

use crate::domain::SecretValue;

/// An app registration. `id` is the object ID, `app_id` the client ID.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    pub id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub app_id: String,
    #[serde(default, deserialize_with = "null_as_default")]
    pub display_name: String,
    #[serde(default)]
    pub sign_in_audience: Option<String>,
    #[serde(default)]
    pub created_date_time: Option<DateTime<Utc>>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub password_credentials: Vec<PasswordCredential>,
    #[serde(default, deserialize_with = "null_as_default")]
    pub key_credentials: Vec<KeyCredential>,
}

impl Application {
    /// True when the app accepts personal Microsoft accounts, which caps it at two secrets.
    pub fn accepts_personal_accounts(&self) -> bool {
        matches!(
            self.sign_in_audience.as_deref(),
            Some("AzureADandPersonalMicrosoftAccount") | Some("PersonalMicrosoftAccount")
        )
    }
}

/// A client secret's metadata. The value is never part of this type.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PasswordCredential {
    pub key_id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    /// The first three characters of the secret (Graph's own hint).
    #[serde(default)]
    pub hint: Option<String>,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

/// A certificate credential. `custom_key_identifier` is the thumbprint, base64-encoded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct KeyCredential {
    pub key_id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub custom_key_identifier: Option<String>,
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub usage: Option<String>,
    #[serde(default)]
    pub start_date_time: Option<DateTime<Utc>>,
    #[serde(default)]
    pub end_date_time: Option<DateTime<Utc>>,
}

/// A user (`/me`, or an owner that is a user).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
}

/// The signed-in user.
pub type Me = User;

/// An app owner: a user or a service principal (`@odata.type` tells which).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    pub id: String,
    #[serde(rename = "@odata.type", default)]
    pub odata_type: Option<String>,
    #[serde(default)]
    pub display_name: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub mail: Option<String>,
}

impl Owner {
    /// What to show for this owner: "Dev Dan (dan@contoso.example)", or whatever is known.
    pub fn label(&self) -> String {
        let contact = self.user_principal_name.as_ref().or(self.mail.as_ref());
        match (&self.display_name, contact) {
            (Some(name), Some(c)) if name != c => format!("{name} ({c})"),
            (Some(name), _) => name.clone(),
            (None, Some(c)) => c.clone(),
            (None, None) => self.id.clone(),
        }
    }
}

/// One page of a Graph collection. Follow `next_link` with [`super::next_page`].
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Page<T> {
    #[serde(default = "Vec::new")]
    pub value: Vec<T>,
    #[serde(rename = "@odata.nextLink", default)]
    pub next_link: Option<String>,
    /// Only on the first page, and only when `$count=true` was asked for.
    #[serde(rename = "@odata.count", default)]
    pub count: Option<u64>,
}

/// What to ask addPassword for. Both dates are always sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPassword {
    pub display_name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// addPassword's result: the credential's metadata and its value, shown once.
#[derive(Debug)]
pub struct CreatedPassword {
    pub credential: PasswordCredential,
    pub secret: SecretValue,
}
