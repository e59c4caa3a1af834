//! `update(&mut Model, Action) -> Vec<Effect>`: the only place state changes in answer to the
//! user. Every change to the diary is an [`Effect::Act`] carrying an action request
//! ([`crate::actions::Request`]) for the loop to run: the rules (what is allowed, what a done
//! completes, what a move calls off) are the actions layer's, never decided here.

use super::action::{Action, Pane};
use super::model::{COLUMNS, Mode, Model, PickerKind, PromptKind, reasons};
use crate::actions::{
    Completes, ContactRef, LogRequest, MoveRequest, NotesRequest, PlanRequest, Request,
    RescheduleRequest, SkipRequest, SnoozeRequest,
};
use crate::dates::parse_date;
use crate::model::{Channel, ContactId, Direction, NoReason, Stage, TouchId};
use crate::planner::close;
use chrono::{Days, Months, NaiveDate};

/// What to show once an action succeeded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Then {
    /// Its message in the status bar.
    Status,
    /// The decision bar after a done on this contact.
    Decide(ContactId),
    /// Close the notes editor.
    CloseEditor,
    /// A `:` command line: on an error it comes back as typed.
    Line(String),
}

/// A store operation for the loop to run.
#[derive(Debug, Clone)]
pub enum Effect {
    /// Run an action ([`crate::actions::run`]) in one write transaction.
    Act {
        request: Box<Request>,
        then: Then,
    },
    OpenContact(ContactId),
    LoadSearch,
    /// Read the done touches and birthdays of the calendar grid starting on this Monday.
    LoadGrid(NaiveDate),
    /// Compute the insights (when their pane opens).
    LoadInsights,
    /// Re-read the diary (the day changed at midnight).
    Reload,
    /// `u`: revert this session's last action.
    Undo,
    /// `S` or `:sync`: sync with the account (see `crate::sync::account`).
    Sync,
    /// `:import FILE [--dry-run]`: read on a worker thread, then written as one undoable action.
    Import {
        path: std::path::PathBuf,
        dry_run: bool,
    },
    /// `:export csv|json|ics FILE`.
    Export {
        kind: crate::interop::export::Kind,
        path: std::path::PathBuf,
    },
}

/// An action on a contact, with the status message after it.
pub fn act(request: Request) -> Effect {
    Effect::Act {
        request: Box::new(request),
        then: Then::Status,
    }
}

fn step(sel: &mut usize, len: usize, delta: isize) {
    if len == 0 {
        *sel = 0;
        return;
    }
    let next = (*sel as isize + delta).clamp(0, len as isize - 1);
    *sel = next as usize;
}

/// Options of a picker, as shown (the reasons of a "no" with the retry each one plans).
pub fn picker_options(m: &Model, kind: &PickerKind) -> Vec<String> {
    match kind {
        PickerKind::Tag => m.all_tags.iter().map(|t| format!("#{t}")).collect(),
        PickerKind::Reason { target, .. } => reasons()
            .iter()
            .map(
                |&r| match close::retry_after_no(*target, r, &m.roster.settings, m.today) {
                    Some(d) => format!("{r:<28} retry {d}"),
                    None => r.as_str().to_string(),
                },
            )
            .collect(),
        PickerKind::Snooze { .. } => vec![
            "+1 day".to_string(),
            "+1 week".to_string(),
            "pick a date...".to_string(),
        ],
        PickerKind::Channel { .. } => Channel::ALL
            .iter()
            .map(|c| c.as_str().to_string())
            .collect(),
        PickerKind::Stage { .. } => Stage::ALL.iter().map(|s| s.as_str().to_string()).collect(),
    }
}

fn stage_of(m: &Model, id: ContactId) -> Option<Stage> {
    m.index
        .get(&id)
        .and_then(|&r| m.profile(r))
        .map(|p| p.stage)
}

/// The planned touch the contact's item stands for (the triage item a key acts on).
fn item_touch(m: &Model, id: ContactId) -> Option<TouchId> {
    m.index
        .get(&id)
        .and_then(|&r| m.due(r))
        .and_then(|d| d.touch)
}

/// How many touches the contact has planned (what moving out would call off).
fn planned_count(m: &Model, id: ContactId) -> usize {
    m.index
        .get(&id)
        .and_then(|&r| m.roster.rows.get(r))
        .map_or(0, |(_, f)| f.planned.len())
}

/// Ask for a move: moving out opens the reason picker, anything else is a move.
fn ask_move(m: &mut Model, contact: ContactId, target: Stage) -> Vec<Effect> {
    if target.is_out() {
        m.mode = Mode::Picker {
            kind: PickerKind::Reason { contact, target },
            selected: 0,
        };
        Vec::new()
    } else {
        vec![move_to(contact, target, None, false)]
    }
}

fn move_to(contact: ContactId, target: Stage, reason: Option<NoReason>, keep: bool) -> Effect {
    act(Request::Move(MoveRequest {
        contact: ContactRef::Id(contact),
        target,
        reason,
        keep_planned: keep,
    }))
}

/// A move out with its reason: asks first when planned touches would be called off.
fn move_out(m: &mut Model, contact: ContactId, target: Stage, reason: NoReason) -> Vec<Effect> {
    let planned = planned_count(m, contact);
    if planned == 0 {
        return vec![move_to(contact, target, Some(reason), false)];
    }
    m.mode = Mode::ConfirmOut {
        contact,
        target,
        reason,
        planned,
    };
    Vec::new()
}

fn prompt(m: &mut Model, kind: PromptKind) {
    m.mode = Mode::Prompt {
        kind,
        text: String::new(),
    };
}

/// Apply one action.
pub fn update(m: &mut Model, action: Action) -> Vec<Effect> {
    let mut effects = apply(m, action);
    effects.extend(loads(m));
    effects
}

/// What the focused pane needs read (never by draw): the calendar's done counts and birthdays,
/// the insights.
fn loads(m: &Model) -> Vec<Effect> {
    let mut effects = Vec::new();
    let start = m.grid_start();
    if m.pane == Pane::Calendar && m.grid_loaded != Some(start) {
        effects.push(Effect::LoadGrid(start));
    }
    if m.pane == Pane::Insights && m.insights.is_none() {
        effects.push(Effect::LoadInsights);
    }
    effects
}

/// Text pasted into the terminal (bracketed paste): into the focused text field as text, never
/// as keys. One-line prompts get it on one line; elsewhere it is refused with a word.
pub fn paste(m: &mut Model, pasted: &str) {
    match &mut m.mode {
        Mode::Prompt { kind, text } => {
            let line: String = pasted
                .chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            text.push_str(line.trim_end());
            if *kind == PromptKind::Search {
                let query = text.clone();
                super::search::run(m, &query);
            }
        }
        Mode::Editor => {
            if let Some(t) = m.notes.as_mut() {
                let clean: String = pasted
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
                    .chars()
                    .filter(|c| *c == '\n' || *c == '\t' || !c.is_control())
                    .collect();
                t.insert_str(clean);
            }
        }
        _ => {
            m.status.text =
                "paste ignored: open a text field first (l log, D done with a summary, : command)"
                    .to_string();
            m.status.error = true;
        }
    }
}

/// The wall clock moved to another day (unless today is pinned): the diary follows it.
pub fn day_changed(m: &mut Model, today: NaiveDate) -> Vec<Effect> {
    if m.today_pinned || today == m.today {
        return Vec::new();
    }
    if m.cursor == m.today {
        m.cursor = today;
    }
    m.today = today;
    m.grid_loaded = None;
    m.insights = None;
    let mut effects = vec![Effect::Reload];
    effects.extend(loads(m));
    effects
}

fn apply(m: &mut Model, action: Action) -> Vec<Effect> {
    if action == Action::Suspend {
        // In any mode: whatever is open (a prompt, the editor) is still there on resume.
        m.suspend = true;
        return Vec::new();
    }
    match m.mode.clone() {
        Mode::Help => {
            m.mode = Mode::Normal;
            if action == Action::Quit {
                m.quit = true;
            }
            Vec::new()
        }
        Mode::Prompt { kind, text } => prompt_key(m, kind, text, action),
        Mode::Picker { kind, selected } => picker_key(m, kind, selected, action),
        Mode::Decide { contact, next } => decide_key(m, contact, next, action),
        Mode::Editor => editor_key(m, action),
        Mode::NotesConflict { contact, theirs } => conflict_key(m, contact, &theirs, action),
        Mode::ConfirmOut {
            contact,
            target,
            reason,
            ..
        } => confirm_out_key(m, contact, target, reason, action),
        Mode::Normal => normal(m, action),
    }
}

/// The decision bar after a done: the next touch is already planned; keep it or change it.
fn decide_key(
    m: &mut Model,
    contact: ContactId,
    next: Option<(TouchId, NaiveDate, Channel)>,
    action: Action,
) -> Vec<Effect> {
    m.mode = Mode::Normal;
    match action {
        Action::Submit | Action::Cancel => Vec::new(),
        Action::Plan => {
            prompt(
                m,
                PromptKind::Reschedule {
                    contact,
                    touch: next.map(|n| n.0),
                },
            );
            Vec::new()
        }
        Action::Forward => match stage_of(m, contact).and_then(Stage::forward) {
            Some(t) => vec![move_to(contact, t, None, false)],
            None => Vec::new(),
        },
        Action::MoveOut => ask_move(m, contact, Stage::StayInTouch),
        // Any other key keeps the planned next touch and does what it says.
        _ => apply(m, action),
    }
}

fn editor_key(m: &mut Model, action: Action) -> Vec<Effect> {
    let Action::Editor(ev) = action else {
        return Vec::new();
    };
    if ev.code == ratatui::crossterm::event::KeyCode::Esc {
        let text = m.notes.as_ref().map(|t| t.lines().join("\n"));
        let id = m.contact.as_ref().map(|c| c.contact.id);
        if let (Some(text), Some(contact)) = (text, id) {
            // The editor stays open until the save succeeds (nothing typed is lost), and saves
            // only over the notes it opened with.
            return vec![save_notes(contact, m.notes_base.clone(), text)];
        }
        m.mode = Mode::Normal;
        return Vec::new();
    }
    if let Some(t) = m.notes.as_mut() {
        t.input(ev);
    }
    Vec::new()
}

fn save_notes(contact: ContactId, base: Option<String>, text: String) -> Effect {
    Effect::Act {
        request: Box::new(Request::Notes(NotesRequest {
            contact: ContactRef::Id(contact),
            base,
            text,
        })),
        then: Then::CloseEditor,
    }
}

/// The notes changed elsewhere while the editor had them: keep ours over theirs, merge (theirs,
/// then ours below a marker), drop ours, or go back to editing.
fn conflict_key(m: &mut Model, contact: ContactId, theirs: &str, action: Action) -> Vec<Effect> {
    let ours = m
        .notes
        .as_ref()
        .map(|t| t.lines().join("\n"))
        .unwrap_or_default();
    match action {
        Action::Char('k') => vec![save_notes(contact, Some(theirs.to_string()), ours)],
        Action::Char('m') => {
            let merged = merge_notes(theirs, &ours);
            let lines: Vec<String> = merged.lines().map(str::to_string).collect();
            let mut t = ratatui_textarea::TextArea::new(lines);
            t.set_max_histories(100);
            m.notes = Some(t);
            m.notes_base = Some(theirs.to_string());
            m.mode = Mode::Editor;
            m.status.text = "merged: both versions are in the editor; Esc saves".to_string();
            m.status.error = false;
            Vec::new()
        }
        Action::Char('d') => {
            m.notes = None;
            m.notes_base = None;
            m.mode = Mode::Normal;
            m.status.text = "your edit was dropped; the notes are as saved elsewhere".to_string();
            m.status.error = false;
            vec![Effect::OpenContact(contact)]
        }
        Action::Cancel => {
            m.mode = Mode::Editor;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// Theirs, then the lines of ours that theirs does not have, below a marker.
pub fn merge_notes(theirs: &str, ours: &str) -> String {
    let have: std::collections::HashSet<&str> = theirs.lines().collect();
    let extra: Vec<&str> = ours.lines().filter(|l| !have.contains(l)).collect();
    if extra.is_empty() {
        return theirs.to_string();
    }
    let mut out = theirs.trim_end_matches('\n').to_string();
    out.push_str("\n--- merged from this session ---\n");
    out.push_str(&extra.join("\n"));
    out
}

fn confirm_out_key(
    m: &mut Model,
    contact: ContactId,
    target: Stage,
    reason: NoReason,
    action: Action,
) -> Vec<Effect> {
    let keep = match action {
        Action::Submit | Action::Char('y') => false,
        Action::Char('k') => true,
        Action::Cancel | Action::Char('n') => {
            m.mode = Mode::Normal;
            return Vec::new();
        }
        _ => return Vec::new(),
    };
    m.mode = Mode::Normal;
    vec![move_to(contact, target, Some(reason), keep)]
}

fn normal(m: &mut Model, action: Action) -> Vec<Effect> {
    match action {
        Action::Quit => m.quit = true,
        Action::Help => m.mode = Mode::Help,
        Action::NextPane => m.pane = Pane::ALL[(m.pane.index() + 1) % Pane::ALL.len()],
        Action::PrevPane => {
            m.pane = Pane::ALL[(m.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
        }
        Action::Goto(p) => m.pane = p,
        Action::Undo => return vec![Effect::Undo],
        Action::Sync => return vec![Effect::Sync],
        Action::Search => {
            prompt(m, PromptKind::Search);
            m.search_results.clear();
            m.search_sel = 0;
            if m.search_index.is_empty() || m.search_stale {
                return vec![Effect::LoadSearch];
            }
        }
        Action::Command => prompt(m, PromptKind::Command),
        Action::Up
        | Action::Down
        | Action::PageUp
        | Action::PageDown
        | Action::Top
        | Action::Bottom => navigate(m, action),
        Action::Left | Action::Right => {
            let delta = if action == Action::Left { -1 } else { 1 };
            match m.pane {
                Pane::Calendar => {
                    m.cursor = shift_days(m.cursor, delta);
                    m.day_sel = 0;
                }
                Pane::Pipeline => step(&mut m.col, COLUMNS.len(), delta),
                _ => {}
            }
        }
        Action::PrevMonth | Action::NextMonth => {
            let next = if action == Action::NextMonth {
                m.cursor.checked_add_months(Months::new(1))
            } else {
                m.cursor.checked_sub_months(Months::new(1))
            };
            m.cursor = next.unwrap_or(m.cursor);
            m.day_sel = 0;
        }
        Action::Today => {
            m.cursor = m.today;
            m.day_sel = 0;
        }
        Action::GoToDate => prompt(m, PromptKind::GoTo),
        Action::ToggleReview => m.review_on = !m.review_on,
        Action::SelectDay(day) => {
            m.cursor = day;
            m.day_sel = 0;
        }
        Action::Select { col, row } => select(m, col, row),
        Action::CycleCategory => {
            let cats = &m.roster.categories;
            m.filter_category = match m
                .filter_category
                .and_then(|c| cats.iter().position(|k| k.id == c))
            {
                None => cats.first().map(|k| k.id),
                Some(i) => cats.get(i + 1).map(|k| k.id),
            };
            m.rederive();
        }
        Action::PickTag => {
            m.mode = Mode::Picker {
                kind: PickerKind::Tag,
                selected: 0,
            };
            if m.all_tags.is_empty() || m.search_stale {
                return vec![Effect::LoadSearch];
            }
        }
        Action::ClearFilter => {
            if m.filter_category.is_some() || m.filter_tag.is_some() {
                m.filter_category = None;
                m.filter_tag = None;
                m.rederive();
            }
        }
        Action::EditNotes => {
            if let Some(c) = &m.contact {
                let lines: Vec<String> = c.contact.notes.lines().map(str::to_string).collect();
                let mut t = ratatui_textarea::TextArea::new(lines);
                t.set_max_histories(100);
                m.notes_base = Some(c.contact.notes.clone());
                m.notes = Some(t);
                m.mode = Mode::Editor;
            }
        }
        _ => return on_contact(m, action),
    }
    Vec::new()
}

fn navigate(m: &mut Model, action: Action) {
    let delta: isize = match action {
        Action::Up => -1,
        Action::Down => 1,
        Action::PageUp => -10,
        Action::PageDown => 10,
        Action::Top => isize::MIN / 2,
        _ => isize::MAX / 2,
    };
    match m.pane {
        Pane::Triage if m.review_on => step(&mut m.review_sel, m.review.len(), delta),
        Pane::Triage => step(&mut m.triage_sel, m.triage.len(), delta),
        Pane::Calendar if matches!(action, Action::Up | Action::Down) => {
            m.cursor = shift_days(m.cursor, delta * 7);
            m.day_sel = 0;
        }
        Pane::Calendar => {
            let len = m.day_items().len();
            step(&mut m.day_sel, len, delta);
        }
        Pane::Pipeline => {
            let len = m.columns.get(m.col).map_or(0, Vec::len);
            if let Some(sel) = m.card_sel.get_mut(m.col) {
                step(sel, len, delta);
            }
        }
        Pane::Contact => {
            if let Some(c) = m.contact.as_mut() {
                let len = c.touches.len() + c.sales.len();
                step(&mut c.scroll, len, delta);
            }
        }
        Pane::Insights => step(&mut m.insights_top, super::panes::insights::CHARTS, delta),
    }
}

fn select(m: &mut Model, col: usize, row: usize) {
    match m.pane {
        Pane::Triage if m.review_on => m.review_sel = row,
        Pane::Triage => m.triage_sel = row,
        Pane::Calendar => m.day_sel = row,
        Pane::Pipeline => {
            m.col = col.min(COLUMNS.len() - 1);
            if let Some(sel) = m.card_sel.get_mut(m.col) {
                *sel = row;
            }
        }
        Pane::Contact | Pane::Insights => {}
    }
    // A click below the last row selects the last one.
    m.clamp();
}

/// The keys that act on the selected contact.
fn on_contact(m: &mut Model, action: Action) -> Vec<Effect> {
    let Some(contact) = m.selected_contact() else {
        return Vec::new();
    };
    let id = ContactRef::Id(contact);
    match action {
        Action::Open => return vec![Effect::OpenContact(contact)],
        Action::Done => return vec![done(m, contact, String::new())],
        Action::DoneWithSummary => prompt(m, PromptKind::Summary { contact }),
        Action::Snooze => {
            m.mode = Mode::Picker {
                kind: PickerKind::Snooze { contact },
                selected: 0,
            }
        }
        Action::Reschedule => prompt(
            m,
            PromptKind::Reschedule {
                contact,
                touch: item_touch(m, contact),
            },
        ),
        Action::Skip => {
            return vec![act(Request::Skip(SkipRequest {
                contact: id,
                touch: item_touch(m, contact),
            }))];
        }
        Action::MoveOut => return ask_move(m, contact, Stage::StayInTouch),
        Action::Archive => return ask_move(m, contact, Stage::Archived),
        Action::Forward => match stage_of(m, contact).and_then(Stage::forward) {
            Some(target) => return ask_move(m, contact, target),
            None => set_error(
                m,
                format!("c{contact} is already as far forward as it goes"),
            ),
        },
        Action::Plan => prompt(m, PromptKind::PlanDate { contact }),
        Action::Log => {
            m.mode = Mode::Picker {
                kind: PickerKind::Channel { contact },
                selected: 0,
            }
        }
        Action::MoveStage => {
            m.mode = Mode::Picker {
                kind: PickerKind::Stage { contact },
                selected: 0,
            }
        }
        Action::StageLeft | Action::StageRight => {
            if let Some(stage) = stage_of(m, contact) {
                let at = COLUMNS.iter().position(|s| *s == stage).unwrap_or(0);
                let to = if action == Action::StageLeft {
                    at.checked_sub(1)
                } else {
                    Some(at + 1).filter(|&i| i < COLUMNS.len())
                };
                if let Some(target) = to.and_then(|i| COLUMNS.get(i).copied()) {
                    return ask_move(m, contact, target);
                }
            }
        }
        _ => {}
    }
    Vec::new()
}

/// Done on an item: log exactly that item's touch today, then the decision bar.
fn done(m: &Model, contact: ContactId, summary: String) -> Effect {
    Effect::Act {
        request: Box::new(Request::Log(LogRequest {
            contact: ContactRef::Id(contact),
            channel: None,
            date: m.today,
            direction: Direction::Out,
            summary,
            completes: Completes::Item(item_touch(m, contact)),
        })),
        then: Then::Decide(contact),
    }
}

fn shift_days(d: NaiveDate, n: isize) -> NaiveDate {
    let step = Days::new(n.unsigned_abs() as u64);
    if n >= 0 {
        d.checked_add_days(step)
    } else {
        d.checked_sub_days(step)
    }
    .unwrap_or(d)
}

fn set_error(m: &mut Model, text: impl Into<String>) {
    m.status.text = text.into();
    m.status.error = true;
}

fn picker_key(m: &mut Model, kind: PickerKind, selected: usize, action: Action) -> Vec<Effect> {
    let len = picker_options(m, &kind).len();
    let chosen = match action {
        Action::Cancel => {
            m.mode = Mode::Normal;
            return Vec::new();
        }
        Action::Up | Action::Down => {
            let mut sel = selected;
            step(&mut sel, len, if action == Action::Up { -1 } else { 1 });
            m.mode = Mode::Picker {
                kind,
                selected: sel,
            };
            return Vec::new();
        }
        Action::Submit => selected,
        Action::Pick(i) if i < len => i,
        Action::Char('d') if matches!(kind, PickerKind::Snooze { .. }) => 0,
        Action::Char('w') if matches!(kind, PickerKind::Snooze { .. }) => 1,
        Action::Char('p') if matches!(kind, PickerKind::Snooze { .. }) => 2,
        _ => return Vec::new(),
    };
    m.mode = Mode::Normal;
    picked(m, kind, chosen)
}

fn picked(m: &mut Model, kind: PickerKind, chosen: usize) -> Vec<Effect> {
    let today = m.today;
    match kind {
        PickerKind::Reason { contact, target } => match reasons().get(chosen) {
            Some(&r) => move_out(m, contact, target, r),
            None => Vec::new(),
        },
        PickerKind::Snooze { contact } => {
            let until = match chosen {
                0 => today.checked_add_days(Days::new(1)),
                1 => today.checked_add_days(Days::new(7)),
                _ => {
                    prompt(m, PromptKind::SnoozeDate { contact });
                    return Vec::new();
                }
            };
            until.map_or_else(Vec::new, |until| vec![snooze(contact, until)])
        }
        PickerKind::Channel { contact } => {
            if let Some(&channel) = Channel::ALL.get(chosen) {
                prompt(m, PromptKind::LogDate { contact, channel });
            }
            Vec::new()
        }
        PickerKind::Tag => {
            if let Some(tag) = m.all_tags.get(chosen) {
                m.filter_tag = Some(tag.clone());
                m.rederive();
            }
            Vec::new()
        }
        PickerKind::Stage { contact } => match Stage::ALL.get(chosen) {
            Some(&target) if Some(target) != stage_of(m, contact) => ask_move(m, contact, target),
            _ => Vec::new(),
        },
    }
}

fn snooze(contact: ContactId, until: NaiveDate) -> Effect {
    act(Request::Snooze(SnoozeRequest {
        contact: ContactRef::Id(contact),
        until,
        exact: false,
        note: String::new(),
    }))
}

fn prompt_key(m: &mut Model, kind: PromptKind, mut text: String, action: Action) -> Vec<Effect> {
    match action {
        Action::Cancel => {
            m.mode = Mode::Normal;
            return Vec::new();
        }
        Action::Char(c) => text.push(c),
        Action::Backspace => {
            text.pop();
        }
        Action::Up | Action::Down if kind == PromptKind::Search => {
            let len = m.search_results.len();
            step(
                &mut m.search_sel,
                len,
                if action == Action::Up { -1 } else { 1 },
            );
        }
        Action::Submit => return submit(m, kind, text),
        _ => {}
    }
    if kind == PromptKind::Search {
        super::search::run(m, &text);
    }
    m.mode = Mode::Prompt { kind, text };
    Vec::new()
}

/// The date typed into a prompt, or the parse error shown with the prompt kept for correction.
fn date_or_error(m: &mut Model, kind: PromptKind, text: &str) -> Option<NaiveDate> {
    match parse_date(text, m.today) {
        Ok(d) => Some(d),
        Err(e) => {
            set_error(m, e.to_string());
            m.mode = Mode::Prompt {
                kind,
                text: text.to_string(),
            };
            None
        }
    }
}

fn submit(m: &mut Model, kind: PromptKind, text: String) -> Vec<Effect> {
    m.mode = Mode::Normal;
    let today = m.today;
    match kind.clone() {
        PromptKind::Summary { contact } => vec![done(m, contact, text)],
        PromptKind::Reschedule { contact, touch } => date_or_error(m, kind, &text)
            .map(|date| {
                vec![act(Request::Reschedule(RescheduleRequest {
                    contact: ContactRef::Id(contact),
                    touch,
                    date,
                    force: false,
                }))]
            })
            .unwrap_or_default(),
        PromptKind::SnoozeDate { contact } => date_or_error(m, kind, &text)
            .map(|until| vec![snooze(contact, until)])
            .unwrap_or_default(),
        PromptKind::PlanDate { contact } => {
            let date = if text.trim().is_empty() {
                None
            } else {
                match date_or_error(m, kind, &text) {
                    Some(d) => Some(d),
                    None => return Vec::new(),
                }
            };
            vec![act(Request::Plan(PlanRequest {
                contact: ContactRef::Id(contact),
                date,
                channel: None,
                summary: String::new(),
                force: false,
            }))]
        }
        PromptKind::LogDate { contact, channel } => {
            let date = if text.trim().is_empty() {
                Some(today)
            } else {
                date_or_error(m, kind.clone(), &text)
            };
            match date.map(|d| (d, crate::actions::log_date(d, today))) {
                Some((_, Err(e))) => {
                    set_error(m, e.to_string());
                    m.mode = Mode::Prompt { kind, text };
                }
                Some((date, Ok(()))) => prompt(
                    m,
                    PromptKind::LogSummary {
                        contact,
                        channel,
                        date,
                    },
                ),
                None => {}
            }
            Vec::new()
        }
        PromptKind::LogSummary {
            contact,
            channel,
            date,
        } => vec![act(Request::Log(LogRequest {
            contact: ContactRef::Id(contact),
            channel: Some(channel),
            date,
            direction: Direction::Out,
            summary: text,
            completes: Completes::Fulfilled,
        }))],
        PromptKind::GoTo => {
            if let Some(d) = date_or_error(m, kind, &text) {
                m.cursor = d;
                m.day_sel = 0;
                m.pane = Pane::Calendar;
            }
            Vec::new()
        }
        PromptKind::Search => match m.search_results.get(m.search_sel) {
            Some(&id) => vec![Effect::OpenContact(id)],
            None => Vec::new(),
        },
        PromptKind::Command if matches!(text.trim(), "help" | "?") => {
            m.mode = Mode::Help;
            Vec::new()
        }
        PromptKind::Command => match super::command::parse(m, &text) {
            Ok(effects) => effects
                .into_iter()
                .map(|e| match e {
                    Effect::Act { request, .. } => Effect::Act {
                        request,
                        then: Then::Line(text.clone()),
                    },
                    other => other,
                })
                .collect(),
            Err(e) => {
                set_error(m, e);
                m.mode = Mode::Prompt { kind, text };
                Vec::new()
            }
        },
    }
}
