//! The owners in the overview's reducer (asked for once the table is drawn) and in the exports.

use super::*;

/// Drives the reducer: apps first, then the owners once the page asks.
fn overview_ready(apps: usize) -> (Overview, Vec<Outgoing<Call>>) {
    let mut o = Overview::new(BASE);
    let mut sent: Vec<Outgoing<Call>> = Vec::new();
    let mut marks = Vec::new();
    let mut run = |o: &mut Overview, msg: Msg, sent: &mut Vec<Outgoing<Call>>| {
        for e in o.update(msg, now()) {
            match e {
                Effect::Send(out) => sent.push(out),
                Effect::Mark(m) => marks.push(m),
                Effect::Wake { .. } => panic!("no wait here"),
            }
        }
    };
    run(&mut o, Msg::Load, &mut sent);
    while let Some(out) = sent.pop() {
        let res = serve(&out.request, apps);
        run(
            &mut o,
            Msg::Response(Answer {
                call: out.call,
                seq: out.seq,
                outcome: Ok(res),
            }),
            &mut sent,
        );
    }
    (o, sent)
}

fn ready(o: &Overview) -> std::rc::Rc<crate::overview::Loaded> {
    match &o.phase {
        Phase::Ready(l) => l.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_reducer_loads_owners_once_asked_and_keeps_the_rows() {
    let (mut o, sent) = overview_ready(3);
    assert!(sent.is_empty(), "nothing before the page asks");
    assert_eq!(ready(&o).owners, OwnersStatus::NotLoaded);
    let version = o.version;
    let effects = o.update(Msg::NeedOwners, now());
    let [Effect::Send(first)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(first.call, Call::Owners);
    assert_eq!(ready(&o).owners, OwnersStatus::Loading);
    assert!(o.update(Msg::NeedOwners, now()).is_empty(), "asked once");
    let mut t = tenant(vec![1, 0, 2]);
    let res = t.answer(&first.request);
    let effects = o.update(
        Msg::Response(Answer {
            call: Call::Owners,
            seq: first.seq,
            outcome: Ok(res),
        }),
        now(),
    );
    assert!(
        matches!(effects[..], [Effect::Mark(MARK_OWNERS)]),
        "{effects:?}"
    );
    let loaded = ready(&o);
    let names = loaded.owners.names().unwrap();
    assert_eq!(names.of(&oid(2)).unwrap(), ["Owner 00", "Owner 01"]);
    assert_eq!(o.version, version, "the rows did not change");
    assert_eq!(loaded.rows.len(), 3);

    // The chain failing keeps every row and says so.
    let (mut o, _) = overview_ready(2);
    let effects = o.update(Msg::NeedOwners, now());
    let [Effect::Send(first)] = &effects[..] else {
        panic!()
    };
    o.update(
        Msg::Response(Answer {
            call: Call::Owners,
            seq: first.seq,
            outcome: Err(Failure::Network),
        }),
        now(),
    );
    match &ready(&o).owners {
        OwnersStatus::Unavailable { details } => {
            assert_eq!(details, "fetch failed (network or CORS)")
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(ready(&o).rows.len(), 2);

    // A throttled batch: the chain waits (Effect::Wake), then sends it when its token is due;
    // a stale token sends nothing.
    let (mut o, _) = overview_ready(2);
    let effects = o.update(Msg::NeedOwners, now());
    let [Effect::Send(first)] = &effects[..] else {
        panic!()
    };
    let mut t = tenant(vec![25, 0]);
    t.refuse.insert(0, vec![429]);
    t.retry_after = Some("2");
    let res = t.answer(&first.request);
    let effects = o.update(
        Msg::Response(Answer {
            call: Call::Owners,
            seq: first.seq,
            outcome: Ok(res),
        }),
        now(),
    );
    let [Effect::Send(batch)] = &effects[..] else {
        panic!("{effects:?}")
    };
    let res = t.answer(&batch.request);
    let effects = o.update(
        Msg::Response(Answer {
            call: Call::Owners,
            seq: batch.seq,
            outcome: Ok(res),
        }),
        now(),
    );
    let [Effect::Wake { token, ms: 2_000 }] = effects[..] else {
        panic!("{effects:?}")
    };
    assert!(
        o.update(Msg::OwnersDue(token + 1), now()).is_empty(),
        "not this wait's"
    );
    let effects = o.update(Msg::OwnersDue(token), now());
    let [Effect::Send(retry)] = &effects[..] else {
        panic!("{effects:?}")
    };
    assert_eq!(retry.request.method, Method::Post);
    assert!(
        o.update(Msg::OwnersDue(token), now()).is_empty(),
        "sent once"
    );
    let res = t.answer(&retry.request);
    o.update(
        Msg::Response(Answer {
            call: Call::Owners,
            seq: retry.seq,
            outcome: Ok(res),
        }),
        now(),
    );
    assert_eq!(
        ready(&o).owners.names().unwrap().of(&oid(0)).unwrap().len(),
        25
    );

    // A reload makes the owners chain's answers stale.
    let (mut o, _) = overview_ready(2);
    let effects = o.update(Msg::NeedOwners, now());
    let [Effect::Send(old)] = &effects[..] else {
        panic!()
    };
    o.update(Msg::Load, now());
    let res = tenant(vec![1, 1]).answer(&old.request);
    assert!(o
        .update(
            Msg::Response(Answer {
                call: Call::Owners,
                seq: old.seq,
                outcome: Ok(res)
            }),
            now()
        )
        .is_empty());
}

#[test]
fn exports_carry_the_owners_once_known() {
    let apps = vec![
        app("Payroll API", 1, vec![secret("k1", "d", Some(5))]),
        app("Lonely", 2, vec![secret("k2", "d", Some(9))]),
        app("Not listed", 3, vec![secret("k3", "d", Some(12))]),
    ];
    let rows = build_rows(&apps, &now());
    // Payroll API has two owners (one named like a formula), Lonely none; "Not listed" was not
    // in the owners list.
    let (mut loader, req) = OwnersLoader::start(BASE);
    let page = HttpResponse::new(
        200,
        json!({"value": [
        {"id": oid(1), "owners": [{"id": "h", "displayName": "=HYPERLINK(\"x\")"}, user(0)]},
        {"id": oid(2), "owners": []}]})
        .to_string(),
    );
    let OwnersNext::Done(names) = loader.feed(&req, &page, now().to_utc()) else {
        panic!("one page")
    };
    assert_eq!(CSV_COLUMNS.last(), Some(&"owners"));
    let csv = to_csv_with(&rows, Some(&names));
    let lines: Vec<&str> = csv.split("\r\n").collect();
    let by_app = |name: &str| {
        lines
            .iter()
            .find(|l| l.starts_with(name))
            .unwrap()
            .to_string()
    };
    assert!(
        by_app("Payroll API").ends_with(",\"'=HYPERLINK(\"\"x\"\"); Owner 00\""),
        "joined by '; ', guarded, quoted: {}",
        by_app("Payroll API")
    );
    assert!(by_app("Lonely").ends_with(','), "no owners: empty cell");
    assert!(by_app("Not listed").ends_with(','), "unknown: empty cell");
    let json: Value = serde_json::from_str(&to_json_with(&rows, Some(&names))).unwrap();
    let of = |name: &str| {
        json.as_array()
            .unwrap()
            .iter()
            .find(|r| r["appName"] == name)
            .unwrap()["owners"]
            .clone()
    };
    assert_eq!(of("Payroll API"), json!(["=HYPERLINK(\"x\")", "Owner 00"]));
    assert_eq!(of("Lonely"), json!([]));
    assert_eq!(of("Not listed"), Value::Null);
    let unknown: Value = serde_json::from_str(&to_json_with(&rows, None)).unwrap();
    assert!(unknown[0]["owners"].is_null());
}
