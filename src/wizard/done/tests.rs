//! Done's reducer: the pre-flight, the identity search, the role assignment and its refusals,
//! driven with canned ARM and Graph answers.

use serde_json::json;

use super::*;
use crate::net::{HttpResponse, Method};
use crate::runtime::Failure;
use crate::vault::WritePath;

const ARM: &str = "https://management.test";
const GRAPH: &str = "https://graph.test";
const SUB: &str = "c0de0001-7d3e-4a5b-9c8d-00000000de01";
const VAULT_ID: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev";
const MI: &str = "6c1d2e3f-0000-4000-8000-00000000a11d";

fn credential() -> PasswordCredential {
    serde_json::from_value(json!({
        "keyId": "4d5e6f70-0000-4000-8000-000000000001",
        "displayName": "Payroll API secret",
        "endDateTime": "2027-06-01T00:00:00Z"
    }))
    .unwrap()
}

fn stored() -> StoredRef {
    StoredRef {
        vault_name: "kv-contoso-dev".into(),
        secret_name: "payroll-api-client-secret".into(),
        uri_with_version:
            "https://kv-contoso-dev.vault.azure.net/secrets/payroll-api-client-secret/0123456789abcdef0123456789abcdef"
                .into(),
        path: WritePath::Arm,
        expires: None,
        uri_checked: true,
    }
}

fn place(rbac: Option<bool>) -> VaultPlace {
    VaultPlace {
        vault_id: VAULT_ID.into(),
        vault_name: "kv-contoso-dev".into(),
        subscription_id: SUB.into(),
        rbac,
        vault_uri: Some("https://kv-contoso-dev.vault.azure.net/".into()),
        arm_base: ARM.into(),
        graph_base: GRAPH.into(),
    }
}

fn done(rbac: Option<bool>) -> DoneState {
    DoneState::new(credential(), vec![], Some(stored())).with_place(Some(place(rbac)))
}

fn ok(status: u16, body: serde_json::Value) -> Outcome {
    Ok(HttpResponse::new(status, body.to_string()))
}

fn sent(effects: Vec<DoneEffect>) -> Vec<(DoneCall, HttpRequest)> {
    effects
        .into_iter()
        .map(|DoneEffect::Send(c, r)| (c, r))
        .collect()
}

fn grant(d: &DoneState) -> &Grant {
    match d.workload() {
        Workload::Rbac(g) => g,
        other => panic!("{other:?}"),
    }
}

const SCOPE: &str = "/subscriptions/c0de0001-7d3e-4a5b-9c8d-00000000de01/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/payroll-api-client-secret";

fn found(d: &mut DoneState) {
    d.update(DoneMsg::Query("id-payroll".into()));
    let req = sent(d.update(DoneMsg::Search));
    assert_eq!(req.len(), 1);
    assert_eq!(req[0].0, DoneCall::Search);
    assert!(req[0]
        .1
        .url
        .starts_with("https://graph.test/v1.0/servicePrincipals?"));
    d.update(DoneMsg::Response {
        call: DoneCall::Search,
        outcome: ok(
            200,
            json!({"value": [
                {"id": MI, "appId": "9e8d7c6b-0000-4000-8000-000000000001", "displayName": "id-payroll-api-prod", "servicePrincipalType": "ManagedIdentity"},
                {"id": "7a7a7a7a-0000-4000-8000-000000000002", "appId": "9e8d7c6b-0000-4000-8000-000000000002", "displayName": "id-payroll-worker", "servicePrincipalType": "Application"}
            ]}),
        ),
    });
    d.update(DoneMsg::Choose(MI.into()));
    assert_eq!(grant(d).chosen.as_ref().map(|s| s.id.as_str()), Some(MI));
}

#[test]
fn the_pre_flight_reads_permissions_at_the_secret_scope() {
    let mut d = done(Some(true));
    let req = sent(d.start());
    assert_eq!(req.len(), 1);
    assert_eq!(req[0].0, DoneCall::Permissions);
    assert_eq!(
        req[0].1.url,
        format!(
            "{ARM}{SCOPE}/providers/Microsoft.Authorization/permissions?api-version=2022-04-01"
        )
    );
    // Owner: `*`.
    d.update(DoneMsg::Response {
        call: DoneCall::Permissions,
        outcome: ok(
            200,
            json!({"value": [{"actions": ["*"], "notActions": []}]}),
        ),
    });
    assert_eq!(grant(&d).may_assign, Progress::Done(MayAssign::Yes));

    // Key Vault Contributor: Microsoft.Authorization/*/read only.
    let mut d = done(Some(true));
    d.start();
    d.update(DoneMsg::Response {
        call: DoneCall::Permissions,
        outcome: ok(
            200,
            json!({"value": [{"actions": ["Microsoft.Authorization/*/read", "Microsoft.KeyVault/*"], "notActions": []}]}),
        ),
    });
    assert_eq!(grant(&d).may_assign, Progress::Done(MayAssign::No));
    // Contributor: `*` without Microsoft.Authorization/*/Write.
    let mut d = done(Some(true));
    d.start();
    d.update(DoneMsg::Response {
        call: DoneCall::Permissions,
        outcome: ok(
            200,
            json!({"value": [{"actions": ["*"], "notActions": ["Microsoft.Authorization/*/Write"]}]}),
        ),
    });
    assert_eq!(grant(&d).may_assign, Progress::Done(MayAssign::No));
}

#[test]
fn a_pre_flight_that_says_no_still_lets_the_user_try() {
    let mut d = done(Some(true));
    d.start();
    d.update(DoneMsg::Response {
        call: DoneCall::Permissions,
        outcome: ok(200, json!({"value": []})),
    });
    found(&mut d);
    let req = sent(d.update(DoneMsg::Assign { bits: 7 }));
    assert_eq!(req.len(), 1, "the pre-flight informs, it does not block");
    assert_eq!(req[0].0, DoneCall::Assign);
    assert_eq!(req[0].1.method, Method::Put);
}

#[test]
fn granting_puts_key_vault_secrets_user_for_the_chosen_identity_on_the_secret() {
    let mut d = done(Some(true));
    d.start();
    found(&mut d);
    let req = sent(d.update(DoneMsg::Assign { bits: 0xfeed }));
    let (call, r) = &req[0];
    assert_eq!(*call, DoneCall::Assign);
    let name = assignment_name(0xfeed);
    assert_eq!(
        r.url,
        format!("{ARM}{SCOPE}/providers/Microsoft.Authorization/roleAssignments/{name}?api-version=2022-04-01")
    );
    let body: serde_json::Value = serde_json::from_str(r.body.as_deref().unwrap()).unwrap();
    assert_eq!(body["properties"]["principalId"], MI);
    assert_eq!(body["properties"]["principalType"], "ServicePrincipal");
    assert_eq!(
        body["properties"]["roleDefinitionId"],
        format!("/subscriptions/{SUB}/providers/Microsoft.Authorization/roleDefinitions/4633458b-17de-408a-b874-0445c86b69e6")
    );
    // A second click while it runs sends nothing.
    assert!(d.update(DoneMsg::Assign { bits: 1 }).is_empty());
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: ok(
            201,
            json!({
                "id": format!("{SCOPE}/providers/Microsoft.Authorization/roleAssignments/{name}"),
                "name": name,
                "properties": {
                    "roleDefinitionId": body["properties"]["roleDefinitionId"],
                    "principalId": MI, "principalType": "ServicePrincipal", "scope": SCOPE
                }
            }),
        ),
    });
    match &grant(&d).assign {
        Progress::Done(g) => {
            assert_eq!(g.principal.id, MI);
            assert!(!g.already);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn arm_refusals_are_explained_with_who_can() {
    let mut d = done(Some(true));
    d.start();
    found(&mut d);
    d.update(DoneMsg::Assign { bits: 3 });
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: ok(
            403,
            json!({"error": {"code": "AuthorizationFailed", "message": format!(
                "The client 'dan@contoso.example' with object id 'd0' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write' over scope '{SCOPE}/providers/Microsoft.Authorization/roleAssignments/x' or the scope is invalid. If access was recently granted, please refresh your credentials."
            )}}),
        ),
    });
    let Progress::Failed(p) = &grant(&d).assign else {
        panic!("{:?}", grant(&d).assign)
    };
    assert!(
        p.message.contains(
            "Owner, User Access Administrator or Role Based Access Control Administrator"
        ),
        "{}",
        p.message
    );
    assert!(p.message.contains("payroll-api-client-secret"));
    assert!(p
        .details
        .as_deref()
        .is_some_and(|d| d.contains("AuthorizationFailed")));
    // The command to hand over names the identity and the scope.
    let g = grant(&d);
    let cmd = g.az_command(g.chosen.as_ref().unwrap());
    assert!(cmd.contains(&format!("--assignee-object-id '{MI}'")));
    assert!(cmd.contains(&format!("--scope '{SCOPE}'")));
    assert!(cmd.contains("--role 4633458b-17de-408a-b874-0445c86b69e6"));

    // Already there: done, said so.
    let mut d = done(Some(true));
    found(&mut d);
    d.update(DoneMsg::Assign { bits: 4 });
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: ok(409, json!({"error": {"code": "RoleAssignmentExists", "message": "The role assignment already exists."}})),
    });
    assert!(matches!(&grant(&d).assign, Progress::Done(g) if g.already));

    // A new identity not replicated yet.
    let mut d = done(Some(true));
    found(&mut d);
    d.update(DoneMsg::Assign { bits: 5 });
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: ok(400, json!({"error": {"code": "PrincipalNotFound", "message": format!("Principal {MI} does not exist in the directory t.")}})),
    });
    assert!(
        matches!(&grant(&d).assign, Progress::Failed(p) if p.message.contains("try again shortly"))
    );

    // No answer.
    let mut d = done(Some(true));
    found(&mut d);
    d.update(DoneMsg::Assign { bits: 6 });
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: Err(Failure::Network),
    });
    assert!(
        matches!(&grant(&d).assign, Progress::Failed(p) if p.message.contains("could not be reached"))
    );
}

#[test]
fn a_different_assignment_in_the_answer_is_not_taken_for_success() {
    let mut d = done(Some(true));
    found(&mut d);
    d.update(DoneMsg::Assign { bits: 8 });
    d.update(DoneMsg::Response {
        call: DoneCall::Assign,
        outcome: ok(201, json!({"id": "x", "name": "x", "properties": {
            "roleDefinitionId": "/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
            "principalId": MI, "scope": SCOPE}})),
    });
    assert!(matches!(&grant(&d).assign, Progress::Failed(_)));
}

#[test]
fn an_empty_search_asks_for_a_name_and_sends_nothing() {
    let mut d = done(Some(true));
    d.update(DoneMsg::Query("   ".into()));
    assert!(d.update(DoneMsg::Search).is_empty());
    assert!(matches!(grant(&d).found, Progress::Failed(_)));
    // Nothing to grant before an identity is chosen.
    assert!(d.update(DoneMsg::Assign { bits: 1 }).is_empty());
    // Choosing an identity the search didn't find does nothing.
    d.update(DoneMsg::Choose("nobody".into()));
    assert!(grant(&d).chosen.is_none());
}

#[test]
fn access_policy_vaults_and_unstored_secrets_offer_no_role_assignment() {
    let mut d = done(Some(false));
    assert!(
        matches!(d.workload(), Workload::AccessPolicies { vault_name } if vault_name == "kv-contoso-dev")
    );
    assert!(d.start().is_empty());
    let mut d = DoneState::new(credential(), vec![], None).with_place(Some(place(Some(true))));
    assert_eq!(d.workload(), &Workload::NotStored);
    assert!(d.start().is_empty());
    assert!(d.update(DoneMsg::Search).is_empty());
    let mut d = DoneState::new(credential(), vec![], None);
    assert!(d.start().is_empty());
    // Unknown RBAC mode: offered (ARM's answer decides).
    assert!(matches!(done(None).workload(), Workload::Rbac(_)));
}

#[test]
fn the_language_tab_and_the_vault_uri_for_the_snippets() {
    let mut d = done(Some(true));
    assert_eq!(d.language(), Language::DotNet);
    d.update(DoneMsg::Language(Language::Python));
    assert_eq!(d.language(), Language::Python);
    assert_eq!(
        d.vault_uri().as_deref(),
        Some("https://kv-contoso-dev.vault.azure.net/")
    );
    // Without the vault's properties, from the checked secret URI.
    let mut p = place(None);
    p.vault_uri = None;
    let d = DoneState::new(credential(), vec![], Some(stored())).with_place(Some(p));
    assert_eq!(
        d.vault_uri().as_deref(),
        Some("https://kv-contoso-dev.vault.azure.net/")
    );
    // Language works without a vault too.
    let mut d = DoneState::new(credential(), vec![], None);
    d.update(DoneMsg::Language(Language::Java));
    assert_eq!(d.language(), Language::Java);
    assert_eq!(d.vault_uri(), None);
}
