//! One component per wizard step. Each renders a slice of the state and sends [`Msg`]s; none
//! decides anything.
//!
//! [`Msg`]: crate::wizard::Msg

mod choose;
mod describe;
mod done;
mod recovery;
mod review;
mod show_once;

pub use choose::ChooseStep;
pub use describe::DescribeStep;
pub use done::DoneStep;
pub use recovery::RecoveryStep;
pub use review::ReviewStep;
pub use show_once::ShowOnceStep;
