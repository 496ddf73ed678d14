//! The removal dialogs: the first names the secret (description and keyId), the second warns
//! that the app will have no valid secret. Each needs its own tick before its button works
//! (`components::ConfirmDialog` with a tick box).

use yew::prelude::*;

use super::removal::{confirm_text, describe, Confirmations, Removal, LAST_ACTIVE_TEXT};
use super::state::Msg;
use crate::components::ConfirmDialog;

/// The dialog for the removal's current stage, if one is open.
pub fn removal_dialog(removal: &Removal, d: &Callback<Msg>) -> Html {
    let (title, message, tick_label, ticked, confirm_label): (_, AttrValue, AttrValue, _, _) =
        match removal {
            Removal::Confirm {
                credential,
                ticked,
                confirmations,
            } => (
                "Remove this secret?",
                confirm_text(credential).into(),
                format!(
                    "I understand that \u{201c}{}\u{201d} (keyId {}) stops working at once.",
                    describe(credential),
                    credential.key_id
                )
                .into(),
                *ticked,
                match confirmations {
                    Confirmations::One => "Remove secret",
                    Confirmations::Two => "Continue",
                },
            ),
            Removal::ConfirmLast { ticked, .. } => (
                "Remove the app's last working secret?",
                LAST_ACTIVE_TEXT.into(),
                "I understand: this app will have no valid secret.".into(),
                *ticked,
                "Remove the last secret",
            ),
            _ => return html! {},
        };
    html! {
        <ConfirmDialog title={title} message={message} confirm_label={confirm_label}
            tick_label={tick_label} ticked={ticked} on_tick={d.reform(Msg::Tick)}
            on_confirm={d.reform(|()| Msg::Confirm)} on_cancel={d.reform(|()| Msg::Cancel)} />
    }
}
