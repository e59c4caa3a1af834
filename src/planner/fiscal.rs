//! Fiscal years: a year that starts on the first day of a configurable month.

use chrono::NaiveDate;

/// The first and last day of the fiscal year containing `date`, for a year starting in
/// `start_month` (1-12; out-of-range values are treated as 1).
pub fn fiscal_year(date: NaiveDate, start_month: u32) -> (NaiveDate, NaiveDate) {
    let _ = (date, start_month);
    todo!("planner helper")
}
