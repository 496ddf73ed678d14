//! The page's reducer with canned answers: the order of the checks, what each answer makes of
//! its line, failures in the runtime's words, signed out, and stale answers of an earlier run.

use std::rc::Rc;

use crate::auth::claims::TokenClaims;
use crate::auth::AuthError;
use crate::config::{Config, ConfigError};
use crate::net::{HttpResponse, Method, Resource};
use crate::runtime::{Answer, Failure, Feature, Outcome, Outgoing};
use crate::setup::checks::Status;
use crate::setup::state::{config_failed, Call, Effect, Msg, SetupCheck};

const ORIGIN: &str = "https://wizard.contoso.example";
const SUB_A: &str = "11111111-1111-4111-8111-111111111111";
const SUB_B: &str = "22222222-2222-4222-8222-222222222222";
const SUB_OFF: &str = "33333333-3333-4333-8333-333333333333";

fn vault_id(sub: &str, name: &str) -> String {
    format!("/subscriptions/{sub}/resourceGroups/rg-x/providers/Microsoft.KeyVault/vaults/{name}")
}

/// The sandbox's config.json with `kv-one` as the default vault and `kv-two` also allowed
/// (`kv-one` named twice, in another case: checked once).
fn config() -> Config {
    let mut json: serde_json::Value =
        serde_json::from_str(include_str!("../../../static/config.sandbox.json")).unwrap();
    json["vault"]["default"] = serde_json::json!(vault_id(SUB_A, "kv-one"));
    json["vault"]["allowed"] = serde_json::json!([
        vault_id(SUB_A, "kv-one")
            .to_uppercase()
            .replace("KV-ONE", "kv-one"),
        vault_id(SUB_B, "kv-two"),
    ]);
    Config::parse(&json.to_string()).unwrap()
}

fn now() -> crate::runtime::Now {
    chrono::DateTime::parse_from_rfc3339("2026-11-26T10:00:00+01:00").unwrap()
}

/// The reducer and the effects it asked for, oldest first.
struct H {
    s: SetupCheck,
    effects: Vec<Effect>,
}

impl H {
    fn new(who: Option<&str>) -> Self {
        let mut s = SetupCheck::new(Rc::new(config()), ORIGIN, who.map(str::to_owned));
        let effects = s.start(now());
        H { s, effects }
    }

    fn send(&mut self, msg: Msg) {
        let more = Feature::update(&mut self.s, msg, now());
        self.effects.extend(more);
    }

    fn next(&mut self) -> Effect {
        assert!(!self.effects.is_empty(), "nothing asked for");
        self.effects.remove(0)
    }

    /// Answers the redirect page's fetch.
    fn redirect(&mut self, outcome: Outcome) -> String {
        match self.next() {
            Effect::FetchAnonymous { run, url } => {
                self.send(Msg::RedirectPage { run, outcome });
                url
            }
            other => panic!("{other:?}"),
        }
    }

    /// Answers a claims read; returns its resource.
    fn claims(&mut self, claims: Result<TokenClaims, AuthError>) -> Resource {
        match self.next() {
            Effect::ReadClaims { run, resource } => {
                self.send(Msg::Claims {
                    run,
                    resource,
                    claims,
                });
                resource
            }
            other => panic!("{other:?}"),
        }
    }

    fn request(&mut self) -> Outgoing<Call> {
        match self.next() {
            Effect::Send(out) => out,
            other => panic!("{other:?}"),
        }
    }

    fn answer(&mut self, out: &Outgoing<Call>, outcome: Outcome) {
        self.send(Msg::Response(Answer {
            call: out.call,
            seq: out.seq,
            outcome,
        }));
    }

    /// Answers the next request (which must be `call`, a GET of a URL containing `path`).
    fn serve(&mut self, call: Call, path: &str, outcome: Outcome) {
        let out = self.request();
        assert_eq!(out.call, call);
        assert_eq!(out.request.method, Method::Get, "the check only reads");
        assert!(out.request.url.contains(path), "{}", out.request.url);
        self.answer(&out, outcome);
    }

    fn status(&self, title: &str) -> &Status {
        let found: Vec<_> = self.s.lines().iter().filter(|l| l.title == title).collect();
        assert_eq!(found.len(), 1, "one line titled {title}");
        &found[0].status
    }

    fn text(&self, title: &str) -> String {
        match self.status(title) {
            Status::Ok(t) | Status::NotChecked(t) => t.clone(),
            Status::Note { what, fix } | Status::Problem { what, fix } => format!("{what} {fix}"),
            Status::Checking => "Checking".into(),
        }
    }
}

fn ok(body: &str) -> Outcome {
    Ok(HttpResponse::new(200, body))
}

fn redirect_page() -> Outcome {
    Ok(HttpResponse::new(200, "<html>").with_header("cache-control", "no-store"))
}

fn claims(scp: &str) -> Result<TokenClaims, AuthError> {
    Ok(TokenClaims {
        scp: scp.into(),
        aud: String::new(),
    })
}

const GRAPH_SCP: &str =
    "Application.ReadWrite.All User.Read Policy.Read.All RoleManagement.Read.Directory";
const WRITER: &str = r#"{"value":[{"actions":["*"],"notActions":[]}]}"#;
const READER: &str = r#"{"value":[{"actions":["*/read"],"notActions":[]}]}"#;
const NOT_FOUND: &str = r#"{"error":{"code":"ResourceNotFound","message":"not found"}}"#;

fn vault_body(sub: &str, name: &str) -> String {
    format!(
        r#"{{"id":"{}","name":"{name}","properties":{{}}}}"#,
        vault_id(sub, name)
    )
}

/// Signed in, through the permissions lines, up to the Graph request.
fn signed_in_to_graph() -> H {
    let mut h = H::new(Some("Ada Admin"));
    h.redirect(redirect_page());
    assert_eq!(h.claims(claims(GRAPH_SCP)), Resource::Graph);
    assert_eq!(h.claims(claims("user_impersonation")), Resource::Arm);
    h
}

#[test]
fn signed_in_every_check_runs_in_order_and_only_reads() {
    let mut h = H::new(Some("Ada Admin"));
    assert!(h.s.busy());
    assert_eq!(h.s.summary(), "Checking…");
    assert!(matches!(h.status("config.json"), Status::Ok(t) if t.contains("vault mode arm")));
    let titles: Vec<&str> = h.s.lines().iter().map(|l| l.title.as_str()).collect();
    assert_eq!(
        titles,
        [
            "config.json",
            "Redirect page",
            "Sign-in",
            "Permissions: Microsoft Graph",
            "Permissions: Azure Resource Manager",
            "Microsoft Graph",
            "Azure Resource Manager",
            "Key vault kv-one",
            "Key vault kv-two",
        ]
    );

    assert_eq!(
        h.redirect(redirect_page()),
        format!("{ORIGIN}/redirect.html")
    );
    assert!(matches!(h.status("Redirect page"), Status::Ok(_)));
    assert!(h.text("Sign-in").contains("Ada Admin"));
    assert_eq!(h.claims(claims(GRAPH_SCP)), Resource::Graph);
    assert!(matches!(
        h.status("Permissions: Microsoft Graph"),
        Status::Ok(_)
    ));
    assert_eq!(h.claims(claims("user_impersonation")), Resource::Arm);
    assert!(matches!(
        h.status("Permissions: Azure Resource Manager"),
        Status::Ok(_)
    ));

    h.serve(
        Call::Apps,
        "/graph/v1.0/applications",
        ok(r#"{"value":[{"id":"a","appId":"b","displayName":"c"}]}"#),
    );
    assert!(h.text("Microsoft Graph").contains("(1 on the first page)"));

    let subs = format!(
        r#"{{"value":[{{"subscriptionId":"{SUB_A}","state":"Enabled"}},{{"subscriptionId":"{SUB_B}"}},{{"subscriptionId":"{SUB_OFF}","state":"Disabled"}}]}}"#
    );
    h.serve(Call::Subscriptions, "/subscriptions?", ok(&subs));
    assert_eq!(h.status("Azure Resource Manager"), &Status::Checking);
    // The vaults of each enabled subscription, the disabled one not asked.
    let one = format!(r#"{{"value":[{}]}}"#, vault_body(SUB_A, "kv-one"));
    h.serve(Call::Vaults(0), SUB_A, ok(&one));
    let two = format!(
        r#"{{"value":[{},{}]}}"#,
        vault_body(SUB_B, "kv-two"),
        vault_body(SUB_B, "kv-x")
    );
    h.serve(Call::Vaults(1), SUB_B, ok(&two));
    assert!(h
        .text("Azure Resource Manager")
        .contains("3 subscription(s) and 3 key vault(s)"));

    // kv-one: there, and writable; kv-two: there, but the roles only read.
    h.serve(
        Call::Vault(0),
        "/vaults/kv-one?",
        ok(&vault_body(SUB_A, "kv-one")),
    );
    h.serve(
        Call::VaultPermissions(0),
        "/vaults/kv-one/providers/Microsoft.Authorization/permissions",
        ok(WRITER),
    );
    assert!(matches!(h.status("Key vault kv-one"), Status::Ok(_)));
    h.serve(
        Call::Vault(1),
        "/vaults/kv-two?",
        ok(&vault_body(SUB_B, "kv-two")),
    );
    h.serve(
        Call::VaultPermissions(1),
        "/vaults/kv-two/providers",
        ok(READER),
    );
    assert!(matches!(h.status("Key vault kv-two"), Status::Note { .. }));

    assert!(h.effects.is_empty(), "{:?}", h.effects);
    assert!(!h.s.busy());
    assert_eq!(h.s.summary(), "No problems found.");
}

#[test]
fn signed_out_only_the_first_lines_are_checked() {
    let mut h = H::new(None);
    h.redirect(redirect_page());
    assert!(
        matches!(h.status("Sign-in"), Status::NotChecked(t) if t.starts_with("Sign in to check"))
    );
    for l in &h.s.lines()[3..] {
        assert_eq!(
            l.status,
            Status::NotChecked("Needs someone signed in.".into()),
            "{}",
            l.title
        );
    }
    assert!(
        h.effects.is_empty(),
        "no token is asked for, nothing is sent"
    );
    assert!(!h.s.busy());
    assert_eq!(h.s.summary(), "No problems found.");

    // Signing in from the page failed: its words under the buttons, and nothing is run.
    assert_eq!(h.s.sign_in_error, None);
    h.send(Msg::SignInFailed("The sign-in window was closed.".into()));
    assert_eq!(
        h.s.sign_in_error.as_deref(),
        Some("The sign-in window was closed.")
    );
    assert!(h.effects.is_empty());
}

#[test]
fn failures_are_lines_in_the_runtimes_words_and_the_checks_go_on() {
    let mut h = H::new(Some("Ada Admin"));
    h.redirect(Err(Failure::Network));
    assert!(h.text("Redirect page").contains(
        "/redirect.html could not be fetched: This site could not be reached. Check your connection"
    ));
    // No consent for ARM: a line naming it; the next check still runs.
    h.claims(claims(GRAPH_SCP));
    let refused = AuthError::from_parts(
        "invalid_grant",
        "consent_required",
        "InteractionRequiredAuthError",
    )
    .for_resource(Resource::Arm);
    h.claims(Err(refused));
    assert!(h
        .text("Permissions: Azure Resource Manager")
        .contains("No admin consent for Azure Resource Manager"));

    h.serve(Call::Apps, "/applications", Err(Failure::Network));
    assert!(h
        .text("Microsoft Graph")
        .contains("Microsoft Graph could not be reached."));
    h.serve(
        Call::Subscriptions,
        "/subscriptions",
        Err(Failure::Auth("No token for ARM.".into())),
    );
    assert!(h
        .text("Azure Resource Manager")
        .contains("didn't list subscriptions or vaults: No token for ARM."));
    // A vault that isn't there: its line, and its permissions are not asked for.
    h.serve(
        Call::Vault(0),
        "/vaults/kv-one?",
        Ok(HttpResponse::new(404, NOT_FOUND)),
    );
    assert!(h.text("Key vault kv-one").contains("isn't reachable"));
    h.serve(Call::Vault(1), "/vaults/kv-two?", Err(Failure::Network));
    assert!(h
        .text("Key vault kv-two")
        .contains("Azure Resource Manager could not be reached."));
    assert!(h.effects.is_empty());
    assert_eq!(h.s.summary(), "6 problem(s) found.");
}

#[test]
fn a_failed_vault_listing_ends_the_arm_line() {
    let mut h = signed_in_to_graph();
    h.serve(Call::Apps, "/applications", ok(r#"{"value":[]}"#));
    let subs =
        format!(r#"{{"value":[{{"subscriptionId":"{SUB_A}"}},{{"subscriptionId":"{SUB_B}"}}]}}"#);
    h.serve(Call::Subscriptions, "/subscriptions", ok(&subs));
    h.serve(
        Call::Vaults(0),
        SUB_A,
        Ok(HttpResponse::new(
            403,
            r#"{"error":{"code":"AuthorizationFailed","message":"no"}}"#,
        )),
    );
    assert!(h.status("Azure Resource Manager").is_problem());
    // On to the configured vaults, SUB_B's vaults not asked.
    assert!(matches!(&h.effects[..], [Effect::Send(o)] if o.call == Call::Vault(0)));
}

#[test]
fn a_new_run_makes_the_earlier_answers_stale() {
    let mut h = signed_in_to_graph();
    let apps = h.request();
    // "Check again" while Graph is asked: everything from the top.
    h.send(Msg::Again);
    assert!(h.s.lines()[1..]
        .iter()
        .all(|l| l.status == Status::Checking));
    h.answer(&apps, ok(r#"{"value":[]}"#));
    assert_eq!(
        h.status("Microsoft Graph"),
        &Status::Checking,
        "the old run's answer"
    );
    assert!(matches!(&h.effects[..], [Effect::FetchAnonymous { .. }]));

    // Signing out during the new run: the redirect answer of that run is stale too.
    let Effect::FetchAnonymous { run: old, .. } = h.next() else {
        unreachable!()
    };
    h.send(Msg::SignedIn(Some("Ada Admin".into())));
    assert!(h.effects.is_empty(), "the same person: nothing new");
    h.send(Msg::SignedIn(None));
    h.send(Msg::RedirectPage {
        run: old,
        outcome: redirect_page(),
    });
    assert_eq!(h.status("Redirect page"), &Status::Checking);
    h.send(Msg::Claims {
        run: old,
        resource: Resource::Graph,
        claims: claims(GRAPH_SCP),
    });
    h.redirect(redirect_page());
    assert!(matches!(h.status("Sign-in"), Status::NotChecked(_)));
    assert!(!h.s.busy());
}

#[test]
fn an_invalid_config_is_the_one_problem() {
    let (lines, summary) = config_failed(&ConfigError::NotAnObject);
    assert_eq!(summary, "1 problem(s) found.");
    assert!(lines[0].status.is_problem());
    let rest: Vec<_> = lines[1..]
        .iter()
        .map(|l| (l.title.as_str(), l.status.clone()))
        .collect();
    let why = Status::NotChecked("Needs a valid config.json.".into());
    assert_eq!(rest, [("Redirect page", why.clone()), ("Sign-in", why)]);
}
