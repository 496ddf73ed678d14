//! Each push error explained with its fix; the value stays until stored or given up.

use serde_json::json;

use super::*;

pub(super) fn pushed() -> Harness {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.ready_on_dev();
    h.on_show_once = true;
    h.msg(VaultMsg::Store);
    h
}

pub(super) fn failed(h: &Harness) -> VaultProblem {
    h.v.push
        .failed()
        .cloned()
        .unwrap_or_else(|| panic!("{:?}", h.v.push))
}

#[test]
fn a_403_names_the_role_and_is_not_retried() {
    let mut h = pushed();
    h.answer(
        VaultCall::Push,
        Ok(res(403, json!({"error": {"code": "AuthorizationFailed", "message":
            "The client 'dan@contoso.example' with object id 'd0d0' does not have authorization to perform action 'Microsoft.KeyVault/vaults/secrets/write' over scope '/subscriptions/x/resourceGroups/rg-dev/providers/Microsoft.KeyVault/vaults/kv-contoso-dev/secrets/payroll-api-client-secret' or the scope is invalid."}}))
            .with_header("x-ms-correlation-request-id", "corr-9")),
    );
    let p = failed(&h);
    assert!(
        p.message
            .contains("you need Key Vault Contributor (or Contributor) on the vault"),
        "{}",
        p.message
    );
    assert_eq!(
        p.details.as_deref(),
        Some("AuthorizationFailed · HTTP 403 · request-id req-1 · correlation-id corr-9")
    );
    assert_eq!(h.count(VaultCall::Push), 1);
    assert!(!h.pending(VaultCall::Check));
}

#[test]
fn a_409_for_a_deleted_name_explains_recover_purge_or_rename_then_stores_under_the_new_name() {
    let mut h = pushed();
    h.ok(
        VaultCall::Push,
        409,
        json!({"error": {"code": "Conflict", "message": "Secret legacy-reporting-secret is currently in a deleted but recoverable state, and its name cannot be reused; in this state, the secret can only be recovered or purged."}}),
    );
    let p = failed(&h);
    assert!(p.name_deleted);
    assert!(
        p.message
            .contains("Recover it, purge it, or choose another name."),
        "{}",
        p.message
    );
    assert!(p.offers(Remedy::ChooseAnotherName));
    assert_eq!(
        h.v.name.status,
        Check::Done(NameStatus::Deleted { purge: None })
    );
    h.msg(VaultMsg::Store);
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "the same name is refused again: no send"
    );
    h.msg(VaultMsg::NameInput("payroll-api-client-secret-2".into()));
    h.fire_timer();
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    h.msg(VaultMsg::Store);
    assert_eq!(h.count(VaultCall::Push), 2);
    assert!(h
        .request(VaultCall::Push)
        .url
        .contains("/secrets/payroll-api-client-secret-2?"));
    h.ok(
        VaultCall::Push,
        201,
        arm_secret(
            "kv-contoso-dev",
            "payroll-api-client-secret-2",
            "v9",
            KEY_ID,
        ),
    );
    assert_eq!(h.stored()[0].secret_name, "payroll-api-client-secret-2");
}

#[test]
fn a_401_after_the_executor_renewed_asks_to_sign_in_again() {
    let mut h = pushed();
    h.ok(
        VaultCall::Push,
        401,
        json!({"error": {"code": "AuthenticationFailed", "message": "x"}}),
    );
    let p = failed(&h);
    assert!(p.message.contains("sign in again"), "{}", p.message);
    assert_eq!(h.count(VaultCall::Push), 1);
    // No token at all: the sign-in module's words.
    let mut h = pushed();
    h.answer(
        VaultCall::Push,
        Err(Failure::Auth("Please sign in again to continue.".into())),
    );
    assert_eq!(failed(&h).message, "Please sign in again to continue.");
    assert!(
        !h.pending(VaultCall::Check),
        "nothing was sent: nothing to check"
    );
}

#[test]
fn data_plane_push_without_cors_says_so_and_the_arm_path_then_stores() {
    let mut c = config(VaultMode::DataPlane);
    c.settings.gateway = Some("https://gw.test".into());
    let mut h = Harness::new(c);
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
        .starts_with("https://gw.test/kv-contoso-dev/secrets/"));
    h.lost(VaultCall::Push);
    assert!(
        h.request(VaultCall::Check).url.starts_with(ARM),
        "checked through ARM"
    );
    h.ok(
        VaultCall::Check,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    let p = failed(&h);
    assert!(
        p.message
            .starts_with("Key Vault can't be called directly from a web page."),
        "{}",
        p.message
    );
    assert!(p.offers(Remedy::UseArmPath));
    h.msg(VaultMsg::UseArmPath);
    assert_eq!(h.v.push, Push::Idle);
    h.ok(
        VaultCall::NameExists,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    h.msg(VaultMsg::Store);
    assert!(h.request(VaultCall::Push).url.starts_with(ARM));
    h.ok(
        VaultCall::Push,
        201,
        arm_secret("kv-contoso-dev", "payroll-api-client-secret", "v2", KEY_ID),
    );
    assert_eq!(h.stored()[0].path, WritePath::Arm);
}

#[test]
fn data_plane_refusals_name_role_firewall_and_deleted_name() {
    let cases = [
        (403, json!({"error": {"code": "Forbidden", "message": "x", "innererror": {"code": "ForbiddenByRbac"}}}),
         "You need Key Vault Secrets Officer on kv-contoso-dev to write secrets."),
        (403, json!({"error": {"code": "Forbidden", "message": "x", "innererror": {"code": "ForbiddenByFirewall"}}}),
         "kv-contoso-dev's firewall doesn't allow your network. Use the ARM path, or ask for your address to be allowed."),
        (409, json!({"error": {"code": "Conflict", "message": "x", "innererror": {"code": "ObjectIsDeletedButRecoverable"}}}),
         "A deleted secret named \"payroll-api-client-secret\" is still recoverable in kv-contoso-dev."),
    ];
    for (status, body, words) in cases {
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
        h.ok(VaultCall::Push, status, body);
        let p = failed(&h);
        assert!(p.message.starts_with(words), "{}", p.message);
        assert_eq!(h.count(VaultCall::Push), 1);
        assert!(!h.pending(VaultCall::Check), "a refusal is certain");
    }
}

#[test]
fn an_azure_policy_refusal_is_explained_as_policy_and_not_retried() {
    let mut h = pushed();
    h.ok(
        VaultCall::Push,
        403,
        json!({"error": {"code": "RequestDisallowedByPolicy", "message":
            "Resource 'payroll-api-client-secret' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"Vault secrets need a content type\",\"id\":\"/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/a\"}}]'."}}),
    );
    let p = failed(&h);
    assert!(
        p.message.starts_with(
            "An Azure Policy assignment (\"Vault secrets need a content type\") refused this change"
        ),
        "{}",
        p.message
    );
    assert!(
        p.message.contains("It isn't a missing role"),
        "{}",
        p.message
    );
    assert!(
        !p.message.contains("Key Vault Contributor"),
        "{}",
        p.message
    );
    assert!(
        !p.offers(Remedy::TryAgain),
        "the same write meets the same policy"
    );
    assert_eq!(h.count(VaultCall::Push), 1);
    assert!(
        !h.pending(VaultCall::Check),
        "a refusal is certain: nothing to check"
    );
    assert!(p
        .details
        .as_deref()
        .unwrap()
        .starts_with("RequestDisallowedByPolicy · HTTP 403"));
}

#[test]
fn a_409_from_a_concurrent_change_is_sent_again_and_stores_exactly_one_version() {
    // Azure/AzureKeyVault #6: "A conflict occurred … parallel operations". Nothing was applied,
    // so the PUT (which names the secret) is sent again after a backoff.
    let mut h = pushed();
    h.ok(
        VaultCall::Push,
        409,
        json!({"error": {"code": "ConflictError", "message": "A conflict occurred that prevented the operation from completing. This can happen if parallel operations are being performed on the Microsoft.KeyVault.UnifiedStorage.Core.DomainModel.ResourceId."}}),
    );
    let Push::Waiting { secs, .. } = h.v.push else {
        panic!("{:?}", h.v.push)
    };
    assert_eq!(secs, 1);
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "nothing before the wait is over"
    );
    assert!(!h.pending(VaultCall::Check), "a 409 is certain: no check");
    h.fire_timer();
    assert_eq!(h.count(VaultCall::Push), 2);
    h.ok(
        VaultCall::Push,
        200,
        arm_secret("kv-contoso-dev", "payroll-api-client-secret", "v2", KEY_ID),
    );
    assert_eq!(h.stored().len(), 1);
    // Bounded like the other waits: MAX_SENDS conflicts end with the problem, to try later.
    let mut h = pushed();
    for _ in 1..MAX_SENDS {
        h.ok(
            VaultCall::Push,
            409,
            json!({"error": {"code": "Conflict", "message": "Another operation is in progress."}}),
        );
        h.fire_timer();
    }
    h.ok(
        VaultCall::Push,
        409,
        json!({"error": {"code": "Conflict", "message": "Another operation is in progress."}}),
    );
    assert_eq!(h.count(VaultCall::Push), MAX_SENDS as usize);
    let p = failed(&h);
    assert!(p.offers(Remedy::TryAgain), "{p:?}");
    assert!(!p.name_deleted);
}
