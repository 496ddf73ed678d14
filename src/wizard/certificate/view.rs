//! The certificate's run on screen (where Creating is): what is happening, never the key; the
//! vault's store panel when storing needs the user (a failure, "Try again", removing the new
//! certificate); "Check again" when it isn't known whether Graph added it.

use yew::prelude::*;

use super::{CertificateMsg, CertificateState, Phase};
use crate::vault::view::StorePanel;
use crate::vault::{VaultMsg, VaultState};

/// The step's component as a plain function (no state of its own).
pub fn certificate_step(
    s: &CertificateState,
    app_name: AttrValue,
    vault: &VaultState,
    vault_dispatch: &Callback<VaultMsg>,
    dispatch: &Callback<CertificateMsg>,
) -> Html {
    let doing = match s.phase() {
        Phase::Making => format!(
            "Making an RSA {}-bit key pair and the certificate in your browser…",
            s.order().key_size
        ),
        Phase::Reading | Phase::Adding => format!("Adding the certificate to {app_name}…"),
        Phase::Verifying { .. } => format!("Checking {app_name}'s certificates…"),
        Phase::Unsure => String::new(),
        Phase::Storing => "Storing the private key and certificate in Key Vault…".into(),
    };
    let storing = *s.phase() == Phase::Storing;
    // While storing, the vault's panel says how it goes.
    let busy = !doing.is_empty() && !storing;
    html! {
        <section class="wizard-step" aria-labelledby="certificate-title" data-testid="certificate-step">
            <h2 id="certificate-title">{ "Creating the certificate" }</h2>
            if let Some(thumbprint) = s.thumbprint() {
                <p class="hint">{ "Thumbprint " }<code data-testid="certificate-thumbprint">{ thumbprint.to_string() }</code></p>
            }
            if busy {
                { crate::components::loading(AttrValue::from(format!("{doing} Please keep this tab open."))) }
            }
            if let Some(p) = s.problem() {
                { crate::components::error_panel(
                    AttrValue::from("Not finished"),
                    AttrValue::from(p.message.clone()),
                    p.details.clone().map(AttrValue::from),
                    if *s.phase() == Phase::Unsure {
                        html! { <button type="button" class="button button-primary"
                            onclick={dispatch.reform(|_| CertificateMsg::CheckAgain)}>
                            { "Check again" }
                        </button> }
                    } else {
                        html! {}
                    },
                ) }
            }
            if storing {
                <StorePanel state={vault.clone()} dispatch={vault_dispatch.clone()} app_name={app_name} certificate=true />
            }
        </section>
    }
}

/// Done's heading for a certificate: what was made (never the key), and where the PEM is.
pub fn certificate_done(
    cert: &crate::wizard::done::CertificateFacts,
    props: &crate::wizard::done::view::DoneProps,
) -> Html {
    html! {
        <>
            <h2 id="done-title">{ "Certificate created" }</h2>
            <p role="status" data-testid="certificate-done">
                { format!(
                    "The certificate {} was added to {}. {}. Its private key went straight to Key \
                     Vault with the certificate (one PEM secret); it was never on this page.",
                    cert.subject,
                    props.app_name,
                    crate::domain::expiry::expiry_phrase(Some(cert.not_after), &props.now)
                ) }
            </p>
            <dl class="facts">
                <dt>{ "Thumbprint" }</dt>
                <dd><code data-testid="done-thumbprint">{ cert.thumbprint.clone() }</code></dd>
                <dt>{ "Expires" }</dt>
                <dd data-testid="done-expires">{ crate::wizard::format::date(Some(cert.not_after), &props.now) }</dd>
            </dl>
        </>
    }
}

/// Done's code for a certificate: the PEM from the vault into Azure Identity's certificate
/// credential, per language (`domain::certificate::snippets`).
pub fn certificate_snippets(
    props: &crate::wizard::done::view::DoneProps,
    stored: &crate::vault::StoredRef,
    vault_uri: &str,
) -> Html {
    use crate::domain::certificate::snippets::{sign_in_with_certificate, AppIdentity};
    use crate::domain::snippets::{Language, VaultSecret};
    use crate::wizard::done::DoneMsg;
    let d = &props.dispatch;
    let at = VaultSecret {
        vault_uri,
        secret_name: &stored.secret_name,
    };
    let app = AppIdentity {
        client_id: &props.client_id,
        tenant_id: &props.tenant_id,
    };
    let tab = |l: Language| {
        let selected = props.language == l;
        html! {
            <button type="button" role="tab" id={format!("snippet-tab-{}", l.key())} class="tab"
                aria-selected={selected.to_string()} aria-controls="snippet-panel"
                tabindex={if selected { "0" } else { "-1" }}
                onclick={d.reform(move |_| DoneMsg::Language(l))}>
                { l.label() }
            </button>
        }
    };
    let code = sign_in_with_certificate(props.language, &at, &app).code;
    html! {
        <section class="snippets" aria-labelledby="snippets-title" data-testid="snippets">
            <h3 id="snippets-title">{ "Sign in with it from your code" }</h3>
            <p>
                { "Your service reads the PEM (private key and certificate) from the vault with its \
                   own identity, then signs in as the app with Azure Identity's certificate \
                   credential." }
            </p>
            <div class="tabs" role="tablist" aria-label="Language">
                { for Language::ALL.into_iter().map(tab) }
            </div>
            <div id="snippet-panel" role="tabpanel"
                aria-labelledby={format!("snippet-tab-{}", props.language.key())}>
                <div class="field reference">
                    <span class="secret-label" id="snippet-code-label">
                        { format!("{}: sign in with \"{}\"", props.language.label(), stored.secret_name) }
                    </span>
                    <pre class="snippet" tabindex="0" aria-labelledby="snippet-code-label"><code data-testid="snippet-code">{ code.clone() }</code></pre>
                    <crate::vault::view::CopyText text={code} what={format!("the {} code", props.language.label())} />
                </div>
            </div>
        </section>
    }
}
