//! Calendar: a month grid (per day: due or overdue, and done counts, `*` for a birthday), the
//! cursor's week strip (due / done / overdue counts and birthdays) and the cursor day's items.
//! Done counts and birthdays come from the model (`LoadGrid`, run by update), never from draw.

use super::super::model::Model;
use super::super::widgets::{fit, window};
use super::{badges, urgency_style};
use chrono::{Datelike, Days, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

fn count_on(m: &Model, day: NaiveDate) -> usize {
    if day == m.today {
        m.by_day.range(..=day).map(|(_, v)| v.len()).sum()
    } else {
        m.by_day.get(&day).map_or(0, Vec::len)
    }
}

/// Touches due on `day` (from today on) or left overdue from it (before today).
fn due_on(m: &Model, day: NaiveDate) -> usize {
    m.by_day.get(&day).map_or(0, Vec::len)
}

/// Overdue: what fell due on a past day and is still open; on today, all that is overdue.
fn late_on(m: &Model, day: NaiveDate) -> usize {
    if day == m.today {
        m.by_day.range(..day).map(|(_, v)| v.len()).sum()
    } else if day < m.today {
        due_on(m, day)
    } else {
        0
    }
}

fn done_on(m: &Model, day: NaiveDate) -> usize {
    m.done_by_day.get(&day).copied().unwrap_or(0)
}

fn day_style(m: &Model, day: NaiveDate, n: usize) -> Style {
    let mut style = if day < m.today && n > 0 {
        m.theme.at_risk
    } else if n > 0 {
        m.theme.due
    } else {
        m.theme.base
    };
    if day == m.today {
        style = style.add_modifier(Modifier::UNDERLINED);
    }
    if day == m.cursor {
        style = m.theme.selected;
    }
    style
}

/// One count in a grid cell: `·` for none, the digit, `+` for ten or more.
fn glyph(n: usize) -> char {
    match n {
        0 => '·',
        1..=9 => char::from_digit(n as u32, 10).unwrap_or('+'),
        _ => '+',
    }
}

/// Width of one day in the month grid: a birthday mark, the day, the due (or, on a past day, the
/// overdue) count and the done count.
const CELL: u16 = 6;

fn month_grid(m: &Model, f: &mut Frame<'_>, grid: Rect) {
    let first = m.cursor.with_day(1).unwrap_or(m.cursor);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", first.format("%B %Y")),
        m.theme.title,
    ));
    let inner = block.inner(grid);
    f.render_widget(block, grid);
    let mut lines = vec![Line::from(Span::styled(
        " Mon   Tue   Wed   Thu   Fri   Sat   Sun",
        m.theme.dim,
    ))];
    let mut day = m.grid_start();
    for _ in 0..6 {
        let mut spans = Vec::with_capacity(28);
        for _ in 0..7 {
            if day.month() == first.month() {
                // Past days show what is still open from them (overdue); today and later, what
                // is due. Today's whole overdue total is in the week strip and the status bar.
                let (open, open_style) = if day < m.today {
                    (late_on(m, day), m.theme.at_risk)
                } else {
                    (due_on(m, day), m.theme.due)
                };
                let bday = m.birthdays.get(&day).copied().unwrap_or(0) > 0;
                let style = day_style(m, day, count_on(m, day));
                // The cursor's whole cell is highlighted; elsewhere each count has its colour.
                let part = |s: Style| if day == m.cursor { style } else { s };
                let count = |n: usize, s: Style| {
                    Span::styled(
                        glyph(n).to_string(),
                        part(if n == 0 { m.theme.dim } else { s }),
                    )
                };
                spans.push(Span::styled(
                    if bday { "*" } else { " " },
                    part(m.theme.base),
                ));
                spans.push(Span::styled(format!("{:>2}", day.day()), style));
                spans.push(Span::styled(" ", part(m.theme.base)));
                spans.push(count(open, open_style));
                spans.push(count(done_on(m, day), m.theme.ok));
            } else {
                spans.push(Span::raw("      "));
            }
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(Span::styled(
        "day, due (late if past), done; *bday +10+",
        m.theme.dim,
    )));
    f.render_widget(Paragraph::new(lines), inner);
}

/// The month-grid day under a mouse click at (`x`, `y`) in the pane's `area`, if any.
pub fn day_at(m: &Model, area: Rect, x: u16, y: u16) -> Option<NaiveDate> {
    let [left, _] = split(area);
    let [grid, _] = grid_areas(left);
    let inner = Block::default().borders(Borders::ALL).inner(grid);
    // Row 0 is the weekday header; six week rows follow.
    if x < inner.x || y <= inner.y || x >= inner.x + CELL * 7 || y > inner.y + 6 {
        return None;
    }
    let (col, week) = ((x - inner.x) / CELL, y - inner.y - 1);
    let day = m
        .grid_start()
        .checked_add_days(Days::new(u64::from(week * 7 + col)))?;
    let first = m.cursor.with_day(1).unwrap_or(m.cursor);
    (day.month() == first.month()).then_some(day)
}

fn grid_areas(left: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(10), Constraint::Length(8)]).areas(left)
}

/// The cursor's week: due, done and overdue counts and birthdays, one column per day.
fn week_strip(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let lead = u64::from(m.cursor.weekday().num_days_from_monday());
    let monday = m
        .cursor
        .checked_sub_days(Days::new(lead))
        .unwrap_or(m.cursor);
    let days: Vec<NaiveDate> = monday.iter_days().take(7).collect();
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" Week {} ", m.cursor.iso_week().week()),
        m.theme.title,
    ));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let head = |label: &str, cell: &dyn Fn(NaiveDate) -> (String, Style)| {
        let mut spans = vec![Span::styled(format!("{label:<6}"), m.theme.dim)];
        for &d in &days {
            let (text, style) = cell(d);
            spans.push(Span::styled(format!("{text:>4}"), style));
            spans.push(Span::raw(" "));
        }
        Line::from(spans)
    };
    let count = |n: usize, style: Style| {
        if n == 0 {
            ("·".to_string(), m.theme.dim)
        } else {
            (n.to_string(), style)
        }
    };
    let lines = vec![
        head("", &|d| (d.format("%a").to_string(), m.theme.dim)),
        head("", &|d| {
            (d.day().to_string(), day_style(m, d, count_on(m, d)))
        }),
        head("due", &|d| {
            count(if d >= m.today { due_on(m, d) } else { 0 }, m.theme.due)
        }),
        head("done", &|d| count(done_on(m, d), m.theme.ok)),
        head("late", &|d| count(late_on(m, d), m.theme.at_risk)),
        head("bday", &|d| {
            count(m.birthdays.get(&d).copied().unwrap_or(0), m.theme.base)
        }),
    ];
    f.render_widget(Paragraph::new(lines), inner);
}

fn split(area: Rect) -> [Rect; 2] {
    Layout::horizontal([Constraint::Length(44), Constraint::Min(10)]).areas(area)
}

/// Where the cursor day's list is drawn (for mouse clicks).
pub fn list_area(area: Rect) -> Rect {
    split(area)[1]
}

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let [left, list] = split(area);
    let [grid, week] = grid_areas(left);
    month_grid(m, f, grid);
    week_strip(m, f, week);

    let items = m.day_items();
    let title = if m.cursor == m.today {
        format!(" {} · today and overdue ({}) ", m.cursor, items.len())
    } else {
        format!(" {} ({}) ", m.cursor.format("%a %Y-%m-%d"), items.len())
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, m.theme.title));
    let inner = block.inner(list);
    f.render_widget(block, list);
    let width = usize::from(inner.width);
    let (a, b) = window(m.day_sel, items.len(), usize::from(inner.height));
    let mut lines = Vec::new();
    for i in a..b {
        let Some(&row) = items.get(i) else { continue };
        let (Some(p), Some(d)) = (m.profile(row), m.due(row)) else {
            continue;
        };
        let text = format!(
            "{:<16} {:<9} {}{}",
            d.channel.as_str(),
            d.reason.as_str(),
            p.label(),
            badges(d)
        );
        let style = if i == m.day_sel {
            m.theme.selected
        } else {
            urgency_style(m, d)
        };
        lines.push(Line::from(Span::styled(fit(&text, width), style)));
    }
    if items.is_empty() {
        lines.push(Line::from(Span::styled("Nothing due.", m.theme.dim)));
    }
    f.render_widget(Paragraph::new(lines), inner);
}
