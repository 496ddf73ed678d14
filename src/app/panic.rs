//! The panic hook: a calm page instead of a frozen one, and never the panic's text (it could
//! contain data from a response). Only the source location goes to the console.

const TITLE: &str = "Something went wrong";
const MESSAGE: &str = "secret-wizard hit an internal error and stopped. Reload the page to start again. If you were creating a secret, check the app registration's secrets before you create another one.";

/// Installs the hook (before the app renders, so Yew keeps it).
pub fn install() {
    yew::set_custom_panic_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        web_sys::console::error_1(&format!("secret-wizard: internal error{at}").into());
        show_fatal_page();
    }));
}

/// The generic internal-error page (the panic hook's).
pub fn show_fatal_page() {
    show_error_page(TITLE, MESSAGE);
}

/// Replaces the whole page with an error panel (DOM calls only; no markup strings): for when no
/// Yew app is left to render one.
pub fn show_error_page(title: &str, message: &str) {
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Some(body) = doc.body() else { return };
    while let Some(child) = body.first_child() {
        let _ = body.remove_child(&child);
    }
    let make = |tag: &str, class: &str, text: &str| {
        let el = doc.create_element(tag).ok()?;
        el.set_class_name(class);
        el.set_text_content(Some(text));
        Some(el)
    };
    let Ok(main) = doc.create_element("main") else {
        return;
    };
    main.set_class_name("page fatal");
    if let Ok(panel) = doc.create_element("div") {
        panel.set_class_name("error-panel");
        let _ = panel.set_attribute("role", "alert");
        for el in [
            make("h1", "error-title", title),
            make("p", "error-message", message),
        ]
        .into_iter()
        .flatten()
        {
            let _ = panel.append_child(&el);
        }
        let _ = main.append_child(&panel);
    }
    let _ = body.append_child(&main);
}
