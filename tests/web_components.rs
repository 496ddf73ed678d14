//! Browser tests: the app table and the status badge render what the data says.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use chrono::{Duration, Local, Utc};
use secret_wizard::app::AppTable;
use secret_wizard::components::{ErrorPanel, StatusBadge};
use secret_wizard::domain::ExpiryStatus;
use secret_wizard::graph::{Application, PasswordCredential};
use wasm_bindgen_test::*;
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

fn mount<C: BaseComponent>(props: C::Properties) -> web_sys::Element {
    let doc = gloo::utils::document();
    let div = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    yew::Renderer::<C>::with_root_and_props(div.clone(), props).render();
    div
}

fn secret(days_left: i64) -> PasswordCredential {
    PasswordCredential {
        key_id: format!("key-{days_left}"),
        display_name: Some("ci".into()),
        hint: Some("abc".into()),
        start_date_time: Some(Utc::now() - Duration::days(10)),
        end_date_time: Some(Utc::now() + Duration::days(days_left)),
    }
}

fn app(id: &str, name: &str, secrets: Vec<PasswordCredential>) -> Application {
    Application {
        id: id.into(),
        app_id: format!("{id}-client"),
        display_name: name.into(),
        sign_in_audience: Some("AzureADMyOrg".into()),
        created_date_time: None,
        password_credentials: secrets,
        key_credentials: vec![],
    }
}

#[derive(Properties, PartialEq)]
struct TableProps {
    apps: Rc<Vec<Application>>,
}

#[function_component(TableHarness)]
fn table_harness(props: &TableProps) -> Html {
    html! { <AppTable apps={props.apps.clone()} now={Local::now()} /> }
}

#[wasm_bindgen_test]
async fn the_app_table_shows_counts_and_the_worst_status() {
    let apps = Rc::new(vec![
        app("a1", "Payroll API", vec![secret(400), secret(-3)]),
        app("a2", "Onboarding Portal", vec![secret(20)]),
        app("a3", "Legacy Batch", vec![]),
    ]);
    let div = mount::<TableHarness>(TableProps { apps });
    yew::scheduler::flush().await;
    let rows = div.query_selector_all("tbody tr").unwrap();
    assert_eq!(rows.length(), 3);
    let row = |i: u32| -> web_sys::Element {
        wasm_bindgen::JsCast::dyn_into(rows.get(i).unwrap()).unwrap()
    };
    let first = row(0);
    assert_eq!(
        first
            .query_selector("th")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "Payroll API"
    );
    assert!(first.text_content().unwrap().contains("a1-client"));
    let badge = first.query_selector(".badge").unwrap().unwrap();
    assert_eq!(
        badge.get_attribute("data-status").as_deref(),
        Some("expired")
    );
    assert_eq!(badge.text_content().unwrap(), "Expired");
    let counts: Vec<String> = (0..3)
        .map(|i| {
            row(i)
                .query_selector("td.num")
                .unwrap()
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(counts, ["2", "1", "0"]);
    let second = row(1).query_selector(".badge").unwrap().unwrap();
    assert_eq!(
        second.get_attribute("data-status").as_deref(),
        Some("critical")
    );
    let third = row(2).query_selector(".badge").unwrap().unwrap();
    assert_eq!(third.text_content().unwrap(), "No expiry");
}

#[wasm_bindgen_test]
async fn a_badge_always_carries_text() {
    for status in [
        ExpiryStatus::Expired,
        ExpiryStatus::Critical,
        ExpiryStatus::Warning,
        ExpiryStatus::Ok,
        ExpiryStatus::NoExpiry,
    ] {
        let div = mount::<StatusBadge>(secret_wizard::components::StatusBadgeProps { status });
        yew::scheduler::flush().await;
        let badge = div.query_selector(".badge").unwrap().unwrap();
        assert_eq!(badge.text_content().unwrap(), status.label());
        assert!(badge
            .class_name()
            .contains(&format!("badge-{}", status.key())));
    }
}

#[wasm_bindgen_test]
async fn the_error_panel_shows_message_and_details_in_one_alert() {
    let div = mount::<ErrorPanel>(secret_wizard::components::ErrorPanelProps {
        title: "Couldn't load app registrations".into(),
        message: "Microsoft Graph is busy.".into(),
        details: Some("429 · request-id 1234".into()),
        children: Html::default(),
    });
    yew::scheduler::flush().await;
    let alert = div.query_selector("[role=alert]").unwrap().unwrap();
    let text = alert.text_content().unwrap();
    assert!(text.contains("Couldn't load app registrations"));
    assert!(text.contains("Microsoft Graph is busy."));
    assert_eq!(
        alert
            .query_selector(".error-details code")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap(),
        "429 · request-id 1234"
    );
}
