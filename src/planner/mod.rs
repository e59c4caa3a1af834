//! The follow-up planner: pure rules, no I/O, no clock (`today` is always a parameter).
//!
//! Everything here is a function of the model values it is given. The store calls [`facts::summarize`]
//! to keep a per-contact summary current on every write; the CLI and the TUI call the rest. Must not
//! touch redb, the filesystem, the terminal or `chrono::Local`.

pub mod agenda;
pub mod due;
pub mod facts;
pub mod fiscal;
pub mod guard;
pub mod level;
pub mod lybunt;
pub mod review;
pub mod suggest;

pub use agenda::{Agenda, AgendaDay, AgendaItem, agenda};
pub use due::{DueReason, NextDue, Urgency, effective_cadence, next_due, retry_date};
pub use facts::{Facts, MonthTotal, PlannedTouch, summarize};
pub use guard::{GuardConflict, check_guard, earliest_allowed};
pub use level::pick_day;
pub use lybunt::{LybuntEntry, lybunt};
pub use review::{Review, review};

use crate::model::{Category, Contact};

/// One contact as the planner sees it: the record, its summary and its category (if any).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub contact: &'a Contact,
    pub facts: &'a Facts,
    pub category: Option<&'a Category>,
}
