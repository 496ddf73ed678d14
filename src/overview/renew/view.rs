//! The "Renew many at once" panel: runs [`Renewal`] on the runtime, renders its phase (the
//! `data-phase` attribute says which, for tests), and runs its effects. Decides nothing.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::config::RenewConfig;
use super::item::ItemResult;
use super::report::{file_name, reason, to_csv};
use super::run::Counts;
use super::state::{Effect, Msg, Phase, Renewal, WINDOWS};
use crate::components::ConfirmDialog;
use crate::domain::expiry::expiry_phrase;
use crate::domain::lifetime::days_words;
use crate::overview::browser::download;
use crate::overview::model::Row;
use crate::runtime::{local_now, use_feature, use_session_sender, use_unload_guard, Ctx};

fn run(effect: Effect, ctx: &Ctx<Msg>) {
    match effect {
        Effect::Send(out) => ctx.send(out, Msg::Response),
        Effect::Wake { token, ms } => {
            ctx.after(ms.min(u64::from(u32::MAX)) as u32, Msg::Due(token));
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct RenewPanelProps {
    pub config: Rc<RenewConfig>,
    /// The overview's rows (a new load mounts a new panel).
    pub rows: Rc<Vec<Row>>,
}

/// The panel.
#[function_component(RenewPanel)]
pub fn renew_panel(props: &RenewPanelProps) -> Html {
    let sender = use_session_sender();
    let (config, rows) = ((*props.config).clone(), props.rows.clone());
    let handle = use_feature(move || Renewal::new(config, rows), Some(sender), run);
    let d = handle.dispatch;
    let state = handle.state.borrow();
    let phase = state.phase();
    // Leaving mid-run cuts it short (a value on its way to a vault is lost; the next run removes
    // its secret): the browser asks first while anything is under way.
    use_unload_guard(matches!(
        phase,
        Phase::Running | Phase::Pausing | Phase::Removing
    ));
    let now = local_now();
    let body = match phase {
        Phase::Idle if state.config.data_plane_only => html! {
            <p class="hint">{ "This site stores secrets through the Key Vault data plane, which can't \
                list vault secrets: renew each one from its app's Rotate page." }</p>
        },
        Phase::Idle => html! {
            <>
                <p>{ "Renew the secrets that expire soon in one run: each gets a new secret, written \
                      straight to its vault secret as a new version. Nobody sees a value; the old \
                      secret keeps working until you remove it." }</p>
                <div class="actions">
                    <button type="button" class="button button-primary" id="renew-find"
                            onclick={d.reform(|_| Msg::Find)}>{ "Find vault copies to renew" }</button>
                </div>
            </>
        },
        Phase::Scanning => html! {
            <p class="hint" role="status">{ state.scan.as_ref().map(|s| s.progress()).unwrap_or_default() }</p>
        },
        Phase::Ready => ready(&state, &d, now),
        Phase::Running | Phase::Pausing | Phase::Paused => progress(&state, &d, phase),
        Phase::Finished | Phase::Removing | Phase::Removed => finished(&state, &d, phase),
    };
    let dialog = if state.confirming {
        let list = state.replaced();
        html! {
            <div id="replaced-dialog">
                <ConfirmDialog
                    title="Remove the replaced secrets?"
                    message={format!("{} secret{} will be removed from {} app registrations. Anything \
                        still signing in with them stops working. Each is checked again first: it is \
                        kept if its vault copy still holds it or the secret that replaced it doesn't work.",
                        list.len(), if list.len() == 1 { "" } else { "s" },
                        list.iter().map(|r| r.object_id.as_str()).collect::<std::collections::HashSet<_>>().len())}
                    confirm_label="Remove them"
                    on_confirm={d.reform(|()| Msg::ConfirmRemove)}
                    on_cancel={d.reform(|()| Msg::CancelRemove)}>
                    <ul class="renew-replaced-list">
                        { for list.iter().map(|r| html! {
                            <li class="replaced-item" data-key-id={r.old_key_id.clone()}>
                                <strong>{ r.app_name.clone() }</strong>{ " · " }
                                { r.old_description.clone().unwrap_or_else(|| r.old_key_id.clone()) }
                                { " · " }{ expiry_phrase(r.old_end, &now) }
                                { format!(" · its vault copy {}/{} now holds {}", r.copy.vault_name, r.copy.secret_name, r.new_key_id) }
                            </li>
                        }) }
                    </ul>
                </ConfirmDialog>
            </div>
        }
    } else {
        html! {}
    };
    html! {
        <section class="panel ov-renew" id="ov-renew" data-phase={phase.key()} aria-labelledby="renew-heading">
            <h2 id="renew-heading">{ "Renew many at once" }</h2>
            { body }
            { dialog }
        </section>
    }
}

fn ready(state: &Renewal, d: &Callback<Msg>, now: crate::runtime::Now) -> Html {
    let picked = state.picked();
    let on_window = d.reform(|e: Event| {
        Msg::Window(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(30),
        )
    });
    let on_lifetime = d.reform(|e: Event| {
        Msg::Lifetime(
            e.target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse()
                .unwrap_or(0),
        )
    });
    let window = state.window;
    let lifetime = state.lifetime;
    let rows: Vec<Html> = state
        .in_window()
        .map(|(c, on)| {
            let key = c.key_id.clone();
            let onchange = d.reform(move |e: Event| {
                Msg::Pick(key.clone(), e.target_unchecked_into::<HtmlInputElement>().checked())
            });
            html! {
                <tr data-key-id={c.key_id.clone()}>
                    <td><input type="checkbox" class="renew-pick" checked={on} {onchange}
                               aria-label={format!("Renew {}'s secret {}", c.app_name, c.key_id)} /></td>
                    <td>{ c.app_name.clone() }</td>
                    <td>{ c.description.clone().unwrap_or_default() }<br/><code class="hint">{ c.key_id.clone() }</code></td>
                    <td>{ expiry_phrase(c.end, &now) }</td>
                    <td>{ format!("{}/{}", c.copy.vault_name, c.copy.secret_name) }</td>
                </tr>
            }
        })
        .collect();
    let count = rows.len();
    html! {
        <>
            <div class="ov-renew-controls">
                <label for="renew-window">{ "Expired or expiring within " }
                    <select id="renew-window" onchange={on_window}>
                        { for WINDOWS.iter().map(|&w| html! {
                            <option value={w.to_string()} selected={w == window}>{ format!("{w} days") }</option>
                        }) }
                    </select>
                </label>
                <label for="renew-lifetime">{ " New secrets last " }
                    <select id="renew-lifetime" onchange={on_lifetime}>
                        { for state.config.lifetimes.iter().map(|&l| html! {
                            <option value={l.to_string()} selected={l == lifetime}>{ days_words(l) }</option>
                        }) }
                    </select>
                </label>
            </div>
            <p class="hint" role="status">{ scan_line(state, count) }</p>
            if count > 0 {
                <div class="ov-table-wrap">
                    <table class="ov-table" id="renew-candidates">
                        <thead><tr>
                            <th><input type="checkbox" id="renew-all" aria-label="Select all" checked={picked == count}
                                       onchange={d.reform(|e: Event| Msg::PickAll(e.target_unchecked_into::<HtmlInputElement>().checked()))} /></th>
                            <th>{ "App" }</th><th>{ "Secret" }</th><th>{ "Expires" }</th><th>{ "Vault copy" }</th>
                        </tr></thead>
                        <tbody>{ for rows }</tbody>
                    </table>
                </div>
            }
            if !state.found.not_offered.is_empty() {
                <details class="hint"><summary>{ format!("{} not offered", state.found.not_offered.len()) }</summary>
                    <ul>{ for state.found.not_offered.iter().map(|n| html! {
                        <li>{ format!("{} ({}): {}", n.app_name, n.key_id, n.reason) }</li>
                    }) }</ul>
                </details>
            }
            <div class="actions">
                <button type="button" class="button button-primary" id="renew-start" disabled={picked == 0}
                        onclick={d.reform(|_| Msg::Start)}>
                    { format!("Renew {picked} secret{}", if picked == 1 { "" } else { "s" }) }</button>
                { remove_button(state, d) }
                <button type="button" class="button" onclick={d.reform(|_| Msg::Find)}>{ "Check the vaults again" }</button>
            </div>
        </>
    }
}

fn scan_line(state: &Renewal, count: usize) -> String {
    let Some(scan) = &state.scan else {
        return String::new();
    };
    let mut line = format!(
        "{} {count} secret{} with a vault copy expire{} in this window.",
        scan.progress(),
        if count == 1 { "" } else { "s" },
        if count == 1 { "s" } else { "" },
    );
    let problems = scan.subscription_problems.len()
        + scan
            .vaults
            .iter()
            .filter(|v| matches!(v.state, crate::rotation::VaultScanState::NotChecked { .. }))
            .count();
    if let Some((message, _)) = &scan.failed {
        line = message.clone();
    } else if problems > 0 {
        line.push_str(&format!(
            " {problems} could not be checked (see a Rotate page for why)."
        ));
    }
    let replaced = state.found.replaced.len();
    if replaced > 0 {
        // What an earlier run (before a reload, say) renewed: the vaults' tags say so.
        line.push_str(&format!(
            " {replaced} already renewed (their vault copies moved on) can be removed."
        ));
    }
    line
}

fn remove_button(state: &Renewal, d: &Callback<Msg>) -> Html {
    let n = state.replaced().len();
    if n == 0 {
        return html! {};
    }
    html! {
        <button type="button" class="button button-secondary" id="renew-remove-replaced"
                onclick={d.reform(|_| Msg::AskRemove)}>
            { format!("Remove {n} replaced secret{}…", if n == 1 { "" } else { "s" }) }</button>
    }
}

fn counts_line(c: Counts) -> String {
    let mut parts = vec![format!("{} renewed", c.renewed)];
    if c.earlier > 0 {
        parts.push(format!("{} renewed earlier", c.earlier));
    }
    parts.push(format!("{} skipped", c.skipped));
    if c.cancelled > 0 {
        parts.push(format!("{} cancelled", c.cancelled));
    }
    parts.push(format!("{} left", c.left));
    parts.join(" · ")
}

fn progress(state: &Renewal, d: &Callback<Msg>, phase: Phase) -> Html {
    let Some(run) = &state.run else {
        return html! {};
    };
    let c = run.counts();
    let total = run.items.len();
    let status = match phase {
        Phase::Pausing => format!("Pausing: finishing the {} under way…", run.in_flight()),
        Phase::Paused => "Paused. Nothing is being sent.".to_string(),
        _ => "Renewing…".to_string(),
    };
    html! {
        <>
            <p role="status" aria-live="polite">{ status }</p>
            <progress id="renew-progress" value={c.ended().to_string()} max={total.to_string()}
                      aria-label="Secrets done"></progress>
            <p id="renew-counts">{ counts_line(c) }</p>
            <div class="actions">
                if phase == Phase::Running {
                    <button type="button" class="button" id="renew-pause" onclick={d.reform(|_| Msg::Pause)}>{ "Pause" }</button>
                } else {
                    <button type="button" class="button" id="renew-resume" disabled={phase == Phase::Pausing}
                            onclick={d.reform(|_| Msg::Resume)}>{ "Resume" }</button>
                }
                <button type="button" class="button button-secondary" id="renew-cancel"
                        onclick={d.reform(|_| Msg::Cancel)}>{ "Cancel the rest" }</button>
            </div>
            <p class="hint">{ "Closing or reloading the page stops the run. Nothing is kept in this browser: \
                find the vault copies again and the run resumes from what the vaults' tags say." }</p>
        </>
    }
}

fn finished(state: &Renewal, d: &Callback<Msg>, phase: Phase) -> Html {
    let removal = match (&state.removal, phase) {
        (Some(r), _) => html! {
            <div id="replaced-result" data-phase={phase.key()}>
                <h3>{ if phase == Phase::Removed { "Replaced secrets removed" } else { "Removing the replaced secrets…" } }</h3>
                <ul>{ for r.items.iter().map(|(x, done)| html! {
                    <li data-key-id={x.old_key_id.clone()} data-result={done.as_ref().map(|d| d.key()).unwrap_or("pending")}>
                        { format!("{} · {}: ", x.app_name, x.old_key_id) }
                        { match done {
                            Some(super::replaced::Removed::Removed) => "removed".to_string(),
                            Some(super::replaced::Removed::AlreadyGone) => "already gone".to_string(),
                            Some(super::replaced::Removed::Kept(why)) => format!("kept: {why}"),
                            None => "…".to_string(),
                        } }
                    </li>
                }) }</ul>
            </div>
        },
        _ => html! {},
    };
    let Some(run) = &state.run else {
        return html! {
            <>
                { removal }
                <div class="actions">
                    { remove_button(state, d) }
                    <button type="button" class="button" onclick={d.reform(|_| Msg::Find)}>{ "Check the vaults again" }</button>
                </div>
            </>
        };
    };
    let c = run.counts();
    // Tenths of a second, in whole numbers (a float's formatting costs the wasm ~10 KB).
    let tenths = run
        .finished
        .map_or(0, |f| (f - run.started).num_milliseconds().max(0) / 100);
    let on_csv = {
        let text = to_csv(&run.items);
        Callback::from(move |_: MouseEvent| {
            if let Err(e) = download(&file_name(&local_now()), "text/csv;charset=utf-8", &text) {
                web_sys::console::warn_1(&e);
            }
        })
    };
    html! {
        <>
            <p role="status" id="renew-counts">{ format!("Finished in {}.{} s: {}.", tenths / 10, tenths % 10, counts_line(c)) }</p>
            <div class="ov-table-wrap">
                <table class="ov-table" id="renew-report">
                    <thead><tr><th>{ "App" }</th><th>{ "Secret" }</th><th>{ "Result" }</th><th>{ "Details" }</th></tr></thead>
                    <tbody>
                        { for run.items.iter().map(|item| {
                            let r = item.result();
                            let key = r.map(ItemResult::key).unwrap_or("unfinished");
                            let details = match r {
                                Some(done @ ItemResult::Renewed { new_key_id, version, .. }) => format!(
                                    "New secret {new_key_id} in {}/{}{}. {}", item.candidate.copy.vault_name,
                                    item.candidate.copy.secret_name,
                                    version.as_deref().map(|v| format!(" (version {v})")).unwrap_or_default(),
                                    reason(done)),
                                Some(done @ ItemResult::Earlier { new_key_id }) => format!("{} New secret {new_key_id}.", reason(done)),
                                Some(other) => reason(other).to_string(),
                                None => String::new(),
                            };
                            html! {
                                <tr data-result={key} data-key-id={item.candidate.key_id.clone()}>
                                    <td>{ item.candidate.app_name.clone() }</td>
                                    <td>{ item.candidate.description.clone().unwrap_or_else(|| item.candidate.key_id.clone()) }</td>
                                    <td>{ r.map_or("Unfinished", ItemResult::label) }</td>
                                    <td>{ details }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            { removal }
            <div class="actions">
                <button type="button" class="button" id="renew-report-csv" onclick={on_csv}>{ "Download the report (CSV)" }</button>
                { remove_button(state, d) }
                <button type="button" class="button" onclick={d.reform(|_| Msg::Find)}>{ "Check the vaults again" }</button>
            </div>
            <p class="hint">{ "The old secrets keep working until you remove them: update what uses them \
                (or let it read the vault), then remove the replaced ones." }</p>
        </>
    }
}
