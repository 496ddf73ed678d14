//! The vault scan's request chain: subscriptions → vaults → secrets, bounded, with refusals
//! kept per vault.

use super::*;
use crate::net::{HttpRequest, HttpResponse};
use crate::rotation::scan::{Scan, VaultScanState, MAX_IN_FLIGHT, MAX_VAULTS};
use crate::runtime::Failure;

fn ok(body: Value) -> Result<HttpResponse, Failure> {
    Ok(HttpResponse::new(200, body.to_string()))
}

fn forbidden(action: &str, scope: &str) -> Result<HttpResponse, Failure> {
    let body = json!({ "error": { "code": "AuthorizationFailed", "message": format!(
        "The client 'dan@contoso.example' with object id 'd0d0' does not have authorization to \
         perform action '{action}' over scope '{scope}' or the scope is invalid.") } });
    Ok(HttpResponse::new(403, body.to_string()))
}

fn vault_json(id: &str, name: &str) -> Value {
    json!({ "id": id, "name": name, "location": "westeurope",
            "properties": { "vaultUri": format!("https://{name}.vault.azure.net/") } })
}

fn secret_json(name: &str, key: &str) -> Value {
    json!({ "id": format!("{DEV_VAULT}/secrets/{name}"), "name": name,
            "tags": { "CredentialId": key, "ProviderAddress": APP_ID },
            "properties": { "secretUri": format!("https://kv-contoso-dev.vault.azure.net/secrets/{name}"),
                            "secretUriWithVersion": format!("https://kv-contoso-dev.vault.azure.net/secrets/{name}/abc"),
                            "attributes": { "enabled": true, "exp": 1800000000, "updated": 1700000000 } } })
}

fn only(reqs: Vec<(u64, HttpRequest)>) -> (u64, HttpRequest) {
    assert_eq!(reqs.len(), 1, "{reqs:?}");
    reqs.into_iter().next().unwrap()
}

#[test]
fn subscriptions_then_vaults_then_secrets_with_a_refused_vault_not_checked() {
    let (mut scan, first) = Scan::start(ARM, &[]);
    let (t, req) = only(first);
    assert_eq!(
        req.url,
        format!("{ARM}/subscriptions?api-version=2022-12-01")
    );
    assert!(scan.progress().starts_with("Finding your key vaults"));
    let subs = json!({ "value": [
        { "subscriptionId": DEV_SUB, "displayName": "Contoso Dev", "state": "Enabled" },
        { "subscriptionId": "c0de0009-7d3e-4a5b-9c8d-000000000000", "displayName": "Old", "state": "Disabled" } ] });
    let (t, req) = only(scan.feed(t, ok(subs)));
    assert!(
        req.url.contains(&format!(
            "/subscriptions/{DEV_SUB}/providers/Microsoft.KeyVault/vaults?"
        )),
        "{}",
        req.url
    );
    let vaults = json!({ "value": [vault_json(DEV_VAULT, "kv-contoso-dev"), vault_json(PROD_VAULT, "kv-contoso-prod")] });
    let next = scan.feed(t, ok(vaults));
    assert_eq!(next.len(), 2);
    assert!(
        next[0]
            .1
            .url
            .starts_with(&format!("{ARM}{DEV_VAULT}/secrets?api-version=2025-05-01")),
        "{}",
        next[0].1.url
    );
    assert_eq!(scan.progress(), "Checked 0 of 2 vaults…");
    let (dev, prod) = (next[0].0, next[1].0);
    let page1 = json!({ "value": [secret_json("payroll-api-client-secret", OTHER)],
                        "nextLink": format!("{ARM}{DEV_VAULT}/secrets?api-version=2025-05-01&$skiptoken=2") });
    let (t2, req2) = only(scan.feed(dev, ok(page1)));
    assert!(
        req2.url.ends_with("$skiptoken=2"),
        "nextLink followed verbatim"
    );
    let more = scan.feed(
        prod,
        forbidden("Microsoft.KeyVault/vaults/secrets/read", PROD_VAULT),
    );
    assert!(more.is_empty());
    assert!(!scan.is_done());
    scan.feed(
        t2,
        ok(json!({ "value": [secret_json("onboarding", GONE)] })),
    );
    assert!(scan.is_done());
    assert_eq!(scan.progress(), "Checked 2 of 2 vaults you can see.");
    match &scan.vaults[0].state {
        VaultScanState::Listed(s) => assert_eq!(s.len(), 2, "both pages"),
        other => panic!("{other:?}"),
    }
    match &scan.vaults[1].state {
        VaultScanState::NotChecked { message, details } => {
            assert_eq!(message, "Not checked: you can't list secrets in kv-contoso-prod. Reader (or Key Vault Contributor) on it would allow it.");
            assert!(details.as_deref().unwrap().contains("AuthorizationFailed"));
        }
        other => panic!("{other:?}"),
    }
    // An answer for an unknown ticket changes nothing.
    assert!(scan.feed(999, ok(json!({ "value": [] }))).is_empty());
}

#[test]
fn a_failed_subscription_list_fails_the_scan_and_a_vault_list_failure_names_the_subscription() {
    let (mut scan, first) = Scan::start(ARM, &[]);
    scan.feed(only(first).0, Err(Failure::Network));
    assert!(scan.is_done());
    let (message, _) = scan.failed.clone().unwrap();
    assert!(
        message.contains("couldn't be reached while listing your subscriptions"),
        "{message}"
    );

    let (mut scan, first) = Scan::start(ARM, &[]);
    let subs = json!({ "value": [{ "subscriptionId": DEV_SUB, "displayName": "Contoso Dev" }] });
    let (t, _) = only(scan.feed(only(first).0, ok(subs)));
    scan.feed(
        t,
        forbidden("Microsoft.KeyVault/vaults/read", "/subscriptions/x"),
    );
    assert!(scan.is_done());
    assert!(scan.failed.is_none());
    assert_eq!(scan.subscription_problems.len(), 1);
    assert_eq!(
        scan.subscription_problems[0].subscription_name,
        "Contoso Dev"
    );
    assert!(scan.subscription_problems[0]
        .message
        .contains("the vaults in Contoso Dev"));
}

#[test]
fn requests_are_bounded_and_vaults_beyond_the_cap_are_skipped() {
    let (mut scan, first) = Scan::start(ARM, &[]);
    let subs = json!({ "value": [{ "subscriptionId": DEV_SUB, "displayName": "Contoso Dev" }] });
    let (t, _) = only(scan.feed(only(first).0, ok(subs)));
    let many: Vec<Value> = (0..MAX_VAULTS + 7)
        .map(|i| {
            vault_json(
                &DEV_VAULT.replace("kv-contoso-dev", &format!("kv-{i:03}")),
                &format!("kv-{i:03}"),
            )
        })
        .collect();
    let mut in_flight = scan.feed(t, ok(json!({ "value": many })));
    assert_eq!(in_flight.len(), MAX_IN_FLIGHT);
    assert_eq!(scan.vaults.len(), MAX_VAULTS);
    assert_eq!(scan.skipped, 7);
    let mut answered = 0;
    while let Some((t, _)) = in_flight.pop() {
        answered += 1;
        in_flight.extend(scan.feed(t, ok(json!({ "value": [] }))));
        assert!(in_flight.len() <= MAX_IN_FLIGHT);
    }
    assert_eq!(answered, MAX_VAULTS);
    assert!(scan.is_done());
}

#[test]
fn allowed_vaults_are_asked_directly_without_listing_subscriptions() {
    let allowed = [VaultRef::parse(DEV_VAULT).unwrap()];
    let (scan, first) = Scan::start(ARM, &allowed);
    let (_, req) = only(first);
    assert!(
        req.url.starts_with(&format!("{ARM}{DEV_VAULT}/secrets?")),
        "{}",
        req.url
    );
    assert_eq!(scan.vaults[0].name, "kv-contoso-dev");
}
