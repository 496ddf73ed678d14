//! Browser tests: the status badge renders what the data says; the secret
//! field shows the value without a second copy of it in the wasm heap.
#![cfg(target_arch = "wasm32")]

mod support;

use secret_wizard::components::{
    error_panel, status_badge, SecretField, SecretFieldProps, SharedSecret, MASK,
};
use secret_wizard::domain::{ExpiryStatus, SecretValue};
use support::web::{click, mount, mount_app};
use wasm_bindgen::prelude::*;
use wasm_bindgen_test::*;
use yew::prelude::*;
use zeroize::Zeroizing;

// Looks at the wasm heap and the DOM from JavaScript, so that looking makes no copy of the value
// in the heap: the needle is read where it lies (a pointer and length into the value's own
// buffer) and compared in JavaScript.
#[wasm_bindgen(inline_js = r#"
function needle(mem, ptr, len) { return new Uint8Array(mem.buffer).slice(ptr, ptr + len); }
export function heap_count(mem, ptr, len) {
  const bytes = new Uint8Array(mem.buffer);
  const n = needle(mem, ptr, len);
  let count = 0;
  for (let i = bytes.indexOf(n[0]); i !== -1 && i + len <= bytes.length; i = bytes.indexOf(n[0], i + 1)) {
    let j = 1;
    while (j < len && bytes[i + j] === n[j]) j++;
    if (j === len) count++;
  }
  return count;
}
export function text_has(node, mem, ptr, len) {
  return (node.textContent || '').includes(new TextDecoder().decode(needle(mem, ptr, len)));
}
"#)]
extern "C" {
    fn heap_count(mem: &JsValue, ptr: u32, len: u32) -> u32;
    fn text_has(node: &web_sys::Node, mem: &JsValue, ptr: u32, len: u32) -> bool;
}

/// How often `part` (a slice of the value's own buffer) occurs in the whole wasm heap.
fn in_heap(part: &str) -> u32 {
    heap_count(
        &wasm_bindgen::memory(),
        part.as_ptr() as u32,
        part.len() as u32,
    )
}

/// Whether `node`'s text contains the value.
fn shown(node: &web_sys::Node, value: &str) -> bool {
    text_has(
        node,
        &wasm_bindgen::memory(),
        value.as_ptr() as u32,
        value.len() as u32,
    )
}

/// A fresh 40-character value made here, so that no other copy (a literal, another test's)
/// exists in the heap; its one buffer is allocated at its final size.
fn fresh_secret() -> SecretValue {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789~._-";
    let mut value = Zeroizing::new(String::with_capacity(40));
    for _ in 0..40 {
        let i = (js_sys::Math::random() * ALPHABET.len() as f64) as usize;
        value.push(char::from(ALPHABET[i.min(ALPHABET.len() - 1)]));
    }
    SecretValue::new(value)
}

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts markup drawn by one of the components' plain functions.
#[derive(Properties, PartialEq)]
struct ShowProps {
    html: Html,
}

#[function_component(Show)]
fn show(props: &ShowProps) -> Html {
    props.html.clone()
}

#[wasm_bindgen_test]
async fn a_badge_always_carries_text() {
    for status in [
        ExpiryStatus::Expired,
        ExpiryStatus::Critical,
        ExpiryStatus::Warning,
        ExpiryStatus::Ok,
        ExpiryStatus::NoExpiry,
    ] {
        let div = mount::<Show>(ShowProps {
            html: status_badge(status),
        });
        yew::scheduler::flush().await;
        let badge = div.query_selector(".badge").unwrap().unwrap();
        assert_eq!(badge.text_content().unwrap(), status.label());
        assert!(badge
            .class_name()
            .contains(&format!("badge-{}", status.key())));
    }
}

#[wasm_bindgen_test]
async fn the_error_panel_shows_message_and_details_in_one_alert() {
    let div = mount::<Show>(ShowProps {
        html: error_panel(
            "Couldn't load app registrations".into(),
            "Microsoft Graph is busy.".into(),
            Some("429 · request-id 1234".into()),
            Html::default(),
        ),
    });
    yew::scheduler::flush().await;
    let alert = div.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("Couldn't load app registrations"));
    assert!(text.contains("Microsoft Graph is busy."));
    assert_eq!(
        alert
            .query_selector(".error-details code")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "429 · request-id 1234"
    );
}

#[wasm_bindgen_test]
async fn the_secret_field_shows_the_value_without_a_second_copy_in_the_heap() {
    let secret = std::rc::Rc::new(fresh_secret());
    let value = secret.expose();
    // The first 16 bytes of a freed block may be overwritten by the allocator's own bookkeeping;
    // the rest of a copy freed unwiped stays, so the tail finds copies alive or freed.
    let tail = &value[16..];
    assert_eq!(in_heap(tail), 1, "the value's own buffer, and nothing else");
    let (div, app) = mount_app::<SecretField>(SecretFieldProps {
        secret: SharedSecret(secret.clone()),
        label: "Secret value".into(),
        copied: false,
        on_copied: Callback::noop(),
        on_copy_failed: Callback::noop(),
    });
    yew::scheduler::flush().await;
    let field = div
        .query_selector("[data-testid=secret-value]")
        .unwrap()
        .unwrap();
    assert_eq!(field.text_content().unwrap(), MASK);
    assert_eq!(in_heap(tail), 1, "masked");

    click(&div, "button[aria-pressed]");
    yew::scheduler::flush().await;
    assert!(shown(&field, value), "Reveal shows the value");
    assert_eq!(
        in_heap(tail),
        1,
        "revealed: the DOM text is set from the value's own bytes, no String copy in the heap"
    );
    let text_holder: web_sys::Node = field.first_child().unwrap();
    assert!(shown(&text_holder, value));

    click(&div, "button[aria-pressed]");
    yew::scheduler::flush().await;
    assert!(!shown(&div, value), "Hide removes the value from the DOM");
    assert_eq!(field.text_content().unwrap(), MASK);
    assert_eq!(
        in_heap(tail),
        1,
        "hidden: no copy left behind, not even freed"
    );

    // Revealed, then the field goes (Finish, leaving the step): its text goes with it.
    click(&div, "button[aria-pressed]");
    yew::scheduler::flush().await;
    assert!(shown(&text_holder, value));
    app.destroy();
    yew::scheduler::flush().await;
    assert!(
        !shown(&text_holder, value),
        "unmounted: the text node is emptied"
    );
    assert!(!shown(&div, value));
    assert_eq!(in_heap(tail), 1, "after unmount");
}
