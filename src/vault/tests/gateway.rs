//! Through a gateway (`vault.gateway`): every data-plane request names its vault in the path
//! (`{gateway}/{vault}/…`), and a "stored" answer whose secret ID names another vault (or
//! another name, or no vault of this cloud) is a failure that says the gateway wrote elsewhere.

use serde_json::json;

use super::*;

const GATEWAY: &str = "https://gw.test/kv";
const NAME: &str = "payroll-api-client-secret";

fn prod_through_gateway() -> Harness {
    let mut c = config(VaultMode::DataPlane);
    c.settings.gateway = Some(format!("{GATEWAY}/"));
    let mut h = Harness::new(c);
    h.describe(None);
    h.msg(VaultMsg::Select(prod_id()));
    assert_eq!(
        h.request(VaultCall::NameDeleted).url,
        format!("{GATEWAY}/kv-contoso-prod/deletedsecrets/{NAME}?api-version=7.5"),
        "the name check asks the gateway about the chosen vault"
    );
    h.ok(VaultCall::Vault, 200, vault_json(&prod_id(), true, false));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    assert_eq!(
        h.request(VaultCall::NameExists).url,
        format!("{GATEWAY}/kv-contoso-prod/secrets/{NAME}/versions?maxresults=25&api-version=7.5")
    );
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    assert_eq!(
        h.request(VaultCall::Push).url,
        format!("{GATEWAY}/kv-contoso-prod/secrets/{NAME}?api-version=7.5"),
        "the write names the chosen vault"
    );
    h
}

fn answered(h: &mut Harness, id: &str) {
    h.ok(
        VaultCall::Push,
        200,
        json!({ "value": SECRET, "id": id, "attributes": {"enabled": true} }),
    );
}

fn failed(h: &Harness) -> VaultProblem {
    h.v.push.failed().cloned().expect("the push failed")
}

#[test]
fn the_gateway_is_told_the_vault_and_its_answer_for_that_vault_is_stored() {
    let mut h = prod_through_gateway();
    answered(
        &mut h,
        "https://KV-CONTOSO-PROD.vault.test/secrets/payroll-api-client-secret/ab12",
    );
    let stored = h.stored();
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].vault_name, "kv-contoso-prod");
    assert_eq!(stored[0].version(), "ab12");
}

#[test]
fn an_answer_from_another_vault_says_the_gateway_wrote_elsewhere() {
    let mut h = prod_through_gateway();
    answered(
        &mut h,
        "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/ab12",
    );
    assert!(h.stored().is_empty(), "not reported as stored in prod");
    let p = failed(&h);
    assert!(
        p.message.starts_with(
            "The Key Vault gateway stored the secret in kv-contoso-dev (as \"payroll-api-client-secret\"), \
             not in kv-contoso-prod. Tell your administrator that the gateway (vault.gateway in \
             config.json) wrote elsewhere"
        ),
        "{}",
        p.message
    );
    assert!(p
        .message
        .contains("Whoever can read kv-contoso-dev can read this secret"));
    assert!(p.offers(Remedy::UseArmPath));
    assert_eq!(
        p.details.as_deref(),
        Some("the answer's secret ID names kv-contoso-dev/secrets/payroll-api-client-secret")
    );
    assert!(!matches!(h.v.push, Push::Failed { unsure: true, .. }));
    assert!(!h.debug_dump().contains(SECRET));
}

#[test]
fn another_name_or_no_vault_at_all_is_refused_too() {
    let mut h = prod_through_gateway();
    answered(
        &mut h,
        "https://kv-contoso-prod.vault.test/secrets/another-name/ab12",
    );
    assert!(h.stored().is_empty());
    assert!(failed(&h)
        .message
        .starts_with("The Key Vault gateway stored the secret in kv-contoso-prod as \"another-name\", not as \"payroll-api-client-secret\""));

    for id in [
        "https://gw.test/kv/kv-contoso-prod/secrets/payroll-api-client-secret/ab12",
        "https://kv-contoso-prod.vault.test.evil.example/secrets/payroll-api-client-secret/ab12",
        "https://evil.example\\kv-contoso-prod.vault.test/secrets/payroll-api-client-secret/ab12",
        "not a URL",
    ] {
        let mut h = prod_through_gateway();
        answered(&mut h, id);
        assert!(h.stored().is_empty(), "{id}");
        let p = failed(&h);
        assert!(
            p.message.starts_with(
                "The Key Vault gateway's answer doesn't say the secret was stored in \
                 kv-contoso-prod: its secret ID names no vault of this cloud."
            ),
            "{id}: {}",
            p.message
        );
        assert!(p.offers(Remedy::UseArmPath));
    }
}

#[test]
fn without_a_gateway_the_vault_uri_is_the_base_and_its_answer_is_checked_alike() {
    let mut h = Harness::new(config(VaultMode::DataPlane));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    h.ok(VaultCall::Vault, 200, vault_json(&dev_id(), true, false));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    assert!(h
        .request(VaultCall::Push)
        .url
        .starts_with("https://kv-contoso-dev.vault.test/secrets/"));
    answered(
        &mut h,
        "https://kv-contoso-prod.vault.test/secrets/payroll-api-client-secret/ab12",
    );
    assert!(h.stored().is_empty());
    assert!(failed(&h)
        .message
        .starts_with("Key Vault stored the secret in kv-contoso-prod"));
}
