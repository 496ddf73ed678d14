//! Review credentials: the chosen app, its owners, and whether the user may add a secret.

use super::create::DescribeState;
use super::state::{Call, Effect, Now, Outcome, Problem, Step, Wizard};
use crate::domain::expiry;
use crate::graph::{self, Application, GraphError, Owner, User};

/// The chosen app as the wizard knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct AppContext {
    pub app: Application,
    pub loading: bool,
    pub problem: Option<Problem>,
    /// `None` until the owners list has arrived.
    pub owners: Option<Vec<Owner>>,
    pub owners_problem: Option<Problem>,
    /// Graph itself refused an addPassword with 403: trust that over what we inferred.
    pub refused: bool,
    /// The organisation's app management policy for this app, as far as known (`policy`).
    pub policy: super::policy::AppPolicy,
}

/// Whether the user can add a secret to the app, known before trying.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Still finding out.
    Checking,
    Owner,
    Admin,
    /// Neither owner nor admin; the owners who can (labels), possibly none.
    Denied {
        owners: Vec<String>,
    },
    /// Owners could not be read; Graph will decide when we try.
    Unverified,
}

impl Access {
    pub fn allows_create(&self) -> bool {
        matches!(self, Access::Owner | Access::Admin | Access::Unverified)
    }

    /// The sentence that explains a denial, naming who can help.
    pub fn denial_message(owners: &[String]) -> String {
        let who = if owners.is_empty() {
            "This app has no owners, so only an Application Administrator can add secrets; \
             ask one of them."
                .to_string()
        } else {
            format!(
                "Its owners ({}) or an Application Administrator can; ask one of them, or ask to \
                 be added as an owner.",
                owners.join(", ")
            )
        };
        format!("You can't add secrets to this app. {who}")
    }
}

impl AppContext {
    pub fn new(app: Application) -> Self {
        Self {
            app,
            loading: false,
            problem: None,
            owners: None,
            owners_problem: None,
            refused: false,
            policy: Default::default(),
        }
    }

    pub fn owner_labels(&self) -> Vec<String> {
        self.owners.iter().flatten().map(Owner::label).collect()
    }

    /// Owner, admin, or who can.
    pub fn access(&self, me: Option<&User>, is_admin: Option<bool>) -> Access {
        if self.refused {
            return Access::Denied {
                owners: self.owner_labels(),
            };
        }
        if is_admin == Some(true) {
            return Access::Admin;
        }
        let is_owner = match (&self.owners, me) {
            (Some(owners), Some(me)) => Some(owners.iter().any(|o| o.id == me.id)),
            _ => None,
        };
        match (is_owner, is_admin) {
            (Some(true), _) => Access::Owner,
            (Some(false), Some(false)) => Access::Denied {
                owners: self.owner_labels(),
            },
            _ if self.owners_problem.is_some() => Access::Unverified,
            _ => Access::Checking,
        }
    }

    /// The two-secret cap, known before trying: the app accepts personal accounts and
    /// already has two secrets.
    pub fn at_secret_cap(&self) -> bool {
        self.app.accepts_personal_accounts() && self.app.password_credentials.len() >= 2
    }

    /// Secrets that work now (started, not expired).
    pub fn active_secret_count(&self, now: &Now) -> usize {
        let now_utc = now.with_timezone(&chrono::Utc);
        self.app
            .password_credentials
            .iter()
            .filter(|c| c.start_date_time.is_none_or(|s| s <= now_utc))
            .filter(|c| {
                expiry::status_of(c.end_date_time, now) != crate::domain::ExpiryStatus::Expired
            })
            .count()
    }
}

/// The words for the two-secret cap, before trying (same as Graph's refusal).
pub fn cap_message() -> String {
    GraphError::SecretLimit(Box::default()).user_message()
}

impl Wizard {
    /// Re-reads the chosen app and its owners.
    pub(super) fn reload_app(&mut self) -> Vec<Effect> {
        let Some(ctx) = self.app.as_mut() else {
            return Vec::new();
        };
        ctx.loading = true;
        ctx.problem = None;
        let id = ctx.app.id.clone();
        let base = self.config.graph_base.clone();
        let mut effects = vec![
            self.send(Call::App, graph::get_application(&base, &id)),
            self.send(Call::Owners, graph::owners(&base, &id)),
        ];
        effects.extend(self.read_policy());
        effects
    }

    pub(super) fn on_app(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        let Some(ctx) = self.app.as_mut() else {
            return Vec::new();
        };
        match call {
            Call::App => {
                ctx.loading = false;
                match outcome
                    .map_err(Problem::from_failure)
                    .and_then(|r| graph::parse_application(&r).map_err(|e| Problem::from_graph(&e)))
                {
                    Ok(app) if app.id == ctx.app.id => ctx.app = app,
                    Ok(_) => {}
                    Err(p) => ctx.problem = Some(p),
                }
            }
            _ => match outcome
                .map_err(Problem::from_failure)
                .and_then(|r| graph::parse_owners(&r).map_err(|e| Problem::from_graph(&e)))
            {
                Ok(page) => {
                    ctx.owners = Some(page.value);
                    ctx.owners_problem = None;
                }
                Err(p) => ctx.owners_problem = Some(p),
            },
        }
        Vec::new()
    }

    /// The access verdict for the chosen app.
    pub fn access(&self) -> Access {
        self.app.as_ref().map_or(Access::Checking, |a| {
            a.access(self.me.as_ref(), self.is_admin)
        })
    }

    /// Whether Create can be offered: allowed, not at the cap, and not blocked by the
    /// organisation's policy (when that is known).
    pub fn can_create(&self) -> bool {
        self.app.as_ref().is_some_and(|a| {
            !a.at_secret_cap()
                && self.access().allows_create()
                && a.policy.blocked_message(a.app.created_date_time).is_none()
        })
    }

    pub(super) fn start_describe(&mut self, now: Now) -> Vec<Effect> {
        if !matches!(self.step, Step::Review) || !self.can_create() {
            return Vec::new();
        }
        let upn = self.upn();
        let taken = self.taken_descriptions();
        self.step = Step::Describe(DescribeState::new(&self.config, &upn, now, &taken));
        self.sync_describe_policy(now);
        Vec::new()
    }
}
