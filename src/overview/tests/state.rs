//! The page's reducer with canned answers: the whole apps chain with progress and marks, the
//! owned lookup on demand (once), failures in words, and a reload that makes old answers stale.

use super::load::{owned_page, serve, BASE};
use super::now;
use crate::net::HttpResponse;
use crate::overview::load::Owned;
use crate::overview::state::{Call, Effect, Msg, Overview, Phase, MARK_LOADED, MARK_START};
use crate::runtime::{Answer, Failure, Outcome, Outgoing};

struct H {
    o: Overview,
    sent: Vec<Outgoing<Call>>,
    marks: Vec<&'static str>,
}

impl H {
    fn new() -> Self {
        let mut h = H {
            o: Overview::new(BASE),
            sent: Vec::new(),
            marks: Vec::new(),
        };
        h.send(Msg::Load);
        h
    }

    fn send(&mut self, msg: Msg) {
        for e in self.o.update(msg, now()) {
            match e {
                Effect::Send(o) => self.sent.push(o),
                Effect::Mark(m) => self.marks.push(m),
                Effect::Wake { .. } => panic!("no wait in these tests"),
            }
        }
    }

    /// Takes the oldest request not yet answered.
    fn next(&mut self) -> Outgoing<Call> {
        assert!(!self.sent.is_empty(), "nothing was sent");
        self.sent.remove(0)
    }

    fn answer(&mut self, out: &Outgoing<Call>, outcome: Outcome) {
        self.send(Msg::Response(Answer {
            call: out.call,
            seq: out.seq,
            outcome,
        }));
    }

    /// Serves the apps chain (`total` apps) to its end.
    fn serve_apps(&mut self, total: usize) -> usize {
        let mut requests = 0;
        while let Some(i) = self.sent.iter().position(|o| o.call == Call::Apps) {
            let out = self.sent.remove(i);
            requests += 1;
            self.answer(&out, Ok(serve(&out.request, total)));
        }
        requests
    }

    fn ready(&self) -> std::rc::Rc<crate::overview::Loaded> {
        match &self.o.phase {
            Phase::Ready(l) => l.clone(),
            other => panic!("not ready: {other:?}"),
        }
    }
}

fn id(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012x}")
}

#[test]
fn loading_follows_every_page_with_progress_then_marks_it_loaded() {
    let mut h = H::new();
    assert_eq!(h.marks, vec![MARK_START]);
    assert_eq!(
        h.o.phase,
        Phase::Loading("Loading app registrations…".into())
    );
    let first = h.next();
    assert!(first.request.url.contains("/v1.0/applications?$select="));
    h.answer(&first, Ok(serve(&first.request, 2_000)));
    assert_eq!(h.o.phase, Phase::Loading("Loaded 999 apps…".into()));
    assert!(h.o.is_pending(Call::Apps));
    assert_eq!(h.serve_apps(2_000), 2, "three pages in all");
    let loaded = h.ready();
    assert_eq!((loaded.apps, loaded.rows.len()), (2_000, 2_000));
    assert_eq!(loaded.owned, Owned::NotLoaded);
    assert_eq!(h.marks, vec![MARK_START, MARK_LOADED]);
    assert!(
        h.sent.is_empty(),
        "the owned apps are not asked for until needed"
    );
}

#[test]
fn owned_apps_are_looked_up_once_when_first_needed_and_mark_the_rows() {
    let mut h = H::new();
    h.serve_apps(3);
    let version = h.o.version;
    h.send(Msg::NeedOwned);
    assert_eq!(h.ready().owned, Owned::Loading);
    h.send(Msg::NeedOwned);
    assert_eq!(h.sent.len(), 1, "asked once");
    let first = h.next();
    assert_eq!(first.call, Call::Owned);
    let next_link = format!("{BASE}/v1.0/me/ownedObjects/microsoft.graph.application?$skiptoken=x");
    h.answer(&first, Ok(owned_page(&[&id(0)], Some(&next_link))));
    let second = h.next();
    assert_eq!(second.request.url, next_link, "the next link verbatim");
    h.answer(&second, Ok(owned_page(&[&id(2)], None)));
    let loaded = h.ready();
    assert!(loaded.owned_known());
    let owned: Vec<bool> = loaded
        .rows
        .iter()
        .map(|r| r.owned_by_me == Some(true))
        .collect();
    assert_eq!(owned.iter().filter(|o| **o).count(), 2);
    assert!(h.o.version > version, "the rows changed");
    h.send(Msg::NeedOwned);
    assert!(h.sent.is_empty(), "known now: not asked again");
}

#[test]
fn a_failed_owned_lookup_keeps_every_app_and_says_why() {
    let mut h = H::new();
    h.serve_apps(3);
    h.send(Msg::NeedOwned);
    let out = h.next();
    h.answer(&out, Err(Failure::Network));
    let loaded = h.ready();
    assert_eq!(loaded.rows.len(), 3);
    match &loaded.owned {
        Owned::Unavailable { details } => assert_eq!(details, "fetch failed (network or CORS)"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_failed_load_says_what_happened_and_try_again_starts_over() {
    let mut h = H::new();
    let out = h.next();
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#,
    );
    h.answer(&out, Ok(denied));
    match &h.o.phase {
        Phase::Failed(p) => {
            assert!(p
                .message
                .starts_with("You can't list the app registrations"));
            assert!(p
                .details
                .as_deref()
                .is_some_and(|d| d.contains("Authorization_RequestDenied")));
        }
        other => panic!("{other:?}"),
    }
    h.send(Msg::Load);
    assert_eq!(h.marks, vec![MARK_START, MARK_START]);
    let out = h.next();
    h.answer(
        &out,
        Err(Failure::Auth("Sign in again to continue.".into())),
    );
    match &h.o.phase {
        Phase::Failed(p) => assert_eq!(p.message, "Sign in again to continue."),
        other => panic!("{other:?}"),
    }
    h.send(Msg::Load);
    let out = h.next();
    h.answer(&out, Err(Failure::Network));
    match &h.o.phase {
        Phase::Failed(p) => assert!(p
            .message
            .starts_with("Microsoft Graph could not be reached")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn answers_of_an_earlier_load_are_ignored() {
    let mut h = H::new();
    let old = h.next();
    h.send(Msg::Load);
    let new = h.next();
    h.answer(&old, Ok(serve(&old.request, 5)));
    assert!(
        matches!(h.o.phase, Phase::Loading(_)),
        "the old answer finished nothing"
    );
    h.answer(&new, Ok(serve(&new.request, 2)));
    assert_eq!(h.ready().apps, 2);
    // An owned lookup started before a reload is dropped too.
    h.send(Msg::NeedOwned);
    let owned = h.next();
    h.send(Msg::Load);
    h.serve_apps(2);
    h.answer(&owned, Ok(owned_page(&[&id(0)], None)));
    assert_eq!(h.ready().owned, Owned::NotLoaded);
}
