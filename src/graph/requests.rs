//! Request builders. Each takes the Graph base URL from config (for example
//! `https://graph.microsoft.com` or `http://127.0.0.1:8400/graph`) and returns an [`HttpRequest`].

use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::json;

use crate::model::NewPassword;
use crate::net::{encode, HttpRequest, Method, Resource};

/// Fields the app reads from one application it opens ([`get_application`]); nothing else is
/// fetched.
pub const APP_SELECT: &str =
    "id,appId,displayName,signInAudience,createdDateTime,passwordCredentials,keyCredentials";
/// Fields of an application in a list or search ([`list_applications`], [`my_applications`]):
/// what the Choose list shows (name, client ID, secrets and their status) and what Review needs
/// until the opened app has been read again. Never `keyCredentials`: "The use of `$select` to
/// get **keyCredentials** for applications has a throttling limit of 150 requests per minute for
/// every tenant." (../shared/specs/graph-docs/application-list.md), and a search runs on every
/// pause in typing. Certificates are read when an app is opened.
pub const LIST_SELECT: &str =
    "id,appId,displayName,signInAudience,createdDateTime,passwordCredentials";
/// Page size for application lists (Graph's default is 100, its maximum 999).
pub const APP_PAGE_SIZE: u32 = 100;
/// The only fields the overview reads ([`overview_applications`]).
pub const OVERVIEW_SELECT: &str = "id,appId,displayName,passwordCredentials,keyCredentials";
/// The overview's page size: Graph's largest.
pub const OVERVIEW_PAGE_SIZE: u32 = 999;
const USER_SELECT: &str = "id,displayName,userPrincipalName,mail";

/// How to look for applications.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AppQuery {
    /// Every application (first page).
    All,
    /// `startsWith(displayName,'…')`: works in every tenant, including B2C.
    NameStartsWith(String),
    /// `appId eq '…'`: the input is a client ID.
    AppId(String),
    /// `$search="displayName:…"` (word match anywhere in the name). Needs
    /// `ConsistencyLevel: eventual`; not available in B2C tenants (fall back to
    /// [`AppQuery::NameStartsWith`] on [`super::GraphError::UnsupportedQuery`]).
    Search(String),
}

impl AppQuery {
    /// The query for what a user typed: nothing → all, a GUID → client ID, else a name search.
    pub fn from_input(input: &str) -> Self {
        let input = input.trim();
        if input.is_empty() {
            AppQuery::All
        } else if is_guid(input) {
            AppQuery::AppId(input.to_ascii_lowercase())
        } else {
            AppQuery::Search(input.to_string())
        }
    }
}

/// True for the 8-4-4-4-12 hexadecimal GUID form.
pub fn is_guid(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    let lens = [8, 4, 4, 4, 12];
    parts.len() == 5
        && parts
            .iter()
            .zip(lens)
            .all(|(p, n)| p.len() == n && p.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// An OData string literal body: a single quote is escaped by doubling it.
fn odata_quote(value: &str) -> String {
    value.replace('\'', "''")
}

/// A `$search` phrase: backslash and double quote are escaped with a backslash.
fn search_phrase(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"")
}

/// `{base}/v1.0{path}`: every Graph request's URL.
pub(super) fn url(base: &str, path: &str) -> String {
    format!("{}/v1.0{}", base.trim_end_matches('/'), path)
}

/// A Graph GET.
pub(super) fn get(url: String) -> HttpRequest {
    HttpRequest::new(Method::Get, url, Resource::Graph)
}

/// Graph's required timestamp form: RFC 3339 in UTC with a `Z`.
pub fn graph_timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// `GET /v1.0/me`: who is signed in.
pub fn me(base: &str) -> HttpRequest {
    get(url(base, &format!("/me?$select={}", encode(USER_SELECT))))
}

/// `GET /v1.0/applications` for a query; follow further pages with [`super::next_page`].
pub fn list_applications(base: &str, query: &AppQuery) -> HttpRequest {
    let mut params = vec![
        format!("$select={}", encode(LIST_SELECT)),
        format!("$top={APP_PAGE_SIZE}"),
    ];
    let mut eventual = false;
    match query {
        AppQuery::All => {}
        AppQuery::NameStartsWith(prefix) => params.push(format!(
            "$filter={}",
            encode(&format!(
                "startsWith(displayName,'{}')",
                odata_quote(prefix)
            ))
        )),
        AppQuery::AppId(app_id) => params.push(format!(
            "$filter={}",
            encode(&format!("appId eq '{}'", odata_quote(app_id)))
        )),
        AppQuery::Search(term) => {
            params.push(format!(
                "$search={}",
                encode(&format!("\"displayName:{}\"", search_phrase(term)))
            ));
            params.push("$count=true".into());
            eventual = true;
        }
    }
    let req = get(url(base, &format!("/applications?{}", params.join("&"))));
    if eventual {
        req.header("ConsistencyLevel", "eventual")
    } else {
        req
    }
}

/// Applications the signed-in user owns.
pub fn my_applications(base: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/me/ownedObjects/microsoft.graph.application?$select={}&$top={APP_PAGE_SIZE}",
            encode(LIST_SELECT)
        ),
    ))
}

/// Every application, for the overview: only [`OVERVIEW_SELECT`], in pages of
/// [`OVERVIEW_PAGE_SIZE`] (5,000 apps take 6 requests); follow with [`super::next_page`].
pub fn overview_applications(base: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/applications?$select={}&$top={OVERVIEW_PAGE_SIZE}",
            encode(OVERVIEW_SELECT)
        ),
    ))
}

/// The object IDs of the applications the signed-in user owns, in pages of
/// [`OVERVIEW_PAGE_SIZE`]; follow with [`super::next_page`].
pub fn owned_application_ids(base: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/me/ownedObjects/microsoft.graph.application?$select=id&$top={OVERVIEW_PAGE_SIZE}"
        ),
    ))
}

/// One application by object ID.
pub fn get_application(base: &str, object_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/applications/{}?$select={}",
            encode(object_id),
            encode(APP_SELECT)
        ),
    ))
}

/// One application by client ID (the `appId` alternate key).
pub fn get_application_by_app_id(base: &str, app_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/applications(appId='{}')?$select={}",
            encode(&odata_quote(app_id)),
            encode(APP_SELECT)
        ),
    ))
}

/// The owners of an application (users and service principals).
pub fn owners(base: &str, object_id: &str) -> HttpRequest {
    get(url(
        base,
        &format!("/applications/{}/owners", encode(object_id)),
    ))
}

/// `POST /applications/{id}/addPassword` with an explicit display name, start and end.
pub fn add_password(base: &str, object_id: &str, new: &NewPassword) -> HttpRequest {
    let body = json!({
        "passwordCredential": {
            "displayName": new.display_name,
            "startDateTime": graph_timestamp(new.start),
            "endDateTime": graph_timestamp(new.end),
        }
    });
    HttpRequest::new(
        Method::Post,
        url(
            base,
            &format!("/applications/{}/addPassword", encode(object_id)),
        ),
        Resource::Graph,
    )
    .json(body.to_string())
}

/// `POST /applications/{id}/removePassword` for one credential.
pub fn remove_password(base: &str, object_id: &str, key_id: &str) -> HttpRequest {
    HttpRequest::new(
        Method::Post,
        url(
            base,
            &format!("/applications/{}/removePassword", encode(object_id)),
        ),
        Resource::Graph,
    )
    .json(json!({ "keyId": key_id }).to_string())
}
