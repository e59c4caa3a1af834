//! A form of fields in a pop-up: text fields (line editors) and choices (← → to change, or the
//! first letter). Tab / Shift-Tab (↑ ↓) move between fields, Enter saves, Esc cancels. What the
//! form is for ([`Purpose`]) turns its fields into action requests: every field of a contact
//! (edit or add, through `actions::edit` / `actions::add`), a done with another channel or as
//! inbound, a touch to log. The form stays open until the action succeeds.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen};
use super::super::keymap::Context;
use super::super::widgets::line::LineEdit;
use super::super::widgets::{cols, fit, popup, window};
use super::popup_frame;
use ratatui::Frame;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Position;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

pub use super::purpose::Purpose;

/// What a field holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    Text(LineEdit),
    /// Options and the chosen one.
    Choice(Vec<String>, usize),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub label: &'static str,
    pub value: Value,
}

impl Field {
    pub fn text(label: &'static str, text: &str) -> Field {
        Field {
            label,
            value: Value::Text(LineEdit::new(text)),
        }
    }

    pub fn choice(label: &'static str, options: Vec<String>, chosen: usize) -> Field {
        Field {
            label,
            value: Value::Choice(options, chosen),
        }
    }

    /// The text, or the chosen option.
    pub fn get(&self) -> &str {
        match &self.value {
            Value::Text(l) => l.text(),
            Value::Choice(o, i) => o.get(*i).map_or("", String::as_str),
        }
    }

    /// The chosen option's index (0 for a text field).
    pub fn index(&self) -> usize {
        match &self.value {
            Value::Choice(_, i) => *i,
            Value::Text(_) => 0,
        }
    }

    fn act(&mut self, action: &Action) {
        match (&mut self.value, action) {
            (Value::Text(l), Action::Char(c)) => l.insert(*c),
            (Value::Text(l), Action::Backspace) => l.backspace(),
            (Value::Text(l), Action::Key(ev)) => {
                l.key(ev);
            }
            (Value::Choice(o, i), Action::Key(ev)) => match ev.code {
                KeyCode::Left => *i = (*i + o.len().max(1) - 1) % o.len().max(1),
                KeyCode::Right => *i = (*i + 1) % o.len().max(1),
                _ => {}
            },
            (Value::Choice(o, i), Action::Char(' ')) => *i = (*i + 1) % o.len().max(1),
            (Value::Choice(o, i), Action::Char(c)) => {
                // The next option starting with the letter.
                let n = o.len();
                let found = (1..=n).map(|k| (*i + k) % n.max(1)).find(|&k| {
                    o.get(k)
                        .and_then(|s| s.chars().next())
                        .is_some_and(|f| f.eq_ignore_ascii_case(c))
                });
                if let Some(k) = found {
                    *i = k;
                }
            }
            _ => {}
        }
    }
}

#[derive(Debug)]
pub struct Form {
    pub title: String,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub purpose: Purpose,
}

impl Form {
    /// The field called `label`.
    pub fn field(&self, label: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.label == label)
    }

    pub fn get(&self, label: &str) -> &str {
        self.field(label).map_or("", Field::get)
    }

    /// Focus the field called `label`.
    pub fn focus_on(mut self, label: &str) -> Form {
        if let Some(i) = self.fields.iter().position(|f| f.label == label) {
            self.focus = i;
        }
        self
    }
}

impl Layer for Form {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        let n = self.fields.len().max(1);
        match action {
            Action::Cancel => return Handled::one(Effect::Pop),
            Action::NextField => self.focus = (self.focus + 1) % n,
            Action::PrevField => self.focus = (self.focus + n - 1) % n,
            Action::Submit => {
                return Handled::Consumed(
                    super::purpose::submit(self, ctx).unwrap_or_else(|e| vec![Effect::Fail(e)]),
                );
            }
            other => {
                if let Some(f) = self.fields.get_mut(self.focus) {
                    f.act(other);
                }
            }
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        let label_w = self.fields.iter().map(|f| cols(f.label)).max().unwrap_or(0) + 1;
        let w = (label_w + 44).max(cols(&self.title) + 2);
        let h = u16::try_from(self.fields.len() + 2).unwrap_or(u16::MAX);
        let rect = popup(screen.body, w, h, screen.anchor);
        let inner = popup_frame(f, rect, &self.title, ctx.theme.title);
        let (a, b) = window(self.focus, self.fields.len(), usize::from(inner.height));
        let value_w = usize::from(inner.width.saturating_sub(label_w));
        let mut lines = Vec::new();
        for (row, i) in (a..b).enumerate() {
            let Some(field) = self.fields.get(i) else {
                continue;
            };
            let focused = i == self.focus;
            let label_style = if focused {
                ctx.theme.selected
            } else {
                ctx.theme.dim
            };
            let label = Span::styled(fit(field.label, usize::from(label_w)), label_style);
            let value = match &field.value {
                Value::Text(l) => {
                    let (shown, at) = l.view(value_w.saturating_sub(1));
                    if focused {
                        let x = inner.x + label_w + u16::try_from(at).unwrap_or(0);
                        let y = inner.y + u16::try_from(row).unwrap_or(0);
                        f.set_cursor_position(Position::new(x, y));
                    }
                    Span::styled(shown, ctx.theme.base)
                }
                Value::Choice(o, c) => {
                    let chosen = o.get(*c).map_or("", String::as_str);
                    let text = if focused {
                        format!("◂ {chosen} ▸")
                    } else {
                        chosen.to_string()
                    };
                    Span::styled(fit(&text, value_w), ctx.theme.due)
                }
            };
            lines.push(Line::from(vec![label, value]));
        }
        f.render_widget(Paragraph::new(lines), inner);
        super::draw_hint(f, screen.line, crate::text::words::FORM_KEYS, ctx.theme.dim);
    }

    fn hint(&self, _ctx: &Ctx<'_>) -> Option<String> {
        Some(crate::text::words::FORM_KEYS.to_string())
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Form
    }

    fn mode(&self) -> Mode {
        Mode::Form {
            title: self.title.clone(),
            text: self
                .fields
                .get(self.focus)
                .map_or(String::new(), |f| f.get().to_string()),
        }
    }

    fn paste(&mut self, text: &str) -> bool {
        match self.fields.get_mut(self.focus).map(|f| &mut f.value) {
            Some(Value::Text(l)) => {
                l.paste(text);
                true
            }
            _ => false,
        }
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_change_with_arrows_and_letters() {
        let mut f = Field::choice(
            "channel",
            vec!["call".into(), "email".into(), "meeting".into()],
            0,
        );
        let right = ratatui::crossterm::event::KeyEvent::from(KeyCode::Right);
        let left = ratatui::crossterm::event::KeyEvent::from(KeyCode::Left);
        f.act(&Action::Key(right));
        assert_eq!(f.get(), "email");
        f.act(&Action::Key(left));
        f.act(&Action::Key(left));
        assert_eq!(f.get(), "meeting");
        f.act(&Action::Char('e'));
        assert_eq!(f.get(), "email");
        let mut t = Field::text("name", "Ad");
        t.act(&Action::Char('a'));
        assert_eq!(t.get(), "Ada");
    }
}
