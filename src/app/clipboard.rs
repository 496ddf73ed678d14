//! The clipboard guard's owner, above the pages: the Shell provides one [`Clipboard`] for the
//! whole signed-in (and signed-out) app, so the clear timer and the copied value's fingerprint
//! outlive the wizard (the Expiry overview, the hand-off page, a rotation, Finish, sign-out).
//!
//! The decisions are `domain::clipboard::ClipboardGuard`'s (pure, tested natively); this module
//! runs its effects: timers, the focus wait, and the check itself ([`check_and_clear`]: read the
//! clipboard, compare with the fingerprint, write the empty text only if it still holds the
//! value). It never sees the value; the wizard hands over only the fingerprint.
//!
//! Reading the clipboard is only tried where the page already has the permission (Chrome and
//! Edge once `clipboard-read` is allowed): elsewhere `readText` would put a prompt or a "Paste"
//! button in front of the user at an odd moment, or just refuse. The banner
//! ([`notice_view`]) then says the page can't check and asks the user to clear it; it sits
//! under the header, so it stays when the page changes or the user signs out.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;
use zeroize::Zeroizing;

use crate::domain::clipboard::{Check, ClipboardGuard, Fingerprint, GuardEffect, GuardMsg, Notice};

/// What pages ask of the guard.
pub enum Request {
    /// The value was copied (its fingerprint only).
    Copied(Fingerprint),
    /// The value is done with (the wizard's Finish).
    Finished,
    /// Clear first, then run this (the sign-out).
    SignOut(Box<dyn FnOnce()>),
    Dismiss,
}

/// The context: how to reach the guard. It never changes, so pages that hold it don't redraw
/// when the notice does (only the Shell, which draws the notice, does).
#[derive(Clone, PartialEq)]
pub struct Clipboard {
    send: Callback<Request>,
}

impl Clipboard {
    pub fn copied(&self, fingerprint: Fingerprint) {
        self.send.emit(Request::Copied(fingerprint));
    }

    pub fn finished(&self) {
        self.send.emit(Request::Finished);
    }

    /// Clears the clipboard if it still holds a copied value, then runs `then`. Without a
    /// copied value `then` runs at once, still inside the click; otherwise within
    /// `SIGN_OUT_WAIT_MS`, while the browser still lets the click open a window.
    pub fn sign_out(&self, then: impl FnOnce() + 'static) {
        self.send.emit(Request::SignOut(Box::new(then)));
    }

    pub fn dismiss(&self) {
        self.send.emit(Request::Dismiss);
    }
}

/// Signs out through the clipboard guard where there is one (the full app), else at once (the
/// boot module copies nothing).
pub fn sign_out_after_clearing(clipboard: Option<&Clipboard>, then: impl FnOnce() + 'static) {
    match clipboard {
        Some(c) => c.sign_out(then),
        None => then(),
    }
}

/// The guard and what runs its effects.
struct Owner {
    guard: RefCell<ClipboardGuard>,
    /// Redraws the Shell when the notice changes.
    rerender: yew::functional::UseForceUpdateHandle,
    then_sign_out: RefCell<Option<Box<dyn FnOnce()>>>,
    focus: RefCell<Option<EventListener>>,
}

impl Owner {
    fn request(self: &Rc<Self>, request: Request) {
        let msg = match request {
            Request::Copied(fingerprint) => GuardMsg::Copied(fingerprint),
            Request::Finished => GuardMsg::Finished,
            Request::SignOut(then) => {
                // A second click while the first waits for its check changes nothing.
                let mut slot = self.then_sign_out.borrow_mut();
                if slot.is_none() {
                    *slot = Some(then);
                }
                GuardMsg::SignOut
            }
            Request::Dismiss => GuardMsg::Dismiss,
        };
        self.update(msg);
    }

    fn update(self: &Rc<Self>, msg: GuardMsg) {
        let (effects, changed) = {
            let mut guard = self.guard.borrow_mut();
            let before = guard.notice();
            let effects = guard.update(msg);
            (effects, guard.notice() != before)
        };
        if changed {
            self.rerender.force_update();
        }
        for effect in effects {
            self.run(effect);
        }
    }

    fn run(self: &Rc<Self>, effect: GuardEffect) {
        match effect {
            GuardEffect::Schedule { token, secs } => {
                let me = self.clone();
                gloo::timers::callback::Timeout::new(secs.saturating_mul(1000), move || {
                    me.update(GuardMsg::ClearDue(token))
                })
                .forget();
            }
            GuardEffect::Check { token, fingerprint } => {
                let me = self.clone();
                spawn_local(async move {
                    let found = check_and_clear(fingerprint).await;
                    me.update(GuardMsg::Checked(token, found));
                });
            }
            GuardEffect::WaitForFocus => {
                let me = self.clone();
                let listener = EventListener::once(&gloo::utils::window(), "focus", move |_| {
                    // Out of the listener first: the update may replace this very listener.
                    spawn_local(async move { me.update(GuardMsg::Focused) });
                });
                *self.focus.borrow_mut() = Some(listener);
            }
            GuardEffect::SignOutDeadline { token, millis } => {
                let me = self.clone();
                gloo::timers::callback::Timeout::new(millis, move || {
                    me.update(GuardMsg::SignOutDeadline(token))
                })
                .forget();
            }
            GuardEffect::SignOut => {
                let then = self.then_sign_out.borrow_mut().take();
                if let Some(then) = then {
                    then();
                }
            }
        }
    }
}

/// The Shell's clipboard guard (`clear_secs`: `policy.clipboardClearSeconds`): the context for
/// the pages, and what the banner says now.
#[hook]
pub fn use_clipboard(clear_secs: u32) -> (Clipboard, Option<Notice>) {
    let rerender = use_force_update();
    let owner = use_memo((), move |_| {
        Rc::new(Owner {
            guard: RefCell::new(ClipboardGuard::new(clear_secs)),
            rerender,
            then_sign_out: RefCell::new(None),
            focus: RefCell::new(None),
        })
    });
    let send = {
        let owner = (*owner).clone();
        use_memo((), move |_| {
            Callback::from(move |request| owner.request(request))
        })
    };
    let notice = owner.guard.borrow().notice();
    (
        Clipboard {
            send: (*send).clone(),
        },
        notice,
    )
}

/// Whether the page may read the clipboard without asking: Chrome and Edge answer the
/// Permissions API's `clipboard-read` with "granted" once allowed. Firefox and Safari don't
/// know that name (the query rejects), and "prompt" would put a prompt in front of the user.
async fn may_read() -> bool {
    let Ok(permissions) = gloo::utils::window().navigator().permissions() else {
        return false;
    };
    let descriptor = js_sys::Object::new();
    if js_sys::Reflect::set(&descriptor, &"name".into(), &"clipboard-read".into()).is_err() {
        return false;
    }
    let Ok(query) = permissions.query(&descriptor) else {
        return false;
    };
    match JsFuture::from(query).await {
        Ok(status) => status
            .dyn_into::<web_sys::PermissionStatus>()
            .is_ok_and(|s| s.state() == web_sys::PermissionState::Granted),
        Err(_) => false,
    }
}

fn focused() -> bool {
    gloo::utils::document().has_focus().unwrap_or(false)
}

/// Empties the clipboard if it still holds the fingerprinted value; says what it found.
/// Browsers refuse clipboard access to a page without focus, so that is told apart.
async fn check_and_clear(fingerprint: Fingerprint) -> Check {
    if !focused() {
        return Check::NotFocused;
    }
    if !may_read().await {
        return Check::Refused;
    }
    let clipboard = gloo::utils::window().navigator().clipboard();
    let text = match JsFuture::from(clipboard.read_text()).await {
        Ok(text) => text,
        Err(_) if !focused() => return Check::NotFocused,
        Err(_) => return Check::Refused,
    };
    let Some(text) = text.as_string().map(Zeroizing::new) else {
        return Check::Refused;
    };
    if !fingerprint.matches(&text) {
        return Check::NotOurs;
    }
    drop(text);
    match JsFuture::from(clipboard.write_text("")).await {
        Ok(_) => Check::Cleared,
        Err(_) if !focused() => Check::NotFocused,
        Err(_) => Check::WriteFailed,
    }
}

/// The guard's banner under the header (nothing when there is nothing to say).
pub fn notice_view(clipboard: &Clipboard, notice: Option<Notice>) -> Html {
    let Some(notice) = notice else {
        return html! {};
    };
    let clipboard = clipboard.clone();
    let dismiss = Callback::from(move |_: MouseEvent| clipboard.dismiss());
    let (class, role) = if notice.is_warning() {
        ("notice notice-warning", "alert")
    } else {
        ("notice notice-ok", "status")
    };
    html! {
        <div class="page clipboard-notice">
            <div class={class} role={role} data-testid="clipboard-notice">
                <p>{ notice.text() }</p>
                <button type="button" class="button button-secondary" onclick={dismiss}>
                    { "Dismiss" }
                </button>
            </div>
        </div>
    }
}
