//! Pages: what the signed-in shell shows.

mod wizard;

pub use wizard::{wizard_config, WizardPage};
