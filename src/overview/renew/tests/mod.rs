//! Renewing many at once: what is offered, one renewal's steps, a run of 200 against a small
//! simulated tenant with and without faults, the panel's reducer, and removing what was
//! replaced.

use std::rc::Rc;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};

use super::item::{Item, ItemResult, RunSettings};
use super::run::{Run, Work};
use super::select::{find, Candidate, VaultSecretRef};
use crate::config::VaultRef;
use crate::graph;
use crate::overview::model::{build_rows, Row};
use crate::rotation::{VaultScan, VaultScanState};

mod run;
mod sim;
mod state;

use sim::{Sim, ARM, GRAPH, VAULT_ID};

pub(super) fn now() -> DateTime<FixedOffset> {
    Utc.with_ymd_and_hms(2026, 12, 4, 10, 0, 0)
        .unwrap()
        .fixed_offset()
}

pub(super) fn settings() -> RunSettings {
    RunSettings {
        graph_base: GRAPH.into(),
        arm_base: ARM.into(),
        upn: "ada@contoso.example".into(),
        lifetime_days: 180,
        lifetimes: vec![90, 180, 365],
    }
}

/// The overview's rows for the simulated tenant, read through Graph's shapes.
pub(super) fn rows(sim: &mut Sim) -> Rc<Vec<Row>> {
    let ids: Vec<String> = sim.apps.iter().map(|a| a.id.clone()).collect();
    let apps: Vec<graph::Application> = ids
        .iter()
        .map(|id| {
            let res = sim
                .handle(&graph::get_application(GRAPH, id))
                .expect("answered");
            graph::parse_application(&res).expect("an application")
        })
        .collect();
    sim.sent.clear();
    Rc::new(build_rows(&apps, &now()))
}

/// The vault as the scan lists it.
pub(super) fn scanned(sim: &mut Sim) -> Vec<VaultScan> {
    let res = sim
        .handle(&crate::arm::list_secrets(ARM, VAULT_ID, None))
        .expect("answered");
    let list = crate::arm::parse_secret_list(&res).expect("a list");
    sim.sent.clear();
    vec![VaultScan {
        id: VAULT_ID.into(),
        name: "kv-test".into(),
        subscription_name: String::new(),
        state: VaultScanState::Listed(list.value),
        truncated: false,
    }]
}

pub(super) fn candidates(sim: &mut Sim) -> Vec<Candidate> {
    let rows = rows(sim);
    let vaults = scanned(sim);
    find(&rows, &vaults, &[]).candidates
}

/// Runs `run` against `sim` to its end, answering requests in the order sent and waking the
/// run at once after each wait (the clock moves on by the wait).
pub(super) fn drive(run: &mut Run, sim: &mut Sim, first: Vec<Work>) -> u64 {
    let mut t = now().to_utc();
    let mut queue: std::collections::VecDeque<Work> = first.into();
    let mut waited = 0;
    while let Some(w) = queue.pop_front() {
        let more = match w {
            Work::Send(i, req) => {
                sim.now = Some(t);
                let outcome = sim.handle(&req);
                run.answer(i, outcome, t)
            }
            Work::Wait(ms) => {
                waited += ms;
                t += Duration::milliseconds(ms as i64);
                run.wake(t)
            }
        };
        queue.extend(more);
    }
    waited
}

#[test]
fn secrets_with_one_vault_copy_are_offered_most_urgent_first() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(3, 20, t);
    // App 001's secret ends later; app 002's copy is tagged as another app's.
    sim.apps[1].creds[0].end = t + Duration::days(80);
    sim.vault.get_mut("secret-002").unwrap()[0]
        .tags
        .insert("ClientId".into(), "someone-else".into());
    let found = {
        let rows = rows(&mut sim);
        let vaults = scanned(&mut sim);
        find(&rows, &vaults, &[])
    };
    let keys: Vec<&str> = found.candidates.iter().map(|c| c.key_id.as_str()).collect();
    assert_eq!(
        keys,
        [
            sim.apps[0].creds[0].key_id.as_str(),
            sim.apps[1].creds[0].key_id.as_str()
        ]
    );
    assert_eq!(found.within(30).count(), 1);
    assert_eq!(found.within(90).count(), 2);
    let c = &found.candidates[0];
    assert_eq!(
        c.copy,
        VaultSecretRef {
            vault_id: VAULT_ID.into(),
            vault_name: "kv-test".into(),
            secret_name: "secret-000".into(),
        }
    );
    assert!(found.replaced.is_empty() && found.not_offered.is_empty());
}

#[test]
fn a_secret_in_two_vault_secrets_is_not_offered() {
    let mut sim = Sim::with_apps(1, 20, now().to_utc());
    let copy = sim.vault["secret-000"].clone();
    sim.vault.insert("secret-copy".into(), copy);
    let rows = rows(&mut sim);
    let vaults = scanned(&mut sim);
    let found = find(&rows, &vaults, &[]);
    assert!(found.candidates.is_empty());
    assert_eq!(found.not_offered.len(), 1);
    assert!(
        found.not_offered[0].reason.contains("2 vault secrets"),
        "{:?}",
        found.not_offered
    );
}

#[test]
fn a_renewed_secret_is_replaced_once_the_vault_names_its_successor() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(2, 20, t);
    let mut run = Run::new(settings(), candidates(&mut sim)[..1].to_vec(), t);
    let first = run.pump(t);
    drive(&mut run, &mut sim, first);
    let new_key = match run.items[0].result() {
        Some(ItemResult::Renewed { new_key_id, .. }) => new_key_id.clone(),
        other => panic!("{other:?}"),
    };
    let old_key = sim.apps[0].creds[0].key_id.clone();
    // Read afresh (after a reload): the old secret is replaced, no longer a candidate.
    let found = {
        let rows = rows(&mut sim);
        let vaults = scanned(&mut sim);
        find(&rows, &vaults, &[])
    };
    assert_eq!(found.replaced.len(), 1);
    assert_eq!(found.replaced[0].old_key_id, old_key);
    assert_eq!(
        found.replaced[0].new_key_id.to_ascii_lowercase(),
        new_key.to_ascii_lowercase()
    );
    assert!(!found.candidates.iter().any(|c| c.key_id == old_key));
    // With the overview's rows from before the run, this session's renewals say it.
    let mut before = Sim::with_apps(2, 20, t);
    let stale_rows = rows(&mut before);
    let vaults = scanned(&mut sim);
    assert!(find(&stale_rows, &vaults, &[]).replaced.is_empty());
    let found = find(&stale_rows, &vaults, &[(old_key.clone(), new_key)]);
    assert_eq!(found.replaced.len(), 1);
}

#[test]
fn the_report_lists_every_item_with_its_result_and_guards_formulas() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(2, 20, t);
    sim.apps[1].name = "=HYPERLINK(1)".into();
    let picked = candidates(&mut sim);
    sim.vault.remove("secret-001");
    let mut run = Run::new(settings(), picked, t);
    let first = run.pump(t);
    drive(&mut run, &mut sim, first);
    let csv = super::report::to_csv(&run.items);
    let lines: Vec<&str> = csv.split("\r\n").collect();
    assert_eq!(lines[0], super::report::CSV_COLUMNS.join(","));
    // Most urgent first, then by name: "=HYPERLINK(1)" sorts before "App 000".
    assert!(lines[1].starts_with("'=HYPERLINK(1)"), "{}", lines[1]);
    assert!(
        lines[1].contains(",skipped,") && lines[1].contains("is gone"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("App 000,") && lines[2].contains(",renewed,"),
        "{}",
        lines[2]
    );
    assert_eq!(lines.len(), 4, "two items and the last CRLF");
    assert!(!csv.contains("Sim~"), "no value in the report");
    assert_eq!(
        super::report::file_name(&now()),
        "secret-renewals-2026-12-04.csv"
    );
}

#[test]
fn an_item_holds_a_value_only_between_add_password_and_the_vaults_answer() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(1, 20, t);
    let mut item = Item::new(candidates(&mut sim).remove(0));
    let s = settings();
    let mut req = item.start(&s, t);
    let mut held = Vec::new();
    while let Some(r) = req {
        held.push(item.holds_value());
        let outcome = sim.handle(&r);
        item.feed(outcome, &s);
        req = item.request(&s, t);
    }
    // ReadVault, ReadApp, Add: no value; Write: the value; the last read: none.
    assert_eq!(held, [false, false, false, true, false]);
    assert!(!item.holds_value());
    assert!(matches!(item.result(), Some(ItemResult::Renewed { .. })));
}

#[test]
fn the_config_offers_the_sites_lifetimes_and_preselects_its_default() {
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../../../../static/config.sandbox.json")).unwrap();
    json["policy"]["maxLifetimeDays"] = serde_json::json!(400);
    json["policy"]["defaultLifetimeDays"] = serde_json::json!(200);
    json["vault"]["allowed"] = serde_json::json!([VAULT_ID]);
    let config = crate::config::Config::parse(&json.to_string()).unwrap();
    let c = super::RenewConfig::from_config(&config, "ada@contoso.example");
    assert_eq!(c.lifetimes, [90, 180, 200, 365]);
    assert_eq!(c.default_lifetime, 200);
    assert_eq!(c.allowed, [VaultRef::parse(VAULT_ID).unwrap()]);
    assert!(!c.data_plane_only);
}
