//! The wizard's moves between steps, and each step's and part's effects turned into the
//! wizard's (`Effect`s, numbered requests): what `super` routes a message or an answer to.

use super::Wizard;
use crate::net::HttpRequest;
use crate::runtime::Now;
use crate::vault::{VaultEffect, VaultMsg};
use crate::wizard::choose::{ChooseEffect, ChooseMsg};
use crate::wizard::creating::{self, Landing};
use crate::wizard::describe::{DescribeEffect, DescribeMsg, DescribeState};
use crate::wizard::done::{DoneEffect, DoneMsg, VaultPlace};
use crate::wizard::prepared::{At, PreparedEffect};
use crate::wizard::recovery::RecoveryEffect;
use crate::wizard::review::{ReviewEffect, ReviewState};
use crate::wizard::roles::Next;
use crate::wizard::shared::{Call, Effect, Leave};
use crate::wizard::show_once::{ShowOnceEffect, ShowOnceSetup, ShowOnceState};
use crate::wizard::step::Step;
use crate::wizard::vault_step::Lend;

/// Each step's and part's effects, turned into the wizard's; the moves between steps.
impl Wizard {
    /// Creating → Show once, Recovery or back to Describe (`wizard::creating`).
    pub(super) fn on_add_password(
        &mut self,
        outcome: crate::runtime::Outcome,
        now: Now,
    ) -> Vec<Effect> {
        let attempt = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::Creating(attempt) => attempt,
            other => {
                // Only awaited while Creating, which can't be left; keep whatever is there.
                self.step = other;
                return Vec::new();
            }
        };
        let setup = ShowOnceSetup {
            graph_base: self.config.graph_base.clone(),
            app_object_id: self.app_object_id(),
            salt: self.salt,
            clipboard_clear_secs: self.config.clipboard_clear_secs,
        };
        match creating::land(attempt, outcome, self.review.as_mut(), setup) {
            Landing::ShowOnce(show, verify) => {
                self.step = Step::ShowOnce(show);
                let mut effects = self.show_once_effects(verify);
                if self.vault.zero_reveal() {
                    effects.extend(self.vault_msg(VaultMsg::Store));
                }
                effects
            }
            Landing::Recovery(recovery, recheck) => {
                self.step = Step::Recovery(recovery);
                self.recovery_effects(recheck, now)
            }
            Landing::Describe(form) => {
                self.step = Step::Describe(*form);
                Vec::new()
            }
        }
    }

    pub(super) fn leave(&mut self, leave: Leave, now: Now) -> Vec<Effect> {
        match leave {
            Leave::BackToSearch => {
                self.step = Step::Choose;
                self.review = None;
                Vec::new()
            }
            Leave::BackToApp => {
                self.step = Step::Review;
                let may_read = self.user.may_read_policies();
                let Some(review) = self.review.as_mut() else {
                    return Vec::new();
                };
                let effects = review.reload(may_read);
                self.review_effects(effects, now)
            }
            Leave::Finish => {
                // Done with the value: off the clipboard too (if it is still there).
                let copied = self.show_once().is_some_and(ShowOnceState::is_copied);
                let stored = self.vault.state().stored().cloned();
                let mut effects = self.finish(stored);
                if copied && self.config.clipboard_clear_secs > 0 {
                    effects.push(Effect::ClearClipboard);
                }
                effects
            }
            Leave::SignOut => {
                self.reset();
                vec![Effect::SignOut]
            }
            Leave::Navigate(route) => {
                self.step = Step::Choose;
                self.review = None;
                vec![Effect::Navigate(route)]
            }
        }
    }

    /// Show once → Done, dropping the value; Done's first requests (`wizard::done`).
    fn finish(&mut self, stored: Option<crate::vault::StoredRef>) -> Vec<Effect> {
        let place = VaultPlace::of(self.vault.state());
        self.step = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::ShowOnce(s) => Step::Done(s.finish(stored).with_place(place)),
            other => other,
        };
        let effects = match &mut self.step {
            Step::Done(done) => done.start(),
            _ => Vec::new(),
        };
        self.done_effects(effects)
    }

    /// A message for the Done step.
    pub(super) fn done_msg(&mut self, msg: DoneMsg) -> Vec<Effect> {
        let effects = match &mut self.step {
            Step::Done(done) => done.update(msg),
            _ => Vec::new(),
        };
        self.done_effects(effects)
    }

    fn done_effects(&mut self, effects: Vec<DoneEffect>) -> Vec<Effect> {
        effects
            .into_iter()
            .map(|DoneEffect::Send(call, request)| self.send(Call::Done(call), request))
            .collect()
    }

    /// Back to a fresh wizard for nobody: drops the value, the user and every pending answer
    /// (the numbering goes on, so those answers stay stale).
    pub(super) fn reset(&mut self) {
        let mut requests = std::mem::take(&mut self.requests);
        requests.forget_all();
        let mut choose = std::mem::take(&mut self.choose);
        choose.reset();
        let user = self.user.signed_out();
        let vault = self.vault.signed_out();
        *self = Wizard::new(self.config.clone(), self.salt);
        (self.requests, self.choose, self.user, self.vault) = (requests, choose, user, vault);
    }

    /// A new request: remembers it as the latest of its kind.
    pub(super) fn send(&mut self, call: Call, request: HttpRequest) -> Effect {
        let out = self.requests.send(call, request);
        Effect::Send {
            call: out.call,
            seq: out.seq,
            request: out.request,
        }
    }

    pub(super) fn send_next(&mut self, next: Next) -> Vec<Effect> {
        next.map(|(call, request)| self.send(call, request))
            .into_iter()
            .collect()
    }

    /// The chosen app's client ID.
    pub(super) fn app_id(&self) -> Option<&str> {
        self.review.as_ref().map(|r| r.app().app_id.as_str())
    }

    /// The chosen app's object ID ("" before one is chosen).
    fn app_object_id(&self) -> String {
        self.review
            .as_ref()
            .map_or_else(String::new, |r| r.app().id.clone())
    }

    /// The descriptions the chosen app's secrets have.
    pub(super) fn taken_descriptions(&self) -> Vec<String> {
        self.review
            .as_ref()
            .map(ReviewState::taken_descriptions)
            .unwrap_or_default()
    }

    /// What the prepared run needs to know on Review.
    pub(super) fn on_review(&self) -> At<'static> {
        At::Review {
            loading: self.review.as_ref().is_none_or(ReviewState::is_loading),
            access: self.access(),
            can_create: self.can_create(),
        }
    }

    pub(super) fn prepared_effect(
        &mut self,
        effect: Option<PreparedEffect>,
        now: Now,
    ) -> Vec<Effect> {
        match effect {
            Some(PreparedEffect::Search(client_id)) => {
                let search = self.choose.search_for(&client_id);
                self.choose_effects(search, now)
            }
            Some(PreparedEffect::Pick(id)) => {
                let effects = self.choose.update(ChooseMsg::Pick(id));
                self.choose_effects(effects, now)
            }
            Some(PreparedEffect::Describe(choice)) => {
                let mut effects = self.start_describe(now);
                if let Some(choice) = choice {
                    effects.extend(self.describe_msg(DescribeMsg::Lifetime(choice), now));
                }
                effects
            }
            None => Vec::new(),
        }
    }

    pub(super) fn choose_effects(&mut self, effects: Vec<ChooseEffect>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ChooseEffect::Send(call, request) => out.push(self.send(call, request)),
                ChooseEffect::Debounce { token, millis } => {
                    out.push(Effect::Debounce { token, millis })
                }
                // Opens the app on its Review page (only from Choose).
                ChooseEffect::Open(app) if matches!(self.step, Step::Choose) => {
                    let mut review = ReviewState::new(&self.config.graph_base, app);
                    let reload = review.reload(self.user.may_read_policies());
                    self.review = Some(review);
                    self.step = Step::Review;
                    out.extend(self.review_effects(reload, now));
                }
                ChooseEffect::Open(_) => {}
            }
        }
        out
    }

    pub(super) fn review_effects(&mut self, effects: Vec<ReviewEffect>, now: Now) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ReviewEffect::Send(call, request) => {
                    // The app's federated credentials are read with the app (`state::federated`).
                    if call == Call::App {
                        out.extend(self.read_federated());
                    }
                    out.push(self.send(call, request))
                }
                ReviewEffect::StartDescribe => out.extend(self.start_describe(now)),
            }
        }
        out
    }

    fn start_describe(&mut self, now: Now) -> Vec<Effect> {
        if !matches!(self.step, Step::Review) || !self.can_create() {
            return Vec::new();
        }
        let (upn, taken) = (self.user.upn(), self.taken_descriptions());
        self.step = Step::Describe(DescribeState::new(&self.config, &upn, now, &taken));
        self.sync_describe_policy(now);
        Vec::new()
    }

    pub(super) fn describe_msg(&mut self, msg: DescribeMsg, now: Now) -> Vec<Effect> {
        if msg == DescribeMsg::Create && self.vault.state().create_blocker().is_some() {
            return Vec::new(); // Describe says why (pre-flight)
        }
        // A certificate's default vault name (`state::certificate`).
        let renamed = match &msg {
            DescribeMsg::Kind(kind) => self.certificate_vault_name(*kind),
            _ => Vec::new(),
        };
        let (Step::Describe(form), Some(review)) = (&mut self.step, self.review.as_ref()) else {
            return Vec::new();
        };
        let mut out = renamed;
        for effect in form.update(msg, &self.config, review.app(), now) {
            match effect {
                DescribeEffect::Create(attempt, request) => {
                    self.step = Step::Creating(attempt);
                    out.push(self.send(Call::AddPassword, request));
                }
                DescribeEffect::Certificate(order, form) => {
                    return self.start_certificate(order, *form);
                }
            }
        }
        out
    }

    /// Copies the app's policy knowledge into the Describe form, when it is on screen.
    pub(super) fn sync_describe_policy(&mut self, now: Now) {
        let (Step::Describe(d), Some(review)) = (&mut self.step, self.review.as_ref()) else {
            return;
        };
        let created = review.app().created_date_time;
        d.sync_policy(review.policy(), created, &self.config, now);
    }

    pub(super) fn show_once_effects(&mut self, effects: Vec<ShowOnceEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                ShowOnceEffect::Send(call, request) => out.push(self.send(call, request)),
                ShowOnceEffect::ClipboardHolds(f) => out.push(Effect::ClipboardHolds(f)),
                ShowOnceEffect::AppRead(app) => self.app_read(app),
                ShowOnceEffect::Removed(key_id) => self.credential_removed(&key_id),
            }
        }
        out
    }

    pub(super) fn recovery_effects(
        &mut self,
        effects: Vec<RecoveryEffect>,
        now: Now,
    ) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                RecoveryEffect::Send(call, request) => out.push(self.send(call, request)),
                RecoveryEffect::AppRead(app) => self.app_read(app),
                RecoveryEffect::Removed(key_id) => self.credential_removed(&key_id),
                // Back to the form, with a fresh default description unless the user wrote
                // their own.
                RecoveryEffect::CreateAnother => {
                    let (upn, taken) = (self.user.upn(), self.taken_descriptions());
                    self.step = match std::mem::replace(&mut self.step, Step::Choose) {
                        Step::Recovery(r) => Step::Describe(r.into_form(&upn, now, taken)),
                        other => other,
                    };
                }
            }
        }
        out
    }

    fn app_read(&mut self, app: crate::graph::Application) {
        if let Some(review) = self.review.as_mut() {
            review.replace_app(app);
        }
    }

    fn credential_removed(&mut self, key_id: &str) {
        if let Some(review) = self.review.as_mut() {
            review.credential_removed(key_id);
        }
    }

    /// Applies a vault message, lending the value when the Show-once step holds it.
    pub(super) fn vault_msg(&mut self, msg: VaultMsg) -> Vec<Effect> {
        let upn = self.user.upn();
        let lend = match (&self.step, &self.review) {
            (Step::ShowOnce(show), Some(review)) => Some(Lend {
                secret: show.secret(),
                credential: show.credential(),
                thumbprint: None,
                app: review.app(),
                upn: &upn,
            }),
            // The certificate's PEM, while it is being stored (`wizard::certificate`).
            (Step::Certificate(c), Some(review)) => c.pem().map(|pem| Lend {
                secret: pem,
                credential: c.credential(),
                thumbprint: c.thumbprint(),
                app: review.app(),
                upn: &upn,
            }),
            _ => None,
        };
        let effects = self.vault.update(msg, lend);
        self.vault_effects(effects)
    }

    pub(super) fn vault_effects(&mut self, effects: Vec<VaultEffect>) -> Vec<Effect> {
        let mut out = Vec::new();
        for effect in effects {
            match effect {
                VaultEffect::Send { call, request } => {
                    out.push(self.send(Call::Vault(call), request))
                }
                VaultEffect::Remember(id) => out.push(Effect::RememberVault(id)),
                VaultEffect::Timer { token, millis } => {
                    out.push(Effect::VaultTimer { token, millis })
                }
                // Stored: Show once stays (the value may still be copied) until Finish, which
                // takes the references along. Zero-reveal never shows it, so it ends here.
                // A certificate's PEM is never shown: stored, it ends here.
                VaultEffect::Stored(stored) if matches!(self.step, Step::Certificate(_)) => {
                    out.extend(self.finish_certificate(stored));
                }
                VaultEffect::RemoveCertificate => out.extend(self.remove_certificate()),
                VaultEffect::Stored(_) if !self.vault.zero_reveal() => {}
                VaultEffect::Stored(stored) => {
                    out.extend(self.finish(Some(stored)));
                    self.leaving.cancel();
                }
                // Given up deliberately: drop the value, back to the form.
                VaultEffect::CredentialRemoved { key_id } => {
                    // A certificate given up says so by its thumbprint (`state::certificate`).
                    let thumbprint = match &self.step {
                        Step::Certificate(c) => c.thumbprint().map(str::to_string),
                        _ => None,
                    };
                    self.step = match std::mem::replace(&mut self.step, Step::Choose) {
                        Step::ShowOnce(s) => Step::Describe(s.into_form()),
                        Step::Certificate(c) => Step::Describe(c.into_form()),
                        other => other,
                    };
                    self.credential_removed(&key_id);
                    let app = self.review.as_ref().map(|r| r.app().display_name.as_str());
                    match thumbprint {
                        Some(t) => self.vault.gave_up_certificate(&t, app.unwrap_or_default()),
                        None => self.vault.gave_up(&key_id, app.unwrap_or_default()),
                    }
                }
            }
        }
        out
    }
}
