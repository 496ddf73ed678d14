//! The cross-check on screen: each client secret with its vault copy (or none), the vault
//! secrets that point at a removed or expired credential, and the vaults not checked.

use yew::prelude::*;

use super::crosscheck::{CredentialRow, ExpMatch, Finding, VaultCopy};
use super::removal::describe;
use super::state::{Msg, Rotation};
use super::view_guide::copy_words;
use crate::components::{error_panel, loading, status_badge};
use crate::domain::expiry::expiry_phrase;
use crate::runtime::Now;
use crate::wizard::format::date;

fn exp_words(c: &VaultCopy, now: &Now) -> String {
    match c.exp {
        ExpMatch::Matches => "vault expiry matches the secret's end".into(),
        ExpMatch::Differs => format!(
            "vault expiry {} differs from the secret's end",
            date(c.expires, now)
        ),
        ExpMatch::NotSet => "no expiry set in the vault".into(),
    }
}

fn copy_cell(c: &VaultCopy, now: &Now) -> Html {
    html! {
        <div class="vault-copy">
            <span>{ copy_words(c) }</span>
            <span class="muted">
                { format!(" \u{2014} updated {}; {}", date(c.updated, now), exp_words(c, now)) }
                if !c.enabled { { "; disabled in the vault" } }
            </span>
        </div>
    }
}

fn row_view(row: &CredentialRow, r: &Rotation, now: &Now, d: &Callback<Msg>) -> Html {
    let c = &row.credential;
    // Only secrets that no longer work are removed from here; the guide removes the old one.
    let removable = !row.active && r.guard(&c.key_id, now).is_ok() && !r.removal.is_busy();
    let key = c.key_id.clone();
    html! {
        <tr data-key-id={c.key_id.clone()} data-copy={if row.copies.is_empty() { "none" } else { "found" }}>
            <td>{ describe(c) }</td>
            <td><code>{ c.key_id.clone() }</code></td>
            <td>
                { status_badge(row.status) }
                <span class="relative">{ expiry_phrase(c.end_date_time, now) }</span>
            </td>
            <td>
                if row.copies.is_empty() {
                    <span>{ "No vault copy" }</span>
                } else {
                    { for row.copies.iter().map(|x| copy_cell(x, now)) }
                }
            </td>
            <td>
                if removable {
                    <button type="button" class="link-button"
                        onclick={d.reform(move |_| Msg::AskRemove(key.clone()))}>{ "Remove\u{2026}" }</button>
                }
            </td>
        </tr>
    }
}

fn findings_view(findings: &[Finding], now: &Now) -> Html {
    if findings.is_empty() {
        return html! {};
    }
    html! {
        <>
            <h3>{ "Vault secrets that need attention" }</h3>
            <table class="table vault-findings">
                <thead>
                    <tr>
                        <th scope="col">{ "Vault secret" }</th>
                        <th scope="col">{ "Problem" }</th>
                        <th scope="col">{ "CredentialId" }</th>
                        <th scope="col">{ "Updated" }</th>
                    </tr>
                </thead>
                <tbody>
                    { for findings.iter().map(|f| html! {
                        <tr data-finding={f.kind.key()} data-secret={f.copy.secret_name.clone()}>
                            <td>{ copy_words(&f.copy) }</td>
                            <td>{ f.kind.label() }</td>
                            <td><code>{ f.copy.credential_id.clone().unwrap_or_else(|| "\u{2014}".into()) }</code></td>
                            <td>{ date(f.copy.updated, now) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </>
    }
}

/// The "Vault copies" section.
pub fn vault_section(r: &Rotation, now: &Now, d: &Callback<Msg>) -> Html {
    let (Some(scan), Some(check)) = (r.scan.as_ref(), r.cross_check(now)) else {
        return html! {};
    };
    let done = scan.is_done();
    html! {
        <section class="wizard-step vault-crosscheck" aria-labelledby="vault-title">
            <h2 id="vault-title">{ "Vault copies" }</h2>
            <p class="muted">
                { "Vault secrets are matched to this app's secrets by their CredentialId, \
                   ProviderAddress, AppObjectId and ClientId tags. Only names, dates and tags \
                   are read; never a value." }
            </p>
            if done {
                <p role="status" data-testid="scan-progress">
                    { scan.progress() }{ " " }
                    <button type="button" class="link-button" onclick={d.reform(|_| Msg::Rescan)}>
                        { "Check again" }
                    </button>
                </p>
            } else {
                { loading(scan.progress().into()) }
            }
            if let Some((message, details)) = &scan.failed {
                { error_panel(
                    "Your key vaults couldn't be listed".into(),
                    message.clone().into(),
                    details.clone().map(AttrValue::from),
                    html! {},
                ) }
            }
            if check.rows.is_empty() {
                <p class="empty">{ "This app has no client secrets." }</p>
            } else {
                <table class="table vault-copies">
                    <thead>
                        <tr>
                            <th scope="col">{ "Description" }</th>
                            <th scope="col">{ "Secret ID" }</th>
                            <th scope="col">{ "Status" }</th>
                            <th scope="col">{ "Vault copy" }</th>
                            <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        { for check.rows.iter().map(|row| row_view(row, r, now, d)) }
                    </tbody>
                </table>
            }
            { findings_view(&check.findings, now) }
            if !check.not_checked.is_empty() || !scan.subscription_problems.is_empty() {
                <h3>{ "Not checked" }</h3>
                <ul class="not-checked">
                    { for scan.subscription_problems.iter().map(|p| html! {
                        <li>{ format!("{}: {}", p.subscription_name, p.message) }</li>
                    }) }
                    { for check.not_checked.iter().map(|n| html! {
                        <li data-vault={n.vault_name.clone()}>
                            { format!("{}: {}", n.vault_name, n.message) }
                            if let Some(details) = &n.details {
                                <span class="error-details">{ " Details: " }<code>{ details.clone() }</code></span>
                            }
                        </li>
                    }) }
                </ul>
            }
            if scan.skipped > 0 {
                <p class="notice" role="note">
                    { format!("{} more vaults were not checked: the check stops at {} vaults.",
                        scan.skipped, super::scan::MAX_VAULTS) }
                </p>
            }
            { for scan.vaults.iter().filter(|v| v.truncated).map(|v| html! {
                <p class="notice" role="note">
                    { format!("Only the first {} pages of secrets in {} were read.",
                        super::scan::MAX_SECRET_PAGES, v.name) }
                </p>
            }) }
        </section>
    }
}
