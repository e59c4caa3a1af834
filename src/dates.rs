//! Dates as users type them: ISO dates and relative forms, resolved against a given `today`.

use chrono::NaiveDate;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid date '{input}': {why}; use YYYY-MM-DD or today, tomorrow, yesterday, +3d, -2w, +1m, mon..sun, next week, next month")]
pub struct DateError {
    pub input: String,
    pub why: String,
}

/// Parse `input` relative to `today`.
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let _ = (input, today);
    todo!("dates helper")
}
