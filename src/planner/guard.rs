//! The annoyance guard: a minimum gap between outbound touches and a cap per rolling window.

use super::Facts;
use crate::model::{Settings, TouchId};
use chrono::NaiveDate;
use serde::Serialize;

/// Why an outbound touch on a date would annoy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GuardConflict {
    #[error("only {gap} day(s) after the touch on {near}; the minimum gap is {min_gap} days (earliest allowed: {earliest})")]
    TooSoon {
        near: NaiveDate,
        gap: i64,
        min_gap: u32,
        earliest: NaiveDate,
    },
    #[error("{count} outbound touches already fall within {window} days of {date}; the cap is {cap} (earliest allowed: {earliest})")]
    WindowFull {
        date: NaiveDate,
        count: u32,
        cap: u32,
        window: u32,
        earliest: NaiveDate,
    },
}

/// Check an outbound touch on `date` against the contact's done and planned outbound touches
/// (ignoring the planned touch `except`, e.g. the one being rescheduled).
pub fn check_guard(
    facts: &Facts,
    s: &Settings,
    date: NaiveDate,
    except: Option<TouchId>,
) -> Result<(), GuardConflict> {
    let _ = (facts, s, date, except);
    todo!("planner helper")
}

/// The first date on or after `from` where an outbound touch passes the guard.
pub fn earliest_allowed(
    facts: &Facts,
    s: &Settings,
    from: NaiveDate,
    except: Option<TouchId>,
) -> NaiveDate {
    let _ = (facts, s, from, except);
    todo!("planner helper")
}
