//! The rotation page in the browser: runs the reducer's effects (requests through the app's
//! executor, the session in sessionStorage, opening the wizard) and renders its state.
//! Nothing here decides anything.

use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::dialog::removal_dialog;
use super::guide::RotationSession;
use super::state::{Effect, Msg, Rotation, RotationConfig};
use super::view_guide::guide_section;
use super::view_vault::vault_section;
use crate::app::use_app;
use crate::components::{ErrorPanel, Loading};
use crate::net::HttpRequest;
use crate::wizard::{local_now, Failure, Outcome, Prepared};

/// The sessionStorage slot of the rotation in progress (identifiers and a tick, no value).
pub const SESSION_KEY: &str = "secret-wizard.rotation";

fn storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

fn load_session() -> Option<RotationSession> {
    let text = storage()?.get_item(SESSION_KEY).ok().flatten()?;
    serde_json::from_str(&text).ok()
}

fn save_session(s: &RotationSession) {
    if let (Some(store), Ok(text)) = (storage(), serde_json::to_string(s)) {
        let _ = store.set_item(SESSION_KEY, &text);
    }
}

/// A request on its way.
type SendFuture = Pin<Box<dyn Future<Output = Outcome>>>;

/// How the page sends a request: the app's executor, or canned answers in browser tests.
#[derive(Clone)]
pub struct RotationSender(Rc<dyn Fn(HttpRequest) -> SendFuture>);

impl RotationSender {
    pub fn new<F, Fut>(f: F) -> Self
    where
        F: Fn(HttpRequest) -> Fut + 'static,
        Fut: Future<Output = Outcome> + 'static,
    {
        Self(Rc::new(move |req| Box::pin(f(req))))
    }
}

impl PartialEq for RotationSender {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct RotationPageProps {
    /// The app's object ID.
    pub app_object_id: AttrValue,
    /// Opens the wizard prepared: step 1 (Describe, vault and secret name chosen) and "Back to
    /// the app" (Review).
    pub on_prepare: Callback<Prepared>,
}

/// The page as the signed-in shell mounts it: config and the session from the app's context.
#[function_component(RotationPage)]
pub fn rotation_page(props: &RotationPageProps) -> Html {
    let ctx = use_app();
    let config = RotationConfig {
        graph_base: ctx.config.graph_base().to_string(),
        arm_base: ctx.config.arm_base().to_string(),
        vault: ctx.config.vault.clone(),
    };
    let sender = {
        let session = ctx.session.clone();
        use_memo(Rc::as_ptr(&session) as usize, move |_| {
            RotationSender::new(move |req: HttpRequest| {
                let session = session.clone();
                async move {
                    use crate::http::{send, NetError};
                    send(&session, &req).await.map_err(|e| match e {
                        NetError::Auth(a) => Failure::Auth(a.user_message()),
                        // Refused before sending: nothing happened at the service.
                        e @ NetError::ForeignDestination { .. } => Failure::Auth(e.user_message()),
                        NetError::Network { .. } | NetError::Timeout { .. } => Failure::Network,
                    })
                }
            })
        })
    };
    html! {
        <RotationFlow config={config} app_object_id={props.app_object_id.clone()}
            sender={(*sender).clone()} on_prepare={props.on_prepare.clone()} />
    }
}

#[derive(Properties, PartialEq, Clone)]
pub struct RotationFlowProps {
    pub config: RotationConfig,
    pub app_object_id: AttrValue,
    pub sender: RotationSender,
    pub on_prepare: Callback<Prepared>,
}

fn run(effect: Effect, dispatch: &Callback<Msg>, props: &RotationFlowProps) {
    match effect {
        Effect::Send { call, seq, request } => {
            let send = props.sender.0.clone();
            let dispatch = dispatch.clone();
            spawn_local(async move {
                let outcome = send(request).await;
                dispatch.emit(Msg::Response { call, seq, outcome });
            });
        }
        Effect::SaveSession(s) => save_session(&s),
        Effect::OpenWizard(p) => props.on_prepare.emit(p),
    }
}

/// The page's content for one app (browser tests mount this with canned answers).
#[function_component(RotationFlow)]
pub fn rotation_flow(props: &RotationFlowProps) -> Html {
    let state = {
        let (config, id) = (props.config.clone(), props.app_object_id.to_string());
        use_mut_ref(move || Rotation::new(config, &id, load_session()))
    };
    let rerender = use_force_update();
    // The dispatcher reads the latest props through a cell, so it can stay one Callback.
    let props_cell: Rc<RefCell<Option<RotationFlowProps>>> = use_mut_ref(|| None);
    *props_cell.borrow_mut() = Some(props.clone());
    let dispatch = {
        let (state, props_cell) = (state.clone(), props_cell.clone());
        use_memo((), move |_| {
            let slot: Rc<RefCell<Option<Callback<Msg>>>> = Rc::new(RefCell::new(None));
            let weak = Rc::downgrade(&slot);
            let cb = Callback::from(move |msg: Msg| {
                let effects = state.borrow_mut().update(msg, local_now());
                rerender.force_update();
                let Some(me) = weak.upgrade().and_then(|d| d.borrow().clone()) else {
                    return;
                };
                let Some(props) = props_cell.borrow().clone() else {
                    return;
                };
                for effect in effects {
                    run(effect, &me, &props);
                }
            });
            *slot.borrow_mut() = Some(cb.clone());
            (cb, slot)
        })
    };
    let d = dispatch.0.clone();
    {
        let d = d.clone();
        use_effect_with((), move |_| d.emit(Msg::Start));
    }

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
                <ErrorPanel title="The app couldn't be read" message={p.message.clone()}
                    details={p.details.clone().map(AttrValue::from)}>
                    <button type="button" class="button button-secondary"
                        onclick={d.reform(|_| Msg::Reload)}>{ "Try again" }</button>
                </ErrorPanel>
            }
            if r.app.is_none() && r.app_loading {
                <Loading text="Reading the app's secrets…" />
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
