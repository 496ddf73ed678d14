//! Pushing the secret: the request as the specs define it, the result, and retries that never
//! store two versions for one click.

use serde_json::json;

use super::*;
use crate::arm::schema::{Mode, Spec};
use crate::domain::tags::check_tags;
use crate::net::{Method, Resource};

fn ready() -> Harness {
    let mut h = Harness::new(config(VaultMode::Arm));
    h.ready_on_dev();
    h.on_show_once = true;
    h
}

fn created(version: &str) -> Value {
    arm_secret(
        "kv-contoso-dev",
        "payroll-api-client-secret",
        version,
        KEY_ID,
    )
}

#[test]
fn dan_stores_through_arm_with_exp_tags_and_content_type() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    let req = h.request(VaultCall::Push);
    assert_eq!(req.method, Method::Put);
    assert_eq!(req.resource, Resource::Arm);
    assert_eq!(
        req.url,
        format!(
            "{ARM}{}/secrets/payroll-api-client-secret?api-version=2025-05-01",
            dev_id()
        )
    );
    assert!(
        !format!("{req:?}").contains(SECRET),
        "Debug never prints the body"
    );
    let body = h.body(VaultCall::Push);
    assert_eq!(body["properties"]["value"], SECRET);
    assert_eq!(body["properties"]["contentType"], CONTENT_TYPE);
    assert_eq!(body["properties"]["attributes"]["exp"], end().timestamp());
    assert_eq!(body["properties"]["attributes"]["nbf"], start().timestamp());
    assert_eq!(body["properties"]["attributes"]["enabled"], true);
    let tags = body["tags"].as_object().unwrap();
    assert_eq!(tags["AppDisplayName"], "Payroll API");
    assert_eq!(tags["ClientId"], CLIENT_ID);
    assert_eq!(tags["AppObjectId"], APP_OBJECT);
    assert_eq!(tags["CredentialId"], KEY_ID);
    assert_eq!(tags["ProviderAddress"], APP_OBJECT);
    assert_eq!(tags["ValidityPeriodDays"], "180");
    assert_eq!(tags["CreatedBy"], "dan@contoso.example");
    let as_tags = tags
        .iter()
        .map(|(k, v)| (k.clone(), v.as_str().unwrap().to_string()))
        .collect();
    assert_eq!(check_tags(&as_tags), Ok(()), "within Key Vault's limits");
    let errors = Spec::new("keyvault-arm-2025-05-01").check(
        "secrets.json",
        "SecretCreateOrUpdateParameters",
        &body,
        Mode::Request,
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert!(h.v.push.in_progress());

    h.ok(VaultCall::Push, 201, created("7f3b"));
    let stored = h.stored();
    assert_eq!(stored.len(), 1);
    let s = stored[0];
    assert_eq!(
        s.uri_with_version,
        "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/7f3b"
    );
    assert_eq!(s.version(), "7f3b");
    assert_eq!(s.path, WritePath::Arm);
    assert_eq!(
        s.app_service_reference().as_deref(),
        Some("@Microsoft.KeyVault(SecretUri=https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/7f3b)")
    );
    assert_eq!(
        s.az_command().as_deref(),
        Some("az keyvault secret show --id 'https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/7f3b' --query value -o tsv")
    );
    assert_eq!(
        env_lines(CLIENT_ID, TENANT),
        format!("AZURE_CLIENT_ID={CLIENT_ID}\nAZURE_TENANT_ID={TENANT}")
    );
    // Once stored, nothing more is sent and the target is fixed.
    h.msg(VaultMsg::Store);
    h.msg(VaultMsg::NameInput("other".into()));
    assert_eq!(h.count(VaultCall::Push), 1);
    assert_eq!(h.v.name.text, "payroll-api-client-secret");
    assert!(!h.debug_dump().contains(SECRET));
}

#[test]
fn data_plane_mode_sends_the_same_content_to_the_vault_uri() {
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
    let req = h.request(VaultCall::Push);
    assert_eq!(req.resource, Resource::KeyVault);
    assert_eq!(
        req.url,
        "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret?api-version=7.5"
    );
    let body = h.body(VaultCall::Push);
    assert_eq!(body["value"], SECRET);
    assert_eq!(body["contentType"], CONTENT_TYPE);
    assert_eq!(body["attributes"]["exp"], end().timestamp());
    assert_eq!(body["tags"]["CredentialId"], KEY_ID);
    let errors = Spec::new("keyvault-7.5").check(
        "secrets.json",
        "SecretSetParameters",
        &body,
        Mode::Request,
    );
    assert!(errors.is_empty(), "{errors:?}");
    h.ok(
        VaultCall::Push,
        200,
        json!({ "value": SECRET, "contentType": CONTENT_TYPE,
                "id": "https://kv-contoso-dev.vault.test/secrets/payroll-api-client-secret/ab12",
                "attributes": {"enabled": true, "exp": end().timestamp()} }),
    );
    let s = h.stored()[0].clone();
    assert_eq!(s.path, WritePath::DataPlane);
    assert_eq!(s.version(), "ab12");
    assert_eq!(s.expires, Some(end()));
    assert!(
        !h.debug_dump().contains(SECRET),
        "the echoed value is not kept"
    );
}

#[test]
fn a_429_waits_for_retry_after_then_stores_exactly_one_version() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    h.answer(
        VaultCall::Push,
        Ok(res(
            429,
            json!({"error": {"code": "TooManyRequests", "message": "Retry later."}}),
        )
        .with_header("Retry-After", "1")),
    );
    match &h.v.push {
        Push::Waiting { secs, service, .. } => {
            assert_eq!(*secs, 1);
            assert_eq!(
                problem::retrying(service, *secs),
                "Azure Resource Manager is busy; retrying in 1 s…"
            );
        }
        other => panic!("expected Waiting, got {other:?}"),
    }
    assert_eq!(h.timers().last().unwrap().1, 1000);
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "nothing is sent before the wait is over"
    );
    h.msg(VaultMsg::Store);
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "a click while waiting does nothing"
    );
    h.fire_timer();
    assert_eq!(h.count(VaultCall::Push), 2);
    assert_eq!(h.body(VaultCall::Push)["properties"]["value"], SECRET);
    h.ok(VaultCall::Push, 201, created("v1"));
    assert_eq!(h.stored().len(), 1);
    assert!(
        !h.pending(VaultCall::Check),
        "a 429 is certain: no check needed"
    );
}

#[test]
fn the_executor_never_repeats_a_vault_write_by_itself() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    let put = h.request(VaultCall::Push);
    assert_eq!(executor_policy(put), crate::retry::RetryPolicy::once());
    let get = h.request(VaultCall::NameExists);
    assert_eq!(
        executor_policy(get),
        crate::retry::RetryPolicy::for_method(Method::Get)
    );
}

#[test]
fn retries_are_bounded() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    for _ in 1..MAX_SENDS {
        h.answer(
            VaultCall::Push,
            Ok(res(
                503,
                json!({"error": {"code": "ServiceUnavailable", "message": "busy"}}),
            )
            .with_header("Retry-After", "30")),
        );
        let Push::Waiting { secs, .. } = h.v.push else {
            panic!("{:?}", h.v.push)
        };
        assert_eq!(secs, crate::retry::MAX_WAIT_SECS, "long waits are capped");
        h.fire_timer();
    }
    assert_eq!(h.count(VaultCall::Push), MAX_SENDS as usize);
    h.ok(
        VaultCall::Push,
        503,
        json!({"error": {"code": "ServiceUnavailable", "message": "busy"}}),
    );
    let p =
        h.v.push
            .failed()
            .expect("failed after the last send")
            .clone();
    assert!(p.message.contains("still busy"), "{}", p.message);
    assert!(p.offers(Remedy::TryAgain));
    // The user's own "Try again" is a new click with its own sends.
    h.msg(VaultMsg::Store);
    assert_eq!(h.count(VaultCall::Push), MAX_SENDS as usize + 1);
}

#[test]
fn a_lost_answer_is_checked_and_never_sent_twice_when_it_arrived() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    h.lost(VaultCall::Push);
    assert!(matches!(h.v.push, Push::Checking { .. }));
    let check = h.request(VaultCall::Check);
    assert_eq!(check.method, Method::Get);
    assert!(check.body.is_none());
    assert!(check
        .url
        .contains("/secrets/payroll-api-client-secret?api-version="));
    h.ok(VaultCall::Check, 200, created("found1"));
    assert_eq!(h.count(VaultCall::Push), 1);
    assert_eq!(h.stored()[0].version(), "found1");
}

#[test]
fn a_lost_answer_that_did_not_arrive_is_explained_and_the_value_kept() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    h.lost(VaultCall::Push);
    // The latest version belongs to another credential: ours did not arrive.
    h.ok(
        VaultCall::Check,
        200,
        arm_secret(
            "kv-contoso-dev",
            "payroll-api-client-secret",
            "old",
            "other",
        ),
    );
    let p = h.v.push.failed().unwrap().clone();
    assert!(
        p.message.starts_with(
            "The connection dropped before the secret reached kv-contoso-dev; it was not stored."
        ),
        "{}",
        p.message
    );
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "no automatic resend after a network loss"
    );
    assert!(h.stored().is_empty());
    h.msg(VaultMsg::Store);
    assert_eq!(
        h.count(VaultCall::Push),
        2,
        "known not stored: Try again sends"
    );
}

#[test]
fn when_even_the_check_fails_the_next_click_checks_first() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    h.lost(VaultCall::Push);
    h.lost(VaultCall::Check);
    match &h.v.push {
        Push::Failed { problem, unsure } => {
            assert!(unsure);
            assert!(
                problem.message.contains("we look in the vault first"),
                "{}",
                problem.message
            );
        }
        other => panic!("{other:?}"),
    }
    h.msg(VaultMsg::Store);
    assert_eq!(h.count(VaultCall::Push), 1, "looked first");
    assert_eq!(h.count(VaultCall::Check), 2);
    h.ok(VaultCall::Check, 200, created("there"));
    assert_eq!(h.count(VaultCall::Push), 1);
    assert_eq!(h.stored().len(), 1);
}

#[test]
fn an_unsure_5xx_is_checked_then_resent_only_if_absent() {
    let mut h = ready();
    h.msg(VaultMsg::Store);
    h.ok(
        VaultCall::Push,
        502,
        json!({"error": {"code": "BadGateway", "message": "x"}}),
    );
    assert!(h.pending(VaultCall::Check));
    assert_eq!(
        h.count(VaultCall::Push),
        1,
        "unsure: no resend before the check"
    );
    h.ok(
        VaultCall::Check,
        404,
        json!({"error": {"code": "ResourceNotFound", "message": "x"}}),
    );
    assert_eq!(h.count(VaultCall::Push), 2, "absent: sent again");
    h.ok(
        VaultCall::Push,
        500,
        json!({"error": {"code": "InternalServerError", "message": "x"}}),
    );
    h.ok(VaultCall::Check, 200, created("second"));
    assert_eq!(h.count(VaultCall::Push), 2, "present: not sent again");
    assert_eq!(h.stored()[0].version(), "second");
}
