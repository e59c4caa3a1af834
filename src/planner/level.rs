//! Load levelling: put a new outbound item on the lightest allowed day.

use super::Facts;
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
    let _ = (load, facts, s, wanted, today, except);
    todo!("planner helper")
}
