//! Pipeline: one kanban column per kept stage; cards with name, company, next due and badges.

use super::super::model::{COLUMNS, Model};
use super::super::widgets::{fit, window};
use super::{badges, urgency_style};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

/// The filter line: what the columns are filtered by, and the keys that change it.
pub fn filter_line(m: &Model) -> String {
    let category = m.filter_category.map(|id| {
        m.roster.categories.iter().find(|k| k.id == id).map_or_else(
            || format!("category {id}"),
            |k| format!("category {}", k.name),
        )
    });
    let tag = m.filter_tag.as_ref().map(|t| format!("tag #{t}"));
    match (category, tag) {
        (None, None) => " All contacts · c category · # tag".to_string(),
        (c, t) => {
            let on: Vec<String> = c.into_iter().chain(t).collect();
            format!(" Filter: {} · 0/Esc clears", on.join(" · "))
        }
    }
}

fn split(area: Rect) -> [Rect; 2] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area)
}

/// The stage columns (for mouse clicks).
pub fn column_areas(area: Rect) -> std::rc::Rc<[Rect]> {
    let area = split(area)[1];
    Layout::horizontal([Constraint::Ratio(1, COLUMNS.len() as u32); COLUMNS.len()]).split(area)
}

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let cols = column_areas(area);
    let [bar, _] = split(area);
    let filtered = m.filter_category.is_some() || m.filter_tag.is_some();
    f.render_widget(
        Paragraph::new(Span::styled(
            fit(&filter_line(m), usize::from(bar.width)),
            if filtered { m.theme.due } else { m.theme.dim },
        )),
        bar,
    );
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
                        crate::text::day(d.date, m.today),
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
