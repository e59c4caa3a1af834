//! Contact detail: fields, next due with its reason, planned touches, the timeline of touches and
//! sales (newest first) and the notes (in the editor while editing).

use super::super::model::{Mode, Model};
use super::super::widgets::fit;
use crate::model::{Sale, Touch, TouchState};
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
        kv(
            "address",
            crate::text::address_line(c.address.as_deref().unwrap_or_default()),
        ),
        kv(
            "birthday",
            c.birthday.map(|b| b.to_string()).unwrap_or_default(),
        ),
        kv("tags", c.tags.join(", ")),
    ];
    let next = match &v.due {
        Some(d) => format!(
            "{} {} [{}]",
            crate::text::when(d.date, m.today),
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
        lines.push(kv(
            "planned",
            format!("{} {}", crate::text::when(p.date, m.today), p.channel),
        ));
    }
    // The library: what to send with the next touch, and what the contact already received.
    if let Some(p) = &v.suggested {
        lines.push(kv(
            "send",
            format!("\"{}\" ({})", crate::sanitize::line(&p.title), p.kind),
        ));
    }
    let received: Vec<String> = v
        .received()
        .map(|p| crate::sanitize::line(&p.title).to_string())
        .collect();
    if !received.is_empty() {
        lines.push(kv("received", received.join(", ")));
    }
    // A name of any length: cut to the box with an ellipsis.
    let title = fit(
        &format!(" c{} {}", c.id, c.name),
        usize::from(fields.width.saturating_sub(3)),
    );
    let title = format!("{} ", title.trim_end());
    f.render_widget(
        Paragraph::new(lines).block(
            Block::default()
                .borders(Borders::ALL)
                .title(Span::styled(title, m.theme.title)),
        ),
        fields,
    );

    // Timeline: sales and touches, newest first. Only the visible rows are formatted: a contact
    // with 100,000 touches draws as fast as one with ten.
    let len = v.touches.len() + v.sales.len();
    let tw = usize::from(timeline.width.saturating_sub(2));
    let height = usize::from(timeline.height.saturating_sub(2));
    let start = v.scroll.min(len.saturating_sub(1));
    let lines: Vec<Line<'_>> = newest_first(&v.touches, &v.sales)
        .skip(start)
        .take(height)
        .map(|row| {
            let (text, style) = match row {
                Row::Touch(t) => {
                    let mark = match t.state {
                        TouchState::Done => "✓",
                        TouchState::Planned => "·",
                        TouchState::Skipped => "×",
                        TouchState::Cancelled => "–",
                    };
                    let mut text = format!(
                        "{} {mark} {} {} {}",
                        t.date,
                        t.channel,
                        t.direction.as_str(),
                        t.summary
                    );
                    if let Some(p) = v.carried.get(&t.id) {
                        text.push_str(&format!(" [{}]", crate::sanitize::line(&p.title)));
                    }
                    (text, m.theme.base)
                }
                Row::Sale(s) => {
                    let text = format!(
                        "{} $ {} {}",
                        s.date,
                        crate::text::amount(s.amount_cents, &s.currency),
                        s.note
                    );
                    (text, m.theme.ok)
                }
            };
            Line::from(Span::styled(fit(&text, tw), style))
        })
        .collect();
    f.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL).title(Span::styled(
            format!(" Timeline ({len}) j/k "),
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
            Paragraph::new(crate::sanitize::text(&c.notes))
                .wrap(Wrap { trim: false })
                .block(Block::default().borders(Borders::ALL).title(Span::styled(
                    " Notes · e edit · l log p plan s snooze m move a archive ",
                    m.theme.title,
                ))),
            bottom,
        );
    }
}

/// One timeline row.
enum Row<'a> {
    Touch(&'a Touch),
    Sale(&'a Sale),
}

/// Touches and sales (each already newest first, see `effects::open`) merged newest first; on the
/// same day the touches come first.
fn newest_first<'a>(touches: &'a [Touch], sales: &'a [Sale]) -> impl Iterator<Item = Row<'a>> {
    let mut t = touches.iter().peekable();
    let mut s = sales.iter().peekable();
    std::iter::from_fn(move || match (t.peek(), s.peek()) {
        (Some(a), Some(b)) if b.date > a.date => s.next().map(Row::Sale),
        (Some(_), _) => t.next().map(Row::Touch),
        (None, _) => s.next().map(Row::Sale),
    })
}
