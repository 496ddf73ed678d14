//! Zeroisation: the types that hold the value wipe themselves, and every buffer that held it
//! is wiped before it is freed (checked by the watching allocator).

use secret_wizard::graph;
use secret_wizard::keyvault;
use secret_wizard::net::{HttpRequest, HttpResponse};
use zeroize::{ZeroizeOnDrop, Zeroizing};

use super::watch::Watched;
use super::{add_password_body, exact, secret, vault_writes, SECRET};

fn zeroize_on_drop<T: ZeroizeOnDrop>(_: &T) {}

#[test]
fn bodies_are_zeroising_types() {
    // Compile-time: these fields wipe themselves when dropped.
    let s = secret();
    for req in vault_writes(&s) {
        zeroize_on_drop(req.body.as_ref().expect("a body"));
    }
    zeroize_on_drop(&HttpResponse::new(200, String::new()).body);
}

#[test]
fn the_watch_tells_a_wiped_buffer_from_a_plain_one() {
    let plain = exact(SECRET);
    let watch = Watched::of(&plain);
    assert_eq!(watch.wiped(), None, "alive");
    drop(plain);
    assert_eq!(
        watch.wiped(),
        Some(false),
        "a plain String is freed with its bytes"
    );

    let zeroizing = Zeroizing::new(exact(SECRET));
    let watch = Watched::of(&zeroizing);
    drop(zeroizing);
    assert_eq!(watch.wiped(), Some(true));
}

#[test]
fn secret_value_wipes_its_buffer_when_dropped() {
    let s = secret();
    let watch = Watched::of(s.expose());
    let shared = std::rc::Rc::new(s);
    let clone = shared.clone();
    drop(shared);
    assert_eq!(watch.wiped(), None, "still shared");
    drop(clone);
    assert_eq!(watch.wiped(), Some(true), "the last owner wiped it");
}

#[test]
fn add_password_parsing_wipes_the_response_and_keeps_one_wiping_copy() {
    let body = exact(&add_password_body(SECRET));
    let response_buffer = Watched::of(&body);
    let created = graph::parse_add_password(HttpResponse::new(201, body)).unwrap();
    assert_eq!(
        response_buffer.wiped(),
        Some(true),
        "the response body was wiped once parsed"
    );
    let value_buffer = Watched::of(created.secret.expose());
    drop(created);
    assert_eq!(
        value_buffer.wiped(),
        Some(true),
        "the value's own buffer is wiped on drop"
    );
}

#[test]
fn vault_write_bodies_and_answers_are_wiped() {
    let s = secret();
    for req in vault_writes(&s) {
        let body = Watched::of(req.body.as_deref().unwrap());
        let copy = req.clone();
        let copied = Watched::of(copy.body.as_deref().unwrap());
        drop(req);
        drop(copy);
        assert_eq!(body.wiped(), Some(true), "the request body is wiped");
        assert_eq!(copied.wiped(), Some(true), "so is a clone of it");
    }
    // Key Vault's SetSecret answer echoes the value; parsing consumes and wipes it.
    let echo = exact(&format!(
        r#"{{"value":"{SECRET}","id":"https://kv-contoso-dev.vault.test/secrets/n/0123456789abcdef0123456789abcdef","attributes":{{"enabled":true,"created":1790000000,"updated":1790000000,"recoveryLevel":"Recoverable+Purgeable"}},"tags":{{}}}}"#
    ));
    let answer = Watched::of(&echo);
    let stored = keyvault::parse_set_secret(HttpResponse::new(200, echo)).expect("a stored secret");
    assert_eq!(answer.wiped(), Some(true), "the echoed value was wiped");
    assert!(!format!("{stored:?}").contains(SECRET));
}

#[test]
fn the_wizard_never_prints_the_value_and_wipes_it_on_finish() {
    use chrono::TimeZone;
    use secret_wizard::wizard::{
        Call, ChooseMsg, DescribeMsg, Effect, Leave, Msg, ReviewMsg, ShowOnceMsg, Wizard,
        WizardConfig,
    };
    let config = WizardConfig {
        graph_base: "https://graph.test".into(),
        tenant_id: "8d2c7e1a-4b5f-4c1e-9a3d-5e6f7a8b9c0d".into(),
        max_lifetime_days: 730,
        default_lifetime_days: 180,
        clipboard_clear_secs: 60,
    };
    let now = chrono::FixedOffset::east_opt(3600).unwrap();
    let now = now.with_ymd_and_hms(2026, 11, 26, 10, 42, 7).unwrap();
    let dan = "d0d0d0d0-0000-4000-8000-00000000da11";
    let app = serde_json::json!({ "id": "11111111-1111-4111-8111-111111111111",
        "appId": "22222222-2222-4222-8222-222222222222", "displayName": "Payroll API",
        "signInAudience": "AzureADMyOrg", "passwordCredentials": [], "keyCredentials": [] });
    let mut w = Wizard::new(config, 7);
    let mut sent: Vec<(Call, u64, HttpRequest)> = Vec::new();
    let mut printed = String::new();
    let mut step = |w: &mut Wizard, msg: Msg, sent: &mut Vec<_>| {
        for effect in w.update(msg, now) {
            printed.push_str(&format!("{effect:?}"));
            if let Effect::Send { call, seq, request } = effect {
                sent.push((call, seq, request));
            }
        }
        printed.push_str(&format!("{w:?}"));
        assert!(!printed.contains(SECRET), "the wizard printed the value");
    };
    let answer = |sent: &[(Call, u64, HttpRequest)], call: Call, body: String| {
        let (_, seq, _) = sent.iter().rev().find(|(c, ..)| *c == call).expect("sent");
        let outcome = Ok(HttpResponse::new(200, body));
        Msg::Response {
            call,
            seq: *seq,
            outcome,
        }
    };
    step(&mut w, Msg::Start, &mut sent);
    let me = serde_json::json!({ "id": dan, "userPrincipalName": "dan@contoso.example" });
    for (call, body) in [
        (Call::Me, me.to_string()),
        (
            Call::Search,
            serde_json::json!({ "value": [app.clone()] }).to_string(),
        ),
    ] {
        let msg = answer(&sent, call, body);
        step(&mut w, msg, &mut sent);
    }
    step(
        &mut w,
        Msg::Choose(ChooseMsg::Pick(app["id"].as_str().unwrap().into())),
        &mut sent,
    );
    let owners = serde_json::json!({ "value": [{ "@odata.type": "#microsoft.graph.user",
        "id": dan, "displayName": "Dev Dan", "userPrincipalName": "dan@contoso.example" }] });
    for (call, body) in [
        (Call::App, app.to_string()),
        (Call::Owners, owners.to_string()),
    ] {
        let msg = answer(&sent, call, body);
        step(&mut w, msg, &mut sent);
    }
    step(&mut w, Msg::Review(ReviewMsg::StartDescribe), &mut sent);
    step(&mut w, Msg::Describe(DescribeMsg::Create), &mut sent);
    let msg = answer(&sent, Call::AddPassword, add_password_body(SECRET));
    step(&mut w, msg, &mut sent);
    let shared = w.secret().expect("on Show once");
    assert_eq!(shared.expose(), SECRET);
    let buffer = Watched::of(shared.expose());
    drop(shared);
    step(&mut w, Msg::ShowOnce(ShowOnceMsg::Copied), &mut sent);
    assert_eq!(buffer.wiped(), None, "still on screen");
    step(&mut w, Msg::Leave(Leave::Finish), &mut sent);
    assert!(w.secret().is_none());
    assert_eq!(
        buffer.wiped(),
        Some(true),
        "Finish dropped and wiped the value"
    );
}
