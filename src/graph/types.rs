//! Graph v1.0 envelopes and results of this client (camelCase JSON, unknown fields ignored). The
//! directory objects themselves (applications, credentials, owners, roles, policies) are
//! [`crate::model`]'s.

use serde::{Deserialize, Serialize};

use crate::domain::SecretValue;
use crate::model::PasswordCredential;

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

/// addPassword's result: the credential's metadata and its value, shown once.
#[derive(Debug)]
pub struct CreatedPassword {
    pub credential: PasswordCredential,
    pub secret: SecretValue,
}
