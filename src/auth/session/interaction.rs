//! The prompt a token request waits on when Microsoft needs the person again (see
//! [`super::Interaction::Ask`]): the gate the waiting requests share, and the page's side of it
//! (`on_interaction`, `continue_interaction`, `decline_interaction`).

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::Promise;
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::{account_of, request, wait, AuthError, Session};
use crate::net::Resource;

/// A token request that needs the person: which service, and MSAL's answer to the silent try.
pub type PendingInteraction = (Resource, AuthError);

/// Hears when a request starts or stops waiting for the person (`None`: nothing waits).
pub type InteractionListener = Rc<dyn Fn(Option<PendingInteraction>)>;

/// Token requests waiting for the person to say yes (see [`Interaction::Ask`]).
#[derive(Default)]
pub(super) struct Gate {
    pending: Option<PendingInteraction>,
    /// `resolve(true)` once a token can be had silently again, `resolve(false)` when not.
    waiters: Vec<js_sys::Function>,
    /// Why the last prompt ended without a token.
    failed: Option<AuthError>,
    /// Counts prompts, so a window's late answer can't end a newer prompt.
    generation: u64,
    listener: Option<InteractionListener>,
}

/// Ends prompt number `generation`: every waiting request goes on (`Ok`) or fails with the
/// error. (A prompt already ended, by the person or a window, stays ended.)
fn settle(gate: &Rc<RefCell<Gate>>, generation: u64, outcome: Result<(), AuthError>) {
    let (waiters, listener) = {
        let mut gate = gate.borrow_mut();
        if gate.generation != generation || gate.pending.is_none() {
            return;
        }
        gate.pending = None;
        gate.failed = outcome.clone().err();
        (std::mem::take(&mut gate.waiters), gate.listener.clone())
    };
    for resolve in waiters {
        let _ = resolve.call1(&JsValue::NULL, &JsValue::from_bool(outcome.is_ok()));
    }
    if let Some(listener) = listener {
        listener(None);
    }
}

impl Session {
    /// Registers (or removes) the page's prompt for token requests that need the person.
    pub fn on_interaction(&self, listener: Option<InteractionListener>) {
        self.gate.borrow_mut().listener = listener;
    }

    /// The request waiting for the person, if any.
    pub fn pending_interaction(&self) -> Option<PendingInteraction> {
        self.gate.borrow().pending.clone()
    }

    /// Waits until the person has answered the prompt; true when a token can be had now.
    pub(super) async fn ask_person(
        &self,
        resource: Resource,
        error: AuthError,
    ) -> Result<(), AuthError> {
        let mut resolve = None;
        let answered = Promise::new(&mut |r, _| resolve = Some(r));
        let notify = {
            let mut gate = self.gate.borrow_mut();
            let Some(listener) = gate.listener.clone() else {
                return Err(error);
            };
            gate.waiters.extend(resolve);
            let first = gate.pending.is_none();
            if first {
                gate.pending = Some((resource, error.clone()));
                gate.failed = None;
                gate.generation += 1;
            }
            first.then(|| (listener, gate.pending.clone()))
        };
        if let Some((listener, pending)) = notify {
            listener(pending);
        }
        let ok = JsFuture::from(answered)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false);
        if ok {
            Ok(())
        } else {
            Err(self
                .gate
                .borrow()
                .failed
                .clone()
                .unwrap_or(AuthError::UserCancelled))
        }
    }

    /// The person said yes: opens the popup NOW (call it from the click handler) for the waiting
    /// service, and lets the waiting requests go on once it has answered. A window closed
    /// without an answer (Entra's "Need admin approval" page, say) ends with the reason the
    /// prompt was shown for, which says what to do.
    pub fn continue_interaction(&self) -> impl Future<Output = Result<(), AuthError>> + 'static {
        let pending = self.pending_interaction();
        let why = pending.as_ref().map(|(_, e)| e.clone());
        let generation = self.gate.borrow().generation;
        let started = match (&pending, self.client.now()) {
            (Some((resource, _)), Some(pca)) => {
                let scopes = [self.scope(*resource).to_string()];
                let req = request(&scopes, self.active_account_js().as_ref());
                Some((pca.acquire_token_popup(&req), pca, *resource))
            }
            _ => None,
        };
        let gate = self.gate.clone();
        async move {
            let outcome = match started {
                Some((popup, pca, resource)) => match wait(popup).await {
                    Ok(result) => {
                        if let Some(account) = account_of(&result) {
                            pca.set_active_account(&account);
                        }
                        Ok(())
                    }
                    Err(AuthError::UserCancelled) => Err(why.unwrap_or(AuthError::UserCancelled)),
                    Err(e) => Err(e.for_resource(resource)),
                },
                None => Err(AuthError::NoAccount),
            };
            settle(&gate, generation, outcome.clone());
            outcome
        }
    }

    /// The person said not now, or stopped waiting for the window: the waiting requests fail
    /// with the reason the prompt was shown for (its words say what else can be done).
    ///
    /// Stopping matters: MSAL learns of the window through `redirect.html`'s bridge, and with
    /// this site's `Cross-Origin-Opener-Policy` it can't see the window being closed, so it
    /// waits out `popupBridgeTimeout` (60 s by default) before giving up.
    pub fn decline_interaction(&self) {
        let why = self
            .pending_interaction()
            .map_or(AuthError::UserCancelled, |(_, e)| e);
        let generation = self.gate.borrow().generation;
        settle(&self.gate, generation, Err(why));
    }
}
