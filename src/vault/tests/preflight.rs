//! Pre-flight outcomes, before any credential exists.

use serde_json::json;

use super::*;

fn blocked(h: &Harness) -> VaultProblem {
    match h.v.verdict() {
        Verdict::Blocked(p) => p,
        other => panic!("expected Blocked, got {other:?}"),
    }
}

fn notes(h: &Harness) -> Vec<String> {
    match h.v.verdict() {
        Verdict::Ready { notes } => notes,
        other => panic!("expected Ready, got {other:?}"),
    }
}

#[test]
fn dan_on_dev_may_store_through_arm_and_is_told_what_arm_cannot_see() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    assert_eq!(h.v.verdict(), Verdict::Checking);
    assert_eq!(
        h.v.create_blocker().as_deref(),
        Some("Checking the vault… one moment.")
    );
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    assert_eq!(
        h.v.verdict(),
        Verdict::Checking,
        "the name is still being checked"
    );
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    let n = notes(&h);
    assert_eq!(
        n[0],
        "You can store secrets in kv-contoso-dev through Azure Resource Manager."
    );
    assert!(
        n.iter().any(|s| s.contains("can't see deleted secrets")),
        "{n:?}"
    );
    assert_eq!(h.v.create_blocker(), None);
}

#[test]
fn an_existing_name_means_a_new_version() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(
        VaultCall::NameExists,
        200,
        arm_secret(
            "kv-contoso-dev",
            "payroll-api-client-secret",
            "v1",
            "other-key",
        ),
    );
    let n = notes(&h);
    assert!(
        n.iter()
            .any(|s| s.contains("already exists in kv-contoso-dev: a new version will be added")),
        "{n:?}"
    );
}

#[test]
fn dan_on_prod_is_told_the_missing_role_before_anything_is_created() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.msg(VaultMsg::Select(prod_id()));
    h.ok(VaultCall::Permissions, 200, reader_and_secrets_user());
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    let p = blocked(&h);
    assert!(
        p.message.starts_with(
            "You can't write secrets to kv-contoso-prod through Azure Resource Manager: you need \
             Key Vault Contributor (or Contributor) on the vault."
        ),
        "{}",
        p.message
    );
    assert!(h.v.create_blocker().unwrap().contains("Don't store it"));
    // The blocked state can't be pushed from, even with a value at hand.
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    assert!(!h.pending(VaultCall::Push));
}

#[test]
fn permissions_that_cannot_be_read_block_with_a_retry() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    h.lost(VaultCall::Permissions);
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    let p = blocked(&h);
    assert!(p.offers(Remedy::TryAgain));
    h.msg(VaultMsg::Recheck);
    assert_eq!(h.count(VaultCall::Permissions), 2);
    h.ok(VaultCall::Permissions, 200, kv_contributor_and_officer());
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    assert!(matches!(h.v.verdict(), Verdict::Ready { .. }));
}

fn data_plane_on_dev(perms: Value) -> Harness {
    let mut h = Harness::new(config(VaultMode::DataPlane));
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    assert!(
        !h.pending(VaultCall::NameDeleted),
        "waits for the vault URI"
    );
    h.ok(VaultCall::Vault, 200, vault_json(&dev_id(), true, false));
    h.ok(VaultCall::Permissions, 200, perms);
    h
}

#[test]
fn data_plane_mode_finds_a_soft_deleted_name_before_creating() {
    let mut h = data_plane_on_dev(kv_contributor_and_officer());
    let req = h.request(VaultCall::NameDeleted);
    assert_eq!(
        req.url,
        "https://kv-contoso-dev.vault.test/deletedsecrets/payroll-api-client-secret?api-version=7.5"
    );
    assert_eq!(req.resource, crate::net::Resource::KeyVault);
    h.ok(
        VaultCall::NameDeleted,
        200,
        json!({ "recoveryId": "https://kv-contoso-dev.vault.test/deletedsecrets/payroll-api-client-secret",
                "deletedDate": 1_700_000_000, "scheduledPurgeDate": 1_707_776_000,
                "id": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/abc",
                "attributes": {"enabled": true} }),
    );
    let p = blocked(&h);
    assert!(p.name_deleted);
    assert!(
        p.message.starts_with(
            "A deleted secret named \"payroll-api-client-secret\" is still recoverable in \
             kv-contoso-dev. Recover it, purge it, or choose another name."
        ),
        "{}",
        p.message
    );
    assert!(p.offers(Remedy::ChooseAnotherName));
    // Another name: not deleted, not existing → ready.
    h.msg(VaultMsg::NameInput("payroll-api-secret-2".into()));
    h.fire_timer();
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    assert!(h
        .request(VaultCall::NameExists)
        .url
        .contains("/secrets/payroll-api-secret-2/versions?maxresults=25&api-version=7.5"));
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    assert_eq!(
        notes(&h)[0],
        "You can store secrets in kv-contoso-dev through the Key Vault data plane."
    );
}

#[test]
fn the_data_plane_name_check_reads_every_page_and_takes_the_newest_by_created() {
    // The order of versions is not specified (absent from the 7.5 spec), a page may be empty
    // and still carry a nextLink (azure-sdk-for-go #10711), and nextLinks carry `:443` (the
    // spec's example): the newest is the latest `created` over all pages.
    let mut h = data_plane_on_dev(kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    let host = "https://kv-contoso-dev.vault.test:443";
    let versions = "/secrets/payroll-api-client-secret/versions";
    let item = |version: &str, created: i64, exp: i64| {
        json!({"id": format!("https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/{version}"),
               "attributes": {"enabled": true, "created": created, "updated": created, "exp": exp}})
    };
    let pages = [
        json!({"value": [], "nextLink": format!("{host}{versions}?api-version=7.5&$skiptoken=AA&maxresults=25")}),
        json!({"value": [item("0a", 1_700_000_000, 1_710_000_000), item("ff", 1_600_000_000, 1_620_000_000)],
               "nextLink": format!("{host}{versions}?api-version=7.2&$skiptoken=BB&maxresults=25")}),
        json!({"value": [], "nextLink": format!("{host}{versions}?api-version=7.2&$skiptoken=CC&maxresults=25")}),
        json!({"value": [item("11", 1_750_000_000, 1_790_000_000), item("e0", 1_650_000_000, 1_660_000_000)],
               "nextLink": null}),
    ];
    let mut sent = Vec::new();
    for (i, page) in pages.iter().enumerate() {
        sent.push(h.request(VaultCall::NameExists).url.clone());
        assert_eq!(h.v.verdict(), Verdict::Checking, "page {i} is not the end");
        h.ok(VaultCall::NameExists, 200, page.clone());
    }
    assert_eq!(
        sent,
        [
            format!("https://kv-contoso-dev.vault.test/{}?maxresults=25&api-version=7.5", &versions[1..]),
            format!("https://kv-contoso-dev.vault.test{versions}?api-version=7.5&$skiptoken=AA&maxresults=25"),
            format!("https://kv-contoso-dev.vault.test{versions}?api-version=7.2&$skiptoken=BB&maxresults=25"),
            format!("https://kv-contoso-dev.vault.test{versions}?api-version=7.2&$skiptoken=CC&maxresults=25"),
        ],
        "each nextLink's query, sent to the vault's own base"
    );
    assert_eq!(h.count(VaultCall::NameExists), 4);
    assert_eq!(
        h.v.name.status,
        Check::Done(NameStatus::Exists {
            expires: chrono::DateTime::from_timestamp(1_790_000_000, 0),
            other_app: None,
        }),
        "the version created last, on the last page and listed first there"
    );
    assert!(notes(&h)
        .iter()
        .any(|n| n.contains("already exists in kv-contoso-dev")));
}

#[test]
fn an_empty_first_page_with_a_next_link_is_not_a_free_name() {
    let mut h = data_plane_on_dev(kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    h.ok(
        VaultCall::NameExists,
        200,
        json!({"value": [], "nextLink": "https://kv-contoso-dev.vault.test:443/secrets/payroll-api-client-secret/versions?$skiptoken=AA"}),
    );
    assert_eq!(h.v.name.status, Check::Checking);
    h.ok(
        VaultCall::NameExists,
        200,
        json!({"value": [{"id": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/ab",
                          "attributes": {"enabled": true, "created": 1_700_000_000}}],
               "nextLink": null}),
    );
    assert_eq!(
        h.v.name.status,
        Check::Done(NameStatus::Exists {
            expires: None,
            other_app: None
        })
    );
    // A nextLink to another secret's list is not followed: the check fails, explained.
    h.msg(VaultMsg::NameInput("payroll-api-secret-3".into()));
    h.fire_timer();
    h.ok(
        VaultCall::NameDeleted,
        404,
        json!({"error": {"code": "SecretNotFound", "message": "x"}}),
    );
    let before = h.count(VaultCall::NameExists);
    h.ok(
        VaultCall::NameExists,
        200,
        json!({"value": [], "nextLink": "https://evil.example/secrets/other/versions?$skiptoken=AA"}),
    );
    assert_eq!(h.count(VaultCall::NameExists), before, "not followed");
    assert!(matches!(h.v.name.status, Check::Failed(_)));
}

#[test]
fn data_plane_without_cors_is_explained_and_the_arm_path_offered() {
    let mut h = data_plane_on_dev(kv_contributor_and_officer());
    h.lost(VaultCall::NameDeleted);
    let p = blocked(&h);
    assert_eq!(
        p.message,
        "Key Vault can't be called directly from a web page. Use the ARM path, or ask your admin \
         for the gateway setting."
    );
    assert!(p.offers(Remedy::UseArmPath));
    h.msg(VaultMsg::UseArmPath);
    assert_eq!(h.v.path, WritePath::Arm);
    assert!(h.request(VaultCall::NameExists).url.starts_with(ARM));
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    assert!(notes(&h)[0].ends_with("through Azure Resource Manager."));
}

#[test]
fn the_arm_path_is_offered_only_to_those_who_may_use_it() {
    let mut h = data_plane_on_dev(secrets_officer_only());
    h.lost(VaultCall::NameDeleted);
    let p = blocked(&h);
    assert!(
        !p.offers(Remedy::UseArmPath),
        "Secrets Officer can't write through ARM"
    );
}

#[test]
fn data_plane_needs_the_secrets_officer_role_on_rbac_vaults() {
    let mut h = data_plane_on_dev(reader_and_secrets_user());
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
    let p = blocked(&h);
    assert!(
        p.message
            .starts_with("You need Key Vault Secrets Officer on kv-contoso-dev"),
        "{}",
        p.message
    );
    assert!(!p.offers(Remedy::UseArmPath), "Reader can't use ARM either");
}

#[test]
fn a_firewall_on_the_data_plane_offers_the_arm_path() {
    let mut h = data_plane_on_dev(kv_contributor_and_officer());
    h.ok(
        VaultCall::NameDeleted,
        403,
        json!({"error": {"code": "Forbidden", "message": "Client address is not authorized",
                         "innererror": {"code": "ForbiddenByFirewall"}}}),
    );
    let p = blocked(&h);
    assert!(
        p.message
            .starts_with("kv-contoso-dev's firewall doesn't allow your network."),
        "{}",
        p.message
    );
    assert!(p.offers(Remedy::UseArmPath));
    assert_eq!(
        p.details.as_deref(),
        Some("Forbidden / ForbiddenByFirewall · HTTP 403 · request-id req-1")
    );
}

#[test]
fn a_gateway_replaces_the_vault_uri_and_access_policy_vaults_are_not_guessed() {
    let mut c = config(VaultMode::DataPlane);
    c.settings.gateway = Some("https://kv-gateway.contoso.test".into());
    let mut h = Harness::new(c);
    h.describe(None);
    h.msg(VaultMsg::Select(dev_id()));
    assert!(
        h.request(VaultCall::NameDeleted)
            .url
            .starts_with("https://kv-gateway.contoso.test/kv-contoso-dev/deletedsecrets/"),
        "no need to wait for the vault URI"
    );
    h.ok(VaultCall::Vault, 200, vault_json(&dev_id(), false, false));
    h.ok(VaultCall::Permissions, 200, json!({"value": []}));
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
    let n = notes(&h);
    assert!(
        n.iter().any(|s| s.contains("uses access policies")),
        "{n:?}"
    );
}
