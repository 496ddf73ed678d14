//! Starting the wizard prepared: for a hand-off link (straight to Describe, lifetime chosen)
//! or from the expiry overview (the app's Review page).
//!
//! The run crosses steps, so it is its own small reducer ([`PreparedRun`]) that the router
//! (`wizard::state`) asks after each answer: [`Msg::Prepare`](super::Msg::Prepare) searches
//! for the app by client ID; when the answer lands it is picked; once the app, its owners and
//! the user's roles are known and a secret may be added, Describe opens with the lifetime
//! pre-selected. If the app is not visible, the Choose step shows the empty search for that
//! client ID; if the user may not add a secret, Review says why and who can. Nothing is ever
//! created without the user's Create click. The run's vault and secret name stay for the Key
//! Vault step (`wizard::vault_step`), for that app only.

use super::choose::ChooseState;
use super::step::Step;
use crate::domain::access::Access;
use crate::domain::lifetime::LifetimeChoice;
use crate::vault::PreparedVault;

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

impl Prepared {
    /// The vault to pre-select, and how far it is trusted.
    pub fn vault(&self) -> Option<PreparedVault<'_>> {
        let id = self.vault_id.as_deref()?;
        Some(if self.vault_from_link {
            PreparedVault::Link(id)
        } else {
            PreparedVault::Trusted(id)
        })
    }
}

/// The last prepared run, and whether it still moves the wizard on.
#[derive(Debug, Default)]
pub struct PreparedRun {
    /// Kept after the run: its vault and secret name are for the Key Vault step.
    last: Option<Prepared>,
    pending: bool,
}

/// What the run asks of the router.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PreparedEffect {
    /// Search for the app by this client ID.
    Search(String),
    /// Open the search result with this object ID.
    Pick(String),
    /// Open Describe, with this lifetime pre-selected (if any).
    Describe(Option<LifetimeChoice>),
}

/// Where the wizard is, as far as the run cares.
#[derive(Debug)]
pub enum At<'a> {
    /// Choosing: the search (for the run's app) may have answered.
    Choose(&'a ChooseState),
    /// Reviewing an app.
    Review {
        /// The app or its owners are still being read.
        loading: bool,
        access: Access,
        /// Create can be offered (`Wizard::can_create`).
        can_create: bool,
    },
    Elsewhere,
}

impl PreparedRun {
    /// The last prepared run (kept after it is over).
    pub fn last(&self) -> Option<&Prepared> {
        self.last.as_ref()
    }

    /// The last run, when it was for the app with this client ID.
    pub fn for_app(&self, client_id: &str) -> Option<&Prepared> {
        self.last
            .as_ref()
            .filter(|p| p.app_id.eq_ignore_ascii_case(client_id))
    }

    /// Whether the run still waits for an answer to move the wizard on.
    pub fn is_pending(&self) -> bool {
        self.pending
    }

    /// Starts a run. Only from Choose: it never disturbs a step in progress.
    pub fn start(&mut self, p: Prepared, step: &Step) -> Option<PreparedEffect> {
        if !matches!(step, Step::Choose) {
            return None;
        }
        let search = PreparedEffect::Search(p.app_id.clone());
        self.last = Some(p);
        self.pending = true;
        Some(search)
    }

    /// Is `app_id` (the app on screen) the one the run opened, with that run not over (back to
    /// Choose, or Done)? The run's note shows only then.
    pub fn is_on(&self, step: &Step, app_id: Option<&str>) -> bool {
        let (Some(p), Some(app_id)) = (&self.last, app_id) else {
            return false;
        };
        app_id.eq_ignore_ascii_case(&p.app_id) && !matches!(step, Step::Choose | Step::Done(_))
    }

    /// The run's note, while the run lasts ([`PreparedRun::is_on`]).
    pub fn note(&self, step: &Step, app_id: Option<&str>) -> Option<&str> {
        self.is_on(step, app_id)
            .then(|| self.last.as_ref()?.note.as_deref())
            .flatten()
    }

    /// Moves a pending run on after an answer, as far as what is known allows.
    pub fn advance(&mut self, at: At<'_>) -> Option<PreparedEffect> {
        if !self.pending {
            return None;
        }
        let p = self.last.as_ref()?;
        match at {
            At::Choose(choose) => {
                let found = choose.found(&p.app_id)?; // still searching
                self.pending = found.is_some();
                found.map(PreparedEffect::Pick)
            }
            At::Review { .. } if !p.describe => {
                self.pending = false;
                None
            }
            At::Review {
                loading,
                access,
                can_create,
            } => {
                if loading || access == Access::Checking {
                    return None;
                }
                self.pending = false;
                // On only when known to be allowed: otherwise Review says what is known
                // ("probably not", unknown, the cap), and offers Create where Graph decides.
                (access.is_known_allowed() && can_create)
                    .then_some(PreparedEffect::Describe(p.choice))
            }
            At::Elsewhere => {
                self.pending = false;
                None
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::{Grant, RolesSeen};
    use crate::domain::lifetime::LifetimePreset;
    use crate::net::HttpResponse;
    use crate::wizard::shared::Call;
    use serde_json::json;

    const CLIENT_ID: &str = "22222222-2222-4222-8222-222222222222";

    fn run(describe: bool) -> Prepared {
        Prepared {
            app_id: CLIENT_ID.to_uppercase(),
            choice: Some(LifetimeChoice::Preset(LifetimePreset::Days180)),
            describe,
            vault_id: Some("/subscriptions/s/resourceGroups/rg/providers/x/vaults/kv".into()),
            vault_from_link: true,
            secret_name: None,
            note: Some("Prepared from a hand-off link.".into()),
        }
    }

    /// A Choose step whose search answered with `apps`.
    fn searched(apps: serde_json::Value) -> ChooseState {
        let mut choose = ChooseState::new("https://graph.test");
        choose.search_for(CLIENT_ID);
        let body = json!({ "value": apps }).to_string();
        choose.answer(Call::Search, Ok(HttpResponse::new(200, body)));
        choose
    }

    fn review(loading: bool, access: Access, can_create: bool) -> At<'static> {
        At::Review {
            loading,
            access,
            can_create,
        }
    }

    #[test]
    fn a_run_starts_only_from_choose_and_picks_the_app_once_the_search_answers() {
        let mut r = PreparedRun::default();
        assert_eq!(
            r.start(run(true), &Step::Review),
            None,
            "a step in progress"
        );
        assert!(r.last().is_none() && !r.is_pending());
        let search = r.start(run(true), &Step::Choose);
        assert_eq!(
            search,
            Some(PreparedEffect::Search(CLIENT_ID.to_uppercase()))
        );
        let waiting = ChooseState::new("https://graph.test");
        let mut loading = waiting.clone();
        loading.search_for(CLIENT_ID);
        assert_eq!(r.advance(At::Choose(&loading)), None, "still searching");
        assert!(r.is_pending());
        let app = json!({ "id": "obj-1", "appId": CLIENT_ID, "displayName": "Payroll API" });
        let found = searched(json!([app]));
        assert_eq!(
            r.advance(At::Choose(&found)),
            Some(PreparedEffect::Pick("obj-1".into()))
        );
        assert!(r.is_pending(), "on to Review");

        let mut hidden = PreparedRun::default();
        hidden.start(run(true), &Step::Choose);
        assert_eq!(hidden.advance(At::Choose(&searched(json!([])))), None);
        assert!(!hidden.is_pending(), "not visible: the run stops at Choose");
        assert_eq!(hidden.advance(At::Choose(&found)), None);
    }

    #[test]
    fn describe_opens_only_when_adding_a_secret_is_known_to_be_allowed() {
        let owner = || Access::Can(Grant::Owner);
        let mut r = PreparedRun::default();
        r.start(run(true), &Step::Choose);
        assert_eq!(
            r.advance(review(true, owner(), true)),
            None,
            "owners unknown"
        );
        assert_eq!(r.advance(review(false, Access::Checking, true)), None);
        assert!(r.is_pending());
        let choice = Some(LifetimeChoice::Preset(LifetimePreset::Days180));
        assert_eq!(
            r.advance(review(false, owner(), true)),
            Some(PreparedEffect::Describe(choice))
        );
        assert!(!r.is_pending());
        assert_eq!(r.advance(review(false, owner(), true)), None, "once");

        let probably_not = Access::ProbablyNot {
            owners: vec!["Dev Dan".into()],
            roles: RolesSeen::Unknown { token_roles: false },
        };
        for (access, can_create) in [(probably_not, true), (owner(), false)] {
            let mut r = PreparedRun::default();
            r.start(run(true), &Step::Choose);
            assert_eq!(r.advance(review(false, access, can_create)), None);
            assert!(!r.is_pending(), "Review says why; the run is over");
        }

        let mut overview = PreparedRun::default();
        overview.start(run(false), &Step::Choose);
        assert_eq!(
            overview.advance(review(true, Access::Checking, false)),
            None
        );
        assert!(!overview.is_pending(), "the overview's run stops at Review");
        let mut moved_on = PreparedRun::default();
        moved_on.start(run(true), &Step::Choose);
        assert_eq!(moved_on.advance(At::Elsewhere), None);
        assert!(!moved_on.is_pending());
    }

    #[test]
    fn the_note_shows_while_the_runs_app_is_on_screen_and_the_vault_stays_for_that_app() {
        let mut r = PreparedRun::default();
        r.start(run(true), &Step::Choose);
        let on = Some(CLIENT_ID);
        assert_eq!(r.note(&Step::Choose, on), None, "no app on screen yet");
        assert_eq!(
            r.note(&Step::Review, on),
            Some("Prepared from a hand-off link.")
        );
        assert_eq!(r.note(&Step::Review, Some("another-app")), None);
        assert!(!r.is_on(&Step::Review, None));
        assert_eq!(
            r.for_app(CLIENT_ID).and_then(|p| p.note.as_deref()),
            r.last().unwrap().note.as_deref()
        );
        assert!(r.for_app("another-app").is_none());
        let p = r.last().unwrap();
        assert!(matches!(p.vault(), Some(PreparedVault::Link(_))));
        let trusted = Prepared {
            vault_from_link: false,
            ..p.clone()
        };
        assert!(matches!(trusted.vault(), Some(PreparedVault::Trusted(_))));
        let none = Prepared {
            vault_id: None,
            ..p.clone()
        };
        assert_eq!(none.vault(), None);
    }
}
