//! The agenda for a date range: items per day, overdue first, ranked.
//!
//! For each kept contact: its [`NextDue`] (computed once), every other planned touch dated in
//! `[from, to]` (reason Planned; planned touches before an active snooze's `until` are left out,
//! the snooze pushed them), and a Birthday item when the card date falls in `[from, to]` and is not
//! already the next due. Items before `max(from, today)` are overdue; items after `to` are dropped.
//!
//! Ranking, within overdue and within a day: urgency (AtRisk, Due, Upcoming), category priority
//! ascending, LYBUNT cents descending, days overdue descending, contact id ascending; then date,
//! touch id and reason so that the order never depends on the input order.

use super::due::{Ctx, DueReason, plan, urgency};
use super::{Entry, NextDue, add_days, days_between};
use std::cmp::Ordering;
use crate::model::Settings;
use chrono::NaiveDate;
use serde::Serialize;

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
    /// Items due before `max(from, today)` and not done, most urgent first.
    pub overdue: Vec<AgendaItem>,
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
    let start = from.max(today);
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
    let mut overdue: Vec<AgendaItem> = Vec::new();
    let mut place = |due: NextDue| {
        if due.date < start {
            overdue.push(AgendaItem { due });
        } else if due.date <= to {
            let i = usize::try_from(days_between(due.date, start)).unwrap_or(usize::MAX);
            if let Some(day) = days.get_mut(i) {
                day.items.push(AgendaItem { due });
            }
        }
    };

    for entry in entries {
        let Some(p) = plan(&ctx, *entry) else {
            continue;
        };
        let due = &p.due;
        let snoozed_until = entry.contact.snooze.as_ref().map(|z| z.until);
        let planned = &entry.facts.planned;
        let first = planned.partition_point(|t| t.date < from);
        for t in planned[first..].iter().take_while(|t| t.date <= to) {
            if Some(t.id) == due.touch || snoozed_until.is_some_and(|u| u > t.date) {
                continue;
            }
            place(NextDue {
                date: t.date,
                reason: DueReason::Planned,
                channel: t.channel,
                touch: Some(t.id),
                urgency: urgency(t.date, DueReason::Planned, today, p.at_worst),
                days_overdue: days_between(today, t.date).max(0),
                ..due.clone()
            });
        }
        if let Some(card) = p.card
            && due.reason != DueReason::Birthday
            && card >= from
            && card <= to
        {
            place(NextDue {
                date: card,
                reason: DueReason::Birthday,
                channel: crate::model::Channel::BirthdayCard,
                touch: None,
                urgency: urgency(card, DueReason::Birthday, today, p.at_worst),
                days_overdue: days_between(today, card).max(0),
                ..due.clone()
            });
        }
        place(p.due);
    }

    overdue.sort_unstable_by(rank);
    for day in &mut days {
        day.items.sort_unstable_by(rank);
    }
    Agenda {
        from,
        to,
        today,
        overdue,
        days,
    }
}

/// The agenda order (see the module documentation); total, so sorting is deterministic.
fn rank(a: &AgendaItem, b: &AgendaItem) -> Ordering {
    let (a, b) = (&a.due, &b.due);
    b.urgency
        .cmp(&a.urgency)
        .then(a.priority.cmp(&b.priority))
        .then(b.lybunt_cents.cmp(&a.lybunt_cents))
        .then(b.days_overdue.cmp(&a.days_overdue))
        .then(a.contact.cmp(&b.contact))
        .then(a.date.cmp(&b.date))
        .then(a.touch.cmp(&b.touch))
        .then((a.reason as u8).cmp(&(b.reason as u8)))
}
