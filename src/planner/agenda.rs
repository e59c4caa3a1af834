//! The agenda for a date range: items per day, overdue first, ranked.
//!
//! For each kept contact: its [`NextDue`] (computed once), every other planned touch dated in
//! `[from, to]` (reason Planned; planned touches before an active snooze's `until` are left out,
//! the snooze pushed them), and a Birthday item when the card date falls in `[from, to]` and is not
//! already the next due. Items before today are overdue; items from today up to the day before
//! `from` (a range that starts in the future) are *earlier*: still open, not overdue, so they are
//! never shown under "Overdue"; items after `to` are dropped.
//!
//! Ranking, within overdue and within a day: urgency (AtRisk, Due, Upcoming), category priority
//! ascending, LYBUNT cents descending, days overdue descending, contact id ascending; then date,
//! touch id and reason so that the order never depends on the input order.

use super::due::{Ctx, DueReason, days_overdue, plan, urgency};
use super::{Entry, NextDue, add_days, days_between};
use crate::model::{ContactId, Settings};
use chrono::NaiveDate;
use serde::Serialize;
use std::cmp::{Ordering, Reverse};

/// One line of the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaItem {
    #[serde(flatten)]
    pub due: NextDue,
}

/// The items of one day, ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AgendaDay {
    pub date: NaiveDate,
    pub items: Vec<AgendaItem>,
}

/// The agenda of `[from, to]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Agenda {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub today: NaiveDate,
    /// Items due before today and not done, most urgent first.
    pub overdue: Vec<AgendaItem>,
    /// Items due from today up to the day before `from` (empty unless the range starts after
    /// today): open, not overdue, most urgent first.
    pub earlier: Vec<AgendaItem>,
    /// One entry per day of the range that is not before today, in order (empty days included).
    pub days: Vec<AgendaDay>,
}

/// The agenda of `[from, to]` (see the module documentation).
pub fn agenda(
    entries: &[Entry<'_>],
    s: &Settings,
    today: NaiveDate,
    from: NaiveDate,
    to: NaiveDate,
) -> Agenda {
    let ctx = Ctx::new(s, today);
    let mut sheet = Sheet::new(today, from.max(today), to);
    for entry in entries {
        items_of(&ctx, *entry, from, to, &mut sheet);
    }
    let Sheet {
        mut overdue,
        mut earlier,
        mut days,
        ..
    } = sheet;
    sort(&mut overdue);
    sort(&mut earlier);
    for day in &mut days {
        sort(&mut day.items);
    }
    Agenda {
        from,
        to,
        today,
        overdue,
        earlier,
        days,
    }
}

/// The agenda being filled: overdue, earlier, and one entry per day from `start` (the first
/// day of the range that is not before today) to `to`.
struct Sheet {
    today: NaiveDate,
    start: NaiveDate,
    to: NaiveDate,
    overdue: Vec<AgendaItem>,
    earlier: Vec<AgendaItem>,
    days: Vec<AgendaDay>,
}

impl Sheet {
    fn new(today: NaiveDate, start: NaiveDate, to: NaiveDate) -> Sheet {
        let span = if to >= start {
            usize::try_from(days_between(to, start)).map_or(usize::MAX, |n| n.saturating_add(1))
        } else {
            0
        };
        let mut days: Vec<AgendaDay> = Vec::with_capacity(span.min(1 << 16));
        let mut date = start;
        for _ in 0..span {
            days.push(AgendaDay {
                date,
                items: Vec::new(),
            });
            if date == NaiveDate::MAX {
                break;
            }
            date = add_days(date, 1);
        }
        Sheet {
            today,
            start,
            to,
            overdue: Vec::new(),
            earlier: Vec::new(),
            days,
        }
    }

    /// File an item under overdue, earlier or its day; items after `to` are dropped.
    #[inline]
    fn place(&mut self, due: NextDue) {
        if due.date < self.today {
            self.overdue.push(AgendaItem { due });
        } else if due.date < self.start {
            self.earlier.push(AgendaItem { due });
        } else if due.date <= self.to {
            let i = usize::try_from(days_between(due.date, self.start)).unwrap_or(usize::MAX);
            if let Some(day) = self.days.get_mut(i) {
                day.items.push(AgendaItem { due });
            }
        }
    }
}

/// One contact's items: its other planned touches in `[from, to]` (not those an active snooze
/// pushed), its birthday card there when that is not already the next due, and its next due.
fn items_of(ctx: &Ctx<'_>, entry: Entry<'_>, from: NaiveDate, to: NaiveDate, sheet: &mut Sheet) {
    let Some(p) = plan(ctx, entry, to) else {
        return;
    };
    let today = sheet.today;
    let due = &p.due;
    let snoozed_until = entry.contact.snooze_until;
    let planned = &entry.facts.planned;
    let first = planned.partition_point(|t| t.date < from);
    for t in planned[first..].iter().take_while(|t| t.date <= to) {
        if Some(t.id) == due.touch || snoozed_until.is_some_and(|u| u > t.date) {
            continue;
        }
        sheet.place(NextDue {
            date: t.date,
            reason: DueReason::Planned,
            channel: t.channel,
            touch: Some(t.id),
            urgency: urgency(t.date, DueReason::Planned, today, p.silence),
            days_overdue: days_overdue(t.date, today),
            ..due.clone()
        });
    }
    if let Some(card) = p.card
        && due.reason != DueReason::Birthday
        && card >= from
        && card <= to
    {
        sheet.place(NextDue {
            date: card,
            reason: DueReason::Birthday,
            channel: crate::model::Channel::BirthdayCard,
            touch: None,
            urgency: urgency(card, DueReason::Birthday, today, p.silence),
            days_overdue: days_overdue(card, today),
            ..due.clone()
        });
    }
    sheet.place(p.due);
}

/// The agenda order (see the module documentation); total, so sorting is deterministic.
fn rank(a: &AgendaItem, b: &AgendaItem) -> Ordering {
    let key = |i: &AgendaItem| {
        let d = &i.due;
        (
            Reverse(d.urgency),
            d.priority,
            Reverse(d.lybunt_cents),
            Reverse(d.days_overdue),
            d.contact,
            d.date,
            d.touch,
            d.reason as u8,
        )
    };
    key(a).cmp(&key(b))
}

/// The leading fields of [`rank`] packed into one number that sorts the same way: urgency
/// (descending, 2 bits), priority (8 bits), LYBUNT cents (descending, 63 bits), days overdue
/// (descending, 55 bits). Exact for every value the planner produces: cents are never negative and
/// days overdue between two dates stay below 2^28.
fn packed_key(i: &AgendaItem) -> u128 {
    const MAX55: u64 = (1 << 55) - 1;
    let d = &i.due;
    let urgency = 2 - d.urgency as u128; // AtRisk (2) first
    let cents = i64::MAX.abs_diff(d.lybunt_cents.max(0)); // descending
    let days = MAX55 - (d.days_overdue.max(0).unsigned_abs()).min(MAX55);
    (urgency << 126)
        | (u128::from(d.priority) << 118)
        | (u128::from(cents) << 55)
        | u128::from(days)
}

/// Sort items by [`rank`]: on small packed keys first, so that the large items move only once.
fn sort(items: &mut Vec<AgendaItem>) {
    if items.len() < 2 {
        return;
    }
    let mut keys: Vec<(u128, ContactId, usize)> = items
        .iter()
        .enumerate()
        .map(|(n, i)| (packed_key(i), i.due.contact, n))
        .collect();
    keys.sort_unstable_by(|a, b| {
        a.0.cmp(&b.0)
            .then(a.1.cmp(&b.1))
            .then_with(|| rank(&items[a.2], &items[b.2]))
    });
    let sorted: Vec<AgendaItem> = keys.iter().map(|k| items[k.2].clone()).collect();
    *items = sorted;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{
        Birthday, Cadence, Category, CategoryId, Channel, Contact, ContactId, Direction, Profile,
        Snooze, Stage, TouchId,
    };
    use crate::planner::{DueReason, Facts, MonthTotal, PlannedTouch, Urgency};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn today() -> NaiveDate {
        d(2026, 11, 24)
    }

    fn contact(id: u64) -> Contact {
        let mut c = Contact::new(ContactId(id), format!("c{id}"), d(2026, 1, 1));
        c.stage = Stage::Customer;
        c
    }

    fn touched(last: NaiveDate) -> Facts {
        Facts {
            last_personal: Some(last),
            done_outbound: vec![last],
            ..Facts::default()
        }
    }

    fn planned(id: u64, date: NaiveDate) -> PlannedTouch {
        PlannedTouch {
            id: TouchId(id),
            date,
            channel: Channel::Letter,
            direction: Direction::Out,
        }
    }

    fn category(id: u64, priority: u8) -> Category {
        Category {
            id: CategoryId(id),
            name: format!("k{id}"),
            cadence: Cadence::days(30),
            channel_mix: Vec::new(),
            priority,
            broadcasts_suffice: false,
            description: String::new(),
        }
    }

    fn run(list: &[(Contact, Facts, Option<Category>)], from: NaiveDate, to: NaiveDate) -> Agenda {
        let profiles: Vec<Profile> = list.iter().map(|(c, _, _)| c.profile()).collect();
        let entries: Vec<Entry<'_>> = list
            .iter()
            .zip(&profiles)
            .map(|((_, facts, category), contact)| Entry {
                contact,
                facts,
                category: category.as_ref(),
            })
            .collect();
        agenda(&entries, &Settings::default(), today(), from, to)
    }

    fn ids(items: &[AgendaItem]) -> Vec<(u64, DueReason)> {
        items
            .iter()
            .map(|i| (i.due.contact.0, i.due.reason))
            .collect()
    }

    #[test]
    fn one_day_per_date_from_today() {
        let a = run(&[], d(2026, 11, 20), d(2026, 11, 30));
        let dates: Vec<NaiveDate> = a.days.iter().map(|x| x.date).collect();
        assert_eq!(dates.len(), 7);
        assert_eq!(dates[0], today());
        assert_eq!(dates[6], d(2026, 11, 30));
        assert!(a.overdue.is_empty());
        assert!(run(&[], d(2026, 11, 20), d(2026, 11, 23)).days.is_empty());
        assert!(run(&[], d(2026, 11, 30), d(2026, 11, 29)).days.is_empty());
        assert_eq!(run(&[], d(2026, 12, 1), d(2026, 12, 1)).days.len(), 1);
    }

    #[test]
    fn items_go_to_overdue_their_day_or_nowhere() {
        let list = vec![
            (contact(1), touched(d(2026, 10, 30)), None), // due Nov 29
            (contact(2), touched(d(2026, 10, 20)), None), // due Nov 19: overdue
            (contact(3), touched(d(2026, 11, 20)), None), // due Dec 20: after the range
            (
                {
                    let mut c = contact(4);
                    c.stage = Stage::Archived;
                    c
                },
                touched(d(2026, 10, 20)),
                None,
            ),
        ];
        let a = run(&list, today(), d(2026, 11, 30));
        assert_eq!(ids(&a.overdue), vec![(2, DueReason::Cadence)]);
        assert_eq!(a.overdue[0].due.days_overdue, 5);
        let day = a.days.iter().find(|x| x.date == d(2026, 11, 29)).unwrap();
        assert_eq!(ids(&day.items), vec![(1, DueReason::Cadence)]);
        let total: usize = a.days.iter().map(|x| x.items.len()).sum();
        assert_eq!(total, 1);
    }

    #[test]
    fn other_planned_touches_in_range_are_listed_once() {
        let mut f = touched(d(2026, 11, 1));
        f.planned = vec![
            planned(10, d(2026, 11, 20)),
            planned(11, d(2026, 11, 26)),
            planned(12, d(2026, 12, 26)),
        ];
        let a = run(&[(contact(1), f, None)], d(2026, 11, 16), d(2026, 11, 30));
        assert_eq!(a.overdue.len(), 1);
        assert_eq!(a.overdue[0].due.touch, Some(TouchId(10)));
        let day = a.days.iter().find(|x| x.date == d(2026, 11, 26)).unwrap();
        assert_eq!(day.items.len(), 1);
        assert_eq!(
            (day.items[0].due.touch, day.items[0].due.reason),
            (Some(TouchId(11)), DueReason::Planned)
        );
        assert_eq!(day.items[0].due.urgency, Urgency::Upcoming);
        assert_eq!(a.days.iter().map(|x| x.items.len()).sum::<usize>(), 1);
    }

    #[test]
    fn a_snooze_hides_the_plans_it_pushed() {
        let mut c = contact(1);
        c.snooze = Some(Snooze {
            until: d(2026, 11, 28),
            since: today(),
            note: String::new(),
        });
        let mut f = touched(d(2026, 11, 1));
        f.planned = vec![planned(10, d(2026, 11, 25)), planned(11, d(2026, 11, 29))];
        let a = run(&[(c, f, None)], today(), d(2026, 11, 30));
        let all: Vec<(NaiveDate, DueReason)> = a
            .days
            .iter()
            .flat_map(|x| x.items.iter().map(|i| (i.due.date, i.due.reason)))
            .collect();
        assert_eq!(
            all,
            vec![
                (d(2026, 11, 28), DueReason::Snoozed),
                (d(2026, 11, 29), DueReason::Planned)
            ]
        );
    }

    #[test]
    fn birthday_item_besides_the_next_due() {
        let mut c = contact(1);
        c.birthday = Birthday::new(12, 30, None); // card Dec 25
        let f = touched(d(2026, 11, 1)); // cadence Dec 1
        let a = run(&[(c.clone(), f.clone(), None)], today(), d(2026, 12, 31));
        let all: Vec<(NaiveDate, DueReason, Channel)> = a
            .days
            .iter()
            .flat_map(|x| {
                x.items
                    .iter()
                    .map(|i| (i.due.date, i.due.reason, i.due.channel))
            })
            .collect();
        assert_eq!(
            all,
            vec![
                (d(2026, 12, 1), DueReason::Cadence, Channel::Call),
                (d(2026, 12, 25), DueReason::Birthday, Channel::BirthdayCard)
            ]
        );
        // When the card is the next due it appears once.
        c.birthday = Birthday::new(11, 30, None);
        let a = run(&[(c, f, None)], today(), d(2026, 12, 31));
        let n: usize = a.days.iter().map(|x| x.items.len()).sum();
        assert_eq!(n, 1); // the card on Nov 25; the cadence comes back once it is done
        assert_eq!(a.days[1].items[0].due.reason, DueReason::Birthday);
    }

    #[test]
    fn birthday_cards_beyond_the_next_due_horizon_show_in_long_ranges() {
        let mut c = contact(1);
        c.birthday = Birthday::new(3, 1, None); // card Feb 24, 92 days ahead
        let mut f = touched(d(2026, 11, 1));
        f.planned = vec![planned(10, d(2027, 3, 20))];
        let a = run(&[(c, f, None)], today(), d(2027, 3, 31));
        let all: Vec<(NaiveDate, DueReason)> = a
            .days
            .iter()
            .flat_map(|x| x.items.iter().map(|i| (i.due.date, i.due.reason)))
            .collect();
        assert_eq!(
            all,
            vec![
                (d(2027, 2, 24), DueReason::Birthday),
                (d(2027, 3, 20), DueReason::Planned)
            ]
        );
    }

    #[test]
    fn packed_sort_matches_rank() {
        let base = NextDue {
            contact: ContactId(1),
            date: today(),
            reason: DueReason::Cadence,
            channel: Channel::Call,
            touch: None,
            urgency: Urgency::Due,
            days_overdue: 0,
            adrift: false,
            lybunt_cents: 0,
            move_forward_or_out: false,
            priority: 255,
        };
        let mut items = Vec::new();
        for (n, urgency) in [Urgency::Upcoming, Urgency::Due, Urgency::AtRisk]
            .into_iter()
            .enumerate()
        {
            for cents in [0, 1, i64::MAX - 1, i64::MAX] {
                for days in [0, 3, 200_000_000] {
                    for contact in [1, 2] {
                        for touch in [None, Some(TouchId(4)), Some(TouchId(3))] {
                            items.push(AgendaItem {
                                due: NextDue {
                                    contact: ContactId(contact),
                                    urgency,
                                    lybunt_cents: cents,
                                    days_overdue: days,
                                    priority: (n as u8 + contact as u8) % 3,
                                    touch,
                                    reason: if touch.is_some() {
                                        DueReason::Planned
                                    } else {
                                        DueReason::Birthday
                                    },
                                    ..base.clone()
                                },
                            });
                        }
                    }
                }
            }
        }
        items.reverse();
        let mut expected = items.clone();
        expected.sort_by(rank);
        sort(&mut items);
        assert_eq!(items, expected);
    }

    #[test]
    fn ranking() {
        let lyb = |mut f: Facts, cents| {
            f.sales_by_month = vec![MonthTotal {
                year: 2025,
                month: 5,
                cents,
            }];
            f
        };
        let list = vec![
            (contact(9), touched(d(2026, 10, 20)), Some(category(1, 3))), // due, prio 3
            (contact(8), touched(d(2026, 9, 1)), Some(category(1, 3))),   // at risk, prio 3
            (contact(7), touched(d(2026, 10, 20)), Some(category(2, 1))), // due, prio 1
            (
                contact(6),
                lyb(touched(d(2026, 10, 20)), 50),
                Some(category(1, 3)),
            ), // lybunt 50
            (
                contact(5),
                lyb(touched(d(2026, 10, 20)), 90),
                Some(category(1, 3)),
            ), // lybunt 90
            (contact(4), touched(d(2026, 10, 15)), Some(category(1, 3))), // 5 more days overdue
            (contact(3), touched(d(2026, 10, 20)), Some(category(1, 3))), // same as 9, lower id
            (contact(2), touched(d(2026, 10, 20)), None),                 // no category: 255
        ];
        let a = run(&list, today(), d(2026, 11, 30));
        let order: Vec<u64> = a.overdue.iter().map(|i| i.due.contact.0).collect();
        assert_eq!(order, vec![8, 7, 5, 6, 4, 3, 9, 2]);
        // Shuffled input, same agenda.
        let mut rev = list.clone();
        rev.reverse();
        assert_eq!(run(&rev, today(), d(2026, 11, 30)), a);
    }

    #[test]
    fn a_range_in_the_future_never_calls_future_items_overdue() {
        let list = vec![
            (contact(1), touched(d(2026, 10, 30)), None), // due Nov 29: after today
            (contact(2), touched(d(2026, 10, 20)), None), // due Nov 19: overdue
            (contact(3), touched(d(2026, 11, 12)), None), // due Dec 12: in the range
        ];
        let a = run(&list, d(2026, 12, 8), d(2026, 12, 14));
        assert_eq!(ids(&a.overdue), vec![(2, DueReason::Cadence)]);
        assert_eq!(ids(&a.earlier), vec![(1, DueReason::Cadence)]);
        assert!(a.earlier.iter().all(|i| i.due.date >= today()));
        let total: usize = a.days.iter().map(|x| x.items.len()).sum();
        assert_eq!(total, 1);
        // From today on there is nothing earlier.
        assert!(run(&list, today(), d(2026, 12, 14)).earlier.is_empty());
    }

    #[test]
    fn past_ranges_hold_only_overdue() {
        let a = run(
            &[(contact(1), touched(d(2026, 10, 1)), None)],
            d(2026, 10, 1),
            d(2026, 10, 31),
        );
        assert!(a.days.is_empty());
        assert_eq!(a.overdue.len(), 1);
    }
}
