//! A tiny tenant for the renewal tests: apps with client secrets (Graph's addPassword,
//! removePassword and GET application shapes) and one vault's secrets with versions (ARM's
//! Secrets_Get and Secrets_CreateOrUpdate shapes), with faults injected per request kind:
//! an answer instead of acting (429, 500…), or acting and losing the answer.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

use crate::net::{HttpRequest, HttpResponse, Method};
use crate::runtime::{Failure, Outcome};

pub const GRAPH: &str = "https://graph.test/v1.0";
pub const ARM: &str = "https://arm.test";
pub const VAULT_ID: &str =
    "/subscriptions/5ab10000-0000-4000-8000-000000000001/resourceGroups/rg/providers/Microsoft.KeyVault/vaults/kv-test";

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    GetApp,
    AddPassword,
    RemovePassword,
    GetSecret,
    PutSecret,
    ListSecrets,
}

#[derive(Clone, Debug)]
pub enum Fault {
    /// Answer with this status without acting.
    Status(u16),
    /// Act, then lose the answer.
    DropAfterAction,
    /// Act twice and answer the second: what a browser's own resend of a POST does when the
    /// reused connection closed before any answer.
    ResentByBrowser,
}

#[derive(Clone, Debug)]
pub struct Cred {
    /// When the sim made it (reads lag writes by `read_lag`).
    pub made: DateTime<Utc>,
    pub key_id: String,
    pub display_name: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct App {
    pub id: String,
    pub app_id: String,
    pub name: String,
    pub creds: Vec<Cred>,
}

#[derive(Clone, Debug)]
pub struct Version {
    pub id: String,
    pub tags: BTreeMap<String, String>,
    pub value_len: usize,
    pub exp: Option<i64>,
}

#[derive(Default)]
pub struct Sim {
    pub apps: Vec<App>,
    /// Vault secret name → versions, oldest first.
    pub vault: BTreeMap<String, Vec<Version>>,
    pub faults: Vec<(Kind, Fault, u32)>,
    pub sent: BTreeMap<Kind, usize>,
    next: u32,
    pub now: Option<DateTime<Utc>>,
    /// An app management policy's longest secret lifetime for every app, in days.
    pub max_days: Option<i64>,
    /// Reads of an app don't show a secret made less than this long ago (Graph's replicas).
    pub read_lag: Option<Duration>,
}

fn guid(n: u32, kind: u32) -> String {
    format!("{kind:08x}-0000-4000-8000-{n:012x}")
}

impl Sim {
    /// `n` apps, each with one secret ending in `days` and its copy in the vault
    /// (`secret-{i}`), tagged as secret-wizard tags it.
    pub fn with_apps(n: u32, days: i64, now: DateTime<Utc>) -> Self {
        let mut sim = Sim {
            now: Some(now),
            ..Sim::default()
        };
        for i in 0..n {
            let app = App {
                id: guid(i, 1),
                app_id: guid(i, 2),
                name: format!("App {i:03}"),
                creds: vec![Cred {
                    made: now - Duration::days(345),
                    key_id: guid(i, 3),
                    display_name: "Created by ada@contoso.example via secret-wizard".into(),
                    start: now - Duration::days(345),
                    end: now + Duration::days(days),
                }],
            };
            let tags: BTreeMap<String, String> = [
                ("AppDisplayName", app.name.clone()),
                ("ClientId", app.app_id.clone()),
                ("AppObjectId", app.id.clone()),
                ("CredentialId", app.creds[0].key_id.clone()),
                ("environment", "prod".into()),
            ]
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect();
            sim.vault.insert(
                format!("secret-{i:03}"),
                vec![Version {
                    id: format!("v0-{i}"),
                    tags,
                    value_len: 40,
                    exp: Some(app.creds[0].end.timestamp()),
                }],
            );
            sim.apps.push(app);
        }
        sim
    }

    pub fn fault(&mut self, kind: Kind, fault: Fault, count: u32) {
        self.faults.push((kind, fault, count));
    }

    fn take_fault(&mut self, kind: Kind) -> Option<Fault> {
        let slot = self
            .faults
            .iter_mut()
            .find(|(k, _, n)| *k == kind && *n > 0)?;
        slot.2 -= 1;
        Some(slot.1.clone())
    }

    fn kind(req: &HttpRequest) -> (Kind, Vec<String>) {
        let path = req.url.split('?').next().unwrap_or_default();
        let segs: Vec<String> = path.split('/').map(str::to_string).collect();
        let kind = match (req.method, segs.last().map(String::as_str)) {
            (Method::Post, Some("addPassword")) => Kind::AddPassword,
            (Method::Post, Some("removePassword")) => Kind::RemovePassword,
            (Method::Put, _) => Kind::PutSecret,
            (Method::Get, _) if path.contains("/secrets/") => Kind::GetSecret,
            (Method::Get, Some("secrets")) => Kind::ListSecrets,
            (Method::Get, _) => Kind::GetApp,
            other => panic!("unexpected request {other:?} {}", req.url),
        };
        (kind, segs)
    }

    /// Answers one request.
    pub fn handle(&mut self, req: &HttpRequest) -> Outcome {
        let (kind, segs) = Self::kind(req);
        *self.sent.entry(kind).or_default() += 1;
        let fault = self.take_fault(kind);
        if let Some(Fault::Status(status)) = fault {
            let body = match status {
                // ARM's refusal for a missing role (the ARM spec's ErrorResponse).
                403 => {
                    r#"{"error":{"code":"AuthorizationFailed","message":"The client 'ada' with object id 'x' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/x' or the scope is invalid."}}"#
                }
                _ => r#"{"error":{"code":"Injected","message":"injected"}}"#,
            };
            return Ok(HttpResponse::new(status, body));
        }
        if let Some(Fault::ResentByBrowser) = fault {
            self.act(kind, &segs, req);
        }
        let res = self.act(kind, &segs, req);
        match fault {
            Some(Fault::DropAfterAction) => Err(Failure::Network),
            _ => Ok(res),
        }
    }

    fn app_mut(&mut self, id: &str) -> Option<&mut App> {
        self.apps.iter_mut().find(|a| a.id == id)
    }

    fn act(&mut self, kind: Kind, segs: &[String], req: &HttpRequest) -> HttpResponse {
        let now = self.now.unwrap_or_else(Utc::now);
        let body: Value = req
            .body
            .as_ref()
            .map(|b| serde_json::from_str(b).expect("JSON body"))
            .unwrap_or(Value::Null);
        match kind {
            Kind::GetApp => {
                let id = segs.last().cloned().unwrap_or_default();
                let Some(app) = self.apps.iter().find(|a| a.id == id) else {
                    return HttpResponse::new(
                        404,
                        r#"{"error":{"code":"Request_ResourceNotFound","message":"gone"}}"#,
                    );
                };
                let lag = self.read_lag.unwrap_or_else(Duration::zero);
                let creds: Vec<Value> = app
                    .creds
                    .iter()
                    .filter(|c| c.made <= now - lag)
                    .map(|c| json!({"keyId": c.key_id, "displayName": c.display_name,
                        "startDateTime": c.start.to_rfc3339(), "endDateTime": c.end.to_rfc3339(), "hint": "abc"}))
                    .collect();
                HttpResponse::new(
                    200,
                    json!({"id": app.id, "appId": app.app_id, "displayName": app.name,
                        "passwordCredentials": creds, "keyCredentials": []})
                    .to_string(),
                )
            }
            Kind::AddPassword => {
                let id = segs[segs.len() - 2].clone();
                self.next += 1;
                let key = guid(self.next, 9);
                let p = &body["passwordCredential"];
                let days = |k: &str| p[k].as_str().and_then(|s| s.parse::<DateTime<Utc>>().ok());
                if let (Some(max), Some(a), Some(b)) =
                    (self.max_days, days("startDateTime"), days("endDateTime"))
                {
                    if (b - a).num_days() > max {
                        // Graph's refusal (../shared/specs: the app management policy pages).
                        return HttpResponse::new(
                            400,
                            r#"{"error":{"code":"CredentialInvalidLifetimeAsPerAppPolicy","message":"Credential lifetime exceeds the max value allowed as per assigned policy."}}"#,
                        );
                    }
                }
                let cred = Cred {
                    made: now,
                    key_id: key.clone(),
                    display_name: p["displayName"].as_str().unwrap_or_default().into(),
                    start: p["startDateTime"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(now),
                    end: p["endDateTime"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap(),
                };
                let answer = json!({"keyId": key, "displayName": cred.display_name,
                    "startDateTime": cred.start.to_rfc3339(), "endDateTime": cred.end.to_rfc3339(),
                    "hint": "Sim", "secretText": format!("Sim~{key}-value-0123456789")});
                self.app_mut(&id).expect("app").creds.push(cred);
                HttpResponse::new(200, answer.to_string())
            }
            Kind::RemovePassword => {
                let id = segs[segs.len() - 2].clone();
                let key = body["keyId"].as_str().unwrap_or_default().to_string();
                let app = self.app_mut(&id).expect("app");
                let before = app.creds.len();
                app.creds.retain(|c| c.key_id != key);
                if app.creds.len() == before {
                    return HttpResponse::new(
                        404,
                        r#"{"error":{"code":"Request_ResourceNotFound","message":"no such key"}}"#,
                    );
                }
                HttpResponse::new(204, "")
            }
            Kind::ListSecrets => {
                let names: Vec<String> = self.vault.keys().cloned().collect();
                let value: Vec<Value> = names.iter().map(|n| self.secret_json(n)).collect();
                HttpResponse::new(200, json!({ "value": value }).to_string())
            }
            Kind::GetSecret | Kind::PutSecret => {
                let name = segs.last().cloned().unwrap_or_default();
                if kind == Kind::PutSecret {
                    let tags: BTreeMap<String, String> = body["tags"]
                        .as_object()
                        .map(|o| {
                            o.iter()
                                .map(|(k, v)| {
                                    (k.clone(), v.as_str().unwrap_or_default().to_string())
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    let versions = self.vault.entry(name.clone()).or_default();
                    let n = versions.len();
                    versions.push(Version {
                        id: format!("v{n}-{name}"),
                        tags,
                        value_len: body["properties"]["value"]
                            .as_str()
                            .unwrap_or_default()
                            .len(),
                        exp: body["properties"]["attributes"]["exp"].as_i64(),
                    });
                }
                if !self.vault.contains_key(&name) {
                    return HttpResponse::new(
                        404,
                        r#"{"error":{"code":"ResourceNotFound","message":"no secret"}}"#,
                    );
                }
                HttpResponse::new(200, self.secret_json(&name).to_string())
            }
        }
    }

    fn secret_json(&self, name: &str) -> Value {
        let latest = self.vault[name].last().expect("a version");
        json!({"id": format!("{VAULT_ID}/secrets/{name}"), "name": name, "tags": latest.tags,
            "properties": {"secretUri": format!("https://kv-test.vault.azure.net/secrets/{name}"),
                "secretUriWithVersion": format!("https://kv-test.vault.azure.net/secrets/{name}/{}", latest.id),
                "attributes": {"enabled": true, "exp": latest.exp}}})
    }
}
