//! The vault half of one renewal: the PUT that carries the value (the zeroising body), what its
//! answer means (stored, read back after a lost answer, refused), the app read once more after
//! storing, and removing the new secret when the vault refused it.

use super::answer::{read, unclear, Read};
use super::{same, tag, Item, ItemResult, Next, RunSettings, Step, MAX_PUTS};
use crate::arm::{self, ArmError, ArmSecret};
use crate::domain::renewal;
use crate::domain::tags::StoredCredential;
use crate::domain::vault_write::VaultSecretWrite;
use crate::graph::{self, CreatedPassword, GraphError};
use crate::net::HttpRequest;
use crate::runtime::Outcome;

impl Item {
    pub(super) fn put(&self, s: &RunSettings, created: &CreatedPassword) -> HttpRequest {
        let c = &self.candidate;
        let cred = &created.credential;
        let validity_days = match (cred.start_date_time, cred.end_date_time) {
            (Some(a), Some(b)) => u32::try_from((b - a).num_days()).unwrap_or(0),
            _ => s.lifetime_days,
        };
        let tags = renewal::version_tags(
            &StoredCredential {
                app_display_name: &c.app_name,
                client_id: &c.client_id,
                app_object_id: &c.object_id,
                credential_id: &cred.key_id,
                validity_days,
                created_by: &s.upn,
            },
            &c.key_id,
            &self.vault_tags,
        );
        let mut write = VaultSecretWrite {
            tags,
            ..VaultSecretWrite::default()
        };
        // Enabled, valid from the secret's start, expiring with it (so Key Vault's
        // near-expiry event fires 30 days ahead), as a single store writes it.
        write.content_type = Some(crate::domain::vault_write::CLIENT_SECRET_CONTENT_TYPE.into());
        write.attributes.enabled = Some(true);
        write.attributes.not_before = cred.start_date_time;
        write.attributes.expires = cred.end_date_time;
        arm::put_secret(
            &s.arm_base,
            &c.copy.vault_id,
            &c.copy.secret_name,
            &created.secret,
            &write,
        )
    }

    pub(super) fn on_written(&mut self, outcome: Outcome, created: CreatedPassword) -> Next {
        self.puts += 1;
        if unclear(&outcome) {
            return self.to(Step::CheckWrite(created));
        }
        let c = &self.candidate;
        match read(outcome, arm::parse_secret) {
            Ok(secret) => self.stored(&secret, created),
            Err(e) => {
                let role_or_policy = matches!(
                    e,
                    Read::Refused(
                        ArmError::AuthorizationFailed { .. } | ArmError::PolicyDisallowed { .. }
                    )
                );
                let why = e.words_arm(&c.copy.vault_name, &c.copy.secret_name);
                if role_or_policy {
                    self.write_refused = Some(why.clone());
                }
                let key_id = created.credential.key_id.clone();
                // The value is dropped here: nobody has it, so the new secret goes too.
                drop(created);
                self.to(Step::RemoveNew { key_id, why })
            }
        }
    }

    /// Stored: the value is dropped here. The app is read once more: a browser may send a
    /// POST again by itself when a reused connection closed before any answer (the wizard's
    /// Show once looks for the same), and such an extra secret's value reached nobody.
    fn stored(&mut self, secret: &ArmSecret, created: CreatedPassword) -> Next {
        let cred = &created.credential;
        self.after = Some(ItemResult::Renewed {
            new_key_id: cred.key_id.clone(),
            end: cred.end_date_time,
            version: secret.version().map(str::to_string),
            refused_days: self.shorter.map(|(_, refused)| refused),
        });
        drop(created);
        self.to(Step::ReadApp)
    }

    /// The app read after storing: extra renewals of K besides the stored one are removed.
    pub(super) fn on_verified(&mut self, outcome: Outcome) -> Next {
        let Some(ItemResult::Renewed { new_key_id, .. }) = &self.after else {
            return Next::Done;
        };
        let new_key = new_key_id.clone();
        let old = self.candidate.key_id.clone();
        if let Ok(app) = read(outcome, graph::parse_application) {
            self.orphans = app
                .password_credentials
                .iter()
                .filter(|c| !same(&c.key_id, &new_key))
                .filter(|c| renewal::renews(c.display_name.as_deref(), &old))
                .map(|c| c.key_id.clone())
                .collect();
        }
        if self.orphans.is_empty() {
            // Nothing extra (or the read failed: the renewal itself stands).
            let result = self.after.take().unwrap_or(ItemResult::Cancelled);
            return self.done(result);
        }
        self.to(Step::RemoveOrphan)
    }

    pub(super) fn on_checked(&mut self, outcome: Outcome, created: CreatedPassword) -> Next {
        let new_key = created.credential.key_id.clone();
        match read(outcome, arm::parse_secret) {
            Ok(secret) if tag(&secret.tags, "CredentialId").is_some_and(|k| same(k, &new_key)) => {
                self.stored(&secret, created)
            }
            Ok(secret) if self.puts < MAX_PUTS => {
                // Not stored: the same PUT again (with the tags as they are now).
                self.vault_tags = secret.tags.clone();
                self.to(Step::Write(created))
            }
            Ok(_) => {
                drop(created);
                self.to(Step::RemoveNew {
                    key_id: new_key,
                    why: format!(
                        "The vault didn't answer {MAX_PUTS} times and doesn't hold the new value."
                    ),
                })
            }
            Err(_) => {
                // Can't tell whether it is stored: keep the secret (it may be in the vault).
                drop(created);
                self.skip(format!(
                    "The vault's answer was lost and it couldn't be read back: the new secret \
                     ({new_key}) may or may not be stored. Check the vault secret's latest \
                     version; if its CredentialId isn't {new_key}, remove that secret on the \
                     app's Review."
                ))
            }
        }
    }

    pub(super) fn on_new_removed(&mut self, outcome: Outcome, key_id: String, why: String) -> Next {
        match read(outcome, graph::parse_remove_password) {
            Ok(()) | Err(Read::Refused(GraphError::NotFound(_))) => self.skip(format!(
                "{why} The new secret was removed again: nothing changed."
            )),
            Err(_) => self.skip(format!(
                "{why} The new secret ({key_id}) could not be removed: its value is nowhere, so \
                 remove it on the app's Review."
            )),
        }
    }
}
