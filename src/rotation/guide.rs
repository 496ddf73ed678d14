//! The rotation guide for one app: (1) create a new secret with overlap, (2) store it as a new
//! version of the same vault secret, (3) update the consumers (confirmed by the user), (4)
//! remove the old secret. Each step's state is worked out from what Graph and the vault
//! cross-check say now, plus the little the guide remembers ([`RotationSession`]).

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde_json::json;

use super::crosscheck::{CrossCheck, VaultCopy};
use crate::config::{VaultRef, VaultSettings};
use crate::domain::naming::secret_name_from_template;
use crate::domain::rotation::{active_secrets, PERSONAL_ACCOUNT_SECRET_CAP};
use crate::graph::{Application, PasswordCredential};
use crate::wire::{json_value, Fields};

/// A credential created this long before "Create the new secret" was clicked still counts as
/// new (clock differences between the click and Graph's `startDateTime`).
pub const NEW_SLACK_SECS: i64 = 120;

/// What the guide remembers across the trip to the wizard and back, in this tab's
/// sessionStorage: identifiers, a time and a tick. Never a value.
///
/// Kept as JSON ([`RotationSession::to_json`], [`RotationSession::from_json`]) written and read
/// through `serde_json::Value` and [`Fields`], which the app has anyway, rather than a derived
/// `Serialize`/`Deserialize` of its own.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RotationSession {
    pub app_object_id: String,
    /// The secret being replaced (keyId).
    pub old_key_id: Option<String>,
    /// When "Create the new secret" was first clicked.
    pub started_at: Option<DateTime<Utc>>,
    /// "I've updated every consumer of the old secret."
    pub consumers_confirmed: bool,
}

impl RotationSession {
    pub fn new(app_object_id: &str) -> Self {
        Self {
            app_object_id: app_object_id.to_string(),
            ..Self::default()
        }
    }

    /// `{"appObjectId", "oldKeyId", "startedAt" (RFC 3339, UTC), "consumersConfirmed"}`.
    pub fn to_json(&self) -> String {
        let started = self
            .started_at
            .map(|t| t.to_rfc3339_opts(SecondsFormat::AutoSi, true));
        json!({
            "appObjectId": self.app_object_id,
            "oldKeyId": self.old_key_id,
            "startedAt": started,
            "consumersConfirmed": self.consumers_confirmed,
        })
        .to_string()
    }

    /// [`RotationSession::to_json`]'s text read back, as strictly as a derived `Deserialize`
    /// with defaults would: `appObjectId` is required, the others may be missing (`oldKeyId`
    /// and `startedAt` may be `null`), and a member of the wrong type (or a time that isn't
    /// RFC 3339) means it isn't a session.
    pub fn from_json(text: &str) -> Option<Self> {
        let value = json_value(text).ok()?;
        let f = Fields::of(&value).ok()?;
        let started_at = match f.text("startedAt").ok()? {
            Some(t) => Some(crate::wire::rfc3339(&t)?),
            None => None,
        };
        let consumers_confirmed = match value.get("consumersConfirmed") {
            None => false,
            Some(v) => v.as_bool()?,
        };
        Some(Self {
            app_object_id: f.text("appObjectId").ok()??,
            old_key_id: f.text("oldKeyId").ok()?,
            started_at,
            consumers_confirmed,
        })
    }
}

/// Where the new version goes, and why there.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub vault_id: String,
    pub vault_name: String,
    pub secret_name: String,
    pub source: TargetSource,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetSource {
    /// The vault secret that holds the old secret now.
    OldCopy,
    /// Another vault secret tagged as this app's.
    AppSecret,
    /// config.json's default vault and secret-name template.
    Default,
}

fn allowed(settings: &VaultSettings, vault_id: &str) -> bool {
    VaultRef::parse(vault_id).is_some_and(|v| settings.allows(&v))
}

/// The vault secret a rotation should write a new version of: the old secret's copy, else
/// another of the app's vault secrets (one holding a working secret first), else config's
/// default vault with the name template. `None` when nothing is known.
pub fn choose_target(
    app: &Application,
    check: &CrossCheck,
    old_key: Option<&str>,
    settings: &VaultSettings,
    today: NaiveDate,
) -> Option<Target> {
    let usable = |c: &&VaultCopy| c.enabled && allowed(settings, &c.vault_id);
    let target = |c: &VaultCopy, source| Target {
        vault_id: c.vault_id.clone(),
        vault_name: c.vault_name.clone(),
        secret_name: c.secret_name.clone(),
        source,
    };
    if let Some(c) = old_key
        .and_then(|k| check.row(k))
        .and_then(|r| r.copies.iter().find(usable))
    {
        return Some(target(c, TargetSource::OldCopy));
    }
    let working = check
        .rows
        .iter()
        .filter(|r| r.active)
        .flat_map(|r| r.copies.iter());
    if let Some(c) = working.chain(check.app_secrets()).find(usable) {
        return Some(target(c, TargetSource::AppSecret));
    }
    settings.default.as_ref().map(|v| Target {
        vault_id: v.id.clone(),
        vault_name: v.name.clone(),
        secret_name: secret_name_from_template(
            &settings.secret_name_template,
            &app.display_name,
            &app.app_id,
            today,
        ),
        source: TargetSource::Default,
    })
}

/// The secret a rotation replaces by default: the working one that expires first.
pub fn default_old<Tz: TimeZone>(app: &Application, now: &DateTime<Tz>) -> Option<String> {
    active_secrets(&app.password_credentials, now)
        .into_iter()
        .min_by_key(|c| c.end_date_time.unwrap_or(DateTime::<Utc>::MAX_UTC))
        .map(|c| c.key_id.clone())
}

/// The secret created for this rotation: made after "Create the new secret" was clicked, not
/// the old one; one stored at `target` first, else the newest.
pub fn find_new<'a>(
    app: &'a Application,
    check: Option<&CrossCheck>,
    session: &RotationSession,
    target: Option<&Target>,
) -> Option<&'a PasswordCredential> {
    let since = session.started_at? - Duration::seconds(NEW_SLACK_SECS);
    let old = session.old_key_id.as_deref().unwrap_or_default();
    let candidates: Vec<&PasswordCredential> = app
        .password_credentials
        .iter()
        .filter(|c| !c.key_id.eq_ignore_ascii_case(old))
        .filter(|c| c.start_date_time.is_some_and(|s| s >= since))
        .collect();
    let stored_at_target = |c: &&&PasswordCredential| {
        let copies = check.and_then(|k| k.row(&c.key_id)).map(|r| &r.copies);
        target
            .zip(copies)
            .is_some_and(|(t, copies)| copies.iter().any(|x| x.is_at(&t.vault_id, &t.secret_name)))
    };
    candidates
        .iter()
        .find(stored_at_target)
        .or_else(|| candidates.iter().max_by_key(|c| c.start_date_time))
        .copied()
}

/// Where one step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepState {
    Done,
    /// The step to do now.
    Current,
    /// Waits for an earlier step.
    Pending,
    /// The vault check is still running.
    Checking,
    /// Can't be done here (the note says why).
    Blocked,
}

impl StepState {
    pub fn key(self) -> &'static str {
        match self {
            StepState::Done => "done",
            StepState::Current => "current",
            StepState::Pending => "pending",
            StepState::Checking => "checking",
            StepState::Blocked => "blocked",
        }
    }

    /// Words beside the step's tick (never colour alone).
    pub fn label(self) -> &'static str {
        match self {
            StepState::Done => "Done",
            StepState::Current => "To do now",
            StepState::Pending => "Not yet",
            StepState::Checking => "Checking…",
            StepState::Blocked => "Blocked",
        }
    }
}

/// The guide's titles, in order.
pub const STEP_TITLES: [&str; 4] = [
    "Create a new secret (overlap)",
    "Store it in Key Vault",
    "Update the consumers",
    "Remove the old secret",
];

/// The guide as it stands.
#[derive(Clone, Debug, PartialEq)]
pub struct Guide {
    /// The secret being replaced, while the app still has it.
    pub old: Option<PasswordCredential>,
    /// The secret being replaced is no longer on the app.
    pub old_removed: bool,
    pub new: Option<PasswordCredential>,
    /// The new secret's vault copy (at the target when there is one).
    pub stored: Option<VaultCopy>,
    pub states: [StepState; 4],
    /// The personal-account two-secret cap stops step 1.
    pub at_cap: bool,
}

impl Guide {
    pub fn complete(&self) -> bool {
        self.states.iter().all(|s| *s == StepState::Done)
    }
}

/// Works out every step's state.
pub fn guide(
    app: &Application,
    check: Option<&CrossCheck>,
    scan_done: bool,
    session: &RotationSession,
    target: Option<&Target>,
) -> Guide {
    let creds = &app.password_credentials;
    let old_key = session.old_key_id.as_deref();
    let old = old_key.and_then(|k| creds.iter().find(|c| c.key_id.eq_ignore_ascii_case(k)));
    let old_removed = old_key.is_some() && old.is_none();
    let new = find_new(app, check, session, target);
    let stored = new.and_then(|n| {
        let copies = &check?.row(&n.key_id)?.copies;
        target
            .and_then(|t| copies.iter().find(|c| c.is_at(&t.vault_id, &t.secret_name)))
            .or(copies.first())
            .cloned()
    });
    let at_cap = app.accepts_personal_accounts() && creds.len() >= PERSONAL_ACCOUNT_SECRET_CAP;
    use StepState::*;
    let create = match (new.is_some(), at_cap) {
        (true, _) => Done,
        (false, true) => Blocked,
        (false, false) => Current,
    };
    let store = match (
        new.is_some(),
        stored.is_some(),
        scan_done && check.is_some(),
    ) {
        (false, _, _) => Pending,
        (true, true, _) => Done,
        (true, false, false) => Checking,
        (true, false, true) => Current,
    };
    let consumers = match (session.consumers_confirmed, new.is_some()) {
        (true, _) => Done,
        (false, true) => Current,
        (false, false) => Pending,
    };
    let remove = if old_removed {
        Done
    } else if session.consumers_confirmed && old.is_some() {
        Current
    } else {
        Pending
    };
    Guide {
        old: old.cloned(),
        old_removed,
        new: new.cloned(),
        stored,
        states: [create, store, consumers, remove],
        at_cap,
    }
}
