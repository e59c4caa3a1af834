//! `update(&mut Model, Action, today) -> Vec<Effect>`: the only place state changes in answer to
//! the user. Store writes are returned as [`Effect`]s for the loop to run; the planner is asked,
//! never reimplemented.

use super::action::{Action, Pane};
use super::model::{COLUMNS, Mode, Model, PickerKind, PromptKind, reasons};
use crate::dates::parse_date;
use crate::model::{Channel, ContactId, NoReason, Stage};
use chrono::{Days, Months, NaiveDate};

/// A store operation for the loop to run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Log a done touch today (the due channel); `decide` opens the decision bar after.
    Done {
        contact: ContactId,
        summary: String,
        decide: bool,
    },
    Log {
        contact: ContactId,
        channel: Channel,
        date: NaiveDate,
        summary: String,
    },
    Snooze {
        contact: ContactId,
        until: NaiveDate,
    },
    Reschedule {
        contact: ContactId,
        date: NaiveDate,
    },
    Skip {
        contact: ContactId,
    },
    /// Plan a touch; `None`: the planner's lightest allowed day.
    Plan {
        contact: ContactId,
        date: Option<NaiveDate>,
    },
    Move {
        contact: ContactId,
        target: Stage,
        reason: Option<NoReason>,
    },
    SaveNotes {
        contact: ContactId,
        text: String,
    },
    OpenContact(ContactId),
    LoadSearch,
    /// Read the done touches and birthdays of the calendar grid starting on this Monday.
    LoadGrid(NaiveDate),
    /// Compute the insights (when their pane opens).
    LoadInsights,
    Undo,
    /// `:sale C AMOUNT [DATE]` (validated by the command line).
    Sale {
        contact: ContactId,
        amount_cents: i64,
        currency: String,
        date: NaiveDate,
    },
    /// `:restore C`: back to the stage it was archived from.
    Restore {
        contact: ContactId,
    },
    /// `:add NAME [--company X] [--email E]` (validated by the command line).
    Add {
        name: String,
        company: Option<String>,
        emails: Vec<String>,
    },
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

impl Effect {
    /// The contact this write clears from the triage list, if it does.
    pub fn clears(&self) -> Option<ContactId> {
        match self {
            Effect::Done { contact, .. }
            | Effect::Snooze { contact, .. }
            | Effect::Reschedule { contact, .. }
            | Effect::Skip { contact }
            | Effect::Plan { contact, .. }
            | Effect::Move { contact, .. } => Some(*contact),
            _ => None,
        }
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

/// Options of a picker, as shown.
pub fn picker_options(m: &Model, kind: &PickerKind) -> Vec<String> {
    match kind {
        PickerKind::Tag => m.all_tags.iter().map(|t| format!("#{t}")).collect(),
        PickerKind::Reason { .. } => reasons().iter().map(|r| r.as_str().to_string()).collect(),
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

/// The next stage forward in the active pipeline.
pub fn forward(stage: Stage) -> Option<Stage> {
    match stage {
        Stage::Lead => Some(Stage::Qualified),
        Stage::Qualified => Some(Stage::Proposal),
        Stage::Proposal | Stage::StayInTouch => Some(Stage::Customer),
        Stage::Customer | Stage::Archived => None,
    }
}

fn stage_of(m: &Model, id: ContactId) -> Option<Stage> {
    m.index
        .get(&id)
        .and_then(|&r| m.profile(r))
        .map(|p| p.stage)
}

/// Ask for a move: moving out opens the reason picker, anything else is a move effect.
fn ask_move(m: &mut Model, contact: ContactId, target: Stage) -> Vec<Effect> {
    if target.is_out() {
        m.mode = Mode::Picker {
            kind: PickerKind::Reason { contact, target },
            selected: 0,
        };
        Vec::new()
    } else {
        vec![Effect::Move {
            contact,
            target,
            reason: None,
        }]
    }
}

fn prompt(m: &mut Model, kind: PromptKind) {
    m.mode = Mode::Prompt {
        kind,
        text: String::new(),
    };
}

/// Apply one action.
pub fn update(m: &mut Model, action: Action, today: NaiveDate) -> Vec<Effect> {
    let mut effects = apply(m, action, today);
    // The calendar's done counts and birthdays are read by update, never by draw.
    let start = m.grid_start();
    if m.pane == Pane::Calendar && m.grid_loaded != Some(start) {
        effects.push(Effect::LoadGrid(start));
    }
    // The insights are computed when their pane opens, never by draw.
    if m.pane == Pane::Insights && m.insights.is_none() {
        effects.push(Effect::LoadInsights);
    }
    effects
}

fn apply(m: &mut Model, action: Action, today: NaiveDate) -> Vec<Effect> {
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
        Mode::Prompt { kind, text } => prompt_key(m, kind, text, action, today),
        Mode::Picker { kind, selected } => picker_key(m, kind, selected, action, today),
        Mode::Decide { contact } => {
            let chosen = match action {
                Action::Submit | Action::Cancel => Some(Vec::new()),
                Action::Plan => {
                    prompt(m, PromptKind::PlanDate { contact });
                    return Vec::new();
                }
                Action::Forward => Some(match stage_of(m, contact).and_then(forward) {
                    Some(t) => vec![Effect::Move {
                        contact,
                        target: t,
                        reason: None,
                    }],
                    None => Vec::new(),
                }),
                Action::MoveOut => {
                    m.mode = Mode::Normal;
                    return ask_move(m, contact, Stage::StayInTouch);
                }
                _ => None,
            };
            m.mode = Mode::Normal;
            m.status.text = format!("{} · cadence kept", m.status.text);
            match chosen {
                Some(effects) => effects,
                // Any other key keeps the cadence and does what it says.
                None => apply(m, action, today),
            }
        }
        Mode::Editor => editor_key(m, action),
        Mode::Normal => normal(m, action, today),
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
            // The editor stays open until the save succeeds (nothing typed is lost).
            return vec![Effect::SaveNotes { contact, text }];
        }
        m.mode = Mode::Normal;
        return Vec::new();
    }
    if let Some(t) = m.notes.as_mut() {
        t.input(ev);
    }
    Vec::new()
}

fn normal(m: &mut Model, action: Action, today: NaiveDate) -> Vec<Effect> {
    let selected = m.selected_contact();
    match action {
        Action::Quit => m.quit = true,
        Action::Help => m.mode = Mode::Help,
        Action::NextPane => m.pane = Pane::ALL[(m.pane.index() + 1) % Pane::ALL.len()],
        Action::PrevPane => {
            m.pane = Pane::ALL[(m.pane.index() + Pane::ALL.len() - 1) % Pane::ALL.len()]
        }
        Action::Goto(p) => m.pane = p,
        Action::Undo => return vec![Effect::Undo],
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
        | Action::Bottom => {
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
            m.cursor = today;
            m.day_sel = 0;
        }
        Action::GoToDate => prompt(m, PromptKind::GoTo),
        Action::ToggleReview => m.review_on = !m.review_on,
        Action::Open => {
            if let Some(id) = selected {
                return vec![Effect::OpenContact(id)];
            }
        }
        Action::Done | Action::DoneWithSummary => {
            if let Some(contact) = selected {
                if action == Action::DoneWithSummary {
                    prompt(m, PromptKind::Summary { contact });
                } else {
                    return vec![Effect::Done {
                        contact,
                        summary: String::new(),
                        decide: true,
                    }];
                }
            }
        }
        Action::Snooze => {
            if let Some(contact) = selected {
                m.mode = Mode::Picker {
                    kind: PickerKind::Snooze { contact },
                    selected: 0,
                };
            }
        }
        Action::Reschedule => {
            if let Some(contact) = selected {
                prompt(m, PromptKind::Reschedule { contact });
            }
        }
        Action::Skip => {
            if let Some(contact) = selected {
                return vec![Effect::Skip { contact }];
            }
        }
        Action::MoveOut => {
            if let Some(contact) = selected {
                return ask_move(m, contact, Stage::StayInTouch);
            }
        }
        Action::Archive => {
            if let Some(contact) = selected {
                return ask_move(m, contact, Stage::Archived);
            }
        }
        Action::Forward => {
            if let Some(contact) = selected {
                match stage_of(m, contact).and_then(forward) {
                    Some(target) => return ask_move(m, contact, target),
                    None => set_error(m, "already as far forward as it goes"),
                }
            }
        }
        Action::Plan => {
            if let Some(contact) = selected {
                prompt(m, PromptKind::PlanDate { contact });
            }
        }
        Action::Log => {
            if let Some(contact) = selected {
                m.mode = Mode::Picker {
                    kind: PickerKind::Channel { contact },
                    selected: 0,
                };
            }
        }
        Action::MoveStage => {
            if let Some(contact) = selected {
                m.mode = Mode::Picker {
                    kind: PickerKind::Stage { contact },
                    selected: 0,
                };
            }
        }
        Action::StageLeft | Action::StageRight => {
            if let Some(contact) = selected
                && let Some(stage) = stage_of(m, contact)
            {
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
        Action::SelectDay(day) => {
            m.cursor = day;
            m.day_sel = 0;
        }
        Action::Select { col, row } => {
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
                m.notes = Some(t);
                m.mode = Mode::Editor;
            }
        }
        Action::Char(_)
        | Action::Backspace
        | Action::Submit
        | Action::Cancel
        | Action::Pick(_)
        | Action::Editor(_)
        // Taken by `apply` before any mode sees it.
        | Action::Suspend => {}
    }
    Vec::new()
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

fn picker_key(
    m: &mut Model,
    kind: PickerKind,
    selected: usize,
    action: Action,
    today: NaiveDate,
) -> Vec<Effect> {
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
    match kind {
        PickerKind::Reason { contact, target } => match reasons().get(chosen) {
            Some(&r) => vec![Effect::Move {
                contact,
                target,
                reason: Some(r),
            }],
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
            until.map_or_else(Vec::new, |until| vec![Effect::Snooze { contact, until }])
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

fn prompt_key(
    m: &mut Model,
    kind: PromptKind,
    mut text: String,
    action: Action,
    today: NaiveDate,
) -> Vec<Effect> {
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
        Action::Submit => return submit(m, kind, text, today),
        _ => {}
    }
    if kind == PromptKind::Search {
        super::search::run(m, &text);
    }
    m.mode = Mode::Prompt { kind, text };
    Vec::new()
}

fn date_or_error(
    m: &mut Model,
    kind: PromptKind,
    text: &str,
    today: NaiveDate,
) -> Option<NaiveDate> {
    match parse_date(text, today) {
        Ok(d) => Some(d),
        Err(e) => {
            set_error(m, e.to_string());
            // Keep what was typed so it can be corrected.
            m.mode = Mode::Prompt {
                kind,
                text: text.to_string(),
            };
            None
        }
    }
}

fn submit(m: &mut Model, kind: PromptKind, text: String, today: NaiveDate) -> Vec<Effect> {
    m.mode = Mode::Normal;
    match kind.clone() {
        PromptKind::Summary { contact } => vec![Effect::Done {
            contact,
            summary: text,
            decide: true,
        }],
        PromptKind::Reschedule { contact } => date_or_error(m, kind, &text, today)
            .map(|date| vec![Effect::Reschedule { contact, date }])
            .unwrap_or_default(),
        PromptKind::SnoozeDate { contact } => date_or_error(m, kind, &text, today)
            .map(|until| vec![Effect::Snooze { contact, until }])
            .unwrap_or_default(),
        PromptKind::PlanDate { contact } => {
            if text.trim().is_empty() {
                return vec![Effect::Plan {
                    contact,
                    date: None,
                }];
            }
            date_or_error(m, kind, &text, today)
                .map(|d| {
                    vec![Effect::Plan {
                        contact,
                        date: Some(d),
                    }]
                })
                .unwrap_or_default()
        }
        PromptKind::LogDate { contact, channel } => {
            let date = if text.trim().is_empty() {
                Some(today)
            } else {
                date_or_error(m, kind.clone(), &text, today)
            };
            match date {
                Some(d) if d > today => {
                    set_error(m, format!("{d} is in the future: log what happened"));
                    m.mode = Mode::Prompt { kind, text };
                }
                Some(date) => prompt(
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
        } => vec![Effect::Log {
            contact,
            channel,
            date,
            summary: text,
        }],
        PromptKind::GoTo => {
            if let Some(d) = date_or_error(m, kind, &text, today) {
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
        PromptKind::Command if text.trim() == "help" => {
            m.mode = Mode::Help;
            Vec::new()
        }
        PromptKind::Command => match super::command::parse(m, &text, today) {
            Ok(effects) => effects,
            Err(e) => {
                set_error(m, e);
                m.mode = Mode::Prompt { kind, text };
                Vec::new()
            }
        },
    }
}
