//! What the app says BEFORE it opens a Microsoft window for one service's token: which service,
//! why the app needs it, and what the window will ask. Plain data, natively tested.
//!
//! A token for Azure Resource Manager or Key Vault comes silently from the refresh token once
//! someone has signed in (admin consent covers it). Only when that silent request answers
//! `interaction_required` or `consent_required` does the app need the person again, and then it
//! asks first, in its own words, and opens the window from their click (a window opened without
//! a click is blocked by browsers, and a redirect would lose the page).

use super::error::{service_name, AuthError};
use crate::net::Resource;

/// The words of one "we need you in a Microsoft window" prompt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InteractionPrompt {
    pub title: String,
    pub message: String,
    /// The button that opens the window.
    pub action: &'static str,
}

/// What the app does with a service's token.
pub fn purpose(resource: Resource) -> &'static str {
    match resource {
        Resource::Graph => "to read app registrations and add credentials to them",
        Resource::Arm => "to list your key vaults and store secrets in them",
        Resource::KeyVault => "to write secrets through Key Vault's own endpoint",
    }
}

/// The prompt for a silent token request that failed with `error` for `resource`.
pub fn interaction_prompt(resource: Resource, error: &AuthError) -> InteractionPrompt {
    let service = service_name(resource);
    let why = purpose(resource);
    if error.is_consent() {
        InteractionPrompt {
            title: format!("Permission needed for {service}"),
            message: format!(
                "secret-wizard needs permission to use {service} {why}, and your organisation \
                 hasn't granted it yet. Continue opens a Microsoft window that asks for it. If \
                 that window says an administrator must approve, ask one to grant admin consent \
                 to secret-wizard; the Setup check page shows what's missing."
            ),
            action: "Continue",
        }
    } else {
        InteractionPrompt {
            title: format!("Sign in again for {service}"),
            message: format!(
                "Microsoft wants you to confirm your sign-in before secret-wizard can use \
                 {service} {why}. Continue opens a Microsoft sign-in window; this page stays as \
                 it is."
            ),
            action: "Continue",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn consent_and_a_new_sign_in_are_told_apart_and_name_the_service() {
        let consent = AuthError::from_parts(
            "invalid_grant",
            "consent_required",
            "InteractionRequiredAuthError",
        );
        assert!(consent.is_consent());
        let p = interaction_prompt(Resource::Arm, &consent);
        assert_eq!(p.title, "Permission needed for Azure Resource Manager");
        assert!(p.message.contains("list your key vaults"));
        assert!(p.message.contains("admin consent"));

        let expired = AuthError::from_code("interaction_required", "InteractionRequiredAuthError");
        assert!(!expired.is_consent());
        let p = interaction_prompt(Resource::KeyVault, &expired);
        assert_eq!(p.title, "Sign in again for Key Vault");
        assert!(p.message.contains("sign-in window"));

        // A sub-error other than consent keeps MSAL's code.
        let other = AuthError::from_parts(
            "invalid_grant",
            "basic_action",
            "InteractionRequiredAuthError",
        );
        assert_eq!(other.code(), "invalid_grant");
        assert!(!other.is_consent());
        // Not an interaction error at all: unchanged.
        assert_eq!(
            AuthError::from_parts("user_cancelled", "consent_required", "BrowserAuthError"),
            AuthError::UserCancelled
        );
    }
}
