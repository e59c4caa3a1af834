//! The writes behind the user's actions (log, plan, snooze, skip, move, sale, add, restore), shared by the CLI and the
//! TUI so both record exactly the same thing, and the one read both share (the insights). Owns no
//! I/O beyond the store; asks the planner for every decision; prints nothing.

use crate::model::{
    Channel, Contact, Direction, NoReason, Sale, Settings, Snooze, Stage, Touch, TouchState,
};
use crate::planner::{self, Facts};
use crate::store::{Result, Store};
use chrono::{Days, NaiveDate};
use std::collections::BTreeMap;

/// Planned outbound load around `wanted`, for levelling.
pub fn load_near(
    store: &Store,
    s: &Settings,
    wanted: NaiveDate,
    today: NaiveDate,
) -> Result<BTreeMap<NaiveDate, u32>> {
    let from = wanted.min(today);
    let to = wanted
        .checked_add_days(Days::new(u64::from(s.levelling_window_days) + 31))
        .unwrap_or(NaiveDate::MAX);
    store.planned_load(from, to)
}

/// The lightest allowed day near `wanted` for `facts`' contact (the planner's levelling).
pub fn level_day(
    store: &Store,
    s: &Settings,
    facts: &Facts,
    wanted: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate> {
    let load = load_near(store, s, wanted, today)?;
    Ok(planner::pick_day(&load, facts, s, wanted, today, None))
}

/// A touch that happened, as the user reports it.
#[derive(Debug, Clone)]
pub struct Logged {
    pub channel: Channel,
    pub date: NaiveDate,
    pub direction: Direction,
    pub summary: String,
}

/// Record a touch that happened. The earliest planned touch due by then is the one it makes (it
/// becomes done); a snooze ends.
pub fn log_touch(
    store: &Store,
    contact: &Contact,
    facts: &Facts,
    t: &Logged,
    today: NaiveDate,
) -> Result<Touch> {
    let completes = facts
        .planned
        .iter()
        .find(|p| p.date <= t.date)
        .map(|p| p.id);
    let label = format!("log {} with c{} {}", t.channel, contact.id, contact.name);
    store.write(&label, |w| {
        let touch = match completes.map(|id| w.touch(id)).transpose()?.flatten() {
            Some(mut done) => {
                done.date = t.date;
                done.channel = t.channel;
                done.direction = t.direction;
                done.state = TouchState::Done;
                if !t.summary.is_empty() {
                    done.summary = t.summary.clone();
                }
                done
            }
            None => Touch {
                id: w.new_touch_id()?,
                contact: contact.id,
                date: t.date,
                channel: t.channel,
                direction: t.direction,
                summary: t.summary.clone(),
                state: TouchState::Done,
            },
        };
        w.put_touch(&touch)?;
        if contact.snooze.is_some() {
            let mut c = contact.clone();
            c.snooze = None;
            c.updated = today;
            w.put_contact(&c)?;
        }
        Ok(touch)
    })
}

/// Plan an outbound touch on `date`.
pub fn plan_touch(
    store: &Store,
    contact: &Contact,
    date: NaiveDate,
    channel: Channel,
    summary: &str,
) -> Result<Touch> {
    let label = format!(
        "plan {channel} with c{} {} on {date}",
        contact.id, contact.name
    );
    store.write(&label, |w| {
        let t = Touch {
            id: w.new_touch_id()?,
            contact: contact.id,
            date,
            channel,
            direction: Direction::Out,
            summary: summary.to_string(),
            state: TouchState::Planned,
        };
        w.put_touch(&t)?;
        Ok(t)
    })
}

/// Snooze a contact until `until`; planned touches due earlier move to that day. Returns how many
/// planned touches moved.
pub fn snooze(
    store: &Store,
    contact: &Contact,
    facts: &Facts,
    until: NaiveDate,
    note: &str,
    today: NaiveDate,
) -> Result<usize> {
    let label = format!("snooze c{} {} until {until}", contact.id, contact.name);
    store.write(&label, |w| {
        let mut c = contact.clone();
        c.snooze = Some(Snooze {
            until,
            since: today,
            note: note.to_string(),
        });
        c.updated = today;
        w.put_contact(&c)?;
        let mut moved = 0;
        for p in facts.planned.iter().filter(|p| p.date < until) {
            if let Some(mut t) = w.touch(p.id)? {
                t.date = until;
                w.put_touch(&t)?;
                moved += 1;
            }
        }
        Ok(moved)
    })
}

/// Move a planned touch to another day, or plan one there when none is planned.
pub fn reschedule(
    store: &Store,
    contact: &Contact,
    facts: &Facts,
    date: NaiveDate,
    channel: Channel,
) -> Result<Touch> {
    match facts.planned.first() {
        Some(p) => {
            let label = format!("reschedule c{} {} to {date}", contact.id, contact.name);
            let id = p.id;
            store.write(&label, |w| {
                let mut t = w.touch(id)?.ok_or_else(|| {
                    crate::store::StoreError::Db(format!("planned touch t{id} is gone"))
                })?;
                t.date = date;
                w.put_touch(&t)?;
                Ok(t)
            })
        }
        None => plan_touch(store, contact, date, channel, ""),
    }
}

/// Skip the contact's due touch: a planned touch becomes skipped; otherwise a skip is recorded for
/// today. Either way the next touch is planned on `next` (one cadence on, levelled by the caller).
pub fn skip(
    store: &Store,
    contact: &Contact,
    facts: &Facts,
    channel: Channel,
    next: NaiveDate,
    today: NaiveDate,
) -> Result<()> {
    let label = format!("skip c{} {}", contact.id, contact.name);
    let planned = facts
        .planned
        .iter()
        .find(|p| p.date <= today)
        .or(facts.planned.first());
    let planned = planned.map(|p| p.id);
    store.write(&label, |w| {
        match planned.map(|id| w.touch(id)).transpose()?.flatten() {
            Some(mut t) => {
                t.state = TouchState::Skipped;
                w.put_touch(&t)?;
            }
            None => {
                let t = Touch {
                    id: w.new_touch_id()?,
                    contact: contact.id,
                    date: today,
                    channel,
                    direction: Direction::Out,
                    summary: "skipped".to_string(),
                    state: TouchState::Skipped,
                };
                w.put_touch(&t)?;
            }
        }
        let t = Touch {
            id: w.new_touch_id()?,
            contact: contact.id,
            date: next,
            channel,
            direction: Direction::Out,
            summary: String::new(),
            state: TouchState::Planned,
        };
        w.put_touch(&t)
    })
}

/// Change a contact's stage, keeping the reason, the archive marker and the stage date consistent.
pub fn apply_stage(c: &mut Contact, target: Stage, reason: Option<NoReason>, today: NaiveDate) {
    if target == Stage::Archived {
        c.archived_from = Some(c.stage);
    } else {
        c.archived_from = None;
    }
    if target.is_out() {
        c.no_reason = reason.or(c.no_reason);
    } else {
        c.no_reason = None;
    }
    c.stage = target;
    c.stage_changed = today;
    c.updated = today;
}

/// Move a contact to `target` (with the reason of the "no" when moving out) as one action.
pub fn move_stage(
    store: &Store,
    contact: &Contact,
    target: Stage,
    reason: Option<NoReason>,
    today: NaiveDate,
) -> Result<Contact> {
    let mut c = contact.clone();
    let from = c.stage;
    apply_stage(&mut c, target, reason, today);
    let label = if target == Stage::Archived {
        format!("archive c{} {}", c.id, c.name)
    } else {
        format!("move c{} {} {from} -> {target}", c.id, c.name)
    };
    store.write(&label, |w| w.put_contact(&c))?;
    Ok(c)
}

/// Replace a contact's notes.
pub fn set_notes(store: &Store, contact: &Contact, notes: &str, today: NaiveDate) -> Result<()> {
    let mut c = contact.clone();
    c.notes = notes.to_string();
    c.updated = today;
    store.write(&format!("edit notes of c{} {}", c.id, c.name), |w| {
        w.put_contact(&c)
    })
}

/// Record a sale (amount and currency already validated by the caller).
pub fn record_sale(
    store: &Store,
    contact: &Contact,
    date: NaiveDate,
    amount_cents: i64,
    currency: &str,
    note: &str,
) -> Result<Sale> {
    let label = format!(
        "sale {} {currency} to c{} {}",
        crate::cli::output::money(amount_cents),
        contact.id,
        contact.name
    );
    store.write(&label, |w| {
        let s = Sale {
            id: w.new_sale_id()?,
            contact: contact.id,
            date,
            amount_cents,
            currency: currency.to_string(),
            note: note.to_string(),
        };
        w.put_sale(&s)?;
        Ok(s)
    })
}

/// Add a contact built from `template` (validated by the caller); the store gives it its id.
pub fn add_contact(store: &Store, template: &Contact) -> Result<Contact> {
    store.write(&format!("add {}", template.name), |w| {
        let mut c = template.clone();
        c.id = w.new_contact_id()?;
        w.put_contact(&c)?;
        Ok(c)
    })
}

/// Bring an archived contact back to the stage it was archived from (stay-in-touch if unknown).
pub fn restore(store: &Store, contact: &Contact, today: NaiveDate) -> Result<Contact> {
    let mut c = contact.clone();
    let back = c.archived_from.unwrap_or(Stage::StayInTouch);
    let reason = c.no_reason;
    apply_stage(&mut c, back, reason, today);
    store.write(&format!("restore c{} {}", c.id, c.name), |w| {
        w.put_contact(&c)
    })?;
    Ok(c)
}

/// Read what the insights need and compute them (the `insights` verb and the insights pane).
pub fn insights(store: &Store, today: NaiveDate) -> Result<planner::Insights> {
    let roster = store.roster()?;
    let weeks = i64::try_from(planner::insights::WEEKS).unwrap_or(26) * 7;
    let from = today
        .checked_sub_months(chrono::Months::new(12))
        .unwrap_or(NaiveDate::MIN)
        .min(planner::add_days(today, -weeks));
    let touches = store.touches_between(from, today)?;
    let sales = store.sales()?;
    let moves = store.stage_moves()?;
    let diary = planner::Diary {
        settings: &roster.settings,
        categories: &roster.categories,
        rows: &roster.rows,
        touches: &touches,
        sales: &sales,
        moves: &moves,
    };
    Ok(planner::insights(&diary, today))
}
