use std::collections::BTreeMap;

use super::*;
use crate::net::Resource;

struct Failed(u16, Option<String>);

impl ServiceError for Failed {
    fn from_response(res: &HttpResponse) -> Self {
        Failed(res.status, None)
    }
    fn malformed(status: u16, detail: String) -> Self {
        Failed(status, Some(detail))
    }
}

#[test]
fn parse_json_reads_success_and_hands_errors_to_the_client() {
    let ok: Result<Vec<u8>, Failed> = parse_json(&HttpResponse::new(200, "[1,2]"));
    assert_eq!(ok.ok(), Some(vec![1, 2]));
    let Err(Failed(403, None)) = parse_json::<Vec<u8>, _>(&HttpResponse::new(403, "{}")) else {
        panic!("an error status is the client's own error");
    };
    let Err(Failed(200, Some(detail))) =
        parse_json::<Vec<u8>, _>(&HttpResponse::new(200, r#"["hunter2"]"#))
    else {
        panic!("a wrong shape is malformed");
    };
    assert_eq!(detail, "unexpected shape at line 1 column 10");
    assert!(!detail.contains("hunter2"));
    assert!(expect_success::<Failed>(&HttpResponse::new(204, "")).is_ok());
    assert!(matches!(
        expect_success::<Failed>(&HttpResponse::new(404, "")),
        Err(Failed(404, None))
    ));
}

#[test]
fn next_page_keeps_the_headers_and_drops_the_body() {
    let first = HttpRequest::new(Method::Post, "https://x/a", Resource::Graph)
        .header("ConsistencyLevel", "eventual")
        .json("{}".into());
    let next = next_page("https://x/a?$skiptoken=1", &first);
    assert_eq!(next.method, Method::Get);
    assert_eq!(next.url, "https://x/a?$skiptoken=1");
    assert_eq!(next.headers, first.headers);
    assert_eq!(next.body, None);
    assert_eq!(next.resource, Resource::Graph);
}

#[test]
fn null_and_missing_are_the_default() {
    #[derive(Deserialize)]
    struct S {
        #[serde(default, deserialize_with = "null_as_default")]
        a: Vec<String>,
        #[serde(default, deserialize_with = "null_as_default")]
        b: String,
    }
    let s: S = serde_json::from_str(r#"{"a":null}"#).unwrap();
    assert!(s.a.is_empty() && s.b.is_empty());
    let s: S = serde_json::from_str(r#"{"a":["x"],"b":"y"}"#).unwrap();
    assert_eq!((s.a, s.b), (vec!["x".to_string()], "y".to_string()));
    assert!(is_default(&&String::new()) && !is_default(&&"x".to_string()));
}

#[test]
fn fields_read_like_optional_serde_members() {
    let v =
        json_value(r#"{"s":"x","n":null,"o":{"s":"y"},"l":[{"s":"z"}],"num":1,"bad":[1],"x":{}}"#)
            .unwrap();
    let f = Fields::of(&v).unwrap();
    assert_eq!(f.text("s"), Ok(Some("x".into())));
    assert_eq!(f.text("n"), Ok(None));
    assert_eq!(f.text("missing"), Ok(None));
    assert_eq!(f.text("num"), Err(WrongShape));
    assert_eq!(
        f.object("o").unwrap().unwrap().text("s"),
        Ok(Some("y".into()))
    );
    assert!(f.object("n").unwrap().is_none());
    assert!(f.object("s").is_err());
    let l = f.objects("l").unwrap().unwrap();
    assert_eq!(l[0].text("s"), Ok(Some("z".into())));
    assert!(f.objects("n").unwrap().is_none());
    assert!(f.objects("bad").is_err() && f.objects("o").is_err());
    assert!(Fields::of(&Value::Null).is_err());
    assert_eq!(json_value("<html>").err(), Some(WrongShape));
}

#[derive(Debug, PartialEq)]
struct Item {
    name: String,
    on: Option<bool>,
    tags: Vec<String>,
}

fn item(m: Members<'_>) -> Result<Item, Mismatch> {
    Ok(Item {
        name: m.required_text("name")?,
        on: m.flag("on")?,
        tags: m.texts("tags")?.unwrap_or_default(),
    })
}

#[derive(Debug, PartialEq)]
struct Outer {
    items: Vec<Item>,
    inner: Option<Item>,
    when: Option<DateTime<Utc>>,
    n: Option<i64>,
    count: Option<u64>,
    labels: Option<BTreeMap<String, String>>,
}

fn outer(m: Members<'_>) -> Result<Outer, Mismatch> {
    Ok(Outer {
        items: m.page_value("value", item)?,
        inner: m.object("inner", item)?,
        when: m.date("when")?,
        n: m.integer("n")?,
        count: m.count("count")?,
        labels: m.text_map("labels")?,
    })
}

/// What `parse_with(…, outer)` says of `body`.
fn read(body: &str) -> Result<Outer, String> {
    parse_with(&HttpResponse::new(200, body), outer).map_err(|Failed(status, detail)| {
        assert_eq!(status, 200);
        detail.expect("a success status with a bad body is malformed")
    })
}

#[test]
fn members_read_present_missing_null_and_extra_members() {
    let full = read(
        r#"{"value":[{"name":"a","on":true,"tags":["x","y"],"extra":{"deep":[1]}}],
                "inner":{"name":"b","on":null,"tags":null},"when":"2025-01-31T09:00:00.1234567+01:00",
                "n":-5,"count":7,"labels":{"k":"v"},"unknown":[null,{}]}"#,
    )
    .unwrap();
    assert_eq!(
        full.items,
        [Item {
            name: "a".into(),
            on: Some(true),
            tags: vec!["x".into(), "y".into()]
        }]
    );
    let inner = full.inner.unwrap();
    assert_eq!(
        (inner.name.as_str(), inner.on, inner.tags.len()),
        ("b", None, 0)
    );
    assert_eq!(
        full.when,
        Some(
            Utc.with_ymd_and_hms(2025, 1, 31, 8, 0, 0).unwrap()
                + chrono::Duration::nanoseconds(123_456_700)
        )
    );
    assert_eq!((full.n, full.count), (Some(-5), Some(7)));
    assert_eq!(full.labels.unwrap()["k"], "v");

    // Missing and null optional members are "not stated"; a missing page value is empty.
    let empty = read(r#"{"inner":null,"when":null,"n":null,"count":null,"labels":null}"#).unwrap();
    assert_eq!(
        empty,
        Outer {
            items: vec![],
            inner: None,
            when: None,
            n: None,
            count: None,
            labels: None
        }
    );
    assert_eq!(read("{}").unwrap(), empty);
    // Not an object at all.
    assert_eq!(
        read("[]").unwrap_err(),
        "unexpected shape: expected an object"
    );
    assert_eq!(
        read("null").unwrap_err(),
        "unexpected shape: expected an object"
    );
}

#[test]
fn a_wrong_member_is_named_with_its_path() {
    let cases = [
        (r#"{"value":null}"#, "value: expected an array"),
        (r#"{"value":{}}"#, "value: expected an array"),
        (
            r#"{"value":[{"name":"a"},7]}"#,
            "value[1]: expected an object",
        ),
        (
            r#"{"value":[{"name":"a"},{}]}"#,
            "value[1].name: expected a string",
        ),
        (
            r#"{"value":[{"name":null}]}"#,
            "value[0].name: expected a string",
        ),
        (
            r#"{"value":[{"name":1}]}"#,
            "value[0].name: expected a string",
        ),
        (
            r#"{"value":[{"name":"a","on":"yes"}]}"#,
            "value[0].on: expected true or false",
        ),
        (
            r#"{"value":[{"name":"a","tags":["x",2]}]}"#,
            "value[0].tags[1]: expected a string",
        ),
        (
            r#"{"value":[{"name":"a","tags":"x"}]}"#,
            "value[0].tags: expected an array",
        ),
        (
            r#"{"inner":{"name":"b","tags":[null]}}"#,
            "inner.tags[0]: expected a string",
        ),
        (r#"{"inner":[]}"#, "inner: expected an object"),
        (
            r#"{"when":"soon"}"#,
            "when: expected an RFC 3339 date and time",
        ),
        (
            r#"{"when":1700000000}"#,
            "when: expected an RFC 3339 date and time",
        ),
        (r#"{"n":1.5}"#, "n: expected an integer"),
        (r#"{"n":"1"}"#, "n: expected an integer"),
        (r#"{"count":-1}"#, "count: expected a non-negative integer"),
        (
            r#"{"labels":{"k":1}}"#,
            "labels: expected an object of strings",
        ),
        (r#"{"labels":["k"]}"#, "labels: expected an object"),
    ];
    for (body, at) in cases {
        assert_eq!(
            read(body).unwrap_err(),
            format!("unexpected shape: {at}"),
            "{body}"
        );
    }
}

#[test]
fn readers_keep_serdes_position_for_text_that_is_not_json_and_quote_no_body() {
    assert_eq!(
        read("{\n  \"value\": [1,,]").unwrap_err(),
        "not valid JSON at line 2 column 15"
    );
    assert_eq!(
        read(r#"{"value":["#).unwrap_err(),
        "truncated JSON at line 1 column 10"
    );
    assert_eq!(
        read("<html>").unwrap_err(),
        "not valid JSON at line 1 column 1"
    );
    // A wrong value is never quoted, only where it was.
    let e = read(r#"{"value":[{"name":"a","on":"hunter2"}]}"#).unwrap_err();
    assert!(!e.contains("hunter2"), "{e}");
    // An error status is the client's own error, not a shape.
    assert!(matches!(
        parse_with::<_, Failed>(&HttpResponse::new(404, "{}"), outer),
        Err(Failed(404, None))
    ));
}

#[test]
fn rfc3339_reads_offsets_and_fractions_and_refuses_the_rest() {
    let t = |s| rfc3339(s).map(|d| d.to_rfc3339());
    assert_eq!(
        t("2024-01-01T00:00:00Z").as_deref(),
        Some("2024-01-01T00:00:00+00:00")
    );
    assert_eq!(
        t("2024-01-01T02:00:00+02:00").as_deref(),
        Some("2024-01-01T00:00:00+00:00")
    );
    assert!(t("2024-01-01T00:00:00.1234567Z").is_some());
    for bad in [
        "",
        "soon",
        "2024-01-01",
        "2024-13-01T00:00:00Z",
        "2024-01-01T00:00:00",
    ] {
        assert_eq!(t(bad), None, "{bad}");
    }
}

#[test]
fn unix_times_and_excerpts() {
    assert_eq!(from_unix(Some(0)), Some(Utc.timestamp_opt(0, 0).unwrap()));
    assert_eq!(from_unix(None), None);
    assert_eq!(from_unix(Some(i64::MAX)), None);
    assert_eq!(excerpt("  a\nb  "), "a b");
    let long = "é".repeat(130);
    assert_eq!(excerpt(&long).chars().count(), 121);
}
