//! What people read, formatted one way for the CLI and the TUI alike: dates (one rule for
//! relative and absolute), amounts with their currency, postal addresses, the phrase for a
//! contact's next touch; and, in [`words`], what the full-screen diary says.
//!
//! The rule for dates: a list shows [`day`] (relative: "in 3 days", "5 weeks ago", "15 months
//! ago"); a detail, a message or a decision shows [`when`] (the date, then the relative phrase:
//! "2026-11-27 (in 3 days)"). Nothing else formats a date for people.
//!
//! Owns no rule and no I/O: it words what the actions and the planner decided.

pub mod words;

use crate::planner::NextDue;
use chrono::NaiveDate;

/// How far `date` is from `today`, as people say it: "today", "tomorrow", "yesterday", "in 3
/// days" / "3 days ago" within two weeks, then weeks (up to 8), months (up to 23), years.
pub fn day(date: NaiveDate, today: NaiveDate) -> String {
    let diff = date.signed_duration_since(today).num_days();
    let n = diff.unsigned_abs();
    let (count, unit) = match (diff, n) {
        (0, _) => return "today".to_string(),
        (1, _) => return "tomorrow".to_string(),
        (-1, _) => return "yesterday".to_string(),
        (_, 0..=13) => (n, "day"),
        (_, 14..=62) => (n / 7, "week"),
        (_, 63..=729) => (n / 30, "month"),
        _ => (n / 365, "year"),
    };
    let s = if count == 1 { "" } else { "s" };
    if diff > 0 {
        format!("in {count} {unit}{s}")
    } else {
        format!("{count} {unit}{s} ago")
    }
}

/// The date and how far it is: `2026-11-27 (in 3 days)`, `2025-08-30 (15 months ago)`.
pub fn when(date: NaiveDate, today: NaiveDate) -> String {
    format!("{date} ({})", day(date, today))
}

/// `123456` cents as `1,234.56` (a total in the diary's own currency, or a column whose heading
/// names it).
pub fn money(cents: i64) -> String {
    let neg = cents < 0;
    let abs = cents.unsigned_abs();
    format!(
        "{}{}.{:02}",
        if neg { "-" } else { "" },
        thousands(abs / 100),
        abs % 100
    )
}

/// An amount with its currency: `1,782.19 EUR`.
pub fn amount(cents: i64, currency: &str) -> String {
    if currency.is_empty() {
        money(cents)
    } else {
        format!("{} {currency}", money(cents))
    }
}

/// Amounts in several currencies, never added: `1,200.00 EUR + 700.00 USD`; `0.00 NONE` (with
/// `none`, the diary's currency) when there are none.
pub fn amounts<'a>(list: impl IntoIterator<Item = (&'a str, i64)>, none: &str) -> String {
    let parts: Vec<String> = list
        .into_iter()
        .map(|(currency, cents)| amount(cents, currency))
        .collect();
    if parts.is_empty() {
        amount(0, none)
    } else {
        parts.join(" + ")
    }
}

/// `12345` as `12,345`.
pub fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

/// A postal address's lines as written (`\n` between lines; blank lines and edges trimmed).
pub fn address_lines(address: &str) -> Vec<&str> {
    address
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

/// A postal address on one line: its lines joined by ", ".
pub fn address_line(address: &str) -> String {
    address_lines(address).join(", ")
}

/// "c12 Ada Lovelace (Acme)": a contact as prompts, pickers and messages name it.
pub fn who(id: crate::model::ContactId, label: &str) -> String {
    format!("c{id} {label}")
}

/// "next: 2026-12-24 (in 4 weeks) email [planned]", or what an archived contact has instead.
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

/// "1 contact", "3 contacts".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn one_rule_for_dates() {
        let t = d(2026, 11, 24);
        assert_eq!(day(t, t), "today");
        assert_eq!(day(d(2026, 11, 25), t), "tomorrow");
        assert_eq!(day(d(2026, 11, 23), t), "yesterday");
        assert_eq!(day(d(2026, 11, 27), t), "in 3 days");
        assert_eq!(day(d(2026, 11, 16), t), "8 days ago");
        assert_eq!(day(d(2026, 12, 8), t), "in 2 weeks");
        assert_eq!(day(d(2027, 1, 25), t), "in 8 weeks");
        assert_eq!(day(d(2027, 1, 26), t), "in 2 months");
        // The triage item that read "451d late".
        assert_eq!(day(d(2025, 8, 30), t), "15 months ago");
        assert_eq!(day(d(2024, 11, 24), t), "2 years ago");
        assert_eq!(day(d(2025, 11, 24), t), "12 months ago");
        assert_eq!(when(d(2026, 11, 27), t), "2026-11-27 (in 3 days)");
        assert_eq!(when(d(2025, 12, 29), t), "2025-12-29 (11 months ago)");
    }

    #[test]
    fn amounts_carry_their_currency() {
        assert_eq!(money(0), "0.00");
        assert_eq!(money(-5), "-0.05");
        assert_eq!(money(178_219), "1,782.19");
        assert_eq!(money(100_000_000), "1,000,000.00");
        assert_eq!(amount(178_219, "EUR"), "1,782.19 EUR");
        assert_eq!(amount(-1_000, "USD"), "-10.00 USD");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn addresses_keep_their_lines() {
        let a = " 1 Main St \n\nSpringfield\n";
        assert_eq!(address_lines(a), ["1 Main St", "Springfield"]);
        assert_eq!(address_line(a), "1 Main St, Springfield");
    }
}
