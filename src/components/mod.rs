//! Reusable pieces of the UI: error panel, loading line, status badge, stepper, confirm dialog,
//! secret field, and the onboarding pieces (why-it-matters notes, Learn more, the demo's tour).
//!
//! They read no context, so every screen can use them and browser tests can draw them alone.
//! Those without state are plain functions returning `Html` (a component type costs the wasm
//! its own lifecycle code); the confirm dialog, the secret field and the tour are components.

mod confirm_dialog;
mod error_panel;
mod learn_more;
mod loading;
mod secret_field;
mod status_badge;
mod stepper;
mod tour;

pub use error_panel::{error_panel, problem_panel};
pub use loading::loading;
pub use status_badge::status_badge;

pub use confirm_dialog::{ConfirmDialog, ConfirmDialogProps};
pub use secret_field::{SecretField, SecretFieldProps, SharedSecret, MASK};
pub use stepper::stepper;

pub use learn_more::{learn_more, why_it_matters, Topic};
pub use tour::{Tour, TourProps, TOUR_KEY};
