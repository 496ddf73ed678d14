//! The page's reducer end to end with canned answers: load, create (the wizard opens prepared),
//! confirm consumers, remove with confirmation, and check that the removal stuck.

use super::*;
use crate::net::{HttpResponse, Method};
use crate::rotation::guide::{RotationSession, StepState};
use crate::rotation::removal::{Confirmations, Removal};
use crate::rotation::state::{Call, Effect, Msg, Rotation, RotationConfig};
use crate::runtime::{Answer, Failure, Outcome};

struct H {
    r: Rotation,
    sent: Vec<(Call, u64, crate::net::HttpRequest)>,
    saved: Vec<RotationSession>,
    opened: Vec<crate::wizard::Prepared>,
}

impl H {
    fn new(stored: Option<RotationSession>) -> Self {
        let config = RotationConfig {
            graph_base: GRAPH.into(),
            arm_base: ARM.into(),
            vault: settings(None, &[DEV_VAULT]),
        };
        Self {
            r: Rotation::new(config, APP_ID, stored),
            sent: vec![],
            saved: vec![],
            opened: vec![],
        }
    }

    fn send(&mut self, msg: Msg) {
        for e in self.r.update(msg, now()) {
            match e {
                Effect::Send(o) => self.sent.push((o.call, o.seq, o.request)),
                Effect::SaveSession(s) => self.saved.push(s),
                Effect::OpenWizard(p) => self.opened.push(p),
            }
        }
    }

    /// Answers the latest request of a kind.
    fn answer(&mut self, pick: impl Fn(&Call) -> bool, outcome: Outcome) {
        let i = self
            .sent
            .iter()
            .rposition(|(c, _, _)| pick(c))
            .expect("no such request");
        let (call, seq, _) = self.sent.remove(i);
        self.send(Msg::Response(Answer { call, seq, outcome }));
    }

    fn app(&mut self, call: Call, app: &Application) {
        self.answer(
            |c| *c == call,
            Ok(HttpResponse::new(200, serde_json::to_string(app).unwrap())),
        );
    }

    /// Loads the app and the one allowed vault holding `secrets`.
    fn loaded(&mut self, app: &Application, secrets: Value) {
        self.send(Msg::Start);
        self.app(Call::App, app);
        self.answer(
            |c| matches!(c, Call::Scan(_)),
            Ok(HttpResponse::new(
                200,
                json!({ "value": secrets }).to_string(),
            )),
        );
        assert!(self.r.scan_done());
    }

    fn states(&self) -> [StepState; 4] {
        self.r.guide(&now()).unwrap().states
    }
}

fn vault_secret(key: &str) -> Value {
    json!({ "id": format!("{DEV_VAULT}/secrets/payroll-api-client-secret"), "name": "payroll-api-client-secret",
            "tags": { "CredentialId": key, "ProviderAddress": APP_ID },
            "properties": { "secretUriWithVersion": "https://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/v1",
                            "attributes": { "enabled": true } } })
}

fn after_create() -> Application {
    app_with(vec![
        cred(OLD, "payroll-2024", -345, 20),
        cred(OTHER, "payroll-2025", -165, 200),
        cred(NEW, "rotation", 0, 180),
    ])
}

fn after_remove() -> Application {
    app_with(vec![
        cred(OTHER, "payroll-2025", -165, 200),
        cred(NEW, "rotation", 0, 180),
    ])
}

#[test]
fn a_rotation_opens_the_wizard_prepared_and_removes_only_after_confirmation() {
    let mut h = H::new(None);
    h.loaded(&payroll(), json!([vault_secret(OTHER)]));
    assert_eq!(
        h.states(),
        [
            StepState::Current,
            StepState::Pending,
            StepState::Pending,
            StepState::Pending
        ]
    );
    // Removal is not offered yet; asking changes nothing.
    h.send(Msg::AskRemove(OLD.into()));
    assert_eq!(h.r.removal, Removal::Idle);

    h.send(Msg::StartCreate);
    let p = h.opened.pop().expect("the wizard opens");
    assert_eq!(p.app_id, CLIENT_ID);
    assert!(p.describe);
    assert_eq!(p.vault_id.as_deref(), Some(DEV_VAULT));
    assert_eq!(
        p.secret_name.as_deref(),
        Some("payroll-api-client-secret"),
        "the SAME vault secret"
    );
    let saved = h.saved.last().unwrap();
    assert_eq!(saved.old_key_id.as_deref(), Some(OLD));
    assert_eq!(saved.started_at, Some(days(0)));

    // Back from the wizard (a new page, the session from storage): created and stored.
    let mut h = H::new(h.saved.last().cloned());
    h.loaded(&after_create(), json!([vault_secret(NEW)]));
    assert_eq!(
        h.states(),
        [
            StepState::Done,
            StepState::Done,
            StepState::Current,
            StepState::Pending
        ]
    );
    h.send(Msg::AskRemove(OLD.into()));
    assert_eq!(
        h.r.removal,
        Removal::Idle,
        "not before the consumers are confirmed"
    );

    h.send(Msg::ConsumersUpdated(true));
    assert!(h.saved.last().unwrap().consumers_confirmed);
    h.send(Msg::AskRemove(OLD.into()));
    assert!(matches!(
        h.r.removal,
        Removal::Confirm {
            confirmations: Confirmations::One,
            ticked: false,
            ..
        }
    ));
    h.send(Msg::Confirm);
    assert!(
        !h.sent.iter().any(|(c, _, _)| *c == Call::Remove),
        "not without the tick"
    );
    h.send(Msg::Tick(true));
    h.send(Msg::Confirm);
    let (_, _, req) = h.sent.iter().find(|(c, _, _)| *c == Call::Remove).unwrap();
    assert_eq!(req.method, Method::Post);
    assert_eq!(
        req.url,
        format!("{GRAPH}/v1.0/applications/{APP_ID}/removePassword")
    );
    assert!(req.body.as_deref().unwrap().contains(OLD));

    h.answer(|c| *c == Call::Remove, Ok(HttpResponse::new(204, "")));
    assert!(matches!(
        h.r.removal,
        Removal::Verifying {
            unanswered: false,
            ..
        }
    ));
    h.app(Call::Verify, &after_remove());
    assert!(matches!(h.r.removal, Removal::Removed { .. }));
    assert_eq!(h.states(), [StepState::Done; 4]);
}

#[test]
fn a_delete_that_does_not_stick_is_said_and_checked_again() {
    let mut h = H::new(Some(RotationSession {
        app_object_id: APP_ID.into(),
        old_key_id: Some(OLD.into()),
        started_at: Some(days(0)),
        consumers_confirmed: true,
    }));
    h.loaded(&after_create(), json!([vault_secret(NEW)]));
    h.send(Msg::AskRemove(OLD.into()));
    h.send(Msg::Tick(true));
    h.send(Msg::Confirm);
    h.answer(|c| *c == Call::Remove, Ok(HttpResponse::new(204, "")));
    h.app(Call::Verify, &after_create());
    assert!(matches!(h.r.removal, Removal::StillThere { .. }));
    h.send(Msg::CheckAgain);
    h.app(Call::Verify, &after_remove());
    assert!(matches!(h.r.removal, Removal::Removed { .. }));
}

#[test]
fn the_last_active_secret_asks_twice_and_a_lost_answer_is_checked() {
    let only = app_with(vec![cred(OLD, "only", -10, 20)]);
    let mut h = H::new(Some(RotationSession {
        app_object_id: APP_ID.into(),
        old_key_id: Some(OLD.into()),
        started_at: None,
        consumers_confirmed: true,
    }));
    h.loaded(&only, json!([]));
    h.send(Msg::AskRemove(OLD.into()));
    assert!(matches!(
        h.r.removal,
        Removal::Confirm {
            confirmations: Confirmations::Two,
            ..
        }
    ));
    h.send(Msg::Tick(true));
    h.send(Msg::Confirm);
    assert!(matches!(
        h.r.removal,
        Removal::ConfirmLast { ticked: false, .. }
    ));
    h.send(Msg::Confirm);
    assert!(
        matches!(h.r.removal, Removal::ConfirmLast { .. }),
        "the second tick is needed too"
    );
    h.send(Msg::Tick(true));
    h.send(Msg::Confirm);
    assert!(matches!(h.r.removal, Removal::Removing { .. }));
    // No answer: the re-read decides; the secret is still there, so it wasn't removed.
    h.answer(|c| *c == Call::Remove, Err(Failure::Network));
    assert!(matches!(
        h.r.removal,
        Removal::Verifying {
            unanswered: true,
            ..
        }
    ));
    h.app(Call::Verify, &only);
    match &h.r.removal {
        Removal::Failed { problem, .. } => assert!(
            problem.message.contains("was not removed"),
            "{}",
            problem.message
        ),
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_refused_removal_explains_and_cancel_closes_the_dialog() {
    let mut h = H::new(Some(RotationSession {
        app_object_id: APP_ID.into(),
        old_key_id: Some(OLD.into()),
        started_at: Some(days(0)),
        consumers_confirmed: true,
    }));
    h.loaded(&after_create(), json!([]));
    h.send(Msg::AskRemove(OLD.into()));
    h.send(Msg::Cancel);
    assert_eq!(h.r.removal, Removal::Idle);
    h.send(Msg::AskRemove(OLD.into()));
    h.send(Msg::Tick(true));
    h.send(Msg::Confirm);
    let denied = json!({ "error": { "code": "Authorization_RequestDenied", "message": "Insufficient privileges" } });
    h.answer(
        |c| *c == Call::Remove,
        Ok(HttpResponse::new(403, denied.to_string())),
    );
    match &h.r.removal {
        Removal::Failed { problem, .. } => {
            assert!(problem.message.starts_with("You can't remove secrets"))
        }
        other => panic!("{other:?}"),
    }
    assert!(
        h.sent.iter().any(|(c, _, _)| *c == Call::App),
        "the app is read again"
    );
}

#[test]
fn choosing_another_secret_resets_the_confirmation_and_other_apps_sessions_are_ignored() {
    let stored = RotationSession {
        app_object_id: "11111111-1111-4111-8111-111111111111".into(),
        old_key_id: Some(OLD.into()),
        started_at: Some(days(0)),
        consumers_confirmed: true,
    };
    let mut h = H::new(Some(stored));
    assert_eq!(h.r.session, RotationSession::new(APP_ID));
    h.loaded(&after_create(), json!([]));
    h.send(Msg::SelectOld(EXPIRED.into()));
    assert!(
        h.saved.is_empty(),
        "an expired secret can't be the one replaced"
    );
    h.send(Msg::SelectOld(OTHER.into()));
    let s = h.saved.last().unwrap();
    assert_eq!(s.old_key_id.as_deref(), Some(OTHER));
    assert!(!s.consumers_confirmed);
    // Consumers can't be confirmed before a new secret exists.
    h.send(Msg::ConsumersUpdated(true));
    assert!(!h.r.session.consumers_confirmed);
    h.send(Msg::StartOver);
    assert_eq!(h.saved.last().unwrap(), &RotationSession::new(APP_ID));
}

#[test]
fn superseded_scan_answers_are_ignored_after_a_rescan() {
    let mut h = H::new(None);
    h.send(Msg::Start);
    let (call, seq, _) = h
        .sent
        .iter()
        .find(|(c, _, _)| matches!(c, Call::Scan(_)))
        .cloned()
        .unwrap();
    h.send(Msg::Rescan);
    h.send(Msg::Response(Answer {
        call,
        seq,
        outcome: Ok(HttpResponse::new(
            200,
            json!({ "value": [vault_secret(OLD)] }).to_string(),
        )),
    }));
    assert!(
        !h.r.scan_done(),
        "the old answer didn't finish the new scan"
    );
}
