//! Native tests of the vault step: pre-flight outcomes, pushes and every error, driven with
//! canned ARM, Key Vault and Graph answers.

mod catalog;
mod gateway;
mod link_vault;
mod other_app;
mod preflight;
mod push;
mod push_errors;
mod push_value;

use chrono::{DateTime, NaiveDate, TimeZone, Utc};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::*;
use crate::config::{VaultMode, VaultRef, VaultSettings};
use crate::domain::SecretValue;
use crate::graph::PasswordCredential;
use crate::net::{HttpRequest, HttpResponse};
use crate::runtime::{Failure, Outcome};

pub const ARM: &str = "https://arm.test";
pub const GRAPH: &str = "https://graph.test";
pub const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
pub const DEV_SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
pub const PROD_SUB: &str = "c0de0002-7d3e-4a5b-9c8d-00000000f401";
pub const SECRET: &str = "Zq8~s3cr3t.VALUE-never-log-me_0123456789";
pub const KEY_ID: &str = "f0b0b335-1d71-4883-8f98-567911bfdca6";
pub const APP_OBJECT: &str = "03ef14b0-ca33-4840-8f4f-d6e91916010e";
pub const CLIENT_ID: &str = "631a96bc-a705-4eda-9f99-fdaf9f54f6a2";

pub fn vault_id(sub: &str, rg: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.KeyVault/vaults/{name}")
}

pub fn dev_id() -> String {
    vault_id(DEV_SUB, "rg-dev", "kv-contoso-dev")
}

pub fn prod_id() -> String {
    vault_id(PROD_SUB, "rg-prod", "kv-contoso-prod")
}

pub fn settings(mode: VaultMode) -> VaultSettings {
    VaultSettings {
        default: None,
        allowed: Vec::new(),
        secret_name_template: "{app}-client-secret".into(),
        mode,
        gateway: None,
    }
}

pub fn config(mode: VaultMode) -> VaultConfig {
    VaultConfig {
        arm_base: ARM.into(),
        graph_base: GRAPH.into(),
        tenant_id: TENANT.into(),
        settings: settings(mode),
        vault_hosts: crate::destinations::VaultHosts::new(".vault.test", None),
    }
}

pub fn vref(id: &str) -> VaultRef {
    VaultRef::parse(id).expect("a vault ID")
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 26).unwrap()
}

pub fn start() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 26, 9, 42, 7).unwrap()
}

pub fn end() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2027, 5, 25, 9, 42, 7).unwrap()
}

/// The app the secret is for.
pub fn payroll() -> ForApp {
    ForApp {
        display_name: "Payroll API".into(),
        client_id: CLIENT_ID.into(),
        object_id: APP_OBJECT.into(),
    }
}

pub fn credential() -> PasswordCredential {
    serde_json::from_value(json!({
        "keyId": KEY_ID, "displayName": "Created by dan", "hint": "Zq8",
        "startDateTime": "2026-11-26T09:42:07Z", "endDateTime": "2027-05-25T09:42:07Z"
    }))
    .unwrap()
}

/// Permission entries of the built-in roles, as `Microsoft.Authorization/permissions` lists them.
pub fn kv_contributor_and_officer() -> Value {
    json!({ "value": [
        { "actions": ["Microsoft.KeyVault/*"], "notActions": [], "dataActions": [], "notDataActions": [] },
        { "actions": ["Microsoft.KeyVault/vaults/*/read"], "notActions": [],
          "dataActions": ["Microsoft.KeyVault/vaults/secrets/*"], "notDataActions": [] }
    ]})
}

pub fn reader_and_secrets_user() -> Value {
    json!({ "value": [
        { "actions": ["*/read"], "notActions": [], "dataActions": [], "notDataActions": [] },
        { "actions": ["Microsoft.KeyVault/vaults/*/read"], "notActions": [],
          "dataActions": ["Microsoft.KeyVault/vaults/secrets/getSecret/action",
                          "Microsoft.KeyVault/vaults/secrets/readMetadata/action"], "notDataActions": [] }
    ]})
}

pub fn secrets_officer_only() -> Value {
    json!({ "value": [
        { "actions": ["Microsoft.KeyVault/vaults/*/read"], "notActions": [],
          "dataActions": ["Microsoft.KeyVault/vaults/secrets/*"], "notDataActions": [] }
    ]})
}

/// A vault resource as ARM lists it.
pub fn vault_json(id: &str, rbac: bool, deny: bool) -> Value {
    let name = id.rsplit('/').next().unwrap();
    json!({
        "id": id, "name": name, "type": "Microsoft.KeyVault/vaults", "location": "westeurope",
        "tags": {}, "properties": {
            "tenantId": TENANT, "sku": {"family": "A", "name": "standard"},
            "enableRbacAuthorization": rbac,
            "vaultUri": format!("https://{name}.vault.test/"),
            "networkAcls": {"defaultAction": if deny { "Deny" } else { "Allow" }}
        }
    })
}

/// An ARM secret resource (what PUT and GET answer), latest version `version`.
pub fn arm_secret(vault: &str, name: &str, version: &str, key_id: &str) -> Value {
    json!({
        "id": format!("{}/secrets/{name}", dev_id()), "name": name,
        "type": "Microsoft.KeyVault/vaults/secrets", "location": "westeurope",
        "tags": { "CredentialId": key_id },
        "properties": {
            "contentType": "client-secret",
            "attributes": {"enabled": true, "nbf": start().timestamp(), "exp": end().timestamp(),
                           "created": 1, "updated": 1},
            "secretUri": format!("https://{vault}.vault.test/secrets/{name}"),
            "secretUriWithVersion": format!("https://{vault}.vault.test/secrets/{name}/{version}")
        }
    })
}

pub fn res(status: u16, body: Value) -> HttpResponse {
    HttpResponse::new(status, body.to_string()).with_header("x-ms-request-id", "req-1")
}

/// The vault state plus everything it asked for.
pub struct Harness {
    pub v: VaultState,
    pub sent: Vec<(VaultCall, HttpRequest)>,
    pub other: Vec<VaultEffect>,
    pub secret: SecretValue,
    pub credential: PasswordCredential,
    /// Pass the Show-once context with each message (as the wizard does on that step).
    pub on_show_once: bool,
}

impl Harness {
    pub fn new(config: VaultConfig) -> Self {
        Self {
            v: VaultState::new(Some(config), None),
            sent: Vec::new(),
            other: Vec::new(),
            secret: SecretValue::new(Zeroizing::new(SECRET.to_string())),
            credential: credential(),
            on_show_once: false,
        }
    }

    fn take(&mut self, effects: Vec<VaultEffect>) {
        for e in effects {
            match e {
                VaultEffect::Send { call, request } => self.sent.push((call, request)),
                other => self.other.push(other),
            }
        }
    }

    /// Describe opens for Payroll API, with the rotation guide's vault (trusted) if given.
    pub fn describe(&mut self, prepared_vault: Option<&str>) {
        self.describe_prepared(prepared_vault.map(PreparedVault::Trusted));
    }

    pub fn describe_prepared(&mut self, prepared_vault: Option<PreparedVault<'_>>) {
        let effects = self
            .v
            .enter_describe(&payroll(), today(), prepared_vault, None);
        self.take(effects);
    }

    pub fn msg(&mut self, msg: VaultMsg) {
        let (secret, credential) = (&self.secret, &self.credential);
        let ctx = StoreContext {
            secret,
            credential,
            app_display_name: "Payroll API",
            client_id: CLIENT_ID,
            app_object_id: APP_OBJECT,
            created_by: "dan@contoso.example",
            certificate_thumbprint: None,
        };
        let ctx = self.on_show_once.then_some(&ctx);
        let effects = self.v.update(msg, ctx);
        self.take(effects);
    }

    pub fn answer(&mut self, call: VaultCall, outcome: Outcome) {
        assert!(self.pending(call), "no {call:?} was sent");
        self.msg(VaultMsg::Response { call, outcome });
    }

    pub fn ok(&mut self, call: VaultCall, status: u16, body: Value) {
        self.answer(call, Ok(res(status, body)));
    }

    pub fn lost(&mut self, call: VaultCall) {
        self.answer(call, Err(Failure::Network));
    }

    pub fn pending(&self, call: VaultCall) -> bool {
        self.sent.iter().any(|(c, _)| *c == call)
    }

    pub fn count(&self, call: VaultCall) -> usize {
        self.sent.iter().filter(|(c, _)| *c == call).count()
    }

    pub fn request(&self, call: VaultCall) -> &HttpRequest {
        &self
            .sent
            .iter()
            .rev()
            .find(|(c, _)| *c == call)
            .unwrap_or_else(|| panic!("no {call:?} was sent"))
            .1
    }

    pub fn body(&self, call: VaultCall) -> Value {
        serde_json::from_str(self.request(call).body.as_deref().expect("a body")).unwrap()
    }

    /// The timers asked for so far, latest last.
    pub fn timers(&self) -> Vec<(u64, u64)> {
        self.other
            .iter()
            .filter_map(|e| match e {
                VaultEffect::Timer { token, millis } => Some((*token, *millis)),
                _ => None,
            })
            .collect()
    }

    /// Fires the latest timer.
    pub fn fire_timer(&mut self) {
        let (token, _) = *self.timers().last().expect("a timer");
        self.msg(VaultMsg::TimerDue(token));
    }

    pub fn stored(&self) -> Vec<&StoredRef> {
        self.other
            .iter()
            .filter_map(|e| match e {
                VaultEffect::Stored(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// Dan picks kv-contoso-dev (ARM mode): Contributor + Officer, the name is free.
    pub fn ready_on_dev(&mut self) {
        self.describe(None);
        self.msg(VaultMsg::Select(dev_id()));
        self.ok(VaultCall::Vault, 200, vault_json(&dev_id(), true, false));
        self.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
        self.ok(
            VaultCall::NameExists,
            404,
            json!({"error": {"code": "ResourceNotFound", "message": "not found"}}),
        );
        assert!(
            matches!(self.v.verdict(), Verdict::Ready { .. }),
            "{:?}",
            self.v.verdict()
        );
    }

    /// Everything the state and its effects would print: must never hold the value.
    pub fn debug_dump(&self) -> String {
        format!("{:?} {:?} {:?}", self.v, self.sent, self.other)
    }
}
