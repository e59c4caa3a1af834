//! LYBUNT: bought Last Year But Unfortunately Not This.

use super::Entry;
use crate::model::{ContactId, Settings};
use chrono::NaiveDate;
use serde::Serialize;

/// One LYBUNT contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LybuntEntry {
    pub contact: ContactId,
    /// Sales in the previous fiscal year, in cents.
    pub last_year_cents: i64,
    pub last_sale: Option<NaiveDate>,
    /// Less than a quarter of the current fiscal year is left.
    pub at_risk: bool,
}

/// Every kept contact with sales in the previous fiscal year and none in the current one, ranked by
/// last year's value (highest first, then contact id).
pub fn lybunt(entries: &[Entry<'_>], s: &Settings, today: NaiveDate) -> Vec<LybuntEntry> {
    let _ = (entries, s, today);
    todo!("planner helper")
}
