//! Who added or removed an app's credentials, and when: the directory audit log, read-only and
//! sans-IO (`GET /auditLogs/directoryAudits`).
//!
//! - Permissions: delegated `AuditLog.Read.All` **and** `Directory.Read.All`
//!   (../shared/specs/graph-docs/includes/permissions/directoryaudit-list-permissions.md), both
//!   optional for secret-wizard, and a directory role that may read audit logs (Reports Reader,
//!   Security Reader, Global Reader, …). Without the permission Graph answers 403
//!   `Authentication_MSGraphPermissionMissing`, "Calling principal does not have required MSGraph
//!   permissions AuditLog.Read.All" (microsoftgraph/microsoft-graph-explorer-v4#3165,
//!   microsoftgraph/microsoft-graph-docs-contrib#8997); [`HistoryRefusal`] tells that apart from
//!   a missing role so the words can say what to grant.
//! - The query: `$filter` on `activityDisplayName` (`startswith`) and on the target's `id`
//!   (`eq`), both documented filters (../shared/specs/graph-docs/directoryaudit.md), newest first
//!   (`$orderby=activityDateTime desc`, documented), [`HISTORY_TOP`] entries. The credential
//!   activity is "Update application – Certificates and secrets management" (Microsoft Entra
//!   audit activities); it is matched here by its words, not its dash, since public queries spell
//!   it with either an en dash or a hyphen.
//! - Which credential an entry is about: the shape of `modifiedProperties`' values is not
//!   documented, so the app only looks for the credential's `keyId` anywhere in them
//!   ([`HistoryEntry::mentions`]) and otherwise says "a credential".

use chrono::{DateTime, Utc};

use super::error::GraphError;
use super::read;
use super::requests::{get, url};
use super::types::Page;
use crate::net::{encode, HttpRequest, HttpResponse};
use crate::wire::{parse_with, Members, Mismatch};

/// The delegated permissions the history needs, both (directoryaudit-list-permissions.md).
pub const HISTORY_PERMISSIONS: [&str; 2] = ["AuditLog.Read.All", "Directory.Read.All"];
/// How many entries Review shows (newest first).
pub const HISTORY_TOP: u32 = 50;
/// The start of the activities that change an app (`startswith` is documented for
/// `activityDisplayName`).
const ACTIVITY_PREFIX: &str = "Update application";
/// The words that mark the credentials activity, after its dash.
const CREDENTIALS_ACTIVITY: &str = "Certificates and secrets management";

/// Whether the granted Graph permissions (the token's `scp`) include both that the audit log
/// needs. Names compare without case, as Entra's do.
pub fn may_read_history<S: AsRef<str>>(granted: &[S]) -> bool {
    HISTORY_PERMISSIONS
        .iter()
        .all(|p| granted.iter().any(|g| g.as_ref().eq_ignore_ascii_case(p)))
}

/// `GET /v1.0/auditLogs/directoryAudits` for one application (`object_id`), newest first.
pub fn credential_history(base: &str, object_id: &str) -> HttpRequest {
    let filter = format!(
        "startswith(activityDisplayName,'{ACTIVITY_PREFIX}') and targetResources/any(t:t/id eq '{}')",
        object_id.replace('\'', "''")
    );
    get(url(
        base,
        &format!(
            "/auditLogs/directoryAudits?$filter={}&$orderby={}&$top={HISTORY_TOP}",
            encode(&filter),
            encode("activityDateTime desc")
        ),
    ))
}

/// Who did it: a user (their name, else their sign-in name) or an app.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Initiator {
    User { name: String },
    App { name: String },
    Unknown,
}

impl Initiator {
    pub fn label(&self) -> &str {
        match self {
            Initiator::User { name } | Initiator::App { name } => name,
            Initiator::Unknown => "someone",
        }
    }
}

/// One audit entry about the app's credentials.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HistoryEntry {
    pub when: Option<DateTime<Utc>>,
    pub who: Initiator,
    pub activity: String,
    /// `success`, `failure`, `timeout` or later values, as sent.
    pub result: Option<String>,
    /// The target's modified properties' old values, as sent.
    pub old_values: Vec<String>,
    /// Their new values.
    pub new_values: Vec<String>,
}

/// What an entry did to one credential, as far as its values say.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Change {
    Added,
    Removed,
    /// Named in both the old and the new values (another change to the app's credentials).
    Changed,
}

impl HistoryEntry {
    /// True when this entry names the credential with `key_id` (anywhere in its values).
    pub fn mentions(&self, key_id: &str) -> bool {
        self.change_of(key_id).is_some()
    }

    /// What the entry did to the credential `key_id`: named only in the new values, added;
    /// only in the old ones, removed; `None` when it isn't named.
    pub fn change_of(&self, key_id: &str) -> Option<Change> {
        if key_id.is_empty() {
            return None;
        }
        let needle = key_id.to_ascii_lowercase();
        let named = |values: &[String]| {
            values
                .iter()
                .any(|v| v.to_ascii_lowercase().contains(&needle))
        };
        match (named(&self.old_values), named(&self.new_values)) {
            (false, true) => Some(Change::Added),
            (true, false) => Some(Change::Removed),
            (true, true) => Some(Change::Changed),
            (false, false) => None,
        }
    }

    /// True for the credentials activity (the list's filter also lets other "Update
    /// application" activities through).
    pub fn is_credentials_activity(&self) -> bool {
        self.activity.contains(CREDENTIALS_ACTIVITY)
    }
}

/// Why the log could not be read, in the terms the words need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HistoryRefusal {
    /// The token lacks `AuditLog.Read.All` (or `Directory.Read.All`): an admin grants it.
    PermissionMissing,
    /// Another 403: the signed-in user has no role that reads audit logs.
    RoleMissing,
}

/// Reads a 403 from the audit log into what is missing; `None` for any other error.
pub fn refusal(error: &GraphError) -> Option<HistoryRefusal> {
    match error {
        GraphError::AuthorizationDenied(info) => {
            if info
                .code
                .eq_ignore_ascii_case("Authentication_MSGraphPermissionMissing")
                || info.message.contains("AuditLog.Read.All")
            {
                Some(HistoryRefusal::PermissionMissing)
            } else {
                Some(HistoryRefusal::RoleMissing)
            }
        }
        _ => None,
    }
}

fn initiator(m: Members<'_>) -> Result<Initiator, Mismatch> {
    fn user(m: Members<'_>) -> Result<Option<String>, Mismatch> {
        Ok(m.text("displayName")?.or(m.text("userPrincipalName")?))
    }
    fn app(m: Members<'_>) -> Result<Option<String>, Mismatch> {
        Ok(m.text("displayName")?.or(m.text("appId")?))
    }
    if let Some(Some(name)) = m.object("user", user)? {
        return Ok(Initiator::User { name });
    }
    if let Some(Some(name)) = m.object("app", app)? {
        return Ok(Initiator::App { name });
    }
    Ok(Initiator::Unknown)
}

/// A modified property's (old, new) values.
type Values = (Option<String>, Option<String>);

fn modified_values(m: Members<'_>) -> Result<Values, Mismatch> {
    Ok((m.text("oldValue")?, m.text("newValue")?))
}

fn target_values(m: Members<'_>) -> Result<Vec<Values>, Mismatch> {
    Ok(m.list("modifiedProperties", modified_values)?
        .unwrap_or_default())
}

fn entry(m: Members<'_>) -> Result<HistoryEntry, Mismatch> {
    let values: Vec<Values> = m
        .list("targetResources", target_values)?
        .unwrap_or_default()
        .into_iter()
        .flatten()
        .collect();
    let (old, new): (Vec<_>, Vec<_>) = values.into_iter().unzip();
    Ok(HistoryEntry {
        when: m.date("activityDateTime")?,
        who: m
            .object("initiatedBy", initiator)?
            .unwrap_or(Initiator::Unknown),
        activity: m.text("activityDisplayName")?.unwrap_or_default(),
        result: m.text("result")?,
        old_values: old.into_iter().flatten().collect(),
        new_values: new.into_iter().flatten().collect(),
    })
}

/// One page of the log (Review reads only the first: the newest [`HISTORY_TOP`]).
pub fn parse_history(res: &HttpResponse) -> Result<Page<HistoryEntry>, GraphError> {
    parse_with(res, |m| read::page(m, entry))
}

#[cfg(test)]
mod tests;
