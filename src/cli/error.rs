//! CLI errors and exit codes.
//!
//! Exit codes are a contract: 0 success, 1 a failure of the environment (database locked, damaged,
//! I/O), 2 bad input (nothing was changed), 3 an annoyance-guard conflict (nothing was changed),
//! 4 `tickler check` found the database damaged or inconsistent.

use thiserror::Error;

/// A mistake in what the user typed: one line, with the fix. Exits 2 and changes nothing.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct UserError(pub String);

impl UserError {
    pub fn new(msg: impl Into<String>) -> Self {
        UserError(msg.into())
    }
}

/// The annoyance guard refused an outbound touch. Exits 3 and changes nothing.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct GuardRefused(pub String);

/// `tickler check` found damage or an inconsistency. Exits 4.
#[derive(Debug, Error)]
#[error("{0}")]
pub struct CheckFailed(pub String);

/// Exit code for bad input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code for an annoyance-guard conflict.
pub const EXIT_GUARD: u8 = 3;
/// Exit code of `tickler check` when the database is damaged or inconsistent.
pub const EXIT_CHECK: u8 = 4;
/// Exit code for any other failure.
pub const EXIT_FAILURE: u8 = 1;

/// Shorthand for a [`UserError`] wrapped in anyhow.
pub fn user(msg: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError::new(msg))
}

/// The exit code an error maps to.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(a) = err.downcast_ref::<crate::actions::ActionError>() {
        return if a.is_guard() {
            EXIT_GUARD
        } else if a.is_store() {
            EXIT_FAILURE
        } else {
            EXIT_USAGE
        };
    }
    if err.downcast_ref::<UserError>().is_some()
        || err
            .downcast_ref::<crate::model::validate::ValidationError>()
            .is_some()
        || err.downcast_ref::<crate::dates::DateError>().is_some()
    {
        EXIT_USAGE
    } else if err.downcast_ref::<GuardRefused>().is_some() {
        EXIT_GUARD
    } else if err.downcast_ref::<CheckFailed>().is_some() {
        EXIT_CHECK
    } else {
        EXIT_FAILURE
    }
}
