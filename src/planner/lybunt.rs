//! LYBUNT: bought Last Year But Unfortunately Not This.
//!
//! "Last year" and "this year" are fiscal years (`fiscal_year_start_month`). A sale dated later in
//! the current fiscal year (after today) counts as bought this year.

use super::Entry;
use super::due::Ctx;
use super::fiscal::fiscal_year;
use crate::model::{ContactId, Sale, Settings};
use chrono::NaiveDate;
use serde::Serialize;
use std::collections::BTreeMap;

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
///
/// `at_risk` is the same for every entry: fewer than a quarter of the current fiscal year's days
/// are left, counting today (`remaining * 4 < total`, exact, no rounding).
pub fn lybunt(entries: &[Entry<'_>], s: &Settings, today: NaiveDate) -> Vec<LybuntEntry> {
    let ctx = Ctx::new(s, today);
    let (first, last) = fiscal_year(today, s.fiscal_year_start_month);
    let total = (last - first).num_days() + 1;
    let remaining = (last - today).num_days() + 1;
    let at_risk = remaining.saturating_mul(4) < total;
    let mut out: Vec<LybuntEntry> = entries
        .iter()
        .filter(|e| e.contact.stage.is_kept())
        .filter_map(|e| {
            let cents = ctx.lybunt_cents(e.facts);
            (cents > 0).then_some(LybuntEntry {
                contact: e.contact.id,
                last_year_cents: cents,
                last_sale: e.facts.last_sale,
                at_risk,
            })
        })
        .collect();
    out.sort_unstable_by(|a, b| {
        b.last_year_cents
            .cmp(&a.last_year_cents)
            .then(a.contact.cmp(&b.contact))
            .then(a.last_sale.cmp(&b.last_sale))
    });
    out
}

/// An amount in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Amount {
    pub currency: String,
    pub cents: i64,
}

/// What LYBUNT contacts bought last year in one currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CurrencyTotal {
    pub currency: String,
    pub cents: i64,
    /// The part of `cents` from contacts at risk.
    pub at_risk_cents: i64,
}

/// Last year's sales (`from..=to`) of each contact in `list`, per currency (sorted by
/// currency), and the totals per currency: amounts in different currencies are never added
/// (`last_year_cents`, the planner's ranking value, sums cents whatever their currency). `sales`
/// may hold any sales: others are skipped.
pub fn per_currency<'a>(
    list: &[LybuntEntry],
    sales: impl IntoIterator<Item = &'a Sale>,
    from: NaiveDate,
    to: NaiveDate,
) -> (BTreeMap<ContactId, Vec<Amount>>, Vec<CurrencyTotal>) {
    let risk: BTreeMap<ContactId, bool> = list.iter().map(|l| (l.contact, l.at_risk)).collect();
    let mut each: BTreeMap<ContactId, BTreeMap<String, i64>> = BTreeMap::new();
    let mut totals: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for s in sales {
        let Some(&at_risk) = risk.get(&s.contact) else {
            continue;
        };
        if s.date < from || s.date > to {
            continue;
        }
        let c = each
            .entry(s.contact)
            .or_default()
            .entry(s.currency.clone())
            .or_default();
        *c = c.saturating_add(s.amount_cents);
        let t = totals.entry(s.currency.clone()).or_default();
        t.0 = t.0.saturating_add(s.amount_cents);
        if at_risk {
            t.1 = t.1.saturating_add(s.amount_cents);
        }
    }
    let each = each
        .into_iter()
        .map(|(id, m)| {
            let v = m
                .into_iter()
                .map(|(currency, cents)| Amount { currency, cents })
                .collect();
            (id, v)
        })
        .collect();
    let totals = totals
        .into_iter()
        .map(|(currency, (cents, at_risk_cents))| CurrencyTotal {
            currency,
            cents,
            at_risk_cents,
        })
        .collect();
    (each, totals)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contact, Profile, Stage};
    use crate::planner::{Facts, MonthTotal};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 24)
    }

    fn contact(id: u64, stage: Stage) -> Contact {
        let mut c = Contact::new(ContactId(id), format!("c{id}"), d(2020, 1, 1));
        c.stage = stage;
        c
    }

    fn sales(months: &[(i32, u32, i64)]) -> Facts {
        Facts {
            sales_by_month: months
                .iter()
                .map(|&(year, month, cents)| MonthTotal { year, month, cents })
                .collect(),
            last_sale: months
                .last()
                .and_then(|&(y, m, _)| NaiveDate::from_ymd_opt(y, m, 1)),
            ..Facts::default()
        }
    }

    fn run(list: &[(Contact, Facts)], s: &Settings, today: NaiveDate) -> Vec<LybuntEntry> {
        let profiles: Vec<Profile> = list.iter().map(|(c, _)| c.profile()).collect();
        let entries: Vec<Entry<'_>> = list
            .iter()
            .zip(&profiles)
            .map(|((_, facts), contact)| Entry {
                contact,
                facts,
                category: None,
            })
            .collect();
        lybunt(&entries, s, today)
    }

    #[test]
    fn bought_last_year_not_this_ranked_by_value() {
        let s = Settings::default();
        let list = vec![
            (contact(1, Stage::Customer), sales(&[(2025, 3, 500)])),
            (
                contact(2, Stage::Customer),
                sales(&[(2025, 3, 500), (2025, 12, 700)]),
            ),
            (
                contact(3, Stage::Customer),
                sales(&[(2025, 3, 500), (2026, 2, 1)]),
            ), // bought this year
            (contact(4, Stage::Customer), sales(&[(2024, 12, 9000)])), // two years ago
            (contact(5, Stage::Archived), sales(&[(2025, 3, 9000)])),  // not kept
            (contact(6, Stage::StayInTouch), sales(&[(2025, 6, 500)])),
            (contact(7, Stage::Customer), sales(&[])),
        ];
        let got = run(&list, &s, today());
        let ids: Vec<(u64, i64)> = got
            .iter()
            .map(|e| (e.contact.0, e.last_year_cents))
            .collect();
        assert_eq!(ids, vec![(2, 1200), (1, 500), (6, 500)]);
        assert_eq!(got[0].last_sale, Some(d(2025, 12, 1)));
        // Nov 24: 38 of 365 days left, fewer than a quarter.
        assert!(got.iter().all(|e| e.at_risk));
    }

    #[test]
    fn a_sale_later_this_year_counts() {
        let s = Settings::default();
        let list = vec![(
            contact(1, Stage::Customer),
            sales(&[(2025, 3, 500), (2026, 12, 5)]),
        )];
        assert!(run(&list, &s, today()).is_empty());
    }

    #[test]
    fn fiscal_years_follow_the_setting() {
        // April start: on 2026-11-24 the current year is Apr 2026..Mar 2027, last is Apr 2025..Mar 2026.
        let s = Settings {
            fiscal_year_start_month: 4,
            ..Settings::default()
        };
        let list = vec![
            (contact(1, Stage::Customer), sales(&[(2026, 3, 100)])),
            (contact(2, Stage::Customer), sales(&[(2025, 3, 100)])),
            (
                contact(3, Stage::Customer),
                sales(&[(2025, 4, 100), (2026, 4, 1)]),
            ),
        ];
        let got = run(&list, &s, today());
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].contact, ContactId(1));
        // 128 of 365 days left: more than a quarter.
        assert!(!got[0].at_risk);
    }

    #[test]
    fn at_risk_boundary() {
        let s = Settings::default();
        let list = vec![(contact(1, Stage::Customer), sales(&[(2025, 3, 100)]))];
        // 2026 has 365 days: at risk when remaining * 4 < 365, i.e. remaining <= 91 (from Oct 2).
        assert!(!run(&list, &s, d(2026, 10, 1))[0].at_risk); // 92 left
        assert!(run(&list, &s, d(2026, 10, 2))[0].at_risk); // 91 left
    }

    #[test]
    fn totals_are_per_currency() {
        use crate::model::SaleId;
        let list = vec![
            LybuntEntry {
                contact: ContactId(1),
                last_year_cents: 1_200,
                last_sale: None,
                at_risk: true,
            },
            LybuntEntry {
                contact: ContactId(2),
                last_year_cents: 700,
                last_sale: None,
                at_risk: false,
            },
        ];
        let sale = |id, contact, date, cents, currency: &str| Sale {
            id: SaleId(id),
            contact: ContactId(contact),
            date,
            amount_cents: cents,
            currency: currency.to_string(),
            note: String::new(),
        };
        let sales = [
            sale(1, 1, d(2025, 3, 1), 500, "EUR"),
            sale(2, 1, d(2025, 4, 1), 700, "USD"),
            sale(3, 2, d(2025, 5, 1), 700, "EUR"),
            sale(4, 2, d(2024, 5, 1), 9_000, "EUR"), // the year before
            sale(5, 3, d(2025, 5, 1), 9_000, "EUR"), // not LYBUNT
        ];
        let (each, totals) = per_currency(&list, &sales, d(2025, 1, 1), d(2025, 12, 31));
        assert_eq!(
            each[&ContactId(1)],
            vec![
                Amount {
                    currency: "EUR".into(),
                    cents: 500
                },
                Amount {
                    currency: "USD".into(),
                    cents: 700
                }
            ]
        );
        assert_eq!(
            totals,
            vec![
                CurrencyTotal {
                    currency: "EUR".into(),
                    cents: 1_200,
                    at_risk_cents: 500
                },
                CurrencyTotal {
                    currency: "USD".into(),
                    cents: 700,
                    at_risk_cents: 700
                },
            ]
        );
    }
}
