//! The layers that sit on top of the panes (helix's compositor): the top one sees a key first.
//! Each owns its state and draws from `&self`; none touches the store (a change is an
//! [`super::component::Effect::Act`]). Adding one: a file here and a line below.

pub mod chord;
pub mod confirm;
pub mod decide;
pub mod form;
pub mod help;
pub mod notes;
pub mod palette;
pub mod picker;
pub mod prompt;
pub mod purpose;
pub mod search;

use super::theme::Theme;
use super::widgets::{fit, line::LineEdit, width, wrap};
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

/// `label` then the field's text on one line of `area`, the terminal's cursor in the field. The
/// label is cut (with an ellipsis) when the line is too narrow, leaving the field at least a
/// third of the width.
pub fn draw_field(f: &mut Frame<'_>, area: Rect, label: &str, field: &LineEdit, theme: &Theme) {
    let total = usize::from(area.width);
    let min_field = (total / 3).max(1);
    let label_w = width(label).min(total.saturating_sub(min_field));
    let label = fit(label, label_w);
    let (shown, at) = field.view(total.saturating_sub(label_w + 1));
    let line = Line::from(vec![
        Span::styled(label, theme.title),
        Span::raw(" "),
        Span::styled(shown, theme.base),
    ]);
    f.render_widget(Paragraph::new(line), area);
    let x = area.x + u16::try_from(label_w + 1 + at).unwrap_or(area.width);
    if x < area.right() {
        f.set_cursor_position(Position::new(x, area.y));
    }
}

/// A cleared, bordered pop-up at `rect` titled `title`: returns the area inside the border.
pub fn popup_frame(f: &mut Frame<'_>, rect: Rect, title: &str, style: Style) -> Rect {
    let title = fit(title, usize::from(rect.width.saturating_sub(2)));
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(format!("{} ", title.trim_end()), style));
    let inner = block.inner(rect);
    f.render_widget(Clear, rect);
    f.render_widget(block, rect);
    inner
}

/// The hint line's text in its style: wrapped over the area's lines (the view makes the area as
/// tall as a layer's [`super::component::Layer::hint`] needs), cut on the last.
pub fn draw_hint(f: &mut Frame<'_>, area: Rect, text: &str, style: Style) {
    let w = usize::from(area.width);
    let lines: Vec<Line<'_>> = if area.height > 1 {
        wrap(text, w, usize::from(area.height))
            .into_iter()
            .map(|l| Line::from(Span::styled(l, style)))
            .collect()
    } else {
        vec![Line::from(Span::styled(fit(text, w), style))]
    };
    f.render_widget(Paragraph::new(lines), area);
}
