//! Review's "History": who added or removed the app's credentials, and when, from the
//! directory audit log (`graph::audit`). Read only when asked (the log is a slower, optional
//! read), and only when the tenant granted both permissions it needs; otherwise the words say
//! what to grant, without a request that would only be refused.

use crate::graph::audit::{
    credential_history, parse_history, refusal, Change, HistoryEntry, HistoryRefusal,
    HISTORY_PERMISSIONS,
};
use crate::graph::{KeyCredential, PasswordCredential};
use crate::net::HttpRequest;
use crate::runtime::{Outcome, Problem};

/// Where the history stands.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum History {
    /// Not asked for.
    #[default]
    Hidden,
    /// The tenant hasn't granted what the audit log needs: nothing was sent.
    NotGranted,
    Loading,
    /// The credentials entries, newest first.
    Got(Vec<HistoryEntry>),
    /// Graph refused: the permission, or the user's role.
    Refused(HistoryRefusal),
    Failed(Problem),
}

impl History {
    /// "Show history": the request to send, or `None` when the permissions aren't granted.
    pub fn show(
        &mut self,
        graph_base: &str,
        app_object_id: &str,
        granted: bool,
    ) -> Option<HttpRequest> {
        if !granted {
            *self = History::NotGranted;
            return None;
        }
        *self = History::Loading;
        Some(credential_history(graph_base, app_object_id))
    }

    /// The log's answer.
    pub fn answer(&mut self, outcome: Outcome) {
        *self = match outcome {
            Err(f) => History::Failed(Problem::from_failure(f)),
            Ok(res) => match parse_history(&res) {
                Ok(page) => History::Got(
                    page.value
                        .into_iter()
                        .filter(HistoryEntry::is_credentials_activity)
                        .collect(),
                ),
                Err(e) => match refusal(&e) {
                    Some(r) => History::Refused(r),
                    None => History::Failed(Problem::from_graph(&e)),
                },
            },
        };
    }
}

/// What to grant, in words: the permissions (an admin's consent) and a role that reads logs.
pub fn not_granted_words() -> String {
    format!(
        "To see who added or removed this app's credentials, an administrator grants secret-wizard \
         the delegated Microsoft Graph permissions {} and {} (admin consent), and you need a role \
         that may read audit logs, such as Reports Reader, Security Reader or Application Administrator.",
        HISTORY_PERMISSIONS[0], HISTORY_PERMISSIONS[1]
    )
}

/// Words for Graph's refusal.
pub fn refusal_words(r: &HistoryRefusal) -> String {
    match r {
        HistoryRefusal::PermissionMissing => not_granted_words(),
        HistoryRefusal::RoleMissing => {
            "Microsoft Graph says you may not read the audit log: it needs a role \
            such as Reports Reader, Security Reader, Global Reader or Application Administrator. \
            Ask your Entra administrator, or someone who holds one of those roles."
                .to_string()
        }
    }
}

/// "Added the secret "CI deploy"", "Removed a certificate", "Changed the app's credentials": what
/// one entry did, naming the credential when its keyId is one the app still has.
pub fn what(
    entry: &HistoryEntry,
    secrets: &[PasswordCredential],
    certificates: &[KeyCredential],
) -> String {
    let named = secrets
        .iter()
        .map(|c| (c.key_id.as_str(), "secret", c.display_name.as_deref()))
        .chain(
            certificates
                .iter()
                .map(|c| (c.key_id.as_str(), "certificate", c.display_name.as_deref())),
        )
        .find_map(|(key, kind, name)| entry.change_of(key).map(|change| (change, kind, name)));
    match named {
        Some((change, kind, name)) => {
            let verb = match change {
                Change::Added => "Added",
                Change::Removed => "Removed",
                Change::Changed => "Changed",
            };
            match name.filter(|n| !n.is_empty()) {
                Some(n) => format!("{verb} the {kind} \u{201c}{n}\u{201d}"),
                None => format!("{verb} a {kind}"),
            }
        }
        None => "Changed a credential (one the app no longer has)".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use crate::runtime::Failure;

    fn secret(key: &str, name: &str) -> PasswordCredential {
        PasswordCredential {
            key_id: key.into(),
            display_name: Some(name.into()),
            hint: None,
            start_date_time: None,
            end_date_time: None,
        }
    }

    fn entry(old: &[&str], new: &[&str]) -> HistoryEntry {
        HistoryEntry {
            when: None,
            who: crate::graph::audit::Initiator::Unknown,
            activity: "Update application – Certificates and secrets management".into(),
            result: Some("success".into()),
            old_values: old.iter().map(|s| s.to_string()).collect(),
            new_values: new.iter().map(|s| s.to_string()).collect(),
        }
    }

    #[test]
    fn without_the_permissions_nothing_is_sent_and_the_words_say_what_to_grant() {
        let mut h = History::default();
        assert_eq!(h.show("https://g", "app-1", false), None);
        assert_eq!(h, History::NotGranted);
        let words = not_granted_words();
        assert!(words.contains("AuditLog.Read.All") && words.contains("Directory.Read.All"));
        let req = h.show("https://g", "app-1", true).expect("a request");
        assert!(req.url.contains("/auditLogs/directoryAudits?"));
        assert_eq!(h, History::Loading);
    }

    #[test]
    fn the_answer_keeps_credential_entries_and_graph_s_refusals_are_told_apart() {
        let mut h = History::Loading;
        let body = r#"{"value":[
            {"activityDisplayName":"Update application – Certificates and secrets management","targetResources":[]},
            {"activityDisplayName":"Update application","targetResources":[]}]}"#;
        h.answer(Ok(HttpResponse::new(200, body)));
        let History::Got(entries) = &h else {
            panic!("{h:?}")
        };
        assert_eq!(entries.len(), 1, "other app updates are left out");

        let denied = r#"{"error":{"code":"Authentication_MSGraphPermissionMissing","message":"Calling principal does not have required MSGraph permissions AuditLog.Read.All"}}"#;
        h.answer(Ok(HttpResponse::new(403, denied)));
        assert_eq!(h, History::Refused(HistoryRefusal::PermissionMissing));
        let role = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
        h.answer(Ok(HttpResponse::new(403, role)));
        assert_eq!(h, History::Refused(HistoryRefusal::RoleMissing));
        assert!(refusal_words(&HistoryRefusal::RoleMissing).contains("Reports Reader"));
        h.answer(Err(Failure::Network));
        assert!(matches!(h, History::Failed(_)));
    }

    #[test]
    fn an_entry_names_the_credential_it_added_or_removed() {
        let secrets = [secret("k-1", "CI deploy"), secret("k-2", "")];
        let added = entry(&["[]"], &["[KeyIdentifier=K-1,KeyType=Password]"]);
        assert_eq!(
            what(&added, &secrets, &[]),
            "Added the secret \u{201c}CI deploy\u{201d}"
        );
        let removed = entry(&["[KeyIdentifier=k-2]"], &["[]"]);
        assert_eq!(what(&removed, &secrets, &[]), "Removed a secret");
        let gone = entry(&["[KeyIdentifier=k-9]"], &["[]"]);
        assert_eq!(
            what(&gone, &secrets, &[]),
            "Changed a credential (one the app no longer has)"
        );
    }
}
