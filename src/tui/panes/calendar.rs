//! Calendar: a month grid (due count per day, overdue on today) and the cursor day's items.

use super::super::model::Model;
use super::super::widgets::{fit, window};
use super::{badges, urgency_style};
use chrono::{Datelike, Days, NaiveDate};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

fn count_on(m: &Model, day: NaiveDate) -> usize {
    if day == m.today {
        m.by_day.range(..=day).map(|(_, v)| v.len()).sum()
    } else {
        m.by_day.get(&day).map_or(0, Vec::len)
    }
}

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let [grid, list] =
        Layout::horizontal([Constraint::Length(44), Constraint::Min(10)]).areas(area);
    let first = m.cursor.with_day(1).unwrap_or(m.cursor);
    let block = Block::default().borders(Borders::ALL).title(Span::styled(
        format!(" {} ", first.format("%B %Y")),
        m.theme.title,
    ));
    let inner = block.inner(grid);
    f.render_widget(block, grid);
    let mut lines = vec![Line::from(Span::styled(
        "  Mon   Tue   Wed   Thu   Fri   Sat   Sun",
        m.theme.dim,
    ))];
    let lead = u64::from(first.weekday().num_days_from_monday());
    let mut day = first.checked_sub_days(Days::new(lead)).unwrap_or(first);
    for _ in 0..6 {
        let mut spans = Vec::with_capacity(7);
        for _ in 0..7 {
            let n = count_on(m, day);
            let text = if day.month() == first.month() {
                let count = if n > 0 {
                    format!("{n:<2}")
                } else {
                    "  ".to_string()
                };
                format!("{:>2} {}", day.day(), count)
            } else {
                "     ".to_string()
            };
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
            spans.push(Span::raw(" "));
            spans.push(Span::styled(text, style));
            day = day.checked_add_days(Days::new(1)).unwrap_or(day);
        }
        lines.push(Line::from(spans));
    }
    lines.push(Line::from(""));
    lines.push(Line::from(Span::styled(
        "day number, then touches due",
        m.theme.dim,
    )));
    f.render_widget(Paragraph::new(lines), inner);

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
