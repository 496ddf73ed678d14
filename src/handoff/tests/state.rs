//! The admin's form as a reducer: fields in, a link (or what is wrong) out, and the copy.

use std::rc::Rc;

use super::{APP, VAULT};
use crate::config::Config;
use crate::handoff::parse;
use crate::handoff::state::{Effect, Field, LinkForm, Made, Msg, CUSTOM_DATE};
use crate::runtime::Now;

const SITE: &str = "https://wizard.contoso.example/";

fn now() -> Now {
    chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+01:00").unwrap()
}

/// The sandbox's config.json, with a default vault when `default` is given.
fn form(default: Option<&str>) -> LinkForm {
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../../../static/config.sandbox.json")).unwrap();
    if let Some(v) = default {
        json["vault"]["default"] = serde_json::json!(v);
    }
    let config = Config::parse(&json.to_string()).unwrap();
    LinkForm::new(Rc::new(config), SITE.into())
}

fn send(f: &mut LinkForm, msg: Msg) -> Vec<Effect> {
    f.update(msg, now())
}

/// The query of a made link, as the developer's browser reads it.
fn made_query(f: &LinkForm) -> String {
    match &f.made {
        Made::Link(l) => l.split_once('?').expect("a query").1.to_string(),
        other => panic!("no link: {other:?}"),
    }
}

#[test]
fn the_vault_field_starts_with_the_sites_default_vault() {
    assert_eq!(form(None).fields.vault, "");
    assert_eq!(form(Some(VAULT)).fields.vault, VAULT);
    assert_eq!(form(None).max_days(), 730);
}

#[test]
fn a_filled_form_makes_a_link_the_developers_browser_reads_back() {
    let mut f = form(None);
    send(&mut f, Msg::Input(Field::App, APP.into()));
    send(&mut f, Msg::Lifetime("180".into()));
    send(&mut f, Msg::Input(Field::Vault, VAULT.into()));
    send(
        &mut f,
        Msg::Input(Field::Name, "payroll-api-client-secret".into()),
    );
    assert!(send(&mut f, Msg::Submit).is_empty());
    let Made::Link(link) = &f.made else {
        panic!("{:?}", f.made)
    };
    assert!(link.starts_with(SITE), "{link}");
    let limits = crate::handoff::Limits {
        max_days: 730,
        today: now().date_naive(),
        allowed_vaults: &[],
    };
    let h = parse(&format!("?{}", made_query(&f)), &limits)
        .unwrap()
        .expect("a hand-off");
    assert_eq!(h.app, APP);
    assert_eq!(h.name.as_deref(), Some("payroll-api-client-secret"));
    assert!(h.vault.is_some_and(|v| v.id.eq_ignore_ascii_case(VAULT)));
}

#[test]
fn a_custom_date_replaces_the_days_and_back() {
    let mut f = form(None);
    send(&mut f, Msg::Lifetime("90".into()));
    assert_eq!(f.fields.days, "90");
    send(&mut f, Msg::Lifetime(CUSTOM_DATE.into()));
    assert_eq!(
        (f.fields.days.as_str(), f.lifetime.as_str()),
        ("", CUSTOM_DATE)
    );
    send(&mut f, Msg::Input(Field::Until, "2027-01-31".into()));
    send(&mut f, Msg::Input(Field::App, APP.into()));
    send(&mut f, Msg::Submit);
    assert!(made_query(&f).contains("until=2027-01-31"));
    send(&mut f, Msg::Lifetime("30".into()));
    assert_eq!(
        (f.fields.days.as_str(), f.fields.until.as_str()),
        ("30", "")
    );
}

#[test]
fn what_is_wrong_is_said_and_editing_clears_it() {
    let mut f = form(None);
    send(&mut f, Msg::Submit);
    match &f.made {
        Made::Problem(p) => assert!(p.contains("is not a client ID"), "{p}"),
        other => panic!("{other:?}"),
    }
    send(&mut f, Msg::Input(Field::App, "not-a-guid".into()));
    assert_eq!(f.made, Made::None, "typing clears the old result");
    send(&mut f, Msg::Submit);
    match &f.made {
        Made::Problem(p) => assert!(p.starts_with("The link can't be made: "), "{p}"),
        other => panic!("{other:?}"),
    }
    assert!(send(&mut f, Msg::Copy).is_empty(), "nothing to copy");
}

#[test]
fn copy_asks_the_page_to_copy_the_link_and_a_new_link_is_not_copied_yet() {
    let mut f = form(None);
    send(&mut f, Msg::Input(Field::App, APP.into()));
    send(&mut f, Msg::Submit);
    let Made::Link(link) = f.made.clone() else {
        panic!()
    };
    assert_eq!(send(&mut f, Msg::Copy), vec![Effect::Copy(link)]);
    send(&mut f, Msg::Copied(true));
    assert!(f.copied);
    send(&mut f, Msg::Submit);
    assert!(!f.copied);
    send(&mut f, Msg::Copy);
    send(&mut f, Msg::Copied(false));
    assert!(!f.copied, "a refused copy isn't shown as copied");
}
