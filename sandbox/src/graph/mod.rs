//! Microsoft Graph v1.0, mounted at `/graph`.

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;

use crate::AppState;

pub fn router() -> Router<AppState> {
    Router::new()
}

/// Gives every Graph response `request-id` and `client-request-id`.
pub async fn request_ids(req: Request, next: Next) -> Response {
    next.run(req).await
}
