//! The removal dialogs: the first names the secret (description and keyId), the second warns
//! that the app will have no valid secret. Each needs its own tick before its button works.
//! (`components::ConfirmDialog` has no tick box, so this is its sibling, with the same look.)

use yew::prelude::*;

use super::removal::{confirm_text, describe, Confirmations, Removal, LAST_ACTIVE_TEXT};
use super::state::Msg;

#[derive(Properties, PartialEq)]
pub struct TickDialogProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub tick_label: AttrValue,
    pub ticked: bool,
    pub confirm_label: AttrValue,
    pub dispatch: Callback<Msg>,
}

/// A modal `alertdialog`: Cancel is focused first, Escape and the backdrop cancel, and the
/// confirm button stays disabled until the box is ticked.
#[function_component(TickDialog)]
pub fn tick_dialog(props: &TickDialogProps) -> Html {
    let cancel_ref = use_node_ref();
    {
        let cancel_ref = cancel_ref.clone();
        use_effect_with(props.title.clone(), move |_| {
            if let Some(b) = cancel_ref.cast::<web_sys::HtmlElement>() {
                let _ = b.focus();
            }
        });
    }
    let d = &props.dispatch;
    let on_keydown = {
        let d = d.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                d.emit(Msg::Cancel);
            }
        })
    };
    let on_tick = d.reform(|e: Event| Msg::Tick(is_ticked(&e)));
    html! {
        <div class="dialog-backdrop">
            <div class="dialog" role="alertdialog" aria-modal="true"
                aria-labelledby="removal-title" aria-describedby="removal-message"
                onkeydown={on_keydown}>
                <h2 id="removal-title">{ props.title.clone() }</h2>
                <p id="removal-message">{ props.message.clone() }</p>
                <label class="field">
                    <input type="checkbox" checked={props.ticked} onchange={on_tick} />
                    { " " }{ props.tick_label.clone() }
                </label>
                <div class="actions">
                    <button type="button" class="button button-secondary" ref={cancel_ref}
                        onclick={d.reform(|_| Msg::Cancel)}>{ "Cancel" }</button>
                    <button type="button" class="button button-danger" disabled={!props.ticked}
                        onclick={d.reform(|_| Msg::Confirm)}>{ props.confirm_label.clone() }</button>
                </div>
            </div>
        </div>
    }
}

/// Whether the checkbox the event came from is ticked.
fn is_ticked(e: &Event) -> bool {
    use wasm_bindgen::JsCast;
    e.target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        .is_some_and(|i| i.checked())
}

/// The dialog for the removal's current stage, if one is open.
pub fn removal_dialog(removal: &Removal, d: &Callback<Msg>) -> Html {
    match removal {
        Removal::Confirm {
            credential,
            ticked,
            confirmations,
        } => {
            let confirm_label = match confirmations {
                Confirmations::One => "Remove secret",
                Confirmations::Two => "Continue",
            };
            html! {
                <TickDialog title="Remove this secret?" message={confirm_text(credential)}
                    tick_label={format!("I understand that \u{201c}{}\u{201d} (keyId {}) stops working at once.",
                        describe(credential), credential.key_id)}
                    ticked={*ticked} confirm_label={confirm_label} dispatch={d.clone()} />
            }
        }
        Removal::ConfirmLast { ticked, .. } => html! {
            <TickDialog title="Remove the app's last working secret?" message={LAST_ACTIVE_TEXT}
                tick_label="I understand: this app will have no valid secret."
                ticked={*ticked} confirm_label="Remove the last secret" dispatch={d.clone()} />
        },
        _ => html! {},
    }
}
