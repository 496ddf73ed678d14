//! The rotation page in the browser: runs the reducer's effects (requests through the app's
//! executor, the session in sessionStorage, opening the wizard) and renders its state.
//! Nothing here decides anything.

use yew::prelude::*;

use super::dialog::removal_dialog;
use super::guide::RotationSession;
use super::state::{Effect, Msg, Rotation, RotationConfig};
use super::view_guide::guide_section;
use super::view_vault::vault_section;
use crate::components::{loading, problem_panel};
use crate::runtime::{local_now, use_feature, Ctx};
use crate::wizard::Prepared;

/// How the page sends a request: the app's executor, or canned answers in browser tests (the
/// runtime's one [`Sender`](crate::runtime::Sender)).
pub use crate::runtime::Sender as RotationSender;

/// The sessionStorage slot of the rotation in progress (identifiers and a tick, no value).
pub const SESSION_KEY: &str = "secret-wizard.rotation";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

fn load_session() -> Option<RotationSession> {
    let text = storage()?.get_item(SESSION_KEY).ok().flatten()?;
    RotationSession::from_json(&text)
}

fn save_session(s: &RotationSession) {
    if let Some(store) = storage() {
        let _ = store.set_item(SESSION_KEY, &s.to_json());
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct RotationFlowProps {
    pub config: RotationConfig,
    /// The app's object ID.
    pub app_object_id: AttrValue,
    /// The app's executor (the page bar passes the signed-in session's), or canned answers.
    pub sender: RotationSender,
    /// Opens the wizard prepared: step 1 (Describe, vault and secret name chosen) and "Back to
    /// the app" (Review).
    pub on_prepare: Callback<Prepared>,
}

fn run(effect: Effect, ctx: &Ctx<Msg>, props: &RotationFlowProps) {
    match effect {
        Effect::Send(out) => ctx.send(out, Msg::Response),
        Effect::SaveSession(s) => save_session(&s),
        Effect::OpenWizard(p) => props.on_prepare.emit(p),
    }
}

/// The rotation page for one app: the page bar mounts it with config.json's settings and the
/// session's sender, browser tests with canned answers.
#[function_component(RotationFlow)]
pub fn rotation_flow(props: &RotationFlowProps) -> Html {
    let (config, id) = (props.config.clone(), props.app_object_id.to_string());
    let shell = props.clone();
    let handle = use_feature(
        move || Rotation::new(config, &id, load_session()),
        Some(props.sender.clone()),
        move |effect, ctx: &Ctx<Msg>| run(effect, ctx, &shell),
    );
    let (state, d) = (handle.state, handle.dispatch);

    let r = state.borrow();
    let now = local_now();
    let title = r.app.as_ref().map_or_else(
        || "Rotate a secret".to_string(),
        |a| format!("Rotate a secret: {}", a.display_name),
    );
    let back = r.app.as_ref().map(|a| {
        let (on_prepare, app_id) = (props.on_prepare.clone(), a.app_id.clone());
        Callback::from(move |_: MouseEvent| {
            on_prepare.emit(Prepared {
                app_id: app_id.clone(),
                choice: None,
                describe: false,
                vault_id: None,
                vault_from_link: false,
                secret_name: None,
                note: None,
            })
        })
    });
    html! {
        <main class="page" id="main">
            <h1>{ title }</h1>
            <p class="lead">
                { "Rotate with overlap: add a new secret, store it as a new version of the same \
                   vault secret, move every consumer to it, then remove the old one. Nothing is \
                   removed without your explicit confirmation." }
            </p>
            if let Some(a) = &r.app {
                <dl class="facts">
                    <dt>{ "Application (client) ID" }</dt><dd><code class="copyable">{ a.app_id.clone() }</code></dd>
                    <dt>{ "Object ID" }</dt><dd><code class="copyable">{ a.id.clone() }</code></dd>
                </dl>
            }
            if let Some(p) = &r.app_problem {
                { problem_panel("The app couldn't be read".into(), p, html! {
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| Msg::Reload)}>{ "Try again" }</button>
                }) }
            }
            if r.app.is_none() && r.app_loading {
                { loading("Reading the app's secrets…".into()) }
            }
            if r.app.is_some() {
                { guide_section(&r, &now, &d) }
                { vault_section(&r, &now, &d) }
            }
            <div class="actions">
                if let Some(back) = back {
                    <button type="button" class="button button-secondary" onclick={back}>
                        { "Back to the app" }
                    </button>
                }
            </div>
            { removal_dialog(&r.removal, &d) }
        </main>
    }
}
