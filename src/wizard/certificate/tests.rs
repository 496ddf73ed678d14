//! The certificate's run with canned Graph answers: every existing certificate goes back
//! untouched, an unclear PATCH is looked at (never resent), refusals go back to the form.

use chrono::{TimeZone, Utc};
use serde_json::{json, Value};
use zeroize::Zeroizing;

use super::*;
use crate::net::{HttpResponse, Method};
use crate::runtime::Failure;
use crate::wizard::describe::tests::{config, now};

const THUMB: &str = "0123456789ABCDEF0123456789ABCDEF01234567";

fn order() -> CertificateOrder {
    CertificateOrder {
        common_name: "Onboarding Portal".into(),
        key_size: 2048,
        not_before: Utc.with_ymd_and_hms(2026, 11, 26, 9, 42, 7).unwrap(),
        not_after: Utc.with_ymd_and_hms(2027, 5, 25, 9, 42, 7).unwrap(),
    }
}

fn made() -> Made {
    Made {
        certificate: MadeCertificate {
            der: vec![0x30, 0x03, 0x02, 0x01, 0x01],
            thumbprint: THUMB.into(),
            subject: "CN=Onboarding Portal".into(),
            not_before: order().not_before,
            not_after: order().not_after,
        },
        pem: SecretValue::new(Zeroizing::new(
            "-----BEGIN PRIVATE KEY-----\nMIIEvQ==\n-----END PRIVATE KEY-----\n".into(),
        )),
    }
}

fn state() -> CertificateState {
    let form = DescribeState::new(&config(), "dan@contoso.example", now(), &[]);
    CertificateState::new(order(), form, "https://graph.test", "obj-1")
}

const EARLIER: &str = r#"{"keyCredentials":[{"customKeyIdentifier":"QUJD","displayName":"CN=earlier","endDateTime":"2027-10-01T00:00:00.5Z","key":"c2FuZGJveA==","keyId":"k-earlier","startDateTime":"2026-10-01T00:00:00Z","type":"AsymmetricX509Cert","usage":"Verify"}]}"#;

fn with_new(key_id: &str) -> String {
    let mut v: Value = serde_json::from_str(EARLIER).unwrap();
    v["keyCredentials"].as_array_mut().unwrap().push(json!({
        "customKeyIdentifier": THUMB, "displayName": "CN=Onboarding Portal",
        "endDateTime": "2027-05-25T09:42:07Z", "key": "MAMCAQE=", "keyId": key_id,
        "startDateTime": "2026-11-26T09:42:07Z", "type": "AsymmetricX509Cert", "usage": "Verify"
    }));
    v.to_string()
}

fn sent(effects: &[CertificateEffect]) -> Vec<(CertCall, &HttpRequest)> {
    effects
        .iter()
        .filter_map(|e| match e {
            CertificateEffect::Send(c, r) => Some((*c, r)),
            _ => None,
        })
        .collect()
}

/// Made, read, PATCHed: the state and the PATCH's body.
fn patched() -> (CertificateState, Value) {
    let mut s = state();
    let e = s.update(CertificateMsg::Made(Ok(made())));
    let [(CertCall::Keys, read)] = sent(&e)[..] else {
        panic!("{e:?}")
    };
    assert!(read
        .url
        .ends_with("/applications/obj-1?$select=keyCredentials"));
    assert!(
        s.pem().is_none(),
        "not lent before the certificate is on the app"
    );
    let e = s.answer(CertCall::Keys, Ok(HttpResponse::new(200, EARLIER)));
    let [(CertCall::Patch, patch)] = sent(&e)[..] else {
        panic!("{e:?}")
    };
    assert_eq!(patch.method, Method::Patch);
    let body = serde_json::from_str(patch.body.as_deref().unwrap()).unwrap();
    (s, body)
}

#[test]
fn the_certificate_is_added_beside_the_earlier_ones_then_stored() {
    let (mut s, body) = patched();
    let all = body["keyCredentials"].as_array().unwrap();
    let earlier: Value = serde_json::from_str(EARLIER).unwrap();
    assert_eq!(all[0], earlier["keyCredentials"][0], "kept exactly as read");
    assert_eq!(all[1]["customKeyIdentifier"], THUMB);
    assert_eq!(all[1]["key"], "MAMCAQE=");
    assert_eq!(all[1]["endDateTime"], "2027-05-25T09:42:07Z");
    let e = s.answer(CertCall::Patch, Ok(HttpResponse::new(204, "")));
    assert_eq!(sent(&e)[0].0, CertCall::Verify);
    let e = s.answer(
        CertCall::Verify,
        Ok(HttpResponse::new(200, with_new("k-new"))),
    );
    assert!(matches!(e[..], [CertificateEffect::Store]));
    assert_eq!(s.phase(), &Phase::Storing);
    assert_eq!(s.credential().key_id, "k-new");
    assert!(s
        .pem()
        .unwrap()
        .expose()
        .starts_with("-----BEGIN PRIVATE KEY-----"));
    assert_eq!(s.thumbprint(), Some(THUMB));
    let done = s.finish(None);
    let facts = done.certificate().unwrap();
    assert_eq!(facts.thumbprint, THUMB);
    assert_eq!(facts.not_after, order().not_after);
}

#[test]
fn a_refusal_goes_back_to_the_form_with_the_remedy_and_drops_the_key() {
    let (mut s, _) = patched();
    let denied = HttpResponse::new(
        403,
        r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}}"#,
    );
    let e = s.answer(CertCall::Patch, Ok(denied));
    assert!(matches!(e[..], [CertificateEffect::Back]));
    let form = s.into_form();
    assert!(form
        .problem()
        .unwrap()
        .message
        .contains("can't add certificates"));
}

#[test]
fn an_unclear_patch_is_looked_at_never_resent() {
    let (mut s, _) = patched();
    let e = s.answer(CertCall::Patch, Err(Failure::Network));
    let calls: Vec<CertCall> = sent(&e).iter().map(|(c, _)| *c).collect();
    assert_eq!(calls, [CertCall::Verify], "a read, not another PATCH");
    // The read fails too: unknown, and said so; "check again" reads again.
    let e = s.answer(CertCall::Verify, Err(Failure::Network));
    assert!(e.is_empty());
    assert_eq!(s.phase(), &Phase::Unsure);
    assert!(s.problem().unwrap().message.contains("isn't known"));
    let e = s.update(CertificateMsg::CheckAgain);
    assert_eq!(sent(&e)[0].0, CertCall::Verify);
    // Not there: nothing was added.
    let e = s.answer(CertCall::Verify, Ok(HttpResponse::new(200, EARLIER)));
    assert!(matches!(e[..], [CertificateEffect::Back]));
    assert!(s
        .into_form()
        .problem()
        .unwrap()
        .message
        .contains("nothing was added"));
}

#[test]
fn giving_it_up_sends_the_collection_back_without_it() {
    let (mut s, _) = patched();
    s.answer(CertCall::Patch, Ok(HttpResponse::new(204, "")));
    s.answer(
        CertCall::Verify,
        Ok(HttpResponse::new(200, with_new("k-new"))),
    );
    let e = s.removal();
    assert_eq!(sent(&e)[0].0, CertCall::RemovalKeys);
    let e = s.answer(
        CertCall::RemovalKeys,
        Ok(HttpResponse::new(200, with_new("k-new"))),
    );
    let [CertificateEffect::RemovalPatch(patch)] = &e[..] else {
        panic!("{e:?}")
    };
    let body: Value = serde_json::from_str(patch.body.as_deref().unwrap()).unwrap();
    let earlier: Value = serde_json::from_str(EARLIER).unwrap();
    assert_eq!(
        body, earlier,
        "the earlier certificate, exactly; the new one gone"
    );
    // Already gone: nothing to send.
    let e = s.answer(CertCall::RemovalKeys, Ok(HttpResponse::new(200, EARLIER)));
    assert!(matches!(e[..], [CertificateEffect::AlreadyGone]));
}

#[test]
fn the_browser_failing_goes_back_to_the_form() {
    let mut s = state();
    let e = s.update(CertificateMsg::Made(Err(
        "The browser can't make RSA keys.".into(),
    )));
    assert!(matches!(e[..], [CertificateEffect::Back]));
    assert_eq!(
        s.into_form().problem().unwrap().message,
        "The browser can't make RSA keys."
    );
    // Answers out of turn do nothing.
    let mut s = state();
    assert!(s
        .answer(CertCall::Patch, Ok(HttpResponse::new(204, "")))
        .is_empty());
    assert!(format!("{:?}", made()).contains("redacted"));
}
