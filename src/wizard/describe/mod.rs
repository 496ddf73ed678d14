//! Step 3, Describe, and Creating: the new secret's description and lifetime, the addPassword
//! call ([`Attempt`]) and what its answer means ([`AddAnswer`]).
//!
//! [`DescribeState`] is the form and its reducer: [`DescribeState::update`] takes a
//! [`DescribeMsg`] and returns [`DescribeEffect`]s; Create numbers nothing itself, it hands the
//! wizard the [`Attempt`] and its request. While Creating, the wizard holds the attempt and
//! [`Attempt::answer`] sorts addPassword's answer: created (on to Show once), lost or ambiguous
//! (on to Recovery), refused or not sent (back to this form, explained); the Creating step
//! (`wizard::creating`) lands it there. The component is [`view::DescribeStep`].
//!
//! Beside the secret, a certificate ([`CredentialKind`]): "Client secret" stays preselected and
//! every label of the secret's form unchanged; with "Certificate" the form asks for the
//! subject name (from the app's name), the key size and the lifetime, requires a Key Vault
//! (the private key has nowhere else to go), and Create hands the wizard a
//! [`CertificateOrder`] instead of an addPassword (`wizard::certificate` runs it).

use chrono::{DateTime, SubsecRound, Utc};

use super::policy::{AppPolicy, PolicyView};
use super::shared::WizardConfig;
use crate::domain::description::{self, MAX_DESCRIPTION_CHARS};
use crate::domain::expiry;
use crate::domain::lifetime::{self, LifetimeChoice, LifetimePreset, Limit};
use crate::graph::{self, Application, NewPassword};
use crate::net::HttpRequest;
use crate::runtime::{Now, Problem};

mod attempt;
#[cfg(target_arch = "wasm32")]
pub mod view;

pub use attempt::{AddAnswer, Attempt, LostAnswer};

/// The user's actions on the Describe step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DescribeMsg {
    Description(String),
    Lifetime(LifetimeChoice),
    /// The custom date field's text (`YYYY-MM-DD`, as `<input type=date>` gives it).
    CustomDate(String),
    Create,
    /// Secret or certificate.
    Kind(CredentialKind),
    /// The certificate's subject common name.
    Subject(String),
    /// The certificate's RSA key size in bits (`domain::certificate::KEY_SIZES`).
    KeySize(u32),
}

/// Which credential Describe makes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum CredentialKind {
    #[default]
    Secret,
    Certificate,
}

/// What a certificate is to be: the browser makes the key pair and the certificate from this
/// (`Effect::MakeCertificate`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateOrder {
    pub common_name: String,
    pub key_size: u32,
    pub not_before: DateTime<Utc>,
    pub not_after: DateTime<Utc>,
}

/// What the step asks of the wizard.
// Made once per Create and moved straight into the next step: boxing the attempt would only
// add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, PartialEq)]
pub enum DescribeEffect {
    /// On to Creating with this attempt; send its addPassword.
    Create(Attempt, HttpRequest),
    /// On to the certificate's run with this order; the form as it was, to come back to.
    Certificate(CertificateOrder, Box<DescribeState>),
}

/// Current time as UTC, whole seconds (what Graph stores).
fn utc_secs(now: Now) -> DateTime<Utc> {
    use chrono::Timelike;
    let t = now.with_timezone(&Utc);
    t.with_nanosecond(0).unwrap_or(t)
}

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
    description: String,
    /// The user typed their own description (a new default won't replace it).
    description_edited: bool,
    description_error: Option<String>,
    choice: LifetimeChoice,
    /// The user (or a prepared run) picked the lifetime: a limit learned later won't replace it.
    choice_made: bool,
    /// The custom date field's text.
    custom_text: String,
    lifetime_error: Option<String>,
    /// The organisation's policy for this app as far as it is known (read beforehand, or what
    /// Graph refused), copied from the app's context ([`super::policy`]).
    policy: AppPolicy,
    /// The app's `createdDateTime` (a policy restriction may apply from a date on).
    app_created: Option<DateTime<Utc>>,
    /// Why the last attempt was refused, with the remedy.
    problem: Option<Problem>,
    kind: CredentialKind,
    /// The certificate's subject common name; empty until the certificate is chosen (then the
    /// app's name).
    subject: String,
    subject_error: Option<String>,
    key_size: u32,
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
            kind: CredentialKind::Secret,
            subject: String::new(),
            subject_error: None,
            key_size: crate::domain::certificate::KEY_SIZES[0],
        }
    }

    /// Secret or certificate.
    pub fn kind(&self) -> CredentialKind {
        self.kind
    }

    /// The certificate's subject common name.
    pub fn subject(&self) -> &str {
        &self.subject
    }

    pub fn subject_error(&self) -> Option<&str> {
        self.subject_error.as_deref()
    }

    /// The certificate's RSA key size in bits.
    pub fn key_size(&self) -> u32 {
        self.key_size
    }

    /// What went wrong, from a step after this one (the certificate's run).
    pub(in crate::wizard) fn set_problem(&mut self, problem: Problem) {
        self.problem = Some(problem);
    }

    /// The longest lifetime to offer and why: config's maximum, the organisation's policy when
    /// read, and shorter than a lifetime Graph refused.
    pub fn limit(&self, config: &WizardConfig) -> Limit {
        if self.kind == CredentialKind::Certificate {
            // The policy read here is about secrets: a certificate's limit is the site's (and
            // Graph's own refusal, should the policy restrict certificates).
            return Limit::site(config.max_lifetime_days);
        }
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

    /// The description in the field.
    pub fn description(&self) -> &str {
        &self.description
    }

    pub fn description_error(&self) -> Option<&str> {
        self.description_error.as_deref()
    }

    pub fn choice(&self) -> LifetimeChoice {
        self.choice
    }

    pub fn lifetime_error(&self) -> Option<&str> {
        self.lifetime_error.as_deref()
    }

    /// Why the last attempt was refused, with the remedy.
    pub fn problem(&self) -> Option<&Problem> {
        self.problem.as_ref()
    }

    /// Applies one of the user's actions; `app` is the chosen app as now known (Create records
    /// its credentials, to recognise the new one if the answer is lost).
    pub fn update(
        &mut self,
        msg: DescribeMsg,
        config: &WizardConfig,
        app: &Application,
        now: Now,
    ) -> Vec<DescribeEffect> {
        match msg {
            DescribeMsg::Description(text) => self.set_description(text),
            DescribeMsg::Lifetime(choice) => self.set_choice(choice),
            DescribeMsg::CustomDate(text) => self.set_custom_date(&text),
            DescribeMsg::Create if self.kind == CredentialKind::Certificate => {
                return self.order_certificate(config, now).into_iter().collect()
            }
            DescribeMsg::Create => return self.create(config, app, now).into_iter().collect(),
            DescribeMsg::Kind(kind) => {
                self.kind = kind;
                if kind == CredentialKind::Certificate && self.subject.is_empty() {
                    self.subject =
                        crate::domain::certificate::default_common_name(&app.display_name);
                }
            }
            DescribeMsg::Subject(text) => {
                self.subject = text;
                self.subject_error = None;
            }
            DescribeMsg::KeySize(bits) => {
                if crate::domain::certificate::KEY_SIZES.contains(&bits) {
                    self.key_size = bits;
                }
            }
        }
        Vec::new()
    }

    /// Checks the form and, when it holds, the attempt to make (the wizard has checked the
    /// Key Vault section first).
    fn create(
        &mut self,
        config: &WizardConfig,
        app: &Application,
        now: Now,
    ) -> Option<DescribeEffect> {
        if self.policy_reading() || self.policy_blocker().is_some() {
            return None; // the form says why
        }
        self.problem = None;
        let new = self.validate(config, now)?;
        let attempt = Attempt {
            known_key_ids: app
                .password_credentials
                .iter()
                .map(|c| c.key_id.clone())
                .collect(),
            describe: self.clone(),
            new,
        };
        let request = graph::add_password(&config.graph_base, &app.id, &attempt.new);
        Some(DescribeEffect::Create(attempt, request))
    }

    /// Checks the certificate's form: subject and lifetime (the site's maximum: the app
    /// management policy read here is about secrets, and Graph's own refusal of a certificate's
    /// lifetime says the rest). The vault was checked first by the wizard.
    fn order_certificate(&mut self, config: &WizardConfig, now: Now) -> Option<DescribeEffect> {
        self.problem = None;
        let subject = crate::domain::certificate::check_common_name(&self.subject)
            .map_err(|e| self.subject_error = Some(e))
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
        subject?;
        let order = CertificateOrder {
            common_name: self.subject.trim().to_string(),
            key_size: self.key_size,
            not_before: utc_secs(now),
            not_after: end?.end.trunc_subsecs(0),
        };
        Some(DescribeEffect::Certificate(order, Box::new(self.clone())))
    }

    /// A newly known user name (or a new attempt) replaces a default description the user
    /// hasn't touched.
    pub fn refresh_default(&mut self, upn: &str, now: Now, taken: &[String]) {
        if !self.description_edited {
            self.description = attempt_description(upn, &now, taken);
        }
    }

    /// The app's policy knowledge, copied into the form. A default lifetime nobody picked is
    /// clipped to a limit learned meanwhile.
    pub fn sync_policy(
        &mut self,
        policy: &AppPolicy,
        app_created: Option<DateTime<Utc>>,
        config: &WizardConfig,
        now: Now,
    ) {
        self.policy = policy.clone();
        self.app_created = app_created;
        if !self.choice_made {
            let max = self.max_days(config);
            self.choice = lifetime::default_choice(config.default_lifetime_days, max, &now);
            self.custom_text = match self.choice {
                LifetimeChoice::Custom(date) => date.to_string(),
                LifetimeChoice::Preset(_) => String::new(),
            };
        }
    }

    /// The form again for a new attempt (after Recovery): a fresh default description unless
    /// the user wrote their own, and no problem.
    pub fn again(mut self, upn: &str, now: Now, taken: &[String]) -> Self {
        self.refresh_default(upn, now, taken);
        self.problem = None;
        self
    }

    /// Back to this form with what went wrong.
    fn with_problem(mut self, problem: Problem) -> Self {
        self.problem = Some(problem);
        self
    }

    fn set_description(&mut self, text: String) {
        self.description = text;
        self.description_edited = true;
        self.description_error = None;
    }

    fn set_choice(&mut self, choice: LifetimeChoice) {
        self.choice = choice;
        self.choice_made = true;
        if let LifetimeChoice::Custom(d) = choice {
            self.custom_text = d.to_string();
        }
        self.lifetime_error = None;
    }

    fn set_custom_date(&mut self, text: &str) {
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
            start: utc_secs(now),
            // Whole seconds, as Graph stores it (recovery compares what was sent).
            end: end?.end.trunc_subsecs(0),
        })
    }
}

/// Also the fixtures of the steps after this one (`show_once`, `recovery`).
#[cfg(test)]
pub(super) mod tests;
