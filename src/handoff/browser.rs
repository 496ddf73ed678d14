//! The page's query string, the `sessionStorage` slot of a pending hand-off, and tidying the
//! address bar once the wizard has the hand-off. Nothing stored here is secret.

use super::pending::STORAGE_KEY;

fn window() -> Option<web_sys::Window> {
    web_sys::window()
}

/// `location.search` (with its `?`), or empty.
pub fn page_query() -> String {
    window()
        .and_then(|w| w.location().search().ok())
        .unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    window().and_then(|w| w.session_storage().ok().flatten())
}

pub fn stored() -> Option<String> {
    storage().and_then(|s| s.get_item(STORAGE_KEY).ok().flatten())
}

/// Keeps a valid hand-off's query across a redirect sign-in.
pub fn store(query: &str) {
    if let Some(s) = storage() {
        let _ = s.set_item(STORAGE_KEY, query);
    }
}

pub fn forget() {
    if let Some(s) = storage() {
        let _ = s.remove_item(STORAGE_KEY);
    }
}

/// Removes the hand-off parameters from the address bar (a reload then starts plainly).
pub fn clear_query() {
    let Some(w) = window() else { return };
    let path = w.location().pathname().unwrap_or_else(|_| "/".into());
    if let Ok(h) = w.history() {
        let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
    }
}

/// The site's own address (origin and path), the base of the links the form makes.
pub fn site() -> String {
    window()
        .map(|w| {
            let l = w.location();
            format!(
                "{}{}",
                l.origin().unwrap_or_default(),
                l.pathname().unwrap_or_else(|_| "/".into())
            )
        })
        .unwrap_or_default()
}
