//! The request chains: exact URLs, paging, progress, and failures.

use serde_json::json;

use super::now;
use crate::net::{HttpRequest, HttpResponse, Method, Resource};
use crate::overview::load::{
    all_apps, load_error_message, owned_apps, Loaded, Loader, Next, Owned, OwnedLoader, OwnedNext,
    OWNED_UNAVAILABLE,
};

pub(super) const BASE: &str = "http://127.0.0.1:8400/graph";

/// A stand-in Graph: `total` apps served in pages of `$top`, with a `$skiptoken` next link.
pub(super) fn serve(req: &HttpRequest, total: usize) -> HttpResponse {
    let (path, query) = req.url.split_once('?').unwrap();
    assert!(path.ends_with("/v1.0/applications"), "{path}");
    let get = |k: &str| {
        query
            .split('&')
            .find_map(|p| p.strip_prefix(&format!("{k}=")))
            .map(str::to_string)
    };
    let top: usize = get("$top").unwrap().parse().unwrap();
    let skip: usize = get("$skiptoken").map_or(0, |s| s.parse().unwrap());
    let end = (skip + top).min(total);
    let value: Vec<_> = (skip..end)
        .map(|i| {
            json!({
                "id": format!("00000000-0000-4000-8000-{i:012x}"),
                "appId": format!("11111111-1111-4111-8111-{i:012}"),
                "displayName": format!("Filler App {i:04}"),
                "passwordCredentials": [{
                    "keyId": format!("k{i}"), "displayName": null, "hint": "abc",
                    "startDateTime": "2026-01-01T00:00:00Z",
                    "endDateTime": "2027-01-01T00:00:00Z"
                }],
                "keyCredentials": []
            })
        })
        .collect();
    let mut body = json!({ "value": value });
    if end < total {
        body["@odata.nextLink"] = json!(format!(
            "{BASE}/v1.0/applications?$select=id&$top={top}&$skiptoken={end}"
        ));
    }
    HttpResponse::new(200, body.to_string())
}

pub(super) fn owned_page(ids: &[&str], next: Option<&str>) -> HttpResponse {
    let value: Vec<_> = ids
        .iter()
        .map(|id| json!({ "@odata.type": "#microsoft.graph.application", "id": id }))
        .collect();
    let mut body = json!({ "value": value });
    if let Some(n) = next {
        body["@odata.nextLink"] = json!(n);
    }
    HttpResponse::new(200, body.to_string())
}

#[test]
fn first_requests_select_only_what_is_shown_with_pages_of_999() {
    let a = all_apps(BASE);
    assert_eq!(a.method, Method::Get);
    assert_eq!(a.resource, Resource::Graph);
    assert_eq!(
        a.url,
        "http://127.0.0.1:8400/graph/v1.0/applications?$select=id%2CappId%2CdisplayName%2CpasswordCredentials%2CkeyCredentials&$top=999"
    );
    assert!(a.headers.is_empty());
    let o = owned_apps("https://graph.microsoft.com/");
    assert_eq!(
        o.url,
        "https://graph.microsoft.com/v1.0/me/ownedObjects/microsoft.graph.application?$select=id&$top=999"
    );
}

#[test]
fn five_thousand_apps_take_six_requests_and_nothing_else() {
    let (mut loader, mut req) = Loader::start(BASE);
    assert_eq!(loader.progress(), "Loading app registrations…");
    let mut sent = 1;
    let mut progress = vec![];
    loop {
        let res = serve(&req, 5000);
        match loader.feed(&req, &res) {
            Next::Send(next) => {
                assert!(next.url.contains("$skiptoken="), "{}", next.url);
                req = next;
                sent += 1;
            }
            Next::Done => break,
            Next::Failed(e) => panic!("{}", e.user_message()),
        }
        progress.push(loader.progress());
    }
    assert_eq!(sent, 6);
    assert_eq!(loader.responses(), 6);
    assert_eq!(progress[2], "Loaded 2,997 apps…");
    assert_eq!(loader.loaded_apps(), 5000);
    let loaded = loader.finish(&now());
    assert_eq!((loaded.apps, loaded.rows.len()), (5000, 5000));
    // Nobody asked who owns what: no request for it, and no row claims to know.
    assert_eq!(loaded.owned, Owned::NotLoaded);
    assert!(!loaded.owned_known());
    assert!(loaded.rows.iter().all(|r| r.owned_by_me.is_none()));
}

#[test]
fn owned_apps_are_looked_up_on_demand_and_mark_every_row() {
    let (mut loader, req) = Loader::start(BASE);
    assert!(matches!(loader.feed(&req, &serve(&req, 20)), Next::Done));
    let loaded = loader.finish(&now());
    assert_eq!(loaded.owned_loading().owned, Owned::Loading);
    let (mut owned, owned_req) = OwnedLoader::start(BASE);
    assert_eq!(owned_req.url, owned_apps(BASE).url);
    let mine = "00000000-0000-4000-8000-000000000007";
    let upper = "00000000-0000-4000-8000-00000000000A".to_string();
    let set = match owned.feed(&owned_req, &owned_page(&[mine, &upper], None)) {
        OwnedNext::Done(set) => set,
        other => panic!("{other:?}"),
    };
    let marked = loaded.with_owned(&set);
    assert!(marked.owned_known());
    assert_eq!(marked.rows.len(), loaded.rows.len());
    let owned: Vec<&str> = marked
        .rows
        .iter()
        .filter(|r| r.owned_by_me == Some(true))
        .map(|r| r.app_name.as_str())
        .collect();
    assert_eq!(owned, ["Filler App 0007", "Filler App 0010"]);
    assert!(marked.rows.iter().all(|r| r.owned_by_me.is_some()));
    // The order is the urgency order, untouched.
    let names = |l: &Loaded| {
        l.rows
            .iter()
            .map(|r| r.app_name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&marked), names(&loaded));
}

#[test]
fn owned_next_links_are_followed_verbatim() {
    let (mut owned, owned_req) = OwnedLoader::start(BASE);
    let link = "http://127.0.0.1:8400/graph/v1.0/me/ownedObjects/microsoft.graph.application?$select=id&$top=999&$skiptoken=X1";
    let next = match owned.feed(&owned_req, &owned_page(&["A"], Some(link))) {
        OwnedNext::Send(next) => next,
        other => panic!("{other:?}"),
    };
    assert_eq!(next.url, link);
    assert_eq!(next.resource, Resource::Graph);
    match owned.feed(&next, &owned_page(&["B"], None)) {
        OwnedNext::Done(set) => assert_eq!(set, ["a".to_string(), "b".to_string()].into()),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_owned_lookup_leaves_the_overview_without_owned_by_me() {
    let (mut loader, apps_req) = Loader::start(BASE);
    assert!(matches!(
        loader.feed(&apps_req, &serve(&apps_req, 3)),
        Next::Done
    ));
    let loaded = loader.finish(&now());
    let (mut owned, owned_req) = OwnedLoader::start(BASE);
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"request-id":"r-1"}}}"#,
    );
    let details = match owned.feed(&owned_req, &denied) {
        OwnedNext::Failed(d) => d,
        other => panic!("{other:?}"),
    };
    let after = loaded.without_owned(&details);
    assert_eq!(after.rows.len(), 3);
    assert!(!after.owned_known());
    match &after.owned {
        Owned::Unavailable { details } => assert!(
            OWNED_UNAVAILABLE.contains("unavailable")
                && details.contains("Authorization_RequestDenied")
        ),
        other => panic!("{other:?}"),
    }
    assert!(after.rows.iter().all(|r| r.owned_by_me.is_none()));
}

#[test]
fn a_failed_apps_chain_ends_the_load_with_a_listing_message() {
    let (mut loader, apps_req) = Loader::start(BASE);
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#,
    );
    let e = match loader.feed(&apps_req, &denied) {
        Next::Failed(e) => e,
        other => panic!("{other:?}"),
    };
    assert!(load_error_message(&e).starts_with("You can't list the app registrations"));
    let busy = HttpResponse::new(503, "").with_header("Retry-After", "3");
    let (mut l2, r2) = Loader::start(BASE);
    match l2.feed(&r2, &busy) {
        Next::Failed(e) => assert!(load_error_message(&e).contains("busy")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn progress_counts_one_app_in_the_singular() {
    let (mut loader, req) = Loader::start(BASE);
    loader.feed(&req, &serve(&req, 1));
    assert_eq!(loader.progress(), "Loaded 1 app…");
}
