//! `Session`: the signed-in state and access tokens, on top of the raw MSAL bindings.

use std::cell::RefCell;
use std::future::Future;

use js_sys::{Object, Promise, Reflect};
use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

use super::account::{Account, AccountInfo};
use super::error::AuthError;
use super::msal_raw::{self, get_string, request, set, to_auth_error, PublicClientApplication};
use crate::config::{Config, MsalSettings};
use crate::net::Resource;

/// What a token request may do when a silent one is not enough.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Interaction {
    /// A popup; if the browser blocks it, continue in this tab with a redirect.
    #[default]
    PopupThenRedirect,
    /// A popup only: for screens whose state must not be lost (a secret on screen).
    PopupOnly,
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
pub struct Session {
    pca: PublicClientApplication,
    settings: MsalSettings,
    graph_scope: String,
    arm_scope: String,
    key_vault_scope: String,
    /// Where each service's token may go (checked by the executor before every send).
    destinations: crate::destinations::Destinations,
    /// An error from finishing a redirect sign-in on this load, for the page to show once.
    redirect_error: RefCell<Option<AuthError>>,
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
    let info: AccountInfo = serde_wasm_bindgen::from_value(js.clone()).ok()?;
    Some(Account::from(info))
}

impl Session {
    /// Creates MSAL, awaits `initialize()` and `handleRedirectPromise()` (on every load, so a
    /// redirect sign-in finishes), and picks the active account.
    pub async fn initialize(config: &Config) -> Result<Session, AuthError> {
        let settings = config.msal(&origin());
        msal_raw::msal_ready().await;
        let pca = msal_raw::create(&settings)?;
        wait(pca.initialize()).await?;
        let session = Session {
            graph_scope: config.scope(Resource::Graph),
            arm_scope: config.scope(Resource::Arm),
            key_vault_scope: config.scope(Resource::KeyVault),
            destinations: crate::destinations::Destinations::from_config(config),
            pca,
            settings,
            redirect_error: RefCell::new(None),
        };
        match wait(session.pca.handle_redirect_promise(&Object::new())).await {
            Ok(result) => {
                if let Some(account) = account_of(&result) {
                    session.pca.set_active_account(&account);
                }
            }
            Err(e) => *session.redirect_error.borrow_mut() = Some(e),
        }
        session.active_account_js();
        Ok(session)
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
    fn active_account_js(&self) -> Option<JsValue> {
        let active = self.pca.get_active_account();
        if active.is_object() {
            return Some(active);
        }
        let first = self.pca.get_all_accounts().get(0);
        if first.is_object() {
            self.pca.set_active_account(&first);
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

    /// Graph's scope, with ARM's and Key Vault's to consent to in the same prompt.
    fn login_request(&self) -> Object {
        let req = request(std::slice::from_ref(&self.graph_scope), None);
        let extra = [self.arm_scope.clone(), self.key_vault_scope.clone()];
        set(&req, "extraScopesToConsent", &msal_raw::strings(&extra));
        req
    }

    /// Starts `loginPopup` NOW (call it synchronously from the click handler: the popup needs
    /// the user gesture), and returns a future of the result to spawn. A blocked popup falls
    /// back to `loginRedirect` (the future then ends with [`AuthError::Redirecting`]).
    pub fn sign_in_popup(&self) -> impl Future<Output = Result<Account, AuthError>> + 'static {
        let req = self.login_request();
        let started = self.pca.login_popup(&req);
        let pca = self.pca.clone();
        async move {
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

    /// `acquireTokenSilent`; when MSAL says the user must act, the interaction `opts` allows.
    pub async fn token_with(
        &self,
        resource: Resource,
        opts: TokenOptions,
    ) -> Result<String, AuthError> {
        let scopes = [self.scope(resource).to_string()];
        let silent = match self.active_account_js() {
            Some(account) => {
                let req = request(&scopes, Some(&account));
                if opts.force_refresh {
                    set(&req, "forceRefresh", &JsValue::TRUE);
                }
                wait(self.pca.acquire_token_silent(&req)).await
            }
            None => Err(AuthError::NoAccount),
        };
        let err = match silent {
            Ok(result) => return access_token(&result),
            Err(e) => e.for_resource(resource),
        };
        if !err.needs_interaction() || opts.interaction == Interaction::None {
            return Err(err);
        }
        let req = request(&scopes, self.active_account_js().as_ref());
        match wait(self.pca.acquire_token_popup(&req)).await {
            Ok(result) => {
                if let Some(account) = account_of(&result) {
                    self.pca.set_active_account(&account);
                }
                access_token(&result)
            }
            Err(e)
                if e.popup_unavailable() && opts.interaction == Interaction::PopupThenRedirect =>
            {
                wait(self.pca.acquire_token_redirect(&req)).await?;
                Err(AuthError::Redirecting)
            }
            Err(e) => Err(e.for_resource(resource)),
        }
    }

    /// Starts `logoutPopup` NOW (from the click handler); MSAL clears its cache first, then ends
    /// the identity provider's session. A blocked popup falls back to `logoutRedirect`.
    pub fn sign_out(&self) -> impl Future<Output = Result<(), AuthError>> + 'static {
        let req = Object::new();
        if let Some(account) = self.active_account_js() {
            set(&req, "account", &account);
        }
        let started = self.pca.logout_popup(&req);
        let pca = self.pca.clone();
        let after = self.settings.post_logout_redirect_uri.clone();
        async move {
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
