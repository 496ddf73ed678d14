//! Where the wizard is: [`Step`], one variant per step holding that step's state (Choose and
//! Review keep theirs in the router, since going back finds them as left), and the stepper's
//! [`STEP_LABELS`]. A leaf beside the steps: the router (`wizard::state`) and the parts that
//! look at the step without being one (`wizard::leaving`, `wizard::prepared`,
//! `wizard::vault_step`) import it, and it imports only the steps' states.

use super::certificate::CertificateState;
use super::describe::{Attempt, DescribeState};
use super::done::DoneState;
use super::recovery::RecoveryState;
use super::show_once::ShowOnceState;

/// The wizard's steps. Only [`ShowOnceState`] holds a secret value.
#[derive(Debug)]
pub enum Step {
    Choose,
    Review,
    Describe(DescribeState),
    Creating(Attempt),
    ShowOnce(Box<ShowOnceState>),
    Recovery(Box<RecoveryState>),
    Done(DoneState),
    /// A federated identity credential instead of a secret (`wizard::federated`).
    Federated(Box<super::federated::FederatedState>),
    /// A certificate credential being made, added and stored (where Creating is); holds the
    /// PEM until the vault has it.
    Certificate(Box<CertificateState>),
}

/// The stepper's labels, in order.
pub const STEP_LABELS: [&str; 6] = [
    "Choose app",
    "Review credentials",
    "Describe",
    "Creating",
    "Show once",
    "Done",
];

impl Step {
    /// Position in [`STEP_LABELS`] (Recovery sits where Creating does).
    pub fn index(&self) -> usize {
        match self {
            Step::Choose => 0,
            Step::Review => 1,
            Step::Describe(_) | Step::Federated(_) => 2,
            Step::Creating(_) | Step::Recovery(_) | Step::Certificate(_) => 3,
            Step::ShowOnce(_) => 4,
            Step::Done(_) => 5,
        }
    }

    /// The Show-once step's state, when the value is on screen.
    pub fn show_once(&self) -> Option<&ShowOnceState> {
        match self {
            Step::ShowOnce(s) => Some(s),
            _ => None,
        }
    }
}
