//! Native tests of the wizard reducer: whole flows driven with canned Graph responses.

mod choose;
mod done;
mod duplicates;
mod flows;
mod leave;
mod policy;
mod prepared;
mod recovery;
mod remove;
mod roles;
mod store_later;
mod vault;

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use serde_json::{json, Value};

use super::{Call, Effect, Failure, Msg, Now, Wizard, WizardConfig};
pub use super::{ChooseMsg, DescribeMsg, RecoveryMsg, ReviewMsg, ShowOnceMsg};
use crate::net::{HttpRequest, HttpResponse};

pub const GRAPH: &str = "https://graph.test";
pub const TENANT: &str = "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d";
pub const DAN: &str = "d0d0d0d0-0000-4000-8000-00000000da11";
pub const ADA: &str = "a0a0a0a0-0000-4000-8000-00000000ada1";
pub const RITA: &str = "f0f0f0f0-0000-4000-8000-00000000f17a";
pub const PAYROLL: &str = "11111111-1111-4111-8111-111111111111";
pub const PAYROLL_APP_ID: &str = "22222222-2222-4222-8222-222222222222";
pub const SECRET: &str = "Zq8~s3cr3t.VALUE-never-log-me_0123456789";

pub fn config() -> WizardConfig {
    WizardConfig {
        graph_base: GRAPH.into(),
        tenant_id: TENANT.into(),
        max_lifetime_days: 730,
        default_lifetime_days: 730,
        clipboard_clear_secs: 60,
    }
}

/// 26 Nov 2026, 10:42:07 in UTC+01:00 (09:42:07Z).
pub fn now() -> Now {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 26, 10, 42, 7)
        .unwrap()
}

pub fn utc(now: Now) -> DateTime<Utc> {
    now.with_timezone(&Utc)
}

/// A wizard plus the requests it asked for, answered by call kind.
pub struct Harness {
    pub w: Wizard,
    pub now: Now,
    pub sent: Vec<(Call, u64, HttpRequest)>,
}

impl Harness {
    pub fn new(config: WizardConfig) -> Self {
        Self {
            w: Wizard::new(config, 0x5eed),
            now: now(),
            sent: Vec::new(),
        }
    }

    /// Applies a message; remembers what was sent; returns the non-HTTP effects.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let mut rest = Vec::new();
        for e in self.w.update(msg, self.now) {
            match e {
                Effect::Send { call, seq, request } => self.sent.push((call, seq, request)),
                other => rest.push(other),
            }
        }
        rest
    }

    /// Types `text` into the search field and lets its debounce timer run out.
    pub fn type_search(&mut self, text: String) {
        let effects = self.send(Msg::Choose(ChooseMsg::Input(text)));
        let [Effect::Debounce { token, .. }] = effects[..] else {
            panic!("expected one Debounce, got {effects:?}");
        };
        self.send(Msg::Choose(ChooseMsg::Due(token)));
    }

    /// The latest request of a kind.
    pub fn request(&self, call: Call) -> &HttpRequest {
        &self.last(call).2
    }

    fn last(&self, call: Call) -> &(Call, u64, HttpRequest) {
        self.sent
            .iter()
            .rev()
            .find(|(c, _, _)| *c == call)
            .unwrap_or_else(|| panic!("no {call:?} request was sent"))
    }

    pub fn count(&self, call: Call) -> usize {
        self.sent.iter().filter(|(c, _, _)| *c == call).count()
    }

    /// Answers the latest request of `call`.
    pub fn answer(&mut self, call: Call, outcome: Result<HttpResponse, Failure>) -> Vec<Effect> {
        let seq = self.last(call).1;
        self.send(Msg::Response { call, seq, outcome })
    }

    pub fn ok(&mut self, call: Call, status: u16, body: Value) -> Vec<Effect> {
        self.answer(call, Ok(HttpResponse::new(status, body.to_string())))
    }

    /// Start, then `/me` and the granted permissions answered. `admin`: secret-wizard may read
    /// role assignments, and the user's show Application Administrator at tenant scope (their
    /// groups: none); otherwise only the README's required permissions are granted, so no role is
    /// read (the default on a real tenant).
    pub fn signed_in(&mut self, oid: &str, upn: &str, admin: bool) {
        self.send(Msg::Start);
        self.ok(Call::Me, 200, me(oid, upn));
        if admin {
            self.send(Msg::GraphPermissions(granted(&[ROLE_READ])));
            self.ok(
                Call::Roles,
                200,
                role_page(&[assignment(oid, app_admin(), "/")]),
            );
            self.ok(Call::Groups, 200, json!({ "value": [] }));
        } else {
            self.send(Msg::GraphPermissions(granted(&[])));
        }
    }

    /// Opens an app from the search results and loads it and its owners.
    pub fn open_app(&mut self, app: Value, owners: Value) {
        let id = app["id"].as_str().unwrap().to_string();
        self.ok(Call::Search, 200, json!({ "value": [app.clone()] }));
        self.send(Msg::Choose(ChooseMsg::Pick(id)));
        self.ok(Call::App, 200, app);
        self.ok(Call::Owners, 200, owners);
    }
}

pub fn me(oid: &str, upn: &str) -> Value {
    json!({ "id": oid, "displayName": upn.split('@').next(), "userPrincipalName": upn })
}

/// The optional permission that lets the app list role assignments.
pub const ROLE_READ: &str = "RoleManagement.Read.Directory";
pub const APPLICATION_ADMINISTRATOR: &str = "9b895d92-2cd3-44c7-9d02-a6ac2d5ea5c3";
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The README's required Graph permissions, plus `extra`.
pub fn granted(extra: &[&str]) -> Vec<String> {
    ["Application.ReadWrite.All", "User.Read"]
        .iter()
        .chain(extra)
        .map(|s| s.to_string())
        .collect()
}

/// A role definition as `$expand=roleDefinition` gives it.
pub fn definition(id: &str, name: &str, built_in: bool, actions: &[&str]) -> Value {
    json!({ "id": id, "displayName": name, "isBuiltIn": built_in, "isEnabled": true,
            "templateId": id, "rolePermissions": [{ "allowedResourceActions": actions,
            "condition": null }] })
}

/// Application Administrator (abridged to two of its actions).
pub fn app_admin() -> Value {
    definition(
        APPLICATION_ADMINISTRATOR,
        "Application Administrator",
        true,
        &[
            "microsoft.directory/applications/basic/update",
            "microsoft.directory/applications/credentials/update",
        ],
    )
}

/// A role assignment with its definition expanded.
pub fn assignment(principal: &str, definition: Value, scope: &str) -> Value {
    json!({ "id": format!("ra-{principal}-{scope}"), "principalId": principal,
            "roleDefinitionId": definition["id"], "directoryScopeId": scope,
            "appScopeId": null, "roleDefinition": definition })
}

pub fn role_page(list: &[Value]) -> Value {
    json!({ "value": list })
}

pub fn owner(oid: &str, name: &str, upn: &str) -> Value {
    json!({ "@odata.type": "#microsoft.graph.user", "id": oid, "displayName": name,
            "userPrincipalName": upn })
}

pub fn owners(list: &[Value]) -> Value {
    json!({ "value": list })
}

pub fn secret(key_id: &str, name: &str, start: DateTime<Utc>, end: DateTime<Utc>) -> Value {
    json!({ "keyId": key_id, "displayName": name, "hint": "abc",
            "startDateTime": start.to_rfc3339(), "endDateTime": end.to_rfc3339() })
}

pub fn app(id: &str, name: &str, audience: &str, secrets: Vec<Value>) -> Value {
    json!({ "id": id, "appId": PAYROLL_APP_ID, "displayName": name, "signInAudience": audience,
            "passwordCredentials": secrets, "keyCredentials": [] })
}

/// Payroll API: owned by Dev Dan, two secrets.
pub fn payroll() -> Value {
    let n = utc(now());
    app(
        PAYROLL,
        "Payroll API",
        "AzureADMyOrg",
        vec![
            secret(
                "aaaaaaaa-0000-4000-8000-000000000001",
                "payroll-2024",
                n - Duration::days(345),
                n + Duration::days(20),
            ),
            secret(
                "aaaaaaaa-0000-4000-8000-000000000002",
                "payroll-2025",
                n - Duration::days(165),
                n + Duration::days(200),
            ),
        ],
    )
}

pub fn dan_owner() -> Value {
    owner(DAN, "Dev Dan", "dan@contoso.example")
}

/// What the sandbox/Graph answers to addPassword: the body sent, plus keyId, hint and value.
pub fn created_from(request: &HttpRequest, key_id: &str) -> Value {
    let sent: Value = serde_json::from_str(request.body.as_ref().unwrap()).unwrap();
    let pc = &sent["passwordCredential"];
    json!({ "keyId": key_id, "displayName": pc["displayName"], "hint": &SECRET[..3],
            "startDateTime": pc["startDateTime"], "endDateTime": pc["endDateTime"],
            "secretText": SECRET, "customKeyIdentifier": null })
}

pub fn graph_error(code: &str, message: &str) -> Value {
    json!({ "error": { "code": code, "message": message,
            "innerError": { "request-id": "req-1", "date": "2026-11-26T09:42:08" } } })
}

/// The JSON body of a request.
pub fn body(request: &HttpRequest) -> Value {
    serde_json::from_str(request.body.as_ref().expect("a body")).unwrap()
}
