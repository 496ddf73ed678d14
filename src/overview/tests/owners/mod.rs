//! Every app's owners: the request builders, the readers, the chain (`$expand` pages, then
//! `$batch`es of full lists for apps that came with 20), the reducer, and the exports.

use std::collections::HashMap;

use serde_json::{json, Value};

use super::load::{serve, BASE};
use super::{app, now, secret};
use crate::graph::owners::{
    overview_owners, owner_name, owners_batch, owners_url, parse_app_owners_page,
    parse_owners_batch, relative_url, BATCH_MAX,
};
use crate::graph::Owner;
use crate::net::{HttpRequest, HttpResponse, Method};
use crate::overview::export::{to_csv_with, to_json_with, CSV_COLUMNS};
use crate::overview::load::{OwnerNames, OwnersLoader, OwnersNext, OwnersStatus};
use crate::overview::model::build_rows;
use crate::overview::state::{Call, Effect, Msg, Overview, Phase, MARK_OWNERS};
use crate::runtime::{Answer, Failure, Outgoing};

fn oid(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012x}")
}

fn user(i: usize) -> Value {
    json!({"@odata.type": "#microsoft.graph.user", "id": format!("u{i}"),
           "displayName": format!("Owner {i:02}"), "userPrincipalName": format!("owner{i:02}@contoso.example")})
}

/// A stand-in Graph for the owners chain: `owners[i]` owners for app `i`, pages of 100 apps with
/// at most 20 owners each (no nextLink for the rest), full lists in pages of `full_page`.
struct Tenant {
    owners: Vec<usize>,
    full_page: usize,
    /// Statuses to answer batch requests with first (per app index), e.g. 429.
    refuse: HashMap<usize, Vec<u16>>,
    /// The `Retry-After` sent with a refusal (none when `None`).
    retry_after: Option<&'static str>,
    requests: Vec<HttpRequest>,
    /// Waits the chain asked for before a request, in milliseconds.
    waits: Vec<u64>,
}

impl Tenant {
    fn answer(&mut self, req: &HttpRequest) -> HttpResponse {
        self.requests.push(req.clone());
        if req.method == Method::Post {
            return self.batch(req);
        }
        let skip: usize = req
            .url
            .split("$skiptoken=")
            .nth(1)
            .map_or(0, |s| s.parse().unwrap());
        let end = (skip + 100).min(self.owners.len());
        let value: Vec<Value> = (skip..end)
            .map(|i| {
                let owners: Vec<Value> = (0..self.owners[i].min(20)).map(user).collect();
                json!({"id": oid(i), "owners": owners})
            })
            .collect();
        let mut body = json!({ "value": value });
        if end < self.owners.len() {
            body["@odata.nextLink"] = json!(format!(
                "{BASE}/v1.0/applications?$select=id&$expand=owners&$top=100&$skiptoken={end}"
            ));
        }
        HttpResponse::new(200, body.to_string())
    }

    fn batch(&mut self, req: &HttpRequest) -> HttpResponse {
        assert!(req.url.ends_with("/v1.0/$batch"), "{}", req.url);
        let body: Value = serde_json::from_str(req.body.as_deref().unwrap()).unwrap();
        let requests = body["requests"].as_array().unwrap();
        assert!(requests.len() <= BATCH_MAX);
        let mut responses = Vec::new();
        // Graph may answer in any order: answer backwards.
        for r in requests.iter().rev() {
            assert_eq!(r["method"], "GET");
            let url = r["url"].as_str().unwrap();
            assert!(url.starts_with("/applications/"), "relative: {url}");
            let app: usize = (0..self.owners.len())
                .find(|&i| url.starts_with(&format!("/applications/{}/owners?", oid(i))))
                .unwrap();
            if let Some(status) = self
                .refuse
                .get_mut(&app)
                .and_then(|s| (!s.is_empty()).then(|| s.remove(0)))
            {
                let mut refused = json!({"id": r["id"], "status": status,
                    "body": {"error": {"code": "TooManyRequests", "message": "x"}}});
                if let Some(after) = self.retry_after {
                    refused["headers"] =
                        json!({"Retry-After": after, "Content-Type": "application/json"});
                }
                responses.push(refused);
                continue;
            }
            let skip: usize = url
                .split("$skiptoken=")
                .nth(1)
                .map_or(0, |s| s.parse().unwrap());
            let end = (skip + self.full_page).min(self.owners[app]);
            let mut page = json!({"value": (skip..end).map(user).collect::<Vec<_>>()});
            if end < self.owners[app] {
                page["@odata.nextLink"] = json!(format!(
                    "{BASE}/v1.0/applications/{}/owners?$select=id&$top=999&$skiptoken={end}",
                    oid(app)
                ));
            }
            responses.push(json!({"id": r["id"], "status": 200, "body": page}));
        }
        HttpResponse::new(200, json!({ "responses": responses }).to_string())
    }

    /// Runs the whole chain; the names, or the failure.
    fn run(&mut self) -> Result<OwnerNames, String> {
        let (mut loader, mut req) = OwnersLoader::start(BASE);
        loop {
            let res = self.answer(&req);
            match loader.feed(&req, &res, now().to_utc()) {
                OwnersNext::Send(next) => req = next,
                OwnersNext::Wait(ms, next) => {
                    self.waits.push(ms);
                    req = next;
                }
                OwnersNext::Done(names) => return Ok(names),
                OwnersNext::Failed(details) => return Err(details),
            }
        }
    }
}

fn tenant(owners: Vec<usize>) -> Tenant {
    Tenant {
        owners,
        full_page: 999,
        refuse: HashMap::new(),
        retry_after: None,
        requests: Vec::new(),
        waits: Vec::new(),
    }
}

#[test]
fn requests_are_built_as_graph_documents_them() {
    assert_eq!(
        overview_owners(BASE).url,
        format!("{BASE}/v1.0/applications?$select=id&$expand=owners%28%24select%3Did%2CdisplayName%2CuserPrincipalName%29&$top=100")
    );
    assert_eq!(
        owners_url(&oid(1)),
        format!(
            "/applications/{}/owners?$select=id%2CdisplayName%2CuserPrincipalName&$top=999",
            oid(1)
        )
    );
    let batch = owners_batch(BASE, &[("0".into(), "/applications/a/owners".into())]);
    assert_eq!(
        (batch.method, batch.url.as_str()),
        (Method::Post, format!("{BASE}/v1.0/$batch").as_str())
    );
    let body: Value = serde_json::from_str(batch.body.as_deref().unwrap()).unwrap();
    assert_eq!(
        body,
        json!({"requests": [{"id": "0", "method": "GET", "url": "/applications/a/owners"}]})
    );
    assert!(batch
        .headers
        .iter()
        .any(|(k, v)| k == "Content-Type" && v == "application/json"));
    assert_eq!(
        relative_url(
            BASE,
            &format!("{BASE}/v1.0/applications/x/owners?$skiptoken=2")
        )
        .as_deref(),
        Some("/applications/x/owners?$skiptoken=2")
    );
    assert_eq!(relative_url(BASE, "https://elsewhere.example/v1.0/x"), None);
}

#[test]
fn readers_take_expanded_owners_and_batch_answers() {
    let page = parse_app_owners_page(&HttpResponse::new(
        200,
        json!({"value": [
            {"id": "A", "owners": [user(1), {"@odata.type": "#microsoft.graph.servicePrincipal",
                                             "id": "sp", "displayName": "Payroll Worker"}]},
            {"id": "B", "owners": []},
            {"id": "C"}
        ], "@odata.nextLink": "next"})
        .to_string(),
    ))
    .unwrap();
    assert_eq!(page.next_link.as_deref(), Some("next"));
    let names: Vec<Vec<String>> = page
        .value
        .iter()
        .map(|a| a.owners.iter().map(owner_name).collect())
        .collect();
    assert_eq!(names, [vec!["Owner 01", "Payroll Worker"], vec![], vec![]]);
    // A user without a display name is named by the UPN.
    let upn_only = Owner {
        id: "x".into(),
        odata_type: None,
        display_name: None,
        user_principal_name: Some("x@contoso.example".into()),
        mail: None,
    };
    assert_eq!(owner_name(&upn_only), "x@contoso.example");
    let wrong = parse_app_owners_page(&HttpResponse::new(
        200,
        r#"{"value":[{"id":"A","owners":{}}]}"#,
    ));
    assert!(wrong.unwrap_err().details().contains("value[0].owners"));

    let answers = parse_owners_batch(&HttpResponse::new(
        200,
        json!({"responses": [
            {"id": "1", "status": 429, "headers": {"Retry-After": "3"}, "body": {"error": {"code": "x"}}},
            {"id": "0", "status": 200, "body": {"value": [user(2)], "@odata.nextLink": "n"}}
        ]})
        .to_string(),
    ))
    .unwrap();
    assert_eq!(
        (
            answers[0].id.as_str(),
            answers[0].status,
            answers[0].page.is_none()
        ),
        ("1", 429, true)
    );
    assert_eq!(answers[0].retry_after.as_deref(), Some("3"));
    assert_eq!(answers[1].retry_after, None);
    let page = answers[1].page.as_ref().unwrap();
    assert_eq!(
        (
            page.value[0].display_name.as_deref(),
            page.next_link.as_deref()
        ),
        (Some("Owner 02"), Some("n"))
    );
    assert!(parse_owners_batch(&HttpResponse::new(
        400,
        r#"{"error":{"code":"BadRequest","message":"m"}}"#
    ))
    .is_err());
}

#[test]
fn pages_of_100_then_full_lists_in_batches_of_20_for_apps_that_came_with_20() {
    // 250 apps: most with 0–3 owners, 45 with 20 or more (one page of expand can't tell).
    let owners: Vec<usize> = (0..250)
        .map(|i| {
            if i % 5 == 0 && i < 225 {
                20 + i % 7
            } else {
                i % 4
            }
        })
        .collect();
    let mut t = tenant(owners.clone());
    let names = t.run().unwrap();
    let pages = t
        .requests
        .iter()
        .filter(|r| r.method == Method::Get)
        .count();
    let batches = t
        .requests
        .iter()
        .filter(|r| r.method == Method::Post)
        .count();
    assert_eq!(
        (pages, batches),
        (3, 3),
        "250 apps: 3 pages; 45 full lists: 20 + 20 + 5"
    );
    assert_eq!(names.apps(), 250);
    for (i, n) in owners.iter().enumerate() {
        let got = names.of(&oid(i).to_uppercase()).unwrap();
        assert_eq!(got.len(), *n, "app {i}");
        assert!(!names.is_incomplete(&oid(i)));
    }
    assert_eq!(
        names.of(&oid(5)).unwrap()[20..],
        ["Owner 20", "Owner 21", "Owner 22", "Owner 23", "Owner 24"]
    );
    assert_eq!(names.of("unknown"), None);
}

#[test]
fn a_full_list_follows_its_own_next_links_in_later_batches() {
    let mut t = tenant(vec![45, 2]);
    t.full_page = 20;
    let names = t.run().unwrap();
    assert_eq!(names.of(&oid(0)).unwrap().len(), 45);
    assert_eq!(names.of(&oid(0)).unwrap()[44], "Owner 44");
    let batches: Vec<&HttpRequest> = t
        .requests
        .iter()
        .filter(|r| r.method == Method::Post)
        .collect();
    assert_eq!(batches.len(), 3, "first page, then two nextLinks");
    let last: Value = serde_json::from_str(batches[2].body.as_deref().unwrap()).unwrap();
    assert!(last["requests"][0]["url"]
        .as_str()
        .unwrap()
        .ends_with("$skiptoken=40"));
}

#[test]
fn a_throttled_full_list_is_retried_once_then_kept_at_20_and_marked() {
    let mut t = tenant(vec![24, 30, 1]);
    t.refuse.insert(0, vec![429]);
    t.refuse.insert(1, vec![503, 503]);
    let names = t.run().unwrap();
    assert_eq!(names.of(&oid(0)).unwrap().len(), 24, "retried once: in");
    assert!(!names.is_incomplete(&oid(0)));
    assert_eq!(
        names.of(&oid(1)).unwrap().len(),
        20,
        "failed twice: the first 20"
    );
    assert!(names.is_incomplete(&oid(1)));
    assert_eq!(
        t.requests
            .iter()
            .filter(|r| r.method == Method::Post)
            .count(),
        2
    );
    assert_eq!(
        t.waits,
        [1_000],
        "no Retry-After: a second's backoff before the retry"
    );

    // Retry-After is read from the batch's JSON (whatever CORS exposes), fractions rounded up,
    // capped at 10 s.
    for (after, wait) in [("3", 3_000), ("2.128", 3_000), ("120", 10_000)] {
        let mut t = tenant(vec![24]);
        t.refuse.insert(0, vec![429]);
        t.retry_after = Some(after);
        assert_eq!(t.run().unwrap().of(&oid(0)).unwrap().len(), 24);
        assert_eq!(t.waits, [wait], "Retry-After: {after}");
    }

    // A batch refused as a whole: every app in it keeps its 20, marked.
    let (mut loader, req) = OwnersLoader::start(BASE);
    let mut t = tenant(vec![20]);
    let res = t.answer(&req);
    let OwnersNext::Send(batch) = loader.feed(&req, &res, now().to_utc()) else {
        panic!("a batch")
    };
    let refused = HttpResponse::new(400, r#"{"error":{"code":"BadRequest","message":"m"}}"#);
    let OwnersNext::Done(names) = loader.feed(&batch, &refused, now().to_utc()) else {
        panic!("done")
    };
    assert!(names.is_incomplete(&oid(0)));
    assert_eq!(names.of(&oid(0)).unwrap().len(), 20);
    // A failed page of the list ends the chain with its details.
    let (mut loader, req) = OwnersLoader::start(BASE);
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"No."}}"#,
    );
    match loader.feed(&req, &denied, now().to_utc()) {
        OwnersNext::Failed(d) => assert!(d.contains("Authorization_RequestDenied"), "{d}"),
        other => panic!("{other:?}"),
    }
}

mod state;
