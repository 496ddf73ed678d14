//! Every app's owners in few requests, sans-IO: for the expiry overview.
//!
//! - [`overview_owners`]: `GET /applications?$select=id&$expand=owners($select=id,displayName,
//!   userPrincipalName)&$top=100`, then every `@odata.nextLink`. A list with `$expand` on
//!   directory objects comes in pages of at most 100 (Graph's known issues,
//!   microsoftgraph/microsoft-graph-docs#21506: "Max page size with $expand is 100"), so `$top`
//!   asks for no more ([`EXPAND_PAGE_SIZE`]). The nested `$select` is the group resource's
//!   documented form for `owners` ("Supports `$expand` including nested `$select`").
//! - `$expand` "typically returns a maximum of 20 items for the expanded relationship and has no
//!   @odata.nextLink" (Graph's query-parameters page, "expand parameter"). An app with
//!   [`EXPAND_MAX_OWNERS`] expanded owners may have more: its full list is read with
//!   [`owners_url`] (`GET /applications/{id}/owners?$select=…&$top=999`, paged), up to
//!   [`BATCH_MAX`] of them in one JSON batch ([`owners_batch`]: "Microsoft Graph supports
//!   batching up to 20 requests", ../shared/specs/graph-docs/json-batching.md).
//! - [`parse_owners_batch`] reads the batch's `responses` (each `id`, `status`, `body`; "the
//!   individual responses might appear in a different order").
//!
//! Cost at 5,000 apps: 6 pages of 999 for the credentials (unchanged), 51 pages of 100 for the
//! owners, and one batch per 20 apps with 20 or more owners (BENCHMARKS.md has the figures).

use serde_json::json;

use super::error::GraphError;
use super::read;
use super::requests::{get, url};
use super::types::Page;
use crate::model::Owner;
use crate::net::{encode, HttpRequest, HttpResponse, Method, Resource};
use crate::wire::{parse_with, Members, Mismatch};

/// What the overview reads of each owner.
pub const OWNER_SELECT: &str = "id,displayName,userPrincipalName";
/// Apps per page with `$expand`: Graph returns at most 100 whatever `$top` says.
pub const EXPAND_PAGE_SIZE: u32 = 100;
/// Owners `$expand` returns at most; an app with this many may have more.
pub const EXPAND_MAX_OWNERS: usize = 20;
/// Requests in one JSON batch at most.
pub const BATCH_MAX: usize = 20;

/// The first page of every app's object ID with its (first 20) owners.
pub fn overview_owners(base: &str) -> HttpRequest {
    get(url(
        base,
        &format!(
            "/applications?$select=id&$expand={}&$top={EXPAND_PAGE_SIZE}",
            encode(&format!("owners($select={OWNER_SELECT})"))
        ),
    ))
}

/// One app's full owners list, relative to the version (for a batch).
pub fn owners_url(object_id: &str) -> String {
    format!(
        "/applications/{}/owners?$select={}&$top=999",
        encode(object_id),
        encode(OWNER_SELECT)
    )
}

/// A `@odata.nextLink` as a batch request's `url`: relative to `{base}/v1.0`. `None` when the
/// link points elsewhere (then it is not followed).
pub fn relative_url(base: &str, next_link: &str) -> Option<String> {
    let root = url(base, "");
    next_link
        .strip_prefix(&root)
        .filter(|rest| rest.starts_with('/'))
        .map(str::to_string)
}

/// `POST /$batch` with one GET per `(id, url)` (at most [`BATCH_MAX`]).
pub fn owners_batch(base: &str, steps: &[(String, String)]) -> HttpRequest {
    debug_assert!(steps.len() <= BATCH_MAX);
    let requests: Vec<_> = steps
        .iter()
        .map(|(id, u)| json!({ "id": id, "method": "GET", "url": u }))
        .collect();
    HttpRequest::new(Method::Post, url(base, "/$batch"), Resource::Graph)
        .json(json!({ "requests": requests }).to_string())
}

/// One app's object ID and the owners `$expand` returned.
#[derive(Clone, Debug, PartialEq)]
pub struct AppOwners {
    pub id: String,
    pub owners: Vec<Owner>,
}

fn app_owners(m: Members<'_>) -> Result<AppOwners, Mismatch> {
    Ok(AppOwners {
        id: m.required_text("id")?,
        owners: m.list("owners", read::owner)?.unwrap_or_default(),
    })
}

/// A page of [`overview_owners`].
pub fn parse_app_owners_page(res: &HttpResponse) -> Result<Page<AppOwners>, GraphError> {
    parse_with(res, |m| read::page(m, app_owners))
}

/// One answer of a batch: its request's `id`, the HTTP `status`, for a success the page of
/// owners in its `body`, and its `Retry-After` header. A batch carries each answer's headers in
/// its JSON (json-batching.md: "The headers property in each individual response represents
/// the headers returned by the server"), so the browser reads them whatever CORS exposes.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchAnswer {
    pub id: String,
    pub status: u16,
    pub page: Option<Page<Owner>>,
    pub retry_after: Option<String>,
}

fn owners_page(m: Members<'_>) -> Result<Page<Owner>, Mismatch> {
    read::page(m, read::owner)
}

fn batch_answer(m: Members<'_>) -> Result<BatchAnswer, Mismatch> {
    let status = m.count("status")?.unwrap_or(0);
    let status = u16::try_from(status).map_err(|_| Mismatch::new("status", "an HTTP status"))?;
    let page = if (200..300).contains(&status) {
        Some(
            m.object("body", owners_page)?
                .ok_or(Mismatch::new("body", "an object"))?,
        )
    } else {
        None
    };
    // Headers are read leniently: one that is not a string costs only the Retry-After.
    let retry_after = m.text_map("headers").ok().flatten().and_then(|h| {
        h.into_iter()
            .find(|(k, _)| k.eq_ignore_ascii_case("retry-after"))
            .map(|(_, v)| v)
    });
    Ok(BatchAnswer {
        id: m.required_text("id")?,
        status,
        page,
        retry_after,
    })
}

/// A batch's `responses`.
pub fn parse_owners_batch(res: &HttpResponse) -> Result<Vec<BatchAnswer>, GraphError> {
    parse_with(res, |m| m.page_value("responses", batch_answer))
}

/// What the overview shows for an owner: a user's `displayName`, else the UPN; a service
/// principal's `displayName`; the object ID when nothing else was returned.
pub fn owner_name(o: &Owner) -> String {
    o.display_name
        .clone()
        .or_else(|| o.user_principal_name.clone())
        .unwrap_or_else(|| o.id.clone())
}
