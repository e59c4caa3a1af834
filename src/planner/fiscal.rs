//! Fiscal years: a year that starts on the first day of a configurable month.
//!
//! Owns the fiscal-year arithmetic used by LYBUNT and by the "no money" retry. Pure date maths.

use super::{month_index, month_of};
use chrono::{Datelike, Months, NaiveDate};

/// The start month to use: `start_month` when it is 1-12, else 1 (the calendar year).
fn start_month_or_jan(start_month: u32) -> u32 {
    if (1..=12).contains(&start_month) {
        start_month
    } else {
        1
    }
}

/// The first and last day of the fiscal year containing `date`, for a year starting in
/// `start_month` (1-12; out-of-range values are treated as 1).
pub fn fiscal_year(date: NaiveDate, start_month: u32) -> (NaiveDate, NaiveDate) {
    let m = start_month_or_jan(start_month);
    let year = if date.month() >= m {
        date.year()
    } else {
        date.year() - 1
    };
    // Only fails at the very start of chrono's range, where MIN still contains `date`.
    let first = NaiveDate::from_ymd_opt(year, m, 1).unwrap_or(NaiveDate::MIN);
    let last = first
        .checked_add_months(Months::new(12))
        .and_then(|d| d.pred_opt())
        .unwrap_or(NaiveDate::MAX);
    (first, last)
}

/// The month index (see [`super::month_index`]) of the first month of the fiscal year containing
/// `date`. Months `i` with `start <= i < start + 12` belong to that fiscal year.
pub(crate) fn fiscal_start_month_index(date: NaiveDate, start_month: u32) -> i64 {
    let m = start_month_or_jan(start_month);
    let cur = month_of(date);
    let start_this_year = month_index(date.year(), m);
    if cur >= start_this_year {
        start_this_year
    } else {
        start_this_year - 12
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_year_when_start_is_january() {
        assert_eq!(
            fiscal_year(d(2026, 11, 24), 1),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            fiscal_year(d(2026, 1, 1), 1),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            fiscal_year(d(2026, 12, 31), 1),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
    }

    #[test]
    fn april_to_march() {
        assert_eq!(
            fiscal_year(d(2026, 11, 24), 4),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
        assert_eq!(
            fiscal_year(d(2026, 3, 31), 4),
            (d(2025, 4, 1), d(2026, 3, 31))
        );
        assert_eq!(
            fiscal_year(d(2026, 4, 1), 4),
            (d(2026, 4, 1), d(2027, 3, 31))
        );
    }

    #[test]
    fn february_end_in_leap_years() {
        // March start: the year ends on the last day of February, 29th in leap years.
        assert_eq!(
            fiscal_year(d(2028, 1, 15), 3),
            (d(2027, 3, 1), d(2028, 2, 29))
        );
        assert_eq!(
            fiscal_year(d(2027, 1, 15), 3),
            (d(2026, 3, 1), d(2027, 2, 28))
        );
        assert_eq!(
            fiscal_year(d(2028, 2, 29), 3),
            (d(2027, 3, 1), d(2028, 2, 29))
        );
    }

    #[test]
    fn december_start() {
        assert_eq!(
            fiscal_year(d(2026, 11, 30), 12),
            (d(2025, 12, 1), d(2026, 11, 30))
        );
        assert_eq!(
            fiscal_year(d(2026, 12, 1), 12),
            (d(2026, 12, 1), d(2027, 11, 30))
        );
    }

    #[test]
    fn out_of_range_start_is_january() {
        assert_eq!(
            fiscal_year(d(2026, 6, 1), 0),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
        assert_eq!(
            fiscal_year(d(2026, 6, 1), 13),
            (d(2026, 1, 1), d(2026, 12, 31))
        );
    }

    #[test]
    fn extreme_dates_do_not_panic() {
        let (a, b) = fiscal_year(NaiveDate::MAX, 4);
        assert!(a <= NaiveDate::MAX && b == NaiveDate::MAX);
        let (a, _) = fiscal_year(NaiveDate::MIN, 4);
        assert_eq!(a, NaiveDate::MIN);
    }

    #[test]
    fn month_index_matches_fiscal_year() {
        for start in 1..=12 {
            for m in 1..=12 {
                let date = d(2026, m, 15);
                let (first, _) = fiscal_year(date, start);
                assert_eq!(fiscal_start_month_index(date, start), month_of(first));
            }
        }
    }
}
