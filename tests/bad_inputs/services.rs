//! What Graph, ARM and Key Vault answer — or a proxy, or something pretending to be them.

use std::fmt::Debug;

use chrono::FixedOffset;
use secret_wizard::net::HttpResponse;
use secret_wizard::{arm, graph, keyvault, overview, retry};
use serde_json::{json, Value};

use super::{fixture, now, Catalogue, SHORT};

fn res(status: u16, body: impl Into<String>) -> HttpResponse {
    HttpResponse::new(status, body)
}

/// `{"value":[…n apps…]}`.
fn app_page(n: usize) -> String {
    let apps: Vec<Value> = (0..n)
        .map(|i| json!({ "id": format!("{i:08x}-0000-4000-8000-000000000000"), "appId": format!("{i:08x}-1111-4111-8111-111111111111"),
                         "displayName": format!("app {i} <b>bold</b>"), "passwordCredentials": [], "keyCredentials": [] }))
        .collect();
    json!({ "value": apps }).to_string()
}

/// Checks a typed error: the right variant, a short user message and details line that never
/// echo more than an excerpt of what the service (or a proxy) sent.
fn typed<E: Debug>(
    got: Result<impl Debug, E>,
    variant: &str,
    texts: impl Fn(&E) -> [String; 2],
) -> Option<String> {
    let e = match got {
        Ok(v) => return Some(format!("expected {variant}, got Ok({v:?})")),
        Err(e) => e,
    };
    let debug = format!("{e:?}");
    let [message, details] = texts(&e);
    if !debug.starts_with(variant) {
        Some(format!(
            "expected {variant}, got {}",
            &debug[..debug.len().min(120)]
        ))
    } else if message.len() > SHORT || details.len() > SHORT {
        Some(format!(
            "message {} / details {} bytes: not a short excerpt",
            message.len(),
            details.len()
        ))
    } else if message.contains('<') {
        Some(format!("the user message quotes the body: {message}"))
    } else if details.contains('\n') || details.matches("body: ").count() > 1 {
        Some(format!("details are not one short line: {details}"))
    } else {
        None
    }
}

#[test]
fn hostile_service_data() {
    let g = |e: &graph::GraphError| [e.user_message(), e.details()];
    let a = |e: &arm::ArmError| [e.user_message(), e.details()];
    let k = |e: &keyvault::KeyVaultError| [e.user_message(), e.details()];
    let mut cat = Catalogue::new("hostile service data");
    let proxy = fixture("proxy-502.html");
    let huge_message =
        json!({ "error": { "code": "Request_BadRequest", "message": "x".repeat(1_000_000) } })
            .to_string();
    let huge_code = json!({ "error": { "code": "E".repeat(100_000), "message": "m" } }).to_string();

    cat.row("markup in app names stays text", || {
        let page = graph::parse_application_page(&res(200, fixture("apps-with-markup.json")))
            .expect("expected Ok");
        let names: Vec<&str> = page.value.iter().map(|a| a.display_name.as_str()).collect();
        (names[0] != "<img src=x onerror=alert(document.domain)>"
            || !page.value[1].password_credentials.is_empty())
        .then(|| format!("{names:?}"))
    });
    cat.row("CSV export defuses formula names", || {
        let page = graph::parse_application_page(&res(200, fixture("apps-with-markup.json")))
            .expect("expected Ok");
        let now = now().with_timezone(&FixedOffset::east_opt(0).unwrap());
        let rows = overview::build_rows(&page.value, &now);
        let csv = overview::export::to_csv(&rows);
        let formula = |cell: &str| {
            cell.trim_start_matches('"')
                .starts_with(['=', '+', '-', '@'])
        };
        let live = csv.lines().flat_map(|l| l.split(',')).any(formula);
        (live || !csv.contains("'=HYPERLINK")).then(|| csv.clone())
    });
    cat.row("10,000 apps in one page", || {
        let page = graph::parse_application_page(&res(200, app_page(10_000)));
        (page.map(|p| p.value.len()).ok() != Some(10_000)).then(|| "not all parsed".into())
    });
    cat.row("10,000 vaults in one page", || {
        let vaults: Vec<Value> = (0..10_000).map(|i| json!({ "id": format!("/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv{i}"), "name": format!("kv{i}"), "location": "westeurope", "properties": {} })).collect();
        let got = arm::parse_vaults(&res(200, json!({ "value": vaults }).to_string()));
        got.err().map(|e| e.details())
    });
    cat.row("value: null", || {
        typed(
            graph::parse_application_page(&res(200, r#"{"value":null}"#)),
            "Malformed",
            g,
        )
    });
    cat.row("an app without id", || {
        typed(
            graph::parse_application(&res(200, r#"{"displayName":"x"}"#)),
            "Malformed",
            g,
        )
    });
    cat.row("an end date that is not a date", || {
        typed(
            graph::parse_application(&res(
                200,
                r#"{"id":"a","passwordCredentials":[{"keyId":"k","endDateTime":"soon"}]}"#,
            )),
            "Malformed",
            g,
        )
    });
    cat.row("HTML 502 from a proxy (Graph)", || {
        typed(
            graph::parse_me(&res(502, proxy.clone())),
            "ServiceUnavailable",
            g,
        )
    });
    cat.row("HTML 403 from a proxy (Graph)", || {
        typed(graph::parse_me(&res(403, proxy.clone())), "Unexpected", g)
    });
    cat.row("HTML 200 instead of JSON (Graph)", || {
        typed(graph::parse_me(&res(200, proxy.clone())), "Malformed", g)
    });
    cat.row("empty body with 500", || {
        typed(graph::parse_me(&res(500, "")), "ServiceUnavailable", g)
    });
    cat.row("empty body with 400", || {
        typed(graph::parse_me(&res(400, "")), "Unexpected", g)
    });
    cat.row("1 MB error message", || {
        typed(
            graph::parse_me(&res(400, huge_message.clone())),
            "BadRequest",
            g,
        )
    });
    cat.row("100 kB error code", || {
        typed(
            graph::parse_me(&res(400, huge_code.clone())),
            "BadRequest",
            g,
        )
    });
    cat.row("error: null", || {
        typed(
            graph::parse_me(&res(404, r#"{"error":null}"#)),
            "Unexpected",
            g,
        )
    });
    cat.row("addPassword 200 without secretText", || {
        typed(
            graph::parse_add_password(res(200, r#"{"keyId":"k","hint":"Zq8"}"#)),
            "Malformed",
            g,
        )
    });
    cat.row("addPassword 200 with an HTML body", || {
        typed(
            graph::parse_add_password(res(200, proxy.clone())),
            "Malformed",
            g,
        )
    });
    cat.row("addPassword Debug never shows the value", || {
        let created = graph::parse_add_password(res(
            200,
            r#"{"keyId":"k","secretText":"Zq8~TOPSECRET-value"}"#,
        ))
        .expect("expected Ok");
        format!("{created:?}")
            .contains("TOPSECRET")
            .then(|| "the secret is in Debug output".into())
    });
    cat.row("absurd Retry-After is capped", || {
        let e = graph::parse_me(&res(429, "").with_header("Retry-After", "99999999999999999999"))
            .expect_err("expected an error, got Ok");
        let outcome = retry::Outcome::Status {
            status: 429,
            retry_after_secs: e.retry_after_secs(),
            transient_conflict: false,
        };
        let d = retry::decide(
            &retry::RetryPolicy::for_method(secret_wizard::net::Method::Get),
            1,
            outcome,
            false,
            0.5,
        );
        (d != retry::Decision::Wait {
            millis: retry::MAX_WAIT_SECS * 1000,
        })
        .then(|| format!("{d:?}"))
    });
    cat.row("Retry-After as garbage", || {
        let e = graph::parse_me(&res(503, "").with_header("Retry-After", "Wed, 21 Oct 2026 07:28"))
            .expect_err("expected an error, got Ok");
        e.retry_after_secs()
            .map(|s| format!("read {s} s from garbage"))
    });
    cat.row("Retry-After as a past HTTP-date is no wait", || {
        let e = graph::parse_me(
            &res(503, "").with_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
        )
        .expect_err("expected an error, got Ok");
        (e.retry_after_secs() != Some(0)).then(|| format!("{:?}", e.retry_after_secs()))
    });
    cat.row("HTML 502 from a proxy (ARM)", || {
        typed(
            arm::parse_vaults(&res(502, proxy.clone())),
            "ServiceUnavailable",
            a,
        )
    });
    cat.row("HTML 403 from a proxy (ARM)", || {
        typed(arm::parse_secret(&res(403, proxy.clone())), "Unexpected", a)
    });
    cat.row("1 MB error message (ARM)", || {
        typed(
            arm::parse_secret(&res(409, huge_message.clone())),
            "Conflict",
            a,
        )
    });
    cat.row("ARM secret without name", || {
        typed(
            arm::parse_secret(&res(200, r#"{"id":"/x"}"#)),
            "Malformed",
            a,
        )
    });
    cat.row("ARM page value: null", || {
        typed(
            arm::parse_subscriptions(&res(200, r#"{"value":null}"#)),
            "Malformed",
            a,
        )
    });
    cat.row("HTML 403 from a proxy (Key Vault)", || {
        typed(
            keyvault::parse_set_secret(res(403, proxy.clone())),
            "Unexpected",
            k,
        )
    });
    cat.row("Key Vault 200 without an id", || {
        typed(
            keyvault::parse_set_secret(res(200, r#"{"value":"v"}"#)),
            "Malformed",
            k,
        )
    });
    cat.row("Key Vault echo of the value is not kept", || {
        let stored = keyvault::parse_set_secret(res(
            200,
            r#"{"value":"Zq8~TOPSECRET","id":"https://kv.vault.azure.net/secrets/s/1"}"#,
        ))
        .expect("expected Ok");
        format!("{stored:?}")
            .contains("TOPSECRET")
            .then(|| "the value was kept".into())
    });
    cat.row("Key Vault 1 MB message", || {
        typed(
            keyvault::parse_set_secret(res(400, huge_message.clone())),
            "BadParameter",
            k,
        )
    });
    let many_details: Vec<Value> = (0..10_000)
        .map(|i| json!({ "code": format!("LinkedAuthorizationFailed{i}"), "message": "m" }))
        .collect();
    let many = json!({ "error": { "code": "AuthorizationFailed", "message": "m", "details": many_details } });
    cat.row("ARM error with 10,000 details", || {
        typed(
            arm::parse_secret(&res(403, many.to_string())),
            "AuthorizationFailed",
            a,
        )
    });
    cat.row("Key Vault 100 kB error code", || {
        typed(
            keyvault::parse_set_secret(res(400, huge_code.clone())),
            "BadParameter",
            k,
        )
    });
    cat.finish(31);
}
