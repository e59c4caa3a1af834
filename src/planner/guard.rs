//! The annoyance guard: a minimum gap between outbound touches and a cap per rolling window.
//!
//! The outbound touches of a contact are its done outbound touches ([`Facts::done_outbound`]) and
//! its planned outbound touches ([`Facts::planned`] with direction out), minus the planned touch
//! being moved (`except`). A new outbound touch on `date` is refused when
//! - another one lies fewer than `min_gap_days` days away, before or after (`TooSoon`), or
//! - some rolling window of `window_days` days that contains `date` would then hold more than
//!   `max_touches_per_window` outbound touches (`WindowFull`).
//!
//! Settings of 0 are read as 1 for the window length and the cap (a cap of 0 would forbid every
//! date); a gap of 0 disables the gap rule. Both searches are binary searches on the sorted facts,
//! so a check costs O(log n) plus the touches near `date`.

use super::{Facts, PlannedTouch, add_days, days_between};
use crate::model::{Direction, Settings, TouchId};
use chrono::NaiveDate;
use serde::Serialize;

/// Why an outbound touch on a date would annoy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum GuardConflict {
    #[error(
        "only {gap} day(s) from the touch on {near}; the minimum gap is {min_gap} days (earliest allowed: {earliest})"
    )]
    TooSoon {
        near: NaiveDate,
        gap: i64,
        min_gap: u32,
        earliest: NaiveDate,
    },
    #[error(
        "{count} outbound touches already fall within {window} days of {date}; the cap is {cap} (earliest allowed: {earliest})"
    )]
    WindowFull {
        date: NaiveDate,
        count: u32,
        cap: u32,
        window: u32,
        earliest: NaiveDate,
    },
}

/// The outbound touches the guard looks at, sorted: done ones and planned outbound ones.
struct Outbound<'a> {
    done: &'a [NaiveDate],
    planned: &'a [PlannedTouch],
    except: Option<TouchId>,
}

/// A conflict before its `earliest` is known.
enum Raw {
    TooSoon { near: NaiveDate },
    WindowFull { count: u32 },
}

impl<'a> Outbound<'a> {
    fn new(facts: &'a Facts, except: Option<TouchId>) -> Self {
        Outbound {
            done: &facts.done_outbound,
            planned: &facts.planned,
            except,
        }
    }

    fn counts(&self, p: &PlannedTouch) -> bool {
        p.direction == Direction::Out && Some(p.id) != self.except
    }

    /// The planned outbound touches dated in `[lo, hi]`.
    fn planned_in(&self, lo: NaiveDate, hi: NaiveDate) -> impl Iterator<Item = NaiveDate> + '_ {
        let start = self.planned.partition_point(|p| p.date < lo);
        self.planned[start..]
            .iter()
            .take_while(move |p| p.date <= hi)
            .filter(|p| self.counts(p))
            .map(|p| p.date)
    }

    /// The done outbound touches dated in `[lo, hi]`.
    fn done_in(&self, lo: NaiveDate, hi: NaiveDate) -> &'a [NaiveDate] {
        let a = self.done.partition_point(|d| *d < lo);
        let b = self.done.partition_point(|d| *d <= hi);
        self.done.get(a..b).unwrap_or(&[])
    }

    fn count_in(&self, lo: NaiveDate, hi: NaiveDate) -> u32 {
        let n = self.done_in(lo, hi).len() + self.planned_in(lo, hi).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }

    /// The latest outbound touch.
    fn last(&self) -> Option<NaiveDate> {
        let planned = self
            .planned
            .iter()
            .rev()
            .find(|p| self.counts(p))
            .map(|p| p.date);
        self.done.last().copied().max(planned)
    }

    /// The nearest touch fewer than `gap` days from `date` (the earlier one on a tie).
    fn nearest_within(&self, date: NaiveDate, gap: u32) -> Option<NaiveDate> {
        if gap == 0 {
            return None;
        }
        let reach = i64::from(gap) - 1;
        let lo = add_days(date, -reach);
        let hi = add_days(date, reach);
        let mut best: Option<(i64, NaiveDate)> = None;
        let mut consider = |d: NaiveDate| {
            let key = (days_between(d, date).abs(), d);
            if best.is_none_or(|b| key < b) {
                best = Some(key);
            }
        };
        let at = self.done.partition_point(|d| *d < date);
        if let Some(&d) = self.done.get(at).filter(|d| **d <= hi) {
            consider(d);
        }
        if let Some(&d) = at
            .checked_sub(1)
            .and_then(|i| self.done.get(i))
            .filter(|d| **d >= lo)
        {
            consider(d);
        }
        for d in self.planned_in(lo, hi) {
            consider(d);
        }
        best.map(|(_, d)| d)
    }

    /// The most touches already in one rolling window of `window` days that contains `date`.
    /// Only computed in full when the touches near `date` could reach `cap`.
    fn fullest_window(&self, date: NaiveDate, window: u32, cap: u32) -> u32 {
        let span = i64::from(window) - 1;
        let lo = add_days(date, -span);
        let hi = add_days(date, span);
        let near = self.count_in(lo, hi);
        if near < cap {
            return near;
        }
        // The fullest window containing `date` starts at a touch in [lo, date], or at `date`.
        let mut most = self.count_in(date, hi);
        let starts = self
            .done_in(lo, date)
            .iter()
            .copied()
            .chain(self.planned_in(lo, date));
        for s in starts {
            most = most.max(self.count_in(s, add_days(s, span)));
        }
        most
    }

    fn conflict(&self, s: &Settings, date: NaiveDate) -> Option<Raw> {
        // Fast path: no touch close enough to matter for either rule.
        let window = s.window_days.max(1);
        let reach = i64::from(s.min_gap_days.saturating_sub(1).max(window - 1));
        let (lo, hi) = (add_days(date, -reach), add_days(date, reach));
        if self.done_in(lo, hi).is_empty() && self.planned_in(lo, hi).next().is_none() {
            return None;
        }
        if let Some(near) = self.nearest_within(date, s.min_gap_days) {
            return Some(Raw::TooSoon { near });
        }
        let cap = s.max_touches_per_window.max(1);
        let count = self.fullest_window(date, window, cap);
        (count >= cap).then_some(Raw::WindowFull { count })
    }

    /// The first date on or after `from` without a conflict.
    fn earliest(&self, s: &Settings, from: NaiveDate) -> NaiveDate {
        // From `safe` on nothing can conflict: every touch is at least a gap and a window back.
        let reach = i64::from(s.min_gap_days.max(s.window_days).max(1));
        let safe = self.last().map_or(from, |l| add_days(l, reach));
        let mut date = from;
        for _ in 0..MAX_STEPS {
            if date >= safe {
                return date;
            }
            match self.conflict(s, date) {
                None => return date,
                Some(Raw::TooSoon { near }) => {
                    let past_gap = add_days(near, i64::from(s.min_gap_days));
                    date = past_gap.max(add_days(date, 1));
                }
                Some(Raw::WindowFull { .. }) => date = add_days(date, 1),
            }
        }
        date.max(safe)
    }
}

/// Bound on the day-by-day search of [`earliest_allowed`]; past it, the first date after every
/// touch plus a gap and a window is returned (which always passes).
const MAX_STEPS: usize = 10_000;

/// Check an outbound touch on `date` against the contact's done and planned outbound touches
/// (ignoring the planned touch `except`, e.g. the one being rescheduled).
pub fn check_guard(
    facts: &Facts,
    s: &Settings,
    date: NaiveDate,
    except: Option<TouchId>,
) -> Result<(), GuardConflict> {
    let out = Outbound::new(facts, except);
    match out.conflict(s, date) {
        None => Ok(()),
        Some(Raw::TooSoon { near }) => Err(GuardConflict::TooSoon {
            near,
            gap: days_between(date, near).abs(),
            min_gap: s.min_gap_days,
            earliest: out.earliest(s, date),
        }),
        Some(Raw::WindowFull { count }) => Err(GuardConflict::WindowFull {
            date,
            count,
            cap: s.max_touches_per_window,
            window: s.window_days,
            earliest: out.earliest(s, date),
        }),
    }
}

/// Whether an outbound touch on `date` passes the guard (no `earliest` computed).
pub fn passes_guard(facts: &Facts, s: &Settings, date: NaiveDate, except: Option<TouchId>) -> bool {
    Outbound::new(facts, except).conflict(s, date).is_none()
}

/// The first date on or after `from` where an outbound touch passes the guard.
pub fn earliest_allowed(
    facts: &Facts,
    s: &Settings,
    from: NaiveDate,
    except: Option<TouchId>,
) -> NaiveDate {
    Outbound::new(facts, except).earliest(s, from)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn planned(id: u64, date: NaiveDate, direction: Direction) -> PlannedTouch {
        PlannedTouch {
            id: TouchId(id),
            date,
            channel: crate::model::Channel::Call,
            direction,
        }
    }

    fn facts(done: &[NaiveDate], plan: &[PlannedTouch]) -> Facts {
        Facts {
            done_outbound: done.to_vec(),
            planned: plan.to_vec(),
            ..Facts::default()
        }
    }

    #[test]
    fn nothing_to_annoy() {
        let s = Settings::default();
        let f = Facts::default();
        assert_eq!(check_guard(&f, &s, d(2026, 11, 24), None), Ok(()));
        assert_eq!(
            earliest_allowed(&f, &s, d(2026, 11, 24), None),
            d(2026, 11, 24)
        );
    }

    #[test]
    fn min_gap_both_sides() {
        let s = Settings::default(); // gap 3
        let f = facts(
            &[d(2026, 11, 20)],
            &[planned(1, d(2026, 11, 30), Direction::Out)],
        );
        assert!(check_guard(&f, &s, d(2026, 11, 23), None).is_ok());
        assert!(check_guard(&f, &s, d(2026, 11, 27), None).is_ok());
        let err = check_guard(&f, &s, d(2026, 11, 22), None).unwrap_err();
        assert_eq!(
            err,
            GuardConflict::TooSoon {
                near: d(2026, 11, 20),
                gap: 2,
                min_gap: 3,
                earliest: d(2026, 11, 23),
            }
        );
        // Before a planned touch: the nearest is the planned one.
        let err = check_guard(&f, &s, d(2026, 11, 29), None).unwrap_err();
        assert!(
            matches!(err, GuardConflict::TooSoon { near, gap: 1, earliest, .. }
            if near == d(2026, 11, 30) && earliest == d(2026, 12, 3))
        );
        assert!(!err.to_string().is_empty());
    }

    #[test]
    fn nearest_reported_earlier_on_tie() {
        let s = Settings {
            min_gap_days: 5,
            ..Settings::default()
        };
        let f = facts(&[d(2026, 11, 20), d(2026, 11, 24)], &[]);
        let err = check_guard(&f, &s, d(2026, 11, 22), None).unwrap_err();
        assert!(
            matches!(err, GuardConflict::TooSoon { near, gap: 2, .. } if near == d(2026, 11, 20))
        );
    }

    #[test]
    fn inbound_and_excepted_planned_touches_do_not_count() {
        let s = Settings::default();
        let f = facts(
            &[],
            &[
                planned(1, d(2026, 11, 24), Direction::In),
                planned(2, d(2026, 11, 25), Direction::Out),
            ],
        );
        assert!(check_guard(&f, &s, d(2026, 11, 24), None).is_err());
        assert!(check_guard(&f, &s, d(2026, 11, 24), Some(TouchId(2))).is_ok());
        assert_eq!(
            earliest_allowed(&f, &s, d(2026, 11, 24), Some(TouchId(2))),
            d(2026, 11, 24)
        );
    }

    #[test]
    fn window_cap() {
        // At most 4 outbound in 30 days, gap 3.
        let s = Settings::default();
        let f = facts(
            &[
                d(2026, 11, 1),
                d(2026, 11, 5),
                d(2026, 11, 9),
                d(2026, 11, 13),
            ],
            &[],
        );
        let err = check_guard(&f, &s, d(2026, 11, 20), None).unwrap_err();
        // The window [Nov 1, Nov 30] holds 4 already; the first date whose windows hold at most 3
        // is Dec 1 (window Nov 2..Dec 1).
        assert_eq!(
            err,
            GuardConflict::WindowFull {
                date: d(2026, 11, 20),
                count: 4,
                cap: 4,
                window: 30,
                earliest: d(2026, 12, 1),
            }
        );
        assert!(check_guard(&f, &s, d(2026, 12, 1), None).is_ok());
        assert!(check_guard(&f, &s, d(2026, 11, 30), None).is_err());
        // Before the cluster as well: Oct 3 is in a window with Nov 1..13? Oct 3 + 29 = Nov 1:
        // the window Oct 3..Nov 1 holds one, fine; Oct 15's window Oct 15..Nov 13 holds four.
        assert!(check_guard(&f, &s, d(2026, 10, 3), None).is_ok());
        assert!(check_guard(&f, &s, d(2026, 10, 15), None).is_err());
    }

    #[test]
    fn window_counts_planned_outbound() {
        let s = Settings {
            max_touches_per_window: 2,
            ..Settings::default()
        };
        let f = facts(
            &[d(2026, 11, 1)],
            &[planned(1, d(2026, 11, 10), Direction::Out)],
        );
        assert!(matches!(
            check_guard(&f, &s, d(2026, 11, 20), None),
            Err(GuardConflict::WindowFull { count: 2, .. })
        ));
        assert!(check_guard(&f, &s, d(2026, 11, 20), Some(TouchId(1))).is_ok());
        assert_eq!(
            earliest_allowed(&f, &s, d(2026, 11, 20), None),
            d(2026, 12, 1) // from Dec 1 no 30-day window holds both Nov 1 and Nov 10
        );
    }

    #[test]
    fn zero_settings_are_sane() {
        let s = Settings {
            min_gap_days: 0,
            max_touches_per_window: 0,
            window_days: 0,
            ..Settings::default()
        };
        let f = facts(&[d(2026, 11, 24)], &[]);
        // Window of one day, cap one: the same day is taken, the next is free.
        assert!(check_guard(&f, &s, d(2026, 11, 24), None).is_err());
        assert_eq!(
            earliest_allowed(&f, &s, d(2026, 11, 24), None),
            d(2026, 11, 25)
        );
    }

    #[test]
    fn earliest_allowed_passes_and_is_first() {
        let s = Settings::default();
        let f = facts(
            &[d(2026, 11, 1), d(2026, 11, 4), d(2026, 11, 20)],
            &[
                planned(1, d(2026, 11, 26), Direction::Out),
                planned(2, d(2026, 12, 1), Direction::Out),
            ],
        );
        let from = d(2026, 11, 18);
        let e = earliest_allowed(&f, &s, from, None);
        assert!(check_guard(&f, &s, e, None).is_ok());
        let mut x = from;
        while x < e {
            assert!(
                check_guard(&f, &s, x, None).is_err(),
                "{x} passes before {e}"
            );
            x = x.succ_opt().unwrap();
        }
    }

    #[test]
    fn extreme_dates_terminate() {
        let s = Settings::default();
        let f = facts(&[NaiveDate::MAX], &[]);
        let e = earliest_allowed(&f, &s, add_days(NaiveDate::MAX, -1), None);
        assert!(e >= add_days(NaiveDate::MAX, -1));
        let f = facts(&[NaiveDate::MIN], &[]);
        assert!(check_guard(&f, &s, NaiveDate::MIN, None).is_err());
        assert_eq!(
            earliest_allowed(&f, &s, NaiveDate::MIN, None),
            add_days(NaiveDate::MIN, 3)
        );
    }
}
