//! Step 3, Describe: the description (prefilled) and the lifetime, each preset showing the
//! date it gives, a custom date, and the maximum stated with where it comes from (the site, the
//! organisation's policy when it could be read, or "less than" a lifetime Graph refused: never a
//! number the policy didn't state). Refusals come back here, explained; a policy that blocks new
//! secrets takes Create away, saying so.
//! The Key Vault section (vault, name, pre-flight, zero-reveal) is `vault::view::VaultSection`.
//! Above the form, the credential to make: "Client secret" (preselected; the form as it always
//! was) or "Certificate (recommended)": the subject name and key size instead of the
//! description, and a vault required (`wizard::certificate`).

use chrono::Duration;
use yew::prelude::*;

use super::super::format::expires_on;
use super::super::shared::{Leave, WizardConfig};
use super::{CredentialKind, DescribeMsg, DescribeState};
use crate::domain::description::MAX_DESCRIPTION_CHARS;
use crate::domain::lifetime::{self, LifetimeChoice};
use crate::runtime::Now;
use crate::vault::view::VaultSection;
use crate::vault::{VaultMsg, VaultState};

#[derive(Properties, PartialEq)]
pub struct DescribeProps {
    pub app_name: AttrValue,
    pub form: DescribeState,
    pub config: WizardConfig,
    pub vault: VaultState,
    pub vault_dispatch: Callback<VaultMsg>,
    pub now: Now,
    pub dispatch: Callback<DescribeMsg>,
    pub leave: Callback<Leave>,
}

#[function_component(DescribeStep)]
pub fn describe_step(props: &DescribeProps) -> Html {
    let d = &props.dispatch;
    let f = &props.form;
    let max = f.max_days(&props.config);
    let now = props.now;
    let on_submit = d.reform(|e: SubmitEvent| {
        e.prevent_default();
        DescribeMsg::Create
    });
    let on_description = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        DescribeMsg::Description(input.value())
    });
    let custom_selected = matches!(f.choice, LifetimeChoice::Custom(_));
    let certificate = f.kind == CredentialKind::Certificate;
    // The policy read here is about secrets: it neither blocks nor delays a certificate.
    let reading = f.policy_reading() && !certificate;
    let policy_blocker = f.policy_blocker().filter(|_| !certificate);
    let blocker = policy_blocker
        .clone()
        .or_else(|| props.vault.create_blocker());
    let tomorrow = (now.date_naive() + Duration::days(1)).to_string();
    let latest = (now.date_naive() + Duration::days(max.into())).to_string();
    let on_custom_date = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        DescribeMsg::CustomDate(input.value())
    });
    let choose_custom = {
        let text = if f.custom_text.is_empty() {
            latest.clone()
        } else {
            f.custom_text.clone()
        };
        d.reform(move |_: Event| DescribeMsg::CustomDate(text.clone()))
    };
    html! {
        <section class="wizard-step" aria-labelledby="describe-title">
            <h2 id="describe-title">{ if certificate {
                format!("A new certificate for {}", props.app_name)
            } else {
                format!("A new secret for {}", props.app_name)
            } }</h2>
            if let Some(p) = &f.problem {
                { crate::components::error_panel(AttrValue::from(if certificate { "The certificate wasn't created" } else { "The secret wasn't created" }), AttrValue::from(p.message.clone()), p.details.clone().map(AttrValue::from), html! { <><button type="button" class="button button-secondary"
                        onclick={props.leave.reform(|_| Leave::BackToApp)}>
                        { "Back to the app's credentials" }
                    </button></> }) }
            }
            <form class="form" onsubmit={on_submit} novalidate=true>
                { kind_choice(f, d) }
                if certificate {
                    { certificate_fields(f, d) }
                } else {
                <div class="field">
                    <label for="secret-description">{ "Description" }</label>
                    <input id="secret-description" type="text" required=true
                        maxlength={MAX_DESCRIPTION_CHARS.to_string()} value={f.description.clone()}
                        oninput={on_description}
                        aria-invalid={f.description_error.is_some().to_string()}
                        aria-describedby="description-hint description-error" />
                    <p class="hint" id="description-hint">
                        { "Shown in the app's credentials, so others can tell this secret apart. \
                           Never put the secret itself here." }
                    </p>
                    <p class="field-error" id="description-error" role="alert">
                        { f.description_error.clone().unwrap_or_default() }
                    </p>
                </div>
                }
                <fieldset class="field lifetimes" aria-describedby="lifetime-max lifetime-error">
                    <legend>{ "Lifetime" }</legend>
                    <p class="hint" id="lifetime-max" data-testid="lifetime-max">
                        { if reading {
                            "Checking your organisation's policy for this app…".to_string()
                        } else {
                            f.limit_sentence(&props.config)
                        } }
                    </p>
                    { crate::components::why_it_matters(crate::components::Topic::Expiry) }
                    { for f.presets(&props.config).into_iter().map(|p| {
                        let checked = f.choice == LifetimeChoice::Preset(p);
                        let end = lifetime::validate(LifetimeChoice::Preset(p), &now, max)
                            .map(|e| expires_on(e.end, &now))
                            .unwrap_or_default();
                        let id = format!("lifetime-{}", p.days());
                        html! {
                            <div class="radio">
                                <input type="radio" name="lifetime" id={id.clone()} checked={checked}
                                    onchange={d.reform(move |_| DescribeMsg::Lifetime(LifetimeChoice::Preset(p)))} />
                                <label for={id}>
                                    { p.label() }
                                    <span class="muted">{ format!(" — {end}") }</span>
                                </label>
                            </div>
                        }
                    }) }
                    <div class="radio">
                        <input type="radio" name="lifetime" id="lifetime-custom"
                            checked={custom_selected} onchange={choose_custom} />
                        <label for="lifetime-custom">{ "Custom end date" }</label>
                        <input type="date" id="lifetime-custom-date" aria-label="Custom end date"
                            min={tomorrow} max={latest} value={f.custom_text.clone()}
                            oninput={on_custom_date} />
                    </div>
                    <p class="field-error" id="lifetime-error" role="alert">
                        { f.lifetime_error.clone().unwrap_or_default() }
                    </p>
                </fieldset>
                { crate::components::why_it_matters(crate::components::Topic::KeyVault) }
                <VaultSection state={props.vault.clone()} dispatch={props.vault_dispatch.clone()}
                    certificate={certificate} />
                if let Some(why) = &blocker {
                    <p class="hint" role="status" id="create-blocked">{ why.clone() }</p>
                }
                if reading && blocker.is_none() {
                    <p class="hint" role="status" id="create-waiting">
                        { "Create waits for your organisation's policy, to offer only lifetimes it allows." }
                    </p>
                }
                <div class="actions">
                    <button type="button" class="button button-secondary"
                        onclick={props.leave.reform(|_| Leave::BackToApp)}>
                        { "Back" }
                    </button>
                    <button type="submit" class="button button-primary"
                        disabled={blocker.is_some() || reading}>
                        { if certificate {
                            "Create certificate and store in Key Vault"
                        } else if props.vault.zero_reveal {
                            "Create and store in Key Vault"
                        } else {
                            "Create secret"
                        } }
                    </button>
                </div>
            </form>
        </section>
    }
}

/// Secret or certificate. "Client secret" is preselected.
fn kind_choice(f: &DescribeState, d: &Callback<DescribeMsg>) -> Html {
    let radio = |kind: CredentialKind, id: &'static str, label: &'static str| {
        html! {
            <div class="radio">
                <input type="radio" name="credential-kind" id={id} checked={f.kind == kind}
                    onchange={d.reform(move |_| DescribeMsg::Kind(kind))} />
                <label for={id}>{ label }</label>
            </div>
        }
    };
    html! {
        <fieldset class="field credential-kind" aria-describedby="kind-hint">
            <legend>{ "Credential" }</legend>
            { radio(CredentialKind::Certificate, "kind-certificate", "Certificate (recommended)") }
            { radio(CredentialKind::Secret, "kind-secret", "Client secret") }
            <p class="hint" id="kind-hint">
                { "A certificate's private key is made in your browser and goes straight to Key \
                   Vault: nobody sees it, and your service signs in with it instead of a shared \
                   secret." }
            </p>
        </fieldset>
    }
}

/// What a certificate needs: its subject name and key size.
fn certificate_fields(f: &DescribeState, d: &Callback<DescribeMsg>) -> Html {
    let on_subject = d.reform(|e: InputEvent| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        DescribeMsg::Subject(input.value())
    });
    html! {
        <>
            <div class="field">
                <label for="certificate-subject">{ "Subject name (CN)" }</label>
                <input id="certificate-subject" type="text" required=true
                    maxlength={crate::domain::certificate::UB_COMMON_NAME.to_string()}
                    value={f.subject.clone()} oninput={on_subject}
                    aria-invalid={f.subject_error.is_some().to_string()}
                    aria-describedby="subject-hint subject-error" />
                <p class="hint" id="subject-hint">
                    { "The certificate's name, also shown in the app's certificates." }
                </p>
                <p class="field-error" id="subject-error" role="alert">
                    { f.subject_error.clone().unwrap_or_default() }
                </p>
            </div>
            <fieldset class="field key-size">
                <legend>{ "Key size" }</legend>
                { for crate::domain::certificate::KEY_SIZES.into_iter().map(|bits| {
                    let id = format!("key-size-{bits}");
                    html! {
                        <div class="radio">
                            <input type="radio" name="key-size" id={id.clone()}
                                checked={f.key_size == bits}
                                onchange={d.reform(move |_| DescribeMsg::KeySize(bits))} />
                            <label for={id}>{ format!("RSA {bits}") }</label>
                        </div>
                    }
                }) }
            </fieldset>
        </>
    }
}
