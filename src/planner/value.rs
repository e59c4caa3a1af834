//! What a contact is worth to the diary, for lists ordered "by value": its sales of the current
//! fiscal year so far and of the previous one (for a LYBUNT customer, last year's value). Pure.

use super::Facts;
use super::due::Ctx;
use crate::model::Settings;
use chrono::NaiveDate;

/// Sales of the current and the previous fiscal year, in cents.
pub fn value_cents(facts: &Facts, s: &Settings, today: NaiveDate) -> i64 {
    let (prev, cur) = Ctx::new(s, today).fiscal_sales(facts);
    prev.saturating_add(cur)
}

/// How a list of due items is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Order {
    /// The agenda's rank: most urgent first (at risk, then due, then by priority).
    #[default]
    Urgency,
    /// Soonest due date first (the most overdue at the top).
    Due,
    /// Highest [`value_cents`] first.
    Value,
}

impl Order {
    pub const ALL: [Order; 3] = [Order::Urgency, Order::Due, Order::Value];

    pub fn as_str(self) -> &'static str {
        match self {
            Order::Urgency => "urgency",
            Order::Due => "due date",
            Order::Value => "value",
        }
    }

    /// Reorder `items` (given in urgency order) by this order; ties keep the urgency order.
    /// `key` gives each item's due date and value.
    pub fn sort<T>(self, items: &mut [T], key: impl Fn(&T) -> (NaiveDate, i64)) {
        match self {
            Order::Urgency => {}
            Order::Due => items.sort_by_key(|i| key(i).0),
            Order::Value => items.sort_by_key(|i| std::cmp::Reverse(key(i).1)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::planner::MonthTotal;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn value_is_this_and_last_fiscal_year() {
        let facts = Facts {
            sales_by_month: vec![
                MonthTotal {
                    year: 2024,
                    month: 6,
                    cents: 9_999,
                },
                MonthTotal {
                    year: 2025,
                    month: 3,
                    cents: 1_000,
                },
                MonthTotal {
                    year: 2026,
                    month: 2,
                    cents: 250,
                },
            ],
            ..Facts::default()
        };
        let s = Settings::default();
        assert_eq!(value_cents(&facts, &s, d(2026, 11, 24)), 1_250);
        assert_eq!(value_cents(&Facts::default(), &s, d(2026, 11, 24)), 0);
    }

    #[test]
    fn orders_keep_the_urgency_order_on_ties() {
        let day = d(2026, 11, 24);
        let later = d(2026, 11, 26);
        // (name, due, value) in urgency order.
        let items = [("a", later, 5), ("b", day, 5), ("c", later, 9)];
        let names = |order: Order| {
            let mut v = items.to_vec();
            order.sort(&mut v, |i| (i.1, i.2));
            v.iter().map(|i| i.0).collect::<String>()
        };
        assert_eq!(names(Order::Urgency), "abc");
        assert_eq!(names(Order::Due), "bac");
        assert_eq!(names(Order::Value), "cab");
    }
}
