#![cfg(not(target_arch = "wasm32"))]
//! Secret hygiene of the pure core: the value never prints (Debug, Display, errors built from
//! responses that carry it), and every buffer that holds it is wiped before it is freed
//! (`secret_hygiene/wiping.rs`, with the watching allocator of `secret_hygiene/watch.rs`).

#[path = "secret_hygiene/watch.rs"]
mod watch;
#[path = "secret_hygiene/wiping.rs"]
mod wiping;

use secret_wizard::arm::{self, ArmError};
use secret_wizard::domain::tags::Tags;
use secret_wizard::domain::vault_write::VaultSecretWrite;
use secret_wizard::domain::SecretValue;
use secret_wizard::graph::{self, GraphError};
use secret_wizard::keyvault::{self, KeyVaultError};
use secret_wizard::net::{HttpRequest, HttpResponse};
use zeroize::Zeroizing;

/// Shaped like an Entra secret; no character needs JSON escaping.
pub const SECRET: &str = "Ab3Q~hyg13ne.VALUE_never-printed~0123456";

/// A string holding exactly `text`, every byte of its buffer written.
pub fn exact(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    s.push_str(text);
    s
}

pub fn secret() -> SecretValue {
    SecretValue::new(Zeroizing::new(exact(SECRET)))
}

// ---- what can print or copy a value ------------------------------------------------------

/// Trait probes resolved at compile time: the inherent method applies only when the bound
/// holds, otherwise the trait's default (false) is used.
struct Probe<T>(std::marker::PhantomData<T>);
trait Fallback {
    fn display(&self) -> bool {
        false
    }
    fn clone_(&self) -> bool {
        false
    }
    fn serialize(&self) -> bool {
        false
    }
}
impl<T> Fallback for Probe<T> {}
impl<T: std::fmt::Display> Probe<T> {
    fn display(&self) -> bool {
        true
    }
}
impl<T: Clone> Probe<T> {
    fn clone_(&self) -> bool {
        true
    }
}
impl<T: serde::Serialize> Probe<T> {
    fn serialize(&self) -> bool {
        true
    }
}
fn probe<T>() -> Probe<T> {
    Probe(std::marker::PhantomData)
}

#[test]
fn secret_value_cannot_be_printed_copied_or_serialised() {
    // The probes can say yes: String is all three.
    assert!(probe::<String>().display() && probe::<String>().clone_());
    assert!(probe::<String>().serialize());
    assert!(
        !probe::<SecretValue>().display(),
        "SecretValue must not be Display"
    );
    assert!(
        !probe::<SecretValue>().clone_(),
        "SecretValue must not be Clone"
    );
    assert!(
        !probe::<SecretValue>().serialize(),
        "SecretValue must not be Serialize"
    );
    let s = secret();
    for shown in [format!("{s:?}"), format!("{s:#?}")] {
        assert!(
            !shown.contains(SECRET) && !shown.contains(&SECRET[..12]),
            "{shown}"
        );
    }
    assert_eq!(s.expose(), SECRET);
}

fn vault_write() -> VaultSecretWrite {
    let start = chrono::DateTime::from_timestamp(1_790_000_000, 0).unwrap();
    let end = chrono::DateTime::from_timestamp(1_800_000_000, 0).unwrap();
    let mut tags = Tags::new();
    tags.insert("createdBy".into(), "dan@contoso.example".into());
    VaultSecretWrite::for_client_secret(tags, start, end)
}

const VAULT_ID: &str =
    "/subscriptions/s/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";

/// The two requests that carry the value, as the app builds them.
pub fn vault_writes(s: &SecretValue) -> Vec<HttpRequest> {
    vec![
        arm::put_secret(
            "https://arm.test",
            VAULT_ID,
            "payroll-api-client-secret",
            s,
            &vault_write(),
        ),
        keyvault::set_secret(
            "https://kv-contoso-dev.vault.test/",
            "payroll-api-client-secret",
            s,
            &vault_write(),
        ),
    ]
}

pub fn add_password_body(secret_text: &str) -> String {
    format!(
        r#"{{"keyId":"6f3c1a2b-0000-4000-8000-000000000001","displayName":"d","hint":"Ab3","startDateTime":"2026-11-26T09:42:07Z","endDateTime":"2027-02-24T09:42:07Z","secretText":"{secret_text}","customKeyIdentifier":null}}"#
    )
}

#[test]
fn requests_and_responses_never_print_their_bodies() {
    let s = secret();
    for req in vault_writes(&s) {
        assert!(
            req.body.as_deref().unwrap().contains(SECRET),
            "the body does carry it"
        );
        for shown in [format!("{req:?}"), format!("{req:#?}")] {
            assert!(!shown.contains(SECRET), "{shown}");
        }
        assert!(
            !req.url.contains(SECRET)
                && req
                    .headers
                    .iter()
                    .all(|(k, v)| !k.contains(SECRET) && !v.contains(SECRET))
        );
    }
    let res = HttpResponse::new(201, add_password_body(SECRET));
    assert!(!format!("{res:?}").contains(SECRET) && !format!("{res:#?}").contains(SECRET));
    let created = graph::parse_add_password(res).expect("a valid addPassword answer");
    assert_eq!(created.secret.expose(), SECRET);
    assert!(!format!("{created:?}").contains(SECRET));
    assert!(!format!("{:?}", created.credential).contains(SECRET));
}

/// Every text an error offers for display or logging.
fn texts_of_graph(e: &GraphError) -> Vec<String> {
    vec![e.user_message(), e.details(), e.to_string()]
}

fn cut_inside_value() -> String {
    let body = add_password_body(SECRET);
    let cut = body.find(SECRET).expect("the value is in the body") + 25;
    body[..cut].to_string()
}

#[test]
fn add_password_answers_that_cannot_be_read_never_quote_the_value() {
    let ok_but_broken = [
        // Cut off inside the value.
        cut_inside_value(),
        // No keyId.
        add_password_body(SECRET).replace(r#""keyId":"6f3c1a2b-0000-4000-8000-000000000001","#, ""),
        // The value where a date belongs, and the value as a number-like token.
        add_password_body(SECRET).replace("2027-02-24T09:42:07Z", SECRET),
        add_password_body(SECRET).replace(&format!("\"{SECRET}\""), SECRET),
        // Trailing text after the JSON.
        format!("{} {SECRET}", add_password_body(SECRET)),
        // A bare value, not JSON at all.
        SECRET.to_string(),
    ];
    for (i, body) in ok_but_broken.iter().enumerate() {
        assert!(
            body.contains(&SECRET[..20]),
            "case {i} carries (part of) the value"
        );
        for status in [200, 201] {
            let e = match graph::parse_add_password(HttpResponse::new(status, body.clone())) {
                Err(e) => e,
                Ok(_) => panic!("case {i} parsed"),
            };
            for text in texts_of_graph(&e).into_iter().chain([format!("{e:?}")]) {
                assert!(
                    !text.contains(&SECRET[..12]),
                    "case {i}, HTTP {status}: {text}"
                );
            }
        }
    }
}

#[test]
fn error_answers_of_add_password_never_quote_the_value() {
    // Whatever an error status carries (a gateway replaying the upstream answer, say), the
    // words and details shown to the user never contain the value.
    let json = add_password_body(SECRET);
    let graph_error = format!(
        r#"{{"error":{{"code":"generalException","message":"failed: {SECRET}","innerError":{{"request-id":"r1","date":"2026-11-26T09:42:08"}}}}}}"#
    );
    let page =
        format!("<html><body><h1>Bad gateway</h1><pre>upstream said: {json}</pre></body></html>");
    for status in [400, 401, 403, 409, 429, 500, 502, 503, 504] {
        for body in [&json, &graph_error, &page] {
            let e = graph::parse_add_password(HttpResponse::new(status, body.clone()))
                .expect_err("an error status");
            for text in texts_of_graph(&e) {
                assert!(!text.contains(SECRET), "HTTP {status}: {text}");
            }
        }
    }
}

#[test]
fn vault_write_errors_never_quote_the_value() {
    // Key Vault and ARM answer a write whose request carried the value; an answer may quote
    // the request (a BadParameter message, a proxy's error page).
    let quoting = [
        format!(r#"{{"error":{{"code":"BadParameter","message":"Invalid value {SECRET}"}}}}"#),
        format!(
            r#"{{"error":{{"code":"Forbidden","message":"Caller is not authorized to set {SECRET}","innererror":{{"code":"ForbiddenByRbac"}}}}}}"#
        ),
        format!(
            r#"{{"error":{{"code":"AuthorizationFailed","message":"The client 'dan' with object id 'x' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '{VAULT_ID}/secrets/{SECRET}'"}}}}"#
        ),
    ];
    for status in [400, 401, 403, 404, 409, 429, 500, 503] {
        for body in &quoting {
            let res = HttpResponse::new(status, body.clone());
            let kv = KeyVaultError::from_response(&res);
            for text in [
                kv.user_message(),
                kv.user_message_in("kv-contoso-dev", Some("n")),
                kv.details(),
                kv.to_string(),
            ] {
                assert!(!text.contains(SECRET), "Key Vault HTTP {status}: {text}");
            }
            let arm = ArmError::from_response(&res);
            for text in [arm.user_message(), arm.details(), arm.to_string()] {
                assert!(!text.contains(SECRET), "ARM HTTP {status}: {text}");
            }
        }
    }
}
#[test]
fn vault_write_problems_never_quote_the_value() {
    use secret_wizard::vault::problem;
    // What a proxy, WAF or gateway in front of ARM or Key Vault may answer to the write: a
    // page (or text) that replays the refused request.
    let pages = [
        format!(
            r#"<html><body>Request blocked. Body: {{"properties":{{"value":"{SECRET}"}}}}</body></html>"#
        ),
        format!(r#"Request rejected: {{"value":"{SECRET}","contentType":"text/plain"}}"#),
    ];
    for status in [400, 403, 404, 409, 413, 429, 500, 502] {
        for body in &pages {
            let res = HttpResponse::new(status, body.clone());
            let arm = problem::from_arm(&ArmError::from_response(&res), "kv-contoso-dev", "n");
            let kv =
                problem::from_keyvault(&KeyVaultError::from_response(&res), "kv-contoso-dev", "n");
            for p in [arm, kv] {
                let shown = format!("{} {}", p.message, p.details.clone().unwrap_or_default());
                assert!(!shown.contains(&SECRET[..12]), "HTTP {status}: {shown}");
            }
        }
    }
}
