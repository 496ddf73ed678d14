//! The value through a failing push: given up only after confirmation, never quoted, never sent
//! without the show-once context, and scrubbed from service text.

use super::push_errors::{failed, pushed};
use super::*;

#[test]
fn giving_up_removes_the_credential_after_confirmation() {
    let mut h = pushed();
    h.msg(VaultMsg::RemoveCredential);
    assert!(!h.v.confirm_remove, "only offered once storing failed");
    h.ok(
        VaultCall::Push,
        403,
        json!({"error": {"code": "AuthorizationFailed", "message": "x"}}),
    );
    h.msg(VaultMsg::RemoveCredential);
    assert!(h.v.confirm_remove);
    h.msg(VaultMsg::CancelRemove);
    assert!(!h.pending(VaultCall::RemoveCredential));
    h.msg(VaultMsg::RemoveCredential);
    h.msg(VaultMsg::ConfirmRemove);
    let req = h.request(VaultCall::RemoveCredential);
    assert_eq!(
        req.url,
        format!("{GRAPH}/v1.0/applications/{APP_OBJECT}/removePassword")
    );
    assert_eq!(
        h.body(VaultCall::RemoveCredential),
        json!({"keyId": KEY_ID})
    );
    h.answer(VaultCall::RemoveCredential, Err(Failure::Network));
    assert!(
        h.v.remove_problem.is_some(),
        "a failed removal is explained"
    );
    h.msg(VaultMsg::RemoveCredential);
    h.msg(VaultMsg::ConfirmRemove);
    h.answer(VaultCall::RemoveCredential, Ok(HttpResponse::new(204, "")));
    assert!(h
        .other
        .iter()
        .any(|e| matches!(e, VaultEffect::CredentialRemoved { key_id } if key_id == KEY_ID)));
    assert_eq!(h.v.push, Push::Idle);
}

#[test]
fn an_answer_that_echoes_the_value_is_never_quoted() {
    // A proxy's error page replaying the request, and a JSON error quoting it.
    let html = format!(
        "<html><body>Bad request: {{\"properties\":{{\"value\":\"{SECRET}\"}}}}</body></html>"
    );
    for (status, body) in [
        (400, html.clone()),
        (418, html),
        (
            400,
            json!({"error": {"code": SECRET, "message": SECRET}}).to_string(),
        ),
    ] {
        let mut h = pushed();
        h.answer(VaultCall::Push, Ok(HttpResponse::new(status, body)));
        let p = failed(&h);
        assert!(!p.message.contains(SECRET), "{}", p.message);
        assert!(
            !p.details.clone().unwrap_or_default().contains(SECRET),
            "{:?}",
            p.details
        );
        assert!(!h.debug_dump().contains(SECRET));
        assert!(p.details.is_some(), "still says something for the admin");
    }
}

#[test]
fn without_the_show_once_context_nothing_can_be_sent() {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.ready_on_dev();
    h.msg(VaultMsg::Store);
    assert!(!h.pending(VaultCall::Push));
}

/// True when `text` holds no 8-character run of the test value.
fn no_run_of_the_value(text: &str) -> bool {
    let chars: Vec<char> = SECRET.chars().collect();
    chars
        .windows(8)
        .all(|w| !text.contains(&w.iter().collect::<String>()))
}

#[test]
fn service_text_that_quotes_part_of_the_value_is_scrubbed_before_it_is_shown() {
    // ARM names the policy from its answer; something in between echoed part of the body
    // into it.
    let mut h = pushed();
    h.answer(
        VaultCall::Push,
        Ok(res(403, json!({"error": {"code": "RequestDisallowedByPolicy", "message":
            "Resource 'payroll-api-client-secret' was disallowed by policy. Policy identifiers: '[{\"policyAssignment\":{\"name\":\"no s3cr3t.VALUE-never here\",\"id\":\"/subscriptions/x/providers/Microsoft.Authorization/policyAssignments/a\"}}]'."}}))),
    );
    let p = failed(&h);
    assert!(p.message.contains("Azure Policy"), "{}", p.message);
    assert!(p.message.contains("no [hidden] here"), "{}", p.message);
    assert!(no_run_of_the_value(&p.message));

    // The data plane: a code and a message that quote the value across two parts.
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
    h.answer(
        VaultCall::Push,
        Ok(res(
            400,
            json!({"error": {"code": "BadParameter-VALUE-never-log",
                   "message": "value Zq8~s3cr3t. then -log-me_0123456789 rejected",
                   "innererror": {"code": "me_01234567"}}}),
        )),
    );
    let p = failed(&h);
    let details = p.details.clone().unwrap_or_default();
    assert!(
        no_run_of_the_value(&p.message) && no_run_of_the_value(&details),
        "{} / {details}",
        p.message
    );
    assert!(details.contains("[hidden]"), "{details}");

    // A gateway that wrote elsewhere, under a name made of the value, is scrubbed too.
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
    h.ok(
        VaultCall::Push,
        200,
        json!({"id": "https://kv-contoso-prod.vault.test/secrets/VALUE-never-log-me/ab12"}),
    );
    let p = failed(&h);
    assert!(p.message.contains("as \"[hidden]\""), "{}", p.message);
    assert!(no_run_of_the_value(&p.message));
    assert!(no_run_of_the_value(
        p.details.as_deref().unwrap_or_default()
    ));
}
