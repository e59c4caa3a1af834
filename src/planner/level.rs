//! Load levelling: put a new outbound item on the lightest allowed day.
//!
//! Used when the planner (or the user, by "reschedule") plans a touch: among the days from the
//! wanted date to `levelling_window_days` later, take the lightest that passes the annoyance guard
//! and is under the daily cap. When none does, fall back to the first date the guard allows and the
//! lightest allowed day of the window that starts there. Never a date before `today`.

use super::{Facts, add_days, earliest_allowed, passes_guard};
use crate::model::{Settings, TouchId};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// The day to plan an outbound touch wanted on `wanted`: the lightest day (fewest outbound touches
/// already planned, per `load`) within `[wanted, wanted + levelling_window_days]` that passes the
/// guard and is under `daily_cap`, earliest on ties. Never before `today`.
pub fn pick_day(
    load: &BTreeMap<NaiveDate, u32>,
    facts: &Facts,
    s: &Settings,
    wanted: NaiveDate,
    today: NaiveDate,
    except: Option<TouchId>,
) -> NaiveDate {
    let load_on = |d: NaiveDate| load.get(&d).copied().unwrap_or(0);
    let window = i64::from(s.levelling_window_days);
    let start = wanted.max(today);
    let lightest = |first: NaiveDate, under_cap: bool| -> Option<NaiveDate> {
        let mut best: Option<(u32, NaiveDate)> = None;
        for i in 0..=window {
            let d = add_days(first, i);
            let l = load_on(d);
            if (under_cap && l >= s.daily_cap) || !passes_guard(facts, s, d, except) {
                continue;
            }
            if best.is_none_or(|(bl, _)| l < bl) {
                best = Some((l, d));
            }
            if d == NaiveDate::MAX {
                break;
            }
        }
        best.map(|(_, d)| d)
    };
    if let Some(d) = lightest(start, true) {
        return d;
    }
    let first = earliest_allowed(facts, s, start, except);
    lightest(first, false).unwrap_or(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn load(days: &[(NaiveDate, u32)]) -> BTreeMap<NaiveDate, u32> {
        days.iter().copied().collect()
    }

    const TODAY: (i32, u32, u32) = (2026, 11, 24);

    fn today() -> NaiveDate {
        d(TODAY.0, TODAY.1, TODAY.2)
    }

    #[test]
    fn wanted_day_when_free() {
        let s = Settings::default();
        let f = Facts::default();
        assert_eq!(
            pick_day(&BTreeMap::new(), &f, &s, d(2026, 11, 26), today(), None),
            d(2026, 11, 26)
        );
    }

    #[test]
    fn lightest_day_in_window_earliest_on_ties() {
        let s = Settings::default(); // window 3, cap 12
        let f = Facts::default();
        let l = load(&[
            (d(2026, 11, 26), 5),
            (d(2026, 11, 27), 2),
            (d(2026, 11, 28), 2),
            (d(2026, 11, 29), 3),
        ]);
        assert_eq!(
            pick_day(&l, &f, &s, d(2026, 11, 26), today(), None),
            d(2026, 11, 27)
        );
    }

    #[test]
    fn never_before_today() {
        let s = Settings::default();
        let f = Facts::default();
        assert_eq!(
            pick_day(&BTreeMap::new(), &f, &s, d(2026, 1, 1), today(), None),
            today()
        );
    }

    #[test]
    fn skips_full_days_and_guarded_days() {
        let s = Settings {
            daily_cap: 2,
            ..Settings::default()
        };
        let f = Facts {
            done_outbound: vec![d(2026, 11, 23)],
            ..Facts::default()
        };
        // Nov 24 and 25 are inside the 3-day gap; Nov 26 is full; Nov 27 is free.
        let l = load(&[(d(2026, 11, 26), 2), (d(2026, 11, 27), 1)]);
        assert_eq!(
            pick_day(&l, &f, &s, today(), today(), None),
            d(2026, 11, 27)
        );
    }

    #[test]
    fn falls_back_past_the_guard_when_nothing_fits() {
        let s = Settings {
            daily_cap: 1,
            ..Settings::default()
        };
        let f = Facts {
            done_outbound: vec![d(2026, 11, 26)],
            ..Facts::default()
        };
        // Window Nov 24..27: 24 full, 25..27 guarded. The guard allows Nov 29 first (gap 3);
        // Nov 29 and 30 are full, Dec 1 is lighter.
        let l = load(&[
            (today(), 1),
            (d(2026, 11, 29), 4),
            (d(2026, 11, 30), 3),
            (d(2026, 12, 1), 2),
            (d(2026, 12, 2), 2),
        ]);
        assert_eq!(pick_day(&l, &f, &s, today(), today(), None), d(2026, 12, 1));
    }

    #[test]
    fn zero_cap_still_returns_an_allowed_day() {
        let s = Settings {
            daily_cap: 0,
            ..Settings::default()
        };
        let f = Facts::default();
        assert_eq!(
            pick_day(&BTreeMap::new(), &f, &s, today(), today(), None),
            today()
        );
    }

    #[test]
    fn except_frees_the_rescheduled_touch() {
        let s = Settings::default();
        let f = Facts {
            planned: vec![super::super::PlannedTouch {
                id: TouchId(3),
                date: today(),
                channel: crate::model::Channel::Call,
                direction: crate::model::Direction::Out,
            }],
            ..Facts::default()
        };
        assert_eq!(
            pick_day(&BTreeMap::new(), &f, &s, today(), today(), Some(TouchId(3))),
            today()
        );
        assert_eq!(
            pick_day(&BTreeMap::new(), &f, &s, today(), today(), None),
            d(2026, 11, 27)
        );
    }
}
