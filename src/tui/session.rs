//! Reading the store into the model: the diary after a write (ours or another process's), the
//! open contact with its history, the search index and tags, the calendar grid's done counts and
//! birthdays, the insights. The effects, the import and the watch all read through here.

use super::model::Model;
use super::panes::contact::ContactView;
use crate::actions;
use crate::model::{ContactId, Piece, TouchId, TouchState};
use crate::planner::close;
use crate::store::{Result, Store, StoreError};
use chrono::{Datelike, Days, NaiveDate};
use std::collections::HashMap;

/// Re-read the roster, this week's cleared items and the open contact after a write; the search
/// index, the calendar grid and the insights are read again when next needed.
pub fn refresh(store: &Store, m: &mut Model) -> Result<()> {
    load_capture(store, m)?;
    let cleared = store.cleared(close::week_start(m.today()))?;
    m.diary.search.stale = true;
    m.panes.insights.data = None;
    m.set_diary(store.roster()?, cleared);
    if let Some(id) = m.contact().map(|c| c.contact.id) {
        open(store, m, id)?;
    }
    Ok(())
}

/// Read the contact's record and history into the contact pane.
pub fn open(store: &Store, m: &mut Model, id: ContactId) -> Result<()> {
    let contact = store
        .contact(id)?
        .ok_or_else(|| StoreError::Db(format!("contact c{id} is gone")))?;
    let facts = store.facts(id)?;
    // Newest first, as the timeline shows them (it merges the two without sorting per frame).
    let mut touches = store.touches_of(id)?;
    touches.reverse();
    touches.sort_by_key(|t| std::cmp::Reverse(t.date));
    let mut sales = store.sales_of(id)?;
    sales.reverse();
    sales.sort_by_key(|s| std::cmp::Reverse(s.date));
    let due = m.diary.row_of(id).and_then(|r| m.diary.due(r)).cloned();
    let scroll = m
        .contact()
        .filter(|c| c.contact.id == id)
        .map_or(0, |c| c.scroll);
    let (carried, suggested) = pieces_of(store, &touches, due.as_ref())?;
    m.panes.contact.view = Some(ContactView {
        contact,
        facts,
        touches,
        sales,
        due,
        scroll,
        carried,
        suggested,
    });
    Ok(())
}

/// The search index and the tags (the roster has no notes or tags).
pub fn load_search(store: &Store, m: &mut Model) -> Result<()> {
    let contacts = store.snapshot()?.contacts;
    let mut all_tags = std::collections::BTreeSet::new();
    let index = &mut m.diary.search;
    index.tags.clear();
    index.hay = contacts
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
                index.tags.insert(c.id, c.tags);
            }
            (c.id, nucleo_matcher::Utf32String::from(hay))
        })
        .collect();
    index.all_tags = all_tags.into_iter().collect();
    index.stale = false;
    index.loaded = true;
    m.refresh_components();
    Ok(())
}

/// The calendar grid's done touches and kept contacts' birthdays, 42 days from `start`.
pub fn load_grid(store: &Store, m: &mut Model, start: NaiveDate) -> Result<()> {
    let end = start.checked_add_days(Days::new(41)).unwrap_or(start);
    let grid = &mut m.panes.calendar.grid;
    grid.done_by_day.clear();
    for t in store.touches_between(start, end)? {
        if t.state == TouchState::Done {
            *grid.done_by_day.entry(t.date).or_default() += 1;
        }
    }
    grid.birthdays.clear();
    let days: std::collections::HashMap<(u32, u32), NaiveDate> = start
        .iter_days()
        .take(42)
        .map(|d| ((d.month(), d.day()), d))
        .collect();
    for (p, _) in &m.diary.roster.rows {
        if let Some(b) = p.birthday
            && p.stage.is_kept()
            && let Some(&day) = days.get(&(b.month, b.day))
        {
            *grid.birthdays.entry(day).or_default() += 1;
        }
    }
    grid.loaded = Some(start);
    Ok(())
}

/// The insights, as `tickler insights` computes them.
pub fn load_insights(
    store: &Store,
    m: &mut Model,
) -> std::result::Result<(), actions::ActionError> {
    m.panes.insights.data = Some(actions::insights(store, m.today())?);
    Ok(())
}

/// Remember this session's write (its undo-log number) so `u` can undo it, and only it.
pub fn note_own_write(store: &Store, m: &mut Model) {
    if let Some(seq) = store.last_undo_seq() {
        m.own_undo.push(seq);
    }
}

/// The piece each of a contact's touches carried, and the piece to suggest for its next due
/// touch (nothing is read beyond the library when it is empty).
fn pieces_of(
    store: &Store,
    touches: &[crate::model::Touch],
    due: Option<&crate::planner::NextDue>,
) -> Result<(HashMap<TouchId, Piece>, Option<Piece>)> {
    let library = store.pieces()?;
    if library.is_empty() {
        return Ok((HashMap::new(), None));
    }
    let carried: HashMap<_, _> = store
        .touch_pieces_of(touches.iter().map(|t| t.id))?
        .into_iter()
        .filter_map(|(t, p)| library.iter().find(|x| x.id == p).map(|x| (t, x.clone())))
        .collect();
    // Received or on its way: a done or planned touch carried it.
    let had = |p: crate::model::PieceId| {
        touches.iter().any(|t| {
            matches!(t.state, TouchState::Done | TouchState::Planned)
                && carried.get(&t.id).is_some_and(|x| x.id == p)
        })
    };
    let suggested =
        due.and_then(|d| crate::planner::suggest_piece(&library, had, d.channel).cloned());
    Ok((carried, suggested))
}

/// What the last capture run logged, when it ran in the past week: its contacts go to the review
/// list, and while it is the newest entry of the undo log `u` takes it back (a capture from cron
/// is reviewed here like an action of this session). Call before the diary is set.
pub fn load_capture(store: &Store, m: &mut Model) -> Result<()> {
    m.diary.captured.clear();
    let Some(run) = store.last_capture_run()? else {
        return Ok(());
    };
    let today = m.today();
    let week_ago = today.checked_sub_days(Days::new(7)).unwrap_or(today);
    if run.date < week_ago {
        return Ok(());
    }
    for &t in &run.logged {
        if let Some(t) = store.touch(t)?
            && !m.diary.captured.contains(&t.contact)
        {
            m.diary.captured.push(t.contact);
        }
    }
    if store.newest_undo_seq()? == Some(run.undo_seq) && !m.own_undo.contains(&run.undo_seq) {
        m.own_undo.push(run.undo_seq);
    }
    Ok(())
}
