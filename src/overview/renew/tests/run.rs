//! One renewal's steps and a run of many against the simulated tenant: exactly one new secret
//! and one new vault version per old secret, with and without busy answers, server errors and
//! lost answers; orphans removed; pause, resume and cancel.

use super::sim::{Fault, Kind, Sim};
use super::{candidates, drive, now, settings};
use crate::domain::renewal::{renews, REPLACES_TAG};
use crate::overview::renew::item::{ItemResult, MAX_LOST};
use crate::overview::renew::run::{Run, Work, MAX_IN_FLIGHT};

/// Every app has its old secret and exactly one renewal of it, whose value is in the vault as
/// the one new version, tagged with its keyId and the keyId it replaces.
fn assert_renewed_once(sim: &Sim, n: usize) {
    for (i, app) in sim.apps.iter().enumerate().take(n) {
        let old = &app.creds[0];
        let renewals: Vec<_> = app
            .creds
            .iter()
            .filter(|c| renews(Some(&c.display_name), &old.key_id))
            .collect();
        assert_eq!(app.creds.len(), 2, "{}: {:?}", app.name, app.creds);
        assert_eq!(renewals.len(), 1, "{}", app.name);
        let versions = &sim.vault[&format!("secret-{i:03}")];
        assert_eq!(versions.len(), 2, "{}: {versions:?}", app.name);
        let latest = &versions[1];
        assert_eq!(latest.tags["CredentialId"], renewals[0].key_id);
        assert_eq!(latest.tags[REPLACES_TAG], old.key_id);
        assert_eq!(latest.tags["environment"], "prod", "others' tags are kept");
        assert_eq!(latest.exp, Some(renewals[0].end.timestamp()));
        assert!(latest.value_len > 20, "the value itself was written");
        assert_eq!(
            (renewals[0].end - renewals[0].start).num_days(),
            180,
            "the run's lifetime"
        );
    }
}

fn run_all(sim: &mut Sim) -> Run {
    let t = now().to_utc();
    let mut run = Run::new(settings(), candidates(sim), t);
    let first = run.pump(t);
    drive(&mut run, sim, first);
    assert!(run.is_finished());
    run
}

#[test]
fn two_hundred_without_faults_send_exactly_two_hundred_of_each_write() {
    let mut sim = Sim::with_apps(200, 20, now().to_utc());
    let run = run_all(&mut sim);
    assert_eq!(run.counts().renewed, 200, "{:?}", run.counts());
    assert_renewed_once(&sim, 200);
    assert_eq!(sim.sent[&Kind::AddPassword], 200);
    assert_eq!(sim.sent[&Kind::PutSecret], 200);
    assert_eq!(sim.sent.get(&Kind::RemovePassword), None);
    // One read of each before writing, and the app once more after storing.
    assert_eq!(sim.sent[&Kind::GetSecret], 200);
    assert_eq!(sim.sent[&Kind::GetApp], 400);
}

#[test]
fn two_hundred_with_busy_answers_server_errors_and_lost_answers_renew_each_once() {
    let mut sim = Sim::with_apps(200, 20, now().to_utc());
    sim.fault(Kind::AddPassword, Fault::Status(429), 5);
    sim.fault(Kind::PutSecret, Fault::Status(503), 5);
    sim.fault(Kind::AddPassword, Fault::Status(500), 2);
    sim.fault(Kind::AddPassword, Fault::DropAfterAction, 2);
    sim.fault(Kind::PutSecret, Fault::DropAfterAction, 2);
    sim.fault(Kind::PutSecret, Fault::Status(502), 2);
    let run = run_all(&mut sim);
    assert_eq!(run.counts().renewed, 200, "{:?}", run.counts());
    assert_renewed_once(&sim, 200);
    // Sent: 200 that created a kept secret, 5 refused as busy, 2 server errors that did
    // nothing, 2 that created a secret whose answer was lost (removed again: orphans).
    assert_eq!(sim.sent[&Kind::AddPassword], 200 + 5 + 2 + 2);
    assert_eq!(sim.sent[&Kind::RemovePassword], 2);
    // Versions written: 200 (the lost answers were read back, not resent); PUTs sent: 200,
    // 5 busy, 2 with a 502 (resent after reading back), and no more.
    assert_eq!(sim.sent[&Kind::PutSecret], 200 + 5 + 2);
}

#[test]
fn a_lost_add_password_answer_is_looked_for_and_its_orphan_removed_before_trying_again() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(1, 20, t);
    sim.fault(Kind::AddPassword, Fault::DropAfterAction, MAX_LOST);
    let mut run = Run::new(settings(), candidates(&mut sim), t);
    let first = run.pump(t);
    drive(&mut run, &mut sim, first);
    // MAX_LOST lost answers: each orphan removed; nothing left behind; skipped with why.
    let Some(ItemResult::Skipped(why)) = run.items[0].result() else {
        panic!("{:?}", run.items[0].result())
    };
    assert!(why.contains("nothing was left behind"), "{why}");
    assert_eq!(sim.apps[0].creds.len(), 1, "only the old secret");
    assert_eq!(sim.sent[&Kind::RemovePassword], MAX_LOST as usize);
    assert_eq!(sim.vault["secret-000"].len(), 1);
}

#[test]
fn a_second_secret_from_the_browsers_own_resend_is_removed_after_storing() {
    let mut sim = Sim::with_apps(3, 20, now().to_utc());
    sim.fault(Kind::AddPassword, Fault::ResentByBrowser, 1);
    let run = run_all(&mut sim);
    assert_eq!(run.counts().renewed, 3);
    assert_renewed_once(&sim, 3);
    assert_eq!(sim.sent[&Kind::RemovePassword], 1);
}

#[test]
fn a_policy_refusing_the_lifetime_gets_the_next_shorter_one_and_the_report_says_so() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(2, 20, t);
    sim.max_days = Some(100);
    let mut s = settings();
    s.lifetime_days = 365;
    let mut run = Run::new(s, candidates(&mut sim), t);
    let first = run.pump(t);
    drive(&mut run, &mut sim, first);
    assert_eq!(run.counts().renewed, 2);
    for app in &sim.apps {
        assert_eq!((app.creds[1].end - app.creds[1].start).num_days(), 90);
    }
    // 365 refused, 180 refused, 90 created: per app.
    assert_eq!(sim.sent[&Kind::AddPassword], 6);
    let Some(r @ ItemResult::Renewed { refused_days, .. }) = run.items[0].result() else {
        panic!()
    };
    assert_eq!(*refused_days, Some(365));
    assert!(
        crate::overview::renew::report::reason(r).contains("refused 1 year"),
        "{}",
        crate::overview::renew::report::reason(r)
    );
    // Below the shortest offered: skipped with why, nothing created.
    let mut sim = Sim::with_apps(1, 20, t);
    sim.max_days = Some(30);
    let run = run_all(&mut sim);
    let Some(ItemResult::Skipped(why)) = run.items[0].result() else {
        panic!()
    };
    assert!(why.contains("doesn't allow even 90 days"), "{why}");
    assert_eq!(sim.apps[0].creds.len(), 1);
}

#[test]
fn after_a_lost_answer_the_app_is_read_late_enough_to_see_what_the_call_made() {
    let mut sim = Sim::with_apps(2, 20, now().to_utc());
    // Graph's reads lag its writes by 3 s here; the lost call's secret shows only then.
    sim.read_lag = Some(chrono::Duration::seconds(3));
    sim.fault(Kind::AddPassword, Fault::DropAfterAction, 1);
    let run = run_all(&mut sim);
    assert_eq!(run.counts().renewed, 2);
    assert_renewed_once(&sim, 2);
    assert_eq!(
        sim.sent[&Kind::RemovePassword],
        1,
        "the orphan was seen and removed"
    );
}

#[test]
fn a_reload_mid_run_leaves_an_orphan_that_the_next_run_removes() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(1, 20, t);
    // addPassword happened, then the page went away (the value with it).
    let old = sim.apps[0].creds[0].key_id.clone();
    let mut item = crate::overview::renew::item::Item::new(candidates(&mut sim).remove(0));
    let s = settings();
    let mut req = item.start(&s, t);
    while let Some(r) = req.take() {
        let add = r.url.ends_with("addPassword");
        let outcome = sim.handle(&r);
        if add {
            break;
        }
        item.feed(outcome, &s);
        req = item.request(&s, t);
    }
    assert_eq!(sim.apps[0].creds.len(), 2);
    let run = run_all(&mut sim);
    assert_eq!(run.counts().renewed, 1);
    assert_renewed_once(&sim, 1);
    assert!(sim.apps[0].creds.iter().any(|c| c.key_id == old));
}

#[test]
fn a_refused_vault_write_removes_the_new_secret_and_spares_the_vaults_other_items() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(8, 20, t);
    sim.fault(Kind::PutSecret, Fault::Status(403), 100);
    let run = run_all(&mut sim);
    let c = run.counts();
    assert_eq!(c.renewed, 0);
    assert_eq!(c.skipped, 8);
    // Only the items already past their reads when the first refusal came tried to add.
    let adds = sim.sent[&Kind::AddPassword];
    assert!(
        adds <= MAX_IN_FLIGHT,
        "{adds} addPassword for a vault that refuses writes"
    );
    assert_eq!(
        sim.sent[&Kind::RemovePassword],
        adds,
        "every new secret removed again"
    );
    assert!(sim.apps.iter().all(|a| a.creds.len() == 1));
    let why: Vec<&str> = run
        .items
        .iter()
        .filter_map(|i| match i.result() {
            Some(ItemResult::Skipped(w)) => Some(w.as_str()),
            _ => None,
        })
        .collect();
    assert!(why.iter().any(|w| w.contains("removed again")), "{why:?}");
    assert!(why.iter().any(|w| w.starts_with("Not tried")), "{why:?}");
}

#[test]
fn a_vault_copy_that_moved_on_is_skipped_or_counted_as_renewed_earlier() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(3, 20, t);
    let picked = candidates(&mut sim);
    // 000: renewed by an earlier run (vault and app agree); 001: someone stored another value.
    let mut first = Run::new(settings(), picked[..1].to_vec(), t);
    let w = first.pump(t);
    drive(&mut first, &mut sim, w);
    sim.vault.get_mut("secret-001").unwrap()[0]
        .tags
        .insert("CredentialId".into(), "someone-elses".into());
    sim.sent.clear();
    let mut run = Run::new(settings(), picked, t);
    let w = run.pump(t);
    drive(&mut run, &mut sim, w);
    let results: Vec<&str> = run
        .items
        .iter()
        .map(|i| i.result().unwrap().key())
        .collect();
    assert_eq!(results, ["earlier", "skipped", "renewed"]);
    assert_eq!(sim.sent[&Kind::AddPassword], 1);
    assert_eq!(sim.apps[0].creds.len(), 2, "no second renewal of 000");
}

#[test]
fn pause_starts_nothing_new_resume_goes_on_and_cancel_ends_the_rest() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(12, 20, t);
    let mut run = Run::new(settings(), candidates(&mut sim), t);
    let first = run.pump(t);
    assert_eq!(first.len(), MAX_IN_FLIGHT, "four at once");
    run.pause();
    // The four under way end; nothing else starts.
    drive(&mut run, &mut sim, first);
    assert_eq!(run.counts().renewed, MAX_IN_FLIGHT);
    assert_eq!(run.counts().left, 12 - MAX_IN_FLIGHT);
    assert_eq!(run.in_flight(), 0);
    assert!(!run.is_finished());
    let more = run.resume(t);
    assert_eq!(more.len(), MAX_IN_FLIGHT);
    // Answer two of the four, then cancel: the other two still end; the rest is cancelled.
    let mut more: std::collections::VecDeque<Work> = more.into();
    let mut answered = 0;
    while answered < 2 {
        if let Some(Work::Send(i, req)) = more.pop_front() {
            let outcome = sim.handle(&req);
            more.extend(run.answer(i, outcome, t));
            if run.items[i].is_done() {
                answered += 1;
            }
        }
    }
    // Those done made room for more (not paused): started so far is what may end renewed.
    let started = run
        .items
        .iter()
        .filter(|i| !matches!(i.step, crate::overview::renew::item::Step::Queued))
        .count();
    assert!(started < 12);
    run.cancel(t);
    drive(&mut run, &mut sim, more.into());
    let c = run.counts();
    assert!(run.is_finished());
    assert_eq!(c.renewed, started, "those under way end renewed: {c:?}");
    assert_eq!(c.cancelled, 12 - started, "{c:?}");
    assert_eq!(sim.sent[&Kind::AddPassword], started);
}

#[test]
fn a_busy_answer_holds_the_run_and_backs_off() {
    let t = now().to_utc();
    let mut sim = Sim::with_apps(2, 20, t);
    sim.fault(Kind::AddPassword, Fault::Status(429), 3);
    let mut run = Run::new(settings(), candidates(&mut sim), t);
    let first = run.pump(t);
    let waited = drive(&mut run, &mut sim, first);
    assert_eq!(run.counts().renewed, 2);
    // 2 s, then 4 s, then 8 s (no Retry-After readable).
    assert!(waited >= 2_000 + 4_000, "{waited}");
    assert_renewed_once(&sim, 2);
}
