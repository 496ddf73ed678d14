//! How the Review step words whether the user may add a secret: the verdict itself is decided
//! in `domain::access`; the sentences (docs/ux.md: what happened, why, what to do) are here.

use crate::domain::access::{Access, Grant, RolesSeen, Scope, Source};
use crate::graph::GraphError;

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

/// The words for the two-secret cap, before trying (same as Graph's refusal).
pub fn cap_message() -> String {
    GraphError::SecretLimit(Box::default()).user_message()
}
