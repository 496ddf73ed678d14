//! A confirmation of our own (not `window.confirm`): a modal `role="alertdialog"` that says
//! what will happen, with the safe choice focused first. Escape cancels. With a tick box
//! (`tick_label`), the confirm button stays disabled until it is ticked (the rotation page's
//! removals).

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ConfirmDialogProps {
    pub title: AttrValue,
    pub message: AttrValue,
    pub confirm_label: AttrValue,
    #[prop_or(AttrValue::Static("Cancel"))]
    pub cancel_label: AttrValue,
    /// The confirm button looks dangerous (it loses or removes something).
    #[prop_or(true)]
    pub danger: bool,
    pub on_confirm: Callback<()>,
    pub on_cancel: Callback<()>,
    /// A tick box the user must tick before confirming ("I understand that …").
    #[prop_or_default]
    pub tick_label: Option<AttrValue>,
    /// Whether the tick box is ticked.
    #[prop_or_default]
    pub ticked: bool,
    /// The tick box changed (its new state).
    #[prop_or_default]
    pub on_tick: Callback<bool>,
    /// Shown under the message (a list of what the action affects, for example).
    #[prop_or_default]
    pub children: Html,
}

#[function_component(ConfirmDialog)]
pub fn confirm_dialog(props: &ConfirmDialogProps) -> Html {
    let cancel_ref = use_node_ref();
    {
        // Cancel takes the focus again when the question changes (the rotation page's second
        // removal question replaces the first in the same dialog).
        let cancel_ref = cancel_ref.clone();
        use_effect_with(props.title.clone(), move |_| {
            if let Some(button) = cancel_ref.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let on_keydown = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                e.prevent_default();
                cancel.emit(());
            }
        })
    };
    let confirm = props.on_confirm.reform(|_: MouseEvent| ());
    let cancel = props.on_cancel.reform(|_: MouseEvent| ());
    // A click on the backdrop itself (not the box) cancels, like Escape.
    let on_backdrop = {
        let cancel = props.on_cancel.clone();
        Callback::from(move |e: MouseEvent| {
            let on_self = e
                .target()
                .zip(e.current_target())
                .is_some_and(|(t, c)| t.unchecked_ref::<web_sys::Element>() == c.unchecked_ref());
            if on_self {
                cancel.emit(());
            }
        })
    };
    let on_tick = props.on_tick.reform(|e: Event| {
        e.target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|i| i.checked())
    });
    let confirm_class = if props.danger {
        "button button-danger"
    } else {
        "button button-primary"
    };
    html! {
        <div class="dialog-backdrop" onclick={on_backdrop}>
            <div class="dialog" role="alertdialog" aria-modal="true"
                aria-labelledby="confirm-title" aria-describedby="confirm-message"
                onkeydown={on_keydown}>
                <h2 id="confirm-title">{ props.title.clone() }</h2>
                <p id="confirm-message">{ props.message.clone() }</p>
                { props.children.clone() }
                if let Some(label) = &props.tick_label {
                    <label class="field">
                        <input type="checkbox" checked={props.ticked} onchange={on_tick} />
                        { " " }{ label.clone() }
                    </label>
                }
                <div class="actions">
                    <button type="button" class="button button-secondary" ref={cancel_ref}
                        onclick={cancel}>
                        { props.cancel_label.clone() }
                    </button>
                    <button type="button" class={confirm_class} onclick={confirm}
                        disabled={props.tick_label.is_some() && !props.ticked}>
                        { props.confirm_label.clone() }
                    </button>
                </div>
            </div>
        </div>
    }
}
