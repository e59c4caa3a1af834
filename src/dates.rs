//! Dates as users type them: ISO dates and relative forms, resolved against a given `today`.
//!
//! Pure: never reads the clock. The caller passes `today`; every form below is resolved against it.
//!
//! | input                                   | meaning                                          |
//! |-----------------------------------------|--------------------------------------------------|
//! | `2026-11-24`                            | that date (impossible dates are refused)         |
//! | `today`, `tomorrow`, `yesterday`        |                                                  |
//! | `+3d`, `-3d`, `3d`, `+2w`, `+1m`, `+1y` | offsets; months and years are calendar ones      |
//! | `in 3 days`, `in 2 weeks`, `in 1 month` | the same as `+3d`, `+2w`, `+1m`                  |
//! | `3 days ago`, `2 weeks ago`             | the same as `-3d`, `-2w`                         |
//! | `mon` .. `sun`, `monday` .. `sunday`    | the next such day strictly after today           |
//! | `next week`                             | Monday of next week                              |
//! | `next month`, `next year`               | the 1st of next month, 1 January of next year    |
//! | `end of week`, `eow`                    | Sunday of this week (today on a Sunday)          |
//! | `end of month`, `eom`                   | the last day of this month                       |
//!
//! Input is trimmed and case-insensitive; runs of spaces count as one.
//!
//! One horizon for every date typed anywhere (plans, snoozes, logs, reports, `--today`): from
//! 1900-01-01 ([`validate::first_date`]) to [`MAX_YEARS_AHEAD`] years after today, and never
//! after 9999-12-31 ([`validate::last_date`]: calendars and ISO 8601 need four-digit years).
//! `plan c1 +2914000d` is refused here instead of reaching an iCalendar file as year 10,000.

use crate::model::validate;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};
use thiserror::Error;

/// How far ahead of today a date may lie.
pub const MAX_YEARS_AHEAD: u32 = 100;

/// The last date accepted when today is `today`: [`MAX_YEARS_AHEAD`] years on, at most
/// 9999-12-31.
pub fn horizon(today: NaiveDate) -> NaiveDate {
    today
        .checked_add_months(Months::new(MAX_YEARS_AHEAD * 12))
        .map_or(validate::last_date(), |d| d.min(validate::last_date()))
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error(
    "invalid date '{input}': {why}; use YYYY-MM-DD or today, tomorrow, yesterday, +3d, -2w, +1m, mon..sun, next week, next month"
)]
pub struct DateError {
    pub input: String,
    pub why: String,
}

/// Parse `input` relative to `today`, within the horizon (see the module doc).
pub fn parse_date(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let date = parse_unbounded(input, today)?;
    let why = if date < validate::first_date() {
        format!(
            "that is before {}, the first date tickler keeps",
            validate::first_date()
        )
    } else if date > validate::last_date() {
        format!(
            "that is after {}, the last date tickler keeps",
            validate::last_date()
        )
    } else if date > horizon(today) {
        format!(
            "that is more than {MAX_YEARS_AHEAD} years ahead (the furthest is {})",
            horizon(today)
        )
    } else {
        return Ok(date);
    };
    Err(DateError {
        input: input.trim().to_string(),
        why,
    })
}

/// Whether `input` is written as a date (any form above), even one that is refused (an
/// impossible day, beyond the horizon): a verb that takes "contacts, then maybe a day" reports
/// such a word's date error instead of looking for a contact named `+2914000d`.
pub fn looks_like_date(input: &str, today: NaiveDate) -> bool {
    match parse_unbounded(input, today) {
        Ok(_) => true,
        Err(e) => e.why != NOT_A_DATE && e.why != EMPTY,
    }
}

const NOT_A_DATE: &str = "not a date tickler understands";
const EMPTY: &str = "the date is empty";

fn parse_unbounded(input: &str, today: NaiveDate) -> Result<NaiveDate, DateError> {
    let err = |why: String| DateError {
        input: input.trim().to_string(),
        why,
    };
    let norm = input
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    if norm.is_empty() {
        return Err(err(EMPTY.to_string()));
    }

    if let Some(date) = keyword(&norm, today) {
        return date.ok_or_else(|| err("that date is out of range".to_string()));
    }
    if let Some(wd) = weekday(&norm) {
        return next_weekday(today, wd).ok_or_else(|| err("that date is out of range".to_string()));
    }
    if looks_iso(&norm) {
        return iso(&norm).map_err(err);
    }
    if let Some(off) = offset(&norm) {
        let off = off.map_err(&err)?;
        return apply(today, off).ok_or_else(|| {
            err(format!(
                "{} {} from {today} is beyond the last date tickler can store",
                off.n,
                off.unit.name(off.n)
            ))
        });
    }
    Err(err(NOT_A_DATE.to_string()))
}

/// A date as people say it, relative to `today`: "today", "tomorrow", "yesterday", "in 3 days",
/// "2 days ago" within two weeks either way, else the ISO date (`2026-12-24`).
pub fn format_relative(date: NaiveDate, today: NaiveDate) -> String {
    let diff = date.signed_duration_since(today).num_days();
    match diff {
        0 => "today".to_string(),
        1 => "tomorrow".to_string(),
        -1 => "yesterday".to_string(),
        2..=13 => format!("in {diff} days"),
        -13..=-2 => format!("{} days ago", -diff),
        _ => date.format("%Y-%m-%d").to_string(),
    }
}

/// How many days `month` (1-12) of `year` has; `None` for a month outside 1-12.
pub fn days_in_month(year: i32, month: u32) -> Option<u32> {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => Some(31),
        4 | 6 | 9 | 11 => Some(30),
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => Some(29),
        2 => Some(28),
        _ => None,
    }
}

/// The named forms. `Some(None)` is a known keyword whose date falls outside chrono's range.
fn keyword(s: &str, today: NaiveDate) -> Option<Option<NaiveDate>> {
    let date = match s {
        "today" | "now" => Some(today),
        "tomorrow" | "tmr" | "tmrw" => today.succ_opt(),
        "yesterday" => today.pred_opt(),
        "next week" => {
            let to_monday = 7 - u64::from(today.weekday().num_days_from_monday());
            today.checked_add_days(Days::new(to_monday))
        }
        "end of week" | "eow" => {
            let to_sunday = 6 - u64::from(today.weekday().num_days_from_monday());
            today.checked_add_days(Days::new(to_sunday))
        }
        "next month" => today
            .with_day(1)
            .and_then(|d| d.checked_add_months(Months::new(1))),
        "end of month" | "eom" => {
            days_in_month(today.year(), today.month()).and_then(|last| today.with_day(last))
        }
        "next year" => today
            .year()
            .checked_add(1)
            .and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1)),
        "end of year" | "eoy" => NaiveDate::from_ymd_opt(today.year(), 12, 31),
        _ => return None,
    };
    Some(date)
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "mon" | "monday" => Weekday::Mon,
        "tue" | "tues" | "tuesday" => Weekday::Tue,
        "wed" | "wednesday" => Weekday::Wed,
        "thu" | "thur" | "thurs" | "thursday" => Weekday::Thu,
        "fri" | "friday" => Weekday::Fri,
        "sat" | "saturday" => Weekday::Sat,
        "sun" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// The next `wd` strictly after `today` (a week ahead when today is that day).
fn next_weekday(today: NaiveDate, wd: Weekday) -> Option<NaiveDate> {
    let from = today.weekday().num_days_from_monday();
    let to = wd.num_days_from_monday();
    let ahead = (to + 7 - from) % 7;
    let ahead = if ahead == 0 { 7 } else { ahead };
    today.checked_add_days(Days::new(u64::from(ahead)))
}

/// Digits, dash, digits, dash, digits: the user meant an ISO date, so errors speak of one.
fn looks_iso(s: &str) -> bool {
    let parts: Vec<&str> = s.split('-').collect();
    parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
}

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn iso(s: &str) -> Result<NaiveDate, String> {
    let mut parts = s.split('-');
    let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next()) else {
        return Err("write the date as YYYY-MM-DD".to_string());
    };
    if y.len() != 4 || m.len() > 2 || d.len() > 2 {
        return Err("write the date as YYYY-MM-DD, e.g. 2026-11-24".to_string());
    }
    let num = |p: &str| {
        p.parse::<u32>()
            .map_err(|_| "write the date as YYYY-MM-DD".to_string())
    };
    let (year, month, day) = (num(y)?, num(m)?, num(d)?);
    let year = i32::try_from(year).map_err(|_| "the year is out of range".to_string())?;
    if !(1..=12).contains(&month) {
        return Err(format!(
            "there is no month {month}: months run from 01 to 12"
        ));
    }
    let len = days_in_month(year, month).ok_or_else(|| "the year is out of range".to_string())?;
    let month_name = MONTH_NAMES
        .get(month as usize - 1)
        .copied()
        .unwrap_or("that month");
    if day == 0 || day > len {
        return Err(format!("{month_name} {year} has {len} days"));
    }
    NaiveDate::from_ymd_opt(year, month, day).ok_or_else(|| "the date is out of range".to_string())
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    fn parse(s: &str) -> Option<Unit> {
        Some(match s {
            "d" | "day" | "days" => Unit::Day,
            "w" | "wk" | "wks" | "week" | "weeks" => Unit::Week,
            "m" | "mo" | "month" | "months" => Unit::Month,
            "y" | "yr" | "yrs" | "year" | "years" => Unit::Year,
            _ => return None,
        })
    }

    fn name(self, n: u64) -> &'static str {
        match (self, n == 1) {
            (Unit::Day, true) => "day",
            (Unit::Day, false) => "days",
            (Unit::Week, true) => "week",
            (Unit::Week, false) => "weeks",
            (Unit::Month, true) => "month",
            (Unit::Month, false) => "months",
            (Unit::Year, true) => "year",
            (Unit::Year, false) => "years",
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct Offset {
    back: bool,
    n: u64,
    unit: Unit,
}

/// `+3d`, `-2w`, `3d`, `+1 month`, `in 3 days`, `3 days ago`. `None` when the input is not shaped
/// like an offset at all; `Some(Err)` when it is but the number is unusable.
fn offset(s: &str) -> Option<Result<Offset, String>> {
    let (body, forced_back) = if let Some(rest) = s.strip_prefix("in ") {
        (rest, Some(false))
    } else if let Some(rest) = s.strip_suffix(" ago") {
        (rest, Some(true))
    } else {
        (s, None)
    };
    let (back, body) = match body.as_bytes().first() {
        Some(b'+') if forced_back.is_none() => (false, &body[1..]),
        Some(b'-') if forced_back.is_none() => (true, &body[1..]),
        _ => (forced_back.unwrap_or(false), body),
    };
    let digits_end = body
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(body.len());
    let (digits, unit) = body.split_at(digits_end);
    if digits.is_empty() {
        return None;
    }
    let unit = Unit::parse(unit.trim_start())?;
    let Ok(n) = digits.parse::<u64>() else {
        return Some(Err(format!("the number {digits} is far too large")));
    };
    Some(Ok(Offset { back, n, unit }))
}

fn apply(today: NaiveDate, off: Offset) -> Option<NaiveDate> {
    match off.unit {
        Unit::Day | Unit::Week => {
            let days = if off.unit == Unit::Week {
                off.n.checked_mul(7)?
            } else {
                off.n
            };
            if off.back {
                today.checked_sub_days(Days::new(days))
            } else {
                today.checked_add_days(Days::new(days))
            }
        }
        Unit::Month | Unit::Year => {
            let months = if off.unit == Unit::Year {
                off.n.checked_mul(12)?
            } else {
                off.n
            };
            let months = Months::new(u32::try_from(months).ok()?);
            if off.back {
                today.checked_sub_months(months)
            } else {
                today.checked_add_months(months)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Tuesday 24 November 2026.
    fn today() -> NaiveDate {
        d(2026, 11, 24)
    }

    fn p(s: &str) -> NaiveDate {
        parse_date(s, today()).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn p_at(s: &str, at: NaiveDate) -> NaiveDate {
        parse_date(s, at).unwrap_or_else(|e| panic!("{s}: {e}"))
    }

    fn why(s: &str) -> String {
        parse_date(s, today()).unwrap_err().why
    }

    #[test]
    fn today_is_a_tuesday() {
        assert_eq!(today().weekday(), Weekday::Tue);
    }

    #[test]
    fn iso_dates() {
        assert_eq!(p("2026-12-25"), d(2026, 12, 25));
        assert_eq!(p("  2027-01-01  "), d(2027, 1, 1));
        assert_eq!(p("2028-02-29"), d(2028, 2, 29));
        assert_eq!(p("2000-02-29"), d(2000, 2, 29));
        assert_eq!(p("2026-3-5"), d(2026, 3, 5));
    }

    #[test]
    fn impossible_iso_dates_say_why() {
        assert_eq!(why("2027-02-31"), "February 2027 has 28 days");
        assert_eq!(why("2027-02-29"), "February 2027 has 28 days");
        assert_eq!(why("2028-02-30"), "February 2028 has 29 days");
        assert_eq!(why("1900-02-29"), "February 1900 has 28 days");
        assert_eq!(why("2026-04-31"), "April 2026 has 30 days");
        assert_eq!(why("2026-01-00"), "January 2026 has 31 days");
        assert!(why("2026-13-01").contains("no month 13"));
        assert!(why("2026-00-10").contains("no month 0"));
        assert!(parse_date("26-01-01", today()).is_err());
        assert!(parse_date("2026-001-01", today()).is_err());
        assert!(parse_date("2026/01/01", today()).is_err());
    }

    #[test]
    fn error_message_names_input_and_reason() {
        let e = parse_date(" 2027-02-31 ", today()).unwrap_err();
        assert_eq!(e.input, "2027-02-31");
        let msg = e.to_string();
        assert!(msg.contains("'2027-02-31'"), "{msg}");
        assert!(msg.contains("February 2027 has 28 days"), "{msg}");
    }

    #[test]
    fn words() {
        assert_eq!(p("today"), today());
        assert_eq!(p("TODAY"), today());
        assert_eq!(p("Tomorrow"), d(2026, 11, 25));
        assert_eq!(p("yesterday"), d(2026, 11, 23));
        assert_eq!(p_at("tomorrow", d(2026, 12, 31)), d(2027, 1, 1));
        assert_eq!(p_at("yesterday", d(2027, 1, 1)), d(2026, 12, 31));
        assert_eq!(p_at("tomorrow", d(2028, 2, 28)), d(2028, 2, 29));
    }

    #[test]
    fn signed_offsets() {
        assert_eq!(p("+3d"), d(2026, 11, 27));
        assert_eq!(p("-3d"), d(2026, 11, 21));
        assert_eq!(p("3d"), d(2026, 11, 27));
        assert_eq!(p("+0d"), today());
        assert_eq!(p("+2w"), d(2026, 12, 8));
        assert_eq!(p("-2w"), d(2026, 11, 10));
        assert_eq!(p("+1m"), d(2026, 12, 24));
        assert_eq!(p("+2m"), d(2027, 1, 24));
        assert_eq!(p("-11m"), d(2025, 12, 24));
        assert_eq!(p("+1y"), d(2027, 11, 24));
        assert_eq!(p("-1y"), d(2025, 11, 24));
        assert_eq!(p("+10 days"), d(2026, 12, 4));
        assert_eq!(p("+1 month"), d(2026, 12, 24));
        assert_eq!(p("+40d"), d(2027, 1, 3));
    }

    #[test]
    fn months_are_calendar_months() {
        assert_eq!(p_at("+1m", d(2026, 1, 31)), d(2026, 2, 28));
        assert_eq!(p_at("+1m", d(2028, 1, 31)), d(2028, 2, 29));
        assert_eq!(p_at("+1m", d(2026, 3, 31)), d(2026, 4, 30));
        assert_eq!(p_at("-1m", d(2026, 3, 31)), d(2026, 2, 28));
        assert_eq!(p_at("+1y", d(2028, 2, 29)), d(2029, 2, 28));
        assert_eq!(p_at("+4y", d(2028, 2, 29)), d(2032, 2, 29));
        assert_eq!(p_at("+1m", d(2026, 12, 15)), d(2027, 1, 15));
    }

    #[test]
    fn in_n_units() {
        assert_eq!(p("in 3 days"), d(2026, 11, 27));
        assert_eq!(p("in 1 day"), d(2026, 11, 25));
        assert_eq!(p("in 2 weeks"), d(2026, 12, 8));
        assert_eq!(p("in 1 month"), d(2026, 12, 24));
        assert_eq!(p("in 2 years"), d(2028, 11, 24));
        assert_eq!(p("In   3   Days"), d(2026, 11, 27));
        assert_eq!(p("in 3d"), d(2026, 11, 27));
        assert_eq!(p("3 days ago"), d(2026, 11, 21));
        assert_eq!(p("1 week ago"), d(2026, 11, 17));
        assert!(parse_date("in -3 days", today()).is_err());
        assert!(parse_date("in +3 days", today()).is_err());
        assert!(parse_date("-3 days ago", today()).is_err());
        assert!(parse_date("in days", today()).is_err());
        assert!(parse_date("in 3", today()).is_err());
    }

    #[test]
    fn weekdays_are_strictly_after_today() {
        // today is Tuesday 24 November 2026
        assert_eq!(p("wed"), d(2026, 11, 25));
        assert_eq!(p("wednesday"), d(2026, 11, 25));
        assert_eq!(p("thu"), d(2026, 11, 26));
        assert_eq!(p("fri"), d(2026, 11, 27));
        assert_eq!(p("Sat"), d(2026, 11, 28));
        assert_eq!(p("sunday"), d(2026, 11, 29));
        assert_eq!(p("mon"), d(2026, 11, 30));
        assert_eq!(p("MONDAY"), d(2026, 11, 30));
        assert_eq!(p("tue"), d(2026, 12, 1));
        assert_eq!(p("tuesday"), d(2026, 12, 1));
        assert_eq!(p_at("fri", d(2026, 12, 30)), d(2027, 1, 1));
    }

    #[test]
    fn next_and_end_of() {
        assert_eq!(p("next week"), d(2026, 11, 30));
        assert_eq!(p_at("next week", d(2026, 11, 30)), d(2026, 12, 7));
        assert_eq!(p_at("next week", d(2026, 11, 29)), d(2026, 11, 30));
        assert_eq!(p_at("next week", d(2026, 12, 29)), d(2027, 1, 4));
        assert_eq!(p("next month"), d(2026, 12, 1));
        assert_eq!(p_at("next month", d(2026, 12, 31)), d(2027, 1, 1));
        assert_eq!(p("end of month"), d(2026, 11, 30));
        assert_eq!(p("eom"), d(2026, 11, 30));
        assert_eq!(p_at("eom", d(2028, 2, 3)), d(2028, 2, 29));
        assert_eq!(p_at("eom", d(2027, 2, 28)), d(2027, 2, 28));
        assert_eq!(p_at("eom", d(2026, 12, 31)), d(2026, 12, 31));
        assert_eq!(p("end of week"), d(2026, 11, 29));
        assert_eq!(p("EOW"), d(2026, 11, 29));
        assert_eq!(p_at("eow", d(2026, 11, 29)), d(2026, 11, 29));
        assert_eq!(p_at("eow", d(2026, 12, 28)), d(2027, 1, 3));
        assert_eq!(p("next year"), d(2027, 1, 1));
        assert_eq!(p_at("next year", d(2026, 1, 1)), d(2027, 1, 1));
        assert_eq!(p("end   of    month"), d(2026, 11, 30));
    }

    #[test]
    fn rejects_nonsense() {
        for s in [
            "",
            "   ",
            "someday",
            "+",
            "-",
            "+d",
            "3",
            "+3",
            "+3x",
            "3 fortnights",
            "next",
            "next tuesday please",
            "2026-11",
            "24/11/2026",
            "+-3d",
            "++3d",
            "mo",
            "t",
        ] {
            assert!(parse_date(s, today()).is_err(), "{s:?} should be refused");
        }
    }

    #[test]
    fn overflows_are_errors_not_panics() {
        for s in [
            "+999999999d",
            "-999999999d",
            "+99999999999999999999999d",
            "+999999999w",
            "+999999999m",
            "+4294967296m",
            "+999999999y",
            "+3074457345618258603w",
            "in 99999999999 years",
            "9999999999-01-01",
            "99999-01-01",
        ] {
            assert!(parse_date(s, today()).is_err(), "{s:?} should be refused");
        }
        assert!(parse_date("tomorrow", NaiveDate::MAX).is_err());
        assert!(parse_date("yesterday", NaiveDate::MIN).is_err());
        assert!(parse_date("next year", NaiveDate::MAX).is_err());
        assert!(parse_date("next week", NaiveDate::MAX).is_err());
        assert!(parse_date("eom", NaiveDate::MAX).is_err());
        assert!(parse_date("eom", d(9999, 12, 2)).is_ok());
        assert!(parse_date("mon", NaiveDate::MAX).is_err());
        assert!(why("+999999999d").contains("beyond"));
    }

    #[test]
    fn one_horizon_for_every_date() {
        assert_eq!(p("+100y"), d(2126, 11, 24));
        assert_eq!(p("2126-11-24"), d(2126, 11, 24));
        for s in [
            "+2914000d",
            "+100y 1d",
            "2126-11-25",
            "+1201m",
            "in 101 years",
        ] {
            let e = parse_date(s, today());
            if s == "+100y 1d" {
                assert!(e.is_err());
                continue;
            }
            let why = e.unwrap_err().why;
            assert!(
                why.contains("more than 100 years ahead") || why.contains("after 9999-12-31"),
                "{s}: {why}"
            );
        }
        assert!(why("2126-11-25").contains("the furthest is 2126-11-24"));
        assert!(why("+2914000d").contains("after 9999-12-31"));
        assert!(why("1899-12-31").contains("before 1900-01-01"));
        assert_eq!(p("1900-01-01"), d(1900, 1, 1));
        assert_eq!(p_at("+1m", d(9999, 1, 1)), d(9999, 2, 1));
        assert!(parse_date("+1y", d(9999, 6, 1)).is_err());
    }

    #[test]
    fn date_shaped_words() {
        for s in [
            "+2914000d",
            "2026-02-30",
            "2200-01-01",
            "fri",
            "+3d",
            "in 2 weeks",
        ] {
            assert!(looks_like_date(s, today()), "{s}");
        }
        for s in ["ada", "Lovelace", "", "c12", "3 apples"] {
            assert!(!looks_like_date(s, today()), "{s}");
        }
    }

    #[test]
    fn relative_formatting() {
        let t = today();
        assert_eq!(format_relative(t, t), "today");
        assert_eq!(format_relative(d(2026, 11, 25), t), "tomorrow");
        assert_eq!(format_relative(d(2026, 11, 23), t), "yesterday");
        assert_eq!(format_relative(d(2026, 11, 27), t), "in 3 days");
        assert_eq!(format_relative(d(2026, 11, 22), t), "2 days ago");
        assert_eq!(format_relative(d(2026, 12, 7), t), "in 13 days");
        assert_eq!(format_relative(d(2026, 12, 8), t), "2026-12-08");
        assert_eq!(format_relative(d(2026, 1, 2), t), "2026-01-02");
    }

    #[test]
    fn days_in_months() {
        assert_eq!(days_in_month(2026, 2), Some(28));
        assert_eq!(days_in_month(2028, 2), Some(29));
        assert_eq!(days_in_month(2100, 2), Some(28));
        assert_eq!(days_in_month(2026, 12), Some(31));
        assert_eq!(days_in_month(2026, 13), None);
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse_date(&s, today());
        }

        #[test]
        fn never_panics_on_date_like_input(
            sign in "[+-]?",
            n in "[0-9]{0,25}",
            sp in " ?",
            unit in "(d|w|m|y|days|weeks|months|years|x)?",
        ) {
            let s = format!("{sign}{n}{sp}{unit}");
            let _ = parse_date(&s, today());
            let _ = parse_date(&format!("in {s}"), NaiveDate::MAX);
            let _ = parse_date(&s, NaiveDate::MIN);
        }

        #[test]
        fn iso_round_trips(days in -40_000i64..36_500) {
            let date = today() + chrono::Duration::days(days);
            let text = date.format("%Y-%m-%d").to_string();
            prop_assert_eq!(parse_date(&text, today()), Ok(date));
        }

        #[test]
        fn day_offsets_match_arithmetic(n in 0u64..36_500) {
            let want = today().checked_add_days(Days::new(n)).unwrap();
            prop_assert_eq!(parse_date(&format!("+{n}d"), today()), Ok(want));
            prop_assert_eq!(parse_date(&format!("in {n} days"), today()), Ok(want));
        }
    }
}
