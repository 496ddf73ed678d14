//! Could this page load end up signed in? Decided before MSAL has started, from what is already
//! in the tab, so a visitor who cannot be signed in sees the Sign in button at once while MSAL
//! starts in the background (`may_resume_here` reads the tab for it; `app::first_step` asks).
//!
//! A load can end up signed in only if MSAL has something to go on: its cache (kept in this
//! tab's `sessionStorage`, under keys starting `msal.`), or the state it saved before a redirect
//! sign-in (also there), or a sign-in response in the URL. Anything that looks like one of these
//! means "wait for MSAL", except the one key MSAL 5 writes on every start, signed in or not
//! (`msal.version`): without that exception, every reload of a signed-out tab would wait. Getting it wrong the other way is only cosmetic: if MSAL finds an
//! account after all, the page switches to signed in when it does.

/// MSAL's prefix for everything it keeps in web storage.
pub const MSAL_KEY_PREFIX: &str = "msal.";

/// Keys MSAL writes on every start whether or not anyone signs in (seen with MSAL 5.30: a fresh
/// tab and a signed-out one hold only this). Should a later MSAL write more, those loads simply
/// wait for MSAL again.
pub const MSAL_BOOKKEEPING: [&str; 1] = ["msal.version"];

/// Parameter names of an OAuth 2.0 authorization response (in the query or the fragment).
const RESPONSE_PARAMS: [&str; 3] = ["code", "error", "state"];

/// `storage_keys`: the names in this tab's `sessionStorage`; `search` and `hash`: the page URL's
/// query and fragment, with or without their leading `?` / `#`.
pub fn may_resume<'a>(
    storage_keys: impl IntoIterator<Item = &'a str>,
    search: &str,
    hash: &str,
) -> bool {
    storage_keys
        .into_iter()
        .any(|k| k.starts_with(MSAL_KEY_PREFIX) && !MSAL_BOOKKEEPING.contains(&k))
        || has_response(search.strip_prefix('?').unwrap_or(search))
        || has_response(hash.strip_prefix('#').unwrap_or(hash))
}

fn has_response(params: &str) -> bool {
    params
        .split('&')
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .any(|name| RESPONSE_PARAMS.contains(&name))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: [&str; 0] = [];

    #[test]
    fn a_fresh_tab_cannot_be_signed_in() {
        assert!(!may_resume(NONE, "", ""));
        assert!(!may_resume(NONE, "?", "#"));
    }

    #[test]
    fn our_own_keys_and_links_are_not_a_session() {
        // The tour's flag, a pending hand-off link, a rotation in progress.
        let ours = [
            "secret-wizard.tour",
            "secret-wizard.handoff",
            "secret-wizard.rotation.abc",
        ];
        assert!(!may_resume(
            ours,
            "?app=11111111-1111-1111-1111-111111111111&vault=kv-a",
            ""
        ));
        assert!(!may_resume(ours, "", "#app=payroll"));
        // Names that merely contain a response parameter's name.
        assert!(!may_resume(NONE, "?barcode=1&statement=2", "#errors=0"));
        assert!(!may_resume(["xmsal.account.keys", "MSAL.x"], "", ""));
    }

    #[test]
    fn msals_version_stamp_alone_is_not_a_session() {
        // What a fresh tab and a signed-out one hold after MSAL has started once.
        assert!(!may_resume(["msal.version"], "", ""));
        assert!(!may_resume(["msal.version", "secret-wizard.tour"], "", ""));
        // Signed in: the account list and the tokens are there too.
        assert!(may_resume(["msal.version", "msal.3.account.keys"], "", ""));
    }

    #[test]
    fn any_msal_key_means_wait_for_msal() {
        assert!(may_resume(["msal.2.account.keys"], "", ""));
        assert!(may_resume(
            ["secret-wizard.tour", "msal.interaction.status"],
            "",
            ""
        ));
        assert!(may_resume(["msal."], "", ""));
    }

    #[test]
    fn a_sign_in_response_in_the_url_means_wait_for_msal() {
        assert!(may_resume(NONE, "?code=abc&state=xyz", ""));
        assert!(may_resume(NONE, "", "#code=abc&client_info=e30&state=xyz"));
        assert!(may_resume(
            NONE,
            "",
            "error=access_denied&error_description=x"
        ));
        assert!(may_resume(NONE, "app=x&state", ""));
    }
}
