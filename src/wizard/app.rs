//! Review credentials: the chosen app, its owners, and whether the user may add a secret
//! (decided in `domain::access`; its words, [`AccessNote`], here).

use super::create::DescribeState;
use super::state::{Call, Effect, Now, Outcome, Problem, Step, Wizard};
use crate::domain::access::{self, Facts};
pub use crate::domain::access::{Access, Grant, RolesSeen, Scope, Source};
use crate::domain::expiry;
use crate::graph::{self, Application, GraphError, Owner};

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

/// How the Review step words an [`Access`] verdict.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AccessNote {
    pub tone: Tone,
    pub text: String,
    /// One quiet line on what the app could not see (and what would let it).
    pub aside: Option<String>,
}

/// The note's look.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tone {
    Checking,
    Ok,
    /// Not known either way.
    Neutral,
    Warning,
}

/// Who can help when the user can't (or probably can't) add a secret.
fn who_can_help(owners: &[String]) -> String {
    if owners.is_empty() {
        "This app has no owners, so ask an administrator whose role allows it (such as \
         Application Administrator) to add one for you, or to make you an owner."
            .to_string()
    } else {
        format!(
            "Its owners ({}) or an administrator whose role allows it (such as Application \
             Administrator) can; ask one of them, or ask to be added as an owner.",
            owners.join(", ")
        )
    }
}

fn role_sentence(name: &str, scope: Scope, source: Source) -> String {
    let through = match source {
        Source::Group => ", through a group you belong to,",
        Source::SignIn | Source::Assignment => "",
    };
    match scope {
        Scope::Tenant => format!(
            "Your role {name}{through} lets you add secrets to any app in your organisation."
        ),
        Scope::ThisApp => {
            format!("Your role {name} for this app{through} lets you add secrets to it.")
        }
    }
}

fn roles_aside(roles: RolesSeen) -> Option<String> {
    let beyond = |token_roles: bool| {
        if token_roles {
            " beyond those your sign-in carries"
        } else {
            ""
        }
    };
    match roles {
        RolesSeen::All => None,
        RolesSeen::WithoutGroups => Some(
            "We couldn't read all of your groups, so roles you hold through a group weren't \
             checked."
                .into(),
        ),
        RolesSeen::NotGranted { token_roles } => Some(format!(
            "secret-wizard can't see your directory roles{}: an administrator can grant it the \
             optional RoleManagement.Read.Directory permission to check them here.",
            beyond(token_roles)
        )),
        RolesSeen::NoReaderRole { token_roles } => Some(format!(
            "secret-wizard may read role assignments, but Microsoft Graph didn't show yours{}: \
             that also needs a role that may read them, such as Directory Readers or Global \
             Reader.",
            beyond(token_roles)
        )),
        RolesSeen::Unknown { .. } => Some("We couldn't check your directory roles.".into()),
    }
}

/// The words for a verdict (docs/ux.md: what happened, why, and what to do).
pub fn access_note(access: &Access) -> AccessNote {
    let note = |tone, text: String, aside| AccessNote { tone, text, aside };
    match access {
        Access::Checking => note(
            Tone::Checking,
            "Checking whether you can add secrets here…".into(),
            None,
        ),
        Access::Can(Grant::Owner) => note(
            Tone::Ok,
            "You own this app, so you can add a secret to it.".into(),
            None,
        ),
        Access::Can(Grant::Role {
            name,
            scope,
            source,
        }) => note(Tone::Ok, role_sentence(name, *scope, *source), None),
        Access::ProbablyNot { owners, roles } => {
            let help = if owners.is_empty() {
                "If it says no, ask an administrator whose role allows it (such as Application \
                 Administrator): this app has no owners."
                    .to_string()
            } else {
                format!(
                    "If it says no, ask its owners ({}) to add one for you, or to make you an \
                     owner.",
                    owners.join(", ")
                )
            };
            note(
                Tone::Warning,
                format!(
                    "You're not an owner of this app and we found no role that lets you add \
                     credentials to it, so you probably can't add a secret here. You can still \
                     try: Microsoft Graph decides. {help}"
                ),
                roles_aside(*roles),
            )
        }
        Access::Unknown { roles } => note(
            Tone::Neutral,
            "We couldn't read this app's owners, so we can't tell whether you can add a secret \
             here; Microsoft Graph decides when you try."
                .into(),
            roles_aside(*roles),
        ),
        Access::Refused { owners } => note(
            Tone::Warning,
            format!(
                "You can't add secrets to this app: Microsoft Graph refused. {}",
                who_can_help(owners)
            ),
            None,
        ),
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

    /// The access verdict for the chosen app: owners, the sign-in's `wids`, role assignments
    /// (`wizard::roles`), and Graph's own refusal (`domain::access::decide`).
    pub fn access(&self) -> Access {
        let Some(ctx) = self.app.as_ref() else {
            return Access::Checking;
        };
        access::decide(&Facts {
            app_object_id: &ctx.app.id,
            sign_in_audience: ctx.app.sign_in_audience.as_deref(),
            me: self.me.as_ref().map(|m| m.id.as_str()),
            me_failed: self.me.is_none() && self.me_problem.is_some(),
            owners: ctx.owners.as_deref(),
            owners_failed: ctx.owners.is_none() && ctx.owners_problem.is_some(),
            token_roles: &self.token_roles,
            roles: &self.roles.knowledge,
            refused: ctx.refused,
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
