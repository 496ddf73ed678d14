//! The federated parts driven through the whole wizard (canned Graph answers): Review lists the
//! app's credentials and asks where the code runs; the step checks before sending, creates,
//! shows the snippet; Graph's refusals are explained; Review removes one after a confirmation.

use serde_json::{json, Value};

use super::listing::Removal;
use super::*;
use crate::wizard::msg::Msg;
use crate::wizard::shared::{Call, WizardConfig};
use crate::wizard::step::Step;
use crate::wizard::tests::*;

const LIST: Call = Call::Federated(FederatedCall::List);
const CREATE: Call = Call::Federated(FederatedCall::Create);
const REMOVE: Call = Call::Federated(FederatedCall::Remove);

fn fic(id: &str, name: &str, subject: &str) -> Value {
    json!({ "id": id, "name": name, "issuer": "https://token.actions.githubusercontent.com",
            "subject": subject, "description": null, "audiences": ["api://AzureADTokenExchange"] })
}

fn on_review(list: Vec<Value>) -> Harness {
    // The global service's Graph: its audience is documented.
    let mut h = Harness::new(WizardConfig {
        graph_base: "https://graph.microsoft.com".into(),
        ..config()
    });
    h.signed_in(DAN, "dan@contoso.example", false);
    h.open_app(payroll(), owners(&[dan_owner()]));
    assert_eq!(h.count(LIST), 1, "read with the app");
    assert!(h.request(LIST).url.ends_with(&format!(
        "/applications/{PAYROLL}/federatedIdentityCredentials"
    )));
    h.ok(LIST, 200, json!({ "value": list }));
    h
}

fn fed(h: &mut Harness, msg: FederatedMsg) {
    let rest = h.send(Msg::Federated(msg));
    assert!(rest.is_empty(), "{rest:?}");
}

fn step(h: &Harness) -> &FederatedState {
    match h.w.step() {
        Step::Federated(s) => s,
        other => panic!("not on the federated step: {other:?}"),
    }
}

fn fill_github(h: &mut Harness, repo: &str, env: &str) {
    fed(h, FederatedMsg::Edit(Field::Repository, repo.into()));
    fed(h, FederatedMsg::Edit(Field::Value, env.into()));
}

#[test]
fn review_asks_where_it_runs_and_only_federating_answers_open_the_step() {
    let mut h = on_review(vec![fic(
        "f1",
        "gh-old",
        "repo:contoso/payroll:environment:dev",
    )]);
    let review = h.w.review().unwrap();
    assert_eq!(review.federated().credentials().unwrap()[0].name, "gh-old");
    fed(&mut h, FederatedMsg::SetUp);
    assert!(matches!(h.w.step(), Step::Review), "nothing chosen yet");
    fed(&mut h, FederatedMsg::Workload(Workload::Elsewhere));
    fed(&mut h, FederatedMsg::SetUp);
    assert!(
        matches!(h.w.step(), Step::Review),
        "somewhere else: a secret"
    );
    fed(&mut h, FederatedMsg::Workload(Workload::GitHubActions));
    fed(&mut h, FederatedMsg::SetUp);
    assert_eq!(h.w.step().index(), 2, "at Describe's place in the stepper");
    let s = step(&h);
    assert_eq!(s.audience(), "api://AzureADTokenExchange");
    assert!(!s.audience_undocumented());
    assert_eq!(s.app().existing.len(), 1);
    assert_eq!(s.app().client_id, PAYROLL_APP_ID);
}

#[test]
fn the_step_checks_before_sending_then_creates_and_shows_the_workflow() {
    let mut h = on_review(vec![fic(
        "f1",
        "gh-old",
        "repo:contoso/payroll:environment:dev",
    )]);
    fed(&mut h, FederatedMsg::Workload(Workload::GitHubActions));
    fed(&mut h, FederatedMsg::SetUp);
    // A URL instead of owner/name, and the subject the app already trusts: nothing is sent.
    fill_github(&mut h, "https://github.com/contoso/payroll", "dev");
    fed(&mut h, FederatedMsg::Create);
    assert_eq!(h.count(CREATE), 0);
    assert!(step(&h)
        .problem_of(Field::Repository)
        .unwrap()
        .contains("contoso/payroll"));
    fill_github(&mut h, "contoso/payroll", "dev");
    assert!(
        step(&h).problem_of(Field::Repository).is_none(),
        "rechecked as typed"
    );
    fed(&mut h, FederatedMsg::Create);
    assert_eq!(h.count(CREATE), 0);
    assert!(step(&h)
        .problem_of(Field::Subject)
        .unwrap()
        .contains("\u{201c}gh-old\u{201d} already trusts"));
    fill_github(&mut h, "contoso/payroll", "production");
    assert_eq!(step(&h).name(), "github-contoso-payroll-production");
    assert_eq!(
        step(&h).preview().unwrap().1,
        "repo:contoso/payroll:environment:production"
    );
    fed(&mut h, FederatedMsg::Create);
    assert_eq!(h.count(CREATE), 1);
    let sent = body(h.request(CREATE));
    assert_eq!(
        sent,
        json!({ "name": "github-contoso-payroll-production",
                "issuer": "https://token.actions.githubusercontent.com",
                "subject": "repo:contoso/payroll:environment:production",
                "audiences": ["api://AzureADTokenExchange"] })
    );
    fed(&mut h, FederatedMsg::Create);
    assert_eq!(h.count(CREATE), 1, "one request at a time");
    let mut created = sent.clone();
    created["id"] = json!("f2");
    h.ok(CREATE, 201, created);
    let Phase::Created {
        credential,
        snippets,
    } = step(&h).phase()
    else {
        panic!("{:?}", step(&h).phase());
    };
    assert_eq!(credential.id, "f2");
    assert!(snippets[0]
        .text
        .contains(&format!("client-id: {PAYROLL_APP_ID}")));
    assert!(snippets[0]
        .text
        .contains(&format!("tenant-id: {}", config().tenant_id)));
    assert!(snippets[0].text.contains("id-token: write"));
    // Back on Review, the list has it (and is read again).
    h.send(Msg::Leave(crate::wizard::shared::Leave::BackToApp));
    assert!(matches!(h.w.step(), Step::Review));
    let names: Vec<String> = (h.w.review().unwrap().federated().credentials().unwrap())
        .iter()
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(names, ["gh-old", "github-contoso-payroll-production"]);
    assert_eq!(h.count(LIST), 2);
}

#[test]
fn graphs_refusals_are_explained_and_the_form_stays() {
    let twenty: Vec<Value> = (1..=20)
        .map(|i| {
            fic(
                &format!("f{i}"),
                &format!("seeded-{i}"),
                &format!("repo:a/b:environment:e{i}"),
            )
        })
        .collect();
    let mut h = on_review(twenty);
    fed(&mut h, FederatedMsg::Workload(Workload::GitHubActions));
    fed(&mut h, FederatedMsg::SetUp);
    assert!(step(&h).at_limit(), "said beforehand");
    fill_github(&mut h, "contoso/payroll", "production");
    fed(&mut h, FederatedMsg::Create);
    assert_eq!(h.count(CREATE), 1, "only Graph's answer refuses");
    h.ok(
        CREATE,
        400,
        graph_error(
            "Request_BadRequest",
            "An application can have at most 20 federated identity credentials.",
        ),
    );
    let p = step(&h).problem().unwrap();
    assert!(p
        .message
        .contains("already has 20 federated credentials, the most an app can have"));
    assert!(p.details.as_deref().unwrap().contains("Request_BadRequest"));
    assert!(matches!(step(&h).phase(), Phase::Form));
    // 403: who can.
    fed(&mut h, FederatedMsg::Create);
    h.ok(
        CREATE,
        403,
        graph_error(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    assert!(step(&h)
        .problem()
        .unwrap()
        .message
        .contains("Its owners (Dev Dan (dan@contoso.example))"));
    // No answer: don't guess, look.
    fed(&mut h, FederatedMsg::Create);
    h.answer(CREATE, Err(crate::runtime::Failure::Network));
    assert!(step(&h)
        .problem()
        .unwrap()
        .message
        .contains("we don't know whether the credential was created"));
}

#[test]
fn review_removes_one_after_a_confirmation_and_reads_the_list_again() {
    let mut h = on_review(vec![
        fic("f1", "gh-dev", "repo:contoso/payroll:environment:dev"),
        fic("f2", "gh-prod", "repo:contoso/payroll:environment:prod"),
    ]);
    fed(&mut h, FederatedMsg::AskRemove("nope".into()));
    assert_eq!(h.w.review().unwrap().federated().removal(), &Removal::Idle);
    fed(&mut h, FederatedMsg::AskRemove("f2".into()));
    assert!(
        matches!(h.w.review().unwrap().federated().removal(), Removal::Confirm(c) if c.name == "gh-prod")
    );
    fed(&mut h, FederatedMsg::CancelRemove);
    assert_eq!(h.count(REMOVE), 0);
    fed(&mut h, FederatedMsg::AskRemove("f2".into()));
    fed(&mut h, FederatedMsg::ConfirmRemove);
    let request = h.request(REMOVE);
    assert_eq!(request.method, crate::net::Method::Delete);
    assert!(request.url.ends_with(&format!(
        "/applications/{PAYROLL}/federatedIdentityCredentials/f2"
    )));
    h.answer(REMOVE, Ok(crate::net::HttpResponse::new(204, "")));
    let list = h.w.review().unwrap().federated();
    assert!(matches!(list.removal(), Removal::Removed(c) if c.id == "f2"));
    assert_eq!(list.credentials().unwrap().len(), 1);
    assert_eq!(h.count(LIST), 2, "read again");
    // A refusal names who can, and the list is read again anyway.
    fed(&mut h, FederatedMsg::AskRemove("f1".into()));
    fed(&mut h, FederatedMsg::ConfirmRemove);
    h.ok(
        REMOVE,
        403,
        graph_error(
            "Authorization_RequestDenied",
            "Insufficient privileges to complete the operation.",
        ),
    );
    let Removal::Failed(_, p) = h.w.review().unwrap().federated().removal() else {
        panic!()
    };
    assert!(p
        .message
        .contains("can't remove federated credentials on Payroll API"));
    assert_eq!(h.count(LIST), 3);
}

#[test]
fn a_custom_cloud_asks_for_the_audience() {
    let app = AppFacts {
        graph_base: "https://graph.contoso.example".into(),
        object_id: "o".into(),
        client_id: "c".into(),
        tenant_id: "t".into(),
        display_name: "Payroll API".into(),
        existing: Vec::new(),
        owners: Vec::new(),
    };
    let mut s = FederatedState::new(app, Workload::Kubernetes);
    assert!(s.audience_undocumented());
    assert_eq!(s.audience(), "");
    for (f, v) in [
        (Field::Issuer, "https://oidc.contoso.example/cluster"),
        (Field::Namespace, "payroll"),
        (Field::ServiceAccount, "payroll-api"),
    ] {
        s.update(FederatedMsg::Edit(f, v.into()));
    }
    assert!(s.update(FederatedMsg::Create).is_empty());
    assert!(s.problem_of(Field::Audience).is_some());
    s.update(FederatedMsg::Edit(
        Field::Audience,
        "api://ContosoTokenExchange".into(),
    ));
    let sent = s.update(FederatedMsg::Create);
    let [FederatedEffect::Send(FederatedCall::Create, request)] = &sent[..] else {
        panic!("{sent:?}")
    };
    assert!(request
        .body
        .as_deref()
        .unwrap()
        .contains("\"audiences\":[\"api://ContosoTokenExchange\"]"));
    assert_eq!(s.name(), "k8s-payroll-payroll-api");
}
