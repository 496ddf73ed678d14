//! Placeholder: the ARM + Key Vault engineer owns this file. Mounted at `/kv/{vault}`, so a route
//! `/secrets/{name}` here answers `/kv/{vault}/secrets/{name}` (the `vault` path parameter is
//! visible to `Path` extractors).

pub fn router() -> axum::Router<crate::AppState> {
    axum::Router::new()
}
