//! `:`: the command palette. A line editor for the CLI's verbs with their flags, completing the
//! verb and then the contact fuzzily as you type (Tab takes the chosen completion, ↑ ↓ choose).
//! Enter runs the line through the CLI's parser ([`super::super::command`]); the line stays open
//! until its action succeeds, so a refusal never loses what was typed.

use super::super::action::{Action, Pane};
use super::super::command::{self, NAMES, Parsed};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen};
use super::super::keymap::Context;
use super::super::search;
use super::super::widgets::line::LineEdit;
use super::super::widgets::{cols, fit};
use super::help::Help;
use super::{draw_field, popup_frame};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

/// The most completions shown.
const SHOWN: usize = 8;

/// One completion: what replaces the word being typed, and what the list shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Completion {
    pub insert: String,
    pub label: String,
}

#[derive(Debug, Default)]
pub struct Palette {
    pub line: LineEdit,
    pub completions: Vec<Completion>,
    pub sel: usize,
}

/// The completions of `text`: verbs while the first word is typed, then contacts for a verb that
/// takes one.
pub fn complete(text: &str, ctx: &Ctx<'_>) -> Vec<Completion> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let typing_new = text.is_empty() || text.ends_with(char::is_whitespace);
    let (index, word) = match (words.len(), typing_new) {
        (0, _) => (0, ""),
        (n, true) => (n, ""),
        (n, false) => (n - 1, words[n - 1]),
    };
    if index == 0 {
        let found = search::words(NAMES.iter().map(|(v, _)| *v), word, SHOWN);
        return found
            .into_iter()
            .filter_map(|i| NAMES.get(i))
            .map(|(v, _)| Completion {
                insert: format!("{v} "),
                label: (*v).to_string(),
            })
            .collect();
    }
    let takes_contact = NAMES.iter().any(|(v, c)| *c && words.first() == Some(v));
    if index != 1 || !takes_contact || word.is_empty() {
        return Vec::new();
    }
    let rows = &ctx.diary.roster.rows;
    let labels: Vec<String> = rows.iter().map(|(p, _)| p.label()).collect();
    search::words(labels.iter().map(String::as_str), word, SHOWN)
        .into_iter()
        .filter_map(|i| rows.get(i).map(|(p, _)| (p, labels.get(i))))
        .map(|(p, label)| Completion {
            insert: format!("c{} ", p.id),
            label: format!(
                "c{} {} · {}",
                p.id,
                label.map_or("", String::as_str),
                p.stage
            ),
        })
        .collect()
}

impl Palette {
    fn changed(&mut self, ctx: &Ctx<'_>) {
        self.completions = complete(self.line.text(), ctx);
        self.sel = 0;
    }

    /// Replace the word being typed with the chosen completion.
    fn take(&mut self, ctx: &Ctx<'_>) {
        let Some(c) = self.completions.get(self.sel) else {
            return;
        };
        let text = self.line.text();
        let keep = if text.ends_with(char::is_whitespace) {
            text
        } else {
            text.trim_end_matches(|c: char| !c.is_whitespace())
        };
        let new = format!("{keep}{}", c.insert);
        self.line.set(new);
        self.changed(ctx);
    }

    fn submit(&self, ctx: &Ctx<'_>) -> Vec<Effect> {
        match command::parse(ctx.diary, self.line.text()) {
            Ok(Parsed::Act(effects)) => effects,
            Ok(Parsed::Screen(effects)) => std::iter::once(Effect::Pop).chain(effects).collect(),
            Ok(Parsed::Help) => vec![Effect::Pop, Effect::Push(Box::<Help>::default())],
            Err(e) => vec![Effect::Fail(e)],
        }
    }

    /// Put text on the line (what was typed, kept after a refusal).
    pub fn with_text(text: &str) -> Palette {
        Palette {
            line: LineEdit::new(text),
            ..Palette::default()
        }
    }
}

impl Layer for Palette {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        match action {
            Action::Cancel => return Handled::one(Effect::Pop),
            Action::Submit => return Handled::Consumed(self.submit(ctx)),
            Action::Complete => self.take(ctx),
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => {
                self.sel = (self.sel + 1).min(self.completions.len().saturating_sub(1));
            }
            Action::Char(c) => {
                self.line.insert(*c);
                self.changed(ctx);
            }
            Action::Backspace => {
                self.line.backspace();
                self.changed(ctx);
            }
            Action::Key(ev) if self.line.key(ev) => self.changed(ctx),
            _ => {}
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        draw_field(
            f,
            screen.line,
            crate::text::words::COMMAND,
            &self.line,
            ctx.theme,
        );
        if self.completions.is_empty() {
            return;
        }
        let body = screen.body;
        let w = self
            .completions
            .iter()
            .map(|c| cols(&c.label))
            .max()
            .unwrap_or(10)
            .max(24)
            + 4;
        let h = u16::try_from(self.completions.len() + 2).unwrap_or(u16::MAX);
        let (w, h) = (w.min(body.width), h.min(body.height));
        // Just above the command line, as a shell's completion menu.
        let rect = Rect::new(body.x, body.bottom() - h, w, h);
        let inner = popup_frame(f, rect, " Tab completes ", ctx.theme.dim);
        let cols = usize::from(inner.width);
        let lines: Vec<Line<'_>> = self
            .completions
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let style = if i == self.sel {
                    ctx.theme.selected
                } else {
                    ctx.theme.base
                };
                Line::from(Span::styled(fit(&c.label, cols), style))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> Mode {
        Mode::Command {
            text: self.line.text().to_string(),
        }
    }

    fn paste(&mut self, text: &str) -> bool {
        self.line.paste(text);
        true
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        self.changed(ctx);
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
