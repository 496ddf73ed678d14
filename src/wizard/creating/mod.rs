//! Step 4, Creating: addPassword was sent with the [`Attempt`] the Describe step made, and
//! its answer decides where the wizard goes ([`land`]): Show once (created; then look for
//! duplicates), Recovery (the answer was lost: look before anything is sent again), or back to
//! the form (refused, in words, or never sent). The step can't be left while it waits: its
//! answer must land somewhere. The component is [`view::creating_step`].
//!
//! It hands over to the steps after it, so it imports them (`describe`, `show_once`,
//! `recovery`); only the router imports it.

use super::describe::{AddAnswer, Attempt, DescribeState};
use super::recovery::{RecoveryEffect, RecoveryState};
use super::review::ReviewState;
use super::show_once::{ShowOnceEffect, ShowOnceSetup, ShowOnceState};
use crate::runtime::Outcome;

#[cfg(target_arch = "wasm32")]
pub mod view;

/// Where addPassword's answer takes the wizard.
#[derive(Debug)]
pub enum Landing {
    /// Created: the value on screen, and the read that looks for duplicates.
    ShowOnce(Box<ShowOnceState>, Vec<ShowOnceEffect>),
    /// The answer is lost, not the request: never resend addPassword. The read that looks.
    Recovery(Box<RecoveryState>, Vec<RecoveryEffect>),
    /// Back to the form: Graph refused (worded, with who can help), or nothing was sent.
    Describe(Box<DescribeState>),
}

/// Lands addPassword's `outcome` for `attempt`. The chosen app (`review`) learns of the new
/// secret, or what a refusal says about the app; `setup` says where later reads go.
pub fn land(
    attempt: Attempt,
    outcome: Outcome,
    review: Option<&mut ReviewState>,
    setup: ShowOnceSetup,
) -> Landing {
    match attempt.answer(outcome) {
        AddAnswer::Created(attempt, created) => {
            if let Some(review) = review {
                review.credential_added(created.credential.clone());
            }
            let show = Box::new(ShowOnceState::new(setup, created, attempt));
            let verify = show.verify();
            Landing::ShowOnce(show, verify)
        }
        AddAnswer::Lost(attempt, cause) => {
            let (base, id) = (&setup.graph_base, &setup.app_object_id);
            let mut recovery = Box::new(RecoveryState::checking(base, id, attempt, cause));
            let recheck = recovery.recheck();
            Landing::Recovery(recovery, recheck)
        }
        AddAnswer::Rejected(attempt, e) => {
            let tried = attempt.days();
            Landing::Describe(Box::new(match review {
                Some(review) => {
                    let owners = review.graph_refused(&e, tried);
                    attempt.refused(&e, &owners, Some(review.policy()))
                }
                None => attempt.refused(&e, &[], None),
            }))
        }
        AddAnswer::NotSent(form) => Landing::Describe(Box::new(form)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use crate::runtime::Failure;
    use crate::wizard::describe::tests::{app, attempt};
    use crate::wizard::shared::Call;
    use serde_json::json;

    fn setup() -> ShowOnceSetup {
        ShowOnceSetup {
            graph_base: "https://graph.test".into(),
            app_object_id: "obj-1".into(),
            salt: 7,
            clipboard_clear_secs: 60,
        }
    }

    fn sent_to(effects: &[ShowOnceEffect]) -> Vec<(Call, String)> {
        effects
            .iter()
            .filter_map(|e| match e {
                ShowOnceEffect::Send(call, request) => Some((*call, request.url.clone())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn created_shows_the_value_once_and_the_app_learns_of_the_new_secret() {
        let (attempt, _) = attempt();
        let body = json!({ "keyId": "new", "displayName": attempt.sent().display_name,
            "hint": "Zq8", "secretText": "Zq8~value" });
        let mut review = ReviewState::new("https://graph.test", app());
        let outcome = Ok(HttpResponse::new(200, body.to_string()));
        let Landing::ShowOnce(show, verify) = land(attempt, outcome, Some(&mut review), setup())
        else {
            panic!("expected Show once")
        };
        assert_eq!(show.credential().key_id, "new");
        let [(Call::Verify, url)] = &sent_to(&verify)[..] else {
            panic!("{verify:?}")
        };
        assert!(
            url.starts_with("https://graph.test/v1.0/applications/obj-1?"),
            "{url}"
        );
        let keys: Vec<_> = review
            .app()
            .password_credentials
            .iter()
            .map(|c| &c.key_id)
            .collect();
        assert!(keys.contains(&&"new".to_string()), "{keys:?}");
    }

    #[test]
    fn a_lost_answer_is_looked_into_and_a_refusal_goes_back_to_the_form() {
        let (lost, _) = attempt();
        let Landing::Recovery(_, recheck) = land(lost, Err(Failure::Network), None, setup()) else {
            panic!("expected Recovery")
        };
        assert!(
            matches!(&recheck[..], [RecoveryEffect::Send(Call::Recheck, r)]
            if r.url.contains("/applications/obj-1?"))
        );
        let refusal = json!({ "error": { "code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation." } });
        let (refused, _) = attempt();
        let outcome = Ok(HttpResponse::new(403, refusal.to_string()));
        let Landing::Describe(form) = land(refused, outcome, None, setup()) else {
            panic!("expected the form")
        };
        assert!(form.problem().is_some(), "worded on the form");
        let (not_sent, _) = attempt();
        let outcome = Err(Failure::Auth("Sign in again.".into()));
        let Landing::Describe(form) = land(not_sent, outcome, None, setup()) else {
            panic!("expected the form")
        };
        assert_eq!(form.problem().unwrap().message, "Sign in again.");
    }
}
