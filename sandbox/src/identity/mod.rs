//! Entra ID v2-shaped identity endpoints.

use axum::Router;

use crate::AppState;

/// Authorization codes and refresh tokens in flight.
#[derive(Default)]
pub struct IdentityState {}

pub fn router(_state: &AppState) -> Router<AppState> {
    Router::new()
}
