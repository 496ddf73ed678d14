//! Onboarding words in one place: a sentence or two on why a step matters ([`why_it_matters`]), and
//! a "Learn more" panel on the credentials that need no secret, or a safer one ([`learn_more`]).

use yew::prelude::*;

/// The steps whose reason is worth a sentence for someone on their first week.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Topic {
    /// The value is shown once (Show once).
    ShownOnce,
    /// Why the value goes to Key Vault (Describe, the vault section).
    KeyVault,
    /// Rotating with overlap (Review, Done).
    Rotation,
    /// Why a secret gets an end date (Describe, the lifetime).
    Expiry,
}

impl Topic {
    pub fn text(self) -> &'static str {
        match self {
            Topic::ShownOnce => {
                "Why only once: Microsoft Entra ID keeps no readable copy of a secret, so after \
                 this page nobody (not even an administrator) can see it again. If it is lost, \
                 you simply create a new one."
            }
            Topic::KeyVault => {
                "Why Key Vault: the app reads its secret from the vault when it runs, access is \
                 granted by Azure roles and logged, and the value never has to sit in a config \
                 file, a chat or a ticket."
            }
            Topic::Rotation => {
                "Why overlap: everything that signs in as this app keeps working on the old \
                 secret while you roll out the new one. Remove the old secret only when nothing \
                 uses it any more."
            }
            Topic::Expiry => {
                "Why an end date: a secret that never expires stays dangerous for ever if it \
                 leaks. A shorter lifetime limits the damage, and the Expiry overview shows what \
                 needs rotating before it stops working."
            }
        }
    }
}

/// One short paragraph: why this step matters.
pub fn why_it_matters(topic: Topic) -> Html {
    html! { <p class="why">{ topic.text() }</p> }
}

/// (title, when to prefer it, why).
const OPTIONS: [(&str, &str, &str); 4] = [
    (
        "Managed identity",
        "when the code runs in Azure (App Service, Functions, Container Apps, virtual machines, AKS).",
        "Azure gives the workload its own identity and looks after its credentials: there is no \
         secret to create, store, rotate or leak.",
    ),
    (
        "Workload identity federation",
        "for GitHub Actions, Kubernetes outside Azure, or another cloud.",
        "The app registration trusts tokens that platform already issues (a federated \
         credential), so there is no secret here either.",
    ),
    (
        "Certificate",
        "when the app needs a credential of its own and can hold a private key.",
        "Only the public key is uploaded; the private key can stay in Key Vault or on the host, \
         and Key Vault can renew it. It proves who the app is without sending a shared secret.",
    ),
    (
        "Client secret",
        "for the rest: a service outside Azure that cannot use federation or a certificate.",
        "Keep it short-lived, in Key Vault, and rotate it with overlap. That is what this \
         wizard does.",
    ),
];

/// A closed-by-default panel: which credential to prefer, and when a secret is the right one.
pub fn learn_more() -> Html {
    html! {
        <details class="learn-more">
            <summary>{ "Learn more: certificates, managed identities and when to prefer them" }</summary>
            <p>{ "A client secret is a password for an app. Before creating one, check whether the \
                  app could do without it:" }</p>
            <dl>
                { for OPTIONS.iter().map(|(title, when, why)| html! {
                    <>
                        <dt>{ *title }</dt>
                        <dd><strong>{ "Prefer it " }</strong>{ *when }{ " " }{ *why }</dd>
                    </>
                }) }
            </dl>
        </details>
    }
}
