use super::*;
use crate::net::{HttpRequest, HttpResponse, Method, Resource};

fn get(url: &str) -> HttpRequest {
    HttpRequest::new(Method::Get, url, Resource::Graph)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Call {
    List,
    Item,
}

#[test]
fn only_the_latest_request_of_a_kind_is_accepted() {
    let mut r = Requests::new();
    let first = r.send(Call::List, get("https://graph/1"));
    let second = r.send(Call::List, get("https://graph/2"));
    let item = r.send(Call::Item, get("https://graph/3"));
    assert!(second.seq > first.seq && item.seq > second.seq);
    assert_eq!(second.request.url, "https://graph/2");
    assert!(!r.accept(Call::List, first.seq), "stale answer dropped");
    assert!(r.is_pending(Call::List));
    assert!(r.is_latest(Call::List, second.seq));
    assert!(r.accept(Call::List, second.seq));
    assert!(!r.is_pending(Call::List));
    assert!(!r.accept(Call::List, second.seq), "an answer counts once");
    // A number from another kind of call is not accepted.
    assert!(!r.accept(Call::List, item.seq));
    assert!(r.accept(Call::Item, item.seq));
    assert!(!r.any_pending());
}

#[test]
fn forgotten_requests_stay_stale_and_numbers_go_on() {
    let mut r = Requests::new();
    let a = r.send(Call::List, get("https://graph/a"));
    let b = r.send(Call::Item, get("https://graph/b"));
    r.forget(|c| *c == Call::List);
    assert!(!r.is_pending(Call::List) && r.is_pending(Call::Item));
    assert!(!r.accept(Call::List, a.seq));
    r.forget_all();
    assert!(!r.accept(Call::Item, b.seq));
    let c = r.send(Call::List, get("https://graph/c"));
    assert!(c.seq > b.seq, "a later request never reuses a number");
}

#[test]
fn tokens_count_up() {
    let mut t = Tokens::default();
    let (a, b) = (t.fresh(), t.fresh());
    assert!(b > a);
}

#[test]
fn failures_in_words() {
    assert_eq!(
        Failure::Network.user_message("Azure Resource Manager"),
        "Azure Resource Manager could not be reached. Check your connection, then try again."
    );
    assert_eq!(
        Failure::Auth("Sign in again.".into()).user_message("Microsoft Graph"),
        "Sign in again."
    );
    assert_eq!(
        Problem::from_failure(Failure::Network),
        Problem::new(
            "Microsoft Graph could not be reached. Check your connection, then try again."
        )
    );
}

#[test]
fn a_graph_answer_parsed_or_explained() {
    let ok = HttpResponse::new(200, r#"{"id":"1","displayName":"Ada"}"#);
    let parsed = Problem::graph(Ok(ok), crate::graph::parse_me).expect("parsed");
    assert_eq!(parsed.id, "1");
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"no"}}"#,
    );
    let p = Problem::graph(Ok(denied), crate::graph::parse_me).unwrap_err();
    assert!(
        p.details.is_some_and(|d| d.contains("403")),
        "details name the status"
    );
    let p = Problem::graph(
        Err(Failure::Auth("Sign in again.".into())),
        crate::graph::parse_me,
    )
    .unwrap_err();
    assert_eq!(p, Problem::new("Sign in again."));
}

/// The trait's default start does nothing; a feature's own update is plain data in and out.
#[test]
fn a_feature_is_a_plain_reducer() {
    struct Counter(u32);
    impl Feature for Counter {
        type Msg = u32;
        type Effect = u32;
        fn update(&mut self, msg: u32, _now: Now) -> Vec<u32> {
            self.0 += msg;
            vec![self.0]
        }
    }
    let now = chrono::DateTime::parse_from_rfc3339("2025-03-01T10:00:00+01:00").unwrap();
    let mut c = Counter(1);
    assert!(c.start(now).is_empty());
    assert_eq!(c.update(2, now), vec![3]);
}
