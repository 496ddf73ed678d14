//! Reusable pieces of the UI: error panel, loading line, status badge, stepper, confirm dialog,
//! secret field, and the onboarding pieces (why-it-matters notes, Learn more, the demo's tour).
//!
//! They take plain props and read no context, so the wizard's steps can use them anywhere and
//! browser tests can mount them alone.

mod confirm_dialog;
mod error_panel;
mod learn_more;
mod loading;
mod secret_field;
mod status_badge;
mod stepper;
mod tour;

pub use error_panel::{error_panel, problem_panel, ErrorPanel, ErrorPanelProps};
pub use loading::{loading, Loading, LoadingProps};
pub use status_badge::{status_badge, StatusBadge, StatusBadgeProps};

pub use confirm_dialog::{ConfirmDialog, ConfirmDialogProps};
pub use secret_field::{SecretField, SecretFieldProps, SharedSecret, MASK};
pub use stepper::{stepper, Stepper, StepperProps};

pub use learn_more::{
    learn_more, why_it_matters, LearnMore, Topic, WhyItMatters, WhyItMattersProps,
};
pub use tour::{Tour, TourProps, TOUR_KEY};
