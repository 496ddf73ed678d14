use chrono::{TimeZone, Utc};
use serde_json::Value;

use super::*;
use crate::net::{HttpResponse, Method, Resource};

const BASE: &str = "http://127.0.0.1:8400/graph/";

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/graph/",
            $name
        ))
    };
}

fn header<'a>(req: &'a crate::net::HttpRequest, name: &str) -> Option<&'a str> {
    req.headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn me_url() {
    let r = me(BASE);
    assert_eq!(r.method, Method::Get);
    assert_eq!(r.resource, Resource::Graph);
    assert_eq!(
        r.url,
        "http://127.0.0.1:8400/graph/v1.0/me?$select=id%2CdisplayName%2CuserPrincipalName%2Cmail"
    );
}

#[test]
fn list_all_selects_only_needed_fields_and_pages() {
    let r = list_applications(BASE, &AppQuery::All);
    assert_eq!(
        r.url,
        format!(
            "http://127.0.0.1:8400/graph/v1.0/applications?$select={}&$top=100",
            crate::net::encode(LIST_SELECT)
        )
    );
    assert!(header(&r, "ConsistencyLevel").is_none());
}

/// The `$select` of a request, as property names.
fn selected(r: &crate::net::HttpRequest) -> Vec<String> {
    let query = r.url.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .filter_map(|p| p.strip_prefix("$select="))
        .flat_map(|v| v.split("%2C"))
        .map(str::to_string)
        .collect()
}

#[test]
fn lists_and_searches_never_select_key_credentials() {
    // Listing with keyCredentials in $select is throttled per tenant (150 a minute,
    // ../shared/specs/graph-docs/application-list.md); a search runs on every pause in typing.
    let requests = [
        list_applications(BASE, &AppQuery::All),
        list_applications(BASE, &AppQuery::NameStartsWith("Pay".into())),
        list_applications(BASE, &AppQuery::Search("Pay".into())),
        list_applications(
            BASE,
            &AppQuery::AppId("631a96bc-a705-4eda-9f99-fdaf9f54f6a2".into()),
        ),
        my_applications(BASE),
    ];
    for r in &requests {
        let select = selected(r);
        assert!(
            !select
                .iter()
                .any(|p| p.eq_ignore_ascii_case("keyCredentials")),
            "{}",
            r.url
        );
        for needed in ["id", "appId", "displayName", "passwordCredentials"] {
            assert!(select.iter().any(|p| p == needed), "{needed} in {}", r.url);
        }
    }
    // An opened app is read with its certificates.
    let one = get_application(BASE, "03ef14b0-ca33-4840-8f4f-d6e91916010e");
    assert!(selected(&one).iter().any(|p| p == "keyCredentials"));
    let by_client_id = get_application_by_app_id(BASE, "46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b");
    assert!(selected(&by_client_id)
        .iter()
        .any(|p| p == "keyCredentials"));
}

#[test]
fn starts_with_doubles_single_quotes_and_encodes() {
    let r = list_applications(BASE, &AppQuery::NameStartsWith("O'Brien app".into()));
    assert!(
        r.url
            .ends_with("&$filter=startsWith%28displayName%2C%27O%27%27Brien%20app%27%29"),
        "{}",
        r.url
    );
    assert!(header(&r, "ConsistencyLevel").is_none());
}

#[test]
fn app_id_filter_and_input_classification() {
    let id = "631A96BC-A705-4EDA-9F99-FDAF9F54F6A2";
    let q = AppQuery::from_input(&format!("  {id} "));
    assert_eq!(q, AppQuery::AppId(id.to_ascii_lowercase()));
    let r = list_applications(BASE, &q);
    assert!(r
        .url
        .ends_with("&$filter=appId%20eq%20%27631a96bc-a705-4eda-9f99-fdaf9f54f6a2%27"));
    assert_eq!(AppQuery::from_input("   "), AppQuery::All);
    assert_eq!(AppQuery::from_input("pay"), AppQuery::Search("pay".into()));
    assert!(!is_guid("631a96bc-a705-4eda-9f99-fdaf9f54f6a")); // one digit short
    assert!(!is_guid("631a96bc-a705-4eda-9f99-fdaf9f54f6ag"));
}

#[test]
fn search_sends_consistency_level_and_count() {
    let r = list_applications(BASE, &AppQuery::Search("Web \"x\"".into()));
    assert!(r
        .url
        .contains("&$search=%22displayName%3AWeb%20%5C%22x%5C%22%22"));
    assert!(r.url.ends_with("&$count=true"));
    assert_eq!(header(&r, "ConsistencyLevel"), Some("eventual"));
}

#[test]
fn next_page_follows_link_verbatim_and_resends_headers() {
    let first = list_applications(BASE, &AppQuery::Search("web".into()));
    let link = "https://graph.microsoft.com/v1.0/applications?$skiptoken=X%27Y&$count=true";
    let next = next_page(link, &first);
    assert_eq!(next.url, link);
    assert_eq!(next.method, Method::Get);
    assert_eq!(header(&next, "ConsistencyLevel"), Some("eventual"));
    assert!(next.body.is_none());
}

#[test]
fn single_application_urls() {
    assert_eq!(
        get_application(BASE, "03ef14b0-ca33-4840-8f4f-d6e91916010e").url,
        format!(
            "http://127.0.0.1:8400/graph/v1.0/applications/03ef14b0-ca33-4840-8f4f-d6e91916010e\
             ?$select={}",
            crate::net::encode(APP_SELECT)
        )
    );
    assert!(
        get_application_by_app_id(BASE, "46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b")
            .url
            .contains("/v1.0/applications(appId='46e6adf4-a9cf-4b60-9390-0ba6fb00bf6b')?$select=")
    );
    assert!(my_applications(BASE).url.starts_with(
        "http://127.0.0.1:8400/graph/v1.0/me/ownedObjects/microsoft.graph.application?"
    ));
    assert_eq!(
        owners(BASE, "a/b").url,
        "http://127.0.0.1:8400/graph/v1.0/applications/a%2Fb/owners"
    );
}

#[test]
fn add_password_sends_explicit_dates_and_name() {
    let new = NewPassword {
        display_name: "Created by dan@contoso.example".into(),
        start: Utc.with_ymd_and_hms(2026, 11, 26, 10, 42, 7).unwrap(),
        end: Utc.with_ymd_and_hms(2028, 11, 25, 10, 42, 7).unwrap(),
    };
    let r = add_password(BASE, "03ef14b0", &new);
    assert_eq!(r.method, Method::Post);
    assert_eq!(
        r.url,
        "http://127.0.0.1:8400/graph/v1.0/applications/03ef14b0/addPassword"
    );
    assert_eq!(header(&r, "Content-Type"), Some("application/json"));
    let body: Value = serde_json::from_str(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"passwordCredential": {
            "displayName": "Created by dan@contoso.example",
            "startDateTime": "2026-11-26T10:42:07Z",
            "endDateTime": "2028-11-25T10:42:07Z"
        }})
    );
}

#[test]
fn remove_password_body() {
    let r = remove_password(BASE, "03ef14b0", "f0b0b335-1d71-4883-8f98-567911bfdca6");
    assert!(r
        .url
        .ends_with("/v1.0/applications/03ef14b0/removePassword"));
    let body: Value = serde_json::from_str(r.body.as_ref().unwrap()).unwrap();
    assert_eq!(
        body,
        serde_json::json!({"keyId": "f0b0b335-1d71-4883-8f98-567911bfdca6"})
    );
    assert_eq!(parse_remove_password(&HttpResponse::new(204, "")), Ok(()));
    assert!(matches!(
        parse_remove_password(&HttpResponse::new(
            404,
            fixture!("error-404-not-found.json")
        )),
        Err(GraphError::NotFound(_))
    ));
}

#[test]
fn parses_the_documented_add_password_response() {
    let created = parse_add_password(HttpResponse::new(
        200,
        fixture!("addpassword-response.json"),
    ))
    .unwrap();
    assert_eq!(created.secret.expose(), "[6gyXA5S20@MN+WRXAJ]I-TO7g1:h2P8");
    let c = &created.credential;
    assert_eq!(c.key_id, "f0b0b335-1d71-4883-8f98-567911bfdca6");
    assert_eq!(c.hint.as_deref(), Some("[6g"));
    assert_eq!(c.display_name.as_deref(), Some("Password friendly name"));
    assert_eq!(
        c.end_date_time.unwrap(),
        Utc.with_ymd_and_hms(2021, 9, 9, 19, 50, 29).unwrap()
            + chrono::Duration::nanoseconds(308_638_100)
    );
    let dbg = format!("{created:?}");
    assert!(!dbg.contains("WRXAJ"), "{dbg}");
}

#[test]
fn add_password_with_escaped_secret_and_without_one() {
    let body = r#"{"keyId":"k","secretText":"a\u002Bb\"c"}"#;
    let created = parse_add_password(HttpResponse::new(200, body)).unwrap();
    assert_eq!(created.secret.expose(), "a+b\"c");
    let missing = parse_add_password(HttpResponse::new(200, r#"{"keyId":"k"}"#));
    assert!(matches!(missing, Err(GraphError::Malformed { .. })));
    let empty = parse_add_password(HttpResponse::new(200, r#"{"keyId":"k","secretText":""}"#));
    assert!(matches!(empty, Err(GraphError::Malformed { .. })));
}

#[test]
fn malformed_add_password_never_echoes_the_body() {
    // keyId has the wrong type; serde's own message would quote nearby text.
    let body = r#"{"secretText":"TopSecretValue123","keyId":"TopSecretValue123","startDateTime":"TopSecretValue123"}"#;
    let e = parse_add_password(HttpResponse::new(200, body)).unwrap_err();
    for text in [e.user_message(), e.details(), format!("{e:?}")] {
        assert!(!text.contains("TopSecret"), "{text}");
    }
}

#[test]
fn parses_application_get_example() {
    let app = parse_application(&HttpResponse::new(
        200,
        fixture!("application-get-response.json"),
    ))
    .unwrap();
    assert_eq!(app.id, "03ef14b0-ca33-4840-8f4f-d6e91916010e");
    assert_eq!(app.app_id, "631a96bc-a705-4eda-9f99-fdaf9f54f6a2");
    assert!(app.accepts_personal_accounts());
    assert!(app.password_credentials.is_empty());
    assert!(app.created_date_time.is_some());
}

#[test]
fn parses_an_application_page_with_credentials_and_paging() {
    let page = parse_application_page(&HttpResponse::new(200, fixture!("applications-page.json")))
        .unwrap();
    assert_eq!(page.count, Some(2));
    assert!(page.next_link.as_deref().unwrap().contains("$skiptoken="));
    let payroll = &page.value[0];
    assert_eq!(payroll.password_credentials[0].hint.as_deref(), Some("[6g"));
    let cert = &payroll.key_credentials[0];
    assert_eq!(cert.kind.as_deref(), Some("AsymmetricX509Cert"));
    assert_eq!(cert.usage.as_deref(), Some("Verify"));
    assert!(!payroll.accepts_personal_accounts());
    // Missing collections default to empty; a null date is None.
    let postman = &page.value[1];
    assert!(postman.password_credentials.is_empty() && postman.key_credentials.is_empty());
    assert_eq!(postman.created_date_time, None);
}

#[test]
fn owned_objects_example_and_owners() {
    let page = parse_application_page(&HttpResponse::new(
        200,
        fixture!("ownedobjects-response.json"),
    ))
    .unwrap();
    assert_eq!(page.value[0].id, "id-value");
    assert_eq!(page.next_link, None);
    let owners = parse_owners(&HttpResponse::new(
        200,
        r##"{"value":[{"@odata.type":"#microsoft.graph.user","id":"d0","displayName":"Dev Dan","userPrincipalName":"dan@contoso.example"},{"@odata.type":"#microsoft.graph.servicePrincipal","id":"s1","displayName":"Deployer"}]}"##,
    ))
    .unwrap();
    assert_eq!(owners.value[0].label(), "Dev Dan (dan@contoso.example)");
    assert_eq!(owners.value[1].label(), "Deployer");
}

#[test]
fn parses_me() {
    let me = parse_me(&HttpResponse::new(
        200,
        r#"{"id":"d0","displayName":"Dev Dan","userPrincipalName":"dan@contoso.example","mail":null}"#,
    ))
    .unwrap();
    assert_eq!(
        me.user_principal_name.as_deref(),
        Some("dan@contoso.example")
    );
}

#[test]
fn success_with_wrong_shape_is_malformed() {
    let e = parse_application(&HttpResponse::new(200, r#"{"displayName":"no id"}"#)).unwrap_err();
    assert!(matches!(e, GraphError::Malformed { status: 200, .. }));
    assert!(e.details().contains("unexpected shape"), "{}", e.details());
}

mod errors;
mod read;
