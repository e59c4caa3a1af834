//! The whole screen from `&Model`: the tab bar, the focused pane, the hint line, the status bar,
//! then the layers bottom to top. Never mutates. The status bar keeps a message whole: the
//! file's path and the counts give way, and a long message takes up to three lines.

use super::action::{Action, Pane};
use super::component::Screen;
use super::model::Model;
use super::widgets::{fit, width as text_width};
use ratatui::Frame;
use ratatui::crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

/// The most lines a status message takes.
const STATUS_LINES: usize = 3;

/// The most lines the line above the status bar takes (a layer's question and its keys).
const HINT_LINES: usize = 3;

/// The status message cut into lines of `width` columns (at most [`STATUS_LINES`]).
fn wrap(text: &str, width: usize) -> Vec<String> {
    super::widgets::wrap(text, width, STATUS_LINES)
}

/// The status bar's lines: the message first (whole when it can be), then the counts and the
/// file's name as room allows.
pub fn status_lines(m: &Model, width: usize) -> Vec<Line<'static>> {
    let d = &m.diary;
    let counts = format!(
        "{} · today {} · overdue {} · LYBUNT {} ",
        d.today, d.counts.due_today, d.counts.overdue, d.counts.lybunt
    );
    let with_file = format!("{} · {counts}", m.db_label);
    let msg = m.status.text.as_str();
    let msg_style = if m.status.error {
        m.theme.error
    } else {
        m.theme.base
    };
    let line = |left: String, right: &str| {
        let pad = width.saturating_sub(text_width(&left) + text_width(right));
        Line::from(vec![
            Span::styled(left, msg_style),
            Span::styled(format!("{}{right}", " ".repeat(pad)), m.theme.bar),
        ])
    };
    if msg.is_empty() {
        let all = if text_width(&with_file) < width {
            &with_file
        } else {
            &counts
        };
        return vec![line(String::new(), &fit(&format!(" {all}"), width))];
    }
    let msg = format!(" {} ", super::widgets::shown(msg));
    for right in [with_file.as_str(), counts.as_str(), ""] {
        if text_width(&msg) + text_width(right) <= width {
            return vec![line(msg, right)];
        }
    }
    wrap(&msg, width)
        .into_iter()
        .map(|l| Line::from(Span::styled(l, msg_style)))
        .collect()
}

/// Tab bar, pane body, hint line (as tall as the top layer's question and keys need), status
/// bar (as tall as the message needs).
pub fn areas(m: &Model, area: Rect) -> [Rect; 4] {
    let width = usize::from(area.width);
    let status = status_lines(m, width).len();
    let status = u16::try_from(status).unwrap_or(1);
    let hint = m
        .layers
        .last()
        .and_then(|l| l.hint(&m.ctx()))
        .map_or(1, |text| {
            super::widgets::wrap(&text, width, HINT_LINES).len()
        });
    let hint = u16::try_from(hint).unwrap_or(1);
    Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(1),
        Constraint::Length(hint),
        Constraint::Length(status),
    ])
    .areas(area)
}

/// The tabs and their labels: full titles when they all fit, else numbers with the focused
/// pane's title.
pub fn tabs(focused: Pane, width: u16) -> Vec<(Pane, String)> {
    let full: Vec<(Pane, String)> = Pane::ALL
        .iter()
        .map(|&p| (p, format!(" {} {} ", p.index() + 1, p.title())))
        .collect();
    let total: usize = full.iter().map(|(_, l)| text_width(l)).sum();
    if total <= usize::from(width) {
        return full;
    }
    full.into_iter()
        .map(|(p, l)| {
            if p == focused {
                (p, l)
            } else {
                (p, format!(" {} ", p.index() + 1))
            }
        })
        .collect()
}

/// What a mouse event on a screen of `area` means: a click on a tab switches panes, a click in
/// the pane is the pane's ([`super::component::Component::hit`]), the wheel scrolls. With a layer
/// open, only the wheel (it scrolls the layer). Uses the same layout as [`draw`].
pub fn mouse_action(m: &Model, ev: &MouseEvent, area: Rect) -> Option<Action> {
    match ev.kind {
        MouseEventKind::ScrollDown => return Some(Action::Down),
        MouseEventKind::ScrollUp => return Some(Action::Up),
        MouseEventKind::Down(MouseButton::Left) if m.layers.is_empty() => {}
        _ => return None,
    }
    let [tab_bar, body, _, _] = areas(m, area);
    let (x, y) = (ev.column, ev.row);
    if y == tab_bar.y {
        let mut left = tab_bar.x;
        for (p, label) in tabs(m.pane, area.width) {
            let w = u16::try_from(text_width(&label)).unwrap_or(0);
            if x >= left && x < left.saturating_add(w) {
                return Some(Action::Goto(p));
            }
            left = left.saturating_add(w);
        }
        return None;
    }
    m.panes.get(m.pane).hit(&m.ctx(), body, x, y)
}

/// Draw the screen.
pub fn draw(m: &Model, f: &mut Frame<'_>) {
    let area = f.area();
    let [tab_bar, body, line, status] = areas(m, area);
    let mut spans: Vec<Span<'_>> = tabs(m.pane, area.width)
        .into_iter()
        .map(|(p, label)| {
            let style = if p == m.pane {
                m.theme.selected
            } else {
                m.theme.dim
            };
            Span::styled(label, style)
        })
        .collect();
    spans.push(Span::styled(
        format!("  {}", crate::text::words::TAB_KEYS),
        m.theme.dim,
    ));
    f.render_widget(Paragraph::new(Line::from(spans)), tab_bar);
    let ctx = m.ctx();
    let pane = m.panes.get(m.pane);
    pane.draw(&ctx, f, body);
    if m.layers.is_empty() {
        let hints = Span::styled(fit(&pane.hints(&ctx), usize::from(line.width)), m.theme.dim);
        f.render_widget(Paragraph::new(hints), line);
    }
    f.render_widget(
        Paragraph::new(status_lines(m, usize::from(status.width))),
        status,
    );
    let screen = Screen {
        body,
        line,
        anchor: pane.anchor(&ctx, body),
    };
    for layer in &m.layers {
        layer.draw(&ctx, f, &screen);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_messages_wrap_whole() {
        let text = "logged email with Eoin Mansour; next: 2026-12-08 (in 2 weeks) email planned";
        let lines = wrap(text, 40);
        assert_eq!(lines.len(), 2);
        assert_eq!(
            lines.join(" ").split_whitespace().collect::<Vec<_>>(),
            text.split(' ').collect::<Vec<_>>()
        );
        assert!(lines.iter().all(|l| text_width(l) == 40));
    }
}
