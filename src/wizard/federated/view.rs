//! Federated credentials on screen: Review's section ([`review_section`]: the list with Remove,
//! the confirmation, and "Where will the code … run?"), and the federated step
//! ([`federated_step`]: template, fields with what to change, the issuer and subject it builds,
//! Create, then the result with its snippets and copy buttons).

use yew::prelude::*;

use super::listing::{FederatedList, Removal};
use super::{FederatedMsg, FederatedState, Phase};
use crate::components::ConfirmDialog;
use crate::domain::federated::{Field, GitHubScope, GitLabRef, RunPhase, Workload};
use crate::graph::FederatedIdentityCredential;
use crate::vault::view::CopyText;
use crate::wizard::shared::Leave;

/// Review's federated credentials and the question. `may_set_up`: the user may change the
/// app's credentials as far as known.
pub fn review_section(
    list: &FederatedList,
    app: &str,
    may_set_up: bool,
    d: &Callback<FederatedMsg>,
) -> Html {
    let busy = matches!(list.removal(), Removal::Confirm(_) | Removal::Removing(_));
    html! {
        <>
            <h3>{ "Federated credentials" }</h3>
            { removal_view(list.removal(), app, d) }
            if let Some(p) = list.problem() {
                <p class="notice notice-warning" role="status">
                    { format!("The federated credentials couldn't be read: {}", p.message) }
                </p>
            }
            { match list.credentials() {
                None if list.is_loading() => html! { <p class="empty">{ "Reading federated credentials…" }</p> },
                None => html! {},
                Some([]) => html! { <p class="empty">{ "This app has no federated credentials." }</p> },
                Some(creds) => credentials_table(creds, d, busy),
            } }
            { question(list.workload(), may_set_up, d) }
        </>
    }
}

fn credentials_table(
    creds: &[FederatedIdentityCredential],
    d: &Callback<FederatedMsg>,
    busy: bool,
) -> Html {
    html! {
        <table class="table credentials federated" data-testid="federated-table">
            <thead>
                <tr>
                    <th scope="col">{ "Name" }</th>
                    <th scope="col">{ "Issuer" }</th>
                    <th scope="col">{ "Subject" }</th>
                    <th scope="col">{ "Audience" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr>
            </thead>
            <tbody>
                { for creds.iter().map(|c| {
                    let id = c.id.clone();
                    html! {
                        <tr data-fic-id={c.id.clone()}>
                            <td>{ c.name.clone() }</td>
                            <td><code>{ c.issuer.clone() }</code></td>
                            <td><code>{ c.subject.clone() }</code></td>
                            <td><code>{ c.audiences.join(", ") }</code></td>
                            <td>
                                <button type="button" class="button button-secondary" disabled={busy}
                                    aria-label={format!("Remove federated credential {}", c.name)}
                                    onclick={d.reform(move |_| FederatedMsg::AskRemove(id.clone()))}>
                                    { "Remove" }
                                </button>
                            </td>
                        </tr>
                    }
                }) }
            </tbody>
        </table>
    }
}

fn removal_view(removal: &Removal, app: &str, d: &Callback<FederatedMsg>) -> Html {
    match removal {
        Removal::Idle => html! {},
        Removal::Confirm(c) => html! {
            <ConfirmDialog title="Remove this federated credential?"
                message={format!(
                    "Remove \u{201c}{}\u{201d} from {app}? Workloads that sign in with tokens from {} \
                     for {} stop working at once, and this can't be undone.",
                    c.name, c.issuer, c.subject
                )}
                confirm_label="Remove credential" cancel_label="Keep it"
                on_confirm={d.reform(|_| FederatedMsg::ConfirmRemove)}
                on_cancel={d.reform(|_| FederatedMsg::CancelRemove)} />
        },
        Removal::Removing(_) => {
            crate::components::loading(AttrValue::from("Removing the federated credential…"))
        }
        Removal::Removed(c) => html! {
            <p class="notice notice-ok" role="status" data-testid="fic-removal">
                { format!("Removed \u{201c}{}\u{201d} from {app}: its workload can't sign in with it any more.", c.name) }
            </p>
        },
        Removal::Failed(c, p) => crate::components::error_panel(
            AttrValue::from("The federated credential wasn't removed"),
            AttrValue::from(p.message.clone()),
            p.details.clone().map(AttrValue::from),
            {
                let id = c.id.clone();
                html! { <button type="button" class="button button-secondary"
                onclick={d.reform(move |_| FederatedMsg::AskRemove(id.clone()))}>{ "Try again" }</button> }
            },
        ),
    }
}

fn question(chosen: Option<Workload>, may_set_up: bool, d: &Callback<FederatedMsg>) -> Html {
    html! {
        <fieldset class="field workload-question" data-testid="workload-question">
            <legend>{ "Where will the code that uses this credential run?" }</legend>
            <p class="hint">{ "Optional. Some platforms don't need a secret at all." }</p>
            { for Workload::ALL.iter().map(|w| {
                let w = *w;
                let id = format!("workload-{}", w.key());
                html! {
                    <div class="radio">
                        <input type="radio" name="workload" id={id.clone()} checked={chosen == Some(w)}
                            onchange={d.reform(move |_: Event| FederatedMsg::Workload(w))} />
                        <label for={id}>{ w.label() }</label>
                    </div>
                }
            }) }
            if let Some(w) = chosen.filter(|w| w.offers_federation()) {
                <div class="notice notice-ok" role="note" data-testid="no-secret-needed">
                    <p><strong>{ "You don't need a secret" }</strong></p>
                    <p>{ format!(
                        "{} can sign in with a federated credential: the app trusts the tokens it \
                         already issues, so there is nothing to store, leak or rotate.",
                        w.label()
                    ) }</p>
                    <button type="button" class="button button-primary" disabled={!may_set_up}
                        onclick={d.reform(|_| FederatedMsg::SetUp)}>
                        { "Set up a federated credential" }
                    </button>
                </div>
            }
        </fieldset>
    }
}

fn field_id(field: Field) -> &'static str {
    match field {
        Field::Repository => "fic-repository",
        Field::Value => "fic-value",
        Field::Issuer => "fic-issuer",
        Field::Namespace => "fic-namespace",
        Field::ServiceAccount => "fic-service-account",
        Field::Organization => "fic-organization",
        Field::Project => "fic-project",
        Field::Workspace => "fic-workspace",
        Field::Subject => "fic-subject",
        Field::Name => "fic-name",
        Field::Description => "fic-description",
        Field::Audience => "fic-audience",
    }
}

/// One text field with its hint and what to change.
fn text_field(
    s: &FederatedState,
    field: Field,
    label: &str,
    hint: &str,
    value: &str,
    d: &Callback<FederatedMsg>,
) -> Html {
    let id = field_id(field);
    let error = s.problem_of(field);
    let (hint_id, error_id) = (format!("{id}-hint"), format!("{id}-error"));
    html! {
        <div class="field">
            <label for={id}>{ label.to_string() }</label>
            <input id={id} type="text" value={value.to_string()} spellcheck="false"
                aria-invalid={error.is_some().to_string()}
                aria-describedby={format!("{hint_id} {error_id}")}
                oninput={d.reform(move |e: InputEvent| {
                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                    FederatedMsg::Edit(field, input.value())
                })} />
            <p class="hint" id={hint_id}>{ hint.to_string() }</p>
            if let Some(message) = error {
                <p class="field-error" id={error_id} role="alert">{ message.to_string() }</p>
            }
        </div>
    }
}

/// A radio group; each option is (label, checked, the message choosing it sends). One
/// non-generic function for every group (small in wasm).
fn radios(
    name: &'static str,
    legend: &str,
    options: Vec<(&'static str, bool, FederatedMsg)>,
    d: &Callback<FederatedMsg>,
) -> Html {
    html! {
        <fieldset class="field">
            <legend>{ legend.to_string() }</legend>
            { for options.into_iter().map(|(label, checked, msg)| {
                let id = format!("{name}-{}", label.to_ascii_lowercase().replace(' ', "-"));
                html! {
                    <div class="radio">
                        <input type="radio" name={name} id={id.clone()} checked={checked}
                            onchange={d.reform(move |_: Event| msg.clone())} />
                        <label for={id}>{ label }</label>
                    </div>
                }
            }) }
        </fieldset>
    }
}

fn template_fields(s: &FederatedState, d: &Callback<FederatedMsg>) -> Html {
    let i = s.input();
    match i.workload {
        Workload::GitHubActions => {
            let scopes = GitHubScope::ALL
                .iter()
                .map(|g| {
                    (
                        g.label(),
                        *g == i.github_scope,
                        FederatedMsg::GitHubScope(*g),
                    )
                })
                .collect();
            let what = match i.github_scope {
                GitHubScope::Environment => "Environment name",
                GitHubScope::Branch => "Branch name",
                GitHubScope::Tag => "Tag name",
                GitHubScope::PullRequest => "",
            };
            html! {
                <>
                    { text_field(s, Field::Repository, "Repository", "owner/name, as GitHub writes it (case matters).", &i.repository, d) }
                    { radios("github-scope", "Which runs may sign in", scopes, d) }
                    if !what.is_empty() {
                        { text_field(s, Field::Value, what, "Exactly as the repository has it (case matters).", &i.value, d) }
                    }
                </>
            }
        }
        Workload::Kubernetes => html! {
            <>
                { text_field(s, Field::Issuer, "Cluster's OIDC issuer URL", "AKS: az aks show --query oidcIssuerProfile.issuerUrl. Other clusters: the service account issuer.", &i.issuer, d) }
                { text_field(s, Field::Namespace, "Namespace", "Where the workload runs.", &i.namespace, d) }
                { text_field(s, Field::ServiceAccount, "Service account", "The service account the pods run as.", &i.service_account, d) }
            </>
        },
        Workload::GitLab => html! {
            <>
                { text_field(s, Field::Issuer, "GitLab instance", "https://gitlab.com, or your self-managed instance's URL.", &i.issuer, d) }
                { text_field(s, Field::Repository, "Project path", "group/project (subgroups too).", &i.repository, d) }
                { radios("gitlab-ref", "Branch or tag", vec![
                    ("Branch", i.gitlab_ref == GitLabRef::Branch, FederatedMsg::GitLabRef(GitLabRef::Branch)),
                    ("Tag", i.gitlab_ref == GitLabRef::Tag, FederatedMsg::GitLabRef(GitLabRef::Tag)),
                ], d) }
                { text_field(s, Field::Value, "Branch or tag name", "Without refs/heads/ or refs/tags/.", &i.value, d) }
            </>
        },
        Workload::TerraformCloud => html! {
            <>
                { text_field(s, Field::Organization, "Organization", "Your HCP Terraform organization.", &i.organization, d) }
                { text_field(s, Field::Project, "Project", "\u{201c}Default Project\u{201d} unless the workspace is in another.", &i.project, d) }
                { text_field(s, Field::Workspace, "Workspace", "The workspace whose runs sign in.", &i.workspace, d) }
                { radios("run-phase", "Run phase", vec![
                    ("Plan", i.run_phase == RunPhase::Plan, FederatedMsg::RunPhase(RunPhase::Plan)),
                    ("Apply", i.run_phase == RunPhase::Apply, FederatedMsg::RunPhase(RunPhase::Apply)),
                ], d) }
            </>
        },
        Workload::OtherOidc | Workload::Elsewhere => html! {
            <>
                { text_field(s, Field::Issuer, "Issuer", "The https:// URL in the iss claim of your platform's tokens.", &i.issuer, d) }
                { text_field(s, Field::Subject, "Subject", "The exact sub claim of the workload's tokens.", &i.subject, d) }
            </>
        },
    }
}

/// What is wrong with the issuer or subject a template builds (no field of their own on screen):
/// too long, or already trusted by another of the app's credentials.
fn built_problems(s: &FederatedState) -> Html {
    let free_form = matches!(
        s.input().workload,
        Workload::OtherOidc | Workload::Elsewhere
    );
    let own_issuer =
        free_form || matches!(s.input().workload, Workload::Kubernetes | Workload::GitLab);
    let shown = [(Field::Issuer, own_issuer), (Field::Subject, free_form)];
    html! {
        { for shown.into_iter().filter(|(_, own)| !own).filter_map(|(f, _)| s.problem_of(f).map(|m| (f, m))).map(|(f, m)| html! {
            <p class="field-error" id={format!("{}-error", field_id(f))} role="alert">{ m.to_string() }</p>
        }) }
    }
}

/// The federated step (a plain function: no component of its own, small in wasm).
pub fn federated_step(
    s: &FederatedState,
    d: &Callback<FederatedMsg>,
    leave: &Callback<Leave>,
) -> Html {
    let app = s.app().display_name.clone();
    let back = html! {
        <button type="button" class="button button-secondary"
            onclick={leave.reform(|_| Leave::BackToApp)}>
            { format!("Back to {app}") }
        </button>
    };
    if let Phase::Created {
        credential,
        snippets,
    } = s.phase()
    {
        return html! {
            <section class="wizard-step" aria-labelledby="fic-done-title">
                <h2 id="fic-done-title">{ "Federated credential created" }</h2>
                <p role="status" data-testid="fic-created">
                    { format!(
                        "{app} now trusts tokens from {} for {} (audience {}). Nothing to store or \
                         rotate. It can take a few minutes before the first sign-in works; retry if \
                         it says no matching federated identity record.",
                        credential.issuer, credential.subject, credential.audiences.join(", ")
                    ) }
                </p>
                { for snippets.iter().map(|sn| html! {
                    <div class="snippet-block">
                        <h3>{ sn.title }</h3>
                        <p class="hint">{ sn.hint }</p>
                        <pre class="snippet" tabindex="0" aria-label={sn.title}><code>{ sn.text.clone() }</code></pre>
                        <CopyText text={AttrValue::from(sn.text.clone())} what={AttrValue::from(format!("the {}", sn.title.to_lowercase()))} />
                    </div>
                }) }
                <div class="actions">{ back }</div>
            </section>
        };
    }
    let creating = matches!(s.phase(), Phase::Creating);
    let templates = Workload::ALL
        .iter()
        .filter(|w| w.offers_federation())
        .map(|w| {
            (
                w.label(),
                *w == s.input().workload,
                FederatedMsg::Template(*w),
            )
        })
        .collect();
    let on_submit = d.reform(|e: SubmitEvent| {
        e.prevent_default();
        FederatedMsg::Create
    });
    html! {
        <section class="wizard-step" aria-labelledby="fic-title">
            <h2 id="fic-title">{ format!("A federated credential for {app}") }</h2>
            <p class="lead">{ "Tell us where the workload runs; we build the issuer and subject its tokens carry." }</p>
            if let Some(p) = s.problem() {
                { crate::components::error_panel(AttrValue::from("The federated credential wasn't created"),
                    AttrValue::from(p.message.clone()), p.details.clone().map(AttrValue::from), html! {}) }
            }
            if s.at_limit() {
                <p class="notice notice-warning" role="note">
                    { format!("{app} already has {} federated credentials, the most Microsoft Graph allows for an app: remove one on Review first, or Graph will refuse.", s.app().existing.len()) }
                </p>
            }
            <form class="form" onsubmit={on_submit} novalidate=true>
                { radios("fic-template", "Template", templates, d) }
                { template_fields(s, d) }
                if let Some((issuer, subject)) = s.preview() {
                    <dl class="facts" data-testid="fic-preview">
                        <dt>{ "Issuer" }</dt><dd><code>{ issuer }</code></dd>
                        <dt>{ "Subject" }</dt><dd><code>{ subject }</code></dd>
                    </dl>
                }
                { built_problems(s) }
                { text_field(s, Field::Name, "Name", "3 to 120 letters, digits, - or _; unique on the app and can't be changed later.", s.name(), d) }
                { text_field(s, Field::Audience, "Audience",
                    if s.audience_undocumented() {
                        "Microsoft doesn't document the audience for this cloud: enter the value your cloud's documentation gives."
                    } else {
                        "What Microsoft Entra ID expects in the token's aud claim for this cloud."
                    }, s.audience(), d) }
                { text_field(s, Field::Description, "Description (optional)", "Up to 600 characters.", s.description(), d) }
                <div class="actions">
                    { back }
                    <button type="submit" class="button button-primary" disabled={creating}>
                        { if creating { "Creating…" } else { "Create federated credential" } }
                    </button>
                </div>
            </form>
        </section>
    }
}
