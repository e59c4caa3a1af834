//! Contact detail: fields, next due with its reason, planned touches, the timeline of touches and
//! sales (newest first) and the notes (in the editor while editing).

use super::super::model::{Mode, Model};
use super::super::widgets::fit;
use crate::dates::format_relative;
use crate::model::TouchState;
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

pub fn draw(m: &Model, f: &mut Frame<'_>, area: Rect) {
    let Some(v) = &m.contact else {
        let p = Paragraph::new(
            "No contact open: Enter on a triage, calendar or pipeline item, or / to search.",
        )
        .block(Block::default().borders(Borders::ALL).title(" Contact "));
        f.render_widget(p, area);
        return;
    };
    let c = &v.contact;
    let [top, bottom] =
        Layout::vertical([Constraint::Percentage(55), Constraint::Min(5)]).areas(area);
    let [fields, timeline] =
        Layout::horizontal([Constraint::Percentage(45), Constraint::Min(20)]).areas(top);
    let w = usize::from(fields.width.saturating_sub(2));
    let kv = |k: &str, val: String| {
        Line::from(vec![
            Span::styled(format!("{k:<9}"), m.theme.dim),
            Span::raw(fit(&val, w.saturating_sub(9))),
        ])
    };
    let category = c
        .category
        .and_then(|id| m.roster.categories.iter().find(|k| k.id == id))
        .map_or_else(|| "-".to_string(), |k| k.name.clone());
    let mut lines = vec![
        kv("company", c.company.clone().unwrap_or_default()),
        kv(
            "stage",
            match c.no_reason {
                Some(r) if c.stage.is_out() => format!("{} ({r})", c.stage),
                _ => c.stage.to_string(),
            },
        ),
        kv("category", category),
        kv("email", c.emails.join(", ")),
        kv("phone", c.phones.join(", ")),
        kv("address", c.address.clone().unwrap_or_default()),
        kv(
            "birthday",
            c.birthday.map(|b| b.to_string()).unwrap_or_default(),
        ),
        kv("tags", c.tags.join(", ")),
    ];
    let next = match &v.due {
        Some(d) => format!(
            "{} ({}) {} [{}]",
            d.date,
            format_relative(d.date, m.today),
            d.channel,
            d.reason.as_str()
        ),
        None => "none (archived)".to_string(),
    };
    lines.push(Line::from(vec![
        Span::styled(format!("{:<9}", "next"), m.theme.dim),
        Span::styled(fit(&next, w.saturating_sub(9)), m.theme.due),
    ]));
    for p in &v.facts.planned {
        lines.push(kv("planned", format!("{} {}", p.date, p.channel)));
    }
    let title = format!(" c{} {} ", c.id, c.name);
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, m.theme.title)),
        ),
        fields,
    );

    // Timeline: sales and touches, newest first.
    let mut events: Vec<(chrono::NaiveDate, String, bool)> = Vec::new();
    for t in &v.touches {
        let mark = match t.state {
            TouchState::Done => "✓",
            TouchState::Planned => "·",
            TouchState::Skipped => "×",
        };
        events.push((
            t.date,
            format!(
                "{mark} {} {} {}",
                t.channel,
                t.direction.as_str(),
                t.summary
            ),
            false,
        ));
    }
    for s in &v.sales {
        events.push((
            s.date,
            format!(
                "$ {}.{:02} {} {}",
                s.amount_cents / 100,
                (s.amount_cents % 100).abs(),
                s.currency,
                s.note
            ),
            true,
        ));
    }
    events.sort_by_key(|e| std::cmp::Reverse(e.0));
    let tw = usize::from(timeline.width.saturating_sub(2));
    let height = usize::from(timeline.height.saturating_sub(2));
    let start = v.scroll.min(events.len().saturating_sub(1));
    let lines: Vec<Line<'_>> = events
        .iter()
        .skip(start)
        .take(height)
        .map(|(d, text, sale)| {
            Line::from(Span::styled(
                fit(&format!("{d} {text}"), tw),
                if *sale { m.theme.ok } else { m.theme.base },
            ))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Timeline ({}) j/k ", events.len()),
            m.theme.title,
        ))),
        timeline,
    );

    if m.mode == Mode::Editor
        && let Some(editor) = &m.notes
    {
        let block = Block::default().borders(Borders::ALL).title(Span::styled(
            " Notes: editing · Esc saves · C-u undo ",
            m.theme.selected,
        ));
        let inner = block.inner(bottom);
        f.render_widget(block, bottom);
        f.render_widget(editor, inner);
    } else {
        f.render_widget(
            Paragraph::new(c.notes.as_str())
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(Span::styled(
                    " Notes · e edit · l log p plan s snooze m move a archive ",
                    m.theme.title,
                ))),
            bottom,
        );
    }
}
