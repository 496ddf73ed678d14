//! `AuthError`: MSAL failures typed by `errorCode` (MSAL 5's `message` is only a docs link),
//! each with the words a user reads (docs/ux.md) and a details line for an admin.

use crate::net::Resource;

/// Why a sign-in or a token request failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AuthError {
    /// The browser blocked the popup (`popup_window_error`, `empty_window_error`).
    PopupBlocked,
    /// The user closed the sign-in window (`user_cancelled`).
    UserCancelled,
    /// A silent request needs the user (`interaction_required`, `consent_required`, …).
    InteractionRequired {
        code: String,
        resource: Option<Resource>,
    },
    /// Another sign-in window is still open (`interaction_in_progress`).
    InteractionInProgress,
    /// Nobody is signed in.
    NoAccount,
    /// The popup or hidden frame never answered (`timed_out`).
    Timeout,
    /// The identity provider could not be reached.
    Network,
    /// The popup was blocked and the page is now navigating to the sign-in page instead.
    Redirecting,
    /// Anything else, with MSAL's code for the details line.
    Other { code: String },
}

/// The code used when `window.msal` is missing (the script did not load).
pub const MSAL_NOT_LOADED: &str = "msal_not_loaded";

impl AuthError {
    /// Maps MSAL's `errorCode` (and the error's class name) to a variant.
    pub fn from_code(code: &str, class_name: &str) -> AuthError {
        match code {
            "popup_window_error" | "empty_window_error" | "block_nested_popups" => {
                AuthError::PopupBlocked
            }
            "user_cancelled" | "user_canceled" => AuthError::UserCancelled,
            "interaction_in_progress" => AuthError::InteractionInProgress,
            "no_account_error" | "no_account_in_silent_request" | "no_account_found" => {
                AuthError::NoAccount
            }
            "timed_out" | "monitor_window_timeout" => AuthError::Timeout,
            "network_error"
            | "no_network_connectivity"
            | "post_request_failed"
            | "get_request_failed" => AuthError::Network,
            "interaction_required"
            | "consent_required"
            | "login_required"
            | "no_tokens_found"
            | "refresh_token_expired"
            | "bad_token"
            | "ui_not_allowed"
            | "interrupted_user"
            | "native_account_unavailable" => AuthError::InteractionRequired {
                code: code.into(),
                resource: None,
            },
            _ if class_name == "InteractionRequiredAuthError" => AuthError::InteractionRequired {
                code: code.into(),
                resource: None,
            },
            _ => AuthError::Other {
                code: sanitize_code(code),
            },
        }
    }

    /// Maps MSAL's `errorCode`, `subError` and class name. A refused refresh token for a
    /// resource nobody consented to arrives as `invalid_grant` with `subError` `consent_required`
    /// (Entra's token response carries `suberror: consent_required`, O365/python-o365 issue #323;
    /// MSAL keeps it in `subError`), which is a consent question, not an expired session.
    pub fn from_parts(code: &str, sub_error: &str, class_name: &str) -> AuthError {
        match AuthError::from_code(code, class_name) {
            AuthError::InteractionRequired { resource, .. } if sub_error == "consent_required" => {
                AuthError::InteractionRequired {
                    code: "consent_required".into(),
                    resource,
                }
            }
            other => other,
        }
    }

    /// True when the user (or an admin) must consent before a token can be had.
    pub fn is_consent(&self) -> bool {
        matches!(self, AuthError::InteractionRequired { code, .. } if code == "consent_required")
    }

    /// The same error, noting which service's token it was about.
    pub fn for_resource(self, resource: Resource) -> AuthError {
        match self {
            AuthError::InteractionRequired { code, .. } => AuthError::InteractionRequired {
                code,
                resource: Some(resource),
            },
            other => other,
        }
    }

    /// True when an interactive request (popup, then redirect) may fix it.
    pub fn needs_interaction(&self) -> bool {
        matches!(
            self,
            AuthError::InteractionRequired { .. } | AuthError::NoAccount
        )
    }

    /// True when the popup could not open and a redirect should be used instead.
    pub fn popup_unavailable(&self) -> bool {
        matches!(self, AuthError::PopupBlocked)
    }

    /// MSAL's code, for the details line.
    pub fn code(&self) -> &str {
        match self {
            AuthError::PopupBlocked => "popup_window_error",
            AuthError::UserCancelled => "user_cancelled",
            AuthError::InteractionRequired { code, .. } | AuthError::Other { code } => code,
            AuthError::InteractionInProgress => "interaction_in_progress",
            AuthError::NoAccount => "no_account_error",
            AuthError::Timeout => "timed_out",
            AuthError::Network => "network_error",
            AuthError::Redirecting => "redirecting",
        }
    }

    /// What happened, why, and what to do (docs/ux.md).
    pub fn user_message(&self) -> String {
        match self {
            AuthError::PopupBlocked => "Your browser blocked the sign-in window. Allow pop-ups for this site, then try again.".into(),
            AuthError::UserCancelled => {
                "Sign-in was cancelled before it finished. Select Sign in to try again.".into()
            }
            AuthError::InteractionRequired { resource, .. } if self.is_consent() => format!(
                "secret-wizard doesn't have your organisation's permission to use {}. An \
                 administrator grants admin consent to secret-wizard under API permissions; the \
                 Setup check page lists what's missing.",
                resource.map_or("one of its services", service_name)
            ),
            AuthError::InteractionRequired { resource, .. } => match resource {
                Some(r) => format!(
                    "Please sign in again to continue (your session for {} expired).",
                    service_name(*r)
                ),
                None => "Please sign in again to continue (your session expired).".into(),
            },
            AuthError::InteractionInProgress => {
                "A sign-in window is still open. Finish or close it, then try again.".into()
            }
            AuthError::NoAccount => "You're not signed in. Select Sign in to continue.".into(),
            AuthError::Timeout => "The sign-in window didn't answer in time. Close any open sign-in windows and try again.".into(),
            AuthError::Network => "The sign-in service couldn't be reached. Check your connection and try again.".into(),
            // Only ever after a blocked popup: the redirect fallback is under way.
            AuthError::Redirecting => {
                "Your browser blocked the sign-in window; continuing in this tab…".into()
            }
            AuthError::Other { code } if code == MSAL_NOT_LOADED => "The sign-in library didn't load, so this page can't sign you in. Reload the page; if it keeps happening, tell whoever runs this site.".into(),
            AuthError::Other { .. } => "Sign-in didn't work. Try again; if it keeps failing, give your administrator the details below.".into(),
        }
    }

    /// The small "details" line: MSAL's error code.
    pub fn details(&self) -> String {
        format!("MSAL error code: {}", self.code())
    }
}

impl std::fmt::Display for AuthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.user_message())
    }
}

impl std::error::Error for AuthError {}

/// The service's name as a user knows it.
pub fn service_name(resource: Resource) -> &'static str {
    match resource {
        Resource::Graph => "Microsoft Graph",
        Resource::Arm => "Azure Resource Manager",
        Resource::KeyVault => "Key Vault",
    }
}

/// Error codes are identifiers; keep only identifier characters, at most 64.
fn sanitize_code(code: &str) -> String {
    let clean: String = code
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '-')
        .take(64)
        .collect();
    if clean.is_empty() {
        "unknown_error".into()
    } else {
        clean
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_map_to_variants() {
        let cases: &[(&str, &str, AuthError)] = &[
            (
                "popup_window_error",
                "BrowserAuthError",
                AuthError::PopupBlocked,
            ),
            (
                "empty_window_error",
                "BrowserAuthError",
                AuthError::PopupBlocked,
            ),
            (
                "user_cancelled",
                "BrowserAuthError",
                AuthError::UserCancelled,
            ),
            (
                "interaction_in_progress",
                "BrowserAuthError",
                AuthError::InteractionInProgress,
            ),
            ("no_account_error", "BrowserAuthError", AuthError::NoAccount),
            ("timed_out", "BrowserAuthError", AuthError::Timeout),
            (
                "no_network_connectivity",
                "BrowserAuthError",
                AuthError::Network,
            ),
            (
                "consent_required",
                "InteractionRequiredAuthError",
                AuthError::InteractionRequired {
                    code: "consent_required".into(),
                    resource: None,
                },
            ),
            (
                "AADSTS50076",
                "InteractionRequiredAuthError",
                AuthError::InteractionRequired {
                    code: "AADSTS50076".into(),
                    resource: None,
                },
            ),
            (
                "invalid_grant",
                "ServerError",
                AuthError::Other {
                    code: "invalid_grant".into(),
                },
            ),
            (
                "<script>",
                "Error",
                AuthError::Other {
                    code: "script".into(),
                },
            ),
            (
                "",
                "Error",
                AuthError::Other {
                    code: "unknown_error".into(),
                },
            ),
        ];
        for (code, class, want) in cases {
            assert_eq!(&AuthError::from_code(code, class), want, "{code}");
        }
    }

    #[test]
    fn messages_follow_the_ux_table() {
        assert_eq!(
            AuthError::Redirecting.user_message(),
            "Your browser blocked the sign-in window; continuing in this tab…"
        );
        assert!(AuthError::PopupBlocked
            .user_message()
            .contains("Allow pop-ups"));
        let kv = AuthError::from_code("interaction_required", "InteractionRequiredAuthError")
            .for_resource(Resource::KeyVault);
        assert_eq!(
            kv.user_message(),
            "Please sign in again to continue (your session for Key Vault expired)."
        );
        assert_eq!(kv.details(), "MSAL error code: interaction_required");
        assert!(kv.needs_interaction());
        assert!(!AuthError::UserCancelled.needs_interaction());
        assert!(AuthError::PopupBlocked.popup_unavailable());
        let missing = AuthError::Other {
            code: MSAL_NOT_LOADED.into(),
        };
        assert!(missing.user_message().contains("didn't load"));
    }
}
