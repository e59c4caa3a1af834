//! Runs the [`Effect`]s `update` returns: the TUI's only store I/O. An action goes to
//! [`crate::actions::run`] (which decides and writes in one transaction); after a write the
//! roster is re-read and the model refreshed; an error goes to the status bar and what the user
//! typed is kept.

use super::model::{ContactView, Mode, Model, PickerKind, PromptKind};
use super::update::{Effect, Then};
use crate::actions::{self, ActionError, Completes, ContactRef, Outcome, Request, resolve};
use crate::model::{ContactId, TouchState};
use crate::planner::close;
use crate::store::{Result, Store, StoreError, Undone};
use chrono::{Datelike, Days, NaiveDate};

/// Run one effect against the store, then refresh the model.
pub fn run(store: &Store, m: &mut Model, effect: Effect) {
    let result = match effect {
        Effect::Import { .. } | Effect::Export { .. } => {
            let today = m.today;
            return super::transfer::run(store, m, effect, today);
        }
        Effect::Undo => return undo(store, m),
        Effect::Sync => return sync(store, m, None),
        Effect::Act { request, then } => return act(store, m, &request, then),
        Effect::OpenContact(id) => open(store, m, id).map(|()| {
            m.pane = super::action::Pane::Contact;
        }),
        Effect::LoadSearch => load_search(store, m),
        Effect::LoadInsights => actions::insights(store, m.today).map(|i| {
            m.insights = Some(i);
        }),
        Effect::LoadGrid(start) => load_grid(store, m, start),
        Effect::Reload => refresh(store, m),
    };
    if let Err(e) = result {
        m.status.text = e.to_string();
        m.status.error = true;
    }
}

/// Run one action: its message (and any warning) in the status bar, or its error with what the
/// user typed kept.
fn act(store: &Store, m: &mut Model, request: &Request, then: Then) {
    match actions::run(store, request, m.today) {
        Ok(out) => {
            note_own_write(store, m);
            if let Err(e) = refresh(store, m) {
                m.status.text = format!("cannot re-read the diary: {e}");
                m.status.error = true;
                return;
            }
            let mut text = out.message(m.today);
            if let Some(w) = out.warning() {
                text = format!("{text} · note: {w}");
            }
            m.status.text = text;
            m.status.error = false;
            after(m, &out, &then);
            if crate::sync::account::after_change(store) {
                let said = m.status.text.clone();
                sync(store, m, Some(said));
            }
        }
        Err(e) => failed(m, request, then, e),
    }
}

/// `S`, `:sync`, or after a change with the setting sync_after_change: sync with the account; the
/// result in the status bar (after `before`, the action's own message). The changes a sync made
/// here are this session's to undo.
fn sync(store: &Store, m: &mut Model, before: Option<String>) {
    use crate::sync::account;
    let newest = store.newest_undo_seq().ok().flatten();
    let result =
        account::account(store, None, None).and_then(|a| account::run(store, &a, m.today, false));
    let (text, error) = match result {
        Ok(r) => (account::summary(&r), false),
        Err(e) => (format!("sync failed: {e}"), true),
    };
    if let Ok(Some(seq)) = store.newest_undo_seq()
        && Some(seq) != newest
    {
        m.own_undo.push(seq);
    }
    if let Err(e) = refresh(store, m) {
        m.status.text = format!("cannot re-read the diary: {e}");
        m.status.error = true;
        return;
    }
    m.status.text = match before {
        Some(b) => format!("{b} · {text}"),
        None => text,
    };
    m.status.error = error;
}

/// What follows a successful action on screen.
fn after(m: &mut Model, out: &Outcome, then: &Then) {
    match then {
        Then::Status => {}
        &Then::Decide(contact) => {
            let next = match out {
                Outcome::Logged(l) => l.planned_next.as_ref().map(|t| (t.id, t.date, t.channel)),
                _ => None,
            };
            m.mode = Mode::Decide { contact, next };
        }
        Then::CloseEditor => {
            m.mode = Mode::Normal;
            m.notes = None;
            m.notes_base = None;
        }
        Then::Line(_) => {}
    }
}

/// An action was refused: say why, and put back what was typed (nothing typed is lost).
fn failed(m: &mut Model, request: &Request, then: Then, e: ActionError) {
    m.status.text = e.to_string();
    m.status.error = true;
    if let Then::Line(text) = then
        && !matches!(e, ActionError::ReasonNeeded)
    {
        m.mode = Mode::Prompt {
            kind: PromptKind::Command,
            text,
        };
        return;
    }
    match (request, e) {
        (Request::Notes(r), ActionError::NotesChanged { theirs, .. }) => {
            if let ContactRef::Id(contact) = r.contact {
                m.status.text = format!(
                    "{} · k keep yours · m merge both · d drop yours · Esc edit",
                    m.status.text
                );
                m.mode = Mode::NotesConflict { contact, theirs };
            }
        }
        (Request::Log(r), _) if !r.summary.is_empty() => {
            if let ContactRef::Id(contact) = r.contact {
                let kind = match (r.completes, r.channel) {
                    (Completes::Item(_), _) | (_, None) => PromptKind::Summary { contact },
                    (_, Some(channel)) => PromptKind::LogSummary {
                        contact,
                        channel,
                        date: r.date,
                    },
                };
                m.mode = Mode::Prompt {
                    kind,
                    text: r.summary.clone(),
                };
            }
        }
        (Request::Move(r), ActionError::ReasonNeeded) => {
            let rows = m.roster.rows.iter().map(|(p, _)| p);
            let id = match &r.contact {
                ContactRef::Id(id) => Some(*id),
                ContactRef::Query(q) => resolve::contact(rows, q).ok(),
            };
            if let Some(contact) = id {
                m.mode = Mode::Picker {
                    kind: PickerKind::Reason {
                        contact,
                        target: r.target,
                    },
                    selected: 0,
                };
            }
        }
        _ => {}
    }
}

/// Remember this session's write (its undo-log number) so `u` can undo it, and only it.
pub fn note_own_write(store: &Store, m: &mut Model) {
    if let Some(seq) = store.last_undo_seq() {
        m.own_undo.push(seq);
    }
}

/// `u`: revert this session's newest action while it is the newest in the file; never an
/// action another tickler made, neither before this session's first undo nor after it.
fn undo(store: &Store, m: &mut Model) {
    let Some(&mine) = m.own_undo.last() else {
        m.status.text =
            "nothing this session did is left to undo: `tickler undo` reverts older actions"
                .to_string();
        m.status.error = false;
        return;
    };
    let (text, error) = match store.undo_expecting(Some(mine)) {
        Ok(Undone::Done(label)) => {
            m.own_undo.pop();
            if let Err(e) = refresh(store, m) {
                (format!("cannot re-read the diary: {e}"), true)
            } else {
                (format!("undone: {label}"), false)
            }
        }
        Ok(Undone::Newer(other)) if other.seq < mine => {
            // Ours is gone from the log (undone elsewhere, or past the undo depth).
            m.own_undo.pop();
            (
                "your last action was already undone elsewhere: nothing undone".to_string(),
                true,
            )
        }
        Ok(Undone::Newer(other)) => (
            format!(
                "not undone: the newest change (\"{}\") was made by another tickler since; `tickler undo` reverts it",
                other.label
            ),
            true,
        ),
        Ok(Undone::Nothing) => {
            m.own_undo.clear();
            ("nothing to undo".to_string(), false)
        }
        Err(e) => (e.to_string(), true),
    };
    m.status.text = text;
    m.status.error = error;
}

/// Re-read the roster, this week's cleared items (and the open contact) after a write.
pub fn refresh(store: &Store, m: &mut Model) -> Result<()> {
    load_capture(store, m)?;
    let cleared = store.cleared(close::week_start(m.today))?;
    m.set_diary(store.roster()?, cleared);
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
    let due = m.index.get(&id).and_then(|&r| m.due(r)).cloned();
    let scroll = m
        .contact
        .as_ref()
        .filter(|c| c.contact.id == id)
        .map_or(0, |c| c.scroll);
    let (carried, suggested) = pieces_of(store, &touches, due.as_ref())?;
    m.contact = Some(ContactView {
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

/// The piece each of a contact's touches carried, and the piece to suggest for its next due
/// touch (nothing is read beyond the library when it is empty).
fn pieces_of(
    store: &Store,
    touches: &[crate::model::Touch],
    due: Option<&crate::planner::NextDue>,
) -> Result<(
    std::collections::HashMap<crate::model::TouchId, crate::model::Piece>,
    Option<crate::model::Piece>,
)> {
    let library = store.pieces()?;
    if library.is_empty() {
        return Ok((Default::default(), None));
    }
    let carried: std::collections::HashMap<_, _> = store
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
/// is reviewed here like an action of this session).
pub fn load_capture(store: &Store, m: &mut Model) -> Result<()> {
    m.captured.clear();
    let Some(run) = store.last_capture_run()? else {
        return Ok(());
    };
    let week_ago = m.today.checked_sub_days(Days::new(7)).unwrap_or(m.today);
    if run.date < week_ago {
        return Ok(());
    }
    for &t in &run.logged {
        if let Some(t) = store.touch(t)?
            && !m.captured.contains(&t.contact)
        {
            m.captured.push(t.contact);
        }
    }
    if store.newest_undo_seq()? == Some(run.undo_seq) && !m.own_undo.contains(&run.undo_seq) {
        m.own_undo.push(run.undo_seq);
    }
    Ok(())
}

/// The search index and the tags: when search or the tag filter opens first and after each
/// write (the roster has no notes or tags).
fn load_search(store: &Store, m: &mut Model) -> Result<()> {
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
    Ok(())
}

/// The calendar grid's done touches and kept contacts' birthdays, 42 days from `start`.
fn load_grid(store: &Store, m: &mut Model, start: NaiveDate) -> Result<()> {
    let end = start.checked_add_days(Days::new(41)).unwrap_or(start);
    m.done_by_day.clear();
    for t in store.touches_between(start, end)? {
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
    m.grid_loaded = Some(start);
    Ok(())
}
