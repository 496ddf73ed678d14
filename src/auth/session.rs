//! `Session`: the signed-in state and access tokens, on top of the raw MSAL bindings.

use std::cell::RefCell;
use std::future::Future;
use std::rc::Rc;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::account::{Account, AccountInfo};
use super::error::{AuthError, MSAL_NOT_LOADED};
use super::msal_raw::{self, get_string, request, set, to_auth_error, PublicClientApplication};
use crate::config::{Config, MsalSettings};
use crate::net::Resource;

mod interaction;

use interaction::Gate;
pub use interaction::{InteractionListener, PendingInteraction};

/// What a token request may do when a silent one is not enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Interaction {
    /// Ask the person first ([`Session::on_interaction`]'s prompt), then open a popup from their
    /// click; the request waits meanwhile. Without a prompt on the page, fail as `None` does.
    #[default]
    Ask,
    /// Never show anything; fail with `InteractionRequired`.
    None,
}

/// Options of one token request.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TokenOptions {
    /// Skip the cache (after a 401).
    pub force_refresh: bool,
    pub interaction: Interaction,
}

/// MSAL, configured for this site, plus the scopes of each service.
///
/// MSAL's own start (`initialize()` and `handleRedirectPromise()`) may still be running:
/// [`Session::start`] returns at once so a page that needs no MSAL yet (the signed-out page)
/// can be drawn meanwhile, and every method that needs MSAL waits for it (see [`Client`]).
pub struct Session {
    client: Rc<Client>,
    settings: MsalSettings,
    sign_in_scopes: Vec<String>,
    graph_scope: String,
    arm_scope: String,
    key_vault_scope: String,
    /// Where each service's token may go (checked by the executor before every send).
    destinations: crate::destinations::Destinations,
    /// An error from finishing a redirect sign-in on this load, for the page to show once.
    redirect_error: Rc<RefCell<Option<AuthError>>>,
    gate: Rc<RefCell<Gate>>,
}

/// MSAL's client while it starts, and once it has (or has failed to).
struct Client {
    state: RefCell<Started>,
    /// Resolves (never rejects) when `state` leaves `Starting`; awaited by whoever needs MSAL.
    done: Promise,
}

enum Started {
    Starting,
    Ready(PublicClientApplication),
    Failed(AuthError),
}

impl Client {
    fn now(&self) -> Option<PublicClientApplication> {
        match &*self.state.borrow() {
            Started::Ready(pca) => Some(pca.clone()),
            _ => None,
        }
    }

    async fn wait(&self) -> Result<PublicClientApplication, AuthError> {
        if matches!(*self.state.borrow(), Started::Starting) {
            let _ = JsFuture::from(self.done.clone()).await;
        }
        match &*self.state.borrow() {
            Started::Ready(pca) => Ok(pca.clone()),
            Started::Failed(e) => Err(e.clone()),
            Started::Starting => Err(AuthError::Other {
                code: MSAL_NOT_LOADED.into(),
            }),
        }
    }
}

async fn wait(promise: Result<Promise, JsValue>) -> Result<JsValue, AuthError> {
    let promise = promise.map_err(|e| to_auth_error(&e))?;
    JsFuture::from(promise).await.map_err(|e| to_auth_error(&e))
}

fn origin() -> String {
    web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default()
}

fn account_of(result: &JsValue) -> Option<JsValue> {
    Reflect::get(result, &JsValue::from_str("account"))
        .ok()
        .filter(|a| a.is_object())
}

fn to_account(js: &JsValue) -> Option<Account> {
    // Through JSON text, read on the same `serde_json::Value` parser as config.json (and as the
    // native tests read it), rather than a second deserializer for JS values.
    let text = js_sys::JSON::stringify(js).ok()?.as_string()?;
    let info = AccountInfo::from_json(&text)?;
    Some(Account::from(info))
}

/// Lets the page draw first (a task boundary: whatever was rendered before this runs), then
/// waits for MSAL's script, creates the client, awaits `initialize()` and
/// `handleRedirectPromise()` (on every load, so a redirect sign-in finishes) and picks the
/// active account; a redirect's error is kept for the page.
async fn start_msal(
    settings: MsalSettings,
    redirect_error: Rc<RefCell<Option<AuthError>>>,
) -> Result<PublicClientApplication, AuthError> {
    gloo::timers::future::TimeoutFuture::new(0).await;
    msal_raw::msal_ready().await;
    let pca = msal_raw::create(&settings)?;
    wait(pca.initialize()).await?;
    match wait(pca.handle_redirect_promise(&Object::new())).await {
        Ok(result) => {
            if let Some(account) = account_of(&result) {
                pca.set_active_account(&account);
            }
        }
        Err(e) => *redirect_error.borrow_mut() = Some(e),
    }
    Ok(pca)
}

/// Could this load end up signed in ([`super::resume`]), from this tab's `sessionStorage` (where
/// MSAL keeps its cache) and URL. When in doubt (no storage), yes: then the page waits for MSAL as it always could.
pub fn may_resume_here() -> bool {
    let Some(window) = web_sys::window() else {
        return true;
    };
    let Some(storage) = window.session_storage().ok().flatten() else {
        return true;
    };
    let count = storage.length().unwrap_or(0);
    let keys: Vec<String> = (0..count)
        .filter_map(|i| storage.key(i).ok().flatten())
        .collect();
    let location = window.location();
    super::resume::may_resume(
        keys.iter().map(String::as_str),
        &location.search().unwrap_or_default(),
        &location.hash().unwrap_or_default(),
    )
}

impl Session {
    /// Starts MSAL in the background and returns at once; see [`Session::started`].
    pub fn start(config: &Config) -> Session {
        let settings = config.msal(&origin());
        let redirect_error = Rc::new(RefCell::new(None));
        let mut resolve_done = None;
        let done = Promise::new(&mut |resolve, _reject| resolve_done = Some(resolve));
        let client = Rc::new(Client {
            state: RefCell::new(Started::Starting),
            done,
        });
        {
            let (client, settings, redirect_error) =
                (client.clone(), settings.clone(), redirect_error.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let started = match start_msal(settings, redirect_error).await {
                    Ok(pca) => Started::Ready(pca),
                    Err(e) => Started::Failed(e),
                };
                *client.state.borrow_mut() = started;
                if let Some(resolve) = resolve_done {
                    let _ = resolve.call0(&JsValue::NULL);
                }
            });
        }
        Session {
            client,
            sign_in_scopes: config.sign_in_scopes(),
            graph_scope: config.scope(Resource::Graph),
            arm_scope: config.scope(Resource::Arm),
            key_vault_scope: config.scope(Resource::KeyVault),
            destinations: crate::destinations::Destinations::from_config(config),
            settings,
            redirect_error,
            gate: Rc::default(),
        }
    }

    /// Has MSAL started (so a sign-in opens its window at once)?
    pub fn is_started(&self) -> bool {
        self.client.now().is_some()
    }

    /// Waits until MSAL has started; how it went.
    pub async fn started(&self) -> Result<(), AuthError> {
        self.client.wait().await.map(drop)
    }

    /// May a token for `resource` be attached to a request to `url`? See `crate::destinations`.
    pub fn may_send_token(&self, resource: Resource, url: &str) -> bool {
        self.destinations.allows(resource, url)
    }

    /// The error a redirect sign-in ended with on this load, once.
    pub fn take_redirect_error(&self) -> Option<AuthError> {
        self.redirect_error.borrow_mut().take()
    }

    /// The active account, choosing the first cached one when none is active.
    /// (None while MSAL is starting: nobody can have signed in on this page yet.)
    fn active_account_js(&self) -> Option<JsValue> {
        let pca = self.client.now()?;
        let active = pca.get_active_account();
        if active.is_object() {
            return Some(active);
        }
        let first = pca.get_all_accounts().get(0);
        if first.is_object() {
            pca.set_active_account(&first);
            Some(first)
        } else {
            None
        }
    }

    /// Who is signed in, if anyone.
    pub fn account(&self) -> Option<Account> {
        self.active_account_js().as_ref().and_then(to_account)
    }

    fn scope(&self, resource: Resource) -> &str {
        match resource {
            Resource::Graph => &self.graph_scope,
            Resource::Arm => &self.arm_scope,
            Resource::KeyVault => &self.key_vault_scope,
        }
    }

    /// Graph's scope only ([`Config::sign_in_scopes`]): ARM's and Key Vault's tokens come
    /// afterwards, silently, from the refresh token.
    fn login_request(&self) -> Object {
        request(&self.sign_in_scopes, None)
    }

    /// Starts `loginPopup` NOW (call it synchronously from the click handler: the popup needs
    /// the user gesture), and returns a future of the result to spawn. If MSAL is still
    /// starting (a click within the page's first moments), the popup opens as soon as it has,
    /// still inside the browser's allowance for the click. A blocked popup falls back to
    /// `loginRedirect` (the future then ends with [`AuthError::Redirecting`]).
    pub fn sign_in_popup(&self) -> impl Future<Output = Result<Account, AuthError>> + 'static {
        let req = self.login_request();
        let now = self.client.now().map(|pca| (pca.login_popup(&req), pca));
        let client = self.client.clone();
        async move {
            let (started, pca) = match now {
                Some(started) => started,
                None => {
                    let pca = client.wait().await?;
                    (pca.login_popup(&req), pca)
                }
            };
            match wait(started).await {
                Ok(result) => {
                    let account = account_of(&result).ok_or(AuthError::NoAccount)?;
                    pca.set_active_account(&account);
                    to_account(&account).ok_or(AuthError::NoAccount)
                }
                Err(e) if e.popup_unavailable() => {
                    wait(pca.login_redirect(&req)).await?;
                    Err(AuthError::Redirecting)
                }
                Err(e) => Err(e),
            }
        }
    }

    /// An access token for a service, with the default options.
    pub async fn token(&self, resource: Resource) -> Result<String, AuthError> {
        self.token_with(resource, TokenOptions::default()).await
    }

    /// `acquireTokenSilent` (ARM's and Key Vault's tokens come from the refresh token of the
    /// Graph sign-in); when MSAL says the person must act, the interaction `opts` allows.
    pub async fn token_with(
        &self,
        resource: Resource,
        opts: TokenOptions,
    ) -> Result<String, AuthError> {
        let err = match self.silent(resource, opts.force_refresh).await {
            Ok(token) => return Ok(token),
            Err(e) => e,
        };
        if !matches!(err, AuthError::InteractionRequired { .. })
            || opts.interaction == Interaction::None
        {
            return Err(err);
        }
        self.ask_person(resource, err).await?;
        self.silent(resource, false).await
    }

    /// One `acquireTokenSilent` for `resource`.
    async fn silent(&self, resource: Resource, force_refresh: bool) -> Result<String, AuthError> {
        let pca = self.client.wait().await?;
        let scopes = [self.scope(resource).to_string()];
        let Some(account) = self.active_account_js() else {
            return Err(AuthError::NoAccount);
        };
        let req = request(&scopes, Some(&account));
        if force_refresh {
            set(&req, "forceRefresh", &JsValue::TRUE);
        }
        match wait(pca.acquire_token_silent(&req)).await {
            Ok(result) => access_token(&result),
            Err(e) => Err(e.for_resource(resource)),
        }
    }

    /// Starts `logoutPopup` NOW (from the click handler); MSAL clears its cache first, then ends
    /// the identity provider's session. A blocked popup falls back to `logoutRedirect`.
    /// (Someone signed in means MSAL has started.)
    pub fn sign_out(&self) -> impl Future<Output = Result<(), AuthError>> + 'static {
        let req = Object::new();
        if let Some(account) = self.active_account_js() {
            set(&req, "account", &account);
        }
        let now = self.client.now().map(|pca| (pca.logout_popup(&req), pca));
        let client = self.client.clone();
        let after = self.settings.post_logout_redirect_uri.clone();
        async move {
            let (started, pca) = match now {
                Some(started) => started,
                None => {
                    let pca = client.wait().await?;
                    (pca.logout_popup(&req), pca)
                }
            };
            match wait(started).await {
                Ok(_) => Ok(()),
                Err(e) if e.popup_unavailable() => {
                    set(&req, "postLogoutRedirectUri", &after.as_str().into());
                    wait(pca.logout_redirect(&req)).await?;
                    Err(AuthError::Redirecting)
                }
                Err(e) => Err(e),
            }
        }
    }
}

fn access_token(result: &JsValue) -> Result<String, AuthError> {
    get_string(result, "accessToken")
        .filter(|t| !t.is_empty())
        .ok_or_else(|| AuthError::Other {
            code: "empty_access_token".into(),
        })
}
