//! Done's Key Vault result: the secret URI with its version and ready-to-paste references,
//! each with a copy button, only when the URI has the shape of a secret of the vault written to
//! (`StoredRef::uri_checked`); the Azure CLI command quotes it. Never the value.

use yew::prelude::*;

use super::copy::CopyText;
use crate::vault::{env_lines, StoredRef, WritePath};

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
            if let (Some(uri), Some(reference), Some(command)) =
                (s.checked_uri(), s.app_service_reference(), s.az_command())
            {
                { snippet("stored-uri", "Secret URI (with version)", "the secret URI", uri.to_string()) }
                { snippet(
                    "stored-reference",
                    "App Service / Functions Key Vault reference",
                    "the Key Vault reference",
                    reference,
                ) }
                { snippet(
                    "stored-az",
                    "Read it with the Azure CLI (run this where you're signed in)",
                    "the Azure CLI command",
                    command,
                ) }
            } else {
                <p class="notice notice-warning" role="note" data-testid="stored-uri-unchecked">
                    { format!(
                        "{} answered with a secret URI that isn't the shape of a secret in {}, so \
                         no reference or command is offered. Find \"{}\" in the vault (Azure \
                         portal: the vault's Secrets) and copy its URI from there.",
                        match s.path {
                            WritePath::Arm => "Azure Resource Manager",
                            WritePath::DataPlane => "Key Vault",
                        },
                        s.vault_name, s.secret_name
                    ) }
                </p>
            }
            { snippet(
                "stored-env",
                "Environment variables for the app's identity",
                "the environment variable lines",
                env_lines(&props.client_id, &props.tenant_id),
            ) }
        </section>
    }
}
