//! Starting the wizard prepared: for a hand-off link (straight to Describe, lifetime chosen)
//! or from the expiry overview (the app's Review page).
//!
//! [`Msg::Prepare`](super::Msg::Prepare) searches for the app by client ID; when the answer
//! lands it is picked; once the app, its owners and the user's roles are known and a secret may
//! be added, Describe opens with the lifetime pre-selected. If the app is not visible, the
//! Choose step shows the empty search for that client ID; if the user may not add a secret,
//! Review says why and who can. Nothing is ever created without the user's Create click.

use super::search::Tab;
use super::state::{Effect, Now, Step, Wizard};
use crate::domain::lifetime::LifetimeChoice;

/// Where to take the wizard.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prepared {
    /// The app's client ID (`appId`).
    pub app_id: String,
    /// Lifetime to pre-select on Describe.
    pub choice: Option<LifetimeChoice>,
    /// Go on to Describe (a hand-off link) rather than stop at Review (the overview).
    pub describe: bool,
    /// Vault resource ID from a hand-off link (or the rotation guide), for the Key Vault step.
    pub vault_id: Option<String>,
    /// `vault_id` came from a hand-off link (anyone can write one): unless config.json vets it,
    /// the Key Vault step waits for the user to confirm it (`vault::Origin::Link`).
    pub vault_from_link: bool,
    /// Key Vault secret name from a hand-off link, for the Key Vault step.
    pub secret_name: Option<String>,
    /// What the page says above the steps while this run lasts (a hand-off link's summary).
    pub note: Option<String>,
}

impl Wizard {
    /// Starts a prepared run. Only from Choose: it never disturbs a step in progress.
    pub(super) fn prepare(&mut self, p: Prepared) -> Vec<Effect> {
        if !matches!(self.step, Step::Choose) {
            return Vec::new();
        }
        self.search.tab = Tab::Search;
        self.search.input = p.app_id.clone();
        self.prepared = Some(p);
        self.prepare_pending = true;
        self.run_search()
    }

    /// The prepared run's note, while that run lasts ([`Wizard::in_prepared_run`]).
    pub fn prepared_note(&self) -> Option<&str> {
        self.in_prepared_run()
            .then(|| self.prepared.as_ref()?.note.as_deref())
            .flatten()
    }

    /// Is the app on screen the one the prepared run opened, with that run not over (back to
    /// Choose, or Done)? The prepared run's note shows only then.
    pub fn in_prepared_run(&self) -> bool {
        let (Some(p), Some(ctx)) = (&self.prepared, &self.app) else {
            return false;
        };
        ctx.app.app_id.eq_ignore_ascii_case(&p.app_id)
            && !matches!(self.step, Step::Choose | Step::Done(_))
    }

    /// Moves a pending prepared run on after a response, as far as what is known allows.
    pub(super) fn advance_prepared(&mut self, now: Now) -> Vec<Effect> {
        if !self.prepare_pending {
            return Vec::new();
        }
        let Some(p) = self.prepared.clone() else {
            return Vec::new();
        };
        match &self.step {
            Step::Choose => {
                let results = &self.search.results;
                if results.loading {
                    return Vec::new();
                }
                let found = results
                    .apps
                    .iter()
                    .find(|a| a.app_id.eq_ignore_ascii_case(&p.app_id))
                    .map(|a| a.id.clone());
                self.prepare_pending = found.is_some();
                found.map_or_else(Vec::new, |id| self.pick(&id))
            }
            Step::Review => {
                let loading = self.app.as_ref().is_none_or(|a| a.loading);
                if !p.describe {
                    self.prepare_pending = false;
                    return Vec::new();
                }
                if loading || self.access() == super::Access::Checking {
                    return Vec::new();
                }
                self.prepare_pending = false;
                // On only when known to be allowed: otherwise Review says what is known ("probably
                // not", unknown, the cap), and offers Create where Graph decides.
                if !self.access().is_known_allowed() || !self.can_create() {
                    return Vec::new();
                }
                let mut effects = self.start_describe(now);
                if let Some(choice) = p.choice {
                    effects.extend(self.with_describe(|d| d.set_choice(choice)));
                }
                effects
            }
            _ => {
                self.prepare_pending = false;
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::state::{Call, Msg};
    use super::super::tests::*;
    use super::*;
    use crate::domain::lifetime::LifetimePreset;
    use crate::wizard::{Access, Grant};
    use serde_json::json;

    fn handoff(choice: Option<LifetimeChoice>, describe: bool) -> Prepared {
        Prepared {
            app_id: PAYROLL_APP_ID.to_uppercase(),
            choice,
            describe,
            vault_id: None,
            vault_from_link: true,
            secret_name: Some("payroll-api-client-secret".into()),
            note: Some("Prepared from a hand-off link.".into()),
        }
    }

    fn prepared_dan(p: Prepared) -> Harness {
        let mut h = Harness::new(config());
        h.send(Msg::Start);
        h.send(Msg::Prepare(p));
        h
    }

    #[test]
    fn a_hand_off_lands_dan_on_describe_with_the_lifetime_chosen() {
        let choice = LifetimeChoice::Preset(LifetimePreset::Days180);
        let mut h = prepared_dan(handoff(Some(choice), true));
        let search = h.request(Call::Search).url.clone();
        assert!(search.contains("appId%20eq%20%27"), "{search}");
        assert!(search.contains(PAYROLL_APP_ID), "{search}");
        // The wizard's own first search is superseded: its answer changes nothing.
        h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
        assert!(matches!(h.w.step, Step::Review));
        h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
        h.ok(Call::App, 200, payroll());
        assert!(matches!(h.w.step, Step::Review), "owners unknown");
        // Owning the app is enough; the roles may still be on their way.
        h.ok(Call::Owners, 200, owners(&[dan_owner()]));
        assert_eq!(h.w.access(), Access::Can(Grant::Owner));
        match &h.w.step {
            Step::Describe(d) => assert_eq!(d.choice, choice),
            other => panic!("expected Describe, got {other:?}"),
        }
        h.send(Msg::GraphPermissions(granted(&[])));
        assert!(
            matches!(h.w.step, Step::Describe(_)),
            "later answers don't move it"
        );
        assert_eq!(
            h.count(Call::AddPassword),
            0,
            "nothing is created by itself"
        );
        let kept = h.w.prepared.as_ref().unwrap();
        assert_eq!(
            kept.secret_name.as_deref(),
            Some("payroll-api-client-secret")
        );
    }

    /// Dan's hand-off run, landed on Describe.
    fn landed() -> Harness {
        let mut h = prepared_dan(handoff(None, true));
        assert!(!h.w.in_prepared_run(), "no app on screen yet");
        h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
        h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
        h.send(Msg::GraphPermissions(granted(&[])));
        h.ok(Call::App, 200, payroll());
        h.ok(Call::Owners, 200, owners(&[dan_owner()]));
        assert!(matches!(h.w.step, Step::Describe(_)));
        h
    }

    #[test]
    fn the_prepared_run_lasts_until_done() {
        let mut h = landed();
        assert!(h.w.in_prepared_run());
        assert_eq!(h.w.prepared_note(), Some("Prepared from a hand-off link."));
        h.send(Msg::Create);
        let req = h.request(Call::AddPassword).clone();
        h.ok(
            Call::AddPassword,
            200,
            created_from(&req, "bbbbbbbb-0000-4000-8000-000000000003"),
        );
        assert!(h.w.show_once().is_some());
        assert!(
            h.w.in_prepared_run(),
            "the value on screen is still that run's"
        );
        h.send(Msg::Copied);
        h.send(Msg::Leave(crate::wizard::Leave::Finish));
        assert!(matches!(h.w.step, Step::Done(_)));
        assert!(
            !h.w.in_prepared_run(),
            "done: the note has served its purpose"
        );
        assert_eq!(h.w.prepared_note(), None);
    }

    #[test]
    fn the_prepared_run_ends_when_the_user_goes_elsewhere() {
        let mut h = landed();
        h.send(Msg::Leave(crate::wizard::Leave::BackToSearch));
        assert!(matches!(h.w.step, Step::Choose));
        assert!(!h.w.in_prepared_run());
        // Another app picked by hand is not the prepared one.
        let mut other = payroll();
        other["id"] = json!("0c0c0c0c-0000-4000-8000-0000000000aa");
        other["appId"] = json!("0c0c0c0c-0000-4000-8000-0000000000bb");
        other["displayName"] = json!("Onboarding Portal");
        h.send(Msg::SearchInput("Onboarding".into()));
        h.send(Msg::SearchDue(h.w.tokens));
        h.ok(Call::Search, 200, json!({ "value": [other.clone()] }));
        h.send(Msg::Pick("0c0c0c0c-0000-4000-8000-0000000000aa".into()));
        h.ok(Call::App, 200, other);
        assert!(matches!(h.w.step, Step::Review));
        assert!(!h.w.in_prepared_run());
        assert_eq!(h.w.prepared_note(), None);
    }

    #[test]
    fn from_the_overview_it_stops_at_review() {
        let mut h = prepared_dan(handoff(None, false));
        h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
        h.ok(Call::Me, 200, me(DAN, "dan@contoso.example"));
        h.send(Msg::GraphPermissions(granted(&[])));
        h.ok(Call::App, 200, payroll());
        h.ok(Call::Owners, 200, owners(&[dan_owner()]));
        assert!(matches!(h.w.step, Step::Review));
    }

    #[test]
    fn an_app_the_user_cannot_change_stays_on_review() {
        let mut h = prepared_dan(handoff(None, true));
        h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
        h.ok(Call::Me, 200, me(RITA, "rita@contoso.example"));
        h.send(Msg::GraphPermissions(granted(&[])));
        h.ok(Call::App, 200, payroll());
        h.ok(Call::Owners, 200, owners(&[dan_owner()]));
        // "Probably not" is not a known yes: the run stops at Review, which says so and still
        // offers Create (Graph decides).
        assert!(matches!(h.w.access(), Access::ProbablyNot { .. }));
        assert!(h.w.can_create());
        assert!(matches!(h.w.step, Step::Review));
        // Nothing is left pending: later answers don't move the wizard.
        h.send(Msg::Reload);
        h.ok(Call::App, 200, payroll());
        assert!(matches!(h.w.step, Step::Review));
    }

    #[test]
    fn an_unknown_app_leaves_the_search_for_its_client_id() {
        let mut h = prepared_dan(handoff(None, true));
        h.ok(Call::Search, 200, json!({ "value": [] }));
        assert!(matches!(h.w.step, Step::Choose));
        assert_eq!(h.w.search.input, PAYROLL_APP_ID.to_uppercase());
        // A later, unrelated search answer does not pick anything.
        h.send(Msg::SearchInput("Payroll".into()));
        h.send(Msg::SearchDue(h.w.tokens));
        h.ok(Call::Search, 200, json!({ "value": [payroll()] }));
        assert!(matches!(h.w.step, Step::Choose));
    }

    #[test]
    fn prepare_is_ignored_once_a_step_is_in_progress() {
        let mut h = Harness::new(config());
        h.signed_in(DAN, "dan@contoso.example", false);
        h.open_app(payroll(), owners(&[dan_owner()]));
        h.send(Msg::StartDescribe);
        let sent = h.sent.len();
        h.send(Msg::Prepare(handoff(None, true)));
        assert_eq!(h.sent.len(), sent);
        assert!(matches!(h.w.step, Step::Describe(_)));
    }
}
