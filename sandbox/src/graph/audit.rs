//! `GET /auditLogs/directoryAudits`: the directory audit log, written by this sandbox's own
//! addPassword and removePassword (and read by the app's Review "History").
//!
//! Sources:
//! - The shape of an entry (`id`, `category`, `correlationId`, `result`, `activityDisplayName`,
//!   `activityDateTime`, `loggedByService`, `operationType`, `initiatedBy.user|app`,
//!   `targetResources[].{id,displayName,type,modifiedProperties[].{displayName,oldValue,newValue}}`,
//!   `additionalDetails`): ../shared/specs/graph-docs/directoryaudit.md and the example in
//!   directoryaudit-list.md.
//! - Query options: `$filter` (`eq`, `ge`, `le`, `startswith`), `$top`, `$orderby`
//!   (directoryaudit-list.md); which properties filter with what (directoryaudit.md):
//!   `activityDisplayName` `eq`/`startswith`, `activityDateTime` `eq`/`ge`/`le` and `$orderby`,
//!   `targetResources` `eq` on `id`.
//! - Permissions: delegated `AuditLog.Read.All` **and** `Directory.Read.All`
//!   (includes/permissions/directoryaudit-list-permissions.md). Without `AuditLog.Read.All`: 403
//!   `Authentication_MSGraphPermissionMissing`, "Calling principal does not have required
//!   MSGraph permissions AuditLog.Read.All" (microsoftgraph/microsoft-graph-explorer-v4#3165,
//!   microsoftgraph/microsoft-graph-docs-contrib#8997). The signed-in user also needs a role with
//!   `microsoft.directory/auditLogs/allProperties/read` (entra-docs/includes/
//!   application-administrator.md lists it for Application Administrator).
//! - The activity name for credentials: "Update application – Certificates and secrets
//!   management" (Microsoft Entra audit activities reference; ../shared/docs/azure-apis.md §7.7).
//!
//! Strict where undocumented (sandbox/README.md): a user without the role, or a token with
//! `AuditLog.Read.All` but not `Directory.Read.All`, gets 403 `Authorization_RequestDenied`; a
//! `$filter` other than the documented clauses joined by `and` is 400
//! `Request_UnsupportedQuery`; `$top` above 999 is 400; the `KeyDescription` modified
//! property's value format (`[KeyIdentifier=…,KeyType=…,KeyUsage=…,DisplayName=…]`) is not
//! documented and is what this sandbox writes; no `@odata.nextLink` (one page).

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Value};
use std::collections::HashMap;

use super::{authorize, bad_request, error, Need, RequestIds};
use crate::identity::tokens::Caller;
use crate::{lock, AppState};

/// The activity for adding or removing a secret or certificate.
pub const CREDENTIALS_ACTIVITY: &str = "Update application – Certificates and secrets management";
/// The role action that lets a user read audit logs.
pub const AUDIT_READ_ACTION: &str = "microsoft.directory/auditLogs/allProperties/read";

/// One entry of the log.
#[derive(Debug, Clone)]
pub struct AuditRecord {
    pub id: String,
    pub at: DateTime<Utc>,
    pub activity: String,
    pub operation_type: &'static str,
    pub initiator_oid: String,
    pub initiator_name: String,
    pub initiator_upn: String,
    pub app_id: String,
    pub app_name: String,
    /// (displayName, oldValue, newValue) of the modified properties.
    pub modified: Vec<(String, String, String)>,
}

impl AuditRecord {
    fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "category": "ApplicationManagement",
            "correlationId": uuid::Uuid::new_v4().to_string(),
            "result": "success",
            "resultReason": "",
            "activityDisplayName": self.activity,
            "activityDateTime": self.at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "loggedByService": "Core Directory",
            "operationType": self.operation_type,
            "initiatedBy": {
                "user": {
                    "id": self.initiator_oid,
                    "displayName": self.initiator_name,
                    "userPrincipalName": self.initiator_upn,
                    "ipAddress": null,
                },
                "app": null,
            },
            "targetResources": [{
                "id": self.app_id,
                "displayName": self.app_name,
                "type": "Application",
                "userPrincipalName": null,
                "groupType": null,
                "modifiedProperties": self.modified.iter().map(|(n, o, v)| json!({
                    "displayName": n, "oldValue": o, "newValue": v,
                })).collect::<Vec<_>>(),
            }],
            "additionalDetails": [],
        })
    }
}

/// The `KeyDescription` value for one credential (see the module doc: format not documented).
pub fn key_description(key_id: &str, key_type: &str, display_name: &str) -> String {
    format!("[\"[KeyIdentifier={key_id},KeyType={key_type},KeyUsage=Verify,DisplayName={display_name}]\"]")
}

/// Records that `caller` changed the credentials of the app (`app_id`, `app_name`): `added`
/// and `removed` are `KeyDescription` values ([`key_description`]) or `"[]"`.
pub fn record_credentials_change(
    log: &mut Vec<AuditRecord>,
    caller: &Caller,
    app_id: &str,
    app_name: &str,
    removed: String,
    added: String,
) {
    log.push(AuditRecord {
        id: format!("Directory_{}", uuid::Uuid::new_v4()),
        at: Utc::now(),
        activity: CREDENTIALS_ACTIVITY.into(),
        operation_type: "Update",
        initiator_oid: caller.oid.clone(),
        initiator_name: caller.name.clone(),
        initiator_upn: caller.upn.clone(),
        app_id: app_id.into(),
        app_name: app_name.into(),
        modified: vec![("KeyDescription".into(), removed, added)],
    });
}

/// One `$filter` clause the sandbox evaluates.
#[derive(Debug, PartialEq)]
enum Clause {
    ActivityEq(String),
    ActivityStartsWith(String),
    TargetIdEq(String),
}

/// A quoted OData string literal at the start of `s` (doubled quotes unescaped) and the rest.
fn literal(s: &str) -> Option<(String, &str)> {
    let mut rest = s.strip_prefix('\'')?;
    let mut out = String::new();
    loop {
        let i = rest.find('\'')?;
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('\'') {
            out.push('\'');
            rest = r;
        } else {
            return Some((out, rest));
        }
    }
}

fn clause(c: &str) -> Option<Clause> {
    let c = c.trim();
    if let Some(r) = c.strip_prefix("activityDisplayName eq ") {
        let (v, rest) = literal(r)?;
        return rest.is_empty().then_some(Clause::ActivityEq(v));
    }
    if let Some(r) = c.strip_prefix("startswith(activityDisplayName,") {
        let (v, rest) = literal(r.trim_start())?;
        return (rest.trim() == ")").then_some(Clause::ActivityStartsWith(v));
    }
    // `targetResources/any(t:t/id eq '…')`, with or without a space after the colon.
    if let Some(r) = c.strip_prefix("targetResources/any(") {
        let (var, r) = r.split_once(':')?;
        let var = var.trim();
        let r = r.trim_start().strip_prefix(&format!("{var}/id eq "))?;
        let (v, rest) = literal(r)?;
        return (rest.trim() == ")").then_some(Clause::TargetIdEq(v));
    }
    None
}

/// The clauses of `f` joined by ` and ` outside string literals (an activity name may itself
/// contain "and").
fn parse_filter(f: &str) -> Option<Vec<Clause>> {
    let mut parts = Vec::new();
    let (mut start, mut quoted) = (0, false);
    let bytes = f.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\'' {
            quoted = !quoted;
        } else if !quoted && bytes[i..].starts_with(b" and ") {
            parts.push(&f[start..i]);
            i += " and ".len();
            start = i;
            continue;
        }
        i += 1;
    }
    parts.push(&f[start..]);
    parts.into_iter().map(clause).collect()
}

fn matches(r: &AuditRecord, clauses: &[Clause]) -> bool {
    clauses.iter().all(|c| match c {
        Clause::ActivityEq(v) => r.activity == *v,
        Clause::ActivityStartsWith(v) => r.activity.starts_with(v.as_str()),
        Clause::TargetIdEq(v) => r.app_id.eq_ignore_ascii_case(v),
    })
}

/// `GET /v1.0/auditLogs/directoryAudits`.
pub async fn list(
    State(state): State<AppState>,
    Extension(ids): Extension<RequestIds>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let caller = match authorize(&state, &headers, &ids, Need::Profile) {
        Ok(c) => c,
        Err(r) => return r,
    };
    let has = |p: &str| {
        caller
            .scp
            .split_whitespace()
            .any(|s| s.eq_ignore_ascii_case(p))
    };
    if !has("AuditLog.Read.All") {
        return error(
            &ids,
            StatusCode::FORBIDDEN,
            "Authentication_MSGraphPermissionMissing",
            "Calling principal does not have required MSGraph permissions AuditLog.Read.All",
        );
    }
    if !has("Directory.Read.All")
        || !crate::graph::directory::roles::demo().may_read_audit_logs(&caller.oid)
    {
        return super::denied(&ids);
    }
    let clauses = match q.get("$filter").map(|f| parse_filter(f)) {
        None => Vec::new(),
        Some(Some(c)) => c,
        Some(None) => {
            return bad_request(
                &ids,
                "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified.",
            )
        }
    };
    let top = match q.get("$top").map(|t| t.parse::<usize>()) {
        None => 100,
        Some(Ok(n)) if (1..=999).contains(&n) => n,
        Some(_) => return bad_request(&ids, "Request_BadRequest", "Invalid value for $top."),
    };
    let newest_first = match q.get("$orderby").map(String::as_str) {
        None | Some("activityDateTime desc") => true,
        Some("activityDateTime asc") | Some("activityDateTime") => false,
        Some(_) => {
            return bad_request(
                &ids,
                "Request_UnsupportedQuery",
                "Unsupported $orderby clause specified.",
            )
        }
    };
    let graph = lock(&state.graph);
    let mut found: Vec<&AuditRecord> = graph
        .audit
        .iter()
        .filter(|r| matches(r, &clauses))
        .collect();
    found.sort_by_key(|r| r.at);
    if newest_first {
        found.reverse();
    }
    let value: Vec<Value> = found.iter().take(top).map(|r| r.to_json()).collect();
    Json(json!({
        "@odata.context": format!("{}/$metadata#auditLogs/directoryAudits", super::service_root(&state)),
        "value": value,
    }))
    .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_app_s_filter_parses_and_others_are_refused() {
        let f = "startswith(activityDisplayName,'Update application') and targetResources/any(t:t/id eq 'a''b')";
        assert_eq!(
            parse_filter(f).unwrap(),
            vec![
                Clause::ActivityStartsWith("Update application".into()),
                Clause::TargetIdEq("a'b".into())
            ]
        );
        assert_eq!(
            parse_filter(&format!("activityDisplayName eq '{CREDENTIALS_ACTIVITY}' and targetResources/any(t:t/id eq 'x')")).unwrap(),
            vec![Clause::ActivityEq(CREDENTIALS_ACTIVITY.into()), Clause::TargetIdEq("x".into())]
        );
        assert!(parse_filter("targetResources/any(x: x/id eq 'z')").is_some());
        for bad in [
            "contains(activityDisplayName,'x')",
            "activityDisplayName eq 'x' or result eq 'success'",
            "targetResources/any(t:t/displayName eq 'x')",
            "activityDisplayName eq 'unterminated",
        ] {
            assert!(parse_filter(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn a_record_has_graph_s_shape() {
        let caller = Caller {
            oid: "u1".into(),
            upn: "dan@contoso.example".into(),
            name: "Dev Dan".into(),
            tid: "t".into(),
            wids: vec![],
            scp: String::new(),
        };
        let mut log = Vec::new();
        record_credentials_change(
            &mut log,
            &caller,
            "app1",
            "Payroll API",
            "[]".into(),
            key_description("k1", "Password", "ci"),
        );
        let v = log[0].to_json();
        assert_eq!(v["activityDisplayName"], CREDENTIALS_ACTIVITY);
        assert_eq!(
            v["initiatedBy"]["user"]["userPrincipalName"],
            "dan@contoso.example"
        );
        assert_eq!(v["targetResources"][0]["id"], "app1");
        let p = &v["targetResources"][0]["modifiedProperties"][0];
        assert_eq!(p["displayName"], "KeyDescription");
        assert!(p["newValue"].as_str().unwrap().contains("KeyIdentifier=k1"));
        assert!(matches(
            &log[0],
            &parse_filter("targetResources/any(t:t/id eq 'APP1')").unwrap()
        ));
        assert!(!matches(
            &log[0],
            &parse_filter("activityDisplayName eq 'Add user'").unwrap()
        ));
    }
}
