//! Closing the loop: the rules that decide what an action on a due item completes, what it leaves
//! confirmed, and what the week's triage still shows. Pure, like the rest of the planner; the
//! actions layer calls these inside the write transaction that commits the action.
//!
//! - **What a log fulfils** ([`fulfilled`]): a touch that happened completes the open planned
//!   touches it makes early or late: every planned touch of the same kind (personal or broadcast)
//!   dated on or before it (late), or fewer than the annoyance guard's gap after it (early). The
//!   nearest of them becomes the logged touch; the others are called off.
//! - **The next touch after a done** ([`to_confirm`]): a kept contact left with nothing planned
//!   gets the planner's proposal planned (levelled by the caller), so nothing cleared is adrift.
//! - **The retry after a "no"** ([`retry_after_no`]): moving out to stay-in-touch plans one personal
//!   retry on the date the reason sets; archiving plans none.
//! - **The week's triage** ([`week_start`], [`in_week`], [`shows_again`]): an action on a contact
//!   due this week clears its item for the week; a cleared item shows again only once the contact
//!   is due again on a later day than the one it was cleared on (a snooze to tomorrow, a reschedule
//!   to Thursday), never because the diary restarted.

use super::due::{next_due, retry_date};
use super::{Entry, Facts, PlannedTouch, add_days, days_between};
use crate::model::{Channel, ContactId, NoReason, Settings, Stage, TouchId};
use chrono::{Datelike, NaiveDate};

/// The planned touches a touch logged on `date` over `channel` fulfils, nearest first (ties: the
/// earlier, then the lower id). See the module documentation.
pub fn fulfilled(facts: &Facts, s: &Settings, date: NaiveDate, channel: Channel) -> Vec<TouchId> {
    let gap = i64::from(s.min_gap_days);
    let mut hits: Vec<(i64, NaiveDate, TouchId)> = facts
        .planned
        .iter()
        .filter(|p| p.channel.is_broadcast() == channel.is_broadcast())
        .filter(|p| p.date <= date || days_between(p.date, date) < gap)
        .map(|p: &PlannedTouch| (days_between(p.date, date).abs(), p.date, p.id))
        .collect();
    hits.sort_unstable();
    hits.into_iter().map(|(_, _, id)| id).collect()
}

/// The touch to plan after a done so that the contact has a confirmed next touch: the planner's
/// proposal (day wanted, channel), or `None` when the contact is archived or already has a
/// planned touch. The caller levels the day ([`super::pick_day`]).
pub fn to_confirm(
    entry: Entry<'_>,
    s: &Settings,
    today: NaiveDate,
) -> Option<(NaiveDate, Channel)> {
    if !entry.facts.planned.is_empty() {
        return None;
    }
    let due = next_due(entry, s, today)?;
    Some((due.date.max(today), due.channel))
}

/// The day of the personal retry a move out plans: the date the reason of the "no" sets, counted
/// from `today` (no money: the next fiscal year; no hurry: `retry_no_hurry_days`; no need, no
/// interest, not a fit: their months). `None` for any target but stay-in-touch (archiving plans
/// nothing).
pub fn retry_after_no(
    target: Stage,
    reason: NoReason,
    s: &Settings,
    today: NaiveDate,
) -> Option<NaiveDate> {
    (target == Stage::StayInTouch).then(|| retry_date(reason, today, s).max(today))
}

/// The Monday of `today`'s week: the key of the week's triage.
pub fn week_start(today: NaiveDate) -> NaiveDate {
    add_days(today, -i64::from(today.weekday().num_days_from_monday()))
}

/// The Sunday ending `today`'s week.
pub fn week_end(today: NaiveDate) -> NaiveDate {
    add_days(week_start(today), 6)
}

/// Whether a contact next due on `due` is an item of this week's triage (overdue or due by Sunday):
/// an action on it clears the item.
pub fn in_week(due: NaiveDate, today: NaiveDate) -> bool {
    due <= week_end(today)
}

/// Whether an item cleared on `cleared_on` shows again in the week's triage: only when the contact
/// is due by today, on a later day than the one it was cleared on.
pub fn shows_again(cleared_on: NaiveDate, due: NaiveDate, today: NaiveDate) -> bool {
    due <= today && due > cleared_on
}

/// Whether the week's triage hides `contact`, next due on `due`, given the week's cleared items
/// (`cleared`: each contact with the day it was cleared).
pub fn hidden(
    cleared: &[(ContactId, NaiveDate)],
    contact: ContactId,
    due: NaiveDate,
    today: NaiveDate,
) -> bool {
    cleared
        .iter()
        .any(|&(id, on)| id == contact && !shows_again(on, due, today))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Contact, Direction, HurryReason};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn planned(id: u64, date: NaiveDate, channel: Channel) -> PlannedTouch {
        PlannedTouch {
            id: TouchId(id),
            date,
            channel,
            direction: Direction::Out,
        }
    }

    #[test]
    fn a_log_fulfils_late_and_early_touches_of_its_kind_nearest_first() {
        let s = Settings::default(); // gap 3
        let facts = Facts {
            planned: vec![
                planned(1, d(2026, 11, 2), Channel::Call),        // late
                planned(2, d(2026, 11, 20), Channel::Email),      // late, nearer
                planned(3, d(2026, 11, 26), Channel::Letter),     // early, in the gap
                planned(4, d(2026, 11, 27), Channel::Call),       // 3 days: outside the gap
                planned(5, d(2026, 11, 25), Channel::Newsletter), // broadcast: not a call's
            ],
            ..Facts::default()
        };
        let got = fulfilled(&facts, &s, d(2026, 11, 24), Channel::Call);
        assert_eq!(got, vec![TouchId(3), TouchId(2), TouchId(1)]);
        let got = fulfilled(&facts, &s, d(2026, 11, 24), Channel::Newsletter);
        assert_eq!(got, vec![TouchId(5)]);
        // A backdated log fulfils only what was planned around its own date.
        assert_eq!(
            fulfilled(&facts, &s, d(2026, 10, 31), Channel::Call),
            vec![TouchId(1)]
        );
    }

    #[test]
    fn nothing_to_confirm_when_something_is_planned_or_archived() {
        let s = Settings::default();
        let today = d(2026, 11, 24);
        let mut c = Contact::new(ContactId(1), "Ada", d(2026, 1, 1));
        let mut facts = Facts {
            last_personal: Some(today),
            ..Facts::default()
        };
        let entry = |c: &Contact, f: &Facts| {
            to_confirm(
                Entry {
                    contact: &c.profile(),
                    facts: f,
                    category: None,
                },
                &s,
                today,
            )
        };
        let (day, _) = entry(&c, &facts).unwrap();
        assert_eq!(day, d(2026, 12, 24), "one default cadence (30 days) on");
        facts
            .planned
            .push(planned(9, d(2026, 12, 1), Channel::Call));
        assert_eq!(entry(&c, &facts), None);
        facts.planned.clear();
        c.stage = Stage::Archived;
        assert_eq!(entry(&c, &facts), None);
    }

    #[test]
    fn retries_follow_the_reason_and_archiving_plans_none() {
        let s = Settings::default();
        let today = d(2026, 11, 24);
        let r = |reason| retry_after_no(Stage::StayInTouch, reason, &s, today);
        assert_eq!(r(NoReason::NoMoney), Some(d(2027, 1, 1)));
        assert_eq!(
            r(NoReason::NoHurry(Some(HurryReason::Procrastinate))),
            Some(d(2027, 2, 22))
        );
        assert_eq!(r(NoReason::NoNeed), Some(d(2027, 5, 24)));
        assert_eq!(r(NoReason::NoInterest), Some(d(2027, 11, 24)));
        assert_eq!(r(NoReason::NotAFit), Some(d(2027, 11, 24)));
        assert_eq!(
            retry_after_no(Stage::Archived, NoReason::NoNeed, &s, today),
            None
        );
    }

    #[test]
    fn weeks_run_monday_to_sunday_and_cleared_items_stay_cleared() {
        let wed = d(2026, 11, 25);
        assert_eq!(week_start(wed), d(2026, 11, 23));
        assert_eq!(week_end(wed), d(2026, 11, 29));
        assert!(in_week(d(2026, 11, 1), wed) && in_week(d(2026, 11, 29), wed));
        assert!(!in_week(d(2026, 11, 30), wed));
        let mon = d(2026, 11, 23);
        // Done on Monday, due again in a month: never back this week.
        assert!(!shows_again(mon, d(2026, 12, 23), wed));
        // Rescheduled on Monday to Thursday: back on Thursday, not before.
        assert!(!shows_again(mon, d(2026, 11, 26), wed));
        assert!(shows_again(mon, d(2026, 11, 26), d(2026, 11, 26)));
        // Planned for today on the day it was cleared: stays cleared.
        assert!(!shows_again(wed, wed, wed));
    }
}
