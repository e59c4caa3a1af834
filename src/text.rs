//! What people read, formatted one way for the CLI and the TUI alike: dates relative to today,
//! amounts, and the phrase for a contact's next touch.

use crate::planner::NextDue;
use chrono::NaiveDate;

/// `2026-11-27 (in 3 days)`, or just the date when it is far from today.
pub fn when(date: NaiveDate, today: NaiveDate) -> String {
    let rel = crate::dates::format_relative(date, today);
    if rel == date.to_string() {
        rel
    } else {
        format!("{date} ({rel})")
    }
}

/// `123456` cents as `1,234.56`.
pub fn money(cents: i64) -> String {
    let neg = cents < 0;
    let abs = cents.unsigned_abs();
    let whole = (abs / 100).to_string();
    let mut grouped = String::with_capacity(whole.len() + whole.len() / 3);
    for (i, ch) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    format!("{}{grouped}.{:02}", if neg { "-" } else { "" }, abs % 100)
}

/// "next: 2026-12-24 email [planned]", or what an archived contact has instead.
pub fn next_phrase(due: Option<&NextDue>, today: NaiveDate) -> String {
    match due {
        Some(d) => format!(
            "next: {} {} [{}]{}",
            when(d.date, today),
            d.channel,
            d.reason.as_str(),
            if d.adrift {
                ", adrift: nothing planned"
            } else {
                ""
            }
        ),
        None => "no next touch (archived)".to_string(),
    }
}
