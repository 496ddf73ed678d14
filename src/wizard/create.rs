//! Describe → Creating → Show once → Done: the new secret's description and lifetime, the
//! addPassword call, and the one step that holds the value.

use std::rc::Rc;

use chrono::{DateTime, SubsecRound, Utc};

use super::duplicates::Duplicates;
use super::policy::{AppPolicy, PolicyView};
use super::recovery::RecoveryState;
use super::state::{
    Call, DoneState, Effect, Failure, Fingerprint, Now, Outcome, Problem, Step, Wizard,
    WizardConfig,
};
use crate::domain::description::{self, MAX_DESCRIPTION_CHARS};
use crate::domain::expiry;
use crate::domain::lifetime::{self, LifetimeChoice, LifetimePreset, Limit};
use crate::domain::rotation;
use crate::domain::SecretValue;
use crate::graph::{self, Application, GraphError, NewPassword, PasswordCredential};

/// The default description for one attempt: the domain template (creator and date) with the
/// time of day added, and " (2)", " (3)"… if that is `taken` already, so every attempt's
/// description is unique and a lost response can be matched to what it created.
pub fn attempt_description(upn: &str, now: &Now, taken: &[String]) -> String {
    let base = description::default_description(upn, now);
    let date = now.date_naive().to_string();
    let stamped = format!("{date} {}", expiry::hour_minute_second(now));
    let text = if base.contains(&date) {
        base.replacen(&date, &stamped, 1)
    } else {
        format!("{base} {stamped}")
    };
    let mut candidate = description::truncate_chars(&text, MAX_DESCRIPTION_CHARS);
    let mut n = 2;
    while taken.contains(&candidate) {
        let suffix = format!(" ({n})");
        let room = MAX_DESCRIPTION_CHARS - suffix.chars().count();
        candidate = format!("{}{suffix}", description::truncate_chars(&text, room));
        n += 1;
    }
    candidate
}

/// The Describe step's form.
#[derive(Clone, Debug, PartialEq)]
pub struct DescribeState {
    pub description: String,
    /// The user typed their own description (a new default won't replace it).
    pub description_edited: bool,
    pub description_error: Option<String>,
    pub choice: LifetimeChoice,
    /// The user (or a prepared run) picked the lifetime: a limit learned later won't replace it.
    pub choice_made: bool,
    /// The custom date field's text.
    pub custom_text: String,
    pub lifetime_error: Option<String>,
    /// The organisation's policy for this app as far as it is known (read beforehand, or what
    /// Graph refused), copied from the app's context ([`super::policy`]).
    pub policy: AppPolicy,
    /// The app's `createdDateTime` (a policy restriction may apply from a date on).
    pub app_created: Option<DateTime<Utc>>,
    /// Why the last attempt was refused, with the remedy.
    pub problem: Option<Problem>,
}

impl DescribeState {
    /// A fresh form; `taken` are the descriptions the app's secrets already have.
    pub fn new(config: &WizardConfig, upn: &str, now: Now, taken: &[String]) -> Self {
        let choice =
            lifetime::default_choice(config.default_lifetime_days, config.max_lifetime_days, &now);
        let custom_text = match choice {
            LifetimeChoice::Custom(d) => d.to_string(),
            LifetimeChoice::Preset(_) => String::new(),
        };
        Self {
            description: attempt_description(upn, &now, taken),
            description_edited: false,
            description_error: None,
            choice,
            choice_made: false,
            custom_text,
            lifetime_error: None,
            policy: AppPolicy::default(),
            app_created: None,
            problem: None,
        }
    }

    /// The longest lifetime to offer and why: config's maximum, the organisation's policy when
    /// read, and shorter than a lifetime Graph refused.
    pub fn limit(&self, config: &WizardConfig) -> Limit {
        self.policy
            .limit(config.max_lifetime_days, self.app_created)
    }

    /// The longest lifetime allowed, in days.
    pub fn max_days(&self, config: &WizardConfig) -> u32 {
        self.limit(config).max_days
    }

    /// The sentence beside the lifetimes: the maximum and where it comes from.
    pub fn limit_sentence(&self, config: &WizardConfig) -> String {
        self.limit(config)
            .sentence(&self.policy.who(self.app_created))
    }

    /// The presets to offer (those within the maximum).
    pub fn presets(&self, config: &WizardConfig) -> Vec<LifetimePreset> {
        LifetimePreset::within(self.max_days(config))
    }

    /// The policy is still being read: lifetimes wait for it.
    pub fn policy_reading(&self) -> bool {
        self.policy.view(self.app_created) == PolicyView::Reading
    }

    /// Why no secret can be created here, from the policy (read beforehand or Graph's refusal).
    pub fn policy_blocker(&self) -> Option<String> {
        self.policy.blocked_message(self.app_created)
    }

    pub(super) fn set_description(&mut self, text: String) {
        self.description = text;
        self.description_edited = true;
        self.description_error = None;
    }

    pub(super) fn set_choice(&mut self, choice: LifetimeChoice) {
        self.choice = choice;
        self.choice_made = true;
        if let LifetimeChoice::Custom(d) = choice {
            self.custom_text = d.to_string();
        }
        self.lifetime_error = None;
    }

    pub(super) fn set_custom_date(&mut self, text: &str) {
        self.custom_text = text.trim().to_string();
        self.lifetime_error = None;
        if let Some(d) = expiry::parse_iso_date(&self.custom_text) {
            self.choice = LifetimeChoice::Custom(d);
            self.choice_made = true;
        }
    }

    /// Checks the form; on success, what to send.
    fn validate(&mut self, config: &WizardConfig, now: Now) -> Option<NewPassword> {
        let description = description::validate_description(&self.description)
            .map_err(|e| self.description_error = Some(e.user_message()))
            .ok();
        let custom_unparsed = matches!(self.choice, LifetimeChoice::Custom(_))
            && expiry::parse_iso_date(&self.custom_text).is_none();
        let end = if custom_unparsed {
            self.lifetime_error = Some("Enter the end date as a day, month and year.".into());
            None
        } else {
            lifetime::validate_within(self.choice, &now, self.limit(config))
                .map_err(|e| self.lifetime_error = Some(e.user_message()))
                .ok()
        };
        Some(NewPassword {
            display_name: description?,
            start: Wizard::utc_secs(now),
            // Whole seconds, as Graph stores it (recovery compares what was sent).
            end: end?.end.trunc_subsecs(0),
        })
    }
}

/// One addPassword attempt: what was sent, and what the app had before (to recognise the new
/// credential if the response is lost).
#[derive(Clone, Debug, PartialEq)]
pub struct Attempt {
    pub new: NewPassword,
    pub known_key_ids: Vec<String>,
    /// The form, to return to.
    pub describe: DescribeState,
}

impl Attempt {
    /// The credentials this attempt created that `app` shows: same description, start and end
    /// as were sent, and keyIds the app didn't have before.
    pub fn created_in(&self, app: &Application) -> Vec<PasswordCredential> {
        app.password_credentials
            .iter()
            .filter(|c| !self.known_key_ids.contains(&c.key_id))
            .filter(|c| rotation::find_created(std::slice::from_ref(*c), &self.new).is_some())
            .cloned()
            .collect()
    }
}

/// The only state that holds a secret value. The Key Vault step borrows it for one request at
/// a time (`wizard::vault_step`); once stored, [`ShowOnceState::finish`] (still the single way
/// to Done) drops it.
#[derive(Debug)]
pub struct ShowOnceState {
    pub credential: PasswordCredential,
    /// Shared only with the Show-once component while it is on screen.
    pub secret: Rc<SecretValue>,
    pub copied: bool,
    pub copy_problem: Option<String>,
    /// What was sent, to spot duplicates the browser's own resend created.
    pub attempt: Attempt,
    pub duplicates: Duplicates,
}

impl ShowOnceState {
    /// Leaving can't lose the value: it was copied.
    pub fn is_safe_to_leave(&self) -> bool {
        self.copied
    }

    /// Drops the value (zeroised once the component lets go of its `Rc` too).
    pub(super) fn finish(self: Box<Self>) -> DoneState {
        DoneState {
            credential: self.credential,
            leftover_duplicates: self.duplicates.leftovers(),
            stored: None,
        }
    }
}

impl Wizard {
    /// The descriptions the chosen app's secrets have.
    pub(super) fn taken_descriptions(&self) -> Vec<String> {
        self.app
            .iter()
            .flat_map(|c| c.app.password_credentials.iter())
            .filter_map(|c| c.display_name.clone())
            .collect()
    }

    pub(super) fn with_describe(&mut self, f: impl FnOnce(&mut DescribeState)) -> Vec<Effect> {
        if let Step::Describe(d) = &mut self.step {
            f(d);
        }
        Vec::new()
    }

    /// A newly known user name replaces a default description the user hasn't touched.
    pub(super) fn refresh_default_description(&mut self, now: Now) {
        let upn = self.upn();
        let taken = self.taken_descriptions();
        if let Step::Describe(d) = &mut self.step {
            if !d.description_edited {
                d.description = attempt_description(&upn, &now, &taken);
            }
        }
    }

    /// Copies the app's policy knowledge into the Describe form, when it is on screen. A
    /// default lifetime nobody picked is clipped to a limit learned meanwhile.
    pub(super) fn sync_describe_policy(&mut self, now: Now) {
        let Some(ctx) = self.app.as_ref() else {
            return;
        };
        let config = &self.config;
        if let Step::Describe(d) = &mut self.step {
            d.policy = ctx.policy.clone();
            d.app_created = ctx.app.created_date_time;
            if !d.choice_made {
                let max = d.max_days(config);
                d.choice = lifetime::default_choice(config.default_lifetime_days, max, &now);
                d.custom_text = match d.choice {
                    LifetimeChoice::Custom(date) => date.to_string(),
                    LifetimeChoice::Preset(_) => String::new(),
                };
            }
        }
    }

    pub(super) fn create(&mut self, now: Now) -> Vec<Effect> {
        if self.vault.create_blocker().is_some() {
            return Vec::new(); // Describe says why (pre-flight)
        }
        if let Step::Describe(d) = &self.step {
            if d.policy_reading() || d.policy_blocker().is_some() {
                return Vec::new(); // Describe says why
            }
        }
        let config = self.config.clone();
        let (Step::Describe(d), Some(ctx)) = (&mut self.step, self.app.as_ref()) else {
            return Vec::new();
        };
        d.problem = None;
        let Some(new) = d.validate(&config, now) else {
            return Vec::new();
        };
        let object_id = ctx.app.id.clone();
        let attempt = Attempt {
            known_key_ids: ctx
                .app
                .password_credentials
                .iter()
                .map(|c| c.key_id.clone())
                .collect(),
            describe: d.clone(),
            new,
        };
        let request = graph::add_password(&config.graph_base, &object_id, &attempt.new);
        self.step = Step::Creating(attempt);
        vec![self.send(Call::AddPassword, request)]
    }

    pub(super) fn on_add_password(&mut self, outcome: Outcome) -> Vec<Effect> {
        let attempt = match std::mem::replace(&mut self.step, Step::Choose) {
            Step::Creating(attempt) => attempt,
            other => {
                // Only awaited while Creating, which can't be left; keep whatever is there.
                self.step = other;
                return Vec::new();
            }
        };
        let res = match outcome {
            Ok(res) => res,
            Err(Failure::Network) => {
                // The response is lost, not the request: never resend addPassword. Look first.
                self.step = Step::Recovery(Box::new(RecoveryState::checking(attempt)));
                return self.recheck();
            }
            Err(Failure::Auth(message)) => {
                return self.back_to_describe(attempt, Problem::new(message));
            }
        };
        // 500, 502 and 504 don't say whether Graph acted before failing (429 and 503 do, and the
        // executor retries those): the secret may exist, so look before anything is sent again.
        if matches!(res.status, 500 | 502 | 504) {
            let lost = RecoveryState::after_error(attempt, res.status);
            self.step = Step::Recovery(Box::new(lost));
            return self.recheck();
        }
        match graph::parse_add_password(res) {
            Ok(created) => {
                if let Some(ctx) = self.app.as_mut() {
                    ctx.app
                        .password_credentials
                        .push(created.credential.clone());
                }
                self.step = Step::ShowOnce(Box::new(ShowOnceState {
                    credential: created.credential,
                    secret: Rc::new(created.secret),
                    copied: false,
                    copy_problem: None,
                    attempt,
                    duplicates: Duplicates::Checking,
                }));
                let mut effects = self.verify_created();
                if self.vault.zero_reveal {
                    effects.extend(self.vault_msg(crate::vault::VaultMsg::Store));
                }
                effects
            }
            Err(e) => {
                let mut attempt = attempt;
                let tried = attempt_days(&attempt);
                // The policy's refusals: remembered for this app (Review and Describe say them).
                if let Some(ctx) = self.app.as_mut() {
                    match &e {
                        GraphError::PolicyLifetime(_) => ctx.policy.refused(tried),
                        GraphError::PolicyBlocksSecrets(_) => ctx.policy.refused_addition = true,
                        _ => {}
                    }
                    attempt.describe.policy = ctx.policy.clone();
                }
                let owners = match (&e, self.app.as_mut()) {
                    (GraphError::AuthorizationDenied(_), Some(ctx)) => {
                        ctx.refused = true;
                        ctx.owner_labels()
                    }
                    _ => Vec::new(),
                };
                let mut problem = Problem::from_graph_with_owners(&e, &owners);
                if matches!(e, GraphError::PolicyLifetime(_)) {
                    // What was tried is a fact; how much less the policy allows is not known.
                    problem.message = format!(
                        "Your organisation's policy doesn't allow a secret for this app to last \
                         {}, and Microsoft Graph doesn't say how long it may last. Choose a \
                         shorter lifetime.",
                        lifetime::days_words(tried)
                    );
                }
                self.back_to_describe(attempt, problem)
            }
        }
    }

    fn back_to_describe(&mut self, attempt: Attempt, problem: Problem) -> Vec<Effect> {
        let mut d = attempt.describe;
        d.problem = Some(problem);
        self.step = Step::Describe(d);
        Vec::new()
    }

    /// Copied: leaving is safe now. The clipboard guard above the pages gets the value's
    /// fingerprint (never the value), so it can clear the clipboard after the wizard is gone.
    pub(super) fn copied(&mut self) -> Vec<Effect> {
        let salt = self.salt;
        let clear_secs = self.config.clipboard_clear_secs;
        let Step::ShowOnce(s) = &mut self.step else {
            return Vec::new();
        };
        s.copied = true;
        s.copy_problem = None;
        if clear_secs == 0 {
            return Vec::new();
        }
        vec![Effect::ClipboardHolds(Fingerprint::of(
            salt,
            s.secret.expose(),
        ))]
    }

    pub(super) fn copy_failed(&mut self) -> Vec<Effect> {
        if let Step::ShowOnce(s) = &mut self.step {
            s.copy_problem = Some(
                "Copying didn't work in this browser. Reveal the value, select it and copy it \
                 with Ctrl+C (⌘C on a Mac)."
                    .into(),
            );
        }
        Vec::new()
    }
}

/// The lifetime the refused attempt asked for, in whole days (the choices are whole days).
fn attempt_days(attempt: &Attempt) -> u32 {
    let days = (attempt.new.end - attempt.new.start).num_days();
    u32::try_from(days).unwrap_or(u32::MAX).max(1)
}
