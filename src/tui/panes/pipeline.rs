//! Pipeline: one kanban column per kept stage; cards with name, company, next due and badges.

use super::super::model::{COLUMNS, Model};
use super::super::widgets::{fit, window};
use super::{badges, urgency_style};
use crate::dates::format_relative;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let cols =
        Layout::horizontal([Constraint::Ratio(1, COLUMNS.len() as u32); COLUMNS.len()]).split(area);
    for (c, (stage, rect)) in COLUMNS.iter().zip(cols.iter()).enumerate() {
        let rows = m.columns.get(c).map_or(&[][..], Vec::as_slice);
        let focused = c == m.col;
        let title = format!(" {} ({}) ", stage.as_str(), rows.len());
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            title,
            if focused {
                m.theme.selected
            } else {
                m.theme.title
            },
        ));
        let inner = block.inner(*rect);
        f.render_widget(block, *rect);
        let width = usize::from(inner.width);
        // Each card is three lines: name, company, next due + badges.
        let per = 3usize;
        let fits = usize::from(inner.height) / per;
        let sel = m.card_sel.get(c).copied().unwrap_or(0);
        let (first, last) = window(sel, rows.len(), fits);
        let mut lines: Vec<Line<'_>> = Vec::with_capacity(fits * per);
        for i in first..last {
            let Some(&row) = rows.get(i) else { continue };
            let Some(p) = m.profile(row) else { continue };
            let selected = focused && i == sel;
            let due = m.due(row);
            let style = match (selected, due) {
                (true, _) => m.theme.selected,
                (false, Some(d)) => urgency_style(m, d),
                _ => m.theme.base,
            };
            let next = due.map_or_else(
                || "nothing due".to_string(),
                |d| {
                    format!(
                        "{} {}{}",
                        format_relative(d.date, m.today),
                        d.reason.as_str(),
                        badges(d)
                    )
                },
            );
            lines.push(Line::from(Span::styled(fit(&p.name, width), style)));
            lines.push(Line::from(Span::styled(
                fit(p.company.as_deref().unwrap_or(""), width),
                if selected { style } else { m.theme.dim },
            )));
            lines.push(Line::from(Span::styled(fit(&next, width), style)));
        }
        f.render_widget(Paragraph::new(lines), inner);
    }
}
