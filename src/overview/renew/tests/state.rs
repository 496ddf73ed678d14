//! The panel's reducer: scan, pick, run, report, remove the replaced — with the simulated
//! tenant answering every request it asks for.

use std::collections::VecDeque;

use chrono::Duration;

use super::sim::{Kind, Sim, ARM, GRAPH, VAULT_ID};
use super::{now, rows};
use crate::config::VaultRef;
use crate::overview::renew::replaced::Removed;
use crate::overview::renew::{Effect, Msg, Phase, RenewConfig, Renewal};
use crate::runtime::{Answer, Now};

fn config() -> RenewConfig {
    RenewConfig {
        graph_base: GRAPH.into(),
        arm_base: ARM.into(),
        allowed: vec![VaultRef::parse(VAULT_ID).unwrap()],
        upn: "ada@contoso.example".into(),
        lifetimes: vec![90, 180, 365],
        default_lifetime: 180,
        data_plane_only: false,
    }
}

/// Sends every effect to the simulated tenant until nothing is left (waits are over at once).
fn settle(r: &mut Renewal, sim: &mut Sim, effects: Vec<Effect>, t: Now) {
    let mut queue: VecDeque<Effect> = effects.into();
    while let Some(e) = queue.pop_front() {
        let more = match e {
            Effect::Send(out) => {
                let outcome = sim.handle(&out.request);
                r.update(
                    Msg::Response(Answer {
                        call: out.call,
                        seq: out.seq,
                        outcome,
                    }),
                    t,
                )
            }
            Effect::Wake { token, .. } => r.update(Msg::Due(token), t),
        };
        queue.extend(more);
    }
}

#[test]
fn find_pick_renew_then_remove_the_replaced() {
    let t = now();
    let mut sim = Sim::with_apps(5, 20, t.to_utc());
    sim.apps[4].creds[0].end = t.to_utc() + Duration::days(70);
    let mut r = Renewal::new(config(), rows(&mut sim));
    assert_eq!(r.phase(), Phase::Idle);
    let e = r.update(Msg::Find, t);
    assert_eq!(r.phase(), Phase::Scanning);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(r.phase(), Phase::Ready);
    assert_eq!(r.picked(), 4, "the one expiring in 70 days is outside 30");
    r.update(Msg::Window(90), t);
    assert_eq!(r.picked(), 5);
    r.update(Msg::Window(30), t);
    let skip = sim.apps[1].creds[0].key_id.clone();
    r.update(Msg::Pick(skip.to_uppercase(), false), t);
    assert_eq!(r.picked(), 3);
    r.update(Msg::Lifetime(365), t);
    r.update(Msg::Lifetime(1000), t); // not offered: ignored
    assert_eq!(r.lifetime, 365);
    let e = r.update(Msg::Start, t);
    assert_eq!(r.phase(), Phase::Running);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(r.phase(), Phase::Finished);
    let c = r.run.as_ref().unwrap().counts();
    assert_eq!((c.renewed, c.skipped, c.left), (3, 0, 0));
    assert_eq!(sim.apps[1].creds.len(), 1, "the unticked one is untouched");
    assert_eq!(
        (sim.apps[0].creds[1].end - sim.apps[0].creds[1].start).num_days(),
        365
    );
    // The renewed ones are no longer offered; they are the replaced ones.
    assert_eq!(r.in_window().count(), 1, "only the unticked one is left");
    let replaced = r.replaced();
    assert_eq!(replaced.len(), 3);
    r.update(Msg::AskRemove, t);
    assert!(r.confirming);
    r.update(Msg::CancelRemove, t);
    assert!(!r.confirming);
    r.update(Msg::AskRemove, t);
    let e = r.update(Msg::ConfirmRemove, t);
    assert_eq!(r.phase(), Phase::Removing);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(r.phase(), Phase::Removed);
    let removal = r.removal.as_ref().unwrap();
    assert!(removal
        .items
        .iter()
        .all(|(_, d)| *d == Some(Removed::Removed)));
    for i in [0, 2, 3] {
        let app = &sim.apps[i];
        assert_eq!(app.creds.len(), 1, "{}", app.name);
        assert!(crate::domain::renewal::renews(
            Some(&app.creds[0].display_name),
            &replaced
                .iter()
                .find(|x| x.object_id == app.id)
                .unwrap()
                .old_key_id
        ));
    }
    assert!(
        r.replaced().is_empty(),
        "removed ones are not offered again"
    );
}

#[test]
fn a_replaced_secret_is_kept_when_the_vault_still_holds_it_or_its_successor_is_gone() {
    let t = now();
    let mut sim = Sim::with_apps(2, 20, t.to_utc());
    let mut r = Renewal::new(config(), rows(&mut sim));
    let e = r.update(Msg::Find, t);
    settle(&mut r, &mut sim, e, t);
    let e = r.update(Msg::Start, t);
    settle(&mut r, &mut sim, e, t);
    // Someone put the old value back in vault 000; app 001's new secret was removed.
    let old0 = sim.apps[0].creds[0].key_id.clone();
    let v = sim.vault.get_mut("secret-000").unwrap();
    let mut back = v[0].clone();
    back.id = "v-back".into();
    v.push(back);
    sim.apps[1].creds.truncate(1);
    r.update(Msg::AskRemove, t);
    let e = r.update(Msg::ConfirmRemove, t);
    settle(&mut r, &mut sim, e, t);
    let removal = r.removal.as_ref().unwrap();
    let kept: Vec<&str> = removal
        .items
        .iter()
        .map(|(_, d)| match d {
            Some(Removed::Kept(why)) => why.as_str(),
            other => panic!("{other:?}"),
        })
        .collect();
    assert!(kept[0].contains("still holds it"), "{}", kept[0]);
    assert!(kept[1].contains("not on the app"), "{}", kept[1]);
    assert!(sim.apps[0].creds.iter().any(|c| c.key_id == old0));
    assert_eq!(sim.sent.get(&Kind::RemovePassword), None);
}

#[test]
fn pausing_then_resuming_goes_on_and_stale_answers_are_ignored() {
    let t = now();
    let mut sim = Sim::with_apps(9, 20, t.to_utc());
    let mut r = Renewal::new(config(), rows(&mut sim));
    let e = r.update(Msg::Find, t);
    settle(&mut r, &mut sim, e, t);
    let e = r.update(Msg::Start, t);
    r.update(Msg::Pause, t);
    assert_eq!(r.phase(), Phase::Pausing);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(r.phase(), Phase::Paused);
    assert_eq!(r.run.as_ref().unwrap().counts().renewed, 4);
    // Nothing can be found again or started while paused.
    assert!(r.update(Msg::Find, t).is_empty());
    assert!(r.update(Msg::Start, t).is_empty());
    let e = r.update(Msg::Resume, t);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(r.phase(), Phase::Finished);
    assert_eq!(r.run.as_ref().unwrap().counts().renewed, 9);
    assert_eq!(sim.sent[&Kind::AddPassword], 9);
}

#[test]
fn a_data_plane_site_offers_nothing() {
    let mut sim = Sim::with_apps(1, 20, now().to_utc());
    let mut r = Renewal::new(
        RenewConfig {
            data_plane_only: true,
            ..config()
        },
        rows(&mut sim),
    );
    assert!(r.update(Msg::Find, now()).is_empty());
    assert_eq!(r.phase(), Phase::Idle);
}

#[test]
fn removing_a_replaced_secret_also_removes_a_renewal_the_vault_never_got() {
    let t = now();
    let mut sim = Sim::with_apps(1, 20, t.to_utc());
    let mut r = Renewal::new(config(), rows(&mut sim));
    let e = r.update(Msg::Find, t);
    settle(&mut r, &mut sim, e, t);
    let e = r.update(Msg::Start, t);
    settle(&mut r, &mut sim, e, t);
    // An orphan a too-early read missed: described as renewing the old secret, not in the vault.
    let old = sim.apps[0].creds[0].key_id.clone();
    let mut orphan = sim.apps[0].creds[1].clone();
    orphan.key_id = "0rphan00-0000-4000-8000-000000000000".into();
    sim.apps[0].creds.push(orphan);
    r.update(Msg::AskRemove, t);
    let e = r.update(Msg::ConfirmRemove, t);
    settle(&mut r, &mut sim, e, t);
    assert_eq!(
        r.removal.as_ref().unwrap().items[0].1,
        Some(Removed::Removed)
    );
    let left: Vec<&str> = sim.apps[0]
        .creds
        .iter()
        .map(|c| c.key_id.as_str())
        .collect();
    assert_eq!(left.len(), 1, "{left:?}");
    assert_ne!(left[0], old);
    assert_eq!(
        sim.vault["secret-000"].last().unwrap().tags["CredentialId"],
        left[0]
    );
    assert_eq!(sim.sent[&Kind::RemovePassword], 2);
}
