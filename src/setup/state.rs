//! The Setup check as one pure reducer on the runtime: which check runs next, what each answer
//! means for its line ([`super::checks`] words it), and which answers are stale. Effects are
//! data: a request to send, the redirect page to fetch without a token, a token's claims to
//! read without any window. No browser types, no I/O; the page (`setup::page`) runs it.
//!
//! The checks run one after another, top to bottom: config.json, the redirect page, sign-in,
//! each resource's permissions, Microsoft Graph, Azure Resource Manager (subscriptions, then the
//! vaults in each enabled one), each vault config.json names. Signed out, the lines after
//! sign-in are not checked. A new run ("Check again", signing in or out) makes every answer of
//! the previous one stale. Every request is a read; nothing asks for a window.

use std::rc::Rc;

use super::checks::{self, Status};
use crate::arm::ArmError;
use crate::auth::claims::TokenClaims;
use crate::auth::{service_name, AuthError};
use crate::config::{Config, ConfigError, VaultRef};
use crate::net::{HttpResponse, Resource};
use crate::runtime::{Answer, Feature, Now, Outcome, Outgoing, Problem, Requests, Tokens};

/// A line: what was checked, and how it came out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Line {
    pub title: String,
    pub status: Status,
}

fn line(title: impl Into<String>, status: Status) -> Line {
    Line {
        title: title.into(),
        status,
    }
}

pub const NEEDS_SIGN_IN: &str = "Needs someone signed in.";
const NEEDS_CONFIG: &str = "Needs a valid config.json.";
/// Who a failed fetch of the redirect page could not reach.
const THIS_SITE: &str = "This site";
const GRAPH: &str = "Microsoft Graph";
const ARM: &str = "Azure Resource Manager";

/// Which request an answer is for. Each is sent once per run, so with the run's requests
/// forgotten at the next run, an answer that is not the latest of its kind is an earlier run's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Call {
    /// Microsoft Graph: the first page of applications.
    Apps,
    /// ARM: the first page of subscriptions.
    Subscriptions,
    /// ARM: the first page of vaults in the `i`th enabled subscription.
    Vaults(usize),
    /// ARM: configured vault `i` (Vaults_Get).
    Vault(usize),
    /// ARM: the person's permissions on configured vault `i`.
    VaultPermissions(usize),
}

#[derive(Debug)]
pub enum Msg {
    /// "Check again": every check from the top.
    Again,
    /// Who is signed in now (on mount, and after signing in or out); a change runs every check
    /// again.
    SignedIn(Option<String>),
    /// Signing in from the page failed: the sign-in module's words.
    SignInFailed(String),
    /// The redirect page as fetched without a token, for run `run`.
    RedirectPage {
        run: u64,
        outcome: Outcome,
    },
    /// The claims of `resource`'s token asked for by run `run`, or why no token could be had
    /// quietly.
    Claims {
        run: u64,
        resource: Resource,
        claims: Result<TokenClaims, AuthError>,
    },
    Response(Answer<Call>),
}

/// Work for the page, as data.
#[derive(Debug)]
pub enum Effect {
    /// Fetch `url` without a token; answer with [`Msg::RedirectPage`].
    FetchAnonymous { run: u64, url: String },
    /// Read the claims of `resource`'s token without ever opening a window
    /// (`Interaction::None`); answer with [`Msg::Claims`].
    ReadClaims { run: u64, resource: Resource },
    /// Send (a read, without any window), then answer with [`Msg::Response`].
    Send(Outgoing<Call>),
}

/// The whole Setup check.
#[derive(Debug)]
pub struct SetupCheck {
    config: Rc<Config>,
    /// The redirect page's URL (`{origin}{redirectPath}`).
    redirect_url: String,
    resources: Vec<Resource>,
    vaults: Vec<VaultRef>,
    signed_in_as: Option<String>,
    /// Why signing in from the page failed, if it did.
    pub sign_in_error: Option<String>,
    lines: Vec<Line>,
    /// The subscriptions listed, and the enabled ones whose vaults are counted.
    listed: usize,
    enabled: Vec<String>,
    vaults_found: usize,
    run: u64,
    runs: Tokens,
    requests: Requests<Call>,
}

impl SetupCheck {
    /// The check of `config` for a page served at `origin`, with `signed_in_as` signed in.
    pub fn new(config: Rc<Config>, origin: &str, signed_in_as: Option<String>) -> Self {
        let mut check = Self {
            redirect_url: format!("{origin}{}", config.redirect_path),
            resources: checks::resources(&config),
            vaults: configured_vaults(&config),
            config,
            signed_in_as,
            sign_in_error: None,
            lines: Vec::new(),
            listed: 0,
            enabled: Vec::new(),
            vaults_found: 0,
            run: 0,
            runs: Tokens::default(),
            requests: Requests::new(),
        };
        check.lines = check.initial();
        check
    }

    pub fn lines(&self) -> &[Line] {
        &self.lines
    }

    /// Whether a line is still being checked.
    pub fn busy(&self) -> bool {
        self.lines.iter().any(|l| l.status == Status::Checking)
    }

    /// The line above the list: "Checking…", or how many problems were found.
    pub fn summary(&self) -> String {
        summary(&self.lines, self.busy())
    }

    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Again => self.check(),
            Msg::SignedIn(who) if who != self.signed_in_as => {
                self.signed_in_as = who;
                self.check()
            }
            Msg::SignInFailed(why) => {
                self.sign_in_error = Some(why);
                Vec::new()
            }
            Msg::RedirectPage { run, outcome } if run == self.run => self.on_redirect(outcome),
            Msg::Claims {
                run,
                resource,
                claims,
            } if run == self.run => self.on_claims(resource, claims),
            Msg::Response(Answer { call, seq, outcome }) if self.requests.accept(call, seq) => {
                self.on_answer(call, outcome)
            }
            // The same person, or an earlier run's answer.
            _ => Vec::new(),
        }
    }

    /// Every line the configuration calls for, before anything has run.
    fn initial(&self) -> Vec<Line> {
        let mut lines = vec![
            line("config.json", Status::Checking),
            line("Redirect page", Status::Checking),
            line("Sign-in", Status::Checking),
        ];
        for &r in &self.resources {
            let title = format!("Permissions: {}", service_name(r));
            lines.push(line(title, Status::Checking));
        }
        lines.push(line(GRAPH, Status::Checking));
        lines.push(line(ARM, Status::Checking));
        for v in &self.vaults {
            lines.push(line(format!("Key vault {}", v.name), Status::Checking));
        }
        lines
    }

    fn set(&mut self, index: usize, status: Status) {
        if let Some(l) = self.lines.get_mut(index) {
            l.status = status;
        }
    }

    // Where each line is: config.json, redirect page, sign-in, a line per resource, then these.
    fn graph_at(&self) -> usize {
        3 + self.resources.len()
    }
    fn arm_at(&self) -> usize {
        4 + self.resources.len()
    }

    /// A new run from the top: every earlier answer is stale.
    fn check(&mut self) -> Vec<Effect> {
        self.requests.forget_all();
        self.run = self.runs.fresh();
        self.lines = self.initial();
        self.set(0, checks::config_line(Ok(&self.config)));
        vec![Effect::FetchAnonymous {
            run: self.run,
            url: self.redirect_url.clone(),
        }]
    }

    fn on_redirect(&mut self, outcome: Outcome) -> Vec<Effect> {
        let answer = outcome.as_ref().map_err(|f| f.user_message(THIS_SITE));
        let status = checks::redirect_line(&self.config.redirect_path, answer);
        self.set(1, status);
        self.set(2, checks::sign_in_line(self.signed_in_as.as_deref()));
        if self.signed_in_as.is_none() {
            for l in &mut self.lines[3..] {
                l.status = Status::NotChecked(NEEDS_SIGN_IN.into());
            }
            return Vec::new();
        }
        self.permissions(0)
    }

    /// Reads the claims of resource `i`'s token, or goes on to Microsoft Graph after the last.
    fn permissions(&mut self, i: usize) -> Vec<Effect> {
        match self.resources.get(i) {
            Some(&resource) => vec![Effect::ReadClaims {
                run: self.run,
                resource,
            }],
            None => {
                let query = crate::graph::AppQuery::All;
                let req = crate::graph::list_applications(self.config.graph_base(), &query);
                self.send(Call::Apps, req)
            }
        }
    }

    fn on_claims(
        &mut self,
        resource: Resource,
        claims: Result<TokenClaims, AuthError>,
    ) -> Vec<Effect> {
        let Some(i) = self.resources.iter().position(|&r| r == resource) else {
            return Vec::new();
        };
        self.set(3 + i, checks::permissions_line(resource, claims.as_ref()));
        self.permissions(i + 1)
    }

    fn send(&mut self, call: Call, req: crate::net::HttpRequest) -> Vec<Effect> {
        vec![Effect::Send(self.requests.send(call, req))]
    }

    fn on_answer(&mut self, call: Call, outcome: Outcome) -> Vec<Effect> {
        let config = self.config.clone();
        let arm = config.arm_base();
        match call {
            Call::Apps => {
                let listed = Problem::graph(outcome, crate::graph::parse_application_page)
                    .map(|page| page.value.len())
                    .map_err(|p| p.message);
                self.set(self.graph_at(), checks::graph_line(listed));
                self.send(Call::Subscriptions, crate::arm::list_subscriptions(arm))
            }
            Call::Subscriptions => match arm_read(outcome, crate::arm::parse_subscriptions) {
                Ok(page) => {
                    self.listed = page.value.len();
                    self.vaults_found = 0;
                    self.enabled = page
                        .value
                        .into_iter()
                        .filter(|s| s.is_enabled())
                        .map(|s| s.subscription_id)
                        .collect();
                    self.vaults_in(0)
                }
                Err(why) => self.arm_done(Err(why)),
            },
            Call::Vaults(i) => match arm_read(outcome, crate::arm::parse_vaults) {
                Ok(page) => {
                    self.vaults_found += page.value.len();
                    self.vaults_in(i + 1)
                }
                Err(why) => self.arm_done(Err(why)),
            },
            Call::Vault(i) => match arm_read(outcome, crate::arm::parse_vault) {
                Ok(_) => {
                    let req = crate::arm::vault_permissions(arm, &self.vaults[i].id);
                    self.send(Call::VaultPermissions(i), req)
                }
                Err(why) => self.vault_done(i, Err(why)),
            },
            Call::VaultPermissions(i) => {
                let writable = arm_read(outcome, crate::arm::parse_permissions)
                    .map(|page| crate::arm::can(&page.value, crate::arm::SECRETS_WRITE, false));
                self.vault_done(i, writable)
            }
        }
    }

    /// Asks for the vaults in enabled subscription `i`, or ends the ARM line after the last.
    fn vaults_in(&mut self, i: usize) -> Vec<Effect> {
        let Some(sub) = self.enabled.get(i) else {
            return self.arm_done(Ok((self.listed, self.vaults_found)));
        };
        let req = crate::arm::list_vaults(self.config.arm_base(), sub);
        self.send(Call::Vaults(i), req)
    }

    fn arm_done(&mut self, answer: Result<(usize, usize), String>) -> Vec<Effect> {
        self.set(self.arm_at(), checks::arm_line(answer));
        self.vault(0)
    }

    /// Checks configured vault `i`; after the last, the run is over.
    fn vault(&mut self, i: usize) -> Vec<Effect> {
        let Some(v) = self.vaults.get(i) else {
            return Vec::new();
        };
        let req = crate::arm::get_vault(self.config.arm_base(), &v.id);
        self.send(Call::Vault(i), req)
    }

    fn vault_done(&mut self, i: usize, answer: Result<bool, String>) -> Vec<Effect> {
        let status = checks::vault_line(&self.vaults[i].name, answer);
        self.set(self.arm_at() + 1 + i, status);
        self.vault(i + 1)
    }
}

impl Feature for SetupCheck {
    type Msg = Msg;
    type Effect = Effect;

    fn update(&mut self, msg: Msg, _now: Now) -> Vec<Effect> {
        SetupCheck::update(self, msg)
    }

    fn start(&mut self, _now: Now) -> Vec<Effect> {
        self.check()
    }
}

/// An ARM answer or its absence, parsed with `parse`; the runtime's words for no answer.
fn arm_read<T>(
    outcome: Outcome,
    parse: fn(&HttpResponse) -> Result<T, ArmError>,
) -> Result<T, String> {
    let res = outcome.map_err(|f| f.user_message(ARM))?;
    parse(&res).map_err(|e| e.user_message())
}

/// `vault.default` and `vault.allowed`, each vault once.
fn configured_vaults(config: &Config) -> Vec<VaultRef> {
    let mut vaults: Vec<VaultRef> = Vec::new();
    let vault = &config.vault;
    for v in vault.default.iter().chain(vault.allowed.iter()) {
        if !vaults.iter().any(|seen| seen.same_as(v)) {
            vaults.push(v.clone());
        }
    }
    vaults
}

fn summary(lines: &[Line], busy: bool) -> String {
    let problems = lines.iter().filter(|l| l.status.is_problem()).count();
    if busy {
        "Checking…".to_string()
    } else if problems == 0 {
        "No problems found.".to_string()
    } else {
        format!("{problems} problem(s) found.")
    }
}

/// The Setup check when config.json itself is wrong: that line, and nothing else checked.
pub fn config_failed(error: &ConfigError) -> (Vec<Line>, String) {
    let lines = vec![
        line("config.json", checks::config_line(Err(error))),
        line("Redirect page", Status::NotChecked(NEEDS_CONFIG.into())),
        line("Sign-in", Status::NotChecked(NEEDS_CONFIG.into())),
    ];
    let summary = summary(&lines, false);
    (lines, summary)
}
