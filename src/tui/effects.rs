//! Runs the [`Effect`]s `update` returns: the TUI's only store I/O. After a write the roster is
//! re-read and the model refreshed; an error goes to the status bar and the user's input is kept.

use super::model::{ContactView, Mode, Model};
use super::update::Effect;
use crate::actions::{self, Logged};
use crate::dates::format_relative;
use crate::model::{Contact, ContactId, Direction, TouchState};
use crate::planner::{self, Entry, effective_cadence};
use crate::store::{Result, Store, StoreError, Undone};
use chrono::{Datelike, Days, NaiveDate};

fn load_contact(store: &Store, id: ContactId) -> Result<Contact> {
    store
        .contact(id)?
        .ok_or_else(|| StoreError::Db(format!("contact c{id} is gone")))
}

/// The contact's next due from the planner, for messages.
fn next_phrase(m: &Model, id: ContactId) -> String {
    match m.index.get(&id).and_then(|&r| m.due(r)) {
        Some(d) => format!(
            "next {} {} [{}]",
            format_relative(d.date, m.today),
            d.channel,
            d.reason.as_str()
        ),
        None => "no next touch".to_string(),
    }
}

/// Run one effect against the store, then refresh the model.
pub fn run(store: &Store, m: &mut Model, effect: Effect, today: NaiveDate) {
    if let Effect::Import { .. } | Effect::Export { .. } = effect {
        return super::transfer::run(store, m, effect, today);
    }
    if let Effect::Undo = effect {
        return undo(store, m);
    }
    let clears = effect.clears();
    let is_write = !matches!(
        effect,
        Effect::OpenContact(_) | Effect::LoadSearch | Effect::LoadGrid(_) | Effect::LoadInsights
    );
    match execute(store, m, &effect, today) {
        Ok(msg) => {
            if is_write {
                if let Some(id) = clears
                    && !m.cleared.contains(&id)
                {
                    m.cleared.push(id);
                    m.undo_marks.push(Some(id));
                } else {
                    m.undo_marks.push(None);
                }
                note_own_write(store, m);
                if let Err(e) = refresh(store, m) {
                    m.status.text = format!("cannot re-read the diary: {e}");
                    m.status.error = true;
                    return;
                }
            }
            if let Some(msg) = msg {
                let id = clears.unwrap_or(ContactId(0));
                m.status.text = if clears.is_some() {
                    format!("{msg}; {}", next_phrase(m, id))
                } else {
                    msg
                };
                m.status.error = false;
            }
            if let Effect::Done {
                contact,
                decide: true,
                ..
            } = effect
            {
                m.mode = Mode::Decide { contact };
            }
            if let Effect::SaveNotes { .. } = effect {
                m.mode = Mode::Normal;
                m.notes = None;
            }
        }
        Err(e) => {
            m.status.text = e.to_string();
            m.status.error = true;
            // Nothing typed is lost: a failed summary goes back into its prompt.
            if let Effect::Done {
                contact,
                ref summary,
                ..
            } = effect
                && !summary.is_empty()
            {
                m.mode = Mode::Prompt {
                    kind: super::model::PromptKind::Summary { contact },
                    text: summary.clone(),
                };
            } else if let Effect::Log {
                contact,
                channel,
                date,
                summary,
            } = effect
            {
                m.mode = Mode::Prompt {
                    kind: super::model::PromptKind::LogSummary {
                        contact,
                        channel,
                        date,
                    },
                    text: summary,
                };
            }
        }
    }
}

/// Remember the newest entry of the undo log after a write of this session: `u` undoes that
/// entry and nothing newer (another process's action). Read while this session still holds the
/// file from its write, so no other write can come in between.
pub fn note_own_write(store: &Store, m: &mut Model) {
    if let Ok(seq) = store.newest_undo_seq() {
        m.undo_seen = seq;
    }
}

/// `u`: revert the newest action of the undo log if it is the newest this session knows of
/// (its own, or from before it started), never one another process made since.
fn undo(store: &Store, m: &mut Model) {
    let (text, error) = match store.undo_expecting(m.undo_seen) {
        Ok(Undone::Done(label)) => {
            if let Some(Some(id)) = m.undo_marks.pop() {
                m.cleared.retain(|c| *c != id);
            }
            note_own_write(store, m);
            if let Err(e) = refresh(store, m) {
                m.status.text = format!("cannot re-read the diary: {e}");
                m.status.error = true;
                return;
            }
            (format!("undone: {label}"), false)
        }
        Ok(Undone::Nothing) => ("nothing to undo".to_string(), false),
        Ok(Undone::Newer(newer)) => (
            format!(
                "not undone: the newest change (\"{}\") was made by another tickler since; `tickler undo` reverts it",
                newer.label
            ),
            true,
        ),
        Err(e) => (e.to_string(), true),
    };
    m.status.text = text;
    m.status.error = error;
}

/// Re-read the roster (and the open contact) after a write.
pub fn refresh(store: &Store, m: &mut Model) -> Result<()> {
    m.set_roster(store.roster()?);
    m.grid_loaded = None;
    m.insights = None;
    m.search_stale = true;
    if m.pane == super::action::Pane::Insights {
        m.insights = Some(actions::insights(store, m.today)?);
    }
    if let Some(id) = m.contact.as_ref().map(|c| c.contact.id) {
        open(store, m, id)?;
    }
    Ok(())
}

fn open(store: &Store, m: &mut Model, id: ContactId) -> Result<()> {
    let contact = load_contact(store, id)?;
    let facts = store.facts(id)?;
    // Newest first, as the timeline shows them (it merges the two without sorting per frame).
    let mut touches = store.touches_of(id)?;
    touches.reverse();
    touches.sort_by_key(|t| std::cmp::Reverse(t.date));
    let mut sales = store.sales_of(id)?;
    sales.reverse();
    sales.sort_by_key(|s| std::cmp::Reverse(s.date));
    let due = m.index.get(&id).and_then(|&r| m.due(r)).cloned();
    let scroll = m
        .contact
        .as_ref()
        .filter(|c| c.contact.id == id)
        .map_or(0, |c| c.scroll);
    m.contact = Some(ContactView {
        contact,
        facts,
        touches,
        sales,
        due,
        scroll,
    });
    Ok(())
}

fn execute(
    store: &Store,
    m: &mut Model,
    effect: &Effect,
    today: NaiveDate,
) -> Result<Option<String>> {
    let settings = m.roster.settings.clone();
    Ok(Some(match effect {
        // Run by `super::transfer` (see `run`).
        Effect::Import { .. } | Effect::Export { .. } => return Ok(None),
        Effect::OpenContact(id) => {
            open(store, m, *id)?;
            m.pane = super::action::Pane::Contact;
            return Ok(None);
        }
        Effect::LoadSearch => {
            // When search or the tag filter opens first and after each write (the roster has no
            // notes or tags).
            let contacts = store.snapshot()?.contacts;
            let mut all_tags = std::collections::BTreeSet::new();
            m.tags.clear();
            m.search_index = contacts
                .into_iter()
                .map(|(c, _)| {
                    let hay = format!(
                        "{} {} {} {}",
                        c.name,
                        c.company.as_deref().unwrap_or(""),
                        c.tags.join(" "),
                        c.notes.replace('\n', " ")
                    );
                    if !c.tags.is_empty() {
                        all_tags.extend(c.tags.iter().cloned());
                        m.tags.insert(c.id, c.tags);
                    }
                    (c.id, nucleo_matcher::Utf32String::from(hay))
                })
                .collect();
            m.all_tags = all_tags.into_iter().collect();
            m.search_stale = false;
            return Ok(None);
        }
        Effect::LoadInsights => {
            m.insights = Some(actions::insights(store, m.today)?);
            return Ok(None);
        }
        Effect::LoadGrid(start) => {
            let end = start.checked_add_days(Days::new(41)).unwrap_or(*start);
            m.done_by_day.clear();
            for t in store.touches_between(*start, end)? {
                if t.state == TouchState::Done {
                    *m.done_by_day.entry(t.date).or_default() += 1;
                }
            }
            m.birthdays.clear();
            let days: std::collections::HashMap<(u32, u32), NaiveDate> = start
                .iter_days()
                .take(42)
                .map(|d| ((d.month(), d.day()), d))
                .collect();
            for (p, _) in &m.roster.rows {
                if let Some(b) = p.birthday
                    && p.stage.is_kept()
                    && let Some(&day) = days.get(&(b.month, b.day))
                {
                    *m.birthdays.entry(day).or_default() += 1;
                }
            }
            m.grid_loaded = Some(*start);
            return Ok(None);
        }
        // Run by `undo`.
        Effect::Undo => return Ok(None),
        Effect::Done {
            contact, summary, ..
        } => {
            let c = load_contact(store, *contact)?;
            let facts = store.facts(*contact)?;
            let channel = m
                .index
                .get(contact)
                .and_then(|&r| m.due(r))
                .map_or(crate::model::Channel::Call, |d| d.channel);
            let t = actions::log_touch(
                store,
                &c,
                &facts,
                &Logged {
                    channel,
                    date: today,
                    direction: Direction::Out,
                    summary: summary.clone(),
                },
                today,
            )?;
            format!("logged {} with {}", t.channel, c.name)
        }
        Effect::Log {
            contact,
            channel,
            date,
            summary,
        } => {
            if *date > today {
                return Err(StoreError::Db(format!(
                    "{date} is in the future: log what happened"
                )));
            }
            let c = load_contact(store, *contact)?;
            let facts = store.facts(*contact)?;
            let t = actions::log_touch(
                store,
                &c,
                &facts,
                &Logged {
                    channel: *channel,
                    date: *date,
                    direction: Direction::Out,
                    summary: summary.clone(),
                },
                today,
            )?;
            format!("logged {} with {} on {}", t.channel, c.name, t.date)
        }
        Effect::Snooze { contact, until } => {
            if *until <= today {
                return Err(StoreError::Db(format!(
                    "{until} is not in the future: snooze until a later day"
                )));
            }
            let c = load_contact(store, *contact)?;
            let facts = store.facts(*contact)?;
            let day = actions::level_day(store, &settings, &facts, *until, today)?;
            actions::snooze(store, &c, &facts, day, "", today)?;
            format!("snoozed {} until {day}", c.name)
        }
        Effect::Reschedule { contact, date } => {
            if *date < today {
                return Err(StoreError::Db(format!("{date} is in the past")));
            }
            let c = load_contact(store, *contact)?;
            let facts = store.facts(*contact)?;
            let channel = planner::suggest_channel(&facts, category(m, &c));
            if let Err(conflict) = planner::check_guard(&facts, &settings, *date, None) {
                m.status.text = format!("warning: {conflict}");
            }
            actions::reschedule(store, &c, &facts, *date, channel)?;
            format!("rescheduled {} to {date}", c.name)
        }
        Effect::Skip { contact } => {
            let c = load_contact(store, *contact)?;
            let facts = store.facts(*contact)?;
            let cat = category(m, &c);
            let channel = planner::suggest_channel(&facts, cat);
            let cadence = effective_cadence(&c.profile(), cat, &settings);
            let day = actions::level_day(store, &settings, &facts, cadence.after(today), today)?;
            actions::skip(store, &c, &facts, channel, day, today)?;
            format!("skipped {}", c.name)
        }
        Effect::Plan { contact, date } => {
            let c = load_contact(store, *contact)?;
            if !c.stage.is_kept() {
                return Err(StoreError::Db(format!("{} is archived", c.name)));
            }
            let facts = store.facts(*contact)?;
            let cat = category(m, &c);
            let channel = planner::suggest_channel(&facts, cat);
            let day = match date {
                Some(d) if *d < today => {
                    return Err(StoreError::Db(format!("{d} is in the past")));
                }
                Some(d) => *d,
                None => {
                    let wanted = planner::next_due(
                        Entry {
                            contact: &c.profile(),
                            facts: &facts,
                            category: cat,
                        },
                        &settings,
                        today,
                    )
                    .map_or(today, |d| d.date.max(today));
                    actions::level_day(store, &settings, &facts, wanted, today)?
                }
            };
            actions::plan_touch(store, &c, day, channel, "")?;
            format!("planned {channel} with {} on {day}", c.name)
        }
        Effect::Move {
            contact,
            target,
            reason,
        } => {
            let c = load_contact(store, *contact)?;
            let from = c.stage;
            actions::move_stage(store, &c, *target, *reason, today)?;
            let why = reason.map_or_else(String::new, |r| format!(" ({r})"));
            format!("moved {} {from} -> {target}{why}", c.name)
        }
        Effect::Sale {
            contact,
            amount_cents,
            currency,
            date,
        } => {
            let c = load_contact(store, *contact)?;
            let s = actions::record_sale(store, &c, *date, *amount_cents, currency, "")?;
            format!(
                "recorded sale of {} {} for {} on {}",
                crate::cli::output::money(s.amount_cents),
                s.currency,
                c.name,
                s.date
            )
        }
        Effect::Restore { contact } => {
            let c = load_contact(store, *contact)?;
            let c = actions::restore(store, &c, today)?;
            format!("restored {} to {}", c.name, c.stage)
        }
        Effect::Add {
            name,
            company,
            emails,
        } => {
            let mut t = Contact::new(ContactId(0), name.clone(), today);
            t.company = company.clone();
            t.emails = emails.clone();
            // As `tickler add`: a contact with the same name and company is noted, not refused.
            let same = m
                .roster
                .rows
                .iter()
                .find(|(p, _)| p.name.eq_ignore_ascii_case(name) && p.company == *company)
                .map(|(p, _)| p.id);
            let c = actions::add_contact(store, &t)?;
            match same {
                Some(d) => format!(
                    "added c{} {}; note: c{d} has the same name and company",
                    c.id,
                    c.label()
                ),
                None => format!("added c{} {}", c.id, c.label()),
            }
        }
        Effect::SaveNotes { contact, text } => {
            let c = load_contact(store, *contact)?;
            actions::set_notes(store, &c, text, today)?;
            format!("notes of {} saved", c.name)
        }
    }))
}

fn category<'a>(m: &'a Model, c: &Contact) -> Option<&'a crate::model::Category> {
    c.category
        .and_then(|id| m.roster.categories.iter().find(|k| k.id == id))
}
