use super::*;
use crate::domain::lifetime::LifetimePreset;
use chrono::{FixedOffset, TimeZone};
use serde_json::json;

pub(crate) fn config() -> WizardConfig {
    WizardConfig {
        graph_base: "https://graph.test".into(),
        tenant_id: "t".into(),
        max_lifetime_days: 730,
        default_lifetime_days: 180,
        clipboard_clear_secs: 60,
    }
}

pub(crate) fn now() -> Now {
    FixedOffset::east_opt(3600)
        .unwrap()
        .with_ymd_and_hms(2026, 11, 26, 10, 42, 7)
        .unwrap()
}

pub(crate) fn app() -> Application {
    serde_json::from_value(
        json!({ "id": "obj-1", "appId": "app-1", "displayName": "Payroll API",
        "passwordCredentials": [{ "keyId": "old", "displayName": "payroll-2025" }] }),
    )
    .unwrap()
}

/// A valid form, created: the attempt and its request.
pub(crate) fn attempt() -> (Attempt, HttpRequest) {
    let mut d = DescribeState::new(&config(), "dan@contoso.example", now(), &[]);
    let effects = d.update(DescribeMsg::Create, &config(), &app(), now());
    let [DescribeEffect::Create(attempt, request)] = <[_; 1]>::try_from(effects).unwrap() else {
        panic!("a secret's form makes an attempt");
    };
    (attempt, request)
}

fn update(d: &mut DescribeState, msg: DescribeMsg) -> Vec<DescribeEffect> {
    d.update(msg, &config(), &app(), now())
}

#[test]
fn create_checks_the_form_then_hands_over_the_attempt() {
    let mut d = DescribeState::new(&config(), "dan@contoso.example", now(), &[]);
    assert_eq!(
        d.description(),
        "Created by dan@contoso.example on 2026-11-26 10:42:07 via secret-wizard"
    );
    update(&mut d, DescribeMsg::Description(" ".into()));
    assert!(update(&mut d, DescribeMsg::Create).is_empty());
    assert!(d.description_error().is_some());
    let date = chrono::NaiveDate::from_ymd_opt(2027, 2, 28).unwrap();
    update(&mut d, DescribeMsg::Lifetime(LifetimeChoice::Custom(date)));
    update(&mut d, DescribeMsg::CustomDate("2027-02-30".into()));
    update(&mut d, DescribeMsg::Description("payroll-2026".into()));
    assert!(update(&mut d, DescribeMsg::Create).is_empty());
    assert!(d.lifetime_error().is_some(), "an impossible date");
    let choice = LifetimeChoice::Preset(LifetimePreset::Days90);
    update(&mut d, DescribeMsg::Lifetime(choice));
    let [DescribeEffect::Create(ninety, _)] =
        <[_; 1]>::try_from(update(&mut d, DescribeMsg::Create)).unwrap()
    else {
        panic!("a secret's form makes an attempt");
    };
    assert_eq!(ninety.days(), 90);
    assert_eq!(ninety.sent().display_name, "payroll-2026");
    assert_eq!(d.lifetime_error(), None);
    let (attempt, request) = attempt();
    assert!(
        request.url.ends_with("/applications/obj-1/addPassword"),
        "{}",
        request.url
    );
    assert_eq!(
        attempt.sent().start.to_rfc3339(),
        "2026-11-26T09:42:07+00:00"
    );
    assert_eq!(attempt.days(), 180, "the default lifetime");
    // The attempt remembers the app's credentials: only a new keyId can be its secret.
    let mut later = app();
    let mut same = later.password_credentials[0].clone();
    same.display_name = Some(attempt.sent().display_name.clone());
    same.start_date_time = Some(attempt.sent().start);
    same.end_date_time = Some(attempt.sent().end);
    later.password_credentials = vec![same.clone()];
    assert!(attempt.created_in(&later).is_empty());
    same.key_id = "new".into();
    later.password_credentials.push(same);
    assert_eq!(attempt.created_in(&later).len(), 1);
}

#[test]
fn a_certificate_asks_for_its_subject_and_key_size_and_hands_over_an_order() {
    let mut d = DescribeState::new(&config(), "dan@contoso.example", now(), &[]);
    assert_eq!(d.kind(), CredentialKind::Secret, "a secret is preselected");
    assert_eq!(d.subject(), "");
    update(&mut d, DescribeMsg::Kind(CredentialKind::Certificate));
    assert_eq!(
        d.subject(),
        "Payroll API",
        "the subject defaults to the app's name"
    );
    update(&mut d, DescribeMsg::KeySize(4096));
    assert_eq!(d.key_size(), 2048, "only the offered sizes");
    update(&mut d, DescribeMsg::KeySize(3072));
    update(&mut d, DescribeMsg::Subject(" ".into()));
    assert!(update(&mut d, DescribeMsg::Create).is_empty());
    assert!(d.subject_error().is_some());
    update(
        &mut d,
        DescribeMsg::Subject("payroll.contoso.example".into()),
    );
    let [DescribeEffect::Certificate(order, form)] =
        <[_; 1]>::try_from(update(&mut d, DescribeMsg::Create)).unwrap()
    else {
        panic!("a certificate's form makes an order");
    };
    assert_eq!(order.common_name, "payroll.contoso.example");
    assert_eq!(order.key_size, 3072);
    assert_eq!(order.not_before.to_rfc3339(), "2026-11-26T09:42:07+00:00");
    assert_eq!((order.not_after - order.not_before).num_days(), 180);
    assert_eq!(
        form.kind(),
        CredentialKind::Certificate,
        "the form to come back to"
    );
    // The subject isn't replaced once there, and the secret's form is as it was.
    update(&mut d, DescribeMsg::Kind(CredentialKind::Secret));
    update(&mut d, DescribeMsg::Kind(CredentialKind::Certificate));
    assert_eq!(d.subject(), "payroll.contoso.example");
    update(&mut d, DescribeMsg::Kind(CredentialKind::Secret));
    assert!(matches!(
        update(&mut d, DescribeMsg::Create)[..],
        [DescribeEffect::Create(..)]
    ));
}
