//! Step 6, Done: what was created (never its value) and what to do next.

use yew::prelude::*;

use super::super::shared::Leave;
use crate::domain::expiry::expiry_phrase;
use crate::graph::PasswordCredential;
use crate::runtime::Now;
use crate::vault::view::StoredReferences;
use crate::vault::StoredRef;

#[derive(Properties, PartialEq)]
pub struct DoneProps {
    pub credential: PasswordCredential,
    #[prop_or_default]
    pub leftover_duplicates: Vec<PasswordCredential>,
    pub app_name: AttrValue,
    pub client_id: AttrValue,
    pub tenant_id: AttrValue,
    /// Where the secret was stored in Key Vault, if it was.
    #[prop_or_default]
    pub stored: Option<StoredRef>,
    pub now: Now,
    pub leave: Callback<Leave>,
}

#[function_component(DoneStep)]
pub fn done_step(props: &DoneProps) -> Html {
    let c = &props.credential;
    html! {
        <section class="wizard-step" aria-labelledby="done-title">
            <h2 id="done-title">{ "Secret created" }</h2>
            <p role="status">
                { format!(
                    "The secret \"{}\" (Secret ID {}) was added to {}. {}. Its value is gone from this page.",
                    c.display_name.clone().unwrap_or_default(),
                    c.key_id,
                    props.app_name,
                    expiry_phrase(c.end_date_time, &props.now)
                ) }
            </p>
            if !props.leftover_duplicates.is_empty() {
                <p class="notice notice-warning" role="note">
                    { format!(
                        "A duplicate of this secret is still on the app (Secret ID {}); nobody has \
                         its value. Remove it from the app's credentials.",
                        props.leftover_duplicates.iter().map(|c| c.key_id.as_str()).collect::<Vec<_>>().join(", ")
                    ) }
                </p>
            }
            <h3>{ "Next steps" }</h3>
            <ol>
                <li>{ "Update everything that signs in as this app to use the new secret." }</li>
                <li>{ "Check that they work, then remove the old secret from the app's credentials." }</li>
            </ol>
            if let Some(stored) = &props.stored {
                <StoredReferences stored={stored.clone()} client_id={props.client_id.clone()}
                    tenant_id={props.tenant_id.clone()} />
            } else {
                <p>{ "The app's identifiers, for configuration:" }</p>
                <pre class="snippet" tabindex="0" aria-label="The app's identifiers"><code>
                    { format!("AZURE_CLIENT_ID={}\nAZURE_TENANT_ID={}", props.client_id, props.tenant_id) }
                </code></pre>
            }
            <div class="actions">
                <button type="button" class="button button-secondary"
                    onclick={props.leave.reform(|_| Leave::BackToSearch)}>
                    { "Choose another app" }
                </button>
                <button type="button" class="button button-primary"
                    onclick={props.leave.reform(|_| Leave::BackToApp)}>
                    { format!("Back to {}", props.app_name) }
                </button>
            </div>
        </section>
    }
}
