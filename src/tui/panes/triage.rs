//! Weekly triage: everything due this week plus overdue, ranked by the planner; and the review
//! lists (move forward or out, adrift, unreachable).

use super::super::model::Model;
use super::super::widgets;
use super::super::widgets::{fit, window};
use super::{badges, urgency_style};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let (done, total) = m.progress();
    let title = if m.review_on {
        format!(" Review: keep the list clean · {done} of {total} cleared · v week ")
    } else {
        format!(" This week · {done} of {total} cleared · v review ")
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, m.theme.title));
    let inner = block.inner(area);
    f.render_widget(block, area);
    let height = usize::from(inner.height);
    let width = usize::from(inner.width);
    let mut lines: Vec<Line<'_>> = Vec::with_capacity(height);
    if m.review_on {
        let (first, last) = window(m.review_sel, m.review.len(), height);
        for i in first..last {
            let Some(&(row, kind)) = m.review.get(i) else {
                continue;
            };
            let Some(p) = m.profile(row) else { continue };
            let text = format!("{:<20} {} · {}", kind.label(), p.label(), p.stage);
            let style = if i == m.review_sel {
                m.theme.selected
            } else {
                m.theme.base
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if m.review.is_empty() {
            lines.push(Line::from(Span::styled("The list is clean.", m.theme.ok)));
        }
    } else {
        let (first, last) = window(m.triage_sel, m.triage.len(), height);
        // Column widths from the visible rows; the name gives way first, so the badges stay
        // readable at 80 columns and every row keeps the same columns.
        let visible = || {
            m.triage
                .get(first..last)
                .unwrap_or_default()
                .iter()
                .filter_map(|&r| m.due(r))
        };
        let chan_w = visible()
            .map(|d| widgets::width(d.channel.as_str()))
            .max()
            .unwrap_or(0);
        let badge_w = visible()
            .map(|d| widgets::width(&badges(d)))
            .max()
            .unwrap_or(0);
        let name_w = width
            .saturating_sub(1 + 13 + 1 + chan_w + 1 + 10 + badge_w)
            .max(8);
        for i in first..last {
            let Some(&row) = m.triage.get(i) else {
                continue;
            };
            let (Some(p), Some(d)) = (m.profile(row), m.due(row)) else {
                continue;
            };
            let when = crate::text::day(d.date, m.today);
            let text = format!(
                "{} {:>13} {} {:<10}{}",
                fit(&p.label(), name_w),
                when,
                fit(d.channel.as_str(), chan_w),
                d.reason.as_str(),
                badges(d)
            );
            let style = if i == m.triage_sel {
                m.theme.selected
            } else {
                urgency_style(m, d)
            };
            lines.push(Line::from(Span::styled(fit(&text, width), style)));
        }
        if m.triage.is_empty() {
            lines.push(Line::from(Span::styled(
                "Nothing left this week. v shows the review list.",
                m.theme.ok,
            )));
        }
    }
    f.render_widget(Paragraph::new(lines), inner);
}
