//! The agenda for a date range: items per day, overdue first, ranked.

use super::{Entry, NextDue};
use crate::model::Settings;
use chrono::NaiveDate;
use serde::Serialize;

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    #[serde(flatten)]
    pub due: NextDue,
}

/// The items of one day, ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaDay {
    pub date: NaiveDate,
    pub items: Vec<AgendaItem>,
}

/// The agenda of `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// Items due before `max(from, today)` and not done, most urgent first.
    pub overdue: Vec<AgendaItem>,
    /// One entry per day of the range that is not before today, in order (empty days included).
    pub days: Vec<AgendaDay>,
}

pub fn agenda(
    entries: &[Entry<'_>],
    s: &Settings,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Agenda {
    let _ = (entries, s, today, from, to);
    todo!("planner helper")
}
