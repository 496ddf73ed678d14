//! The wizard on screen: the stepper, the current step, and the "leave without the value?"
//! dialog. Reads the reducer's state; every action is a [`Msg`].

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use yew::prelude::*;

use super::choose::view::ChooseStep;
use super::creating::view::creating_step;
use super::describe::view::DescribeStep;
use super::done::view::DoneStep;
use super::hook::{use_wizard, Hooks};
use super::msg::Msg;
use super::prepared::Prepared;
use super::recovery::view::RecoveryStep;
use super::review::view::ReviewStep;
use super::shared::{Call, Leave, WizardConfig};
use super::show_once::view::ShowOnceStep;
use super::state::Wizard;
use super::step::{Step, STEP_LABELS};
use crate::components::{ConfirmDialog, SharedSecret};
use crate::runtime::{local_now, Now};

/// Lets the shell's own controls (the header's Sign out) go through the wizard while leaving
/// would lose a value. Provide one above both; the wizard arms it.
#[derive(Clone, Default)]
pub struct LeaveGuard {
    armed: Rc<Cell<bool>>,
    handler: Rc<RefCell<Option<Callback<Leave>>>>,
}

impl PartialEq for LeaveGuard {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.armed, &other.armed)
    }
}

impl LeaveGuard {
    /// When leaving now would lose a value, hands `leave` to the wizard (which asks the user
    /// and, if confirmed, performs it) and returns true. Otherwise returns false: go ahead.
    pub fn intercept(&self, leave: Leave) -> bool {
        let handler = self.handler.borrow().clone();
        match handler {
            Some(h) if self.armed.get() => {
                h.emit(leave);
                true
            }
            _ => false,
        }
    }

    fn set(&self, armed: bool, handler: Option<Callback<Leave>>) {
        self.armed.set(armed);
        *self.handler.borrow_mut() = handler;
    }
}

#[derive(Properties, PartialEq)]
pub struct WizardFlowProps {
    pub config: WizardConfig,
    pub hooks: Hooks,
    /// Start prepared for an app (hand-off link, expiry overview); see `wizard::prepared`.
    #[prop_or_default]
    pub prepared: Option<Prepared>,
    /// The Key Vault step's settings; by default from the app's config.json (none: no step).
    #[prop_or_default]
    pub vault: Option<crate::vault::VaultConfig>,
}

/// The whole wizard. Dropping it (unmount) drops the state, and with it any value.
#[function_component(WizardFlow)]
pub fn wizard_flow(props: &WizardFlowProps) -> Html {
    let app = use_context::<crate::app::AppContext>();
    // The sign-in's `wids` (directory role template IDs; empty unless the registration asks for
    // them), one source of "who may add a secret" (`domain::access`).
    let token_roles: Vec<String> = app
        .as_ref()
        .and_then(|a| a.account.as_ref())
        .map(|a| a.wids.clone())
        .unwrap_or_default();
    let vault = props
        .vault
        .clone()
        .or_else(|| app.map(|a| crate::vault::VaultConfig::from_config(&a.config)));
    let handle = use_wizard(props.config.clone(), props.hooks.clone(), vault);
    let d = handle.dispatch.clone();
    {
        let d = d.clone();
        use_effect_with(token_roles, move |wids| {
            d.emit(Msg::TokenRoles(wids.clone()))
        });
    }
    {
        let d = d.clone();
        use_effect_with(props.prepared.clone(), move |p| {
            if let Some(p) = p {
                d.emit(Msg::Prepare(p.clone()));
            }
        });
    }
    let w = handle.state.borrow();

    let guard = use_context::<LeaveGuard>();
    if let Some(g) = &guard {
        g.set(w.needs_leave_guard(), Some(d.reform(Msg::Leave)));
    }
    use_effect_with((), move |_| {
        move || {
            if let Some(g) = guard {
                g.set(false, None);
            }
        }
    });

    let now = local_now();
    let labels: Vec<AttrValue> = STEP_LABELS.iter().map(|l| AttrValue::Static(l)).collect();
    html! {
        <div class="wizard">
            { crate::components::stepper(&labels, w.step().index()) }
            if let Some(note) = w.prepared_note() {
                <p class="notice prepared-note" role="status">{ note.to_string() }</p>
            }
            if let Some(p) = w.user().me_problem() {
                <p class="notice notice-warning" role="status">
                    { format!("We couldn't read your profile ({}); the default description won't name you.", p.message) }
                </p>
            }
            if let Some((call, secs)) = w.retrying() {
                <p class="notice" role="status">
                    { match call {
                        Call::Vault(_) => crate::vault::problem::retrying("Azure", secs),
                        _ => crate::graph::GraphError::retrying_message(secs),
                    } }
                </p>
            }
            { step_view(&w, &d, now) }
            if w.leave_pending().is_some() {
                if matches!(w.step(), Step::Certificate(_)) {
                    <ConfirmDialog title="Leave before the certificate is stored?"
                        message="The certificate's private key exists only in this page until it is \
                                 stored in Key Vault. If you leave now it is lost for good: the app may \
                                 keep a certificate nobody can use (remove it in the Entra admin center, \
                                 Certificates & secrets)."
                        confirm_label="Leave and lose the key" cancel_label="Stay"
                        on_confirm={d.reform(|_| Msg::ConfirmLeave)}
                        on_cancel={d.reform(|_| Msg::CancelLeave)} />
                } else {
                    <ConfirmDialog title="Leave without the secret?"
                        message="You haven't copied the secret's value. If you leave now it is lost \
                                 for good, and you'd have to create a new secret."
                        confirm_label="Leave and lose it" cancel_label="Stay"
                        on_confirm={d.reform(|_| Msg::ConfirmLeave)}
                        on_cancel={d.reform(|_| Msg::CancelLeave)} />
                }
            }
        </div>
    }
}

fn step_view(w: &Wizard, d: &Callback<Msg>, now: Now) -> Html {
    let review = w.review();
    let app_name = || {
        AttrValue::from(
            review
                .map(|r| r.app().display_name.clone())
                .unwrap_or_default(),
        )
    };
    let client_id = || AttrValue::from(review.map(|r| r.app().app_id.clone()).unwrap_or_default());
    let tenant_id = AttrValue::from(w.config().tenant_id.clone());
    let vd = d.reform(Msg::Vault);
    let leave = d.reform(Msg::Leave);
    match (w.step(), review) {
        (Step::Choose, _) => {
            let c = w.choose();
            html! {
                <ChooseStep tab={c.tab()} input={AttrValue::from(c.input().to_string())}
                    listing={c.visible().clone()} now={now} dispatch={d.reform(Msg::Choose)} />
            }
        }
        (Step::Review, Some(ctx)) => html! {
            <ReviewStep ctx={ctx.clone()} access={w.access()} can_create={w.can_create()}
                now={now} dispatch={d.reform(Msg::Review)} leave={leave}
                remove={d.reform(Msg::RemoveSecret)} federated={d.reform(Msg::Federated)} />
        },
        (Step::Federated(s), _) => {
            super::federated::view::federated_step(s, &d.reform(Msg::Federated), &leave)
        }
        (Step::Describe(form), _) => html! {
            <DescribeStep app_name={app_name()} form={form.clone()} config={w.config().clone()}
                vault={w.vault().clone()} vault_dispatch={vd} now={now}
                dispatch={d.reform(Msg::Describe)} leave={leave} />
        },
        (Step::Creating(_), _) => creating_step(),
        (Step::ShowOnce(s), _) => html! {
            <ShowOnceStep secret={SharedSecret(s.secret().clone())} credential={s.credential().clone()}
                client_id={client_id()} tenant_id={tenant_id} copied={s.is_copied()}
                copy_problem={s.copy_problem().map(AttrValue::from)}
                duplicates={s.duplicates().clone()} app_name={app_name()} vault={w.vault().clone()}
                vault_dispatch={vd} now={now} dispatch={d.reform(Msg::ShowOnce)} leave={leave}
                choosing_vault={s.choosing_vault()} />
        },
        (Step::Recovery(r), _) => html! {
            <RecoveryStep state={(**r).clone()} now={now} dispatch={d.reform(Msg::Recovery)}
                leave={leave} />
        },
        (Step::Certificate(c), _) => crate::wizard::certificate::view::certificate_step(
            c,
            app_name(),
            w.vault(),
            &vd,
            &d.reform(Msg::Certificate),
        ),
        (Step::Done(done), _) => html! {
            <DoneStep credential={done.credential().clone()} app_name={app_name()}
                certificate={done.certificate().cloned()}
                leftover_duplicates={done.leftover_duplicates().to_vec()}
                client_id={client_id()} tenant_id={tenant_id} stored={done.stored().cloned()}
                workload={done.workload().clone()} language={done.language()}
                vault_uri={done.vault_uri().map(AttrValue::from)} dispatch={d.reform(Msg::Done)}
                now={now} leave={leave} />
        },
        (Step::Review, None) => html! {},
    }
}
