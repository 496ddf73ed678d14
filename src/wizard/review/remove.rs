//! Removing any secret from the Review step's table, not only expired ones ("this secret
//! leaked: remove it now"): the confirmation (which warns when it is the app's last working
//! secret, `domain::removal`), `removePassword` as every other removal sends it, and the re-read
//! that shows whether it is really gone. Nothing is refused beforehand: Microsoft Graph's own
//! refusal (403) is explained with who can remove it.
//!
//! [`ReviewState::remove_secret`] takes a [`RemoveSecretMsg`],
//! [`ReviewState::remove_answer`] removePassword's answer; the re-read is the step's own
//! `Call::App`, whose answer ends the removal ([`ReviewState::removal_read`]).

use super::{ReviewEffect, ReviewState};
use crate::domain::expiry::day_month_year;
use crate::domain::removal::{removal_impact, RemovalImpact};
use crate::graph::{self, GraphError, PasswordCredential};
use crate::runtime::{Failure, Now, Outcome, Problem};
use crate::wizard::shared::Call;

/// The user's actions on a secret's removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoveSecretMsg {
    /// "Remove" on the secret with this keyId: opens the confirmation.
    Ask(String),
    /// The last working secret's tick box ("I understand …").
    Tick(bool),
    Confirm,
    Cancel,
}

/// Where a removal from the Review step stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum SecretRemoval {
    #[default]
    Idle,
    /// The confirmation is open. The last working secret needs the tick as well.
    Confirm {
        credential: PasswordCredential,
        impact: RemovalImpact,
        ticked: bool,
    },
    /// removePassword is on its way.
    Removing { credential: PasswordCredential },
    /// Reading the app again to see that it is gone (`unanswered`: removePassword got no answer,
    /// so the re-read tells whether it happened).
    Checking {
        credential: PasswordCredential,
        unanswered: bool,
    },
    /// Gone, as the re-read app shows.
    Removed { credential: PasswordCredential },
    /// Graph said it was removed, yet the app still lists it.
    StillThere { credential: PasswordCredential },
    Failed {
        credential: PasswordCredential,
        problem: Problem,
    },
}

impl SecretRemoval {
    /// A question is open or a request is on its way.
    pub fn is_busy(&self) -> bool {
        matches!(
            self,
            SecretRemoval::Confirm { .. }
                | SecretRemoval::Removing { .. }
                | SecretRemoval::Checking { .. }
        )
    }

    /// Confirm may be pressed: the question is open, and ticked where it must be.
    pub fn may_confirm(&self) -> bool {
        match self {
            SecretRemoval::Confirm { impact, ticked, .. } => *ticked || !impact.is_last_working(),
            _ => false,
        }
    }
}

/// A secret's name in the questions: its description, else "(no description)".
pub fn describe(c: &PasswordCredential) -> String {
    c.display_name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "(no description)".into())
}

/// The confirmation's words: what goes, what stops, and the warning for the last working one.
pub fn confirm_text(
    c: &PasswordCredential,
    impact: &RemovalImpact,
    app: &str,
    now: &Now,
) -> String {
    let what = format!(
        "Remove the client secret \u{201c}{}\u{201d} (Secret ID {}) from {app}? Anything still \
         signing in with it stops working at once, and this can't be undone. If it leaked, \
         removing it now is right; then give the services that used it a new secret.",
        describe(c),
        c.key_id
    );
    match impact {
        RemovalImpact::LastWorking { next } => {
            format!("{what} {}", last_working_text(app, next, now))
        }
        _ => what,
    }
}

/// The warning for the app's last working secret.
/// A secret that starts later is named with its start date in the user's time zone (`now`'s).
pub fn last_working_text(app: &str, next: &Option<PasswordCredential>, now: &Now) -> String {
    let until = match next {
        Some(n) => format!(
            "until \u{201c}{}\u{201d} starts on {}, or a new secret is created and put where \
             its services read it",
            describe(n),
            n.start_date_time
                .map(|s| day_month_year(s.with_timezone(&now.timezone()).date_naive()))
                .unwrap_or_default()
        ),
        None => "until a new secret is created and put where its services read it".into(),
    };
    format!(
        "This is the last working secret of {app}: the app will stop signing in with a client \
         secret {until}."
    )
}

/// The tick box for the last working secret.
pub const LAST_WORKING_TICK: &str =
    "I understand that the app can't sign in with a secret until a new one is in use";

/// Graph's refusal in words: what happened, who can, and that nothing changed.
fn refused(e: &GraphError, owners: &[String]) -> Problem {
    let details = Some(e.details()).filter(|d| !d.is_empty());
    // Who may remove a secret: the app's owners, and Application Administrator or Cloud
    // Application Administrator (the roles Graph's removePassword page lists; the same as for
    // addPassword: ../shared/docs/azure-apis.md §1.3, §1.4).
    let message = match e {
        GraphError::AuthorizationDenied(_) if owners.is_empty() => {
            "Microsoft Graph refused: you can't remove secrets from this app. It has no owners, \
             so ask an Application Administrator or Cloud Application Administrator to remove \
             it. Nothing was removed."
                .to_string()
        }
        GraphError::AuthorizationDenied(_) => format!(
            "Microsoft Graph refused: you can't remove secrets from this app. Its owners ({}) \
             or an Application Administrator or Cloud Application Administrator can; ask one of \
             them. Nothing was removed.",
            owners.join(", ")
        ),
        GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. } => {
            "Microsoft Graph is busy, so the secret was not removed. Try again in a minute.".into()
        }
        other => other.user_message(),
    };
    Problem { message, details }
}

impl ReviewState {
    /// The removal in progress (or its result).
    pub fn removal(&self) -> &SecretRemoval {
        &self.removal
    }

    /// Asks, confirms or cancels a removal; the confirmation judges the secret at `now`.
    pub fn remove_secret(&mut self, msg: RemoveSecretMsg, now: &Now) -> Vec<ReviewEffect> {
        match msg {
            RemoveSecretMsg::Ask(key_id) => {
                if self.removal.is_busy() {
                    return Vec::new();
                }
                let creds = &self.app.password_credentials;
                let Some(credential) = creds.iter().find(|c| c.key_id == key_id).cloned() else {
                    return Vec::new();
                };
                let impact = removal_impact(creds, &key_id, now);
                self.removal = SecretRemoval::Confirm {
                    credential,
                    impact,
                    ticked: false,
                };
                Vec::new()
            }
            RemoveSecretMsg::Tick(on) => {
                if let SecretRemoval::Confirm { ticked, .. } = &mut self.removal {
                    *ticked = on;
                }
                Vec::new()
            }
            RemoveSecretMsg::Cancel => {
                if matches!(self.removal, SecretRemoval::Confirm { .. }) {
                    self.removal = SecretRemoval::Idle;
                }
                Vec::new()
            }
            RemoveSecretMsg::Confirm => {
                if !self.removal.may_confirm() {
                    return Vec::new();
                }
                let SecretRemoval::Confirm { credential, .. } = std::mem::take(&mut self.removal)
                else {
                    return Vec::new();
                };
                let request =
                    graph::remove_password(&self.graph_base, &self.app.id, &credential.key_id);
                self.removal = SecretRemoval::Removing { credential };
                vec![ReviewEffect::Send(Call::RemoveSecret, request)]
            }
        }
    }

    /// removePassword's answer: read the app again (unless Graph refused), since a removal can
    /// report success while the app still lists the secret, and a lost answer says nothing.
    pub fn remove_answer(&mut self, outcome: Outcome) -> Vec<ReviewEffect> {
        let SecretRemoval::Removing { credential } = std::mem::take(&mut self.removal) else {
            return Vec::new();
        };
        let unanswered = match outcome.map(|r| graph::parse_remove_password(&r)) {
            Ok(Ok(())) => false,
            // "No password credential found": gone already; the re-read shows it.
            Ok(Err(GraphError::BadRequest(_))) => false,
            Ok(Err(e)) => {
                let problem = refused(&e, &self.owner_labels());
                self.removal = SecretRemoval::Failed {
                    credential,
                    problem,
                };
                return Vec::new();
            }
            Err(Failure::Network) => true,
            Err(f @ Failure::Auth(_)) => {
                self.removal = SecretRemoval::Failed {
                    credential,
                    problem: Problem::from_failure(f),
                };
                return Vec::new();
            }
        };
        self.removal = SecretRemoval::Checking {
            credential,
            unanswered,
        };
        self.loading = true;
        let request = graph::get_application(&self.graph_base, &self.app.id);
        vec![ReviewEffect::Send(Call::App, request)]
    }

    /// The app was read again (`read`: successfully): ends a removal being checked.
    pub(super) fn removal_read(&mut self, read: bool) {
        let SecretRemoval::Checking {
            credential,
            unanswered,
        } = std::mem::take(&mut self.removal)
        else {
            return;
        };
        let listed = self
            .app
            .password_credentials
            .iter()
            .any(|c| c.key_id == credential.key_id);
        self.removal = match (read, listed, unanswered) {
            (false, _, _) => SecretRemoval::Failed {
                credential,
                problem: Problem::new(
                    "The app couldn't be read again, so we can't confirm the secret is gone. \
                     Reload the app to check.",
                ),
            },
            (true, false, _) => SecretRemoval::Removed { credential },
            (true, true, false) => SecretRemoval::StillThere { credential },
            (true, true, true) => SecretRemoval::Failed {
                credential,
                problem: Problem::new(
                    "Microsoft Graph didn't answer, and the app still lists the secret: it was \
                     not removed. Try again.",
                ),
            },
        };
    }
}

#[cfg(test)]
mod tests {
    use chrono::{Duration, FixedOffset, TimeZone, Utc};
    use serde_json::json;

    use super::*;
    use crate::graph::Application;
    use crate::net::HttpResponse;

    fn now() -> Now {
        FixedOffset::east_opt(3600)
            .unwrap()
            .with_ymd_and_hms(2026, 11, 26, 10, 42, 7)
            .unwrap()
    }

    fn secret(key: &str, start_days: i64, end_days: i64) -> serde_json::Value {
        let at = |d: i64| (now().with_timezone(&Utc) + Duration::days(d)).to_rfc3339();
        json!({ "keyId": key, "displayName": key, "hint": "abc",
                "startDateTime": at(start_days), "endDateTime": at(end_days) })
    }

    fn app(secrets: Vec<serde_json::Value>) -> Application {
        serde_json::from_value(json!({ "id": "obj-1", "appId": "app-1",
            "displayName": "Onboarding Portal", "signInAudience": "AzureADMyOrg",
            "passwordCredentials": secrets }))
        .unwrap()
    }

    fn review(secrets: Vec<serde_json::Value>) -> ReviewState {
        ReviewState::new("https://graph.test", app(secrets))
    }

    fn owned_by_dan(r: &mut ReviewState) {
        r.answer(
            Call::Owners,
            Ok(HttpResponse::new(
                200,
                json!({ "value": [{ "@odata.type": "#microsoft.graph.user", "id": "dan",
                "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] })
                .to_string(),
            )),
        );
    }

    fn read_again(r: &mut ReviewState, secrets: Vec<serde_json::Value>) {
        let body = serde_json::to_string(&app(secrets)).unwrap();
        r.answer(Call::App, Ok(HttpResponse::new(200, body)));
    }

    #[test]
    fn the_last_working_secret_warns_and_needs_the_tick_then_remove_password_and_a_re_read() {
        let mut r = review(vec![secret("old", -800, -10), secret("portal", -290, 75)]);
        assert!(r
            .remove_secret(RemoveSecretMsg::Ask("nope".into()), &now())
            .is_empty());
        assert_eq!(
            r.removal(),
            &SecretRemoval::Idle,
            "unknown keyId: nothing opens"
        );
        r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
        let SecretRemoval::Confirm {
            credential, impact, ..
        } = r.removal().clone()
        else {
            panic!("the question")
        };
        assert!(impact.is_last_working());
        let text = confirm_text(&credential, &impact, "Onboarding Portal", &now());
        assert!(text.contains("Secret ID portal"), "{text}");
        assert!(
            text.contains("This is the last working secret of Onboarding Portal: the app will stop signing in with a client secret until a new secret is created"),
            "{text}"
        );
        // Not without the tick.
        assert!(!r.removal().may_confirm());
        assert!(r.remove_secret(RemoveSecretMsg::Confirm, &now()).is_empty());
        r.remove_secret(RemoveSecretMsg::Tick(true), &now());
        let sent = r.remove_secret(RemoveSecretMsg::Confirm, &now());
        let [ReviewEffect::Send(Call::RemoveSecret, req)] = &sent[..] else {
            panic!("one removePassword: {sent:?}")
        };
        assert_eq!(
            req.url,
            "https://graph.test/v1.0/applications/obj-1/removePassword"
        );
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(req.body.as_deref().unwrap()).unwrap(),
            json!({ "keyId": "portal" })
        );
        assert!(r
            .remove_secret(RemoveSecretMsg::Ask("old".into()), &now())
            .is_empty());
        assert!(
            matches!(r.removal(), SecretRemoval::Removing { .. }),
            "one at a time"
        );
        // 204, then the app read again without it.
        let reread = r.remove_answer(Ok(HttpResponse::new(204, "")));
        assert!(
            matches!(&reread[..], [ReviewEffect::Send(Call::App, q)] if q.url.contains("/applications/obj-1?"))
        );
        assert!(r.is_loading());
        read_again(&mut r, vec![secret("old", -800, -10)]);
        assert!(
            matches!(r.removal(), SecretRemoval::Removed { credential } if credential.key_id == "portal")
        );
        assert_eq!(r.app().password_credentials.len(), 1);
    }

    #[test]
    fn with_another_working_secret_there_is_no_warning_and_no_tick() {
        let mut r = review(vec![
            secret("payroll-2024", -345, 20),
            secret("payroll-2025", -165, 200),
        ]);
        r.remove_secret(RemoveSecretMsg::Ask("payroll-2024".into()), &now());
        let SecretRemoval::Confirm {
            credential, impact, ..
        } = r.removal().clone()
        else {
            panic!("the question")
        };
        assert_eq!(impact, RemovalImpact::OthersWork(1));
        assert!(!confirm_text(&credential, &impact, "Payroll API", &now()).contains("last working"));
        assert!(r.removal().may_confirm(), "no tick needed");
        r.remove_secret(RemoveSecretMsg::Cancel, &now());
        assert_eq!(r.removal(), &SecretRemoval::Idle);
        assert!(
            r.remove_secret(RemoveSecretMsg::Confirm, &now()).is_empty(),
            "nothing to confirm"
        );
    }

    #[test]
    fn graphs_403_says_who_can_and_nothing_is_read_or_removed() {
        let mut r = review(vec![secret("portal", -290, 75)]);
        owned_by_dan(&mut r);
        r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
        r.remove_secret(RemoveSecretMsg::Tick(true), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        let denied = json!({ "error": { "code": "Authorization_RequestDenied",
            "message": "Insufficient privileges to complete the operation." } });
        let effects = r.remove_answer(Ok(HttpResponse::new(403, denied.to_string())));
        assert!(effects.is_empty(), "no re-read");
        let SecretRemoval::Failed { problem, .. } = r.removal() else {
            panic!("refused")
        };
        assert!(
            problem
                .message
                .contains("you can't remove secrets from this app"),
            "{}",
            problem.message
        );
        assert!(
            problem
                .message
                .contains("Its owners (Dev Dan (dan@contoso.example))"),
            "{}",
            problem.message
        );
        assert!(problem.message.contains("Cloud Application Administrator"));
        assert!(problem.message.ends_with("Nothing was removed."));
        assert!(problem
            .details
            .as_deref()
            .unwrap()
            .contains("Authorization_RequestDenied"));
        assert_eq!(r.app().password_credentials.len(), 1, "still listed");
        // Another try is possible.
        r.remove_secret(RemoveSecretMsg::Ask("portal".into()), &now());
        assert!(matches!(r.removal(), SecretRemoval::Confirm { .. }));
        // Without owners, the administrators alone are named.
        let mut orphan = review(vec![secret("x", -1, 9)]);
        orphan.remove_secret(RemoveSecretMsg::Ask("x".into()), &now());
        orphan.remove_secret(RemoveSecretMsg::Tick(true), &now());
        orphan.remove_secret(RemoveSecretMsg::Confirm, &now());
        orphan.remove_answer(Ok(HttpResponse::new(403, denied.to_string())));
        let SecretRemoval::Failed { problem, .. } = orphan.removal() else {
            panic!("refused")
        };
        assert!(
            problem.message.contains("It has no owners"),
            "{}",
            problem.message
        );
    }

    #[test]
    fn a_lost_answer_or_a_removal_that_doesnt_stick_is_told_by_the_re_read() {
        let two = || vec![secret("a", -10, 100), secret("b", -10, 100)];
        // No answer, and the app still lists it: not removed.
        let mut r = review(two());
        r.remove_secret(RemoveSecretMsg::Ask("a".into()), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        assert_eq!(r.remove_answer(Err(Failure::Network)).len(), 1, "re-read");
        read_again(&mut r, two());
        assert!(
            matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message.contains("it was not removed"))
        );
        // No answer, and it is gone: removed.
        r.remove_secret(RemoveSecretMsg::Ask("a".into()), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        r.remove_answer(Err(Failure::Network));
        read_again(&mut r, vec![secret("b", -10, 100)]);
        assert!(matches!(r.removal(), SecretRemoval::Removed { .. }));
        // 204, yet still listed.
        let mut r = review(two());
        r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        r.remove_answer(Ok(HttpResponse::new(204, "")));
        read_again(&mut r, two());
        assert!(matches!(r.removal(), SecretRemoval::StillThere { .. }));
        // The re-read fails: can't tell.
        let mut r = review(two());
        r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        r.remove_answer(Ok(HttpResponse::new(204, "")));
        r.answer(Call::App, Err(Failure::Network));
        assert!(
            matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message.contains("Reload the app"))
        );
        // No token: nothing was sent, nothing to re-read.
        let mut r = review(two());
        r.remove_secret(RemoveSecretMsg::Ask("b".into()), &now());
        r.remove_secret(RemoveSecretMsg::Confirm, &now());
        assert!(r
            .remove_answer(Err(Failure::Auth("Sign in again.".into())))
            .is_empty());
        assert!(
            matches!(r.removal(), SecretRemoval::Failed { problem, .. } if problem.message == "Sign in again.")
        );
    }

    #[test]
    fn a_secret_starting_later_is_named_as_the_one_that_takes_over() {
        let mut r = review(vec![secret("now", -100, 30), secret("next", 10, 190)]);
        r.remove_secret(RemoveSecretMsg::Ask("now".into()), &now());
        let SecretRemoval::Confirm {
            credential, impact, ..
        } = r.removal().clone()
        else {
            panic!("the question")
        };
        let text = confirm_text(&credential, &impact, "Ops Dashboard", &now());
        assert!(
            text.contains("until \u{201c}next\u{201d} starts on 6 Dec 2026"),
            "{text}"
        );
    }
}
