//! Reusable pieces of the UI: error panel, loading line, status badge.
//!
//! They take plain props and read no context, so the wizard's steps can use them anywhere and
//! browser tests can mount them alone.

mod error_panel;
mod loading;
mod status_badge;

pub use error_panel::{ErrorPanel, ErrorPanelProps};
pub use loading::{Loading, LoadingProps};
pub use status_badge::{StatusBadge, StatusBadgeProps};
