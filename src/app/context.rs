//! What every page may read: the configuration, the MSAL session, who is signed in, and the
//! clipboard guard.

use std::rc::Rc;

use yew::prelude::*;

use crate::auth::{Account, Session};
use crate::config::Config;

/// Provided by the app root once config.json is read and MSAL is ready.
#[derive(Clone)]
pub struct AppContext {
    pub config: Rc<Config>,
    pub session: Rc<Session>,
    /// `None` while signed out.
    pub account: Option<Account>,
    /// Pages report sign-in and sign-out through this.
    pub set_account: Callback<Option<Account>>,
    /// The clipboard guard above the pages (`app::clipboard`); `None` in the boot module, which
    /// copies nothing.
    pub clipboard: Option<super::clipboard::Clipboard>,
}

impl PartialEq for AppContext {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.config, &other.config)
            && Rc::ptr_eq(&self.session, &other.session)
            && self.account == other.account
            && self.set_account == other.set_account
            && self.clipboard == other.clipboard
    }
}

/// The context, for pages under the provider (panics elsewhere: a programming error).
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("AppContext is provided by the app root")
}
