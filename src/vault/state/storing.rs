//! The push's transitions: Store, the answer, the check after an unclear answer, the wait
//! before a safe resend, and giving the credential up (`vault::push` holds the rules).

use crate::arm;
use crate::destinations::VaultHosts;
use crate::domain::SecretValue;
use crate::graph;
use crate::keyvault;
use crate::net::HttpResponse;
use crate::retry::MAX_WAIT_SECS;
use crate::runtime::{Failure, Outcome};

use super::VaultState;
use crate::vault::msg::{VaultCall, VaultEffect};
use crate::vault::preflight::{Check, NameStatus};
use crate::vault::problem::{self, VaultProblem};
use crate::vault::push::{put_request, IfNotStored, Push, PushTarget, StoreContext, MAX_SENDS};
use crate::vault::stored::{StoredRef, WritePath};

impl VaultState {
    fn arm_base(&self) -> String {
        self.config
            .as_ref()
            .map(|c| c.arm_base.clone())
            .unwrap_or_default()
    }

    /// "Store in Key Vault" (and "Try again"): one click, at most one stored version.
    pub(in crate::vault) fn store(&mut self, ctx: Option<&StoreContext<'_>>) -> Vec<VaultEffect> {
        let Some(ctx) = ctx else {
            return Vec::new();
        };
        if self.push.in_progress() || matches!(self.push, Push::Stored(_)) {
            return Vec::new();
        }
        let unsure = matches!(self.push, Push::Failed { unsure: true, .. });
        let same_target = self.target.as_ref().is_some_and(|t| {
            t.name.eq_ignore_ascii_case(&self.name.text) && t.key_id == ctx.credential.key_id
        });
        if unsure && same_target {
            // The last send may have stored it: look before sending again.
            self.push = Push::Checking {
                sends: 0,
                then: IfNotStored::Resend,
            };
            return self.check_request();
        }
        if !matches!(self.verdict(), crate::vault::Verdict::Ready { .. }) {
            return Vec::new();
        }
        let Some(selected) = &self.selected else {
            return Vec::new();
        };
        self.target = Some(PushTarget {
            vault_id: selected.vault.id.clone(),
            vault_name: selected.vault.name.clone(),
            name: self.name.text.clone(),
            path: self.path,
            data_plane_base: self.data_plane_base(),
            gateway: self
                .config
                .as_ref()
                .is_some_and(|c| c.settings.gateway.is_some()),
            key_id: ctx.credential.key_id.clone(),
        });
        self.send_push(0, ctx)
    }

    fn send_push(&mut self, sends: u32, ctx: &StoreContext<'_>) -> Vec<VaultEffect> {
        let Some(target) = &self.target else {
            return Vec::new();
        };
        let request = put_request(&self.arm_base(), target, ctx);
        self.push = Push::Sending { sends: sends + 1 };
        vec![VaultEffect::send(VaultCall::Push, request)]
    }

    fn check_request(&self) -> Vec<VaultEffect> {
        let Some(t) = &self.target else {
            return Vec::new();
        };
        let request = arm::get_secret(&self.arm_base(), &t.vault_id, &t.name);
        vec![VaultEffect::send(VaultCall::Check, request)]
    }

    fn fail(&mut self, problem: VaultProblem, unsure: bool) -> Vec<VaultEffect> {
        self.push = Push::Failed { problem, unsure };
        Vec::new()
    }

    fn stored_now(&mut self, stored: StoredRef) -> Vec<VaultEffect> {
        self.push = Push::Stored(stored.clone());
        vec![VaultEffect::Stored(stored)]
    }

    pub(in crate::vault) fn on_push(
        &mut self,
        outcome: Outcome,
        ctx: Option<&StoreContext<'_>>,
    ) -> Vec<VaultEffect> {
        let Push::Sending { sends } = self.push else {
            return Vec::new();
        };
        let Some(target) = self.target.clone() else {
            return Vec::new();
        };
        let (vault, name) = (target.vault_name.as_str(), target.name.as_str());
        let res = match outcome {
            Ok(res) => res,
            Err(Failure::Auth(message)) => return self.fail(VaultProblem::new(message), false),
            Err(Failure::Network) => {
                // The PUT may have arrived; only the answer is missing. Look first.
                let then = IfNotStored::Fail(match target.path {
                    WritePath::DataPlane => problem::unreachable_data_plane(),
                    WritePath::Arm => VaultProblem::new(format!(
                        "The connection dropped before the secret reached {vault}; it was not \
                         stored. Check your connection, then try again."
                    ))
                    .with_details("no response (network)".into())
                    .with_remedy(problem::Remedy::TryAgain),
                });
                self.push = Push::Checking { sends, then };
                return self.check_request();
            }
        };
        let secret = ctx.map(|c| c.secret);
        if res.is_success() {
            return self.on_put_success(res, &target, secret);
        }
        let status = res.status;
        let service = match target.path {
            WritePath::Arm => "Azure Resource Manager",
            WritePath::DataPlane => "Key Vault",
        };
        let problem = match target.path {
            WritePath::Arm => problem::from_arm(&arm::ArmError::from_response(&res), vault, name),
            WritePath::DataPlane => {
                problem::from_keyvault(&keyvault::KeyVaultError::from_response(&res), vault, name)
            }
        }
        .scrubbed(secret);
        match status {
            // Certainly not acted on: wait as told, then send again (bounded).
            _ if crate::retry::refused_unapplied(&res) && sends < MAX_SENDS && ctx.is_some() => {
                let secs = res.retry_after_secs().unwrap_or(1 << (sends - 1).min(3));
                let secs = secs.clamp(1, MAX_WAIT_SECS);
                let token = self.next_token();
                self.push = Push::Waiting {
                    sends,
                    secs,
                    token,
                    service,
                };
                vec![VaultEffect::Timer {
                    token,
                    millis: secs * 1000,
                }]
            }
            // The service may have stored it before failing: look before anything else.
            500 | 502 | 504 => {
                let then = if sends < MAX_SENDS {
                    IfNotStored::Resend
                } else {
                    IfNotStored::Fail(problem)
                };
                self.push = Push::Checking { sends, then };
                self.check_request()
            }
            409 if problem.name_deleted => {
                self.name.status = Check::Done(NameStatus::Deleted { purge: None });
                self.fail(problem, false)
            }
            _ => self.fail(problem, false),
        }
    }

    fn on_put_success(
        &mut self,
        res: HttpResponse,
        target: &PushTarget,
        secret: Option<&SecretValue>,
    ) -> Vec<VaultEffect> {
        let stored = match target.path {
            WritePath::DataPlane => match keyvault::parse_set_secret(res) {
                Ok(s) => {
                    // The answer's `id` must name the chosen vault and name: a gateway that
                    // ignores the vault in the path writes to some other vault.
                    if let Err(elsewhere) = self.names_target(&s.id, target) {
                        return self.fail(elsewhere.scrubbed(secret), false);
                    }
                    StoredRef::from_data_plane(
                        &target.vault_name,
                        &target.name,
                        &s,
                        &self.vault_hosts(),
                    )
                }
                Err(_) => None,
            },
            WritePath::Arm => arm::parse_secret(&res)
                .ok()
                .and_then(|s| StoredRef::from_arm(&target.vault_name, &s, &self.vault_hosts())),
        };
        match stored {
            Some(s) => self.stored_now(s),
            // Stored, but the answer can't be read: the check finds the version.
            None => {
                self.push = Push::Checking {
                    sends: MAX_SENDS,
                    then: IfNotStored::Fail(problem::push_lost(&target.vault_name)),
                };
                self.check_request()
            }
        }
    }

    /// This cloud's vault hosts (none without a configuration: then no URI is offered).
    fn vault_hosts(&self) -> VaultHosts {
        self.config
            .as_ref()
            .map_or_else(|| VaultHosts::new("", None), |c| c.vault_hosts.clone())
    }

    /// `Ok` when a data-plane answer's secret `id` names the target's vault and secret name.
    fn names_target(&self, id: &str, target: &PushTarget) -> Result<(), VaultProblem> {
        let parsed = self
            .config
            .as_ref()
            .and_then(|c| c.vault_hosts.secret_uri(id));
        match parsed {
            Some(u)
                if u.vault.eq_ignore_ascii_case(&target.vault_name)
                    && u.name.eq_ignore_ascii_case(&target.name) =>
            {
                Ok(())
            }
            Some(u) => Err(problem::stored_elsewhere(
                &target.vault_name,
                &target.name,
                Some((&u.vault, &u.name)),
                target.gateway,
            )),
            None => Err(problem::stored_elsewhere(
                &target.vault_name,
                &target.name,
                None,
                target.gateway,
            )),
        }
    }

    /// The check after an unclear send: stored (this keyId is on the latest version) or not.
    pub(in crate::vault) fn on_check(
        &mut self,
        outcome: Outcome,
        ctx: Option<&StoreContext<'_>>,
    ) -> Vec<VaultEffect> {
        let Push::Checking { sends, then } = self.push.clone() else {
            return Vec::new();
        };
        let Some(target) = self.target.clone() else {
            return Vec::new();
        };
        let found = match outcome.map(|r| arm::parse_secret(&r)) {
            Ok(Ok(s)) => (s.tags.get("CredentialId") == Some(&target.key_id)).then_some(s),
            Ok(Err(arm::ArmError::ResourceNotFound(_))) => None,
            // Can't tell: keep the value, and look again before the next send.
            _ => return self.fail(problem::push_lost(&target.vault_name), true),
        };
        let hosts = self.vault_hosts();
        if let Some(stored) =
            found.and_then(|s| StoredRef::from_arm(&target.vault_name, &s, &hosts))
        {
            return self.stored_now(stored);
        }
        match (then, ctx) {
            (IfNotStored::Resend, Some(ctx)) if sends < MAX_SENDS => self.send_push(sends, ctx),
            (IfNotStored::Fail(p), _) => self.fail(p, false),
            _ => self.fail(
                VaultProblem::new(format!(
                    "{} kept failing, and the secret was not stored. Try again in a minute.",
                    target.vault_name
                ))
                .with_remedy(problem::Remedy::TryAgain),
                false,
            ),
        }
    }

    pub(in crate::vault) fn retry_due(
        &mut self,
        token: u64,
        ctx: Option<&StoreContext<'_>>,
    ) -> Vec<VaultEffect> {
        match (&self.push, ctx) {
            (
                Push::Waiting {
                    sends, token: t, ..
                },
                Some(ctx),
            ) if *t == token => self.send_push(*sends, ctx),
            _ => Vec::new(),
        }
    }

    /// The user confirmed: remove the credential whose value could not be stored.
    pub(in crate::vault) fn confirm_remove(
        &mut self,
        ctx: Option<&StoreContext<'_>>,
    ) -> Vec<VaultEffect> {
        let (Some(ctx), Some(config)) = (ctx, self.config.as_ref()) else {
            return Vec::new();
        };
        if !self.confirm_remove || self.push.failed().is_none() {
            return Vec::new();
        }
        self.confirm_remove = false;
        self.remove_problem = None;
        if ctx.certificate_thumbprint.is_some() {
            // No removePassword for a certificate: the collection goes back without it.
            return vec![VaultEffect::RemoveCertificate];
        }
        let request = graph::remove_password(
            &config.graph_base,
            ctx.app_object_id,
            &ctx.credential.key_id,
        );
        vec![VaultEffect::send(VaultCall::RemoveCredential, request)]
    }

    pub(in crate::vault) fn on_removed(&mut self, outcome: Outcome) -> Vec<VaultEffect> {
        let result = match outcome {
            Ok(res) => graph::parse_remove_password(&res)
                .map_err(|e| VaultProblem::new(e.user_message()).with_details(e.details())),
            Err(f) => Err(problem::from_failure(&f, "Microsoft Graph")),
        };
        match result {
            Ok(()) => {
                let key_id = self.target.as_ref().map(|t| t.key_id.clone());
                self.push = Push::Idle;
                self.target = None;
                key_id
                    .map(|key_id| VaultEffect::CredentialRemoved { key_id })
                    .into_iter()
                    .collect()
            }
            Err(p) => {
                self.remove_problem = Some(p);
                Vec::new()
            }
        }
    }
}
