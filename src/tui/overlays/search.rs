//! `/`: fuzzy search over the contacts (name, company, tags, notes), results in a pop-up; Enter
//! opens the chosen one.

use super::super::action::{Action, Pane};
use super::super::component::{Ctx, Effect, Handled, Layer, Mode, Screen};
use super::super::keymap::Context;
use super::super::search;
use super::super::widgets::line::LineEdit;
use super::super::widgets::{fit, popup, window};
use super::{draw_field, popup_frame};
use crate::model::ContactId;
use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use std::any::Any;

#[derive(Debug, Default)]
pub struct Search {
    pub line: LineEdit,
    pub results: Vec<ContactId>,
    pub sel: usize,
}

impl Search {
    fn rerun(&mut self, ctx: &Ctx<'_>) {
        self.results = search::contacts(&ctx.diary.search.hay, self.line.text());
        self.sel = 0;
    }
}

impl Layer for Search {
    fn handle(&mut self, action: &Action, ctx: &Ctx<'_>) -> Handled {
        match action {
            Action::Cancel => return Handled::one(Effect::Pop),
            Action::Up => self.sel = self.sel.saturating_sub(1),
            Action::Down => self.sel = (self.sel + 1).min(self.results.len().saturating_sub(1)),
            Action::Submit => {
                let mut out = vec![Effect::Pop];
                out.extend(self.results.get(self.sel).map(|&id| Effect::Open(id)));
                return Handled::Consumed(out);
            }
            Action::Char(c) => {
                self.line.insert(*c);
                self.rerun(ctx);
            }
            Action::Backspace => {
                self.line.backspace();
                self.rerun(ctx);
            }
            Action::Key(ev) if self.line.key(ev) => self.rerun(ctx),
            _ => {}
        }
        Handled::done()
    }

    fn draw(&self, ctx: &Ctx<'_>, f: &mut Frame<'_>, screen: &Screen) {
        draw_field(
            f,
            screen.line,
            crate::text::words::SEARCH,
            &self.line,
            ctx.theme,
        );
        let body = screen.body;
        let rect = popup(body, 60, body.height.saturating_sub(2), None);
        let title = format!(" {} matches · Enter opens ", self.results.len());
        let inner = popup_frame(f, rect, &title, ctx.theme.title);
        let w = usize::from(inner.width);
        let (a, b) = window(self.sel, self.results.len(), usize::from(inner.height));
        let d = ctx.diary;
        let lines: Vec<Line<'_>> = (a..b)
            .filter_map(|i| {
                let p = d.contact(*self.results.get(i)?)?;
                let style = if i == self.sel {
                    ctx.theme.selected
                } else {
                    ctx.theme.base
                };
                let text = format!("c{} {} · {}", p.id, p.label(), p.stage);
                Some(Line::from(Span::styled(fit(&text, w), style)))
            })
            .collect();
        f.render_widget(Paragraph::new(lines), inner);
    }

    fn context(&self, _pane: Pane) -> Context {
        Context::Prompt
    }

    fn mode(&self) -> Mode {
        Mode::Search {
            text: self.line.text().to_string(),
        }
    }

    fn paste(&mut self, text: &str) -> bool {
        self.line.paste(text);
        // Results follow on the next key or refresh; run them now without a context.
        true
    }

    fn loads(&self, ctx: &Ctx<'_>) -> Vec<Effect> {
        let s = &ctx.diary.search;
        if !s.loaded || s.stale {
            vec![Effect::LoadSearch]
        } else {
            Vec::new()
        }
    }

    fn refresh(&mut self, ctx: &Ctx<'_>) {
        let sel = self.sel;
        self.rerun(ctx);
        self.sel = sel.min(self.results.len().saturating_sub(1));
    }

    fn as_any(&self) -> &dyn Any {
        self
    }
}
