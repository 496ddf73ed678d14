//! The words for each [`GraphError`] (docs/ux.md "Error → message with the remedy"), in one place.

use super::error::GraphError;
use crate::wire::excerpt;

impl GraphError {
    /// What happened, why, and the fix, in plain words. Never contains Graph's raw message.
    pub fn user_message(&self) -> String {
        self.user_message_with_owners(&[])
    }

    /// Like [`GraphError::user_message`], naming the app's owners when access was denied.
    pub fn user_message_with_owners(&self, owners: &[String]) -> String {
        match self {
            GraphError::AuthorizationDenied(_) => {
                let who = if owners.is_empty() {
                    "Its owners".to_string()
                } else {
                    format!("Its owners ({})", owners.join(", "))
                };
                format!(
                    "You can't add secrets to this app. {who} or an Application Administrator can; \
                     ask one of them, or ask to be added as an owner."
                )
            }
            GraphError::PolicyLifetime(_) => {
                "Your organisation's policy doesn't allow secrets for this app to last that long, \
                 and Microsoft Graph doesn't say how long they may last. Choose a shorter lifetime."
                    .into()
            }
            GraphError::PolicyBlocksSecrets(_) => {
                "Your organisation's policy doesn't allow new client secrets for this app. \
                 Use a certificate or a federated credential instead; an administrator of your \
                 organisation can tell you which."
                    .into()
            }
            GraphError::SecretLimit(_) => {
                "This app accepts personal Microsoft accounts, which limits it to two secrets. \
                 Remove an old one first (after its consumers are updated)."
                    .into()
            }
            GraphError::Unauthorized(_) => {
                "Your sign-in for Microsoft Graph has expired. Please sign in again to continue.".into()
            }
            GraphError::InsufficientClaims { .. } => {
                "Your organisation's access policy asks you to sign in again before this change. \
                 Please sign in again to continue."
                    .into()
            }
            GraphError::NotFound(_) => {
                "This app was not found: it may have been deleted, or you can't see it. \
                 Refresh the list and choose it again."
                    .into()
            }
            GraphError::UnsupportedQuery(_) => {
                "This kind of search isn't available in your tenant. Search by the start of the \
                 app's name or by its client ID instead."
                    .into()
            }
            GraphError::BadRequest(_) | GraphError::Other(_) => {
                "Microsoft Graph refused the request, so nothing was changed. If it happens again, \
                 share the details below with your admin."
                    .into()
            }
            GraphError::Throttled { .. } | GraphError::ServiceUnavailable { .. } => {
                "Microsoft Graph is still busy. Try again in a minute; nothing was created.".into()
            }
            GraphError::Unexpected { status, .. } => format!(
                "Microsoft Graph could not be reached properly (HTTP {status}); something between \
                 your browser and Graph answered instead. Try again in a minute; nothing was created."
            ),
            GraphError::Malformed { .. } => {
                "Microsoft Graph's answer could not be read. Try again; if it happens again, \
                 share the details below with your admin."
                    .into()
            }
        }
    }

    /// The line shown while an automatic retry waits ("retrying in N s…").
    pub fn retrying_message(secs: u64) -> String {
        format!("Microsoft Graph is busy; retrying in {secs} s…")
    }

    /// The small "details" line: code · HTTP status · request-id · client-request-id · date.
    pub fn details(&self) -> String {
        let mut parts = Vec::new();
        match self.info() {
            Some(i) => {
                if !i.code.is_empty() {
                    parts.push(i.code.clone());
                }
                parts.push(format!("HTTP {}", i.status));
                if let Some(r) = &i.request_id {
                    parts.push(format!("request-id {r}"));
                }
                if let Some(c) = &i.client_request_id {
                    parts.push(format!("client-request-id {c}"));
                }
                if let Some(d) = &i.date {
                    parts.push(d.clone());
                }
                // Undocumented refusal: Graph's own words too, so an admin can recognise it.
                if matches!(self, GraphError::PolicyBlocksSecrets(_)) && !i.message.is_empty() {
                    parts.push(format!("Graph: “{}”", excerpt(&i.message)));
                }
            }
            None => {
                parts.push(format!("HTTP {}", self.status()));
                match self {
                    GraphError::Unexpected { body_excerpt, .. } if !body_excerpt.is_empty() => {
                        parts.push(format!("body: {body_excerpt}"))
                    }
                    GraphError::Malformed { detail, .. } => parts.push(detail.clone()),
                    _ => {}
                }
            }
        }
        parts.join(" · ")
    }
}

impl std::fmt::Display for GraphError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for GraphError {}
