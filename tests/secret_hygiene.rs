#![cfg(not(target_arch = "wasm32"))]
//! Secret hygiene of the pure core: the value never prints (Debug, Display, errors built from
//! responses that carry it), and every buffer that holds it is wiped before it is freed.
//!
//! Wiping is checked with a global allocator that looks at a buffer at the moment it is freed.
//! To stay sound it reads only buffers a test registered, and only their first `len` bytes,
//! which the test itself wrote (so they are initialised whether or not they were wiped).

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering::SeqCst};

use secret_wizard::arm::{self, ArmError};
use secret_wizard::domain::tags::Tags;
use secret_wizard::domain::vault_write::VaultSecretWrite;
use secret_wizard::domain::SecretValue;
use secret_wizard::graph::{self, GraphError};
use secret_wizard::keyvault::{self, KeyVaultError};
use secret_wizard::net::{HttpRequest, HttpResponse};
use zeroize::{ZeroizeOnDrop, Zeroizing};

/// Shaped like an Entra secret; no character needs JSON escaping.
const SECRET: &str = "Ab3Q~hyg13ne.VALUE_never-printed~0123456";

// ---- the watching allocator -------------------------------------------------------------

struct Slot {
    ptr: AtomicUsize,
    len: AtomicUsize,
    /// 0 pending, 1 wiped (all zero) when freed, 2 freed with data in it.
    state: AtomicU8,
}

#[allow(clippy::declare_interior_mutable_const)]
const EMPTY: Slot = Slot {
    ptr: AtomicUsize::new(0),
    len: AtomicUsize::new(0),
    state: AtomicU8::new(0),
};
static SLOTS: [Slot; 64] = [EMPTY; 64];

struct Watching;

// SAFETY: forwards every call to `System`; `dealloc` only reads `len` bytes of a live buffer
// that the test registered as written, before handing it back.
unsafe impl GlobalAlloc for Watching {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        System.alloc(layout)
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        for slot in &SLOTS {
            if slot.ptr.load(SeqCst) == ptr as usize && slot.state.load(SeqCst) == 0 {
                let len = slot.len.load(SeqCst).min(layout.size());
                let bytes = std::slice::from_raw_parts(ptr, len);
                let wiped = bytes.iter().all(|b| *b == 0);
                slot.state.store(if wiped { 1 } else { 2 }, SeqCst);
                slot.ptr.store(0, SeqCst);
            }
        }
        System.dealloc(ptr, layout)
    }
}

#[global_allocator]
static ALLOCATOR: Watching = Watching;

/// A registered buffer: whether it was wiped when it was freed.
struct Watched(usize);

impl Watched {
    /// Registers the first `len` bytes at `ptr` (all written by the caller, all still live).
    fn new(ptr: *const u8, len: usize) -> Self {
        for (i, slot) in SLOTS.iter().enumerate() {
            if slot
                .ptr
                .compare_exchange(0, usize::MAX, SeqCst, SeqCst)
                .is_ok()
            {
                slot.len.store(len, SeqCst);
                slot.state.store(0, SeqCst);
                slot.ptr.store(ptr as usize, SeqCst);
                return Watched(i);
            }
        }
        panic!("no free watch slot");
    }

    fn of(s: &str) -> Self {
        Self::new(s.as_ptr(), s.len())
    }

    /// None while the buffer is alive; then whether it was wiped.
    fn wiped(&self) -> Option<bool> {
        match SLOTS[self.0].state.load(SeqCst) {
            0 => None,
            s => Some(s == 1),
        }
    }
}

/// A string holding exactly `text`, every byte of its buffer written.
fn exact(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    s.push_str(text);
    s
}

fn secret() -> SecretValue {
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
fn vault_writes(s: &SecretValue) -> Vec<HttpRequest> {
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

fn add_password_body(secret_text: &str) -> String {
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

// ---- zeroisation ------------------------------------------------------------------------

fn zeroize_on_drop<T: ZeroizeOnDrop>(_: &T) {}

#[test]
fn bodies_are_zeroising_types() {
    // Compile-time: these fields wipe themselves when dropped.
    let s = secret();
    for req in vault_writes(&s) {
        zeroize_on_drop(req.body.as_ref().expect("a body"));
    }
    zeroize_on_drop(&HttpResponse::new(200, String::new()).body);
}

#[test]
fn the_watch_tells_a_wiped_buffer_from_a_plain_one() {
    let plain = exact(SECRET);
    let watch = Watched::of(&plain);
    assert_eq!(watch.wiped(), None, "alive");
    drop(plain);
    assert_eq!(
        watch.wiped(),
        Some(false),
        "a plain String is freed with its bytes"
    );

    let zeroizing = Zeroizing::new(exact(SECRET));
    let watch = Watched::of(&zeroizing);
    drop(zeroizing);
    assert_eq!(watch.wiped(), Some(true));
}

#[test]
fn secret_value_wipes_its_buffer_when_dropped() {
    let s = secret();
    let watch = Watched::of(s.expose());
    let shared = std::rc::Rc::new(s);
    let clone = shared.clone();
    drop(shared);
    assert_eq!(watch.wiped(), None, "still shared");
    drop(clone);
    assert_eq!(watch.wiped(), Some(true), "the last owner wiped it");
}

#[test]
fn add_password_parsing_wipes_the_response_and_keeps_one_wiping_copy() {
    let body = exact(&add_password_body(SECRET));
    let response_buffer = Watched::of(&body);
    let created = graph::parse_add_password(HttpResponse::new(201, body)).unwrap();
    assert_eq!(
        response_buffer.wiped(),
        Some(true),
        "the response body was wiped once parsed"
    );
    let value_buffer = Watched::of(created.secret.expose());
    drop(created);
    assert_eq!(
        value_buffer.wiped(),
        Some(true),
        "the value's own buffer is wiped on drop"
    );
}

#[test]
fn vault_write_bodies_and_answers_are_wiped() {
    let s = secret();
    for req in vault_writes(&s) {
        let body = Watched::of(req.body.as_deref().unwrap());
        let copy = req.clone();
        let copied = Watched::of(copy.body.as_deref().unwrap());
        drop(req);
        drop(copy);
        assert_eq!(body.wiped(), Some(true), "the request body is wiped");
        assert_eq!(copied.wiped(), Some(true), "so is a clone of it");
    }
    // Key Vault's SetSecret answer echoes the value; parsing consumes and wipes it.
    let echo = exact(&format!(
        r#"{{"value":"{SECRET}","id":"https://kv-contoso-dev.vault.test/secrets/n/0123456789abcdef0123456789abcdef","attributes":{{"enabled":true,"created":1790000000,"updated":1790000000,"recoveryLevel":"Recoverable+Purgeable"}},"tags":{{}}}}"#
    ));
    let answer = Watched::of(&echo);
    let stored = keyvault::parse_set_secret(HttpResponse::new(200, echo)).expect("a stored secret");
    assert_eq!(answer.wiped(), Some(true), "the echoed value was wiped");
    assert!(!format!("{stored:?}").contains(SECRET));
}
