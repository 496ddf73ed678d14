//! The Setup check's lines, each decided from one answer: plain data, natively tested.
//!
//! A line is ok, a problem with its fix, a note (something optional is missing, and what it
//! would add), or not checked (and why). Nothing here creates or changes anything.

use crate::auth::claims::TokenClaims;
use crate::auth::{service_name, AuthError};
use crate::config::{Config, ConfigError, VaultMode};
use crate::net::{HttpResponse, Resource};

/// How one check came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    Checking,
    Ok(String),
    /// Works, but something optional is missing: what it would add, and how to grant it.
    Note {
        what: String,
        fix: String,
    },
    Problem {
        what: String,
        fix: String,
    },
    /// Not run, and why (an earlier line failed, or nobody is signed in).
    NotChecked(String),
}

impl Status {
    pub fn is_problem(&self) -> bool {
        matches!(self, Status::Problem { .. })
    }

    /// The word shown before the line.
    pub fn label(&self) -> &'static str {
        match self {
            Status::Checking => "Checking",
            Status::Ok(_) => "OK",
            Status::Note { .. } => "Note",
            Status::Problem { .. } => "Problem",
            Status::NotChecked(_) => "Not checked",
        }
    }
}

/// One delegated permission the app asks an admin to grant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Permission {
    pub resource: Resource,
    pub name: &'static str,
    /// Broader permissions that include it (a grant of one of these is as good).
    pub or: &'static [&'static str],
    /// What the app does with it.
    pub used_for: &'static str,
}

/// What the app cannot work without (README, "Using it with your tenant").
pub const REQUIRED: &[Permission] = &[
    Permission {
        resource: Resource::Graph,
        name: "User.Read",
        or: &[],
        used_for: "your name, for the default description",
    },
    Permission {
        resource: Resource::Graph,
        name: "Application.ReadWrite.All",
        or: &["Directory.ReadWrite.All"],
        used_for: "reading app registrations and adding or removing secrets",
    },
    Permission {
        resource: Resource::Arm,
        name: "user_impersonation",
        or: &[],
        used_for: "finding key vaults and storing secrets through Azure Resource Manager",
    },
    Permission {
        resource: Resource::KeyVault,
        name: "user_impersonation",
        or: &[],
        used_for: "storing secrets through Key Vault's own endpoint (dataPlane mode)",
    },
];

/// What the app uses when granted, and does without otherwise.
pub const OPTIONAL: &[Permission] = &[
    Permission {
        resource: Resource::Graph,
        name: "RoleManagement.Read.Directory",
        or: &["RoleManagement.Read.All", "Directory.Read.All"],
        used_for: "telling, before you try, whether a directory role (tenant-wide, scoped to \
                   one app, or held through a group) lets you add a secret",
    },
    Permission {
        resource: Resource::Graph,
        name: "Policy.Read.All",
        or: &[],
        used_for: "knowing your organisation's longest allowed secret lifetime before creating",
    },
];

/// The resources the configuration uses (Key Vault's only in `dataPlane` mode).
pub fn resources(config: &Config) -> Vec<Resource> {
    let mut r = vec![Resource::Graph, Resource::Arm];
    if config.vault.mode == VaultMode::DataPlane {
        r.push(Resource::KeyVault);
    }
    r
}

fn granted(claims: &TokenClaims, p: &Permission) -> bool {
    claims.grants(p.name) || p.or.iter().any(|o| claims.grants(o))
}

/// Where an admin grants permissions, in words that match the admin center.
fn grant_fix(names: &[&str], service: &str) -> String {
    format!(
        "In the Microsoft Entra admin center: App registrations → secret-wizard → API \
         permissions → Add a permission → {service} → Delegated: {}; then Grant admin consent.",
        names.join(", ")
    )
}

/// config.json: read and valid (the app would not be here otherwise), or why not.
pub fn config_line(config: Result<&Config, &ConfigError>) -> Status {
    match config {
        Ok(c) => Status::Ok(format!(
            "config.json is valid: tenant {}, client {}, {} cloud, vault mode {}.",
            c.tenant_id,
            c.client_id,
            c.cloud.name.as_str(),
            match c.vault.mode {
                VaultMode::Arm => "arm",
                VaultMode::DataPlane => "dataPlane",
            }
        )),
        Err(e) => Status::Problem {
            what: e.user_message(),
            fix: "Fix config.json next to index.html (the README's config.json section lists \
                  every field), then reload this page."
                .into(),
        },
    }
}

/// The redirect bridge page: served, not cached, and without `Cross-Origin-Opener-Policy`
/// (MSAL's popup and silent flows read it from the opener; README, Deploy).
pub fn redirect_line(path: &str, answer: Result<&HttpResponse, String>) -> Status {
    let res = match answer {
        Ok(res) => res,
        Err(why) => {
            return Status::Problem {
                what: format!("{path} could not be fetched: {why}"),
                fix: format!("Deploy redirect.html with the app so that {path} is served."),
            }
        }
    };
    if res.status != 200 {
        return Status::Problem {
            what: format!("{path} answered {} instead of the page.", res.status),
            fix: format!(
                "Deploy redirect.html with the app, and set redirectPath in config.json if it \
                 lives elsewhere ({path} now)."
            ),
        };
    }
    let mut wrong = Vec::new();
    if let Some(coop) = res.header("cross-origin-opener-policy") {
        wrong.push(format!(
            "it is sent with Cross-Origin-Opener-Policy: {coop}"
        ));
    }
    let cache = res.header("cache-control").unwrap_or("");
    if !cache
        .split(',')
        .any(|d| d.trim().eq_ignore_ascii_case("no-store"))
    {
        wrong.push(format!(
            "it may be cached (Cache-Control: {})",
            if cache.is_empty() { "none" } else { cache }
        ));
    }
    if wrong.is_empty() {
        Status::Ok(format!(
            "{path} is served without COOP and with Cache-Control: no-store."
        ))
    } else {
        Status::Problem {
            what: format!(
                "{path} is served, but {}: sign-in windows may never come back.",
                wrong.join(", and ")
            ),
            fix: "Send redirect.html with the headers in deploy/headers.json: no \
                  Cross-Origin-Opener-Policy, Cache-Control: no-store, and keep it out of \
                  CDN caches."
                .into(),
        }
    }
}

/// Who is signed in.
pub fn sign_in_line(account: Option<&str>) -> Status {
    match account {
        Some(who) => Status::Ok(format!("Signed in as {who}.")),
        None => Status::NotChecked(
            "Sign in to check permissions and what the services show you.".into(),
        ),
    }
}

/// One resource's permissions, from its token's `scp` (or why no token could be had).
pub fn permissions_line(resource: Resource, token: Result<&TokenClaims, &AuthError>) -> Status {
    let service = service_name(resource);
    let claims = match token {
        Ok(c) => c,
        Err(e) if e.is_consent() => {
            let names: Vec<&str> = REQUIRED
                .iter()
                .filter(|p| p.resource == resource)
                .map(|p| p.name)
                .collect();
            return Status::Problem {
                what: format!("No admin consent for {service}: no token could be had for it."),
                fix: grant_fix(&names, service),
            };
        }
        Err(e) => {
            return Status::Problem {
                what: format!("No token for {service}: {}", e.user_message()),
                fix: e.details(),
            }
        }
    };
    let missing: Vec<&Permission> = REQUIRED
        .iter()
        .filter(|p| p.resource == resource && !granted(claims, p))
        .collect();
    let absent: Vec<&Permission> = OPTIONAL
        .iter()
        .filter(|p| p.resource == resource && !granted(claims, p))
        .collect();
    let present: Vec<&str> = OPTIONAL
        .iter()
        .filter(|p| p.resource == resource && granted(claims, p))
        .map(|p| p.name)
        .collect();
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().map(|p| p.name).collect();
        return Status::Problem {
            what: format!(
                "{service}: granted {}, but not {} ({}).",
                if claims.scp.is_empty() {
                    "nothing"
                } else {
                    &claims.scp
                },
                names.join(", "),
                missing
                    .iter()
                    .map(|p| p.used_for)
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            fix: grant_fix(&names, service),
        };
    }
    let mut ok = format!(
        "{service}: the required permissions are granted ({}).",
        claims.scp
    );
    if !present.is_empty() {
        ok.push_str(&format!(" Optional, granted: {}.", present.join(", ")));
    }
    if absent.is_empty() {
        return Status::Ok(ok);
    }
    let names: Vec<&str> = absent.iter().map(|p| p.name).collect();
    Status::Note {
        what: format!(
            "{ok} Optional, not granted: {}.",
            absent
                .iter()
                .map(|p| format!("{}, for {}", p.name, p.used_for))
                .collect::<Vec<_>>()
                .join("; ")
        ),
        fix: grant_fix(&names, service),
    }
}

/// Microsoft Graph reached, and applications listed.
pub fn graph_line(answer: Result<usize, String>) -> Status {
    match answer {
        Ok(n) => Status::Ok(format!(
            "Microsoft Graph answers, and lists app registrations ({n} on the first page)."
        )),
        Err(why) => Status::Problem {
            what: format!("Microsoft Graph didn't list app registrations: {why}"),
            fix: "Check the Graph permissions above and that this site may reach Microsoft \
                  Graph (a proxy or firewall may block it)."
                .into(),
        },
    }
}

/// Azure Resource Manager: subscriptions and vaults visible to the signed-in person.
pub fn arm_line(answer: Result<(usize, usize), String>) -> Status {
    match answer {
        Ok((0, _)) => Status::Problem {
            what: "Azure Resource Manager answers, but shows you no subscription.".into(),
            fix: "Secrets are stored in a key vault you can reach through ARM: ask for a role \
                  (for example Key Vault Contributor) on a vault's subscription or resource \
                  group."
                .into(),
        },
        Ok((subs, 0)) => Status::Problem {
            what: format!(
                "Azure Resource Manager shows {subs} subscription(s), but no key vault in them."
            ),
            fix: "Create a key vault, or ask for a role on one (Key Vault Contributor or \
                  Contributor lets secret-wizard store secrets through ARM)."
                .into(),
        },
        Ok((subs, vaults)) => Status::Ok(format!(
            "Azure Resource Manager shows {subs} subscription(s) and {vaults} key vault(s)."
        )),
        Err(why) => Status::Problem {
            what: format!("Azure Resource Manager didn't list subscriptions or vaults: {why}"),
            fix: "Check the ARM permission above and that this site may reach Azure Resource \
                  Manager."
                .into(),
        },
    }
}

/// One vault named in config.json (`vault.default`, `vault.allowed`): reachable, and whether
/// the person's roles there let secret-wizard write secrets through ARM.
pub fn vault_line(name: &str, answer: Result<bool, String>) -> Status {
    match answer {
        Ok(true) => Status::Ok(format!(
            "Key vault {name} is reachable, and your roles there let secret-wizard store secrets."
        )),
        Ok(false) => Status::Note {
            what: format!(
                "Key vault {name} is reachable, but your roles there don't include \
                 Microsoft.KeyVault/vaults/secrets/write."
            ),
            fix: format!(
                "Whoever stores secrets in {name} needs Key Vault Contributor or Contributor on \
                 it (Key Vault Secrets Officer alone doesn't grant the ARM write)."
            ),
        },
        Err(why) => Status::Problem {
            what: format!("Key vault {name} from config.json isn't reachable: {why}"),
            fix: "Check the vault's resource ID in config.json (vault.default, vault.allowed) \
                  and that you have a role on it."
                .into(),
        },
    }
}
