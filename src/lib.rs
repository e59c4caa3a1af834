//! tickler: a keyboard-driven follow-up diary. See README.md for the method it encodes.
#![forbid(unsafe_code)]
#![deny(clippy::unwrap_used, clippy::expect_used)]
// No function over `too-many-lines-threshold` (clippy.toml) lines: split it into named steps.
#![warn(clippy::too_many_lines)]

pub mod actions;
pub mod capture;
pub mod cli;
pub mod dates;
pub mod demo;
#[doc(hidden)]
pub mod fuzzing;
pub mod interop;
pub mod logging;
pub mod model;
pub mod planner;
pub mod sanitize;
pub mod store;
pub mod sync;
pub mod text;
pub mod tui;
