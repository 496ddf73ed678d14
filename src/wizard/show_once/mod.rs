//! Step 5, Show once: the one state that holds the secret value, Copy, and the duplicates a
//! browser resend may have created ([`Duplicates`]).
//!
//! "Store in Key Vault" is offered here even when Describe said not to store it: the value can
//! still go to a vault while it is on screen. [`ShowOnceMsg::StoreInVault`] opens the vault
//! choice on this step ([`ShowOnceState::choosing_vault`]); the vault step then runs the same
//! pre-flight and push as from Describe, with the value lent the same way.
//!
//! [`ShowOnceState::update`] takes a [`ShowOnceMsg`], [`ShowOnceState::answer`] a service
//! answer; both return [`ShowOnceEffect`]s. The Key Vault step borrows the value for one request
//! at a time (the wizard lends it: `wizard::vault_step::Lend`); [`ShowOnceState::finish`], the
//! single way to Done, drops it. The component is [`view::ShowOnceStep`].

mod duplicates;

use std::rc::Rc;

pub use duplicates::Duplicates;

use super::describe::{Attempt, DescribeState};
use super::done::DoneState;
use super::shared::{Call, Fingerprint};
use crate::domain::SecretValue;
use crate::graph::{self, Application, CreatedPassword, PasswordCredential};
use crate::net::HttpRequest;
use crate::runtime::{Failure, Outcome, Problem};
use crate::vault::StoredRef;

#[cfg(target_arch = "wasm32")]
pub mod view;

/// The user's actions on the Show-once step.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ShowOnceMsg {
    /// The value is on the clipboard (the guard above the pages takes it from here).
    Copied,
    CopyFailed,
    /// Remove the copies of the new secret that a browser resend created.
    RemoveDuplicates,
    /// "Store in Key Vault" after Describe said not to: choose the vault here.
    StoreInVault,
}

/// What the step asks of the wizard.
#[derive(Debug, PartialEq)]
pub enum ShowOnceEffect {
    Send(Call, HttpRequest),
    /// Hand the copied value's fingerprint (never the value) to the clipboard guard.
    ClipboardHolds(Fingerprint),
    /// The app as read again.
    AppRead(Application),
    /// A duplicate (this keyId) was removed from the app.
    Removed(String),
}

/// Where the step's requests go, and how the copied value is fingerprinted.
#[derive(Clone, Debug)]
pub struct ShowOnceSetup {
    pub graph_base: String,
    /// The app's object ID.
    pub app_object_id: String,
    /// Keys the clipboard fingerprint (per page load).
    pub salt: u64,
    /// `policy.clipboardClearSeconds`; 0: no fingerprint is taken.
    pub clipboard_clear_secs: u32,
}

/// The only state that holds a secret value.
#[derive(Debug)]
pub struct ShowOnceState {
    setup: ShowOnceSetup,
    credential: PasswordCredential,
    /// Shared only with the Show-once component while it is on screen.
    secret: Rc<SecretValue>,
    copied: bool,
    copy_problem: Option<String>,
    /// What was sent, to spot duplicates the browser's own resend created.
    attempt: Attempt,
    duplicates: Duplicates,
    /// The user asked to store the value from this step (the vault is chosen here).
    choosing_vault: bool,
}

impl ShowOnceState {
    /// The value on screen; [`ShowOnceState::verify`] looks for duplicates.
    pub fn new(setup: ShowOnceSetup, created: CreatedPassword, attempt: Attempt) -> Self {
        Self {
            setup,
            credential: created.credential,
            secret: Rc::new(created.secret),
            copied: false,
            copy_problem: None,
            attempt,
            duplicates: Duplicates::Checking,
            choosing_vault: false,
        }
    }

    pub fn credential(&self) -> &PasswordCredential {
        &self.credential
    }

    /// The value, shared with the component (and lent to the Key Vault step).
    pub fn secret(&self) -> &Rc<SecretValue> {
        &self.secret
    }

    pub fn is_copied(&self) -> bool {
        self.copied
    }

    /// Why copying didn't work, with what to do instead.
    pub fn copy_problem(&self) -> Option<&str> {
        self.copy_problem.as_deref()
    }

    pub fn duplicates(&self) -> &Duplicates {
        &self.duplicates
    }

    /// The vault is being chosen on this step ("Store in Key Vault" after Describe said not to
    /// store it).
    pub fn choosing_vault(&self) -> bool {
        self.choosing_vault
    }

    /// Leaving can't lose the value: it was copied.
    pub fn is_safe_to_leave(&self) -> bool {
        self.copied
    }

    /// Drops the value (zeroised once the component lets go of its `Rc` too).
    pub fn finish(self: Box<Self>, stored: Option<StoredRef>) -> DoneState {
        DoneState::new(self.credential, self.duplicates.leftovers(), stored)
    }

    /// Drops the value; back to the form the attempt was made from.
    pub fn into_form(self: Box<Self>) -> DescribeState {
        self.attempt.into_form()
    }

    pub fn update(&mut self, msg: ShowOnceMsg) -> Vec<ShowOnceEffect> {
        match msg {
            // Copied: leaving is safe now. The clipboard guard above the pages gets the value's
            // fingerprint (never the value), so it can clear the clipboard after the wizard is
            // gone.
            ShowOnceMsg::Copied => {
                self.copied = true;
                self.copy_problem = None;
                if self.setup.clipboard_clear_secs == 0 {
                    return Vec::new();
                }
                let fingerprint = Fingerprint::of(self.setup.salt, self.secret.expose());
                vec![ShowOnceEffect::ClipboardHolds(fingerprint)]
            }
            ShowOnceMsg::CopyFailed => {
                self.copy_problem = Some(
                    "Copying didn't work in this browser. Reveal the value, select it and copy \
                     it with Ctrl+C (⌘C on a Mac)."
                        .into(),
                );
                Vec::new()
            }
            // Only opens the choice: nothing is sent, and the value is lent only to a Store.
            ShowOnceMsg::StoreInVault => {
                self.choosing_vault = true;
                Vec::new()
            }
            // Safe: nobody ever received their values.
            ShowOnceMsg::RemoveDuplicates => {
                let (credentials, left) = match &self.duplicates {
                    Duplicates::Found(c) => {
                        (c.clone(), c.iter().map(|c| c.key_id.clone()).collect())
                    }
                    Duplicates::Failed {
                        credentials, left, ..
                    } => (credentials.clone(), left.clone()),
                    _ => return Vec::new(),
                };
                self.remove_next(credentials, left)
            }
        }
    }

    /// Re-reads the app after the success, to spot duplicates.
    pub fn verify(&self) -> Vec<ShowOnceEffect> {
        let request = graph::get_application(&self.setup.graph_base, &self.setup.app_object_id);
        vec![ShowOnceEffect::Send(Call::Verify, request)]
    }

    fn remove_next(
        &mut self,
        credentials: Vec<PasswordCredential>,
        left: Vec<String>,
    ) -> Vec<ShowOnceEffect> {
        let Some(key_id) = left.first() else {
            return Vec::new();
        };
        let request =
            graph::remove_password(&self.setup.graph_base, &self.setup.app_object_id, key_id);
        self.duplicates = Duplicates::Removing { credentials, left };
        vec![ShowOnceEffect::Send(Call::RemoveDuplicate, request)]
    }

    /// The answer to one of this step's calls (`Verify`, `RemoveDuplicate`).
    pub fn answer(&mut self, call: Call, outcome: Outcome) -> Vec<ShowOnceEffect> {
        if call == Call::Verify {
            let Some(app) = outcome.ok().and_then(|r| graph::parse_application(&r).ok()) else {
                self.duplicates = Duplicates::None;
                return Vec::new();
            };
            let shown = &self.credential.key_id;
            let extra: Vec<PasswordCredential> = self
                .attempt
                .created_in(&app)
                .into_iter()
                .filter(|c| &c.key_id != shown)
                .collect();
            self.duplicates = if extra.is_empty() {
                Duplicates::None
            } else {
                Duplicates::Found(extra)
            };
            return vec![ShowOnceEffect::AppRead(app)];
        }
        let Duplicates::Removing {
            credentials,
            mut left,
        } = self.duplicates.clone()
        else {
            return Vec::new();
        };
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res).map_err(|e| Problem::from_graph(&e)),
            // Unknown whether it went: look again instead of guessing.
            Err(Failure::Network) => return self.verify(),
            Err(f) => Err(Problem::from_failure(f)),
        };
        match result {
            Ok(()) => {
                let done = left.remove(0);
                let mut effects = vec![ShowOnceEffect::Removed(done)];
                if left.is_empty() {
                    self.duplicates = Duplicates::Removed(credentials);
                } else {
                    effects.extend(self.remove_next(credentials, left));
                }
                effects
            }
            Err(problem) => {
                self.duplicates = Duplicates::Failed {
                    credentials,
                    left,
                    problem,
                };
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::net::HttpResponse;
    use serde_json::json;

    const VALUE: &str = "Zq8~s3cr3t.VALUE-never-log-me_0123456789";

    pub(crate) fn shown(clipboard_clear_secs: u32) -> ShowOnceState {
        let (attempt, _) = crate::wizard::describe::tests::attempt();
        let sent = attempt.sent();
        let body = json!({ "keyId": "new", "displayName": sent.display_name, "hint": "Zq8",
            "startDateTime": sent.start, "endDateTime": sent.end, "secretText": VALUE });
        let created = graph::parse_add_password(HttpResponse::new(200, body.to_string())).unwrap();
        let setup = ShowOnceSetup {
            graph_base: "https://graph.test".into(),
            app_object_id: "obj-1".into(),
            salt: 7,
            clipboard_clear_secs,
        };
        ShowOnceState::new(setup, created, attempt)
    }

    #[test]
    fn copying_hands_over_a_fingerprint_only_when_the_clipboard_is_cleared() {
        let mut s = shown(60);
        assert!(!s.is_safe_to_leave());
        s.update(ShowOnceMsg::CopyFailed);
        assert!(s.copy_problem().unwrap().contains("Ctrl+C"));
        let effects = s.update(ShowOnceMsg::Copied);
        assert_eq!(
            effects,
            [ShowOnceEffect::ClipboardHolds(Fingerprint::of(7, VALUE))]
        );
        assert!(
            !format!("{effects:?}{s:?}").contains(VALUE),
            "never printed"
        );
        assert!(s.is_safe_to_leave() && s.copy_problem().is_none());
        let mut off = shown(0);
        assert!(off.update(ShowOnceMsg::Copied).is_empty());
        assert!(off.is_copied());
    }

    #[test]
    fn store_in_key_vault_opens_the_vault_choice_and_sends_nothing() {
        let mut s = shown(60);
        assert!(!s.choosing_vault());
        assert!(s.update(ShowOnceMsg::StoreInVault).is_empty());
        assert!(s.choosing_vault());
        assert!(!s.is_safe_to_leave(), "choosing a vault isn't storing it");
        assert!(s.update(ShowOnceMsg::StoreInVault).is_empty());
        assert!(s.choosing_vault(), "asking twice changes nothing");
    }

    #[test]
    fn a_duplicate_from_a_resend_is_found_and_removed() {
        let mut s = shown(60);
        let [ShowOnceEffect::Send(Call::Verify, read)] = &s.verify()[..] else {
            panic!("one read")
        };
        assert!(read.url.contains("/applications/obj-1?"), "{}", read.url);
        let mut app = crate::wizard::describe::tests::app();
        let twin = |key: &str| {
            let mut c = s.credential().clone();
            c.key_id = key.into();
            c
        };
        app.password_credentials
            .extend([twin("new"), twin("orphan")]);
        let body = serde_json::to_string(&app).unwrap();
        let read = s.answer(Call::Verify, Ok(HttpResponse::new(200, body)));
        assert!(
            matches!(&read[..], [ShowOnceEffect::AppRead(a)] if a.password_credentials.len() == 3)
        );
        assert!(
            matches!(s.duplicates(), Duplicates::Found(c) if c.len() == 1 && c[0].key_id == "orphan")
        );
        let remove = s.update(ShowOnceMsg::RemoveDuplicates);
        assert!(
            matches!(&remove[..], [ShowOnceEffect::Send(Call::RemoveDuplicate, r)]
            if r.url.ends_with("/applications/obj-1/removePassword"))
        );
        assert_eq!(
            s.duplicates().leftovers().len(),
            1,
            "still there while removing"
        );
        let done = s.answer(Call::RemoveDuplicate, Ok(HttpResponse::new(204, "")));
        assert_eq!(done, [ShowOnceEffect::Removed("orphan".into())]);
        assert!(matches!(s.duplicates(), Duplicates::Removed(_)));
        let done = Box::new(s).finish(None);
        assert!(done.leftover_duplicates().is_empty());
        assert_eq!(done.credential().key_id, "new");
    }
}
