//! The "keep the list clean" review: who to move forward or move out, who is adrift, who cannot
//! be reached.

use super::Entry;
use crate::model::{ContactId, Settings};
use chrono::NaiveDate;
use serde::Serialize;

/// The review lists, each ascending by contact id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Review {
    /// Prospects touched `move_forward_after` times since their last stage change.
    pub move_forward_or_out: Vec<ContactId>,
    /// Kept contacts with nothing planned and no snooze ahead.
    pub adrift: Vec<ContactId>,
    /// Kept contacts with no email, phone or postal address.
    pub unreachable: Vec<ContactId>,
}

pub fn review(entries: &[Entry<'_>], s: &Settings, today: NaiveDate) -> Review {
    let _ = (entries, s, today);
    todo!("planner helper")
}
