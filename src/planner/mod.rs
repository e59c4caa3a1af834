//! The follow-up planner: pure rules, no I/O, no clock (`today` is always a parameter).
//!
//! Everything here is a function of the model values it is given. The store calls [`facts::summarize`]
//! to keep a per-contact summary current on every write; the CLI and the TUI call the rest. Must not
//! touch redb, the filesystem, the terminal or `chrono::Local`.

pub mod agenda;
pub mod close;
pub mod due;
pub mod facts;
pub mod fiscal;
pub mod guard;
pub mod insights;
pub mod level;
pub mod lybunt;
pub mod pieces;
pub mod review;
pub mod suggest;
pub mod value;

pub use agenda::{Agenda, AgendaDay, AgendaItem, agenda};
pub use due::{
    BIRTHDAY_CARD_RECENT_DAYS, BIRTHDAY_HORIZON_DAYS, DueReason, MIN_RETURN_DAYS, NextDue, Urgency,
    birthday_card, effective_cadence, is_adrift, next_due, retry_date,
};
pub use facts::{Facts, MonthTotal, PlannedTouch, summarize};
pub use guard::{GuardConflict, check_guard, earliest_allowed, passes_guard};
pub use insights::{Diary, Insights, insights};
pub use level::pick_day;
pub use lybunt::{LybuntEntry, lybunt};
pub use pieces::suggest_piece;
pub use review::{Review, review};
pub use suggest::{DEFAULT_MIX, suggest_channel};
pub use value::{Order, value_cents};

use crate::model::{Category, Profile};

/// One contact as the planner sees it: its profile, its summary and its category (if any).
#[derive(Debug, Clone, Copy)]
pub struct Entry<'a> {
    pub contact: &'a Profile,
    pub facts: &'a Facts,
    pub category: Option<&'a Category>,
}

/// The planner's view of every row of a roster: each profile with its facts and its category.
pub fn entries<'a>(categories: &'a [Category], rows: &'a [(Profile, Facts)]) -> Vec<Entry<'a>> {
    let by_id: std::collections::HashMap<_, &Category> =
        categories.iter().map(|k| (k.id, k)).collect();
    rows.iter()
        .map(|(contact, facts)| Entry {
            contact,
            facts,
            category: contact.category.and_then(|id| by_id.get(&id).copied()),
        })
        .collect()
}

use chrono::{Datelike, Days, NaiveDate};

/// `date` plus `n` days (negative: minus), saturating at the ends of chrono's range.
pub(crate) fn add_days(date: NaiveDate, n: i64) -> NaiveDate {
    let step = Days::new(n.unsigned_abs());
    if n >= 0 {
        date.checked_add_days(step).unwrap_or(NaiveDate::MAX)
    } else {
        date.checked_sub_days(step).unwrap_or(NaiveDate::MIN)
    }
}

/// Whole days from `b` to `a` (`a - b`).
pub(crate) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    (a - b).num_days()
}

/// A month as one number (`year * 12 + month - 1`), to compare months without building dates.
pub(crate) fn month_index(year: i32, month: u32) -> i64 {
    i64::from(year) * 12 + i64::from(month) - 1
}

/// The month index of `date`.
pub(crate) fn month_of(date: NaiveDate) -> i64 {
    month_index(date.year(), date.month())
}
