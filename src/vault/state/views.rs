//! What the page and the wizard read back from the vault step's state: the vault a hand-off
//! link named (and whether it awaits confirmation), the chosen vault's name and data-plane
//! base, whether the value may be shown, and the stored result.

use super::{Origin, VaultState};
use crate::vault::preflight::Check;
use crate::vault::push::Push;
use crate::vault::stored::StoredRef;

/// What the page shows about a vault named by a hand-off link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkVault {
    pub name: String,
    pub subscription_id: String,
    /// The subscription's display name, once listed (`None`: not among the user's, or still
    /// loading).
    pub subscription_name: Option<String>,
    pub resource_group: String,
    pub location: Option<String>,
    /// The user said "Use this vault".
    pub confirmed: bool,
}

impl LinkVault {
    /// "Contoso Dev (c0de0001-…)", or the bare ID when its name is unknown.
    pub fn subscription(&self) -> String {
        match &self.subscription_name {
            Some(n) if !n.eq_ignore_ascii_case(&self.subscription_id) => {
                format!("{n} ({})", self.subscription_id)
            }
            _ => self.subscription_id.clone(),
        }
    }

    /// The warning shown beside the vault until it is confirmed.
    pub fn warning(&self, app: &str) -> String {
        let app = if app.is_empty() { "this app" } else { app };
        format!(
            "Anyone can write a hand-off link, and this site's settings don't list {}. Store \
             {app}'s secret here only if you know this vault is meant for it: whoever can read \
             the vault can read the secret.",
            self.name
        )
    }
}

impl VaultState {
    /// True while the chosen vault came from a hand-off link and the user has not confirmed it.
    pub fn awaiting_vault_confirmation(&self) -> bool {
        self.selected
            .as_ref()
            .is_some_and(|s| s.origin == Origin::Link { confirmed: false })
    }

    /// The chosen vault's details when a hand-off link named it (and the site did not vet it).
    pub fn link_vault(&self) -> Option<LinkVault> {
        let s = self.selected.as_ref()?;
        let Origin::Link { confirmed } = s.origin else {
            return None;
        };
        let listed = self
            .catalog
            .subscriptions
            .iter()
            .find(|x| {
                x.subscription_id
                    .eq_ignore_ascii_case(&s.vault.subscription_id)
            })
            .map(|x| x.display_name.clone());
        Some(LinkVault {
            name: s.vault.name.clone(),
            subscription_id: s.vault.subscription_id.clone(),
            subscription_name: listed,
            resource_group: s.vault.resource_group.clone(),
            location: s
                .info
                .done()
                .map(|o| o.location.clone())
                .filter(|l| !l.is_empty()),
            confirmed,
        })
    }

    /// Where the data plane is reached for the selected vault (gateway or vault URI).
    pub(in crate::vault) fn data_plane_base(&self) -> Option<String> {
        let config = self.config.as_ref()?;
        let uri = match &self.selected.as_ref()?.info {
            Check::Done(o) => o.vault_uri.clone(),
            _ => None,
        };
        config.data_plane_base(&self.selected.as_ref()?.vault.name, uri.as_deref())
    }

    /// The selected vault's name, for messages.
    pub fn vault_name(&self) -> String {
        self.selected
            .as_ref()
            .map_or_else(|| "the vault".to_string(), |s| s.vault.name.clone())
    }

    /// Whether the Show-once step may render the value field at all: always, except in
    /// zero-reveal mode, where only a failed store offers it (so nothing is lost).
    pub fn may_show_value(&self) -> bool {
        !self.zero_reveal || self.push.failed().is_some()
    }

    /// The stored result, once the push succeeded.
    pub fn stored(&self) -> Option<&StoredRef> {
        match &self.push {
            Push::Stored(s) => Some(s),
            _ => None,
        }
    }
}
