//! Step 5, Show once: the value (masked, Reveal, Copy) with everything needed beside it, and
//! the notice that it won't be shown again. Finish drops the value from state and page.
//!
//! Issue 5 ("Store in Key Vault") adds its primary action to this step's actions.

use yew::prelude::*;

use crate::components::{SecretField, SharedSecret};
use crate::domain::expiry::expiry_phrase;
use crate::graph::PasswordCredential;
use crate::wizard::{Leave, Msg, Now};

#[derive(Properties, PartialEq)]
pub struct ShowOnceProps {
    pub secret: SharedSecret,
    pub credential: PasswordCredential,
    pub client_id: AttrValue,
    pub tenant_id: AttrValue,
    pub copied: bool,
    #[prop_or_default]
    pub copy_problem: Option<AttrValue>,
    pub now: Now,
    pub dispatch: Callback<Msg>,
}

#[function_component(ShowOnceStep)]
pub fn show_once_step(props: &ShowOnceProps) -> Html {
    let d = &props.dispatch;
    let c = &props.credential;
    html! {
        <section class="wizard-step show-once" aria-labelledby="show-once-title">
            <h2 id="show-once-title">{ "Your new secret" }</h2>
            <div class="notice notice-warning" role="note">
                <p>
                    <strong>{ "You will not see this value again." }</strong>
                    { " Copy it now into the place that needs it (a key vault, a pipeline secret). \
                       When you leave this page it is gone; if it's lost, create a new secret." }
                </p>
            </div>
            <SecretField secret={props.secret.clone()} label="Secret value" copied={props.copied}
                on_copied={d.reform(|_| Msg::Copied)}
                on_copy_failed={d.reform(|_| Msg::CopyFailed)} />
            if let Some(problem) = &props.copy_problem {
                <p class="field-error" role="alert">{ problem.clone() }</p>
            }
            <dl class="facts">
                <dt>{ "Secret ID" }</dt>
                <dd><code class="copyable" data-testid="secret-key-id">{ c.key_id.clone() }</code></dd>
                <dt>{ "Description" }</dt>
                <dd>{ c.display_name.clone().unwrap_or_default() }</dd>
                <dt>{ "Expires" }</dt>
                <dd>{ expiry_phrase(c.end_date_time, &props.now) }</dd>
                <dt>{ "Application (client) ID" }</dt>
                <dd><code class="copyable">{ props.client_id.clone() }</code></dd>
                <dt>{ "Directory (tenant) ID" }</dt>
                <dd><code class="copyable">{ props.tenant_id.clone() }</code></dd>
            </dl>
            <div class="actions">
                <button type="button" class="button button-primary"
                    onclick={d.reform(|_| Msg::Leave(Leave::Finish))}>
                    { "Finish" }
                </button>
            </div>
        </section>
    }
}
