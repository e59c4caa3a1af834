//! The whole screen from `&Model`: tab bar, focused pane, status bar, overlays. Never mutates.

use super::action::{Action, Pane};
use super::model::{Mode, Model, PromptKind};
use super::panes;
use super::update::picker_options;
use super::widgets::{fit, window};
use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// Tab bar, pane body, prompt line, status bar.
fn areas(area: Rect) -> [Rect; 4] {
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(3),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(area)
}

fn tab_label(p: Pane) -> String {
    format!(" {} {} ", p.index() + 1, p.title())
}

/// What a mouse event on a screen of `area` means: a click on a tab switches panes, a click on a
/// list row selects it, the wheel scrolls. Uses the same layout as [`draw`]; reads state only.
pub fn mouse_action(m: &Model, ev: &MouseEvent, area: Rect) -> Option<Action> {
    if m.mode != Mode::Normal {
        return None;
    }
    let [tabs, body, _, _] = areas(area);
    let (x, y) = (ev.column, ev.row);
    match ev.kind {
        MouseEventKind::ScrollDown => return Some(Action::Down),
        MouseEventKind::ScrollUp => return Some(Action::Up),
        MouseEventKind::Down(MouseButton::Left) => {}
        _ => return None,
    }
    if y == tabs.y {
        let mut left = tabs.x;
        for p in Pane::ALL {
            let w = u16::try_from(super::widgets::width(&tab_label(p))).unwrap_or(0);
            if x >= left && x < left.saturating_add(w) {
                return Some(Action::Goto(p));
            }
            left = left.saturating_add(w);
        }
        return None;
    }
    // The list inside a bordered block at `rect`: the row under the pointer, if any.
    let row_in = |rect: Rect, per: u16| -> Option<usize> {
        let inner = Block::default().borders(Borders::ALL).inner(rect);
        let inside =
            x >= inner.x && x < inner.x + inner.width && y >= inner.y && y < inner.y + inner.height;
        inside.then(|| usize::from((y - inner.y) / per.max(1)))
    };
    let height = |rect: Rect, per: u16| usize::from(rect.height.saturating_sub(2) / per.max(1));
    match m.pane {
        Pane::Triage => {
            let (sel, len) = if m.review_on {
                (m.review_sel, m.review.len())
            } else {
                (m.triage_sel, m.triage.len())
            };
            let first = window(sel, len, height(body, 1)).0;
            row_in(body, 1).map(|r| Action::Select {
                col: 0,
                row: first + r,
            })
        }
        Pane::Calendar => {
            if let Some(day) = panes::calendar::day_at(m, body, x, y) {
                return Some(Action::SelectDay(day));
            }
            let list = panes::calendar::list_area(body);
            let first = window(m.day_sel, m.day_items().len(), height(list, 1)).0;
            row_in(list, 1).map(|r| Action::Select {
                col: 0,
                row: first + r,
            })
        }
        Pane::Pipeline => {
            let cols = panes::pipeline::column_areas(body);
            let (c, rect) = cols
                .iter()
                .enumerate()
                .find(|(_, r)| x >= r.x && x < r.x + r.width)?;
            let len = m.columns.get(c).map_or(0, Vec::len);
            let sel = m.card_sel.get(c).copied().unwrap_or(0);
            let first = window(sel, len, height(*rect, 3)).0;
            row_in(*rect, 3).map(|r| Action::Select {
                col: c,
                row: first + r,
            })
        }
        Pane::Contact | Pane::Insights => None,
    }
}

/// Draw the screen.
pub fn draw(m: &Model, f: &mut Frame<'_>) {
    let area = f.area();
    let [tabs, body, prompt, status] = areas(area);
    let mut spans = Vec::new();
    for p in Pane::ALL {
        let text = tab_label(p);
        spans.push(Span::styled(
            text,
            if p == m.pane {
                m.theme.selected
            } else {
                m.theme.dim
            },
        ));
    }
    spans.push(Span::styled("  ? help  q quit", m.theme.dim));
    f.render_widget(Paragraph::new(Line::from(spans)), tabs);
    match m.pane {
        Pane::Triage => panes::triage::draw(m, f, body),
        Pane::Calendar => panes::calendar::draw(m, f, body),
        Pane::Pipeline => panes::pipeline::draw(m, f, body),
        Pane::Contact => panes::contact::draw(m, f, body),
        Pane::Insights => panes::insights::draw(m, f, body),
    }
    draw_prompt(m, f, prompt);
    draw_status(m, f, status);
    match &m.mode {
        Mode::Help => draw_help(m, f, body),
        Mode::Picker { kind, selected } => {
            draw_picker(m, f, body, &picker_options(m, kind), *selected)
        }
        Mode::Prompt {
            kind: PromptKind::Search,
            ..
        } => draw_search(m, f, body),
        _ => {}
    }
}

fn draw_prompt(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let w = usize::from(area.width);
    let text = match &m.mode {
        Mode::Prompt { kind, text } => {
            let label = match kind {
                PromptKind::LogDate { channel, .. } => {
                    &format!("Log {channel}, on (empty: today, e.g. -2d, mon):")
                }
                PromptKind::LogSummary { channel, date, .. } => {
                    &format!("Log {channel} on {date}, summary (optional):")
                }
                PromptKind::Summary { .. } => "Done, summary (optional):",
                PromptKind::Reschedule { .. } => "Reschedule to (e.g. fri, +3d, 2026-12-01):",
                PromptKind::SnoozeDate { .. } => "Snooze until:",
                PromptKind::PlanDate { .. } => "Plan on (empty: lightest allowed day):",
                PromptKind::GoTo => "Go to date:",
                PromptKind::Search => "Search:",
                PromptKind::Command => ":",
            };
            format!("{label} {text}▏")
        }
        Mode::Decide { next, .. } => match next {
            Some((_, date, channel)) => format!(
                "Next: {channel} {} planned. Enter keep · p another day · f advance stage · o move out",
                crate::text::when(*date, m.today)
            ),
            None => "Logged. Enter keep · f advance stage · o move out".to_string(),
        },
        Mode::Editor => "Editing notes: Esc saves, C-u undo, C-r redo".to_string(),
        Mode::NotesConflict { .. } => {
            "Notes changed elsewhere: k keep yours · m merge both · d drop yours · Esc edit"
                .to_string()
        }
        Mode::ConfirmOut {
            planned, reason, ..
        } => format!(
            "Moving out ({reason}): call off {planned} planned touch(es)? Enter/y call off · k keep them · Esc cancel"
        ),
        _ => String::new(),
    };
    f.render_widget(
        Paragraph::new(Span::styled(fit(&text, w), m.theme.title)),
        area,
    );
}

fn draw_status(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let w = usize::from(area.width);
    let counts = format!(
        "{} · today {} · overdue {} · LYBUNT {} ",
        m.today, m.counts.due_today, m.counts.overdue, m.counts.lybunt
    );
    let full = format!(" {} · {counts}", m.db_label);
    // A message (an error above all) matters more than the file's name: the name gives way when
    // both do not fit.
    let fits = full.chars().count() + m.status.text.chars().count() <= w;
    let left = if fits || m.status.text.is_empty() {
        full
    } else {
        format!(" {counts}")
    };
    let msg_w = w.saturating_sub(left.chars().count());
    let spans = vec![
        Span::styled(left, m.theme.bar),
        Span::styled(
            fit(&m.status.text, msg_w),
            if m.status.error {
                m.theme.error
            } else {
                m.theme.base
            },
        ),
    ];
    f.render_widget(Paragraph::new(Line::from(spans)), area);
}

fn centered(area: Rect, w: u16, h: u16) -> Rect {
    let w = w.min(area.width);
    let h = h.min(area.height);
    Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    }
}

fn draw_help(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let rect = area;
    let inner_h = usize::from(rect.height.saturating_sub(2)).max(1);
    // Scope headings, then "key  what"; three columns so the whole keymap fits at 80x24.
    let mut cells: Vec<(String, bool)> = Vec::new();
    let mut scope = "";
    for (s, key, help) in m.keymap.help_lines() {
        if s != scope {
            cells.push((s.to_string(), true));
            scope = s;
        }
        cells.push((format!("{key:<6}{help}"), false));
    }
    cells.push((": commands".to_string(), true));
    cells.extend(super::command::VERBS.iter().map(|v| (v.to_string(), false)));
    // Three columns, or more when the keymap and the verbs would not fit the height.
    let cols = cells.len().div_ceil(inner_h).max(3);
    let rows = cells.len().div_ceil(cols).max(inner_h.min(cells.len()));
    // One blank column between columns, so a cut-off text never runs into the next.
    let col_w = (usize::from(rect.width.saturating_sub(2)) + 1) / cols;
    let lines: Vec<Line<'_>> = (0..rows.min(inner_h))
        .map(|r| {
            Line::from(
                (0..cols)
                    .map(|c| {
                        let w = col_w.saturating_sub(1);
                        let gap = if c + 1 < cols { " " } else { "" };
                        match cells.get(c * rows + r) {
                            Some((t, true)) => {
                                Span::styled(format!("{}{gap}", fit(t, w)), m.theme.title)
                            }
                            Some((t, false)) => Span::raw(format!("{}{gap}", fit(t, w))),
                            None => Span::raw(format!("{}{gap}", fit("", w))),
                        }
                    })
                    .collect::<Vec<_>>(),
            )
        })
        .collect();
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" Keys · any key closes ", m.theme.title)),
        ),
        rect,
    );
}

fn draw_picker(m: &Model, f: &mut Frame<'_>, area: Rect, options: &[String], selected: usize) {
    let h = u16::try_from(options.len().max(1) + 2).unwrap_or(u16::MAX);
    let rect = centered(area, 34, h);
    // Long lists (tags) scroll with the selection.
    let (a, b) = window(
        selected,
        options.len(),
        usize::from(rect.height.saturating_sub(2)),
    );
    let mut lines: Vec<Line<'_>> = options
        .iter()
        .enumerate()
        .take(b)
        .skip(a)
        .map(|(i, o)| {
            let text = if i < 9 {
                format!("{} {o}", i + 1)
            } else {
                format!("  {o}")
            };
            Line::from(Span::styled(
                fit(&text, 32),
                if i == selected {
                    m.theme.selected
                } else {
                    m.theme.base
                },
            ))
        })
        .collect();
    if options.is_empty() {
        lines.push(Line::from(Span::styled("nothing to pick", m.theme.dim)));
    }
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(" pick · Enter · Esc ", m.theme.title)),
        ),
        rect,
    );
}

fn draw_search(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let rect = centered(area, 60, area.height.saturating_sub(2));
    let w = usize::from(rect.width.saturating_sub(2));
    let h = usize::from(rect.height.saturating_sub(2));
    let (a, b) = window(m.search_sel, m.search_results.len(), h);
    let lines: Vec<Line<'_>> = (a..b)
        .filter_map(|i| {
            let id = m.search_results.get(i)?;
            let p = m.profile(*m.index.get(id)?)?;
            Some(Line::from(Span::styled(
                fit(&format!("c{} {} · {}", p.id, p.label(), p.stage), w),
                if i == m.search_sel {
                    m.theme.selected
                } else {
                    m.theme.base
                },
            )))
        })
        .collect();
    f.render_widget(Clear, rect);
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" {} matches · Enter opens ", m.search_results.len()),
            m.theme.title,
        ))),
        rect,
    );
}
