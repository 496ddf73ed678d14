//! Done's Key Vault result: the secret URI with its version and ready-to-paste references,
//! each with a copy button. Never the value.

use yew::prelude::*;

use super::copy::CopyText;
use crate::vault::{env_lines, StoredRef};

#[derive(Properties, PartialEq)]
pub struct StoredReferencesProps {
    pub stored: StoredRef,
    pub client_id: AttrValue,
    pub tenant_id: AttrValue,
}

fn snippet(id: &str, label: &str, what: &str, text: String) -> Html {
    html! {
        <div class="field reference">
            <span class="secret-label" id={format!("{id}-label")}>{ label.to_string() }</span>
            // tabindex: a long line scrolls sideways, and a keyboard must be able to scroll it too.
            <pre class="snippet" tabindex="0" aria-labelledby={format!("{id}-label")}><code data-testid={id.to_string()}>{ text.clone() }</code></pre>
            <CopyText text={text} what={what.to_string()} />
        </div>
    }
}

#[function_component(StoredReferences)]
pub fn stored_references(props: &StoredReferencesProps) -> Html {
    let s = &props.stored;
    html! {
        <section class="stored" aria-labelledby="stored-title" data-testid="stored">
            <h3 id="stored-title">{ "Stored in Key Vault" }</h3>
            <p role="status">
                { format!(
                    "The secret is in {} as \"{}\" (version {}), stored through {}.",
                    s.vault_name, s.secret_name, s.version(), s.path.label()
                ) }
            </p>
            { snippet("stored-uri", "Secret URI (with version)", "the secret URI", s.uri_with_version.clone()) }
            { snippet(
                "stored-reference",
                "App Service / Functions Key Vault reference",
                "the Key Vault reference",
                s.app_service_reference(),
            ) }
            { snippet(
                "stored-az",
                "Read it with the Azure CLI (run this where you're signed in)",
                "the Azure CLI command",
                s.az_command(),
            ) }
            { snippet(
                "stored-env",
                "Environment variables for the app's identity",
                "the environment variable lines",
                env_lines(&props.client_id, &props.tenant_id),
            ) }
        </section>
    }
}
