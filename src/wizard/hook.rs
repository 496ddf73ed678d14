//! The thin shell around the reducer, on the feature runtime (`runtime::use_feature`): runs
//! [`Effect`]s (requests through the runtime's sender, timers, sign-out; the clipboard effects
//! go to the shell's clipboard guard, `app::clipboard`, which outlives the wizard) and feeds
//! their results back as [`Msg`]s. Arms `beforeunload` while leaving would lose a value.
//! Nothing here decides anything.

use yew::prelude::*;

use super::choose::ChooseMsg;
use super::msg::Msg;
use super::shared::{Effect, WizardConfig};
use super::state::Wizard;
use crate::runtime::{use_feature, use_unload_guard, Ctx, Handle, Sender};

/// What the shell does for the wizard.
#[derive(Clone, PartialEq)]
pub struct Hooks {
    /// How requests are sent (the app's executor, or canned answers in browser tests), and
    /// how the granted Graph permissions are read.
    pub sender: Sender,
    /// Sign out (called inside the click that confirmed it, so MSAL's popup may open).
    pub on_sign_out: Callback<()>,
    /// Go to another page of the app.
    pub on_navigate: Callback<String>,
}

fn random_salt() -> u64 {
    let hi = (js_sys::Math::random() * u32::MAX as f64) as u64;
    let lo = (js_sys::Math::random() * u32::MAX as f64) as u64;
    (hi << 32) | lo
}

/// The vault ID chosen last in this browser session (the only thing kept in sessionStorage).
fn remembered_vault() -> Option<String> {
    use gloo::storage::{SessionStorage, Storage};
    SessionStorage::raw()
        .get_item(crate::vault::LAST_VAULT_KEY)
        .ok()
        .flatten()
}

/// The wizard's state and its dispatcher; it starts once mounted (`Msg::Start`). `vault`: the
/// Key Vault step's settings, or `None` to run without it.
#[hook]
pub fn use_wizard(
    config: WizardConfig,
    hooks: Hooks,
    vault: Option<crate::vault::VaultConfig>,
) -> Handle<Wizard> {
    // The shell's clipboard guard, when there is one (the app has; browser tests may not).
    let clipboard = use_context::<crate::app::AppContext>().and_then(|a| a.clipboard);
    let sender = hooks.sender.clone();
    let handle = use_feature(
        move || {
            let remembered = vault.as_ref().and_then(|_| remembered_vault());
            Wizard::new(config, random_salt())
                .with_vault(crate::vault::VaultState::new(vault, remembered))
        },
        Some(sender),
        move |effect, ctx: &Ctx<Msg>| run(effect, ctx, &hooks, clipboard.as_ref()),
    );

    // beforeunload while leaving would lose the value (reload, close tab, typed URL).
    use_unload_guard(handle.state.borrow().needs_leave_guard());
    handle
}

fn answer(a: crate::runtime::Answer<super::shared::Call>) -> Msg {
    Msg::Response {
        call: a.call,
        seq: a.seq,
        outcome: a.outcome,
    }
}

/// Executes one effect; results come back through the runtime's dispatcher.
fn run(effect: Effect, ctx: &Ctx<Msg>, hooks: &Hooks, clipboard: Option<&crate::app::Clipboard>) {
    match effect {
        Effect::Send { call, seq, request } => ctx.send_watching_waits(
            crate::runtime::Outgoing { call, seq, request },
            answer,
            |call, seq, secs| Msg::Retrying { call, seq, secs },
        ),
        Effect::Debounce { token, millis } => ctx.after(millis, Msg::Choose(ChooseMsg::Due(token))),
        // The clipboard guard lives above the pages (`app::clipboard`): it outlives the wizard.
        Effect::ClipboardHolds(fingerprint) => {
            if let Some(c) = clipboard {
                c.copied(fingerprint);
            }
        }
        Effect::ClearClipboard => {
            if let Some(c) = clipboard {
                c.finished();
            }
        }
        Effect::VaultTimer { token, millis } => {
            let millis = u32::try_from(millis).unwrap_or(u32::MAX);
            ctx.after(millis, Msg::Vault(crate::vault::VaultMsg::TimerDue(token)))
        }
        Effect::RememberVault(id) => {
            use gloo::storage::{SessionStorage, Storage};
            // Best effort: a browser refusing storage only loses the pre-selection.
            let _ = SessionStorage::raw().set_item(crate::vault::LAST_VAULT_KEY, &id);
        }
        Effect::ReadGraphPermissions => {
            if let Some(read) = ctx.permissions() {
                let dispatch = ctx.dispatcher().clone();
                wasm_bindgen_futures::spawn_local(async move {
                    if let Some(granted) = read().await {
                        dispatch.emit(Msg::GraphPermissions(granted));
                    }
                });
            }
        }
        // The certificate's key pair and certificate (`crate::webcrypto`).
        Effect::MakeCertificate(order) => {
            let dispatch = ctx.dispatcher().clone();
            wasm_bindgen_futures::spawn_local(async move {
                let made = crate::webcrypto::make_certificate(order).await;
                dispatch.emit(Msg::Certificate(super::certificate::CertificateMsg::Made(
                    made,
                )));
            });
        }
        Effect::SignOut => hooks.on_sign_out.emit(()),
        Effect::Navigate(route) => hooks.on_navigate.emit(route),
    }
}
