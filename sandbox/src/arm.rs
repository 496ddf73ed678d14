//! Placeholder: the ARM + Key Vault engineer owns this file. Mounted at `/arm`.

pub fn router() -> axum::Router<crate::AppState> {
    axum::Router::new()
}
