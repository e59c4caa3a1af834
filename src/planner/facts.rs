//! A contact's history boiled down to what the planner needs. The store recomputes it with
//! [`summarize`] inside every write that touches a contact's touches or sales, so reading the diary
//! never walks the full history.

use crate::model::{Channel, Direction, Sale, Touch, TouchId, TouchState};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

/// How many of the latest done outbound touch dates are kept (enough for any guard window).
pub const RECENT_OUTBOUND: usize = 64;
/// How many of the latest done channels are kept, newest first.
pub const RECENT_CHANNELS: usize = 6;

/// A planned (not yet done) touch, as the planner needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedTouch {
    pub id: TouchId,
    pub date: NaiveDate,
    pub channel: Channel,
    pub direction: Direction,
}

/// Sales of one calendar month.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthTotal {
    pub year: i32,
    pub month: u32,
    pub cents: i64,
}

/// The summary of one contact's touches and sales. Independent of `today` and of the contact record.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Facts {
    /// Last done personal touch, either direction.
    pub last_personal: Option<NaiveDate>,
    /// Last done broadcast touch (newsletter, mass mailing).
    pub last_broadcast: Option<NaiveDate>,
    /// Dates of the latest done outbound touches, ascending, at most [`RECENT_OUTBOUND`].
    pub done_outbound: Vec<NaiveDate>,
    /// Channels of the latest done touches, newest first, at most [`RECENT_CHANNELS`].
    pub recent_channels: Vec<Channel>,
    /// Every planned touch, ascending by date then id.
    pub planned: Vec<PlannedTouch>,
    /// Number of done touches.
    pub done_count: u32,
    /// Sales per calendar month, ascending.
    pub sales_by_month: Vec<MonthTotal>,
    pub last_sale: Option<NaiveDate>,
}

/// Summarize a contact's touches and sales (any order; skipped touches count for nothing).
///
/// One pass over the touches plus a sort of the done outbound dates and of the planned touches:
/// O(n log n) in the history's length, so the store can call it inside every write.
pub fn summarize(touches: &[Touch], sales: &[Sale]) -> Facts {
    let mut facts = Facts::default();
    let mut outbound: Vec<NaiveDate> = Vec::new();
    // The newest done touches, newest first by (date, id); at most RECENT_CHANNELS.
    let mut recent: Vec<(NaiveDate, TouchId, Channel)> = Vec::with_capacity(RECENT_CHANNELS + 1);

    for t in touches {
        match t.state {
            TouchState::Skipped | TouchState::Cancelled => {}
            TouchState::Planned => facts.planned.push(PlannedTouch {
                id: t.id,
                date: t.date,
                channel: t.channel,
                direction: t.direction,
            }),
            TouchState::Done => {
                facts.done_count = facts.done_count.saturating_add(1);
                let last = if t.channel.is_broadcast() {
                    &mut facts.last_broadcast
                } else {
                    &mut facts.last_personal
                };
                if last.is_none_or(|l| t.date > l) {
                    *last = Some(t.date);
                }
                if t.direction == Direction::Out {
                    outbound.push(t.date);
                }
                let key = (t.date, t.id);
                let full = recent.len() >= RECENT_CHANNELS;
                if !full || recent.last().is_some_and(|&(d, id, _)| key > (d, id)) {
                    let at = recent.partition_point(|&(d, id, _)| (d, id) > key);
                    recent.insert(at, (t.date, t.id, t.channel));
                    recent.truncate(RECENT_CHANNELS);
                }
            }
        }
    }

    outbound.sort_unstable();
    let skip = outbound.len().saturating_sub(RECENT_OUTBOUND);
    outbound.drain(..skip);
    facts.done_outbound = outbound;
    facts.recent_channels = recent.into_iter().map(|(_, _, c)| c).collect();
    facts.planned.sort_unstable_by_key(|p| (p.date, p.id));

    let mut by_month: Vec<(i32, u32, i64)> = sales
        .iter()
        .map(|s| (s.date.year(), s.date.month(), s.amount_cents))
        .collect();
    by_month.sort_unstable_by_key(|&(y, m, _)| (y, m));
    for (year, month, cents) in by_month {
        match facts.sales_by_month.last_mut() {
            Some(t) if t.year == year && t.month == month => {
                t.cents = t.cents.saturating_add(cents)
            }
            _ => facts.sales_by_month.push(MonthTotal { year, month, cents }),
        }
    }
    facts.last_sale = sales.iter().map(|s| s.date).max();
    facts
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ContactId, SaleId};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn touch(
        id: u64,
        date: NaiveDate,
        channel: Channel,
        dir: Direction,
        state: TouchState,
    ) -> Touch {
        Touch {
            id: TouchId(id),
            contact: ContactId(1),
            date,
            channel,
            direction: dir,
            summary: String::new(),
            state,
        }
    }

    fn sale(id: u64, date: NaiveDate, cents: i64) -> Sale {
        Sale {
            id: SaleId(id),
            contact: ContactId(1),
            date,
            amount_cents: cents,
            currency: "EUR".into(),
            note: String::new(),
        }
    }

    use Channel::*;
    use Direction::*;
    use TouchState::*;

    #[test]
    fn empty_history() {
        assert_eq!(summarize(&[], &[]), Facts::default());
    }

    #[test]
    fn last_personal_and_broadcast_either_direction() {
        let t = [
            touch(1, d(2026, 3, 1), Call, Out, Done),
            touch(2, d(2026, 5, 1), Email, In, Done),
            touch(3, d(2026, 6, 1), Newsletter, Out, Done),
            touch(4, d(2026, 4, 1), MassMailing, Out, Done),
            touch(5, d(2026, 9, 1), Call, Out, Skipped),
            touch(6, d(2026, 10, 1), Newsletter, Out, Skipped),
        ];
        let f = summarize(&t, &[]);
        assert_eq!(f.last_personal, Some(d(2026, 5, 1)));
        assert_eq!(f.last_broadcast, Some(d(2026, 6, 1)));
        assert_eq!(f.done_count, 4);
        assert_eq!(
            f.done_outbound,
            vec![d(2026, 3, 1), d(2026, 4, 1), d(2026, 6, 1)]
        );
    }

    #[test]
    fn skipped_touches_count_for_nothing() {
        let t = [touch(1, d(2026, 3, 1), Call, Out, Skipped)];
        assert_eq!(summarize(&t, &[]), Facts::default());
    }

    #[test]
    fn recent_channels_newest_first_ties_by_id() {
        let t = [
            touch(1, d(2026, 1, 1), Call, Out, Done),
            touch(9, d(2026, 2, 1), Email, Out, Done),
            touch(3, d(2026, 2, 1), Postcard, Out, Done),
            touch(4, d(2026, 3, 1), Meeting, In, Done),
            touch(5, d(2026, 4, 1), Letter, Out, Planned),
        ];
        let f = summarize(&t, &[]);
        assert_eq!(f.recent_channels, vec![Meeting, Email, Postcard, Call]);
    }

    #[test]
    fn recent_channels_and_outbound_are_bounded() {
        let t: Vec<Touch> = (0..200u64)
            .map(|i| {
                let ch = Channel::ALL[(i % 12) as usize];
                touch(i, add(d(2020, 1, 1), i as i64), ch, Out, Done)
            })
            .collect();
        let f = summarize(&t, &[]);
        assert_eq!(f.recent_channels.len(), RECENT_CHANNELS);
        assert_eq!(f.recent_channels[0], Channel::ALL[(199 % 12) as usize]);
        assert_eq!(f.done_outbound.len(), RECENT_OUTBOUND);
        assert_eq!(f.done_outbound.last(), Some(&add(d(2020, 1, 1), 199)));
        assert_eq!(
            f.done_outbound[0],
            add(d(2020, 1, 1), 200 - RECENT_OUTBOUND as i64)
        );
        assert_eq!(f.done_count, 200);
    }

    fn add(date: NaiveDate, n: i64) -> NaiveDate {
        super::super::add_days(date, n)
    }

    #[test]
    fn planned_sorted_by_date_then_id() {
        let t = [
            touch(7, d(2026, 12, 5), Call, Out, Planned),
            touch(2, d(2026, 12, 5), Email, In, Planned),
            touch(3, d(2026, 12, 1), Letter, Out, Planned),
        ];
        let f = summarize(&t, &[]);
        let ids: Vec<u64> = f.planned.iter().map(|p| p.id.0).collect();
        assert_eq!(ids, vec![3, 2, 7]);
        assert_eq!(f.planned[1].direction, In);
        assert_eq!(f.done_count, 0);
        assert!(f.done_outbound.is_empty());
    }

    #[test]
    fn sales_aggregate_by_month() {
        let s = [
            sale(1, d(2026, 3, 15), 500),
            sale(2, d(2025, 12, 31), 100),
            sale(3, d(2026, 3, 1), 250),
            sale(4, d(2026, 1, 1), 1),
        ];
        let f = summarize(&[], &s);
        assert_eq!(
            f.sales_by_month,
            vec![
                MonthTotal {
                    year: 2025,
                    month: 12,
                    cents: 100
                },
                MonthTotal {
                    year: 2026,
                    month: 1,
                    cents: 1
                },
                MonthTotal {
                    year: 2026,
                    month: 3,
                    cents: 750
                },
            ]
        );
        assert_eq!(f.last_sale, Some(d(2026, 3, 15)));
    }

    #[test]
    fn order_does_not_matter() {
        let mut t = vec![
            touch(1, d(2026, 1, 1), Call, Out, Done),
            touch(2, d(2026, 1, 1), Email, Out, Done),
            touch(3, d(2026, 2, 1), Newsletter, Out, Done),
            touch(4, d(2026, 12, 1), Call, Out, Planned),
            touch(5, d(2026, 2, 1), Call, In, Skipped),
        ];
        let a = summarize(&t, &[]);
        t.reverse();
        assert_eq!(summarize(&t, &[]), a);
    }
}
