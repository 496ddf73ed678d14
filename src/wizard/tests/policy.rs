//! The organisation's app management policy: read beforehand with `Policy.Read.All`, learned
//! from Graph's refusals otherwise, and never a number the policy didn't state.

use chrono::Duration;
use serde_json::{json, Value};

use super::*;
use crate::domain::lifetime::{LifetimeChoice, LifetimePreset};
use crate::wizard::{Access, PolicyView, Step};

const WITH_POLICY_READ: [&str; 3] = ["Application.ReadWrite.All", "User.Read", "Policy.Read.All"];

fn granted(list: &[&str]) -> Msg {
    Msg::GraphPermissions(list.iter().map(|s| (*s).to_string()).collect())
}

/// Policy Restricted Service: created 2024-06-03, owned by Dan.
fn restricted() -> Value {
    let n = utc(now());
    let mut a = app(
        PAYROLL,
        "Policy Restricted Service",
        "AzureADMyOrg",
        vec![secret(
            "aaaaaaaa-0000-4000-8000-0000000000aa",
            "restricted",
            n - Duration::days(30),
            n + Duration::days(90),
        )],
    );
    a["createdDateTime"] = json!("2024-06-03T09:30:00Z");
    a
}

/// The sandbox's tenant default: P180D for apps created on or after 2024-01-01.
fn default_p180d() -> Value {
    json!({
        "id": "00000000-0000-0000-0000-000000000000",
        "displayName": "Default app management tenant policy",
        "isEnabled": true,
        "applicationRestrictions": {"passwordCredentials": [{
            "restrictionType": "passwordLifetime", "state": "enabled", "maxLifetime": "P180D",
            "restrictForAppsCreatedAfterDateTime": "2024-01-01T00:00:00Z", "excludeActors": null}],
            "keyCredentials": []},
        "servicePrincipalRestrictions": {"passwordCredentials": [], "keyCredentials": []}
    })
}

fn no_secrets_policy() -> Value {
    json!({"value": [{
        "id": "c3d4e5f6-0a1b-4c2d-8e3f-9a0b1c2d3e4f", "displayName": "No client secrets",
        "isEnabled": true,
        "restrictions": {"passwordCredentials": [{
            "restrictionType": "passwordAddition", "state": "enabled", "maxLifetime": null,
            "restrictForAppsCreatedAfterDateTime": "2024-01-01T00:00:00Z"}], "keyCredentials": []}
    }]})
}

fn describe(h: &Harness) -> &crate::wizard::DescribeState {
    match h.w.step() {
        Step::Describe(d) => d,
        other => panic!("expected Describe, got {other:?}"),
    }
}

/// Signed in as Ada (an admin), with `permissions` granted, Policy Restricted Service open.
fn ada_with(permissions: &[&str]) -> Harness {
    let mut h = Harness::new(config());
    let rest = h.send(Msg::Start);
    assert!(
        rest.iter()
            .any(|e| matches!(e, Effect::ReadGraphPermissions)),
        "the start asks which permissions were granted"
    );
    h.ok(Call::Me, 200, me(ADA, "ada@contoso.example"));
    // An Application Administrator by the sign-in's wids (domain::access).
    h.send(Msg::TokenRoles(vec![APPLICATION_ADMINISTRATOR.into()]));
    h.send(granted(permissions));
    h.open_app(restricted(), owners(&[dan_owner()]));
    h
}

#[test]
fn with_policy_read_all_the_limit_is_known_before_creating() {
    let mut h = ada_with(&WITH_POLICY_READ);
    assert_eq!(
        h.request(Call::DefaultPolicy).url,
        format!("{GRAPH}/v1.0/policies/defaultAppManagementPolicy")
    );
    assert_eq!(
        h.request(Call::AppPolicies).url,
        format!("{GRAPH}/v1.0/applications/{PAYROLL}/appManagementPolicies")
    );
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(
        describe(&h).policy_reading(),
        "lifetimes wait for the policy"
    );
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(
        h.count(Call::AddPassword),
        0,
        "nothing is sent while it is read"
    );

    h.ok(Call::DefaultPolicy, 200, default_p180d());
    h.ok(Call::AppPolicies, 200, json!({"value": []}));
    let d = describe(&h);
    assert!(!d.policy_reading());
    assert_eq!(d.max_days(h.w.config()), 180);
    assert_eq!(
        d.presets(h.w.config()),
        vec![LifetimePreset::Days90, LifetimePreset::Days180]
    );
    assert_eq!(
        d.limit_sentence(h.w.config()),
        "Your organisation's policy allows secrets for this app to last at most 180 days."
    );
    // The default (2 years, config) nobody picked is clipped to the policy.
    assert_eq!(d.choice(), LifetimeChoice::Preset(LifetimePreset::Days180));

    // A year is caught before sending, with the policy's own number.
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Year1),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 0);
    assert_eq!(
        describe(&h).lifetime_error(),
        Some(
            "Your organisation's policy allows secrets for this app to last at most 180 days. \
             Choose 25 May 2027 or earlier."
        )
    );
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Days180),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1);
    let req = h.request(Call::AddPassword).clone();
    assert_eq!(
        body(&req)["passwordCredential"]["endDateTime"],
        "2027-05-25T09:42:07Z"
    );
}

#[test]
fn the_sites_own_cap_still_applies_when_smaller() {
    let mut cfg = config();
    cfg.max_lifetime_days = 90;
    cfg.default_lifetime_days = 90;
    let mut h = Harness::new(cfg);
    h.signed_in(ADA, "ada@contoso.example", true);
    h.send(granted(&WITH_POLICY_READ));
    h.open_app(restricted(), owners(&[dan_owner()]));
    h.ok(Call::DefaultPolicy, 200, default_p180d());
    h.ok(Call::AppPolicies, 200, json!({"value": []}));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe(&h);
    assert_eq!(d.max_days(h.w.config()), 90);
    assert_eq!(
        d.limit_sentence(h.w.config()),
        "Secrets here can last at most 90 days."
    );
}

#[test]
fn without_the_permission_nothing_is_read_and_nothing_is_assumed() {
    let mut h = ada_with(&["Application.ReadWrite.All", "User.Read"]);
    assert_eq!(h.count(Call::DefaultPolicy), 0);
    assert_eq!(h.count(Call::AppPolicies), 0);
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe(&h);
    assert_eq!(d.max_days(h.w.config()), 730);
    assert_eq!(d.presets(h.w.config()).len(), 5);
    assert_eq!(
        d.limit_sentence(h.w.config()),
        "Secrets here can last at most 730 days."
    );
    // Not knowing the permissions at all is the same.
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(restricted(), owners(&[dan_owner()]));
    assert_eq!(h.count(Call::DefaultPolicy), 0);
}

#[test]
fn a_refused_read_is_silent_and_leaves_the_policy_unknown() {
    // Dan with Policy.Read.All but no role that may read policies: Graph answers 403.
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.send(granted(&WITH_POLICY_READ));
    h.open_app(restricted(), owners(&[dan_owner()]));
    let denied = graph_error(
        "Authorization_RequestDenied",
        "Insufficient privileges to complete the operation.",
    );
    h.ok(Call::DefaultPolicy, 403, denied.clone());
    h.ok(Call::AppPolicies, 403, denied);
    let ctx = h.w.review().unwrap();
    assert_eq!(
        ctx.policy().view(ctx.app().created_date_time),
        PolicyView::Unknown
    );
    assert_eq!(
        ctx.problem(),
        None,
        "no error for a permission that isn't there"
    );
    assert!(h.w.can_create());
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe(&h);
    assert!(d.problem().is_none());
    assert_eq!(d.max_days(h.w.config()), 730);
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1, "Graph decides");
}

#[test]
fn permissions_known_after_the_app_opened_still_read_the_policy() {
    let mut h = Harness::new(config());
    h.signed_in(ADA, "ada@contoso.example", true);
    h.open_app(restricted(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert_eq!(h.count(Call::DefaultPolicy), 0);
    h.send(granted(&WITH_POLICY_READ));
    assert_eq!(h.count(Call::DefaultPolicy), 1);
    h.ok(Call::DefaultPolicy, 200, default_p180d());
    h.ok(Call::AppPolicies, 200, json!({"value": []}));
    assert_eq!(describe(&h).max_days(h.w.config()), 180);
    // Back to the app and again: not read twice.
    h.send(Msg::Leave(crate::wizard::Leave::BackToApp));
    assert_eq!(h.count(Call::DefaultPolicy), 1);
}

#[test]
fn a_policy_that_blocks_secrets_known_beforehand_offers_no_create() {
    let mut h = ada_with(&WITH_POLICY_READ);
    h.ok(Call::DefaultPolicy, 200, default_p180d());
    h.ok(Call::AppPolicies, 200, no_secrets_policy());
    assert!(matches!(h.w.access(), Access::Can(_)));
    assert!(!h.w.can_create());
    let ctx = h.w.review().unwrap();
    assert_eq!(
        ctx.policy()
            .blocked_message(ctx.app().created_date_time)
            .as_deref(),
        Some(
            "Your organisation's policy for this app (“No client secrets”) doesn't allow new \
             client secrets for this app. Use a certificate or a federated credential instead; \
             an administrator of your organisation can tell you which."
        )
    );
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    assert!(matches!(h.w.step(), Step::Review), "Create is not offered");
}

#[test]
fn a_refused_secret_is_said_plainly_and_create_is_no_longer_offered() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(restricted(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.answer(
        Call::AddPassword,
        Ok(crate::net::HttpResponse::new(
            400,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/tests/fixtures/graph/error-400-policy-blocks-secrets.json"
            )),
        )),
    );
    let d = describe(&h);
    let problem = d.problem().unwrap();
    assert_eq!(
        problem.message,
        "Your organisation's policy doesn't allow new client secrets for this app. Use a \
         certificate or a federated credential instead; an administrator of your organisation \
         can tell you which."
    );
    assert!(problem
        .details
        .as_deref()
        .unwrap()
        .contains("Graph: “Credential type not allowed as per assigned policy"));
    assert!(d.policy_blocker().is_some());
    h.send(Msg::Describe(DescribeMsg::Create));
    assert_eq!(h.count(Call::AddPassword), 1, "not tried again");
    assert!(!h.w.can_create());
    h.send(Msg::Leave(crate::wizard::Leave::BackToApp));
    h.ok(Call::App, 200, restricted());
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    assert!(!h.w.can_create(), "remembered for this app");
}

#[test]
fn a_lifetime_refusal_is_remembered_for_the_app_and_only_shorter_ones_are_offered() {
    let mut h = Harness::new(config());
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(restricted(), owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Months18),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        400,
        graph_error(
            "CredentialInvalidLifetimeAsPerAppPolicy",
            "Credential lifetime exceeds the max value allowed as per assigned policy '00000000-0000-0000-0000-000000000000'.",
        ),
    );
    assert_eq!(
        describe(&h).presets(h.w.config()),
        vec![
            LifetimePreset::Days90,
            LifetimePreset::Days180,
            LifetimePreset::Year1
        ]
    );
    h.send(Msg::Describe(DescribeMsg::Lifetime(
        LifetimeChoice::Preset(LifetimePreset::Year1),
    )));
    h.send(Msg::Describe(DescribeMsg::Create));
    h.ok(
        Call::AddPassword,
        400,
        graph_error("CredentialInvalidLifetimeAsPerAppPolicy", "x"),
    );
    let d = describe(&h);
    assert_eq!(d.max_days(h.w.config()), 364);
    assert!(d
        .problem()
        .as_ref()
        .unwrap()
        .message
        .contains("to last 1 year,"));
    // A fresh Describe for the same app still knows.
    h.send(Msg::Leave(crate::wizard::Leave::BackToApp));
    h.ok(Call::App, 200, restricted());
    h.ok(Call::Owners, 200, owners(&[dan_owner()]));
    h.send(Msg::Review(ReviewMsg::StartDescribe));
    let d = describe(&h);
    assert_eq!(d.max_days(h.w.config()), 364);
    assert_eq!(
        d.choice(),
        LifetimeChoice::Custom(now().date_naive() + Duration::days(364))
    );
    assert!(d.problem().is_none());
}
