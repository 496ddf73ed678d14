//! Choose app: debounced search by name, client ID, "My apps", stale answers.

use serde_json::json;

use super::*;
use crate::net::encode;
use crate::wizard::{Step, Tab, DEBOUNCE_MS};

#[test]
fn typing_is_debounced_and_only_the_last_keystroke_searches() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    assert_eq!(
        h.count(Call::Search),
        1,
        "the first page of all apps on start"
    );
    let first = h.send(Msg::Choose(ChooseMsg::Input("Pay".into())));
    let second = h.send(Msg::Choose(ChooseMsg::Input("Payr".into())));
    let token = |e: &[Effect]| match e {
        [Effect::Debounce { token, millis }] => {
            assert_eq!(*millis, DEBOUNCE_MS);
            *token
        }
        other => panic!("expected one Debounce, got {other:?}"),
    };
    let (t1, t2) = (token(&first), token(&second));
    assert_ne!(t1, t2);
    h.send(Msg::Choose(ChooseMsg::Due(t1)));
    assert_eq!(
        h.count(Call::Search),
        1,
        "a superseded keystroke sends nothing"
    );
    h.send(Msg::Choose(ChooseMsg::Due(t2)));
    assert_eq!(h.count(Call::Search), 2);
    let url = &h.request(Call::Search).url;
    assert!(
        url.contains(&format!(
            "$filter={}",
            encode("startsWith(displayName,'Payr')")
        )),
        "{url}"
    );
    assert!(h.w.choose().visible().is_loading());
}

#[test]
fn search_as_you_type_never_selects_key_credentials() {
    // Listing with keyCredentials in $select is throttled per tenant (150 a minute,
    // ../shared/specs/graph-docs/application-list.md): the list, every search and "My apps"
    // select what the list shows; the certificates are read when an app is opened.
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    for typed in ["P", "Pa", "Pay", PAYROLL_APP_ID] {
        let e = h.send(Msg::Choose(ChooseMsg::Input(typed.into())));
        let Effect::Debounce { token, .. } = e[0] else {
            panic!("{e:?}")
        };
        h.send(Msg::Choose(ChooseMsg::Due(token)));
    }
    h.send(Msg::Choose(ChooseMsg::ShowTab(Tab::MyApps)));
    let listed: Vec<&str> = h
        .sent
        .iter()
        .filter(|(c, _, _)| matches!(c, Call::Search | Call::MyApps))
        .map(|(_, _, r)| r.url.as_str())
        .collect();
    assert_eq!(listed.len(), 6, "{listed:#?}");
    for url in listed {
        assert!(
            !url.to_ascii_lowercase().contains("keycredentials"),
            "{url}"
        );
        assert!(url.contains(&encode(crate::graph::LIST_SELECT)), "{url}");
    }
}

#[test]
fn a_pasted_client_id_filters_on_app_id() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    let upper = PAYROLL_APP_ID.to_ascii_uppercase();
    let e = h.send(Msg::Choose(ChooseMsg::Input(format!("  {upper} "))));
    let Effect::Debounce { token, .. } = e[0] else {
        panic!()
    };
    h.send(Msg::Choose(ChooseMsg::Due(token)));
    let url = &h.request(Call::Search).url;
    assert!(
        url.contains(&format!(
            "$filter={}",
            encode(&format!("appId eq '{PAYROLL_APP_ID}'"))
        )),
        "{url}"
    );
}

#[test]
fn a_stale_answer_does_not_overwrite_a_newer_one() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    let stale_seq = h
        .sent
        .iter()
        .rev()
        .find(|(c, _, _)| *c == Call::Search)
        .unwrap()
        .1;
    let e = h.send(Msg::Choose(ChooseMsg::Input("Payroll".into())));
    let Effect::Debounce { token, .. } = e[0] else {
        panic!()
    };
    h.send(Msg::Choose(ChooseMsg::Due(token)));
    h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
    h.send(Msg::Response {
        call: Call::Search,
        seq: stale_seq,
        outcome: Ok(HttpResponse::new(200, json!({ "value": [] }).to_string())),
    });
    assert_eq!(h.w.choose().visible().apps().len(), 1);
    assert_eq!(h.w.choose().visible().apps()[0].display_name, "Payroll API");
}

#[test]
fn my_apps_loads_once_and_pages_on_request() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.send(Msg::Choose(ChooseMsg::ShowTab(Tab::MyApps)));
    h.send(Msg::Choose(ChooseMsg::ShowTab(Tab::Search)));
    h.send(Msg::Choose(ChooseMsg::ShowTab(Tab::MyApps)));
    assert_eq!(h.count(Call::MyApps), 1);
    assert!(h.request(Call::MyApps).url.starts_with(&format!(
        "{GRAPH}/v1.0/me/ownedObjects/microsoft.graph.application?"
    )));
    let next = format!("{GRAPH}/v1.0/me/ownedObjects/microsoft.graph.application?$skiptoken=2");
    h.ok(
        Call::MyApps,
        200,
        json!({ "value": [payroll()], "@odata.nextLink": next }),
    );
    assert_eq!(h.w.choose().visible().apps().len(), 1);
    assert_eq!(h.w.choose().visible().next_link(), Some(next.as_str()));
    h.send(Msg::Choose(ChooseMsg::More));
    assert_eq!(h.request(Call::MyApps).url, next);
    let mut other = payroll();
    other["id"] = json!("33333333-3333-4333-8333-333333333333");
    h.ok(Call::MyApps, 200, json!({ "value": [other] }));
    assert_eq!(h.w.choose().visible().apps().len(), 2);
    assert!(h.w.choose().visible().next_link().is_none());
}

#[test]
fn errors_are_shown_in_words_and_picking_opens_the_review_step() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.ok(
        Call::Search,
        429,
        graph_error("TooManyRequests", "Too many requests"),
    );
    let p =
        h.w.choose()
            .visible()
            .problem()
            .cloned()
            .expect("a problem");
    assert_eq!(
        p.message,
        "Microsoft Graph is still busy. Try again in a minute; nothing was created."
    );
    assert!(p.details.unwrap().contains("request-id req-1"));
    h.send(Msg::Choose(ChooseMsg::Pick(PAYROLL.into())));
    assert!(
        matches!(h.w.step(), Step::Choose),
        "unknown ID: nothing happens"
    );
    // Retrying is typing again (the view's Retry button sends the same input).
    let e = h.send(Msg::Choose(ChooseMsg::Input(String::new())));
    let Effect::Debounce { token, .. } = e[0] else {
        panic!()
    };
    h.send(Msg::Choose(ChooseMsg::Due(token)));
    h.open_app(payroll(), owners(&[dan_owner()]));
    assert!(matches!(h.w.step(), Step::Review));
    assert!(h.w.choose().visible().problem().is_none());
    let ctx = h.w.review().unwrap();
    assert_eq!(ctx.app().display_name, "Payroll API");
    assert_eq!(ctx.active_secret_count(&h.now), 2);
    assert_eq!(
        h.request(Call::Owners).url,
        format!("{GRAPH}/v1.0/applications/{PAYROLL}/owners")
    );
}

#[test]
fn a_retry_wait_is_shown_until_the_answer_lands() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    let seq = h
        .sent
        .iter()
        .rev()
        .find(|(c, _, _)| *c == Call::Search)
        .unwrap()
        .1;
    h.send(Msg::Retrying {
        call: Call::Search,
        seq: seq + 100,
        secs: 9,
    });
    assert_eq!(h.w.retrying(), None, "not a request we wait for");
    h.send(Msg::Retrying {
        call: Call::Search,
        seq,
        secs: 3,
    });
    assert_eq!(h.w.retrying(), Some((Call::Search, 3)));
    assert_eq!(
        crate::graph::GraphError::retrying_message(3),
        "Microsoft Graph is busy; retrying in 3 s…"
    );
    h.ok(Call::Search, 200, json!({ "value": [] }));
    assert_eq!(h.w.retrying(), None);
}
